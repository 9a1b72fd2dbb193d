"""Postings of frequent words: every entry a frequent word occurs in, with its weighted frequency, so
that a search with frequent words is matched and scored with numpy instead of by FTS5.

FTS5 scores every match one row at a time (about 1.5 µs each): two common words that occur together
in 80 000 entries cost 150 ms to rank, whatever the size of the page. For each word of the top lists
(``toplists``: in at least ``min_df`` entries) ``search_posting`` holds two blobs: the ids of the
entries that contain it (ascending int32) and the word's weighted frequency in each (float32, a
multiple of 0.5: exact). A search with a frequent word intersects and unites those arrays as its
AND, OR and NOT ask (its other words' ids come from FTS5, their frequencies from the tokens of the
entries that need them, when a wanted one is in at most ON_THE_FLY entries), filters the matches
with the in-memory columns (``columns``), and scores them with the operations of ``bm25.score`` in
the same order, as float64 arrays: the scores are FTS5's, bit for bit, and so is the page (ties by
id).

**Upkeep.** Built with the top lists (``toplists.build``) by reading every entry's tokens once.
Between builds, ``toplists.refresh`` records each logged change of a frequent word's entries in
``search_posting_delta`` (the entry's new frequency, or none when it no longer has the word); a
search applies the deltas of its words to the blobs. They are used only while the top lists are in
step (``toplists.statistics``).

SQLite only (migration 0010).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from sqlalchemy import Column as SqlColumn
from sqlalchemy import Float, Integer, LargeBinary, MetaData, Table, Text, delete, func, select, text
from sqlalchemy.orm import Session

from zhengcetong.search.backends.fts5.entries import entry_tokens
from zhengcetong.search.backends.fts5.lazy_numpy import np
from zhengcetong.search.bm25 import K1, TOKEN_COLUMNS, WEIGHTS, B, frequency
from zhengcetong.search.query import ParsedQuery

ON_THE_FLY = 2000  # a word without postings in at most this many entries has them read for a search

_metadata = MetaData()
POSTING = Table(
    "search_posting",
    _metadata,
    SqlColumn("term", Text, primary_key=True),
    SqlColumn("ids", LargeBinary),
    SqlColumn("freqs", LargeBinary),
)
DELTA = Table(
    "search_posting_delta",
    _metadata,
    SqlColumn("term", Text, primary_key=True),
    SqlColumn("entry_id", Integer, primary_key=True),
    SqlColumn("freq", Float),  # NULL: the entry no longer has the word
)


def build(db: Session, terms: list[str]) -> int:
    """Write the postings of ``terms`` from every entry's tokens (after clearing all); returns how many
    postings were written."""
    clear(db)
    if not terms:
        return 0
    wanted = set(terms)
    ids: dict[str, array] = {t: array("i") for t in terms}
    freqs: dict[str, array] = {t: array("f") for t in terms}
    cursor = db.connection().connection.driver_connection.cursor()  # plain tuples: a million rows
    try:
        cursor.execute(f"SELECT id, {', '.join(TOKEN_COLUMNS)} FROM search_entry ORDER BY id")
        while rows := cursor.fetchmany(20_000):
            for entry_id, *columns in rows:
                found: dict[str, float] = {}
                for w, column in zip(WEIGHTS, columns, strict=True):
                    if column:
                        for token in column[1:-1].split("||"):
                            if token in wanted:
                                found[token] = found.get(token, 0.0) + w
                for token, freq in found.items():
                    ids[token].append(entry_id)
                    freqs[token].append(freq)
    finally:
        cursor.close()
    db.execute(
        POSTING.insert(),
        [{"term": t, "ids": ids[t].tobytes(), "freqs": freqs[t].tobytes()} for t in terms],
    )
    return sum(len(a) for a in ids.values())


def complete(db: Session) -> bool:
    """True when every word of the top lists has its postings (always so after a build)."""
    missing = text(
        "SELECT 1 FROM search_top_term WHERE term NOT IN (SELECT term FROM search_posting) LIMIT 1"
    )
    return db.execute(missing).first() is None


def clear(db: Session) -> None:
    """Drop every posting and delta (before a build, or when the index is dropped)."""
    db.execute(delete(DELTA))
    db.execute(delete(POSTING))


def record(db: Session, changes: dict[tuple[str, int], float | None]) -> None:
    """Record (word, entry) → its new weighted frequency, or None when the entry lost the word."""
    if changes:
        db.execute(
            text("INSERT OR REPLACE INTO search_posting_delta (term, entry_id, freq) VALUES (:t, :e, :f)"),
            [{"t": t, "e": e, "f": f} for (t, e), f in changes.items()],
        )


@dataclass
class List:
    """One word's postings: ascending entry ids and the word's weighted frequency in each (None: read
    from the tokens when asked, for a word without stored postings)."""

    ids: np.ndarray  # int64
    freqs: np.ndarray | None  # float64


def available(db: Session, terms: set[str]) -> bool:
    """True when one of these words has postings (read from the index of words, not the blobs)."""
    return bool(terms) and bool(
        db.scalar(select(func.count()).select_from(POSTING).where(POSTING.c.term.in_(terms)))
    )


def for_query(db: Session, query: ParsedQuery) -> dict[str, List] | None:
    """The postings of every word of the query: the stored ones, and for the other words the ids
    that FTS5 matches, their frequencies read from the tokens of the entries that need them (see
    ``frequencies``). None when a wanted word without postings is in more than ON_THE_FLY entries."""
    terms = set(query.terms())
    wanted = {t for g in query.groups for a in g for t in a.tokens}
    out = load(db, terms)
    for term in sorted(terms - out.keys()):
        most = ON_THE_FLY + 1 if term in wanted else -1  # an excluded word: every entry with it
        found = db.scalar(
            text(
                "SELECT group_concat(rowid) FROM"
                " (SELECT rowid FROM search_fts WHERE search_fts MATCH :q ORDER BY rowid LIMIT :most)"
            ),
            {"q": '"' + term.replace('"', '""') + '"', "most": most},
        )
        ids = np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, dtype=np.int64)
        if term in wanted and len(ids) > ON_THE_FLY:
            return None
        out[term] = List(ids, None)
    return out


def _frequencies_read(db: Session, term: str, ids: np.ndarray) -> np.ndarray:
    """The weighted frequency of ``term`` in each of ``ids``, from their tokens."""
    found = {entry_id: frequency(columns, term) for entry_id, columns, _ in entry_tokens(db, ids.tolist())}
    return np.array([found[i] for i in ids.tolist()], dtype=np.float64)


def load(db: Session, terms: set[str]) -> dict[str, List]:
    """The stored postings of those of these words that have them, with their deltas applied."""
    rows = {
        term: (ids, freqs)
        for term, ids, freqs in db.execute(select(POSTING).where(POSTING.c.term.in_(terms)))
    }
    deltas: dict[str, list[tuple[int, float | None]]] = {}
    for term, entry_id, freq in db.execute(select(DELTA).where(DELTA.c.term.in_(terms))):
        deltas.setdefault(term, []).append((entry_id, freq))
    out = {}
    for term, (raw_ids, raw_freqs) in rows.items():
        ids = np.frombuffer(raw_ids, dtype=np.int32).astype(np.int64)
        freqs = np.frombuffer(raw_freqs, dtype=np.float32).astype(np.float64)
        changed = deltas.get(term)
        if changed:
            touched = np.array([e for e, _ in changed], dtype=np.int64)
            keep = ~np.isin(ids, touched)
            added = [(e, f) for e, f in changed if f is not None]
            ids = np.concatenate([ids[keep], np.array([e for e, _ in added], dtype=np.int64)])
            freqs = np.concatenate([freqs[keep], np.array([f for _, f in added], dtype=np.float64)])
            order = np.argsort(ids, kind="stable")
            ids, freqs = ids[order], freqs[order]
        out[term] = List(ids, freqs)
    return out


def matches(query: ParsedQuery, lists: dict[str, List]) -> np.ndarray:
    """The ids the query's AND of groups, OR of alternatives and NOT match (ascending)."""

    def alternative(tokens) -> np.ndarray:
        found = lists[tokens[0]].ids
        for token in tokens[1:]:
            found = np.intersect1d(found, lists[token].ids, assume_unique=True)
        return found

    result = None
    for group in query.groups:
        union = alternative(group[0].tokens)
        for other in group[1:]:
            union = np.union1d(union, alternative(other.tokens))
        result = union if result is None else np.intersect1d(result, union, assume_unique=True)
    for excluded in query.exclude:
        result = np.setdiff1d(result, alternative(excluded.tokens), assume_unique=True)
    return result


def frequencies(db: Session, lists: dict[str, List], term: str, ids: np.ndarray) -> np.ndarray:
    """The weighted frequency of ``term`` in each of ``ids`` (0 where it does not occur)."""
    posting = lists[term]
    at = np.searchsorted(posting.ids, ids)
    inside = at < len(posting.ids)
    found = np.zeros(len(ids), dtype=np.float64)
    hit = inside.copy()
    hit[inside] = posting.ids[at[inside]] == ids[inside]
    if posting.freqs is None:
        found[hit] = _frequencies_read(db, term, ids[hit])
    else:
        found[hit] = posting.freqs[at[hit]]
    return found


def scores(idfs: list[float], freqs: list[np.ndarray], ntokens: np.ndarray, avgdl: float) -> np.ndarray:
    """``bm25.score`` over arrays: the same operations in the same order, so the same doubles."""
    norm = K1 * ((1.0 - B) + (B * ntokens.astype(np.float64)) / avgdl)
    total = np.zeros(len(ntokens), dtype=np.float64)
    for value, freq in zip(idfs, freqs, strict=True):
        total = total + value * ((freq * (K1 + 1.0)) / (freq + norm))
    return total
