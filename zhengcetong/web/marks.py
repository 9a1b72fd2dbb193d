"""Marks in a document's text: the policy items it contains (linked to their pages) and the words a
reader searched for. Returns plain pieces; the template escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengcetong.search import find_spans


@dataclass(frozen=True)
class Piece:
    """A run of text: plain, part of an item (``item`` = its key), a searched word (``hit``), or both."""

    text: str
    item: str | None = None
    item_name: str | None = None
    hit: bool = False


@dataclass(frozen=True)
class ItemSpan:
    """An item's source span in the document body."""

    start: int
    end: int
    key: str
    name: str


def paragraphs(text: str, offset: int, items: list[ItemSpan], words: list[str]) -> list[list[Piece]]:
    """Split a clause's text (which starts at ``offset`` in the body) into paragraphs of marked pieces.

    Examples:
        >>> [[(p.text, p.item, p.hit) for p in para] for para in
        ...  paragraphs("给予奖励。\\n其他", 10, [ItemSpan(10, 15, "k1", "事项")], ["奖励"])]
        [[('给予', 'k1', False), ('奖励', 'k1', True), ('。', 'k1', False)], [('其他', None, False)]]
    """
    size = len(text)
    item_at: list[ItemSpan | None] = [None] * size
    for span in items:
        for i in range(max(span.start - offset, 0), min(span.end - offset, size)):
            if item_at[i] is None:
                item_at[i] = span
    hit_at = [False] * size
    for a, b in find_spans(text, words) if words else []:
        for i in range(a, b):
            hit_at[i] = True
    result: list[list[Piece]] = [[]]
    i = 0
    while i < size:
        if text[i] == "\n":
            result.append([])
            i += 1
            continue
        j = i
        while j < size and text[j] != "\n" and item_at[j] is item_at[i] and hit_at[j] == hit_at[i]:
            j += 1
        span = item_at[i]
        result[-1].append(
            Piece(
                text[i:j],
                item=span.key if span else None,
                item_name=span.name if span else None,
                hit=hit_at[i],
            )
        )
        i = j
    return result
