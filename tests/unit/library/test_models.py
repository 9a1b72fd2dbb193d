"""The library's tables on SQLite and PostgreSQL: constraints, cascades, portable types."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, StatementError

from tests.factories.library import ClauseFactory, DocumentFactory, DocumentRelationFactory, GazetteFactory
from zhengcetong.library.models import AuditEvent, Clause, Document, DocumentRelation, Gazette


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_document_uid_is_unique(db_session):
    DocumentFactory(uid="模政发-2024-1", doc_number="模政发〔2024〕1号")
    with pytest.raises(IntegrityError):
        DocumentFactory(uid="模政发-2024-1", doc_number="模政发〔2024〕1号")
    db_session.rollback()


def test_gazette_content_hash_is_unique(db_session):
    GazetteFactory(content_sha256="a" * 64)
    with pytest.raises(IntegrityError):
        GazetteFactory(content_sha256="a" * 64)
    db_session.rollback()


def test_clause_path_is_unique_within_a_document_only(db_session):
    first, second = DocumentFactory(), DocumentFactory()
    ClauseFactory(document=first, path="第一条")
    ClauseFactory(document=second, path="第一条")  # same path, other document: fine
    with pytest.raises(IntegrityError):
        ClauseFactory(document=first, path="第一条")
    db_session.rollback()


def test_clause_tree_links_parents_and_documents(db_session):
    document = DocumentFactory()
    article = ClauseFactory(document=document, path="第二条", position=0)
    item = ClauseFactory(document=document, path="第二条/（一）", parent=article, depth=1, position=1)
    db_session.expire_all()
    stored = db_session.get(Document, document.id)
    assert [c.path for c in stored.clauses] == ["第二条", "第二条/（一）"]
    assert db_session.get(Clause, item.id).parent.path == "第二条"


def test_deleting_a_document_in_the_database_deletes_its_clauses_and_unlinks_relations(db_session):
    old, new = DocumentFactory(), DocumentFactory()
    ClauseFactory(document=old)
    relation = DocumentRelationFactory(source=new, target_document_id=old.id)
    old_id, relation_id = old.id, relation.id
    db_session.execute(
        delete(Document).where(Document.id == old_id).execution_options(synchronize_session=False)
    )
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).where(Clause.document_id == old_id)) == 0
    assert db_session.get(DocumentRelation, relation_id).target_document_id is None


def test_a_gazette_with_documents_cannot_be_deleted(db_session):
    document = DocumentFactory()
    with pytest.raises(IntegrityError):
        db_session.execute(
            delete(Gazette)
            .where(Gazette.id == document.gazette_id)
            .execution_options(synchronize_session=False)
        )
    db_session.rollback()


def test_json_columns_keep_chinese_text_and_nesting(db_session):
    tables = [{"caption": "补助标准", "header": ["类别", "金额"], "rows": [["首次认定", "20万元"]]}]
    document = DocumentFactory(
        addressees=["各县（市、区）人民政府"], tables=tables, attached_titles=["管理办法"]
    )
    db_session.expire_all()
    stored = db_session.get(Document, document.id)
    assert stored.tables == tables and stored.addressees == ["各县（市、区）人民政府"]
    assert stored.attached_titles == ["管理办法"]


def test_datetimes_come_back_aware_in_utc(db_session):
    beijing = timezone(timedelta(hours=8))
    gazette = GazetteFactory(ingested_at=datetime(2026, 3, 1, 8, 30, tzinfo=beijing))
    db_session.expire_all()
    stored = db_session.get(Gazette, gazette.id)
    assert stored.ingested_at == datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    assert stored.ingested_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(db_session):
    with pytest.raises(StatementError, match="naive datetime"):
        GazetteFactory(ingested_at=datetime(2026, 3, 1, 8, 30))
    db_session.rollback()


def test_defaults_fill_timestamps_and_empty_json(db_session):
    event = AuditEvent(actor="system", action="x", target_type="t", target_id="1")
    db_session.add(event)
    db_session.flush()
    db_session.expire_all()
    stored = db_session.get(AuditEvent, event.id)
    assert stored.data == {} and stored.at.tzinfo is not None
    assert abs(stored.at - datetime.now(UTC)) < timedelta(minutes=5)


def test_documents_of_a_gazette_are_in_reading_order(db_session):
    gazette = GazetteFactory()
    for position in (2, 0, 1):
        DocumentFactory(gazette=gazette, position=position, title=f"文件{position}")
    db_session.expire_all()
    assert [d.title for d in db_session.get(Gazette, gazette.id).documents] == ["文件0", "文件1", "文件2"]
    assert count(db_session, Document) == 3 and DocumentFactory._meta.model is Document
    assert date(2024, 1, 15) == db_session.get(Gazette, gazette.id).documents[0].date
