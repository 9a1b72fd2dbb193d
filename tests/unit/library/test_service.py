"""The library service on SQLite and PostgreSQL: idempotent ingest, stable ids, relations, validity."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from zhengcetong.errors import NotFound
from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.library import service
from zhengcetong.library.models import AuditEvent, Clause, Document, DocumentRelation, Gazette
from zhengcetong.samples import SINGLE_NOTICE, sample_path

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
    return service.ingest_gazette(
        db_session=session, parsed=parse_bytes(data, name), content=data, source_name=name, actor="test:alice"
    )


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


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
    (relation,) = db_session.scalars(select(DocumentRelation)).all()
    old = service.get_document(db_session=db_session, uid="青政办发-2021-5")
    assert relation.target_document_id == old.id and relation.action == "repeal"
    assert relation.effective_on == date(2026, 4, 1)
    status = service.document_status
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


def test_a_failure_inside_the_transaction_leaves_nothing(engine):
    from zhengcetong.db.engine import session_scope

    with pytest.raises(RuntimeError), session_scope(engine) as session:
        ingest(session, sample_bytes())
        raise RuntimeError("crash half-way")
    with session_scope(engine) as session:
        assert (
            count(session, Document) == 0 and count(session, Gazette) == 0 and count(session, AuditEvent) == 0
        )
