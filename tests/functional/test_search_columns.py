"""Facets counted over in-memory columns (zhengcetong.search.backends.fts5.columns) equal SQL's GROUP BY, for every
filter, and the columns follow every committed write without ever showing an uncommitted one."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import delete, select, text, update

from tests.conftest import empty_database
from tests.functional.test_search import build_library
from tests.functional.test_search_toplists import fts5_only
from zhengcetong import search
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.library.models import Document, DocumentRelation
from zhengcetong.library.service import in_force_clause
from zhengcetong.search import SearchRequest
from zhengcetong.search.backends import fts5
from zhengcetong.search.backends.fts5 import columns
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import parse

TODAY = date(2026, 6, 1)
QUERIES = ["企业", "补贴", "奖励", "人才 补贴", "奖励 -培训", "补贴 OR 奖励", "高企", '"一次性奖励"', "项目"]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    url, cleanup = empty_database("sqlite", tmp_path_factory.mktemp("columns"))
    build_library(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    cleanup()


def _filter_sets(session) -> list[dict]:
    """One request per filter, with values the library has (and a few it has not)."""

    def first(column):
        return session.scalar(select(column).where(column.is_not(None), column != "").limit(1))

    department = first(SearchEntry.departments).strip("|").split("||")[0]
    return [
        {},
        {"kind": ["item"]},
        {"kind": ["clause", "document"]},
        {"issuer": first(SearchEntry.issuer)},
        {"issuer": "没有这个机关"},
        {"year": first(SearchEntry.year)},
        {"doc_kind": first(SearchEntry.doc_kind)},
        {"topic": "人才"},
        {"department": department},
        {"benefit_kind": first(SearchEntry.benefit_kind)},
        {"category": first(SearchEntry.category)},
        {"amount": "10万元以下"},
        {"amount": "50万–100万元"},
        {"valid_on": date(2024, 1, 1)},
        {"valid_on": date(2023, 1, 1), "kind": ["item"], "topic": "人才"},
    ]


def _counts(backend, session, q: str, filters: dict, today: date = TODAY):
    query = parse(q, search.analyzer_for(db_session=session))
    tally = backend.facets(session, query, SearchRequest(q=q, **filters), today)
    return tally.total, tally.facets()


def test_facets_from_columns_equal_sql_for_every_filter(library):
    fast, full = fts5.Fts5Backend(), fts5_only()
    with session_scope(library) as session:
        assert columns.snapshot_for(session) is not None  # committed and in step: the columns answer
        filter_sets = _filter_sets(session)
        nonempty = 0
        for q in QUERIES:
            for filters in filter_sets:
                mine = _counts(fast, session, q, filters)
                assert mine == _counts(full, session, q, filters), (q, filters)
                nonempty += bool(mine[0])
        assert nonempty >= len(QUERIES) * len(filter_sets) // 2  # most combinations count something
        # The public sees the items of documents in force today only: other days, other items.
        items = {"kind": ["item"]}
        for today in (date(2023, 1, 1), date(2023, 7, 1), date(2031, 1, 1)):
            assert _counts(fast, session, "奖励", items, today) == _counts(
                full, session, "奖励", items, today
            )
        seen = {_counts(full, session, "奖励", items, today)[0] for today in (TODAY, date(2031, 1, 1))}
        assert len(seen) == 2
        page = search.search(db_session=session, request=SearchRequest(q="奖励"), today=TODAY)
        assert page.total > 50 and set(page.facets) >= {"kind", "issuer", "year", "topic"}


def test_pages_of_filtered_searches_equal_fts5(library):
    """A filter that leaves few matches: the matches that pass are scored from their tokens."""
    fast, full = fts5.Fts5Backend(), fts5_only()
    answered = 0
    exact = fast._top_of_passing

    def counting(*args):
        nonlocal answered
        found = exact(*args)
        answered += found is not None
        return found

    fast._top_of_passing = counting
    with session_scope(library) as session:
        analyzer = search.analyzer_for(db_session=session)
        for q in QUERIES:
            query = parse(q, analyzer)
            for filters in _filter_sets(session)[1:]:
                for offset, limit in ((0, 20), (3, 5)):
                    request = SearchRequest(q=q, offset=offset, limit=limit, **filters)
                    assert fast.top(session, query, request, TODAY) == full.top(
                        session, query, request, TODAY
                    ), (
                        q,
                        filters,
                        offset,
                    )
    assert answered >= (len(QUERIES) - 1) * 14  # every filtered search but the phrase's


def test_columns_follow_committed_writes_and_ignore_uncommitted_ones(tmp_path, monkeypatch):
    url, cleanup = empty_database("sqlite", tmp_path)
    build_library(url, seeds=False)
    engine = make_engine(url)
    fast, full = fts5.Fts5Backend(), fts5_only()
    try:
        with session_scope(engine) as session:
            before = columns.snapshot_for(session)
            assert before is not None and _counts(fast, session, "奖励", {}) == _counts(
                full, session, "奖励", {}
            )
            victims = session.scalars(select(SearchEntry.id).where(SearchEntry.kind == "item").limit(3)).all()
            assert victims
        # A write not yet committed: the session sees more than the columns hold, so SQL answers.
        with session_scope(engine) as session:
            session.execute(delete(SearchEntry).where(SearchEntry.id.in_(victims)))
            assert columns.snapshot_for(session) is None
            assert _counts(fast, session, "奖励", {})[0] == _counts(full, session, "奖励", {})[0]
            session.rollback()
        with session_scope(engine) as session:
            assert columns.snapshot_for(session) is before  # the rolled-back write left no trace
            session.execute(delete(SearchEntry).where(SearchEntry.id.in_(victims)))
            session.execute(update(SearchEntry).where(SearchEntry.kind == "clause").values(public=False))
        with session_scope(engine) as session:
            after = columns.snapshot_for(session)
            assert after is not None and after.seq > before.seq and after is not before
            assert not after.present[victims].any() and before.present[victims].all()  # published anew
            for q in ("奖励", "补贴 OR 企业"):
                assert _counts(fast, session, q, {}) == _counts(full, session, q, {})
            assert "clause" not in {v.value for v in _counts(fast, session, "奖励", {})[1]["kind"]}
        # A process that fell behind the log's kept window loads everything again.
        monkeypatch.setattr(columns, "KEEP", 2)
        with session_scope(engine) as session:
            session.execute(update(SearchEntry).where(SearchEntry.kind == "clause").values(public=True))
            search.sync(db_session=session)  # prunes the log to its newest two rows
            assert session.scalar(text("SELECT count(*) FROM search_entry_log")) == 2
        with session_scope(engine) as session:
            reloaded = columns.snapshot_for(session)
            assert reloaded.seq > after.seq and reloaded.public[victims].sum() == 0
            assert _counts(fast, session, "奖励", {}) == _counts(full, session, "奖励", {})
    finally:
        engine.dispose()
        cleanup()


def test_a_database_made_again_at_the_same_path_is_not_taken_for_the_old_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    seqs = []
    for _ in range(2):
        build_library(url, seeds=False)
        engine = make_engine(url)
        with session_scope(engine) as session:
            seqs.append(columns.snapshot_for(session).seq)
        engine.dispose()
        (tmp_path / "again.db").unlink()
    assert seqs[0] != seqs[1]  # the log starts at a random number


def _in_force_sql(session, on: date) -> set[int]:
    return set(session.scalars(select(Document.id).where(in_force_clause(on))))


def test_document_validity_follows_repeals_and_dates(tmp_path):
    url, cleanup = empty_database("sqlite", tmp_path)
    build_library(url, seeds=False)
    engine = make_engine(url)
    days = [date(2020, 1, 1), date(2023, 6, 1), date(2026, 3, 1), TODAY, date(2029, 1, 1), date(2040, 1, 1)]
    try:
        with session_scope(engine) as session:
            snapshot = columns.snapshot_for(session)
            for day in days:
                assert set(np.flatnonzero(snapshot.in_force(day))) == _in_force_sql(session, day), day
            target, source = session.scalars(
                select(Document.id).where(in_force_clause(date(2026, 3, 1))).order_by(Document.id).limit(2)
            ).all()
        days += [date(2026, 4, 1), date(2026, 4, 2), date(2026, 5, 1)]  # the days written below
        with session_scope(engine) as session:
            for effective_on in (None, date(2026, 5, 1)):  # the earliest repeal counts; no date: always
                session.add(
                    DocumentRelation(
                        source_document_id=source,
                        target_document_id=target,
                        action="repeal",
                        effective_on=effective_on,
                        quote="",
                    )
                )
                session.flush()
            session.execute(
                update(Document).where(Document.id == source).values(effective_until=date(2026, 4, 1))
            )

        def check() -> columns.Snapshot:
            with session_scope(engine) as session:
                current = columns.snapshot_for(session)
                for day in days:
                    assert set(np.flatnonzero(current.in_force(day))) == _in_force_sql(session, day), day
                items = {"kind": ["item"]}
                fast, full = fts5.Fts5Backend(), fts5_only()
                assert _counts(fast, session, "奖励", items) == _counts(full, session, "奖励", items)
            return current

        changed = check()
        assert changed is not snapshot
        assert snapshot.in_force(date(2026, 3, 1))[target] and not changed.in_force(date(2026, 3, 1))[target]
        assert changed.in_force(date(2026, 4, 1))[source] and not changed.in_force(date(2026, 4, 2))[source]
        with session_scope(engine) as session:  # the repeal without a date withdrawn: in force until May
            session.execute(
                delete(DocumentRelation).where(
                    DocumentRelation.target_document_id == target, DocumentRelation.effective_on.is_(None)
                )
            )
        after = check()
        assert after.in_force(date(2026, 3, 1))[target] and not after.in_force(date(2026, 5, 1))[target]
    finally:
        engine.dispose()
        cleanup()
