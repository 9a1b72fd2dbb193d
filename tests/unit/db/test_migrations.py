"""Migrations: they build the schema the models describe, and the audit log is append-only in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from zhengcetong.db.migrate import check_drift, current, head
from zhengcetong.library.models import AuditEvent, AuditLogIsAppendOnly
from zhengcetong.library.service import record_event


def test_migrated_schema_matches_the_models(engine):
    assert current(engine) == head()
    assert check_drift(engine) == []


def test_audit_events_cannot_be_changed_through_the_orm(db_session):
    event = record_event(db_session=db_session, actor="test", action="x", target_type="t", target_id="1")
    db_session.flush()
    event.actor = "someone else"
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()


def test_audit_events_cannot_be_deleted_through_the_orm(db_session):
    event = record_event(db_session=db_session, actor="test", action="x", target_type="t", target_id="1")
    db_session.flush()
    db_session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.flush()
    db_session.rollback()


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"])
def test_audit_events_cannot_be_changed_with_raw_sql(engine, statement):
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(
            AuditEvent.__table__.insert().values(
                actor="a", action="b", target_type="c", target_id="d", data={}
            )
        )
        with pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text(statement))
        transaction.rollback()
