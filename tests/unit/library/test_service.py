"""The library service on SQLite and PostgreSQL: idempotent ingest, stable ids, relations, validity."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories.ingest import (
    ChronicleFactory,
    ParsedDocumentFactory,
    ParsedGazetteFactory,
    content_of,
    ingest_file,
    repeal,
    table,
)
from zhengcetong.errors import InputError, NotFound
from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.library import service
from zhengcetong.library.models import AuditEvent, Clause, Document, DocumentRelation, Gazette
from zhengcetong.library.validity import validity_of
from zhengcetong.samples import SINGLE_NOTICE, sample_path


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def store(session, gazette, *, actor: str = "test:alice", content: bytes | None = None):
    """Ingest a hand-built gazette; its bytes stand in for the file."""
    return service.ingest_gazette(
        db_session=session,
        parsed=gazette,
        content=content if content is not None else content_of(gazette),
        source_name=gazette.source,
        actor=actor,
    )


def uid_of(number: str) -> str:
    return service.doc_number_slug(number)


# --- ingest from hand-built parses -------------------------------------------------------------------


def test_ingest_writes_the_gazette_its_documents_clauses_and_one_audit_event(db_session):
    notice = ParsedDocumentFactory(
        doc_number="测政发〔2024〕3号",
        title="关于印发测试市科技创新券管理办法的通知",
        attached_titles=["测试市科技创新券管理办法"],
        effective_from=date(2024, 2, 1),
        effective_until=date(2029, 1, 31),
        tables=[table()],
    )
    chronicle = ChronicleFactory()
    gazette = ParsedGazetteFactory(documents=[notice, chronicle], issue="2024年第2期")
    content = content_of(gazette)
    result = store(db_session, gazette, content=content)

    assert result.created and result.documents == 2 and result.skipped == [] and result.skipped_reason is None
    row = db_session.get(Gazette, result.gazette_id)
    assert (row.issue, row.source_name, row.size_bytes, row.ingested_by) == (
        "2024年第2期",
        gazette.source,
        len(content),
        "test:alice",
    )
    assert row.content_sha256 == service.content_hash(content) and len(row.content_sha256) == 64
    assert [t["doc_number"] for t in row.toc] == ["测政发〔2024〕3号", None]
    assert row.findings == [{"level": "info", "code": "toc.ok", "message": "目录与正文一致", "line": None}]

    document = service.get_document(db_session=db_session, uid="测政发-2024-3")
    assert document.gazette_id == row.id and document.position == 0
    assert (document.effective_from, document.effective_until) == (date(2024, 2, 1), date(2029, 1, 31))
    assert document.attached_titles == ["测试市科技创新券管理办法"] and document.body == notice.body
    assert document.tables[0]["rows"] == [["首次认定", "20"], ["重新认定", "10"]]
    assert (document.line_start, document.line_end) == (notice.line_start, notice.line_end)

    clauses = document.clauses
    assert [c.path for c in clauses] == [c.path for c in notice.all_clauses()]  # flattened in reading order
    assert [c.position for c in clauses] == list(range(len(clauses)))
    by_path = {c.path: c for c in clauses}
    assert by_path["第二条/（二）/1"].parent_id == by_path["第二条/（二）"].id
    assert by_path["第二条/（二）"].parent_id == by_path["第二条"].id and by_path["第二条"].parent_id is None
    assert [by_path[p].depth for p in ("第二条", "第二条/（二）", "第二条/（二）/1")] == [0, 1, 2]
    assert all(document.body[c.start : c.end] == c.text for c in clauses)

    (event,) = db_session.scalars(select(AuditEvent)).all()
    assert (event.actor, event.action, event.target_type, event.target_id) == (
        "test:alice",
        "gazette.ingest",
        "gazette",
        str(row.id),
    )
    assert event.data["documents"] == ["测政发-2024-3", service.document_uid(chronicle)]
    assert event.data["sha256"] == row.content_sha256


def test_the_same_bytes_again_write_nothing(db_session):
    gazette = ParsedGazetteFactory(documents=[ParsedDocumentFactory(), ParsedDocumentFactory()])
    first = store(db_session, gazette)
    tables = (Gazette, Document, Clause, DocumentRelation, AuditEvent)
    before = [count(db_session, t) for t in tables]
    renamed = dataclasses.replace(gazette, source="renamed.txt")
    again = store(db_session, renamed, actor="test:bob", content=content_of(gazette))
    assert not again.created and again.gazette_id == first.gazette_id and again.documents == 0
    assert gazette.source in again.skipped_reason
    assert [count(db_session, t) for t in tables] == before


def test_a_document_already_stored_from_another_file_is_skipped(db_session):
    shared = ParsedDocumentFactory(doc_number="测政办发〔2024〕7号")
    store(db_session, ParsedGazetteFactory(documents=[shared]))
    other = ParsedGazetteFactory(documents=[dataclasses.replace(shared), ParsedDocumentFactory()])
    result = store(db_session, other)
    assert result.created and result.documents == 1 and result.skipped == ["测政办发-2024-7"]
    assert "1 篇" in result.skipped_reason
    assert count(db_session, Gazette) == 2 and count(db_session, Document) == 2
    assert db_session.scalar(select(func.count()).where(Document.uid == "测政办发-2024-7")) == 1
    (_, event) = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert event.data["skipped"] == ["测政办发-2024-7"]


def test_a_document_printed_twice_in_one_file_is_stored_once(db_session):
    twice = ParsedDocumentFactory()
    result = store(db_session, ParsedGazetteFactory(documents=[twice, dataclasses.replace(twice)]))
    assert result.documents == 1 and result.skipped == [service.document_uid(twice)]
    assert result.skipped_reason == "1 篇在本文件中重复出现，未重复写入"


def test_uids_depend_on_the_document_not_the_file():
    notice = ParsedDocumentFactory(doc_number="聊政发〔2023〕3号")
    assert service.document_uid(notice) == "聊政发-2023-3"
    assert service.document_uid(dataclasses.replace(notice, body="另一份文件里的同一篇")) == "聊政发-2023-3"
    entry = ChronicleFactory(title="3月份政务大事记", date=date(2023, 4, 1))
    uid = service.document_uid(entry)
    assert uid.startswith("dsj-") and len(uid) == 16
    assert service.document_uid(dataclasses.replace(entry, body="重新排版", line_start=99)) == uid
    assert service.document_uid(dataclasses.replace(entry, date=date(2023, 4, 2))) != uid
    untitled = ParsedDocumentFactory(doc_number=None, kind="other")
    assert service.document_uid(untitled).startswith("doc-")


def test_relations_take_effect_with_the_repealing_document_unless_told(db_session):
    repealer = ParsedDocumentFactory(
        date=date(2024, 1, 15),
        effective_from=date(2024, 3, 1),
        repeals=[
            repeal("测政发〔2019〕2号"),
            repeal("《测试市旧办法》", action="amend"),
            repeal("测政发〔2018〕9号", effective_on="2024-06-30"),
        ],
    )
    dated_only = ParsedDocumentFactory(date=date(2024, 1, 20), repeals=[repeal("测政发〔2017〕1号")])
    store(db_session, ParsedGazetteFactory(documents=[repealer, dated_only]))
    rows = db_session.scalars(select(DocumentRelation).order_by(DocumentRelation.id)).all()
    assert [(r.target_doc_number, r.target_title, r.action, r.effective_on) for r in rows] == [
        ("测政发〔2019〕2号", None, "repeal", date(2024, 3, 1)),
        (None, "测试市旧办法", "amend", date(2024, 3, 1)),
        ("测政发〔2018〕9号", None, "repeal", date(2024, 6, 30)),
        ("测政发〔2017〕1号", None, "repeal", date(2024, 1, 20)),
    ]
    assert rows[0].quote == "测政发〔2019〕2号同时废止。" and all(r.target_document_id is None for r in rows)


def test_an_unknown_relation_action_is_refused_with_the_document_named(db_session):
    bad = ParsedDocumentFactory(title="坏关系", repeals=[repeal("测政发〔2019〕2号", action="suspend")])
    with pytest.raises(InputError, match="坏关系.*repeal"):
        store(db_session, ParsedGazetteFactory(documents=[bad]))
    db_session.rollback()


OLD = dict(doc_number="测政发〔2019〕2号", title="关于印发测试市人才补贴办法的通知", date=date(2019, 3, 1))


@pytest.mark.parametrize("order", ["target-first", "target-later"])
def test_repeal_by_number_is_resolved_in_either_arrival_order(db_session, order):
    old = ParsedGazetteFactory(documents=[ParsedDocumentFactory(**OLD)])
    new = ParsedGazetteFactory(
        documents=[ParsedDocumentFactory(date=date(2024, 1, 15), repeals=[repeal("测政发〔2019〕2号")])]
    )
    for gazette in (old, new) if order == "target-first" else (new, old):
        store(db_session, gazette)
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    target = service.get_document(db_session=db_session, uid="测政发-2019-2")
    assert relation.target_document_id == target.id
    status = validity_of
    assert status(db_session=db_session, document=target, on=date(2024, 1, 14)) == "现行有效"
    assert status(db_session=db_session, document=target, on=date(2024, 1, 15)) == "已废止"


@pytest.mark.parametrize("order", ["target-first", "target-later"])
def test_amendment_by_title_is_resolved_in_either_arrival_order(db_session, order):
    old = ParsedGazetteFactory(documents=[ParsedDocumentFactory(**OLD)])
    new = ParsedGazetteFactory(
        documents=[
            ParsedDocumentFactory(
                date=date(2024, 1, 15), repeals=[repeal("《测试市人才补贴办法》", action="amend")]
            )
        ]
    )
    for gazette in (old, new) if order == "target-first" else (new, old):
        store(db_session, gazette)
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    target = service.get_document(db_session=db_session, uid="测政发-2019-2")
    assert relation.target_document_id == target.id and relation.target_title == "测试市人才补贴办法"
    assert validity_of(db_session=db_session, document=target, on=date(2024, 2, 1)) == "已修改"


def test_a_new_version_with_the_same_title_repeals_the_old_one_not_itself(db_session):
    title = "关于印发测试市人才补贴办法的通知"
    store(db_session, ParsedGazetteFactory(documents=[ParsedDocumentFactory(**OLD)]))
    newer = ParsedDocumentFactory(
        title=title, date=date(2024, 1, 15), repeals=[repeal("《测试市人才补贴办法》")]
    )
    store(db_session, ParsedGazetteFactory(documents=[newer]))
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    assert relation.target_document_id == service.get_document(db_session=db_session, uid="测政发-2019-2").id


def test_a_title_repeal_never_reaches_a_later_document(db_session):
    """An old notice that repealed 《测试市人才补贴办法》 must not repeal the version issued after it."""
    older_repealer = ParsedDocumentFactory(date=date(2018, 6, 1), repeals=[repeal("《测试市人才补贴办法》")])
    store(db_session, ParsedGazetteFactory(documents=[older_repealer]))
    store(db_session, ParsedGazetteFactory(documents=[ParsedDocumentFactory(**OLD)]))
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    assert relation.target_document_id is None
    target = service.get_document(db_session=db_session, uid="测政发-2019-2")
    assert validity_of(db_session=db_session, document=target, on=date(2024, 1, 1)) == "现行有效"


def test_a_title_match_with_another_number_is_not_taken_for_the_target(db_session):
    store(db_session, ParsedGazetteFactory(documents=[ParsedDocumentFactory(**OLD)]))
    cites_other_number = ParsedDocumentFactory(
        date=date(2024, 1, 15),
        repeals=[repeal("测政发〔2015〕8号", doc_number="测政发〔2015〕8号", title="测试市人才补贴办法")],
    )
    store(db_session, ParsedGazetteFactory(documents=[cites_other_number]))
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    assert relation.target_document_id is None


def test_a_relation_matched_by_title_moves_to_the_cited_number_when_it_arrives(db_session):
    unnumbered = dict(OLD, doc_number=None, date=date(2015, 1, 1))
    store(db_session, ParsedGazetteFactory(documents=[ParsedDocumentFactory(**unnumbered)]))
    cites = ParsedDocumentFactory(
        date=date(2024, 1, 15),
        repeals=[repeal("测政发〔2015〕8号", doc_number="测政发〔2015〕8号", title="测试市人才补贴办法")],
    )
    store(db_session, ParsedGazetteFactory(documents=[cites]))
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    first = db_session.get(Document, relation.target_document_id)
    assert first is not None and first.doc_number is None  # the best the library had
    numbered = dict(OLD, doc_number="测政发〔2015〕8号", date=date(2015, 6, 1))
    store(db_session, ParsedGazetteFactory(documents=[ParsedDocumentFactory(**numbered)]))
    db_session.refresh(relation)
    assert relation.target_document_id == service.get_document(db_session=db_session, uid="测政发-2015-8").id


# --- reading ------------------------------------------------------------------------------------------


@pytest.fixture
def library(db_session):
    """Four documents with different terms; one repealed, one amended."""
    docs = [
        ParsedDocumentFactory(doc_number="测政发〔2020〕1号", title="旧办法", date=date(2020, 1, 1)),
        ParsedDocumentFactory(
            doc_number="测政发〔2022〕5号",
            title="限期办法",
            issuer="测试市财政局",
            date=date(2022, 5, 1),
            effective_from=date(2022, 6, 1),
            effective_until=date(2024, 5, 31),
        ),
        ParsedDocumentFactory(
            doc_number="测政发〔2024〕2号",
            title="新办法（100%补贴）",
            date=date(2024, 2, 1),
            effective_from=date(2024, 3, 1),
            repeals=[repeal("测政发〔2020〕1号"), repeal("测政发〔2023〕9号", action="amend")],
        ),
        ParsedDocumentFactory(doc_number="测政发〔2023〕9号", title="被修改的办法", date=date(2023, 9, 1)),
        ChronicleFactory(title="1月份政务大事记", date=date(2024, 2, 5)),
    ]
    store(db_session, ParsedGazetteFactory(documents=docs))
    return db_session


def statuses(session, on, **filters):
    total, docs = service.list_documents(db_session=session, valid_on=on, **filters)
    assert total == len(docs)
    return {d.uid: d.status for d in docs}


def test_list_documents_shows_each_status_on_the_date(library):
    assert statuses(library, date(2024, 2, 10)) == {
        "测政发-2020-1": "现行有效",
        "测政发-2022-5": "现行有效",
        "测政发-2024-2": "未生效",
        "测政发-2023-9": "现行有效",
        service.document_uid(
            ChronicleFactory.build(title="1月份政务大事记", date=date(2024, 2, 5))
        ): "现行有效",
    }
    later = statuses(library, date(2024, 6, 1))
    assert later["测政发-2020-1"] == "已废止" and later["测政发-2022-5"] == "已失效"
    assert later["测政发-2024-2"] == "现行有效" and later["测政发-2023-9"] == "已修改"


def test_only_valid_keeps_documents_in_force_or_amended(library):
    assert set(statuses(library, date(2024, 6, 1), only_valid=True)) == {
        "测政发-2024-2",
        "测政发-2023-9",
        *[u for u in statuses(library, date(2024, 6, 1)) if u.startswith("dsj-")],
    }


@pytest.mark.parametrize(
    "on",
    [
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2022, 6, 1),
        date(2024, 2, 29),
        date(2024, 3, 1),
        date(2030, 1, 1),
    ],
)
def test_the_sql_filter_agrees_with_status_on(library, on):
    everything = statuses(library, on)
    valid = statuses(library, on, only_valid=True)
    assert set(valid) == {uid for uid, status in everything.items() if status in ("现行有效", "已修改")}
    for document in library.scalars(select(Document)):
        assert everything[document.uid] == validity_of(db_session=library, document=document, on=on)


def test_list_documents_filters_and_pages(library):
    on = date(2024, 6, 1)
    assert set(statuses(library, on, issuer="测试市财政局")) == {"测政发-2022-5"}
    assert set(statuses(library, on, kind="chronicle")) == {
        u for u in statuses(library, on) if u.startswith("dsj-")
    }
    assert set(statuses(library, on, q="2020")) == {"测政发-2020-1"}
    assert set(statuses(library, on, q="100%")) == {"测政发-2024-2"}  # % is a character, not a wildcard
    assert statuses(library, on, q="%") == {"测政发-2024-2": "现行有效"}
    total, first = service.list_documents(db_session=library, valid_on=on, limit=2)
    _, rest = service.list_documents(db_session=library, valid_on=on, limit=10, offset=2)
    assert total == 5 and len(first) == 2 and len(rest) == 3
    ordered = [d.date for d in first + rest]
    assert ordered == sorted(ordered, reverse=True)  # newest first
    assert {d.uid for d in first} | {d.uid for d in rest} == set(statuses(library, on))
    assert all(d.status_on == on for d in first)


def test_get_document_raises_not_found_in_chinese(library):
    with pytest.raises(NotFound) as caught:
        service.get_document(db_session=library, uid="测政发-1999-1")
    assert "没有找到文件 测政发-1999-1" in str(caught.value) and "not found" not in str(caught.value)


def test_clause_tree_is_rebuilt_from_flat_rows(library):
    document = service.get_document(db_session=library, uid="测政发-2020-1")
    tree = service.get_clause_tree(db_session=library, document_id=document.id)
    assert [c.path for c in tree] == ["第一条", "第二条", "第三条"]
    assert [c.path for c in tree[1].children] == ["第二条/（一）", "第二条/（二）"]
    assert [c.label for c in tree[1].children[1].children] == ["1."]
    assert tree[0].text == "第一条 为规范管理，制定本办法。"


def test_read_document_shows_relations_both_ways(library):
    old = service.read_document(db_session=library, uid="测政发-2020-1", on=date(2024, 6, 1))
    assert old.status == "已废止"
    assert [(r.source_uid, r.action, r.effective_on) for r in old.repealed_by] == [
        ("测政发-2024-2", "repeal", date(2024, 3, 1))
    ]
    new = service.read_document(db_session=library, uid="测政发-2024-2", on=date(2024, 6, 1))
    assert [(r.target_uid, r.action) for r in new.repeals] == [
        ("测政发-2020-1", "repeal"),
        ("测政发-2023-9", "amend"),
    ]


def test_list_gazettes_counts_documents(library):
    store(library, ParsedGazetteFactory(documents=[ParsedDocumentFactory(doc_number="测政发〔2020〕1号")]))
    newest, first = service.list_gazettes(db_session=library)
    assert (newest.documents, first.documents) == (0, 5)
    assert first.id < newest.id and first.size_bytes > 0


def test_record_event_appends_with_empty_data_by_default(db_session):
    event = service.record_event(
        db_session=db_session, actor="cli:root", action="document.view", target_type="document", target_id=7
    )
    db_session.flush()
    assert event.id is not None and event.data == {} and event.target_id == "7"


# --- transactions -------------------------------------------------------------------------------------


def test_the_service_never_commits(db_session):
    store(db_session, ParsedGazetteFactory())
    assert count(db_session, Gazette) == 1
    db_session.rollback()  # undoes everything the service wrote
    assert count(db_session, Gazette) == 0 and count(db_session, AuditEvent) == 0


def test_a_failure_half_way_leaves_nothing(engine):
    from zhengcetong.db.engine import session_scope

    good = ParsedDocumentFactory()
    bad = ParsedDocumentFactory(repeals=[repeal("测政发〔2019〕2号", action="suspend")])
    with pytest.raises(InputError), session_scope(engine) as session:
        store(session, ParsedGazetteFactory())  # a whole gazette, fine
        store(session, ParsedGazetteFactory(documents=[good, bad]))  # fails at its second document
    with session_scope(engine) as session:
        assert [count(session, t) for t in (Gazette, Document, Clause, DocumentRelation, AuditEvent)] == [
            0
        ] * 5


# --- with the parser and the sample gazette (zhengcetong/samples) -----------------------------------

OLD_VOUCHERS = "\n".join(
    [
        "青禾市人民政府办公室文件",
        "青政办发〔2021〕5号",
        "青禾市人民政府办公室 关于印发青禾市科技创新券管理办法的通知",
        "各县（市、区）人民政府，市政府各部门：",
        "现将《青禾市科技创新券管理办法》印发给你们，请认真贯彻执行。",
        "青禾市人民政府办公室",
        "2021年3月1日",
        "青禾市科技创新券管理办法",
        "第一条 为支持企业购买科技服务，制定本办法。",
        "第二条 本办法自2021年4月1日起施行，有效期至2031年3月31日。",
    ]
).encode()


def sample_bytes() -> bytes:
    return sample_path().read_bytes()


def ingest(session, data: bytes, name: str = "sample.txt"):
    return ingest_file(session, data, name, actor="test:alice", items=False)


def test_ingest_stores_documents_clauses_and_an_audit_event(db_session):
    result = ingest(db_session, sample_bytes())
    assert result.created and result.documents == 9 and result.skipped == []
    assert count(db_session, Gazette) == 1 and count(db_session, Document) == 9
    doc = service.get_document(db_session=db_session, uid="青政发-2026-11")
    assert doc.title == "关于印发青禾市科技创新券管理办法的通知"
    assert doc.effective_from == date(2026, 4, 1)
    paths = [c.path for c in doc.clauses]
    assert "第二章/第五条/（三）" in paths
    nested = db_session.scalar(
        select(Clause).where(Clause.document_id == doc.id, Clause.path == "第二章/第五条/（三）")
    )
    assert nested.parent.path == "第二章/第五条" and nested.depth == 2
    (event,) = db_session.scalars(select(AuditEvent)).all()
    assert (
        event.actor == "test:alice" and event.action == "gazette.ingest" and len(event.data["documents"]) == 9
    )


def test_reingesting_the_same_bytes_changes_nothing(db_session):
    first = ingest(db_session, sample_bytes())
    before = (count(db_session, Document), count(db_session, Clause), count(db_session, AuditEvent))
    again = ingest(db_session, sample_bytes(), "renamed.txt")
    assert not again.created and again.gazette_id == first.gazette_id and again.documents == 0
    assert (count(db_session, Document), count(db_session, Clause), count(db_session, AuditEvent)) == before


def test_same_documents_from_another_file_are_not_duplicated(db_session):
    ingest(db_session, sample_bytes())
    edited = sample_bytes() + b"\n\n"  # different bytes, same documents
    result = ingest(db_session, edited, "copy.txt")
    assert result.created and result.documents == 0 and len(result.skipped) == 9
    assert count(db_session, Document) == 9


def test_uids_are_stable_across_ingests(db_session):
    ingest(db_session, sample_bytes())
    uids = sorted(db_session.scalars(select(Document.uid)))
    parsed = parse_bytes(sample_bytes(), "x")
    assert sorted(service.document_uid(d) for d in parsed.documents) == uids
    assert "青政任-2026-4" in uids and any(u.startswith("dsj-") for u in uids)


@pytest.mark.parametrize("order", ["old-first", "new-first"])
def test_repeal_relation_resolves_in_either_order_and_sets_status(db_session, order):
    files = [(OLD_VOUCHERS, "old.txt"), (sample_bytes(), "sample.txt")]
    for data, name in files if order == "old-first" else files[::-1]:
        ingest(db_session, data, name)
    (relation,) = db_session.scalars(
        select(DocumentRelation).where(DocumentRelation.target_doc_number == "青政办发〔2021〕5号")
    ).all()
    old = service.get_document(db_session=db_session, uid="青政办发-2021-5")
    assert relation.target_document_id == old.id and relation.action == "repeal"
    assert relation.effective_on == date(2026, 4, 1)
    status = validity_of
    assert status(db_session=db_session, document=old, on=date(2026, 3, 1)) == "现行有效"
    assert status(db_session=db_session, document=old, on=date(2026, 4, 1)) == "已废止"
    assert status(db_session=db_session, document=old, on=date(2021, 3, 20)) == "未生效"


def test_list_documents_with_status_on_a_date(db_session):
    ingest(db_session, sample_bytes())
    ingest(db_session, sample_path(SINGLE_NOTICE).read_bytes(), "single.txt")
    total, docs = service.list_documents(db_session=db_session, valid_on=date(2026, 3, 20))
    by_uid = {d.uid: d.status for d in docs}
    assert total == 10
    assert by_uid["青政发-2026-11"] == "未生效"  # in force from 2026-04-01
    assert by_uid["青政办字-2026-18"] == "现行有效"
    _, later = service.list_documents(db_session=db_session, valid_on=date(2026, 7, 1))
    assert {d.uid: d.status for d in later}["青政办字-2026-18"] == "已失效"
    total_valid, valid = service.list_documents(
        db_session=db_session, valid_on=date(2026, 7, 1), only_valid=True
    )
    assert "青政办字-2026-18" not in {d.uid for d in valid} and total_valid == 9
    _, appointments = service.list_documents(db_session=db_session, kind="appointment")
    assert {d.uid for d in appointments} == {"青政任-2026-3", "青政任-2026-4"}


def test_read_document_and_clause_tree(db_session):
    ingest(db_session, sample_bytes())
    doc = service.read_document(db_session=db_session, uid="青政办发-2026-8", on=date(2026, 3, 1))
    assert doc.addressees == ["各县（市、区）人民政府，青禾高新区管委会", "市政府各部门、直属机构"]
    assert [c.path for c in doc.clauses][:2] == ["¶1", "¶2"]
    part = next(c for c in doc.clauses if c.path == "一")
    assert [c.path for c in part.children] == ["一/（一）", "一/（二）"]
    assert doc.body[part.children[0].start : part.children[0].end] == part.children[0].text
    with pytest.raises(NotFound):
        service.read_document(db_session=db_session, uid="青政发-1999-1")


def test_a_failure_inside_the_transaction_leaves_nothing_with_the_sample(engine):
    from zhengcetong.db.engine import session_scope

    with pytest.raises(RuntimeError), session_scope(engine) as session:
        ingest(session, sample_bytes())
        raise RuntimeError("crash half-way")
    with session_scope(engine) as session:
        assert (
            count(session, Document) == 0 and count(session, Gazette) == 0 and count(session, AuditEvent) == 0
        )


def test_the_title_filter_ignores_ascii_case_on_every_engine(db_session):
    app = ParsedDocumentFactory(title="关于支持工业互联网APP发展的通知", date=date(2024, 1, 15))
    store(db_session, ParsedGazetteFactory(documents=[app, ParsedDocumentFactory()]))
    for q in ("APP", "app", "App", "互联网app"):
        total, found = service.list_documents(db_session=db_session, valid_on=date(2024, 2, 1), q=q)
        assert (total, [d.title for d in found]) == (1, [app.title]), q
