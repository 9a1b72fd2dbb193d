"""Migrations: they build the schema the models describe, and the audit log is append-only in the database."""

from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import delete, inspect, text, update
from sqlalchemy.exc import DatabaseError

from zhengcetong.db.engine import make_engine
from zhengcetong.db.migrate import MIGRATIONS, check_drift, current, downgrade, head, revision, upgrade
from zhengcetong.library.models import AuditEvent, AuditLogIsAppendOnly
from zhengcetong.library.service import record_event

LIBRARY_TABLES = {"gazette", "document", "clause", "document_relation", "audit_event"}


def test_migrated_schema_matches_the_models(engine):
    assert current(engine) == head()
    assert check_drift(engine) == []


def test_upgrade_builds_an_empty_database_and_downgrade_removes_it(database_url):
    engine = make_engine(database_url)
    try:
        assert current(engine) is None
        upgrade(database_url)  # from a URL, as ``zct db upgrade`` does
        assert current(engine) == head()
        assert LIBRARY_TABLES <= set(inspect(engine).get_table_names())
        downgrade(engine, "base")
        assert current(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert check_drift(engine) == []
    finally:
        engine.dispose()


def test_check_drift_notices_a_model_the_migrations_lack(engine):
    from sqlalchemy import Column, Integer, Table

    from zhengcetong.db.base import Base

    extra = Table("drift_probe", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        diffs = check_drift(engine)
    finally:
        Base.metadata.remove(extra)
    assert [d[0] for d in diffs] == ["add_table"] and diffs[0][1].name == "drift_probe"


def test_revision_files_are_named_by_date():
    names = sorted(p.name for p in (MIGRATIONS / "versions").glob("*.py"))
    assert names and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}_\d{4}_[a-z0-9_]+\.py", n) for n in names), names


def test_revision_writes_a_dated_numbered_empty_revision_when_nothing_changed(engine, tmp_path):
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    path = revision(engine, "nothing new", directory=directory)
    number = int(head()) + 1
    assert re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}_{number:04d}_nothing_new\.py", path.name), path.name
    source = path.read_text()
    assert f'revision = "{number:04d}"' in source and f'down_revision = "{head()}"' in source
    assert re.search(r"def upgrade\(\) -> None:\n(\s*#.*\n)*\s*pass", source), source


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


@pytest.mark.parametrize(
    "statement",
    [update(AuditEvent).values(actor="x"), delete(AuditEvent)],
    ids=["update", "delete"],
)
def test_audit_events_cannot_be_changed_by_orm_bulk_statements(db_session, statement):
    record_event(db_session=db_session, actor="test", action="x", target_type="t", target_id="1")
    db_session.flush()
    with pytest.raises(AuditLogIsAppendOnly):
        db_session.execute(statement)
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


def test_audit_events_can_still_be_added(db_session):
    for n in range(3):
        record_event(db_session=db_session, actor="test", action="x", target_type="t", target_id=str(n))
    db_session.flush()
    assert db_session.execute(text("SELECT count(*) FROM audit_event")).scalar() == 3


def test_the_newest_revision_file_is_alembics_head_and_a_database_there_is_left_alone(tmp_path):
    """Every CLI command upgrades first; at head that is one SELECT, without loading Alembic."""
    from zhengcetong.db.engine import make_engine
    from zhengcetong.db.migrate import at_head, newest_packaged

    assert newest_packaged() == head()
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    assert not at_head(engine)
    upgrade(engine)
    assert at_head(engine) and current(engine) == head()
    upgrade(engine)  # nothing to do
    downgrade(engine, "0012")
    assert not at_head(engine)
    upgrade(engine)
    assert at_head(engine)
    engine.dispose()


def test_items_stored_before_0016_are_told_who_can_apply(database_url):
    """0016 adds policy_item.applicant and reads it from the stored condition and name: the sample
    gazette's 口袋公园 award becomes a public body's item, the others stay the enterprises'."""
    from sqlalchemy.orm import Session

    from tests.factories.ingest import ingest_file
    from zhengcetong.samples import sample_path

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            ingest_file(session, sample_path().read_bytes(), "qinghe_2026_03.txt")
            session.commit()
        engine.dispose()  # SQLite: no pooled connection may hold the table that 0016's downgrade alters
        downgrade(engine, "0015")
        upgrade(engine)
        with engine.connect() as connection:
            kinds = dict(connection.execute(text("SELECT name, applicant FROM policy_item")).all())
        assert kinds.pop("按期建成并通过验收的口袋公园奖补") == "public"
        assert kinds and set(kinds.values()) == {"unit"}
    finally:
        engine.dispose()
