"""Snippets: the best window of a hit's text with the query's words marked, as plain segments.

Segments are ``(text, hit)`` pairs, so the page escapes them like any other text and the JSON API
returns them as data; nothing here produces HTML.

Examples:
    >>> [(s.text, s.hit) for s in snippet("对首次认定的企业给予奖励。其他内容", ["奖励", "首次"], width=40)]
    [('对', False), ('首次', True), ('认定的企业给予', False), ('奖励', True), ('。其他内容', False)]
"""

from __future__ import annotations

import re

from zhengcetong.search.schemas import Segment

_FOLD = {c: c + 0x20 for c in range(ord("A"), ord("Z") + 1)}
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})  # full-width ASCII
_FOLD.update({c: c - 0xFEE0 + 0x20 for c in range(0xFF21, 0xFF3B)})  # full-width capitals
_FOLD[0x3000] = 0x20


def _fold(text: str) -> str:
    """Case- and width-folded text of the same length, so offsets in it are offsets in ``text``.

    Examples:
        >>> _fold("Ｃ类 AbC")
        'c类 abc'
    """
    return text.translate(_FOLD)


def find_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of ``words`` in ``text`` (longest words first), in text order.

    Examples:
        >>> find_spans("高新技术企业和企业", ["企业", "高新技术企业"])
        [(0, 6), (7, 9)]
    """
    folded = _fold(text)
    words = sorted({_fold(w) for w in words if w}, key=lambda w: (-len(w), w))
    if not words:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(folded)]


def snippet(text: str, words: list[str], width: int = 120, phrases: list[str] = ()) -> list[Segment]:
    """The ``width``-character window of ``text`` with the most distinct words, words marked.

    A window holding an exact ``phrase`` of the query wins over any other.
    """
    text = " ".join(text.split())
    spans = find_spans(text, [*words, *phrases])
    wanted = {_fold(p) for p in phrases}
    if len(text) <= width:
        start, end = 0, len(text)
    elif not spans:
        start, end = 0, width
    else:
        best, best_key = 0, (-1, -1, 0)
        lead = width // 6  # some context before the first marked word
        for s, _ in spans[:200]:  # enough to find the best window, bounded on very long texts
            low = max(0, min(s - lead, len(text) - width))
            window = [(a, b) for a, b in spans if a >= low and b <= low + width]
            found = {_fold(text[a:b]) for a, b in window}
            key = (len(found & wanted), len(found), len(window))
            if key > best_key:
                best, best_key = low, key
        start = best
        end = start + width
    segments: list[Segment] = []
    if start > 0:
        segments.append(Segment(text="…"))
    cursor = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        if a > cursor:
            segments.append(Segment(text=text[cursor:a]))
        segments.append(Segment(text=text[a:b], hit=True))
        cursor = b
    if cursor < end:
        segments.append(Segment(text=text[cursor:end]))
    if end < len(text):
        segments.append(Segment(text="…"))
    return _merge(segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].hit == segment.hit and not segment.hit:
            merged[-1] = Segment(text=merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged
