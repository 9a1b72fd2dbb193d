"""Exact phrases from the trigram index (zhengcetong.search.backends.fts5.phrases): pages and facet counts equal
FTS5's, for phrases found in the samples and seeds, with filters, exclusions and offsets, and the
index follows every write."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from tests.conftest import empty_database
from tests.functional.test_search import build_library
from tests.functional.test_search_toplists import fts5_only
from zhengcetong import search
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.search import SearchRequest, backends
from zhengcetong.search.backends import fts5
from zhengcetong.search.backends.fts5 import phrases, toplists
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import parse

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    url, cleanup = empty_database("sqlite", tmp_path_factory.mktemp("phrases"))
    build_library(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        toplists.refresh(session, min_df=40, size=25)  # the statistics phrases.page scores with
    yield engine
    engine.dispose()
    cleanup()


def _phrases_of(session, n: int) -> list[str]:
    """Quoted phrases cut from the library's own clauses: two adjacent words each."""
    out = []
    for body, norm in session.execute(
        select(SearchEntry.tok_body, SearchEntry.norm)
        .where(SearchEntry.kind == "clause")
        .order_by(SearchEntry.id)
    ):
        tokens = body[1:-1].split("||") if body else []
        for a, b in zip(tokens, tokens[1:], strict=False):
            if len(a + b) >= 4 and a + b in norm and f'"{a}{b}"' not in out:
                out.append(f'"{a}{b}"')
                break
        if len(out) == n:
            break
    return out


def test_phrase_pages_and_facets_equal_fts5(library):
    fast, full = fts5.Fts5Backend(), fts5_only()
    with session_scope(library) as session:
        analyzer = search.analyzer_for(db_session=session)
        quoted = _phrases_of(session, 30)
        assert len(quoted) == 30
        queries = quoted + [f"{q} 企业" for q in quoted[:5]] + [f"{q} -企业" for q in quoted[5:10]]
        queries += [f"{a} {b}" for a, b in zip(quoted[10:14], quoted[14:18], strict=True)]
        # Excluding two words that occur apart: an entry with one of them still matches, and scores
        # nothing for it.
        queries += [f"{a} -{b.strip(chr(34))}" for a, b in zip(quoted[18:24], quoted[24:30], strict=True)]
        answered = 0
        for q in queries:
            query = parse(q, analyzer)
            for filters in ({}, {"kind": ["clause"]}, {"valid_on": date(2024, 1, 1)}):
                for offset, limit in ((0, 20), (2, 3)):
                    request = SearchRequest(q=q, offset=offset, limit=limit, **filters)
                    conditions = backends.entry_filters(request, query, TODAY, public_only=True)
                    find = lambda q=query, c=conditions: phrases.matching(session, q, c)  # noqa: E731
                    page = phrases.page(session, query, offset, limit, find)
                    expected = full.top(session, query, request, TODAY)
                    if page is not None:
                        answered += 1
                        assert page == expected, (q, filters, offset)  # ids and scores, bit for bit
                    assert fast.top(session, query, request, TODAY) == expected
                facets = SearchRequest(q=q, **filters)
                mine, reference = (e.facets(session, query, facets, TODAY) for e in (fast, full))
                assert (mine.total, mine.facets()) == (reference.total, reference.facets()), (q, filters)
        assert answered >= len(queries) * 5  # the index answers nearly all of them
        hits = [
            len(full.top(session, parse(q, analyzer), SearchRequest(q=q, limit=50), TODAY)) for q in quoted
        ]
        assert sum(1 for n in hits if n > 1) >= 5  # pages with more than one hit, so order is tested


def test_short_phrases_and_unknown_statistics_leave_it_to_fts5(library):
    with session_scope(library) as session:
        analyzer = search.analyzer_for(db_session=session)
        query = parse('"补贴"', analyzer)
        assert (
            phrases.page(session, query, 0, 20, lambda: phrases.matching(session, query, [])) is None
        )  # 2 chars
        query = parse(_phrases_of(session, 1)[0], analyzer)
        assert phrases.page(session, query, 0, 20, lambda: phrases.matching(session, query, []))
        session.execute(
            text("UPDATE search_entry SET ntokens = ntokens WHERE id = (SELECT min(id) FROM search_entry)")
        )
        assert toplists.statistics(session) is None  # a write not yet synced: counts are not exact
        assert phrases.page(session, query, 0, 20, lambda: phrases.matching(session, query, [])) is None
        session.rollback()


def test_the_trigram_index_follows_writes(library):
    with session_scope(library) as session:
        phrase = _phrases_of(session, 1)[0].strip('"')
        trigrams = phrases.trigram_query([phrase])
        count = text("SELECT count(*) FROM search_norm WHERE search_norm MATCH :q")
        before = session.scalar(count, {"q": trigrams})
        entry_id = session.scalar(select(SearchEntry.id).where(SearchEntry.norm.contains(phrase)).limit(1))
        session.execute(text("UPDATE search_entry SET norm = '' WHERE id = :id"), {"id": entry_id})
        assert session.scalar(count, {"q": trigrams}) == before - 1
        session.execute(
            text(
                "INSERT INTO search_entry (kind, ref, source_version, public, title, text, norm, anchor,"
                " topics, departments, tok_title, tok_body, tok_extra, ntokens)"
                " VALUES ('clause', 'phrase:test', 1, 1, '', '', :norm, '', 0, '', '', '', '', 0)"
            ),
            {"norm": f"前言{phrase}后记"},
        )
        assert session.scalar(count, {"q": trigrams}) == before
        session.execute(text("DELETE FROM search_entry WHERE ref = 'phrase:test'"))
        assert session.scalar(count, {"q": trigrams}) == before - 1
        session.rollback()
