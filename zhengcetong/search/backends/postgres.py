"""PostgreSQL full-text search: GIN over the generated tsvector, BM25 written out in SQL.

The formula is FTS5's ``bm25()`` with the operations in the same order as FTS5's C code, from the
statistics the triggers keep exact (``search_df``, ``search_stats``): the same scores as FTS5, bit for
bit, for the same data.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, Text, bindparam, cast, func, literal, literal_column, select, text
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.orm import Session

from zhengcetong.search.backends import entry_filters, facet_select
from zhengcetong.search.bm25 import K1, TOKEN_COLUMNS, WEIGHTS, B, Ranked, idf
from zhengcetong.search.facets import Tally
from zhengcetong.search.models import SearchDf, SearchEntry, SearchStats
from zhengcetong.search.query import ParsedQuery
from zhengcetong.search.schemas import SearchRequest


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
        return Tally().add_rows(db.execute(facet_select(SearchEntry.__table__, self._match(query), filters)))


def _no_jit(db: Session) -> None:
    """Switch off PostgreSQL's JIT compiler for the rest of the transaction.

    A search over many matches is costly enough for the planner to compile it, which takes longer
    (up to a second) than running it; the results are the same either way.
    """
    db.execute(text("SET LOCAL jit = off"))
