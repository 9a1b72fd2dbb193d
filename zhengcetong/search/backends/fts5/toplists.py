"""Top lists: for every frequent word, the entries where it weighs most, so that a search for a common
word ranks about a thousand entries instead of hundreds of thousands, and finds the same page.

FTS5's ``bm25()`` scores every match: a word found in 300 000 of a million entries costs 200 ms
whatever the size of the page. For each word in at least ``min_df`` entries, ``search_top`` keeps the
``size`` entries with the highest weight w = f·(k1+1) / (f + k1·(1 − b + b·dl/avgdl)) (see ``bm25``),
and ``search_top_term`` the weight θ that no entry outside the list exceeds at the average length
avgdl₀ of the build, and the word's exact document frequency.

**Exact, or not used.** A search for one frequent word (perhaps excluding others) scores the listed
entries exactly as FTS5 would (``bm25.score``: the same operations in the same order), checks the
exclusions and filters on them, and keeps the page only when its last hit scores strictly more than
any entry outside the list can: idf·θ·max(1, avgdl/avgdl₀) (a weight grows at most in proportion to
the average length, and shrinks when it falls). Otherwise ``page`` answers None and FTS5 ranks as
before. The lists make pages faster, never different.

**Upkeep.** SQLite triggers (migration 0007) log every change to an entry's tokens in
``search_change`` once the lists exist. ``refresh``, run at the end of every sync, applies the log:
document frequencies, row and token totals, and new entries whose weight beats θ join their lists.
It builds everything again when there is no build yet, when the log is larger than a tenth of the
library, when the library grew or shrank by a quarter since the build (so that words which
became frequent get a list), or when the average length grew by a tenth (so that the bound, which
grows with it, stays tight). A search while the log is not empty (a write not yet
synced) does not use the lists.

The lists' words also get their full postings (``zhengcetong.search.backends.fts5.postings``): built with the
lists, and kept by the same log (``_apply`` records each change in ``search_posting_delta``).

SQLite only: on PostgreSQL ``refresh`` and ``page`` do nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from zhengcetong.search.backends import RefreshResult
from zhengcetong.search.backends.fts5 import postings
from zhengcetong.search.backends.fts5.entries import entry_tokens
from zhengcetong.search.bm25 import FTS5_RANK, Ranked, frequency, idf, score, tokens_of, weight
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import ParsedQuery

MIN_DF = 10_000  # a word in fewer entries is ranked by FTS5 in a few milliseconds
LIST_SIZE = 1000
REBUILD_DRIFT = 0.25  # rebuild when the number of entries changed by this share since the build
LENGTH_DRIFT = 0.1  # or when the average length grew by this share (the bound grows with it)
MAX_READS = 512  # entries read to check a frequent excluded word before FTS5 ranks instead
MARGIN = 1e-9  # relative slack on the bound, far above the rounding of a few double operations

# SQLite only (migration 0007); Core tables on their own metadata (declared engine-specific in models).
_metadata = MetaData()
TOP = Table(
    "search_top",
    _metadata,
    Column("term", Text, primary_key=True),
    Column("entry_id", Integer, primary_key=True),
    Column("freq", Float),
    Column("ntokens", Integer),
)
TOP_TERM = Table(
    "search_top_term",
    _metadata,
    Column("term", Text, primary_key=True),
    Column("df", Integer),
    Column("threshold", Float),
)
TOP_STATE = Table(
    "search_top_state",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("rows", Integer),
    Column("tokens", Integer),
    Column("built_rows", Integer),
    Column("built_avgdl", Float),
    Column("min_df", Integer),
    Column("size", Integer),
    Column("built", Boolean),
)
CHANGE = Table(
    "search_change",
    _metadata,
    Column("seq", Integer, primary_key=True),
    Column("entry_id", Integer),
    Column("sign", Integer),
    Column("tok_title", Text),
    Column("tok_body", Text),
    Column("tok_extra", Text),
    Column("ntokens", Integer),
)


@dataclass
class _State:
    rows: int
    tokens: int
    built_rows: int
    built_avgdl: float
    min_df: int
    size: int

    @property
    def avgdl(self) -> float:
        return self.tokens / self.rows if self.rows else 1.0


def _active(db: Session) -> bool:
    return db.get_bind().dialect.name == "sqlite"


def _state(db: Session, *, built: bool = True) -> _State | None:
    """The lists' state (None when they are not built, or with ``built=False`` when never set up)."""
    row = db.execute(select(TOP_STATE).where(TOP_STATE.c.id == 1)).first()
    if row is None or (built and not row.built):
        return None
    return _State(row.rows, row.tokens, row.built_rows, row.built_avgdl, row.min_df, row.size)


def _in_step(db: Session) -> _State | None:
    """The state of built lists whose statistics are exact: None off SQLite, before a build, or while
    a write is not yet synced (its change still in the log)."""
    if not _active(db):
        return None
    state = _state(db)
    if state is None or db.scalar(select(CHANGE.c.seq).limit(1)) is not None:
        return None
    return state


def statistics(db: Session) -> tuple[int, int] | None:
    """The index's exact row and token totals as FTS5's ``bm25()`` sees them (see ``_in_step``)."""
    state = _in_step(db)
    return (state.rows, state.tokens) if state else None


def document_frequencies(db: Session, terms: set[str]) -> dict[str, int]:
    """How many entries contain each word: from the lists for frequent words, else counted by FTS5
    (a word not in the lists is in fewer than ``min_df`` entries, a millisecond to count)."""
    found = {
        t: df
        for t, df in db.execute(select(TOP_TERM.c.term, TOP_TERM.c.df).where(TOP_TERM.c.term.in_(terms)))
    }
    count = text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q")
    for t in terms - found.keys():
        found[t] = db.scalar(count, {"q": f'"{t}"'})
    return found


def reset(db: Session) -> None:
    """Drop the lists and the log and stop logging (before the whole index is dropped); the build's
    parameters stay for the next refresh."""
    if not _active(db):
        return
    db.execute(update(TOP_STATE).values(built=False))
    for table in (CHANGE, TOP, TOP_TERM):
        db.execute(delete(table))
    postings.clear(db)


def refresh(db: Session, *, min_df: int | None = None, size: int | None = None) -> RefreshResult:
    """Bring the lists in step with the index (see the module docstring); a no-op off SQLite.

    ``min_df`` and ``size`` change the build's parameters (a build follows); by default the last
    build's are kept, or MIN_DF and LIST_SIZE.
    """
    started = time.perf_counter()
    if not _active(db):
        return RefreshResult()
    state = _state(db, built=False)
    wanted = (
        min_df if min_df is not None else (state.min_df if state else MIN_DF),
        size if size is not None else (state.size if state else LIST_SIZE),
    )
    if (
        state is None
        or (state.min_df, state.size) != wanted
        or _state(db) is None
        or not postings.complete(db)  # lists built before the postings existed (migration 0010)
    ):
        lists = build(db, min_df=wanted[0], size=wanted[1])
        return RefreshResult(built=True, lists=lists, seconds=time.perf_counter() - started)
    pending = db.scalar(select(func.count()).select_from(CHANGE))
    if not pending:
        return RefreshResult()
    if pending > max(1000, state.rows // 10):
        lists = build(db, min_df=state.min_df, size=state.size)
        return RefreshResult(built=True, lists=lists, changes=pending, seconds=time.perf_counter() - started)
    _apply(db, state)
    if abs(state.rows - state.built_rows) > REBUILD_DRIFT * max(
        state.built_rows, state.min_df
    ) or state.avgdl > state.built_avgdl * (1.0 + LENGTH_DRIFT):
        lists = build(db, min_df=state.min_df, size=state.size)
        return RefreshResult(built=True, lists=lists, changes=pending, seconds=time.perf_counter() - started)
    return RefreshResult(changes=pending, seconds=time.perf_counter() - started)


def build(db: Session, *, min_df: int = MIN_DF, size: int = LIST_SIZE) -> int:
    """Build every list from the index as it is (FTS5 ranks each frequent word once); returns how many."""
    reset(db)
    db.execute(delete(TOP_STATE))
    rows, tokens = db.execute(select(func.count(), func.coalesce(func.sum(SearchEntry.ntokens), 0))).one()
    avgdl = tokens / rows if rows else 1.0
    frequent: list[tuple[str, int]] = []
    if rows >= min_df:
        db.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_fts, row)"
            )
        )
        frequent = [
            (term, df)
            for term, df in db.execute(
                text("SELECT term, doc FROM temp.search_vocab WHERE doc >= :min_df ORDER BY term"),
                {"min_df": min_df},
            )
        ]
    ranked = text(
        f"SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY {FTS5_RANK}, rowid LIMIT :size"
    )
    for term, df in frequent:
        ids = list(db.scalars(ranked, {"q": f'"{term}"', "size": size}))
        listed = [
            {"term": term, "entry_id": entry_id, "freq": frequency(columns, term), "ntokens": ntokens}
            for entry_id, columns, ntokens in entry_tokens(db, ids)
        ]
        # Entries FTS5 ranked after these score at most as much; a weight within rounding of the
        # lowest listed one may sit among them, hence the slack.
        lowest = min(weight(x["freq"], x["ntokens"], avgdl) for x in listed)
        db.execute(insert(TOP), listed)
        db.execute(insert(TOP_TERM).values(term=term, df=df, threshold=lowest * (1.0 + MARGIN)))
    postings.build(db, [term for term, _ in frequent])
    db.execute(
        insert(TOP_STATE).values(
            id=1,
            rows=rows,
            tokens=tokens,
            built_rows=rows,
            built_avgdl=avgdl,
            min_df=min_df,
            size=size,
            built=True,
        )
    )
    return len(frequent)


def _apply(db: Session, state: _State) -> None:
    """Apply the logged changes in order: totals, document frequencies, list membership."""
    changes = db.execute(select(CHANGE).order_by(CHANGE.c.seq)).all()
    terms = {t: [df, threshold] for t, df, threshold in db.execute(select(TOP_TERM))}
    avgdl = state.built_avgdl  # thresholds hold at the build's average length
    membership: dict[tuple[str, int], dict | None] = {}  # the last change of each (word, entry) wins
    postings_changed: dict[tuple[str, int], float | None] = {}  # likewise, for search_posting_delta
    for change in changes:
        columns = (change.tok_title, change.tok_body, change.tok_extra)
        state.rows += change.sign
        state.tokens += change.sign * change.ntokens
        for term in tokens_of(columns) & terms.keys():
            terms[term][0] += change.sign
            key = (term, change.entry_id)
            if change.sign < 0:
                membership[key] = postings_changed[key] = None
                continue
            freq = postings_changed[key] = frequency(columns, term)
            if weight(freq, change.ntokens, avgdl) > terms[term][1]:
                membership[key] = {
                    "term": term,
                    "entry_id": change.entry_id,
                    "freq": freq,
                    "ntokens": change.ntokens,
                }
            else:
                membership[key] = None
    for (term, entry_id), row in membership.items():
        db.execute(delete(TOP).where(TOP.c.term == term, TOP.c.entry_id == entry_id))
        if row is not None:
            db.execute(insert(TOP).values(**row))
    postings.record(db, postings_changed)
    touched = {term for term, _ in membership}
    if touched:
        db.execute(
            update(TOP_TERM).where(TOP_TERM.c.term == bindparam("t")).values(df=bindparam("df")),
            [{"t": t, "df": terms[t][0]} for t in touched],
        )
    db.execute(update(TOP_STATE).where(TOP_STATE.c.id == 1).values(rows=state.rows, tokens=state.tokens))
    db.execute(delete(CHANGE).where(CHANGE.c.seq <= changes[-1].seq))


def page(
    db: Session,
    query: ParsedQuery,
    offset: int,
    limit: int,
    passing: Callable[[list[int]], set[int]],
) -> list[Ranked] | None:
    """One page ranked by relevance from the lists, or None when they cannot prove it (see above).

    ``passing`` filters candidate ids (what the public may see, the request's filters, phrases).
    A query must want one word (perhaps repeated; it may exclude others). With several frequent
    words, an entry outside every list can score about as much as the listed ones (the weights of
    common words saturate), so the lists prove almost no page: 1 of 104 such queries on the bench
    library of a million clauses, at a cost of 35 ms for each of the others.
    """
    if not _active(db) or not query.groups:
        return None
    wanted = list(dict.fromkeys(t for g in query.groups for a in g for t in a.tokens))
    if len(wanted) != 1:
        return None
    word = wanted[0]
    listed = db.execute(select(TOP_TERM.c.df, TOP_TERM.c.threshold).where(TOP_TERM.c.term == word)).first()
    if listed is None:
        return None  # not a frequent word: FTS5 ranks it in a few milliseconds
    state = _in_step(db)
    if state is None:
        return None  # the statistics are not known exactly
    avgdl = state.avgdl
    terms = query.terms()  # excluded words score nothing in a matching entry: idf 0 is as good
    word_idf = idf(state.rows, listed.df)
    idfs = [word_idf if t == word else 0.0 for t in terms]
    growth = max(1.0, avgdl / state.built_avgdl)
    # What an entry outside the list can score: each occurrence of the word in the query at most θ.
    outside = sum(word_idf * listed.threshold * growth for t in terms if t == word) * (1.0 + MARGIN)

    cursor = db.connection().connection.driver_connection.cursor()  # plain sqlite3 tuples: 3× faster
    try:
        rows = cursor.execute(
            "SELECT entry_id, freq, ntokens FROM search_top WHERE term = ?", (word,)
        ).fetchall()
    finally:
        cursor.close()
    excluded = {t for a in query.exclude for t in a.tokens}
    containing = _entries_with(db, excluded, state.min_df) if excluded else {}
    scored: dict[int, float] = {}  # matching entries with their exact scores
    unchecked: list[tuple[float, int]] = []  # (score, id): whether a frequent excluded word is there
    for entry_id, freq, ntokens in rows:
        value = score(idfs, [freq if t == word else 0.0 for t in terms], ntokens, avgdl)
        if containing is None:
            unchecked.append((value, entry_id))
        elif not excluded or matches(query, {word} | {t for t in excluded if entry_id in containing[t]}):
            scored[entry_id] = value
    unchecked.sort(key=lambda p: (-p[0], p[1]))

    # Filter the best first, reading the tokens of unchecked entries only as far as the page needs.
    end, allowed, opened = offset + limit, {}, 0
    while True:
        frontier = max(outside, unchecked[opened][0] if opened < len(unchecked) else 0.0)
        sure = sorted(
            (Ranked(i, v) for i, v in scored.items() if v > frontier), key=lambda r: (-r.score, r.id)
        )
        kept = _first_passing(sure, end, allowed, passing)
        if len(kept) >= end:
            return kept[offset:end]
        if opened == len(unchecked) or opened >= MAX_READS:
            return None  # an entry outside the list might rank on this page
        batch = [entry_id for _, entry_id in unchecked[opened : opened + max(64, opened)]]
        opened += len(batch)
        scored.update(_score_entries(db, query, terms, idfs, set(batch), avgdl))


def _first_passing(
    ranked: list[Ranked], end: int, allowed: dict[int, bool], passing: Callable[[list[int]], set[int]]
) -> list[Ranked]:
    """The first ``end`` entries that pass the filters, asking ``passing`` in growing batches
    (answers are remembered in ``allowed``)."""
    kept: list[Ranked] = []
    start, batch = 0, max(32, 2 * end)
    while len(kept) < end and start < len(ranked):
        chunk = ranked[start : start + batch]
        unknown = [r.id for r in chunk if r.id not in allowed]
        if unknown:
            ok = passing(unknown)
            allowed.update((i, i in ok) for i in unknown)
        kept.extend(r for r in chunk if allowed[r.id])
        start, batch = start + batch, batch * 4
    return kept


def _entries_with(db: Session, tokens: set[str], most: int) -> dict[str, set[int]] | None:
    """The entries that contain each of these words (None when one of them is in ``most`` or more)."""
    found = {}
    for token in tokens:
        ids = set(
            db.scalars(
                text("SELECT rowid FROM search_fts WHERE search_fts MATCH :q LIMIT :most"),
                {"q": f'"{token}"', "most": most},
            )
        )
        if len(ids) >= most:
            return None
        found[token] = ids
    return found


def _score_entries(
    db: Session, query: ParsedQuery, terms: list[str], idfs: list[float], ids: set[int], avgdl: float
) -> dict[int, float]:
    """Scores of the candidates that match the query (its words' AND/OR/NOT), from their tokens."""
    out: dict[int, float] = {}
    for entry_id, columns, ntokens in entry_tokens(db, sorted(ids)):
        freqs = match_frequencies(query, terms, columns)
        if freqs is not None:
            out[entry_id] = score(idfs, freqs, ntokens, avgdl)
    return out


def match_frequencies(
    query: ParsedQuery, terms: list[str], columns: tuple[str, str, str]
) -> list[float] | None:
    """The weighted frequency of each of ``terms`` in an entry's token columns, or None when the entry
    does not match the query (a word is present where its frequency is above zero)."""
    freqs = [frequency(columns, t) for t in terms]
    return freqs if matches(query, {t for t, f in zip(terms, freqs, strict=True) if f > 0.0}) else None


def matches(query: ParsedQuery, present: set[str]) -> bool:
    """The FTS5 expression's verdict: every group has an alternative whose tokens are all there, and
    no excluded alternative is."""

    def has(alternative) -> bool:
        return all(t in present for t in alternative.tokens)

    return all(any(has(a) for a in g) for g in query.groups) and not any(has(a) for a in query.exclude)
