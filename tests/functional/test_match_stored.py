"""Stored matches (EnterpriseMatch) follow the items and the profiles: only the affected pairs are recomputed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select

from tests.functional.match_helpers import document
from zhengcetong.library import items as policy_items
from zhengcetong.library.models import PolicyItem
from zhengcetong.match import batch, matching
from zhengcetong.match.models import Enterprise, EnterpriseMatch
from zhengcetong.match.service import RULES

GIANT = {"name": "专精特新“小巨人”企业", "level": "national", "year": 2025, "first_time": True}


def _ingest_drafts(db_session):
    from tests.functional.match_helpers import library

    library(db_session, seeds=False)  # publishes everything; the test withdraws and republishes


def _enterprise(db_session, code_seed: int, **fields) -> Enterprise:
    from zhengcetong.match.enterprise import credit_code_check_char

    first = f"9137150{code_seed:010d}"
    code = first + credit_code_check_char(first)
    doc = document(credit_code=code, **fields)
    row = Enterprise(
        credit_code=code, name=doc["name"], profile=doc, provenance={}, version=1, updated_by="test"
    )
    db_session.add(row)
    return row


def _spy(monkeypatch):
    calls = []
    real = matching._refresh

    def spy(db_session, enterprises, catalog, on):
        calls.append(({e.id for e in enterprises}, {e.item.id for e in catalog.items}))
        return real(db_session, enterprises, catalog, on)

    monkeypatch.setattr(matching, "_refresh", spy)
    real_run = batch.run

    def run_spy(*, db_session, on=None, sink, chunk=batch.CHUNK, catalog=None):  # items: set-based
        seen: set[int] = set()

        def tap(rows, result):
            seen.update(row[0] for row in rows)
            sink(rows, result)

        report = real_run(db_session=db_session, on=on, sink=tap, chunk=chunk, catalog=catalog)
        calls.append((seen, {e.item.id for e in catalog.items}))
        return report

    monkeypatch.setattr(batch, "run", run_spy)
    return calls


@pytest.fixture
def own_session(database_url):
    """A session on a database of its own: this test commits for real (the hooks run at commit), and on
    SQLite the search index sync that item edits trigger would end the shared fixture's outer transaction."""
    from sqlalchemy.orm import Session

    from zhengcetong.db.engine import make_engine
    from zhengcetong.db.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def test_publishing_and_profiles_recompute_only_their_pairs(own_session, monkeypatch):
    db_session = own_session
    _ingest_drafts(db_session)
    db_session.commit()
    a = _enterprise(db_session, 1, recognitions=[GIANT])
    b = _enterprise(db_session, 2, recognitions=[])
    db_session.commit()  # new enterprises: their rows are computed
    rows = {(m.enterprise_id, m.item_id): m for m in db_session.scalars(select(EnterpriseMatch))}
    giant = db_session.scalar(select(PolicyItem).where(PolicyItem.name.contains("小巨人")))
    assert rows[(a.id, giant.id)].result == "eligible"
    assert (
        rows[(a.id, giant.id)].estimated_amount_yuan == 500000 and rows[(a.id, giant.id)].profile_version == 1
    )
    assert (b.id, giant.id) not in rows  # ineligible pairs are not stored

    calls = _spy(monkeypatch)
    policy_items.edit_item(
        db_session=db_session,
        item=giant,
        changes={"amount_max_yuan": "600000"},
        actor="test",
        rules=RULES,
    )
    db_session.commit()  # edited: back to draft, no longer public → its rows go
    assert calls == [] or all(items <= {giant.id} for _, items in calls)
    assert db_session.scalar(select(EnterpriseMatch).where(EnterpriseMatch.item_id == giant.id)) is None

    calls.clear()
    policy_items.publish_items(db_session=db_session, items=[giant], actor="test")
    db_session.commit()
    assert calls == [({a.id, b.id}, {giant.id})]  # only the published item's pairs
    row = db_session.get(EnterpriseMatch, (a.id, giant.id))
    assert row.item_version == giant.version and row.estimated_amount_yuan == 600000

    calls.clear()
    b.profile = document(credit_code=b.credit_code, recognitions=[GIANT])
    b.version += 1
    db_session.commit()
    public = {e.item.id for e in matching.public_catalog(db_session=db_session).items}
    assert calls == [({b.id}, public)]  # only that enterprise's rows
    assert db_session.get(EnterpriseMatch, (b.id, giant.id)).profile_version == 2

    calls.clear()
    b.updated_by = "someone"  # not a profile change
    db_session.commit()
    assert calls == []


def test_an_import_stores_the_matches_of_the_profiles_it_changed(database_url, tmp_path, monkeypatch, capsys):
    from tests.functional.conftest import build_published
    from tests.unit.cli.test_cli import run
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.match.models import Enterprise

    build_published(database_url)
    first = tmp_path / "first.jsonl"
    first.write_text(
        "\n".join(
            json.dumps(document(credit_code=code, recognitions=[GIANT]), ensure_ascii=False)
            for code in ("91330100799655058B", "91350100M000100Y43")
        ),
        encoding="utf-8",
    )
    code, out, err = run(monkeypatch, capsys, "profiles", "import", str(first))
    assert code == 0, err
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        imported = {m.enterprise_id: m for m in session.scalars(select(EnterpriseMatch))}
        assert {e.id for e in session.scalars(select(Enterprise))} == set(imported)
        rows = {
            (m.enterprise_id, m.item_id): (m.result, m.estimated_amount_yuan)
            for m in session.scalars(select(EnterpriseMatch))
        }
        ids = [e.id for e in session.scalars(select(Enterprise))]
        session.execute(delete(EnterpriseMatch))
        matching.refresh_for_enterprises(db_session=session, enterprise_ids=ids)
        session.flush()
        again = {
            (m.enterprise_id, m.item_id): (m.result, m.estimated_amount_yuan)
            for m in session.scalars(select(EnterpriseMatch))
        }
        assert rows == again and any(r == ("eligible", 500000) for r in rows.values())
    second = tmp_path / "second.jsonl"
    second.write_text(
        json.dumps(document(credit_code="91440300708461136T"), ensure_ascii=False), encoding="utf-8"
    )
    code, out, err = run(monkeypatch, capsys, "profiles", "import", str(second), "--no-match")
    assert code == 0 and "请运行 zct match --all" in out
    with session_scope(engine) as session:
        late = session.scalar(select(Enterprise).where(Enterprise.credit_code == "91440300708461136T"))
        assert session.scalar(select(EnterpriseMatch).where(EnterpriseMatch.enterprise_id == late.id)) is None
    engine.dispose()
