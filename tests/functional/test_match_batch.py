"""The set-based batch gives exactly the answers of matching one profile at a time (``zct match --profile``),
on generated profiles (fixed seed) against the seed and sample gazette items; JSONL and stored matches."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import delete, select

from tests.functional.match_helpers import library
from zhengcetong.library.models import Document
from zhengcetong.match import batch, matching, synthetic
from zhengcetong.match.enterprise import check_enterprise, facts_of
from zhengcetong.match.models import Enterprise, EnterpriseMatch


def _county(db_session) -> None:
    """Make one sample document a county's, so that the region rule is exercised too."""
    doc = db_session.scalar(select(Document).where(Document.doc_number == "青政办发〔2026〕8号"))
    doc.issuer = "东昌府区人民政府办公室"
    db_session.flush()


@pytest.mark.parametrize(("on", "year", "seed"), [(date(2024, 5, 1), 2023, 11), (date(2026, 5, 1), 2025, 12)])
def test_batch_equals_one_by_one(db_session, on, year, seed):
    library(db_session)
    _county(db_session)
    catalog = matching.public_catalog(db_session=db_session)
    assert any(e.region == "东昌府区" for e in catalog.items)
    conditions = [e.item.conditions for e in catalog.items]
    documents = list(synthetic.documents(250, seed=seed, conditions=conditions, year=year))
    assert not [d for d in documents if check_enterprise(d)]
    report = batch.Report()
    together = batch.match_documents(catalog=catalog, documents=documents, on=on, chunk=100, report=report)
    alone = [
        matching.summary(matching.match_facts(catalog=catalog, facts=facts_of(d), on=on)) for d in documents
    ]
    assert together == alone
    flat = [e for s in together for e in s["eligible"]]
    assert flat and any(e["estimated_amount_yuan"] not in (None,) for e in flat)
    missing = {m for s in together for e in s["possibly"] for m in e["missing"]}
    assert any(m.startswith(("answers", "claims")) for m in missing)
    # an element of a list lacking a fact is named as the evaluator names it, without evaluating per pair
    assert any(m.startswith("recognitions[") for m in missing)
    assert report.fallback_pairs == 0 and not report.fallback_items
    if on.year == 2026:  # the county's document is in force
        assert "region" in missing


def _store_synthetic(db_session, catalog, count: int, *, seed: int) -> list[dict]:
    """``count`` synthetic profiles drawn from the catalog's conditions, stored as enterprises."""
    documents = list(
        synthetic.documents(
            count, seed=seed, conditions=[e.item.conditions for e in catalog.items], year=2025
        )
    )
    for doc in documents:
        db_session.add(
            Enterprise(
                credit_code=doc["credit_code"], name=doc["name"], profile=doc, provenance={}, updated_by="t"
            )
        )
    db_session.flush()
    return documents


def test_jsonl_and_stored_matches_of_the_whole_register(db_session):
    library(db_session, seeds=False)
    _county(db_session)
    catalog = matching.public_catalog(db_session=db_session)
    documents = _store_synthetic(db_session, catalog, 60, seed=5)
    on = date(2026, 5, 1)
    out = io.StringIO()
    report = batch.run_to_jsonl(db_session=db_session, on=on, out=out, chunk=25)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert report.enterprises == 60 and report.pairs == 60 * len(catalog.items)
    for doc, line in zip(documents, lines, strict=True):
        one = matching.match_profile(db_session=db_session, document=doc, on=on)
        assert line == {"credit_code": doc["credit_code"], **matching.summary(one)}

    ids = [e.id for e in db_session.scalars(select(Enterprise))]
    matching.refresh_for_enterprises(db_session=db_session, enterprise_ids=ids, on=on)
    db_session.flush()

    def stored():
        return {
            (m.enterprise_id, m.item_id): (m.result, m.estimated_amount_yuan, m.missing, m.profile_version)
            for m in db_session.scalars(select(EnterpriseMatch))
        }

    one_by_one = stored()
    assert one_by_one
    batch.refresh_all(db_session=db_session, on=on, chunk=25)
    db_session.expire_all()
    assert stored() == one_by_one


def test_worker_processes_write_the_same_lines(database_url, monkeypatch, tmp_path):
    """``workers=2`` (``zct match --all --jsonl``): forked processes evaluate id ranges of the committed
    register; the file is the same, line for line, as one process writes."""
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.db.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        library(session, seeds=False)
        _county(session)
        conditions = [e.item.conditions for e in matching.public_catalog(db_session=session).items]
        for doc in synthetic.documents(90, seed=8, conditions=conditions, year=2025):
            session.add(
                Enterprise(
                    credit_code=doc["credit_code"],
                    name=doc["name"],
                    profile=doc,
                    provenance={},
                    updated_by="t",
                )
            )
    monkeypatch.setattr(batch, "PARALLEL_CHUNK", 20)  # five tasks, at most four in flight
    on = date(2026, 5, 1)
    files = {}
    for workers in (1, 2):
        out = io.StringIO()
        with session_scope(engine) as session:
            report = batch.run_to_jsonl(db_session=session, on=on, out=out, workers=workers)
        assert report.enterprises == 90 and report.fallback_pairs == 0
        assert set(report.cpu_seconds) == {"read", "evaluate", "write"}
        files[workers] = out.getvalue()
    engine.dispose()
    assert files[2] == files[1] and files[1].count("\n") == 90

    from zhengcetong.cli.match import run_match

    path = tmp_path / "全部.jsonl"  # a real file: the workers' parts are copied into its bytes
    run_match(profile=None, match_all=True, on="2026-05-01", as_json=False, jsonl=str(path), workers=2)
    assert path.read_text(encoding="utf-8") == files[1]


def test_refreshing_some_items_set_based_stores_what_the_pair_by_pair_refresh_stores(db_session):
    library(db_session, seeds=False)
    catalog = matching.public_catalog(db_session=db_session)
    _store_synthetic(db_session, catalog, 40, seed=11)
    on = date(2026, 5, 1)
    some = [e.item.id for e in catalog.items[::2]]

    def stored():
        return {
            (m.enterprise_id, m.item_id): (m.result, m.estimated_amount_yuan, m.missing, m.item_version)
            for m in db_session.scalars(select(EnterpriseMatch))
        }

    db_session.execute(delete(EnterpriseMatch))
    pairs = batch.refresh_items(db_session=db_session, item_ids=some, on=on)
    db_session.expire_all()
    set_based = stored()
    db_session.execute(delete(EnterpriseMatch))
    matching.refresh_for_items(db_session=db_session, item_ids=some, on=on)
    db_session.flush()
    db_session.expire_all()
    assert set_based and stored() == set_based
    assert pairs >= 40 * len(some)
    assert {item for _, item in set_based} <= {
        e.item.id for e in matching.public_catalog(db_session=db_session, item_ids=some).items
    }
