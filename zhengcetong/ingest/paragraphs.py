"""Physical lines -> paragraphs: join lines broken mid-sentence, keep headings, titles and table rows apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhengcetong.chinese import CJK, remove_spaces
from zhengcetong.ingest.lines import Line
from zhengcetong.ingest.text import TERMINAL, collapse_cjk_spaces
from zhengcetong.library import ParsedTable

MARKER_RE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]{1,5}[章节条]"
    r"|[一二三四五六七八九十]{1,3}[、.．]"
    r"|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}(?:[.．、](?!\d)|\s)"
    r"|[（(]\d{1,2}[）)]"
    r"|[①-⑳]"
    r"|附件\s*\d*\s*[：:]?"
    r"|△)"
)
_HEADING_MARK_RE = re.compile(r"^(第[一二三四五六七八九十百零〇\d]{1,5}[章节条])\s*")
_FORCE_JOIN_RE = re.compile(r"^[（(](?:责任单位|牵头单位|配合单位|责任部门|牵头部门)")
_DAY_RE = re.compile(r"^\d{1,2}(?:[-—–]\d{1,2})?日[，,]")


@dataclass
class Paragraph:
    """One logical paragraph of a body with the source line it starts on."""

    text: str
    line: int
    kind: str = "text"  # text | title | table
    cells: list[str] | None = None


_CJK_SIDE = f"[{CJK}，。、；：（）“”《》]"
_HALF_ITEM_RE = re.compile(r"^\(([一二三四五六七八九十]{1,3})\)\s*")


def normalise_text(text: str) -> str:
    """Repair spacing: collapse justification spaces inside Chinese text and around numbers
    ("最高 30 万元" -> "最高30万元"), write "(三) " as "（三）", keep one space after 第X条/章/节.
    """
    text = _HALF_ITEM_RE.sub(lambda m: f"（{m.group(1)}）", text)
    text = re.sub(rf"(?<={_CJK_SIDE})[ \u3000]+(?=[0-9A-Za-z%])", "", text)
    text = re.sub(rf"(?<=[0-9A-Za-z%])[ \u3000]+(?={_CJK_SIDE})", "", text)
    m = _HEADING_MARK_RE.match(text)
    if m:
        rest = collapse_cjk_spaces(text[m.end() :].strip())
        return f"{m.group(1)} {rest}" if rest else m.group(1)
    return collapse_cjk_spaces(text)


def is_heading(text: str) -> bool:
    """A numbered heading with no sentence in it ("一、总体要求", "第一章 总则")."""
    if not MARKER_RE.match(text):
        return False
    return len(text) <= 30 and not re.search(r"[，。；,;]", text)


def _ends_paragraph(text: str) -> bool:
    stripped = text.rstrip()
    return bool(stripped) and (stripped[-1] in TERMINAL or stripped.endswith(("。”", "。）", "；”", "！”")))


def join_lines(lines: list[Line], titles: set[str], has_articles: bool) -> list[Paragraph]:
    """Join physical lines into paragraphs.

    A line continues the previous one unless the previous one ends a sentence, or either is a
    heading, an attachment title, a table row or an "附件" line; a line glued by a page
    continuation always continues.
    """
    paragraphs: list[Paragraph] = []
    title_run = _title_runs(lines, titles)
    for k, line in enumerate(lines):
        raw = line.text
        if "\t" in raw:
            cells = [remove_spaces(c) for c in raw.split("\t")]
            paragraphs.append(Paragraph("\t".join(cells), line.no, "table", cells))
            continue
        text = normalise_text(raw.strip())
        if k in title_run:
            if title_run[k] == "start":
                paragraphs.append(Paragraph(text, line.no, "title"))
            else:
                paragraphs[-1].text += text
            continue
        prev = paragraphs[-1] if paragraphs else None
        if (
            prev is not None
            and prev.kind == "text"
            and (line.glue or _continues(prev.text, text, has_articles))
        ):
            sep = " " if re.search(r"[A-Za-z0-9]$", prev.text) and re.match(r"[A-Za-z]", text) else ""
            prev.text += sep + text
            continue
        paragraphs.append(Paragraph(text, line.no))
    return paragraphs


def _continues(prev: str, text: str, has_articles: bool) -> bool:
    if _FORCE_JOIN_RE.match(text):
        return True
    if _ends_paragraph(prev) or MARKER_RE.match(text) or _DAY_RE.match(text):
        return False
    if is_heading(prev) and (not has_articles or re.match(r"^第.{1,5}[章节]", prev)):
        return False
    if re.match(r"^附件", prev) and len(prev) <= 40:
        return False
    return True


def _title_runs(lines: list[Line], titles: set[str]) -> dict[int, str]:
    """Mark the lines that print an attachment title (one title may span up to three lines)."""
    marks: dict[int, str] = {}
    if not titles:
        return marks
    k = 0
    while k < len(lines):
        for span in (1, 2, 3):
            chunk = "".join(remove_spaces(ln.text) for ln in lines[k : k + span])
            if chunk in titles:
                marks[k] = "start"
                for extra in range(k + 1, k + span):
                    marks[extra] = "more"
                k += span - 1
                break
        k += 1
    return marks


def tables_from(paragraphs: list[Paragraph], offsets: list[int]) -> list[ParsedTable]:
    """Runs of table rows as Tables; the header is the first row when it is not numbered."""
    tables: list[ParsedTable] = []
    run: list[int] = []
    for idx in range(len(paragraphs) + 1):
        if idx < len(paragraphs) and paragraphs[idx].kind == "table":
            run.append(idx)
            continue
        if run:
            rows = [paragraphs[i].cells or [] for i in run]
            header: list[str] = []
            if rows and rows[0] and not re.match(r"^\d", rows[0][0]):
                header, rows = rows[0], rows[1:]
            caption = None
            before = run[0] - 1
            if (
                before >= 0
                and paragraphs[before].kind in ("title", "text")
                and len(paragraphs[before].text) <= 60
            ):
                caption = paragraphs[before].text
            end_par = paragraphs[run[-1]]
            tables.append(
                ParsedTable(
                    caption=caption,
                    header=header,
                    rows=rows,
                    start=offsets[run[0]],
                    end=offsets[run[-1]] + len(end_par.text),
                )
            )
            run = []
    return tables


CJK_RE = re.compile(f"[{CJK}]")
