"""Search end to end on the real gazettes: the index follows the library, both engines agree exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import BACKENDS, POSTGRES_URL, SEED_FILES, SEEDS_DIR, empty_database
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.samples import SINGLE_NOTICE, sample_path
from zhengcetong.search import SearchRequest
from zhengcetong.search.models import SearchEntry

QUERIES = [
    "奖励",
    "补贴",
    "人才",
    "博士后 生活补贴",
    '"首次认定"',
    "技改 OR 设备",
    "残疾人 就业 -培训",
    "高企",
    "专精特新",
    "市财政局",
    "防汛",
    "企业",
]


def _files(seeds: bool) -> list[Path]:
    files = [sample_path(), sample_path(SINGLE_NOTICE)]
    found = [SEEDS_DIR / name for name in SEED_FILES.values()] if seeds else []
    return files + [p for p in found if p.exists()]


def build_library(url: str, *, publish: bool = True, seeds: bool = True) -> None:
    """Migrate, ingest the samples and (when present and wanted) the seeds, publish every item, commit."""
    from tests.factories.ingest import ingest_file
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        for path in _files(seeds):
            ingest_file(session, path.read_bytes(), path.name)
    if publish:
        with session_scope(engine) as session:
            policy_items.publish_items(
                db_session=session, items=policy_items.list_items(db_session=session), actor="test"
            )
    engine.dispose()


@pytest.fixture(scope="module")
def libraries(tmp_path_factory):
    """Engines on a library of the samples and seeds with every item published, one per backend."""
    engines, cleanups = {}, []
    for backend in BACKENDS:
        url, cleanup = empty_database(backend, tmp_path_factory.mktemp(f"search-{backend}"))
        build_library(url)
        engines[backend] = make_engine(url)
        cleanups.append(cleanup)
    yield engines
    for engine in engines.values():
        engine.dispose()
    for cleanup in cleanups:
        cleanup()


@pytest.fixture(params=BACKENDS)
def library(request, libraries):
    """The library on one backend."""
    return libraries[request.param]


def run(engine, q: str, **filters):
    from zhengcetong.search import search

    with session_scope(engine) as session:
        return search(db_session=session, request=SearchRequest(q=q, **filters), today=date(2026, 6, 1))


def test_every_document_clause_and_item_is_indexed_once(library):
    from zhengcetong.library.models import Clause, Document, PolicyItem

    with session_scope(library) as session:
        kinds = dict(session.execute(select(SearchEntry.kind, func.count()).group_by(SearchEntry.kind)).all())
        assert kinds["document"] == session.scalar(select(func.count(Document.id)))
        assert kinds["item"] == session.scalar(select(func.count(PolicyItem.id)))
        nonempty = session.scalar(
            select(func.count(Clause.id)).where(func.length(func.trim(Clause.text)) > 0)
        )
        assert kinds["clause"] == nonempty


@pytest.mark.parametrize("q", ["补贴", "人才", "奖励"])
def test_two_character_queries_find_words_inside_longer_words(library, q):
    page = run(library, q)
    assert page.total >= 3
    for hit in page.hits:
        marked = {s.text for s in hit.snippet + hit.title_marked if s.hit}
        assert marked, hit.title  # the title or the snippet shows where it matched


def test_synonyms_and_abbreviations_find_the_full_term(library):
    page = run(library, "技改")
    assert any("技术改造" in "".join(s.text for s in h.snippet) for h in page.hits)


def test_exact_phrase_requires_the_characters_in_order(library):
    loose, exact = run(library, "首次 认定", limit=100), run(library, '"首次认定"', limit=100)
    assert 0 < exact.total <= loose.total
    for hit in exact.hits:
        assert "首次认定" in "".join(s.text for s in hit.snippet).replace(" ", "") or hit.kind == "item"


def test_exclusion_removes_entries(library):
    base, without = run(library, "残疾人 就业", limit=100), run(library, "残疾人 就业 -培训", limit=100)
    assert without.total < base.total
    assert all("培训" not in "".join(s.text for s in h.snippet) for h in without.hits)


def test_facets_count_every_hit_and_filters_narrow(library):
    page = run(library, "奖励")
    assert sum(v.count for v in page.facets["kind"]) == page.total
    topic = page.facets["topic"][0]
    narrowed = run(library, "奖励", topic=topic.value)
    assert narrowed.total == topic.count and all(topic.value in h.topics for h in narrowed.hits)
    items = run(library, "奖励", kind=["item"])
    assert items.total == next(v.count for v in page.facets["kind"] if v.value == "item")
    assert all(h.kind == "item" and h.url.startswith("/items/") for h in items.hits)


def test_amount_and_department_filters_on_items(library):
    page = run(library, "奖励", kind=["item"])
    bucket = page.facets["amount"][0]
    narrowed = run(library, "奖励", kind=["item"], amount=bucket.value)
    assert narrowed.total == bucket.count and all(h.amount_max_yuan is not None for h in narrowed.hits)
    department = page.facets["department"][0]
    by_department = run(library, "奖励", department=department.value)
    assert by_department.total == department.count
    assert all(department.value in h.departments for h in by_department.hits)


def test_a_doc_number_query_pins_the_document(library):
    page = run(library, "青政办发[2026]8号")
    assert page.exact is not None and page.exact.doc_number == "青政办发〔2026〕8号"


def test_a_doc_number_alone_lists_that_document_its_items_and_clauses(library):
    """Issue #17: a 文号 search found the document and listed nothing of it."""
    page = run(library, "青政办发2026年8号", limit=100)
    assert page.exact is not None and page.total == len(page.hits) > 5
    assert page.hits[0].kind == "document" and page.hits[0].document.uid == page.exact.uid
    assert {h.kind for h in page.hits} >= {"item", "clause"}
    assert {h.document.uid for h in page.hits} == {page.exact.uid}
    assert page.facets["kind"][0].value == "document"
    items = run(library, "青政办发〔2026〕8号", kind=["item"], limit=100)
    assert items.total == len(items.hits) > 0 and {h.kind for h in items.hits} == {"item"}
    second = run(library, "青政办发〔2026〕8号", limit=3, offset=3)
    assert [h.id for h in second.hits] == [h.id for h in page.hits[3:6]]


def test_ranking_is_bm25_title_first(library):
    page = run(library, "科技创新券")
    assert page.hits[0].kind == "document" and "科技创新券" in page.hits[0].title
    scores = [h.score for h in page.hits]
    assert scores == sorted(scores, reverse=True)


def test_fts5_ranking_the_best_candidates_first_gives_the_same_pages(libraries):
    from zhengcetong.search import analyzer_for
    from zhengcetong.search.backends.fts5 import Fts5Backend
    from zhengcetong.search.query import parse

    few, full = Fts5Backend(), Fts5Backend()
    few.candidates = few.candidates_narrowed = 12
    full.candidates = full.candidates_narrowed = 0  # always the full query
    today, outcomes = date(2026, 6, 1), set()
    with session_scope(libraries["sqlite"]) as session:
        analyzer = analyzer_for(db_session=session)
        for q in QUERIES:
            query = parse(q, analyzer)
            for filters in ({}, {"kind": ["item"]}, {"valid_on": date(2024, 1, 1)}):
                for offset in (0, 1):
                    request = SearchRequest(q=q, limit=2, offset=offset, **filters)
                    page = few._top_of_best(session, query, request, today, 12)
                    outcomes.add("full query" if page is None else "candidates")
                    assert few.top(session, query, request, today) == full.top(session, query, request, today)
    assert outcomes == {"full query", "candidates"}  # both ways were taken


@pytest.mark.skipif(
    not POSTGRES_URL, reason="ZCT_TEST_POSTGRES_URL is not set: nothing to compare SQLite with"
)
def test_sqlite_and_postgresql_give_the_same_ranked_results(libraries):
    engines = [libraries["sqlite"], libraries["postgresql"]]
    compared = 0
    for q in QUERIES:
        for filters in ({}, {"kind": ["item"]}, {"sort": "date"}, {"valid_on": date(2024, 1, 1)}):
            a, b = (run(e, q, limit=50, **filters) for e in engines)
            assert (a.engine, b.engine) == ("fts5", "postgres")
            assert a.total == b.total, (q, filters)
            assert [(h.ref, h.score) for h in a.hits] == [(h.ref, h.score) for h in b.hits], (q, filters)
            assert a.facets == b.facets, (q, filters)
            compared += len(a.hits)
    assert compared > 500 if SEEDS_DIR.is_dir() else compared > 50


def test_drafts_are_invisible_until_published_and_edits_reindex(database_url):
    from zhengcetong.library import items as policy_items

    build_library(database_url, publish=False, seeds=False)
    engine = make_engine(database_url)
    try:
        assert run(engine, "专精特新", kind=["item"]).total == 0
        with session_scope(engine) as session:
            item = next(i for i in policy_items.list_items(db_session=session) if "专精特新" in i.quote)
            policy_items.edit_item(
                db_session=session, item=item, changes={"name": "专精特新瞪羚示范奖励"}, actor="test"
            )
            policy_items.publish_items(db_session=session, items=[item], actor="test")
            key = item.key
        page = run(engine, "瞪羚示范", kind=["item"])
        assert [h.ref for h in page.hits] == [f"item:{key}"]
        with session_scope(engine) as session:
            versions = session.scalars(
                select(SearchEntry.source_version).where(SearchEntry.ref == f"item:{key}")
            )
            assert list(versions) == [policy_items.get_item(db_session=session, item_id=key).version]
    finally:
        engine.dispose()


def test_a_change_still_pending_at_commit_reaches_the_index(database_url):
    """The index syncs on commit even when nothing flushed the change before it (no autoflush on the way)."""
    from zhengcetong.library.models import PolicyItem

    build_library(database_url, seeds=False)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            item = session.scalars(select(PolicyItem).where(PolicyItem.amount_max_yuan.is_not(None))).first()
            ref, before = f"item:{item.key}", item.amount_max_yuan
            item.amount_max_yuan, item.version = before + 1, item.version + 1
        with session_scope(engine) as session:
            entry = session.scalars(select(SearchEntry).where(SearchEntry.ref == ref)).one()
            assert (entry.amount, entry.source_version) == (before + 1, item.version)
            assert "zct_search_stale" not in session.info
    finally:
        engine.dispose()


def test_items_of_an_expired_document_leave_the_results(database_url):
    build_library(database_url, seeds=False)
    engine = make_engine(database_url)
    try:
        from zhengcetong.search import search

        with session_scope(engine) as session:
            before = search(
                db_session=session, request=SearchRequest(q="创新券", kind=["item"]), today=date(2026, 6, 1)
            )
            after = search(
                db_session=session, request=SearchRequest(q="创新券", kind=["item"]), today=date(2032, 1, 1)
            )
        assert before.total > 0 and after.total == 0  # the sample's 创新券 measures expire on 2031-03-31
    finally:
        engine.dispose()


def test_a_failed_ingest_leaves_library_and_index_unchanged(database_url):
    from tests.factories.ingest import ingest_file

    build_library(database_url, seeds=False)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            entries = session.scalar(select(func.count(SearchEntry.id)))
        data = sample_path(SINGLE_NOTICE).read_bytes().replace("青政办字".encode(), "青政办函".encode())
        with pytest.raises(RuntimeError, match="boom"), session_scope(engine) as session:
            ingest_file(session, data, "x.txt", actor="t", items=False)
            from zhengcetong.search import sync

            assert sync(db_session=session).entries > 0
            raise RuntimeError("boom")
        with session_scope(engine) as session:
            assert session.scalar(select(func.count(SearchEntry.id))) == entries
    finally:
        engine.dispose()


def test_a_new_library_term_reanalyses_only_the_entries_that_contain_it(database_url):
    from zhengcetong.search import add_terms

    build_library(database_url, seeds=False)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            before = dict(session.execute(select(SearchEntry.ref, SearchEntry.tok_body)).all())
            added, reanalysed = add_terms(db_session=session, terms={"口袋公园建设": "staff"}, actor="test")
            after = dict(session.execute(select(SearchEntry.ref, SearchEntry.tok_body)).all())
        changed = {ref for ref in before if before[ref] != after[ref]}
        assert added == ["口袋公园建设"] and reanalysed >= len(changed) > 0
        assert all("口袋公园建设" in after[ref] for ref in changed)
        page = run(engine, "口袋公园建设")
        assert page.total >= len(changed)
    finally:
        engine.dispose()
