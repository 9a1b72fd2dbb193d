"""The search entries' filter and facet columns, held in memory by each process (SQLite).

A common word matches a large part of the library (企业: 300 000 of 1 000 000 entries). Grouping
all its matches by the facet columns in SQL takes seconds, most of it in SQLite's sorter. Instead
every process keeps those columns as numpy arrays indexed by entry id, one small integer code per
distinct value, and a search takes the matching ids from FTS5, filters them with a lookup table per
condition and counts each facet with one ``bincount``.

Which documents are in force on a day decides what the public sees and the ``valid_on`` filter, so
each document's validity is held too: the day it starts, the day it ends and the first day a repeal
of it takes effect, as day numbers. The arrays follow the library through ``search_entry_log``
(migration 0009): triggers log the id of every entry and document inserted, updated or deleted (and
of a document when a repeal of it is recorded), under a sequence number that never repeats (it
starts at a random value, so two databases do not share numbers). The arrays are only ever loaded
from committed data, on a connection of their own, and are used for a session only when it sees the
same newest sequence number: a session with writes of its own not yet committed, or one reading an
older snapshot, is answered by SQL instead. A process that fell behind the log's kept window
(``KEEP`` entries, pruned by sync) loads everything again; otherwise it reloads just the logged
entries and documents.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from zhengcetong.search.backends.fts5.lazy_numpy import np
from zhengcetong.search.facets import COLUMNS, Tally
from zhengcetong.search.schemas import AMOUNT_BUCKETS, SearchRequest
from zhengcetong.search.topics import mask_of

KEEP = 100_000  # log rows sync keeps: a process this far behind loads everything again
_STORED = ("kind", "issuer", "year", "doc_kind", "topics", "benefit_kind", "category", "departments")
_SELECT = (
    "SELECT id, public, document_id, amount, kind, issuer, year, doc_kind, topics, benefit_kind,"
    " category, departments, ntokens FROM search_entry"
)
_SELECT_DOCUMENTS = "SELECT id, coalesce(effective_from, date), effective_until FROM document"
_SELECT_REPEALS = (
    "SELECT target_document_id, effective_on FROM document_relation"
    " WHERE action = 'repeal' AND target_document_id IS NOT NULL"
)
NEVER = 2**31 - 1  # np.iinfo(np.int32).max: a day number after every date: no end, no repeal


def bucket_of(amount: float | None) -> str | None:
    """The amount bucket's label (the first bucket that holds it, as the SQL ``CASE`` picks).

    Examples:
        >>> bucket_of(99_999.5), bucket_of(100_000), bucket_of(None)
        ('10万元以下', '10万–50万元', None)
    """
    if amount is None:
        return None
    for label, low, high in AMOUNT_BUCKETS:
        if (low is None or amount >= low) and (high is None or amount < high):
            return label
    return None


@dataclass
class Column:
    """One column as codes: ``values[code]`` is the stored value; code 0 is NULL."""

    codes: np.ndarray
    values: list = field(default_factory=lambda: [None])
    index: dict = field(default_factory=lambda: {None: 0})

    def encode(self, values: list) -> np.ndarray:
        """Codes for ``values``, adding the values not seen before."""
        for value in set(values).difference(self.index):
            self.index[value] = len(self.values)
            self.values.append(value)
        return np.fromiter(map(self.index.__getitem__, values), dtype=np.int32, count=len(values))

    def where(self, test) -> np.ndarray:
        """A lookup table over the codes: True for the values that pass ``test`` (never NULL)."""
        return np.fromiter(
            (value is not None and bool(test(value)) for value in self.values),
            dtype=bool,
            count=len(self.values),
        )

    def copy(self, size: int) -> Column:
        codes = np.zeros(size, dtype=np.int32)
        codes[: len(self.codes)] = self.codes[:size]
        return Column(codes, list(self.values), dict(self.index))


@dataclass(eq=False)  # the same snapshot is the same state: compared by identity
class Snapshot:
    """Every entry's columns as of one log sequence number (never changed once published)."""

    seq: int
    present: np.ndarray  # bool: an entry with this id exists
    public: np.ndarray  # bool
    document: np.ndarray  # int64 document id, 0 for none
    ntokens: np.ndarray  # int32: the entry's length in tokens (BM25's dl)
    columns: dict[str, Column]  # _STORED and "bucket"
    # By document id, as day numbers (date.toordinal): in force from ``starts`` (0: no start date)
    # through ``ends``, until ``repealed`` (the first repeal's day; 0 for a repeal without a date).
    starts: np.ndarray
    ends: np.ndarray
    repealed: np.ndarray

    @classmethod
    def empty(cls, seq: int, size: int = 0, documents: int = 0) -> Snapshot:
        columns = {name: Column(np.zeros(size, dtype=np.int32)) for name in (*_STORED, "bucket")}
        columns["bucket"].encode([label for label, _, _ in AMOUNT_BUCKETS])  # codes in bucket order
        flags = [np.zeros(size, dtype=bool) for _ in range(2)]
        days = [np.full(documents, NEVER, dtype=np.int32) for _ in range(3)]
        numbers = [np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int32)]
        return cls(seq, *flags, *numbers, columns, *days)

    def copy(self, seq: int, size: int, documents: int) -> Snapshot:
        def grown(array: np.ndarray, length: int, fill=0) -> np.ndarray:
            out = np.full(length, fill, dtype=array.dtype)
            out[: len(array)] = array[:length]
            return out

        columns = {name: column.copy(size) for name, column in self.columns.items()}
        flags = [grown(a, size) for a in (self.present, self.public, self.document, self.ntokens)]
        days = [grown(a, documents, NEVER) for a in (self.starts, self.ends, self.repealed)]
        return Snapshot(seq, *flags, columns, *days)

    def in_force(self, on: date) -> np.ndarray:
        """A lookup table by document id: True for the documents in force on ``on`` (``in_force_clause``)."""
        day = on.toordinal()
        return (self.starts <= day) & (self.ends >= day) & (self.repealed > day)

    def set_documents(self, ids: list[int], documents: list[tuple], repeals: list[tuple]) -> None:
        """Clear ``ids``, then store ``documents`` and ``repeals`` (as _SELECT_DOCUMENTS and
        _SELECT_REPEALS select them); the arrays must be large enough."""
        for array in (self.starts, self.ends, self.repealed):
            array[ids] = NEVER  # a document that is gone starts after every day: never in force
        for document_id, start, end in documents:
            self.starts[document_id] = _day(start, 0)
            self.ends[document_id] = _day(end, NEVER)
        for document_id, day in repeals:
            self.repealed[document_id] = min(self.repealed[document_id], _day(day, 0))

    @property
    def size(self) -> int:
        return len(self.present)

    def set(self, ids: list[int], rows: list[tuple]) -> None:
        """Clear ``ids`` and store ``rows`` (as selected by _SELECT); the arrays must be large enough."""
        if ids:
            gone = np.asarray(ids, dtype=np.int64)
            self.present[gone] = False
            self.public[gone] = False
            self.document[gone] = 0
            self.ntokens[gone] = 0
            for column in self.columns.values():
                column.codes[gone] = 0
        if not rows:
            return
        at = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        self.present[at] = True
        self.public[at] = np.fromiter((bool(r[1]) for r in rows), dtype=bool, count=len(rows))
        self.document[at] = np.fromiter((r[2] or 0 for r in rows), dtype=np.int64, count=len(rows))
        self.ntokens[at] = np.fromiter((r[12] for r in rows), dtype=np.int32, count=len(rows))
        self.columns["bucket"].codes[at] = self.columns["bucket"].encode(
            [bucket_of(None if r[3] is None else float(r[3])) for r in rows]
        )
        for j, name in enumerate(_STORED, start=4):
            self.columns[name].codes[at] = self.columns[name].encode([r[j] for r in rows])

    def passing(self, ids: np.ndarray, request: SearchRequest, today: date) -> np.ndarray:
        """The ids the request's filters and the public let through (``entry_filters`` without
        phrases): the public sees items of documents in force ``today``."""
        c = self.columns
        ids = ids[ids < self.size]  # an entry committed since the check of the log: not seen yet
        keep = self.present[ids] & self.public[ids]
        documents = self.document[ids]
        is_item = c["kind"].where(lambda v: v == "item")[c["kind"].codes[ids]]
        keep &= ~is_item | _lookup(self.in_force(today), documents)
        tests = []
        if request.kind:
            tests.append(("kind", lambda v: v in request.kind))
        for name in ("issuer", "year", "doc_kind", "benefit_kind", "category"):
            wanted = getattr(request, name)
            if wanted:
                tests.append((name, lambda v, wanted=wanted: v == wanted))
        if request.topic:
            bit = mask_of([request.topic])
            tests.append(("topics", lambda v: v & bit))
        if request.department:
            needle = f"|{request.department}|"
            tests.append(("departments", lambda v: needle in v))
        if request.amount and request.amount in c["bucket"].index:
            tests.append(("bucket", lambda v: v == request.amount))
        for name, test in tests:
            keep &= c[name].where(test)[c[name].codes[ids]]
        if request.valid_on:
            keep &= _lookup(self.in_force(request.valid_on), documents)
        return ids[keep]

    def tally(self, ids: np.ndarray) -> Tally:
        """The facet counts of these (already filtered) ids."""
        ids = ids[ids < self.size]
        tally = Tally()
        tally.total = len(ids)
        for name in COLUMNS:
            column = self.columns[name]
            counts = np.bincount(column.codes[ids], minlength=len(column.values))
            for code in np.flatnonzero(counts[1:]) + 1:
                tally.add(name, column.values[code], int(counts[code]))
        return tally


def _day(value, missing: int) -> int:
    """A stored date (ISO text) as a day number, ``missing`` for NULL."""
    return missing if value is None else date.fromisoformat(value).toordinal()


def _lookup(table: np.ndarray, documents: np.ndarray) -> np.ndarray:
    """table[documents], False for ids beyond the table (and for 0, no document)."""
    inside = documents < len(table)
    out = np.zeros(len(documents), dtype=bool)
    out[inside] = table[documents[inside]]
    return out


class Store:
    """One database's snapshot in this process, refreshed from committed data under a lock."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.current: Snapshot | None = None
        self.lock = threading.Lock()

    def refresh(self) -> Snapshot:
        """Bring the snapshot up to the newest committed log entry."""
        with self.lock, self.engine.connect() as conn:
            driver = conn.connection.dbapi_connection
            cursor = driver.cursor()
            try:
                cursor.execute("BEGIN")  # one read transaction: the log and the rows agree
                top, low = cursor.execute("SELECT max(seq), min(seq) FROM search_entry_log").fetchone()
                top = top or 0
                old = self.current
                if old is not None and old.seq == top:
                    return old
                if old is None or top < old.seq or (low is not None and low > old.seq + 1):
                    self.current = _load_all(cursor, top)
                else:
                    self.current = _load_changes(cursor, old, top)
                return self.current
            finally:
                cursor.execute("ROLLBACK")
                cursor.close()


def _load_all(cursor, seq: int) -> Snapshot:
    (high,) = cursor.execute("SELECT coalesce(max(id), 0) FROM search_entry").fetchone()
    (documents,) = cursor.execute("SELECT coalesce(max(id), 0) FROM document").fetchone()
    snapshot = Snapshot.empty(seq, high + 1, documents + 1)
    snapshot.set_documents(
        [], cursor.execute(_SELECT_DOCUMENTS).fetchall(), cursor.execute(_SELECT_REPEALS).fetchall()
    )
    cursor.execute(_SELECT)
    while rows := cursor.fetchmany(100_000):
        snapshot.set([], rows)
    return snapshot


def _select_in(cursor, sql: str, column: str, ids: list[int]) -> list[tuple]:
    rows: list[tuple] = []
    where = " AND " if " WHERE " in sql else " WHERE "
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows += cursor.execute(f"{sql}{where}{column} IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return rows


def _grown(size: int, ids: list[int]) -> int:
    """The array length that holds ``ids``: the same, or a quarter more than needed."""
    high = max(ids, default=0)
    return size if high < size else high + 1 + high // 4


def _load_changes(cursor, old: Snapshot, seq: int) -> Snapshot:
    logged = cursor.execute(
        "SELECT entry_id, document_id FROM search_entry_log WHERE seq > ?", (old.seq,)
    ).fetchall()
    entries = sorted({e for e, _ in logged if e is not None})
    documents = sorted({d for _, d in logged if d is not None})
    snapshot = old.copy(seq, _grown(old.size, entries), _grown(len(old.starts), documents))
    snapshot.set_documents(
        documents,
        _select_in(cursor, _SELECT_DOCUMENTS, "id", documents),
        _select_in(cursor, _SELECT_REPEALS, "target_document_id", documents),
    )
    snapshot.set(entries, _select_in(cursor, _SELECT, "id", entries))
    return snapshot


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def _has_log(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_entry_log'")
            ).first()
        )


def snapshot_for(db: Session) -> Snapshot | None:
    """The columns exactly as this session sees the index, or None (not a SQLite file, not in step)."""
    engine = db.get_bind().engine
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    key = str(engine.url)
    store = _stores.get(key)
    if store is None or store.engine is not engine:
        if not _has_log(engine):
            return None
        with _stores_lock:
            store = _stores[key] = Store(engine)
    seen = db.execute(text("SELECT max(seq) FROM search_entry_log")).scalar() or 0
    current = store.current
    if current is None or current.seq < seen:
        current = store.refresh()
    return current if current.seq == seen else None


def prune(db: Session) -> None:
    """Keep the log's newest KEEP rows (sync calls this; SQLite only)."""
    if db.get_bind().dialect.name != "sqlite":
        return
    db.execute(
        text("DELETE FROM search_entry_log WHERE seq <= (SELECT max(seq) FROM search_entry_log) - :keep"),
        {"keep": KEEP},
    )
