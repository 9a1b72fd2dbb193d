"""The SQLite FTS5 engine (the embedded default), with its accelerators.

FTS5 alone answers every search; the accelerators beside it in this package make common searches
fast and never change a page (each either proves its answer equals FTS5's or answers None):
``toplists`` (the best entries of frequent words), ``postings`` (the ids and frequencies of frequent
words, matched and scored with numpy), ``phrases`` (a trigram index for exact phrases) and
``columns`` (the filter and facet columns, held in memory). ``Fts5Backend`` chooses among them;
nothing outside this package uses them.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlalchemy import column, literal_column, select, table, text
from sqlalchemy.orm import Session

from zhengcetong.search.backends import entry_filters, facet_select
from zhengcetong.search.backends.fts5 import columns, phrases, postings, toplists
from zhengcetong.search.backends.fts5.entries import ids_in
from zhengcetong.search.backends.fts5.lazy_numpy import np
from zhengcetong.search.bm25 import FTS5_RANK, Ranked
from zhengcetong.search.facets import Tally
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import ParsedQuery
from zhengcetong.search.schemas import SearchRequest

# FTS5: how many matches are ranked by score alone before filtering (Fts5Backend._top_of_best); more
# when filters or exact phrases may leave out many of them.
CANDIDATES = 200
CANDIDATES_NARROWED = 2000
# FTS5 with in-memory columns: at most this many matches passing the filters are scored from their
# tokens (Fts5Backend._top_of_passing).
EXACT_MOST = 1000
NARROWING = (
    "kind",
    "issuer",
    "year",
    "doc_kind",
    "topic",
    "department",
    "benefit_kind",
    "category",
    "amount",
)
FTS = table("search_fts", column("rowid"))


def _order(request: SearchRequest, score, ascending: bool):
    e = SearchEntry
    by_score = score.asc() if ascending else score.desc()
    if request.sort == "date":
        return [e.doc_date.desc().nulls_last(), by_score, e.id]
    return [by_score, e.id]


def _filters_of(request: SearchRequest) -> str:
    """The request's filters (not the query, the page or the order), as a key."""
    return request.model_dump_json(exclude={"q", "offset", "limit", "sort"})


class Fts5Backend:
    """SQLite FTS5 (the embedded default)."""

    name = "fts5"
    _rank = literal_column(FTS5_RANK)
    candidates = CANDIDATES
    candidates_narrowed = CANDIDATES_NARROWED
    top_lists = True  # rank common words from .toplists when they can prove the page
    phrase_index = True  # narrow exact phrases with .phrases
    in_memory_columns = True  # filter and count facets over .columns when in step
    postings = True  # match and score frequent words from .postings (needs the columns)

    def __init__(self, *, shortcuts: bool = True, resident: bool = True) -> None:
        """``shortcuts=False``: FTS5 ranks and counts every query (no top lists, postings, phrase index
        or in-memory columns). ``resident=False``: no in-memory columns and postings (a process that
        searches once; the results are the same)."""
        if not shortcuts:
            self.top_lists = self.phrase_index = self.in_memory_columns = self.postings = False
        if not resident:
            self.in_memory_columns = self.postings = False
        self._last: tuple | None = None  # the last _matched or _phrase_matches: (key, answer)

    def _from(self):
        return FTS.join(SearchEntry.__table__, SearchEntry.id == FTS.c.rowid)

    def _match(self, query: ParsedQuery) -> list:
        return [text("search_fts MATCH :fts_query").bindparams(fts_query=query.fts5())]

    def top(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> list[Ranked]:
        narrowed = bool(query.phrases or request.valid_on) or any(getattr(request, f) for f in NARROWING)
        candidates = self.candidates_narrowed if narrowed else self.candidates
        if request.sort == "relevance" and self.top_lists:
            found = toplists.page(
                db,
                query,
                request.offset,
                request.limit,
                lambda ids: self._passing(db, ids, query, request, today),
            )
            if found is not None:
                return found
        if request.sort == "relevance" and not query.phrases and self.postings:
            found = self._top_of_postings(db, query, request, today)
            if found is not None:
                return found
        if request.sort == "relevance" and query.phrases and self.phrase_index:
            find = partial(self._phrase_matches, db, query, request, today)  # kept for the facets
            found = phrases.page(db, query, request.offset, request.limit, find)
            if found is not None:
                return found
        if request.sort == "relevance" and narrowed and not query.phrases:
            found = self._top_of_passing(db, query, request, today)
            if found is not None:
                return found
        if request.sort == "relevance" and (request.offset + request.limit) * 4 <= candidates:
            found = self._top_of_best(db, query, request, today, candidates)
            if found is not None:
                return found
        score = self._rank.label("score")
        statement = (
            select(SearchEntry.id, score)
            .select_from(self._from())
            .where(*self._match(query), *entry_filters(request, query, today, public_only=True))
            .order_by(*_order(request, self._rank, ascending=True))
            .limit(request.limit)
            .offset(request.offset)
        )
        return [Ranked(row.id, -row.score) for row in db.execute(statement)]

    def _top_of_postings(
        self, db: Session, query: ParsedQuery, request: SearchRequest, today: date
    ) -> list[Ranked] | None:
        """The page when the query has a frequent word (``postings``): the matches that pass the
        filters scored with numpy, as FTS5 would score them; None without a frequent word, or with
        a wanted word too frequent to read without postings (``postings.for_query``)."""
        if not postings.available(db, set(query.terms())):
            return None  # no frequent word: the other ways are fast
        snapshot = columns.snapshot_for(db) if self.in_memory_columns else None
        stats = toplists.statistics(db) if snapshot is not None else None
        if stats is None:
            return None
        ids, lists = self._matched(db, snapshot, query, request, today)
        if lists is None:
            return None
        rows, tokens = stats
        avgdl = tokens / rows if rows else 1.0
        terms = query.terms()
        idfs = phrases.idfs(db, query, rows)
        none = np.zeros(len(ids), dtype=np.float64)
        freqs = [
            postings.frequencies(db, lists, t, ids) if value else none
            for t, value in zip(terms, idfs, strict=True)
        ]
        values = postings.scores(idfs, freqs, snapshot.ntokens[ids], avgdl)
        end = request.offset + request.limit
        if len(values) > end:  # only the entries that can be on the page (all ties of the last) are sorted
            kth = np.partition(values, len(values) - end)[len(values) - end]
            near = np.flatnonzero(values >= kth)
            ids, values = ids[near], values[near]
        order = np.lexsort((ids, -values))[request.offset : end]
        return [Ranked(int(ids[i]), float(values[i])) for i in order]

    def _top_of_passing(
        self, db: Session, query: ParsedQuery, request: SearchRequest, today: date
    ) -> list[Ranked] | None:
        """The page when the filters leave few matches: every match that passes, scored exactly from
        its tokens (``phrases.ranked``), instead of FTS5 scoring every match and filtering after.

        None when the columns are not in step, the statistics not known exactly, or more than
        EXACT_MOST matches pass (the other ways are faster then). The matches that pass are what the
        facets count too, so finding them is not wasted either way.
        """
        snapshot = columns.snapshot_for(db) if self.in_memory_columns else None
        stats = toplists.statistics(db) if snapshot is not None else None
        if stats is None:
            return None
        ids, _ = self._matched(db, snapshot, query, request, today)
        if len(ids) > EXACT_MOST:
            return None
        found = phrases.frequencies(db, query, ids.tolist(), []) if len(ids) else []
        return phrases.ranked(db, query, found, stats)[request.offset : request.offset + request.limit]

    def _phrase_matches(
        self, db: Session, query: ParsedQuery, request: SearchRequest, today: date
    ) -> list[tuple[int, list[float], int]] | None:
        """``phrases.matching`` for the request; kept for the facets while the columns show the
        session's state is unchanged (the page and the facets of one search share it)."""
        snapshot = columns.snapshot_for(db) if self.in_memory_columns else None
        key = (snapshot, "phrases", query.fts5(), tuple(query.phrases), _filters_of(request), today)
        if snapshot is not None and self._last is not None and self._last[0] == key:
            return self._last[1]
        found = phrases.matching(db, query, entry_filters(request, query, today, public_only=True))
        if snapshot is not None:
            self._last = (key, found)
        return found

    def _matched(
        self, db: Session, snapshot: columns.Snapshot, query: ParsedQuery, request: SearchRequest, today: date
    ) -> tuple[np.ndarray, dict[str, postings.List] | None]:
        """The ids of the matches the filters let through (no phrases), from the postings when the
        query has a frequent word (returned too), else from FTS5; the last answer is kept, for the
        page and the facets of one search share it."""
        key = (snapshot, "passing", query.fts5(), _filters_of(request), today)
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        lists, terms = None, set(query.terms())
        if self.postings and postings.available(db, terms) and toplists.statistics(db) is not None:
            lists = postings.for_query(db, query)
        found = postings.matches(query, lists) if lists is not None else self.matching_ids(db, query)
        answer = (snapshot.passing(found, request, today), lists)
        self._last = (key, answer)
        return answer

    def _top_of_best(
        self, db: Session, query: ParsedQuery, request: SearchRequest, today: date, candidates: int
    ) -> list[Ranked] | None:
        """The page from the best ``candidates`` matches by score alone, or None when they are too few.

        Ranking inside FTS5 alone skips reading the entry of every match (most of the cost when a
        word matches a large part of the library); only the candidates are then filtered. Every
        entry left out ranks after all the candidates, so when enough candidates pass the filters
        the page is exactly what the full query gives; otherwise the full query runs.
        """
        best = db.execute(
            select(FTS.c.rowid, self._rank)
            .where(*self._match(query))
            .order_by(self._rank, FTS.c.rowid)
            .limit(candidates)
        ).all()
        if not best:
            return []
        passing = self._passing(db, [row[0] for row in best], query, request, today)
        ranked = [Ranked(row[0], -row[1]) for row in best if row[0] in passing]
        wanted = request.offset + request.limit
        if len(ranked) < wanted and len(best) == candidates:
            return None  # too many candidates filtered out: the rest of the matches decide
        return ranked[request.offset : wanted]

    def _passing(
        self, db: Session, ids: list[int], query: ParsedQuery, request: SearchRequest, today: date
    ) -> set[int]:
        """Which of these entries the request's filters (and the public) let through."""
        snapshot = columns.snapshot_for(db) if self.in_memory_columns and not query.phrases else None
        if snapshot is not None:
            return set(snapshot.passing(np.asarray(ids, dtype=np.int64), request, today).tolist())
        conditions = entry_filters(request, query, today, public_only=True)
        return set(db.scalars(select(SearchEntry.id).where(SearchEntry.id.in_(ids), *conditions)))

    def facets(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> Tally:
        snapshot = columns.snapshot_for(db) if self.in_memory_columns else None
        if self.phrase_index and query.phrases:
            # The entries with the phrases, already filtered: counting them needs no text search.
            found = self._phrase_matches(db, query, request, today)
            if found is not None:
                ids = [entry_id for entry_id, _, _ in found]
                if snapshot is not None:
                    return snapshot.tally(np.asarray(ids, dtype=np.int64))
                if not ids:
                    return Tally()
                return Tally().add_rows(db.execute(facet_select(SearchEntry.__table__, [ids_in(ids)], [])))
        if snapshot is not None and not query.phrases:
            return snapshot.tally(self._matched(db, snapshot, query, request, today)[0])
        filters = entry_filters(request, query, today, public_only=True)
        return Tally().add_rows(db.execute(facet_select(self._from(), self._match(query), filters)))

    def matching_ids(self, db: Session, query: ParsedQuery) -> np.ndarray:
        """The ids of every entry the query matches (no filters), straight from FTS5."""
        found = db.execute(
            text("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH :fts_query"),
            {"fts_query": query.fts5()},
        ).scalar()
        # One string parsed by numpy: twice as fast as a row per match through the driver.
        return np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, dtype=np.int64)
