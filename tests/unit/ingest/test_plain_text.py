"""Policy text without a gazette header: website articles, information blocks, news, 政策解读,
fragments, traditional script. Every text here is written for these tests (青禾市 is made up)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengcetong.errors import InputError
from zhengcetong.ingest.measures import extract_items
from zhengcetong.ingest.parse import parse_text
from zhengcetong.ingest.segment import info_pairs

GOV_PAGE = """首页 > 政策 > 政策文件库 > 部门文件
索 引 号：000014349/2026-00012\t主题分类：工业、交通\\其他
发文机关：青禾市工业和信息化局\t成文日期：2026年03月05日
标　　题：青禾市工业和信息化局关于支持中小企业数字化转型的若干措施
发文字号：青工信发〔2026〕15号\t发布日期：2026年03月08日
青禾市工业和信息化局关于支持中小企业数字化转型的若干措施
青工信发〔2026〕15号
各区县工业和信息化主管部门：
一、对首次认定为数字化转型示范企业的，给予一次性奖励50万元。
二、对中小企业购买云服务的，按照实际支出的30%给予补贴，每家企业每年最高不超过20万元。
青禾市工业和信息化局
2026年3月5日
（此件公开发布）
【我要纠错】 责任编辑：张三
扫一扫在手机打开当前页
"""

NO_TITLE_BLOCK = """索引号：11370000/2026-01234
发文机关：青禾市科学技术局
成文日期：2026年04月01日
发布日期：2026年04月03日
青禾市科学技术局关于开展科技创新券兑付工作的通知
各区县科技局：
对使用创新券购买检测服务的科技型中小企业，按服务费用的50%给予补助，每家企业每年最高10万元。
青禾市科学技术局
2026年4月1日
"""

ARTICLE = """当前位置：首页 > 政务公开 > 政策文件
关于印发《青禾市促进人才集聚若干措施》的通知
来源：青禾市人力资源和社会保障局    发布时间：2026-05-12 10:23    浏览次数：1234
【字号：大 中 小】 【打印】 【关闭】
各区人力资源社会保障局：
现将《青禾市促进人才集聚若干措施》印发给你们，请认真贯彻执行。
一、对新引进的全职博士，每人每月给予3000元生活补贴，最长不超过36个月。
二、对在本市就业的高校毕业生，每人每月给予1000元租房补贴。
青禾市人力资源和社会保障局
2026年5月10日
附件下载：
1. 申请表.docx
2. 填报说明.pdf
上一篇：关于做好春季招聘工作的通知
下一篇：关于公布第一批人才名单的公示
版权所有：青禾市人民政府  主办：青禾市人民政府办公室
网站标识码：3799000001  鲁ICP备12345678号
"""

NEWS = """我市出台措施支持企业上规模
记者从市工信局获悉，近日，我市印发《关于支持企业上规模的若干政策》（青政发〔2026〕5号，以下简称《政策》）。
《政策》明确，对首次纳入规模以上统计的工业企业，给予10万元奖励。
《政策》还提出，对年营业收入首次突破1亿元的企业，给予企业经营团队最高20万元奖励。
"""

FRAGMENT = """第五条 对新认定的国家级企业技术中心，给予一次性奖励100万元。
第六条 对新认定的省级企业技术中心，给予一次性奖励30万元。
第七条 本办法自2026年1月1日起施行。
"""

SUB_ITEMS = """（三）对新建充电桩的，每千瓦给予200元建设补贴，单个站点最高不超过50万元。
（四）对租用标准厂房的科技型企业，前两年给予全额租金补贴。
"""

QA = """《青禾市支持科技创新若干政策》政策解读
一、出台背景是什么？
为深入实施创新驱动发展战略，市政府制定了本政策。
二、对企业研发投入有哪些支持？
答：根据第三条，对企业年度研发投入较上年增长的，按增量部分的10%给予奖励，最高不超过100万元。
问：企业能否同时享受多项奖励？
答：同一项目符合多项政策的，按就高原则不重复享受。
"""

TRADITIONAL = """關於支持企業發展的若干措施
一、對首次認定為國家級專精特新「小巨人」企業的，給予一次性獎勵一百五十萬元。
二、對首次認定為省級專精特新企業的，給予一次性獎勵二十萬元。
三、對總投資超過5千萬元的項目，按設備投資額的１０％給予補助，最高不超過２００ 萬元。
四、對新建基站的，每個基站給予1
萬元補貼。
"""

TWO_PARTS = """关于支持家庭农场发展的通知
对新认定的省级示范家庭农场，给予5万元奖励。
青禾市农业农村局
2026年2月1日
关于支持农产品品牌建设的通知
对新获得绿色食品认证的农产品，每个产品给予2万元奖励。
"""

MEETING = """市委常委会召开会议
12月5日，市委书记主持召开市委常委会会议，传达学习上级会议精神，研究部署全市相关工作。
会议强调，要坚持稳中求进工作总基调，推动经济持续回升向好。
市委常委出席会议。
"""


def _finding(gazette, code):
    return [f for f in gazette.findings if f.code == code]


def test_information_block_with_ideographic_spaces_and_pairs_on_one_line():
    gazette = parse_text(GOV_PAGE, "gov.txt")
    (doc,) = gazette.documents
    assert doc.title == "关于支持中小企业数字化转型的若干措施"
    assert doc.issuer == "青禾市工业和信息化局"
    assert doc.doc_number == "青工信发〔2026〕15号"
    assert str(doc.date) == "2026-03-05" and str(doc.published) == "2026-03-08"
    assert doc.addressees == ["各区县工业和信息化主管部门"]
    assert "我要纠错" not in doc.body and "扫一扫" not in doc.body and "首页" not in doc.body
    assert doc.body.rstrip().endswith("（此件公开发布）")
    assert _finding(gazette, "web_residue")
    amounts = sorted(item.amount_max_yuan for item in extract_items(doc))
    assert amounts == [Decimal(200000), Decimal(500000)]


def test_info_pairs_reads_spaced_keys_and_several_pairs():
    assert info_pairs("标\u3000\u3000题：关于某事的通知") == [("标题", "关于某事的通知")]
    assert info_pairs("发文机关：某局\t成文日期：2026年03月05日") == [
        ("发文机关", "某局"),
        ("成文日期", "2026年03月05日"),
    ]
    assert info_pairs("对企业发文机关：不是信息栏") == []


def test_block_without_a_title_line_takes_the_first_title_under_it():
    (doc,) = parse_text(NO_TITLE_BLOCK, "kj.txt").documents
    assert doc.title == "关于开展科技创新券兑付工作的通知"
    assert doc.issuer == "青禾市科学技术局"
    assert doc.body.startswith("对使用创新券") and "通知" not in doc.body.splitlines()[0][:10]


def test_website_article_loses_its_furniture_and_keeps_byline_facts():
    gazette = parse_text(ARTICLE, "article.txt")
    (doc,) = gazette.documents
    assert doc.title == "关于印发《青禾市促进人才集聚若干措施》的通知"
    assert doc.issuer == "青禾市人力资源和社会保障局"  # from the signature (no red header)
    assert str(doc.published) == "2026-05-12" and str(doc.date) == "2026-05-10"
    for residue in (
        "浏览次数",
        "字号",
        "打印",
        "申请表.docx",
        "上一篇",
        "下一篇",
        "版权所有",
        "ICP备",
        "首页",
    ):
        assert residue not in doc.body, residue
    assert "每人每月给予3000元生活补贴" in doc.body
    (residue,) = _finding(gazette, "web_residue")
    assert "10 行" in residue.message
    assert [item.amount_max_yuan for item in extract_items(doc)] == [Decimal(3000), Decimal(1000)]


def test_news_report_is_a_text_whose_quoted_number_is_a_reference():
    gazette = parse_text(NEWS, "news.txt")
    (doc,) = gazette.documents
    assert doc.kind == "text"
    assert doc.title == "关于支持企业上规模的若干政策"
    assert doc.doc_number is None  # 青政发〔2026〕5号 is quoted in a sentence: the policy reported on
    assert not doc.body.startswith("我市出台措施")  # the headline is not glued to the first paragraph
    (assumed,) = _finding(gazette, "no_header")
    assert assumed.level == "warning" and "《关于支持企业上规模的若干政策》" in assumed.message
    assert "我市出台措施支持企业上规模" in assumed.message
    assert sorted(item.amount_max_yuan for item in extract_items(doc)) == [Decimal(100000), Decimal(200000)]


def test_fragment_starting_at_an_article_keeps_its_articles():
    gazette = parse_text(FRAGMENT, "frag.txt")
    (doc,) = gazette.documents
    assert [c.path for c in doc.clauses] == ["第五条", "第六条", "第七条"]
    assert str(doc.effective_from) == "2026-01-01"
    assert doc.title == "" and "标题留空" in _finding(gazette, "no_header")[0].message
    items = extract_items(doc)
    assert [(i.clause, i.amount_max_yuan) for i in items] == [
        ("第五条", Decimal(1000000)),
        ("第六条", Decimal(300000)),
    ]


def test_fragment_starting_at_a_numbered_item():
    (doc,) = parse_text(SUB_ITEMS, "sub.txt").documents
    assert [c.path for c in doc.clauses] == ["（三）", "（四）"]
    assert [i.clause for i in extract_items(doc)][:1] == ["（三）"]


def test_policy_interpretation_questions_are_not_items():
    gazette = parse_text(QA, "qa.txt")
    (doc,) = gazette.documents
    assert doc.title == "《青禾市支持科技创新若干政策》政策解读"
    items = extract_items(doc)
    assert len(items) == 1
    (item,) = items
    assert item.amount_max_yuan == Decimal(1000000) and item.rate == Decimal("0.1")
    assert item.explains == "第三条"
    assert all("？" not in i.quote and not i.quote.startswith("问") for i in items)


def test_traditional_script_and_chinese_numerals_read_as_simplified():
    gazette = parse_text(TRADITIONAL, "hk.txt")
    assert gazette.script == "traditional"
    (doc,) = gazette.documents
    assert doc.title == "关于支持企业发展的若干措施"
    got = [(i.clause, i.amount_max_yuan, i.rate) for i in extract_items(doc)]
    assert got == [
        ("一", Decimal(1500000), None),
        ("二", Decimal(200000), None),
        ("三", Decimal(2000000), Decimal("0.1")),
        ("四", Decimal(10000), None),
    ]


def test_a_text_is_cut_at_recognisable_titles():
    gazette = parse_text(TWO_PARTS, "two.txt")
    assert [d.title for d in gazette.documents] == [
        "关于支持家庭农场发展的通知",
        "关于支持农产品品牌建设的通知",
    ]
    assert gazette.documents[0].issuer == "青禾市农业农村局"  # from its signature
    assert len(_finding(gazette, "no_header")) == 2


def test_text_without_policy_content_is_refused():
    with pytest.raises(InputError) as caught:
        parse_text(MEETING, "meeting.txt")
    assert "没有找到可识别的公文或政策内容" in str(caught.value) and caught.value.line == 1


@pytest.mark.parametrize("text", [GOV_PAGE, ARTICLE, NEWS, QA])
def test_no_document_has_an_empty_title_without_a_finding(text):
    gazette = parse_text(text, "x.txt")
    for doc in gazette.documents:
        assert doc.title or any(f.code in ("no_header", "title_missing") for f in gazette.findings)
