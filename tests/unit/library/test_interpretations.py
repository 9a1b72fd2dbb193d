"""Policy interpretations (政策解读): drafts, revisions with before/after, links to documents, publishing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library import interpretations as jd
from zhengcetong.library.models import AuditEvent, Interpretation, InterpretationDocument
from zhengcetong.samples import SINGLE_NOTICE, sample_path
from zhengcetong.samples import interpretation as sample

MEASURES = "青政办发〔2026〕8号"
VOUCHERS = "青政发〔2026〕11号"


@pytest.fixture
def library(db_session):
    for path, name in ((sample_path(), "sample.txt"), (sample_path(SINGLE_NOTICE), "single.txt")):
        ingest_file(db_session, path.read_bytes(), name, items=False)
    db_session.flush()
    return db_session


def doc(session, number):
    return jd.resolve_document(db_session=session, reference=number)


def draft(session, *, title="专精特新若干措施解读", documents=None, **values):
    links = [jd.DocumentLink(doc(session, MEASURES), ("一/（一）",))] if documents is None else documents
    return jd.create(
        db_session=session,
        title=title,
        summary=values.pop("summary", "梯度培育奖励怎么申报"),
        body=values.pop("body", "一、背景\n为加快培育专精特新企业。\n\n二、内容\n首次认定给予奖励。"),
        kind=values.pop("kind", "文字解读"),
        department=values.pop("department", "青禾市工业和信息化局"),
        documents=links,
        actor=values.pop("actor", "user:wang"),
        **values,
    )


def test_create_stores_a_draft_with_its_first_revision_and_an_audit_event(library):
    first = draft(library)
    second = draft(library, title="第二篇")
    assert (first.uid, second.uid) == ("jd-1", "jd-2")
    assert first.status == "draft" and first.version == 1 and first.kind == "text"
    assert first.created_by == first.updated_by == "user:wang"
    assert [(link.document.doc_number, link.clauses) for link in first.links] == [(MEASURES, ["一/（一）"])]
    [revision] = first.revisions
    assert (revision.version, revision.action, revision.actor, revision.before) == (
        1,
        "create",
        "user:wang",
        {},
    )
    assert revision.after["title"] == "专精特新若干措施解读"
    assert revision.after["documents"] == [{"uid": "青政办发-2026-8", "clauses": ["一/（一）"]}]
    events = library.scalars(select(AuditEvent).where(AuditEvent.action == "interpretation.create")).all()
    assert [e.target_id for e in events] == ["jd-1", "jd-2"]


def test_a_chosen_slug_is_kept_and_checked(library):
    assert draft(library, uid="ZJTX-2026").uid == "zjtx-2026"
    with pytest.raises(jd.InterpretationInputError) as taken:
        draft(library, uid="zjtx-2026")
    assert "已被《专精特新若干措施解读》使用" in taken.value.problems[0]
    for bad in ("new", "中文", "a", "-x-", "a b"):
        with pytest.raises(jd.InterpretationInputError, match="网址编号"):
            draft(library, uid=bad)
    assert draft(library).uid == "jd-1"  # a slug does not take a number


def test_every_problem_is_reported_and_nothing_is_written(library):
    with pytest.raises(jd.InterpretationInputError) as error:
        draft(library, title="  ", body="\n\n", kind="视频", department="", summary="长" * 501)
    assert error.value.problems == [
        "请填写标题",
        "摘要不能超过 500 个字（现有 501 个字）",
        "请填写正文",
        "解读形式“视频”无效，应为文字解读、图解、问答之一",
        "请填写解读部门（如 青禾市工业和信息化局）",
    ]
    assert library.scalars(select(Interpretation)).all() == []


def test_documents_are_found_by_number_id_or_title(library):
    assert doc(library, MEASURES).doc_number == MEASURES
    assert doc(library, "青政办发〔2026〕8号 ").doc_number == MEASURES
    assert doc(library, "青政办发-2026-8").doc_number == MEASURES
    assert doc(library, "青政办发[2026]8号").doc_number == MEASURES
    assert doc(library, "印发关于支持专精特新企业高质量发展的若干措施的通知").doc_number == MEASURES
    assert doc(library, "科技创新券").doc_number == VOUCHERS  # a unique part of a title
    with pytest.raises(InputError, match="对应多篇文件") as many:
        doc(library, "通知")
    assert "请填写文号或完整标题" in many.value.detail
    with pytest.raises(InputError, match="没有找到文件“青政发〔2030〕1号”"):
        doc(library, "青政发〔2030〕1号")


def test_form_rows_name_the_row_of_each_problem(library):
    rows = [
        (MEASURES, "一/（一），二"),
        ("", ""),
        ("青政发〔2030〕1号", ""),
        ("青政办发-2026-8", ""),
        (VOUCHERS, "第九十九条"),
        ("", "一"),
    ]
    with pytest.raises(jd.InterpretationInputError) as error:
        jd.links_from_rows(db_session=library, rows=rows)
    problems = error.value.problems
    assert problems[0].startswith("关联文件第 3 行：没有找到文件")
    assert (
        problems[1] == "关联文件第 4 行：《印发关于支持专精特新企业高质量发展的若干措施的通知》与第 1 行重复"
    )
    assert problems[2].startswith(
        "关联文件第 5 行：《关于印发青禾市科技创新券管理办法的通知》中没有条款“第九十九条”"
    )
    assert problems[3] == "关联文件第 6 行：填写了条款，但没有填写文件"
    links = jd.links_from_rows(db_session=library, rows=[rows[0], ("", ""), (VOUCHERS, "第一章/第一条")])
    assert [(x.document.doc_number, x.clauses) for x in links] == [
        (MEASURES, ("一/（一）", "二")),
        (VOUCHERS, ("第一章/第一条",)),
    ]


def test_edit_is_one_revision_with_before_and_after(library):
    item = draft(library)
    vouchers = doc(library, VOUCHERS)
    jd.edit(
        db_session=library,
        interpretation=item,
        changes={"title": "若干措施解读（修订）", "body": item.body + "\r\n\r\n三、申报\n见申报指南。  "},
        documents=[jd.DocumentLink(vouchers), jd.DocumentLink(doc(library, MEASURES), ("二",))],
        actor="user:li",
        note="补充申报方式",
    )
    assert item.version == 2 and item.updated_by == "user:li"
    assert item.body.endswith("三、申报\n见申报指南。")
    assert [link.document.doc_number for link in item.links] == [VOUCHERS, MEASURES]
    revision = item.revisions[-1]
    assert (revision.action, revision.actor, revision.note) == ("edit", "user:li", "补充申报方式")
    assert (
        revision.before["title"] == "专精特新若干措施解读"
        and revision.after["title"] == "若干措施解读（修订）"
    )
    assert jd.changed_fields(revision) == ["title", "body", "documents"]
    assert revision.after["documents"] == [
        {"uid": "青政发-2026-11", "clauses": []},
        {"uid": "青政办发-2026-8", "clauses": ["二"]},
    ]
    unchanged = jd.edit(
        db_session=library, interpretation=item, changes={"title": " 若干措施解读（修订） "}, actor="x"
    )
    assert unchanged.version == 2  # the same values again: no revision
    with pytest.raises(InputError, match="不能修改的字段：status"):
        jd.edit(db_session=library, interpretation=item, changes={"status": "published"}, actor="x")
    with pytest.raises(jd.InterpretationInputError, match="请填写标题"):
        jd.edit(db_session=library, interpretation=item, changes={"title": ""}, actor="x")
    assert item.title == "若干措施解读（修订）"
    library.flush()
    links = library.scalars(select(InterpretationDocument).order_by(InterpretationDocument.position)).all()
    assert [(x.position, x.document_id) for x in links] == [(0, vouchers.id), (1, doc(library, MEASURES).id)]


def test_link_and_unlink_are_revisions(library):
    item = draft(library, documents=[])
    vouchers = doc(library, VOUCHERS)
    jd.link_document(
        db_session=library, interpretation=item, document=vouchers, clauses=["第一章/第一条"], actor="a"
    )
    jd.link_document(
        db_session=library, interpretation=item, document=vouchers, clauses=["第一章/第一条"], actor="a"
    )
    assert item.version == 2  # linking the same again changes nothing
    with pytest.raises(jd.InterpretationInputError, match="没有条款“九”"):
        jd.link_document(
            db_session=library, interpretation=item, document=vouchers, clauses=["九"], actor="a"
        )
    jd.unlink_document(db_session=library, interpretation=item, document=vouchers, actor="b")
    assert [r.action for r in item.revisions] == ["create", "link", "unlink"] and item.links == []
    with pytest.raises(NotFound):
        jd.unlink_document(db_session=library, interpretation=item, document=vouchers, actor="b")
    actions = library.scalars(
        select(AuditEvent.action).where(AuditEvent.target_type == "interpretation")
    ).all()
    assert actions == ["interpretation.create", "interpretation.link", "interpretation.unlink"]


def test_publish_withdraw_and_what_the_public_sees(library):
    measures = doc(library, MEASURES)
    lonely = draft(library, documents=[])
    with pytest.raises(jd.InterpretationInputError, match="发布前请至少关联一篇文件"):
        jd.publish(db_session=library, interpretation=lonely, actor="user:wang")
    item = draft(library)
    assert jd.list_interpretations(db_session=library) == (0, [])
    assert jd.for_document(db_session=library, document=measures) == []
    with pytest.raises(NotFound, match="没有找到政策解读 jd-2"):
        jd.get(db_session=library, uid="jd-2", public=True)
    jd.publish(db_session=library, interpretation=item, actor="user:wang")
    assert item.status == "published" and item.published_by == "user:wang" and item.published_at is not None
    with pytest.raises(Conflict):
        jd.publish(db_session=library, interpretation=item, actor="user:wang")
    assert jd.list_interpretations(db_session=library) == (1, [item])
    assert jd.list_interpretations(db_session=library, public=False)[0] == 2
    assert jd.for_document(db_session=library, document=measures) == [item]
    assert jd.for_document(db_session=library, document=doc(library, VOUCHERS)) == []
    with pytest.raises(Conflict, match="至少要关联一篇文件"):
        jd.unlink_document(db_session=library, interpretation=item, document=measures, actor="x")
    with pytest.raises(jd.InterpretationInputError, match="至少要关联一篇文件"):
        jd.edit(db_session=library, interpretation=item, changes={}, documents=[], actor="x")
    jd.edit(db_session=library, interpretation=item, changes={"summary": "新的摘要"}, actor="user:li")
    assert item.status == "published"  # an edit by staff keeps it public
    jd.withdraw(db_session=library, interpretation=item, actor="user:li", note="政策调整")
    assert item.status == "withdrawn" and jd.for_document(db_session=library, document=measures) == []
    with pytest.raises(Conflict):
        jd.withdraw(db_session=library, interpretation=item, actor="user:li")
    jd.publish(db_session=library, interpretation=item, actor="user:wang")
    assert [r.action for r in item.revisions] == ["create", "publish", "edit", "withdraw", "publish"]
    withdrawal = item.revisions[3]
    assert (withdrawal.before["status"], withdrawal.after["status"], withdrawal.note) == (
        "published",
        "withdrawn",
        "政策调整",
    )


def test_read_models_for_pages_and_their_twins(library):
    older = draft(library, title="较早的解读")
    newer = draft(library, title="较新的解读", kind="qa", documents=[jd.DocumentLink(doc(library, VOUCHERS))])
    hidden = draft(library, title="草稿")
    for item in (older, newer):
        jd.publish(db_session=library, interpretation=item, actor="user:wang")
    library.flush()
    page = jd.page(db_session=library, on=date(2026, 3, 20))
    assert page.total == 2 and [i.title for i in page.items] == ["较新的解读", "较早的解读"]
    assert page.items[0].kind_name == "问答" and page.items[0].url == "/interpretations/jd-2"
    assert page.items[0].documents[0].status == "未生效"  # the vouchers take effect on 2026-04-01
    assert page.items[1].documents[0].clauses == ["一/（一）"]
    assert [i.uid for i in jd.page(db_session=library, document_uid="青政发-2026-11").items] == ["jd-2"]
    assert jd.page(db_session=library, kind="qa").total == 1
    with pytest.raises(NotFound):
        jd.page(db_session=library, document_uid="nope")
    full = jd.read(db_session=library, uid="jd-1")
    assert full.body.startswith("一、背景") and full.published_on is not None
    with pytest.raises(NotFound):
        jd.read(db_session=library, uid=hidden.uid)
    refs = jd.refs_for_document(db_session=library, document=doc(library, MEASURES))
    assert [(r.uid, r.title, r.clauses, r.kind_name) for r in refs] == [
        ("jd-1", "较早的解读", ["一/（一）"], "文字解读")
    ]


def test_sample_interpretation_is_added_once(library):
    assert sample.add_to_library(library) == sample.UID
    assert sample.add_to_library(library) is None
    item = jd.get(db_session=library, uid=sample.UID, public=True)
    assert item.published_by == "demo" and [r.action for r in item.revisions] == ["create", "publish"]
    kinds = [kind for kind, _ in jd.body_blocks(item.body)]
    assert kinds.count("heading") == 4 and "subheading" in kinds and "question" in kinds
