"""Exact phrases from a trigram index: a search with a quoted phrase ranks only the entries whose
text can contain it, instead of every entry that has its words.

A phrase such as "办法管理" is made of common words: FTS5 matches the hundreds of thousands of
entries that have both, and each must then be checked for the phrase itself (``norm`` LIKE), which
takes a few hundred milliseconds at a million entries. ``search_norm`` (migration 0008, SQLite only)
indexes every three characters of ``norm`` without positions; the entries that have every trigram of
every phrase are a small superset of those that contain the phrases (usually equal to it), found in
a millisecond. ``matching`` keeps those that pass the request's filters (the phrase check among
them, so the superset is cut down exactly) and have the query's words, in one query; ``page``
scores them with ``bm25.score`` from exact statistics, so the page is the one FTS5 would give, bit
for bit, and the facet counts are grouped over the same entries.

Not used (FTS5 ranks as before) for a phrase shorter than three characters, when more than
MAX_CANDIDATES entries have the trigrams, or while the index statistics are not known exactly
(``toplists.statistics``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from zhengcetong.search.backends.fts5 import toplists
from zhengcetong.search.backends.fts5.entries import ids_in
from zhengcetong.search.bm25 import TOKEN_COLUMNS, Ranked, idf, score
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.query import ParsedQuery

MIN_CHARS = 3  # the trigram tokenizer cannot look up anything shorter
MAX_CANDIDATES = 5000


def trigram_query(phrases: list[str]) -> str | None:
    """The FTS5 query for entries that have every trigram of every phrase (None if one is too short).

    Examples:
        >>> trigram_query(["办法管理", 'a"b'])
        '"办法管" AND "法管理" AND "a""b"'
        >>> trigram_query(["补贴"]) is None
        True
    """
    if not phrases or any(len(p) < MIN_CHARS for p in phrases):
        return None
    grams = dict.fromkeys(p[i : i + 3] for p in phrases for i in range(len(p) - 2))
    return " AND ".join('"' + g.replace('"', '""') + '"' for g in grams)


def matching(db: Session, query: ParsedQuery, conditions: list) -> list[tuple[int, list[float], int]] | None:
    """Every entry that matches the query and passes ``conditions`` (the request's filters, the
    phrase check among them), with the weighted frequency of each of ``query.terms()`` and its
    length; None when the trigram index cannot narrow the search down."""
    if db.get_bind().dialect.name != "sqlite" or not query.groups:
        return None
    trigrams = trigram_query(query.phrases)
    if trigrams is None:
        return None
    ids = list(
        db.scalars(
            text("SELECT rowid FROM search_norm WHERE search_norm MATCH :q LIMIT :most"),
            {"q": trigrams, "most": MAX_CANDIDATES + 1},
        )
    )
    if len(ids) > MAX_CANDIDATES:
        return None
    if not ids:
        return []
    return frequencies(db, query, ids, conditions)


def frequencies(
    db: Session, query: ParsedQuery, ids: list[int], conditions: list
) -> list[tuple[int, list[float], int]]:
    """Those of ``ids`` that match the query and pass ``conditions``, with the weighted frequency of
    each of ``query.terms()`` and their length (read from their tokens)."""
    entries = SearchEntry.__table__
    terms = query.terms()
    found = []
    for row in db.execute(
        select(entries.c.id, entries.c.ntokens, *[entries.c[c] for c in TOKEN_COLUMNS]).where(
            ids_in(ids), *conditions
        )
    ):
        freqs = toplists.match_frequencies(query, terms, (row.tok_title, row.tok_body, row.tok_extra))
        if freqs is not None:
            found.append((row.id, freqs, row.ntokens))
    return found


def page(
    db: Session, query: ParsedQuery, offset: int, limit: int, find: Callable[[], list | None]
) -> list[Ranked] | None:
    """One page ranked by relevance among the entries that contain the phrases (see above);
    ``find`` gives them (``matching`` with the request's conditions, or the caller's kept answer)."""
    if not query.phrases:
        return None
    stats = toplists.statistics(db)
    if stats is None:
        return None
    found = find()
    if found is None:
        return None
    return ranked(db, query, found, stats)[offset : offset + limit]


def ranked(
    db: Session, query: ParsedQuery, found: list[tuple[int, list[float], int]], stats: tuple[int, int]
) -> list[Ranked]:
    """``found`` (as ``frequencies`` gives it) scored as FTS5 would, best first; ``stats`` are the
    index's exact row and token totals (``toplists.statistics``)."""
    rows, tokens = stats
    avgdl = tokens / rows if rows else 1.0
    idf_values = idfs(db, query, rows)
    return sorted(
        (Ranked(i, score(idf_values, freqs, n, avgdl)) for i, freqs, n in found),
        key=lambda r: (-r.score, r.id),
    )


def idfs(db: Session, query: ParsedQuery, rows: int) -> list[float]:
    """The IDF of each of ``query.terms()`` from exact document frequencies (``rows`` entries)."""
    terms = query.terms()
    wanted = len(terms) - sum(len(a.tokens) for a in query.exclude)  # excluded words come last
    df = toplists.document_frequencies(db, set(terms[:wanted]))
    # An excluded word scores nothing in FTS5 even where part of it occurs: idf 0 does the same.
    return [idf(rows, df[t]) if i < wanted else 0.0 for i, t in enumerate(terms)]
