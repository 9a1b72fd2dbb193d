"""The engines behind search: SQLite FTS5, PostgreSQL full-text search, and a null engine.

Both real engines rank with the same BM25 (FTS5's ``bm25()``: k1 = 1.2, b = 0.75, IDF floored at 1e-6,
column weights title 4, body 1, sub-words 0.5, every token of the query counted as one phrase). On
PostgreSQL the formula is written out in SQL with the operations in the same order as FTS5's C code,
from statistics the triggers keep exact (``search_df``, ``search_stats``), so the two engines give the
same scores bit for bit and the same ranking for the same data.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Protocol

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Integer,
    Text,
    and_,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.orm import Session

from zhengcetong.library.models import Document
from zhengcetong.library.service import in_force_clause
from zhengcetong.search import columns, phrases, postings, toplists
from zhengcetong.search.bm25 import FTS5_RANK, K1, TOKEN_COLUMNS, WEIGHTS, B, Ranked, idf
from zhengcetong.search.facets import COLUMNS as FACET_COLUMNS
from zhengcetong.search.facets import Tally
from zhengcetong.search.models import SearchDf, SearchEntry, SearchStats, ids_in
from zhengcetong.search.query import ParsedQuery
from zhengcetong.search.schemas import AMOUNT_BUCKETS, SearchRequest
from zhengcetong.search.topics import mask_of

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


class SearchBackend(Protocol):
    """What the search service needs from an engine."""

    name: str

    def top(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> list[Ranked]:
        """One page of matching entry ids, best first (or newest first with ``sort=date``)."""

    def facets(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> Tally:
        """The facet counts of every matching entry (and how many there are)."""


def entry_filters(request: SearchRequest, query: ParsedQuery, today: date, public_only: bool) -> list:
    """The WHERE conditions every engine shares (filters, exact phrases, what the public may see)."""
    e = SearchEntry
    conditions: list[ColumnElement] = []
    if public_only:
        in_force_today = exists(
            select(Document.id).where(Document.id == e.document_id, in_force_clause(today))
        )
        conditions.append(e.public.is_(True))
        conditions.append(or_(e.kind != "item", in_force_today))
    if request.kind:
        conditions.append(e.kind.in_(request.kind))
    if request.issuer:
        conditions.append(e.issuer == request.issuer)
    if request.year:
        conditions.append(e.year == request.year)
    if request.doc_kind:
        conditions.append(e.doc_kind == request.doc_kind)
    if request.topic:
        conditions.append(e.topics.op("&")(mask_of([request.topic])) != 0)
    if request.department:
        conditions.append(e.departments.contains(f"|{request.department}|", autoescape=True))
    if request.benefit_kind:
        conditions.append(e.benefit_kind == request.benefit_kind)
    if request.category:
        conditions.append(e.category == request.category)
    if request.amount:
        bucket = {label: (low, high) for label, low, high in AMOUNT_BUCKETS}.get(request.amount)
        if bucket is not None:
            low, high = bucket
            if low is not None:
                conditions.append(e.amount >= low)
            if high is not None:
                conditions.append(e.amount < high)
    if request.valid_on:
        # "IS TRUE" keeps PostgreSQL from turning this into a join that scans the text index once per
        # document in force (tens of seconds for a common word); it checks a set of documents instead.
        in_force = exists(
            select(Document.id).where(Document.id == e.document_id, in_force_clause(request.valid_on))
        )
        conditions.append(in_force.is_(True))
    for phrase in query.phrases:
        conditions.append(e.norm.contains(phrase, autoescape=True))
    return conditions


def amount_bucket():
    """SQL: the label of an entry's amount bucket (NULL without an amount)."""
    from sqlalchemy import case

    e = SearchEntry
    whens = []
    for label, low, high in AMOUNT_BUCKETS:
        parts = []
        if low is not None:
            parts.append(e.amount >= low)
        if high is not None:
            parts.append(e.amount < high)
        whens.append((and_(*parts), label))
    return case(*whens, else_=None)


def _facet_select(match_from, match_where: list, filters: list):
    bucket = amount_bucket().label("bucket")
    grouped = [bucket if name == "bucket" else getattr(SearchEntry, name) for name in FACET_COLUMNS]
    return (
        select(*grouped, func.count().label("n"))
        .select_from(match_from)
        .where(*match_where, *filters)
        .group_by(*grouped)
    )


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
    top_lists = True  # rank common words from zhengcetong.search.toplists when they can prove the page
    phrase_index = True  # narrow exact phrases with zhengcetong.search.phrases
    in_memory_columns = True  # filter and count facets over zhengcetong.search.columns when in step
    postings = True  # match and score frequent words from zhengcetong.search.postings (needs the columns)

    def __init__(self) -> None:
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
                return Tally().add_rows(db.execute(_facet_select(SearchEntry.__table__, [ids_in(ids)], [])))
        if snapshot is not None and not query.phrases:
            return snapshot.tally(self._matched(db, snapshot, query, request, today)[0])
        filters = entry_filters(request, query, today, public_only=True)
        return Tally().add_rows(db.execute(_facet_select(self._from(), self._match(query), filters)))

    def matching_ids(self, db: Session, query: ParsedQuery) -> np.ndarray:
        """The ids of every entry the query matches (no filters), straight from FTS5."""
        found = db.execute(
            text("SELECT group_concat(rowid) FROM search_fts WHERE search_fts MATCH :fts_query"),
            {"fts_query": query.fts5()},
        ).scalar()
        # One string parsed by numpy: twice as fast as a row per match through the driver.
        return np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, dtype=np.int64)


class PostgresBackend:
    """PostgreSQL: GIN over the generated tsvector, BM25 written out in SQL."""

    name = "postgres"

    def _match(self, query: ParsedQuery) -> list:
        return [text("search_entry.tsv @@ CAST(:ts_query AS tsquery)").bindparams(ts_query=query.tsquery())]

    def _statistics(self, db: Session, terms: list[str]) -> tuple[float, list[float]]:
        stats = db.get(SearchStats, 1)
        rows, tokens = (stats.rows, stats.tokens) if stats else (0, 0)
        df = (
            {
                t: n
                for t, n in db.execute(
                    select(SearchDf.term, SearchDf.df).where(SearchDf.term.in_(set(terms)))
                )
            }
            if terms
            else {}
        )
        avgdl = float(tokens) / float(rows) if rows else 1.0
        return avgdl, [idf(rows, df.get(t, 0)) for t in terms]

    def top(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> list[Ranked]:
        """BM25 as FTS5 computes it: the same operations in the same order, IEEE doubles throughout.

        The inner query counts each token in each column once per matching entry (a token occurs
        ``(bytes of the column - bytes without it) / bytes of the token`` times); ``OFFSET 0`` keeps
        PostgreSQL from copying those counts into both places the formula uses them.
        """
        _no_jit(db)
        terms = query.terms()
        avgdl, idfs = self._statistics(db, terms)

        def f8(value: float, name: str | None = None):
            return (
                bindparam(name, value, type_=DOUBLE_PRECISION) if name else literal(value, DOUBLE_PRECISION)
            )

        e = SearchEntry
        counts = []
        for i, term in enumerate(terms):
            token = bindparam(f"bm25_tok{i}", f"|{term}|", type_=Text)
            for j, name in enumerate(TOKEN_COLUMNS):
                col = getattr(e, name)
                size = func.octet_length(col, type_=Integer)
                without = func.octet_length(func.replace(col, token, ""), type_=Integer)
                count = (size - without) // func.octet_length(token, type_=Integer)
                counts.append(cast(count, DOUBLE_PRECISION).label(f"n{i}_{j}"))
        matched = (
            select(e.id, e.doc_date, e.ntokens, *counts)
            .where(*self._match(query), *entry_filters(request, query, today, public_only=True))
            .offset(0)
            .subquery("matched")
        )
        m = matched.c
        k1, b = f8(K1), f8(B)
        length = cast(m.ntokens, DOUBLE_PRECISION)
        norm = k1 * ((f8(1.0) - b) + ((b * length) / f8(avgdl, "bm25_avgdl")))
        score = f8(0.0)
        for i, value in enumerate(idfs):
            freq = None
            for j, weight in enumerate(WEIGHTS):
                part = f8(weight) * m[f"n{i}_{j}"]
                freq = part if freq is None else freq + part
            score = score + f8(value, f"bm25_idf{i}") * ((freq * (k1 + f8(1.0))) / (freq + norm))
        by_score = literal_column("score").desc()
        order = (
            [m.doc_date.desc().nulls_last(), by_score, m.id] if request.sort == "date" else [by_score, m.id]
        )
        statement = (
            select(m.id, score.label("score")).order_by(*order).limit(request.limit).offset(request.offset)
        )
        return [Ranked(row.id, row.score) for row in db.execute(statement)]

    def facets(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> Tally:
        _no_jit(db)
        filters = entry_filters(request, query, today, public_only=True)
        return Tally().add_rows(db.execute(_facet_select(SearchEntry.__table__, self._match(query), filters)))


def _no_jit(db: Session) -> None:
    """Switch off PostgreSQL's JIT compiler for the rest of the transaction.

    A search over many matches is costly enough for the planner to compile it, which takes longer
    (up to a second) than running it; the results are the same either way.
    """
    db.execute(text("SET LOCAL jit = off"))


class NullBackend:
    """No full-text engine (``ZCT_SEARCH_BACKEND=null``): every search is empty."""

    name = "null"

    def top(self, db, query, request, today) -> list[Ranked]:
        return []

    def facets(self, db, query, request, today) -> Tally:
        return Tally()


def backend_for(db: Session, setting: str = "auto") -> SearchBackend:
    """The engine for this database and the ``ZCT_SEARCH_BACKEND`` setting."""
    dialect = db.get_bind().dialect.name
    if setting == "null":
        return NullBackend()
    if setting == "auto":
        setting = "postgres" if dialect == "postgresql" else "fts5"
    wanted = {"fts5": "sqlite", "postgres": "postgresql"}.get(setting)
    if wanted is None:
        raise ValueError(f"ZCT_SEARCH_BACKEND={setting!r}: expected auto, fts5, postgres or null")
    if wanted != dialect:
        raise ValueError(f"ZCT_SEARCH_BACKEND={setting} needs a {wanted} database, not {dialect}")
    return Fts5Backend() if setting == "fts5" else PostgresBackend()
