"""Paragraphs -> the clause tree: 第X章 > 第X节 > 第X条 > 一、 > （一） > 1. > （1） > ①.

Every node keeps the character offsets of its own text in the document body, so an item extracted
later can cite the exact span it came from.
"""

from __future__ import annotations

import re

from zhengcetong.ingest.paragraphs import Paragraph
from zhengcetong.library import ParsedClause

_CN = r"[一二三四五六七八九十百零〇两\d]{1,5}"
LEVELS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^(第{_CN}章)")),
    ("section", re.compile(rf"^(第{_CN}节)")),
    ("article", re.compile(rf"^(第{_CN}条)")),
    ("part", re.compile(r"^([一二三四五六七八九十]{1,3}[、．.])")),
    ("item", re.compile(r"^([（(][一二三四五六七八九十]{1,3}[）)])")),
    ("point", re.compile(r"^(\d{1,3}[.．、](?!\d))")),
    ("subpoint", re.compile(r"^([（(]\d{1,2}[）)])")),
    ("circled", re.compile(r"^([①-⑳])")),
]
RANK = {name: i for i, (name, _) in enumerate(LEVELS)}
_DAY_RE = re.compile(r"^(\d{1,2}(?:[-—–]\d{1,2})?日)[，,]")


def normalise_label(label: str) -> str:
    """The label as it appears in a path: "一、" -> "一", "1." -> "1", "(一)" -> "（一）".

    Examples:
        >>> [normalise_label(x) for x in ["一、", "(三)", "2．", "第四条", "（1）"]]
        ['一', '（三）', '2', '第四条', '（1）']
    """
    label = label.strip()
    label = re.sub(r"[、．.]$", "", label)
    if label.startswith(("(", "（")):
        label = "（" + label[1:-1] + "）"
    return label


def marker_of(text: str, chronicle: bool = False) -> tuple[str, str] | None:
    """(level, label) of the numbering that starts ``text``, or None for an unnumbered paragraph.

    A table row copied with its cells separated by vertical bars ("（一）金融类 | 小微贴息 | …") is not
    numbered: its first cell is a row label.
    """
    if text.count("|") >= 2 and re.match(r"^[^|\n]{0,12}\|", text):
        return None
    for level, pattern in LEVELS:
        m = pattern.match(text)
        if m:
            return level, m.group(1)
    if chronicle:
        m = _DAY_RE.match(text)
        if m:
            return "day", m.group(1)
        if text.startswith("△"):
            return "event", "△"
    return None


def build_tree(
    paragraphs: list[Paragraph],
    offsets: list[int],
    attachments: list[int] | None = None,
    chronicle: bool = False,
) -> list[ParsedClause]:
    """Build the clause tree. ``attachments`` are indexes of attachment-title paragraphs.

    With two or more attachments each becomes a root ("附件1", "附件2", …) holding its own clauses.
    """
    ranks = dict(RANK)
    ranks.update({"day": RANK["part"], "event": RANK["item"]})
    roots: list[ParsedClause] = []
    stack: list[tuple[int, ParsedClause]] = []  # (rank, clause)
    base: list[ParsedClause] = roots
    base_path = ""
    attachment_index = (
        {p: n for n, p in enumerate(attachments or [], start=1)} if len(attachments or []) >= 2 else {}
    )
    counters: dict[int, int] = {}
    for idx, par in enumerate(paragraphs):
        if par.kind == "table":
            continue
        start, end = offsets[idx], offsets[idx] + len(par.text)
        if idx in attachment_index:
            n = attachment_index[idx]
            node = ParsedClause(
                label=f"附件{n}", path=f"附件{n}", text=par.text, start=start, end=end, level="attachment"
            )
            roots.append(node)
            base, base_path, stack = node.children, node.path, []
            continue
        found = marker_of(par.text, chronicle)
        if found is None:
            if stack and not stack[-1][1].children:
                top = stack[-1][1]
                top.end = end  # the text is refreshed from the body by fill_texts
                continue
            parent_children = stack[-1][1].children if stack else base
            parent_path = stack[-1][1].path if stack else base_path
            key = id(parent_children)
            counters[key] = counters.get(key, 0) + 1
            label = f"¶{counters[key]}"
            node = ParsedClause(
                label="",
                path=_join(parent_path, label),
                text=par.text,
                start=start,
                end=end,
                level="title" if par.kind == "title" else "paragraph",
            )
            parent_children.append(node)
            continue
        level, label = found
        rank = ranks[level]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent_children = stack[-1][1].children if stack else base
        parent_path = stack[-1][1].path if stack else base_path
        path = _unique(parent_children, _join(parent_path, normalise_label(label)))
        node = ParsedClause(label=label, path=path, text=par.text, start=start, end=end, level=level)
        parent_children.append(node)
        stack.append((rank, node))
    return roots


def fill_texts(roots: list[ParsedClause], body: str) -> None:
    """Set each node's text to its span of the body (nodes that absorbed unnumbered paragraphs)."""
    for root in roots:
        for node in root.walk():
            node.text = body[node.start : node.end]


def _join(parent: str, label: str) -> str:
    return f"{parent}/{label}" if parent else label


def _unique(siblings: list[ParsedClause], path: str) -> str:
    existing = {c.path for c in siblings}
    if path not in existing:
        return path
    n = 2
    while f"{path}~{n}" in existing:
        n += 1
    return f"{path}~{n}"
