"""The engines behind search, behind one small interface: SQLite FTS5 (``fts5``), PostgreSQL
full-text search (``postgres``) and a null engine (``null``).

Both real engines rank with the same BM25 (FTS5's ``bm25()``: k1 = 1.2, b = 0.75, IDF floored at 1e-6,
column weights title 4, body 1, sub-words 0.5, every token of the query counted as one phrase). On
PostgreSQL the formula is written out in SQL with the operations in the same order as FTS5's C code,
from statistics the triggers keep exact (``search_df``, ``search_stats``), so the two engines give the
same scores bit for bit and the same ranking for the same data.

This module holds what every engine shares: the ``SearchBackend`` protocol, the SQL of the filters
and facets, ``backend_for``, and the upkeep the service runs whatever engine answers searches
(``refresh``, ``reset``, ``warm``: SQLite keeps structures of its own beside FTS5, in ``fts5/``).
The engines' modules are imported only when chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from zhengcetong.library import Document, in_force_clause
from zhengcetong.search.bm25 import Ranked
from zhengcetong.search.facets import COLUMNS as FACET_COLUMNS
from zhengcetong.search.facets import Tally
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.schemas import AMOUNT_BUCKETS, SearchRequest
from zhengcetong.search.topics import mask_of

if TYPE_CHECKING:
    from zhengcetong.search.query import ParsedQuery


class SearchBackend(Protocol):
    """What the search service needs from an engine."""

    name: str

    def top(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> list[Ranked]:
        """One page of matching entry ids, best first (or newest first with ``sort=date``)."""

    def facets(self, db: Session, query: ParsedQuery, request: SearchRequest, today: date) -> Tally:
        """The facet counts of every matching entry (and how many there are)."""


def backend_for(
    db: Session, setting: str = "auto", *, shortcuts: bool = True, resident: bool = True
) -> SearchBackend:
    """The engine for this database and the ``ZCT_SEARCH_BACKEND`` setting.

    ``shortcuts=False`` gives FTS5 without its accelerators (top lists, postings, the phrase index,
    the in-memory columns): the reference the benchmarks compare with. ``resident=False`` is for a
    process that searches once (``zct search query``): FTS5 without the in-memory columns (and the
    postings, which need them), whose loading costs more than the search. Other engines ignore both.
    """
    dialect = db.get_bind().dialect.name
    if setting == "null":
        from zhengcetong.search.backends.null import NullBackend

        return NullBackend()
    if setting == "auto":
        setting = "postgres" if dialect == "postgresql" else "fts5"
    wanted = {"fts5": "sqlite", "postgres": "postgresql"}.get(setting)
    if wanted is None:
        raise ValueError(f"ZCT_SEARCH_BACKEND={setting!r}: expected auto, fts5, postgres or null")
    if wanted != dialect:
        raise ValueError(f"ZCT_SEARCH_BACKEND={setting} needs a {wanted} database, not {dialect}")
    if setting == "fts5":
        from zhengcetong.search.backends.fts5 import Fts5Backend

        return Fts5Backend(shortcuts=shortcuts, resident=resident)
    from zhengcetong.search.backends.postgres import PostgresBackend

    return PostgresBackend()


# Upkeep. It follows the database, not the setting: SQLite's triggers log every change for the
# FTS5 accelerators even while another engine (or none) answers searches.


@dataclass
class RefreshResult:
    """What one refresh of the engine's own structures did: a full build of the top lists (with how
    many lists) or applying logged changes; all zero where there is nothing to refresh."""

    built: bool = False
    lists: int = 0
    changes: int = 0
    seconds: float = 0.0


def _sqlite(db: Session) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def refresh(db: Session) -> RefreshResult:
    """Bring the engine's own structures in step with the entries, in the caller's transaction (at the
    end of every sync, and after a migration). SQLite: the top lists and postings, and the entry log
    is pruned; nothing elsewhere."""
    if not _sqlite(db):
        return RefreshResult()
    from zhengcetong.search.backends import fts5

    return fts5.refresh(db)


def reset(db: Session) -> None:
    """Drop the engine's own structures before every entry is dropped (a rebuild builds them again)."""
    if _sqlite(db):
        from zhengcetong.search.backends import fts5

        fts5.reset(db)


def warm(db: Session) -> None:
    """Load what the first search of a process would (SQLite file: the in-memory columns)."""
    if _sqlite(db):
        from zhengcetong.search.backends import fts5

        fts5.warm(db)


# SQL every engine shares.


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


def facet_select(match_from, match_where: list, filters: list):
    """SQL: the facet columns of the matching entries, grouped and counted (rows for ``Tally.add_rows``)."""
    bucket = amount_bucket().label("bucket")
    grouped = [bucket if name == "bucket" else getattr(SearchEntry, name) for name in FACET_COLUMNS]
    return (
        select(*grouped, func.count().label("n"))
        .select_from(match_from)
        .where(*match_where, *filters)
        .group_by(*grouped)
    )
