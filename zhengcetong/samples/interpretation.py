"""The demo's policy interpretation (政策解读): the fictional 青禾市's reading of its 专精特新 measures.

Written by the project for ``zct demo`` (like the sample gazette, every name and figure is invented);
it explains 青政办发〔2026〕8号 of ``qinghe_2026_03.txt``.
"""

from __future__ import annotations

DOC_NUMBER = "青政办发〔2026〕8号"
UID = "zhuanjingtexin-2026"
TITLE = "《关于支持专精特新企业高质量发展的若干措施》政策解读"
KIND = "text"
DEPARTMENT = "青禾市工业和信息化局"
SUMMARY = (
    "若干措施从梯度培育奖励、技术改造补助、博士人才生活补贴和公共服务四个方面支持专精特新企业，"
    "本文解读各项措施的支持对象、支持标准和申报方式。"
)
CLAUSES = ("一/（一）", "一/（二）", "二", "三")
BODY = """\
一、出台背景
专精特新企业是制造业的“配套专家”和“单项冠军”的后备力量。为推动我市中小企业走专业化、精细化、特色化、新颖化发展道路，市政府办公室印发了《关于支持专精特新企业高质量发展的若干措施》（青政办发〔2026〕8号），目标是到2028年底全市省级以上专精特新企业达到300家，其中国家级专精特新“小巨人”企业达到30家。

二、主要支持内容
（一）梯度培育奖励
首次认定为国家级专精特新“小巨人”企业的，给予最高50万元一次性奖励；首次认定为省级专精特新中小企业的，给予最高10万元一次性奖励。
上一年度营业收入1亿元（含）以上的专精特新企业，给予最高8万元研发补助；营业收入低于1亿元的，给予最高5万元研发补助。

（二）技术改造补助
专精特新企业实施设备更新项目的，按不超过设备实际购置金额10%的比例给予补助，单户企业最高200万元。举例来说，某企业购置设备1500万元，可获补助不超过150万元；购置设备3000万元，补助以200万元为限。

（三）博士人才生活补贴
专精特新企业新引进的全职博士，每人每月给予3000元生活补贴，最长36个月，每人最多可领取10.8万元。

（四）公共服务
建立专精特新企业培育库，实行“一企一档”动态管理；每年组织不少于4场产学研对接活动；市商务局每年发布重点展会目录，组织企业集中参展。

三、申报方式
市工业和信息化局会同市财政局制定申报指南，明确申报条件、申报材料和审核程序。奖补资金实行统一申报、集中审核、限时拨付，请关注市工业和信息化局门户网站发布的申报通知。

四、常见问题
问：同一事项符合多项扶持政策，可以重复享受吗？
答：不可以。同一企业同一事项符合本市多项扶持政策的，按照从高不重复的原则执行。
问：弄虚作假骗取资金会有什么后果？
答：依法追回资金，并取消企业三年内的申报资格。
"""


def add_to_library(db_session, *, actor: str = "demo") -> str | None:
    """Create and publish the sample interpretation when its document is stored and it is not there yet.

    Returns its public id when it was added, None when nothing changed (idempotent).
    """
    from sqlalchemy import select

    from zhengcetong.library import Document, Interpretation, interpretations

    if db_session.scalar(select(Interpretation.id).where(Interpretation.uid == UID)) is not None:
        return None
    document = db_session.scalar(select(Document).where(Document.doc_number == DOC_NUMBER))
    if document is None:
        return None
    interpretation = interpretations.create(
        db_session=db_session,
        uid=UID,
        title=TITLE,
        summary=SUMMARY,
        body=BODY,
        kind=KIND,
        department=DEPARTMENT,
        documents=[interpretations.DocumentLink(document, CLAUSES)],
        actor=actor,
    )
    interpretations.publish(db_session=db_session, interpretation=interpretation, actor=actor)
    return interpretation.uid
