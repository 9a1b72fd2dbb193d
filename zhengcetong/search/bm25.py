"""BM25 as FTS5's ``bm25()`` computes it, in Python: the one definition every ranking path shares.

k1 = 1.2, b = 0.75, IDF floored at 1e-6, column weights title 4, body 1, sub-words 0.5, every token of
the query counted as one phrase, a row's length the tokens of all its columns. The operations run in
the same order as FTS5's C code, in IEEE doubles, so a score computed here equals FTS5's bit for bit
(and PostgreSQL's, which writes the same formula out in SQL).

Examples:
    >>> f = frequency(("|补贴|", "|企业||补贴||补贴|", ""), "补贴")
    >>> f
    6.0
    >>> round(weight(f, 4, 8.0), 6)
    1.955556
"""

from __future__ import annotations

import math
from dataclasses import dataclass

K1 = 1.2
B = 0.75
WEIGHTS = (4.0, 1.0, 0.5)  # tok_title, tok_body, tok_extra: exact in binary, so sums do not depend on order
TOKEN_COLUMNS = ("tok_title", "tok_body", "tok_extra")
FTS5_RANK = f"bm25(search_fts, {WEIGHTS[0]}, {WEIGHTS[1]}, {WEIGHTS[2]})"  # ascending: best first


@dataclass(frozen=True)
class Ranked:
    """An entry id and its BM25 score (higher is better)."""

    id: int
    score: float


def idf(rows: int, hits: int) -> float:
    """FTS5's IDF: log((N - n + 0.5) / (n + 0.5)), floored at 1e-6.

    Examples:
        >>> round(idf(1000, 10), 6), idf(10, 9)
        (4.546835, 1e-06)
    """
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def frequency(columns: tuple[str, str, str], token: str) -> float:
    """The weighted count of a token in an entry's three ``|token|`` columns (FTS5's aFreq)."""
    needle = f"|{token}|"
    total = 0.0
    for w, text in zip(WEIGHTS, columns, strict=True):
        if text:
            total += w * text.count(needle)
    return total


def weight(freq: float, ntokens: int, avgdl: float) -> float:
    """One token's part of the score before its IDF: f·(k1+1) / (f + k1·(1 − b + b·dl/avgdl))."""
    return (freq * (K1 + 1.0)) / (freq + K1 * ((1.0 - B) + (B * float(ntokens)) / avgdl))


def score(idfs: list[float], freqs: list[float], ntokens: int, avgdl: float) -> float:
    """An entry's score: Σ idf·weight over the query's tokens in FTS5's phrase order (higher is better)."""
    total = 0.0
    for value, freq in zip(idfs, freqs, strict=True):
        total += value * weight(freq, ntokens, avgdl)
    return total


def tokens_of(columns: tuple[str, str, str]) -> set[str]:
    """The distinct tokens of an entry's ``|token|`` columns.

    Examples:
        >>> sorted(tokens_of(("|奖励|", "|企业||奖励|", "")))
        ['企业', '奖励']
    """
    found: set[str] = set()
    for text in columns:
        if text:
            found.update(text[1:-1].split("||"))
    return found
