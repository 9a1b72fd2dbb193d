"""Top lists of frequent words (zhengcetong.search.backends.fts5.toplists): pages equal FTS5's, and the lists follow
every write. Thresholds are lowered so that the words of the samples and seeds count as frequent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import empty_database
from tests.functional.test_search import build_library
from zhengcetong import search
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.search import SearchRequest
from zhengcetong.search.backends import fts5
from zhengcetong.search.backends.fts5 import postings, toplists
from zhengcetong.search.bm25 import frequency, tokens_of, weight
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import parse

TODAY = date(2026, 6, 1)


@pytest.fixture
def sqlite_library(tmp_path):
    url, cleanup = empty_database("sqlite", tmp_path)
    build_library(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    cleanup()


def _min_df(session) -> int:
    """A document frequency that makes a few dozen words frequent in this library."""
    rows = session.scalar(select(func.count(SearchEntry.id)))
    return max(3, rows // 40)


def _frequent_words(session) -> list[str]:
    return list(session.scalars(select(toplists.TOP_TERM.c.term).order_by(toplists.TOP_TERM.c.df.desc())))


def _queries(words: list[str]) -> list[str]:
    """One word, a word and an exclusion, two words, OR, a phrase, a repeated word."""
    common, rare = words[:12], "培训"
    out = list(common)
    out += [f"{w} -{rare}" for w in common[:4]]
    out += [f"{a} -{b}" for a, b in zip(common[:3], common[3:6], strict=True)]
    out += [f"{a} {b}" for a, b in zip(common[:4], common[4:8], strict=True)]
    out += [f"{a} OR {b}" for a, b in zip(common[:3], common[6:9], strict=True)]
    out += [f'"{common[0]}"', f"{common[1]} {common[1]}"]
    return out


def fts5_only() -> fts5.Fts5Backend:
    """The reference: the engine with every shortcut off, FTS5 ranks and counts every query."""
    full = fts5.Fts5Backend()
    full.top_lists = full.phrase_index = full.in_memory_columns = False
    full.candidates = full.candidates_narrowed = 0
    return full


FILTERS = ({}, {"kind": ["item"]}, {"valid_on": date(2024, 1, 1)}, {"kind": ["clause"]})
PAGES = ((0, 5), (3, 5), (0, 20))


def _compare(session, queries: list[str], filter_sets=FILTERS, pages=PAGES) -> dict[str, int]:
    """Every page the lists give equals the full FTS5 query's, and so does the engine's own answer;
    counts how often the lists answered."""
    fast, full = fts5.Fts5Backend(), fts5_only()
    analyzer = search.analyzer_for(db_session=session)
    outcomes = {"lists": 0, "fts5": 0}
    for q in queries:
        query = parse(q, analyzer)
        for filters in filter_sets:
            for offset, limit in pages:
                request = SearchRequest(q=q, offset=offset, limit=limit, **filters)
                listed = toplists.page(
                    session,
                    query,
                    offset,
                    limit,
                    lambda ids, q=query, r=request: fast._passing(session, ids, q, r, TODAY),
                )
                expected = full.top(session, query, request, TODAY)
                outcomes["fts5" if listed is None else "lists"] += 1
                if listed is not None:
                    assert listed == expected, (q, filters, offset, limit)  # ids and scores, bit for bit
                assert fast.top(session, query, request, TODAY) == expected, (q, filters, offset, limit)
    return outcomes


def _check_invariants(session) -> None:
    """What the lists promise, checked against every entry: exact frequencies and totals, no unlisted
    entry above its word's threshold, list rows that match the entries."""
    state = toplists._state(session)
    entries = session.execute(
        select(
            SearchEntry.id,
            SearchEntry.ntokens,
            SearchEntry.tok_title,
            SearchEntry.tok_body,
            SearchEntry.tok_extra,
        )
    ).all()
    assert (state.rows, state.tokens) == (len(entries), sum(e.ntokens for e in entries))
    assert session.scalar(select(func.count()).select_from(toplists.CHANGE)) == 0
    terms = {t: (df, threshold) for t, df, threshold in session.execute(select(toplists.TOP_TERM))}
    listed = {(r.term, r.entry_id): r for r in session.execute(select(toplists.TOP))}
    df = dict.fromkeys(terms, 0)
    posted: dict[str, dict[int, float]] = {t: {} for t in terms}
    for e in entries:
        columns = (e.tok_title, e.tok_body, e.tok_extra)
        for term in tokens_of(columns) & terms.keys():
            df[term] += 1
            freq = posted[term][e.id] = frequency(columns, term)
            row = listed.pop((term, e.id), None)
            if row is None:
                assert weight(freq, e.ntokens, state.built_avgdl) <= terms[term][1], (term, e.id)
            else:
                assert (row.freq, row.ntokens) == (freq, e.ntokens), (term, e.id)
    assert not listed, "list rows of entries that no longer contain the word"
    assert df == {t: v[0] for t, v in terms.items()}
    # The postings, with the changes recorded since they were built, are every entry with the word.
    lists = postings.load(session, set(terms))
    assert {t: dict(zip(p.ids.tolist(), p.freqs.tolist(), strict=True)) for t, p in lists.items()} == posted


def test_pages_from_the_top_lists_equal_fts5_pages(sqlite_library):
    with session_scope(sqlite_library) as session:
        result = toplists.refresh(session, min_df=_min_df(session), size=25)
        assert result.built and result.lists >= 12
        _check_invariants(session)
        outcomes = _compare(session, _queries(_frequent_words(session)))
    # Both ways are taken: the lists answer most pages of common words and give way when they cannot
    # prove a page (several frequent words, selective filters).
    assert outcomes["lists"] > 100 and outcomes["fts5"] > 20, outcomes


def test_the_top_lists_follow_ingests_edits_and_rebuilds(tmp_path):
    from zhengcetong.library import items as policy_items

    url, cleanup = empty_database("sqlite", tmp_path)
    try:
        build_library(url, seeds=False, publish=False)  # the samples only, drafts
        engine = make_engine(url)
        with session_scope(engine) as session:
            toplists.refresh(session, min_df=_min_df(session), size=10)
            before = toplists._state(session)
        build_library(url)  # the seeds arrive (a logged change applied by the sync, or a rebuild)
        with session_scope(engine) as session:
            _check_invariants(session)
            assert toplists._state(session).rows > before.rows
        with session_scope(engine) as session:  # publishing re-indexes every item: delete + insert
            items = policy_items.list_items(db_session=session)
            policy_items.publish_items(db_session=session, items=items[:5], actor="test")
        with session_scope(engine) as session:
            assert session.scalar(select(func.count()).select_from(toplists.CHANGE)) == 0
            _check_invariants(session)
            _compare(session, _queries(_frequent_words(session))[:8])
        with session_scope(engine) as session:
            search.rebuild(db_session=session)
            _check_invariants(session)
            assert session.scalar(select(func.count()).select_from(toplists.TOP_TERM)) > 0
        engine.dispose()
    finally:
        cleanup()


def test_pages_from_the_postings_equal_fts5_pages(sqlite_library, monkeypatch):
    """Several frequent words (AND, OR, NOT, repeated) and filters: numpy scores equal FTS5's."""
    answered = []
    scored = fts5.Fts5Backend._top_of_postings

    def counting(self, *args):
        found = scored(self, *args)
        answered.append(found is not None)
        return found

    monkeypatch.setattr(fts5.Fts5Backend, "_top_of_postings", counting)
    with session_scope(sqlite_library) as session:
        toplists.refresh(session, min_df=_min_df(session), size=25)
        words = _frequent_words(session)
        queries = [f"{a} {b}" for a, b in zip(words[:10], words[5:15], strict=True)]
        queries += [f"{a} OR {b} -{c}" for a, b, c in zip(words[:6], words[6:12], words[12:18], strict=True)]
        queries += [f"{a} {b} {a}" for a, b in zip(words[:4], words[20:24], strict=True)]
        filter_sets = (*FILTERS, {"topic": "人才"}, {"kind": ["item"], "valid_on": date(2026, 1, 1)})
        _compare(session, queries, filter_sets=filter_sets)
        # Words without postings beside frequent ones: their ids from FTS5, frequencies from tokens;
        # with a tiny limit, a wanted word is too frequent to read (FTS5 ranks) but an excluded one
        # still has every id.
        rare = ["培训", "申报", "标准"]
        mixed = [f"{words[0]} {r}" for r in rare] + [f"{words[1]} OR {r}" for r in rare]
        mixed += [f"{words[2]} -{r}" for r in rare] + [f"{words[3]} {words[4]} -{r}" for r in rare]
        before = sum(answered)
        _compare(session, mixed, filter_sets=filter_sets[:3])
        # (one frequent word with exclusions is the top lists' to answer first)
        assert sum(answered) - before >= (len(mixed) - len(rare)) * 3 * len(PAGES) * 0.9
        monkeypatch.setattr(postings, "ON_THE_FLY", 3)
        _compare(session, mixed, filter_sets=filter_sets[:2])
        fast, full = fts5.Fts5Backend(), fts5_only()
        for q in queries[:8]:
            query, request = parse(q, search.analyzer_for(db_session=session)), SearchRequest(q=q)
            mine, reference = (e.facets(session, query, request, TODAY) for e in (fast, full))
            assert (mine.total, mine.facets()) == (reference.total, reference.facets()), q
    assert sum(answered) >= len(queries) * len(filter_sets) * len(PAGES) * 0.9  # the postings answered


def test_a_write_not_yet_synced_turns_the_lists_off(sqlite_library):
    with session_scope(sqlite_library) as session:
        toplists.refresh(session, min_df=_min_df(session), size=25)
        word = _frequent_words(session)[0]
        query = parse(word, search.analyzer_for(db_session=session))
        passing = lambda ids: set(ids)  # noqa: E731
        assert toplists.page(session, query, 0, 5, passing) is not None
        session.execute(
            text(
                "UPDATE search_entry SET tok_body = tok_body || :t WHERE id = (SELECT min(id) FROM search_entry)"
            ),
            {"t": f"|{word}|"},
        )
        assert session.scalar(select(func.count()).select_from(toplists.CHANGE)) == 2  # old out, new in
        assert toplists.page(session, query, 0, 5, passing) is None
        assert toplists.refresh(session).changes == 2
        _check_invariants(session)
        assert toplists.page(session, query, 0, 5, passing) is not None


def test_a_library_that_grew_by_a_quarter_is_built_again(tmp_path):
    url, cleanup = empty_database("sqlite", tmp_path)
    try:
        build_library(url, seeds=False, publish=False)
        engine = make_engine(url)
        with session_scope(engine) as session:
            rows = session.scalar(select(func.count(SearchEntry.id)))
            toplists.refresh(session, min_df=3, size=10)
            first = session.execute(
                text("SELECT id, tok_title, tok_body, tok_extra, ntokens FROM search_entry")
            ).all()
            session.execute(
                text(
                    "INSERT INTO search_entry (kind, ref, source_version, public, title, text, norm, anchor,"
                    " topics, departments, tok_title, tok_body, tok_extra, ntokens)"
                    " VALUES ('clause', :ref, 1, 1, '', '', '', '', 0, '', :a, :b, :c, :n)"
                ),
                [
                    {"ref": f"copy:{i}", "a": e.tok_title, "b": e.tok_body, "c": e.tok_extra, "n": e.ntokens}
                    for i, e in enumerate(first[: rows // 3 + 1])
                ],
            )
            result = toplists.refresh(session)
            assert result.built and result.changes == rows // 3 + 1
            assert toplists._state(session).built_rows == rows + rows // 3 + 1
            _check_invariants(session)
        engine.dispose()
    finally:
        cleanup()


VOCABULARY = ["企业", "补贴", "奖励", "人才", "项目", "资金", "创新", "科技", "就业", "培训", "服务", "发展"]


def _random_entries(rng, n: int, first: int, longest: int) -> list[dict]:
    """Entries of a few Zipf-distributed words: short bags, so that equal scores (ties at a list's
    threshold) are common, and some long ones, so that lengths vary."""
    weights = [1 / (i + 1) for i in range(len(VOCABULARY))]
    out = []
    for i in range(first, first + n):
        body = rng.choices(VOCABULARY, weights, k=rng.randint(1, longest))
        title = rng.choices(VOCABULARY, weights, k=rng.choice((0, 0, 1, 2)))
        extra = rng.choices(VOCABULARY, weights, k=rng.choice((0, 0, 0, 1)))
        out.append(
            {
                "ref": f"synthetic:{i}",
                "year": rng.choice((2021, 2022, 2023)),
                "a": "".join(f"|{t}|" for t in title),
                "b": "".join(f"|{t}|" for t in body),
                "c": "".join(f"|{t}|" for t in extra),
                "n": len(title) + len(body) + len(extra),
            }
        )
    return out


def _insert(session, entries: list[dict]) -> None:
    session.execute(
        text(
            "INSERT INTO search_entry (kind, ref, source_version, public, title, text, norm, anchor, year,"
            " topics, departments, tok_title, tok_body, tok_extra, ntokens)"
            " VALUES ('clause', :ref, 1, 1, '', '', '', '', :year, 0, '', :a, :b, :c, :n)"
        ),
        entries,
    )


def _synthetic_queries() -> list[str]:
    words = VOCABULARY[:8]
    out = list(words)
    out += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    out += [f"{a} OR {b}" for a, b in zip(words[:4], words[4:], strict=True)]
    out += [f"{a} -{b}" for a, b in zip(words[:4], VOCABULARY[8:], strict=True)]
    out += [f"{words[0]} {words[0]}", f"{words[1]} {words[2]} {words[3]}"]
    return out


def _compare_synthetic(session) -> int:
    """Pages of every size and offset around the lists' length; returns how many the lists answered."""
    pages = ((0, 1), (0, 5), (0, 11), (0, 12), (4, 8), (9, 3), (0, 20))
    return _compare(session, _synthetic_queries(), ({}, {"year": 2022}), pages)["lists"]


def test_pages_stay_exact_at_the_lists_edge_as_lengths_drift(tmp_path):
    """Short lists over a small vocabulary: many entries tie with a list's last one, pages reach past
    the lists, and the average length moves after the build. Only the bound keeps these pages exact."""
    import random

    rng = random.Random(20261203)
    url, cleanup = empty_database("sqlite", tmp_path)
    try:
        engine = make_engine(url)
        from zhengcetong.db.migrate import upgrade

        upgrade(engine)
        with session_scope(engine) as session:
            _insert(session, _random_entries(rng, 400, 0, 6))
            assert toplists.refresh(session, min_df=30, size=12).built
            _check_invariants(session)
            answered = _compare_synthetic(session)
            assert answered > 20, answered
        with session_scope(engine) as session:  # longer entries: the average length grows (by 7 %)
            _insert(session, _random_entries(rng, 60, 400, 11))
            result = toplists.refresh(session)
            assert not result.built and result.changes == 60
            state = toplists._state(session)
            assert 1.05 * state.built_avgdl < state.avgdl < (1 + toplists.LENGTH_DRIFT) * state.built_avgdl
            _check_invariants(session)
            assert _compare_synthetic(session) > 20
        with session_scope(engine) as session:  # and shrinks again
            session.execute(text("DELETE FROM search_entry WHERE ref LIKE 'synthetic:4__'"))
            assert not toplists.refresh(session).built
            _check_invariants(session)
            assert _compare_synthetic(session) > 20
        with session_scope(engine) as session:  # a tenth longer on average: built again
            _insert(session, _random_entries(rng, 20, 500, 40))
            assert toplists.refresh(session).built
            _check_invariants(session)
            assert _compare_synthetic(session) > 20
        engine.dispose()
    finally:
        cleanup()


def test_an_entry_that_overtakes_a_list_as_lengths_grow_still_ranks_first(tmp_path):
    """Ten short entries hold the list of 奖励; five long ones with the word four times weigh a little
    less at the build's average length and a little more once it grew by 6.5 %. A page from the list
    alone would miss them: the bound grows with the average length, so FTS5 ranks instead."""
    from zhengcetong.db.migrate import upgrade

    def entries(prefix: str, n: int, body: list[str]) -> list[dict]:
        tokens = "".join(f"|{t}|" for t in body)
        return [
            {"ref": f"{prefix}:{i}", "year": 2022, "a": "", "b": tokens, "c": "", "n": len(body)}
            for i in range(n)
        ]

    url, cleanup = empty_database("sqlite", tmp_path)
    try:
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(engine) as session:
            _insert(session, entries("short", 10, ["奖励"] + ["服务"] * 9))
            _insert(session, entries("long", 5, ["奖励"] * 4 + ["服务"] * 47))
            _insert(session, entries("filler", 200, ["服务"] * 10))
            toplists.refresh(session, min_df=15, size=10)
            listed = set(
                session.scalars(select(toplists.TOP.c.entry_id).where(toplists.TOP.c.term == "奖励"))
            )
            short = set(session.scalars(select(SearchEntry.id).where(SearchEntry.ref.like("short:%"))))
            assert listed == short
        with session_scope(engine) as session:
            _insert(session, entries("longer", 4, ["服务"] * 50))
            assert not toplists.refresh(session).built
            state = toplists._state(session)
            assert state.avgdl > 1.06 * state.built_avgdl
            full = fts5_only()
            query = parse("奖励", search.analyzer_for(db_session=session))
            for limit in (1, 5, 10):
                request = SearchRequest(q="奖励", limit=limit)
                expected = full.top(session, query, request, TODAY)
                assert expected[0].id not in short  # the premise: a long entry now ranks first
                page = toplists.page(session, query, 0, limit, lambda ids: set(ids))
                assert page is None or page == expected
        engine.dispose()
    finally:
        cleanup()
