"""Cutting a gazette into documents: the issue, the table of contents, where each document starts,
and which continuation block ("（上接第34页）…") belongs to which interrupted document ("…（下转第40页）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhengcetong.chinese import normalise_doc_number, parse_date, remove_spaces, to_halfwidth_digits
from zhengcetong.ingest.header import (
    TITLE_END,
    compact,
    is_addressee_line,
    is_doc_number_line,
    is_org_name,
    is_red_header,
    looks_like_title,
    split_issuer,
)
from zhengcetong.ingest.lines import DOWN_RE, UP_RE, Line
from zhengcetong.ingest.text import is_date_line
from zhengcetong.library import TocEntry

_ISSUE_RE = re.compile(r"((?:19|20)\d{2})年第(\d{1,3}(?:[-—－]\d{1,3})?)期")
_MONTH_RE = re.compile(r"^[（(]((?:19|20)\d{2})年(\d{1,2})月[）)]$")
_CHRONICLE_RE = re.compile(r"^(.{0,30}大事记)(?:[（(]((?:19|20)\d{2})年(\d{1,2})月[）)])?$")
_TOC_PAGE_RE = re.compile(r"^(.*?)[\s.．。…·•_\-—]*(\d{1,3})$")
_META_KEYS = {
    "索引号": "index_no",
    "发文机关": "issuer",
    "发布机构": "issuer",
    "成文日期": "date",
    "标题": "title",
    "名称": "title",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "发布日期": "published",
    "主题分类": "topic",
    "有效性": "validity",
}


@dataclass
class DocStart:
    """Where a document begins and what its header says."""

    index: int  # index (into the line list) of the header's first line
    body_index: int  # index of the first line after the header
    doc_number: str | None
    issuer: str | None
    title: str
    chronicle: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    plain: bool = False  # no header of its own: a text cut from a website or a longer document


def find_issue(lines: list[Line]) -> str | None:
    """The issue printed on the cover ("2023年第5期"), or None for a single document."""
    for line in lines[:60]:
        m = _ISSUE_RE.search(compact(line.text))
        if m:
            return f"{m.group(1)}年第{m.group(2).replace('—', '-').replace('－', '-')}期"
    return None


def parse_toc(lines: list[Line], end: int) -> list[TocEntry]:
    """Table-of-contents entries between the "目录" line and ``end`` (the first document)."""
    start = next((i for i, ln in enumerate(lines[:end]) if compact(ln.text) in ("目录", "目次")), None)
    if start is None:
        return []
    entries: list[TocEntry] = []
    section: str | None = None
    pending: list[str] = []
    for line in lines[start + 1 : end]:
        text = compact(line.text)
        if text.startswith(("◎", "●", "■", "★", "◆")):
            section, pending = text.lstrip("◎●■★◆"), []
            continue
        m = _TOC_PAGE_RE.match(text)
        if not m or not m.group(1):
            pending.append(text)
            continue
        head, page = m.group(1).rstrip(".．…·"), int(m.group(2))
        number_match = re.search(
            r"[\u3400-\u9fff]{1,12}[〔\[［【(（](?:19|20)\d{2}[〕\]］】)）]\d{1,4}号$", head
        )
        if number_match:
            number = normalise_doc_number(number_match.group(0))
            title = "".join(pending) or head[: number_match.start()]
        else:
            number, title = None, "".join(pending) + head
        entries.append(TocEntry(title=_strip_issuer(title), doc_number=number, page=page, section=section))
        pending = []
    return entries


def _strip_issuer(title: str) -> str:
    _, stripped = split_issuer(title)
    return stripped


def find_starts(lines: list[Line]) -> list[DocStart]:
    """Every document start in reading order."""
    meta_start = _web_metadata(lines)
    if meta_start:
        return [meta_start]
    starts: list[DocStart] = []
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if i in taken:
            continue
        start = None
        if is_doc_number_line(line.text):
            start = _start_at_number(lines, i)
        else:
            start = _start_at_chronicle(lines, i)
        if start and not (starts and start.index < starts[-1].body_index):
            starts.append(start)
            taken.update(range(start.index, start.body_index))
    if not starts:
        start = _start_at_bare_title(lines)
        if start:
            starts.append(start)
    return starts


def _start_at_number(lines: list[Line], i: int) -> DocStart:
    number = normalise_doc_number(lines[i].text)
    index, issuer, title, body = i, None, "", i + 1
    prev = compact(lines[i - 1].text) if i > 0 else ""
    prev2 = compact(lines[i - 2].text) if i > 1 else ""
    red, red_issuer = is_red_header(prev)
    if red:
        index, issuer = i - 1, red_issuer
    elif looks_like_title(prev) and not is_date_line(prev):
        index, issuer, title = i - 1, None, prev
        if is_org_name(prev2):
            index, issuer = i - 2, prev2
        issuer, title = split_issuer(lines[i - 1].text, issuer)
    elif is_org_name(prev):
        index, issuer = i - 1, prev
    if not title:
        title_lines: list[str] = []
        j = i + 1
        while j < len(lines) and len(title_lines) < 4:
            text = lines[j].text
            if is_addressee_line(text) or is_date_line(text) or is_doc_number_line(text) or UP_RE.match(text):
                break
            if is_red_header(text)[0]:  # "XX人民政府文件" heads the next document, never a title
                break
            if title_lines and (looks_like_title("".join(title_lines)) or not _title_continues(text)):
                break
            if not title_lines and not (looks_like_title(text) or _title_continues(text)):
                break
            title_lines.append(text)
            j += 1
        body = j
        issuer, title = split_issuer(" ".join(title_lines), issuer)
    return DocStart(index=index, body_index=body, doc_number=number, issuer=issuer, title=title)


def _title_continues(text: str) -> bool:
    name = compact(text)
    return 0 < len(name) <= 60 and not re.search(r"[。；：:]", name)


def _start_at_chronicle(lines: list[Line], i: int) -> DocStart | None:
    m = _CHRONICLE_RE.match(compact(lines[i].text))
    if not m:
        return None
    if m.group(2):
        period, body = f"{m.group(2)}年{int(m.group(3))}月", i + 1
    elif i + 1 < len(lines) and (mm := _MONTH_RE.match(compact(lines[i + 1].text))):
        period, body = f"{mm.group(1)}年{int(mm.group(2))}月", i + 2
    else:
        return None
    name = m.group(1)
    issuer = name[: -len("大事记")] if is_org_name(name[: -len("大事记")]) else None
    return DocStart(
        index=i, body_index=body, doc_number=None, issuer=issuer, title=f"{name}（{period}）", chronicle=True
    )


def _web_metadata(lines: list[Line]) -> DocStart | None:
    """A single document as a government website shows it: an information block of 标题/发文机关/
    发文字号/成文日期/索引号… pairs, in any order, one or several to a line, keys spaced out or not
    ("标　　题："); the title comes from the block, else from the first title line under it."""
    meta: dict[str, str] = {}
    last = -1
    for i, line in enumerate(lines[:30]):
        pairs = info_pairs(line.text)
        if pairs:
            for key, value in pairs:
                meta.setdefault(_META_KEYS[key], value)
            last = i
    if len(meta) < 2 or not ({"title", "doc_number", "issuer", "date", "index_no"} & meta.keys()):
        return None
    if not ({"title", "doc_number"} & meta.keys()) and len(meta) < 3:
        return None
    body = last + 1
    title = compact(meta.get("title", ""))
    number = normalise_doc_number(meta["doc_number"]) if meta.get("doc_number") else None
    issuer = compact(meta["issuer"]) if meta.get("issuer") else None
    # the page repeats the header under the metadata: red header, 文号, title lines
    while body < len(lines):
        text = compact(lines[body].text)
        if not title and looks_like_title(text) and not is_doc_number_line(text):
            title = text
            body += 1
            continue
        if (
            is_red_header(text)[0]
            or (number and is_doc_number_line(text) and normalise_doc_number(text) == number)
            or (title and text and (text in title or title.endswith(split_issuer(text, issuer)[1])))
            or (issuer and text == issuer)
        ):
            body += 1
            continue
        break
    issuer, title = split_issuer(title, issuer)
    return DocStart(index=0, body_index=body, doc_number=number, issuer=issuer, title=title, meta=meta)


_INFO_KEY_RE = re.compile(
    "(" + "|".join(r"\s*".join(key) for key in sorted(_META_KEYS, key=len, reverse=True)) + r")\s*[：:]\s*"
)


def info_pairs(text: str) -> list[tuple[str, str]]:
    """The key-value pairs of an information-block line, or [] when the line does not start with a key.

    Examples:
        >>> info_pairs("标　　题：关于印发某办法的通知")
        [('标题', '关于印发某办法的通知')]
        >>> info_pairs("索 引 号：000014349/2023-00045　主题分类：财政")
        [('索引号', '000014349/2023-00045'), ('主题分类', '财政')]
    """
    stripped = text.strip()
    found = list(_INFO_KEY_RE.finditer(stripped))
    if not found or found[0].start() != 0:
        return []
    pairs = []
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(stripped)
        pairs.append((remove_spaces(m.group(1)), stripped[m.end() : end].strip()))
    return pairs


def _start_at_bare_title(lines: list[Line]) -> DocStart | None:
    """A single notice with a title and addressees but no 文号."""
    for i, line in enumerate(lines[:10]):
        if looks_like_title(line.text) and any(is_addressee_line(ln.text) for ln in lines[i + 1 : i + 4]):
            issuer, title = split_issuer(line.text)
            return DocStart(index=i, body_index=i + 1, doc_number=None, issuer=issuer, title=title)
    return None


# --- page continuations -------------------------------------------------------------------------


@dataclass
class Block:
    """A continuation block: lines that start with "（上接第P页）" and belong to another document."""

    lines: list[Line]
    source_page: int  # P: the page the interrupted text came from
    region: int  # the document region the block sits in
    pages: tuple[int, int] | None  # where the block itself is printed (estimate)


@dataclass
class Jump:
    """A "（下转第M页）" marker at the end of a line."""

    line: Line
    target_page: int
    pages: tuple[int, int] | None


def page_intervals(
    lines: list[Line], region_of: list[int], region_pages: list[int | None]
) -> list[tuple[int, int] | None]:
    """For every line, the pages it may be printed on, from page-number furniture and TOC pages."""
    n = len(lines)
    before: list[int | None] = [None] * n
    after: list[int | None] = [None] * n
    last = None
    for i, line in enumerate(lines):
        if line.kind == "page" and line.page is not None:
            last = line.page
        before[i] = last
    nxt = None
    for i in range(n - 1, -1, -1):
        if lines[i].kind == "page" and lines[i].page is not None:
            nxt = lines[i].page
        after[i] = nxt
    known = [p for p in region_pages if p is not None]
    out: list[tuple[int, int] | None] = []
    for i in range(n):
        lo, hi = before[i], after[i]
        r = region_of[i]
        if r >= 0 and region_pages[r] is not None:
            toc_lo = region_pages[r]
            later = [p for p in region_pages[r + 1 :] if p is not None]
            toc_hi = later[0] if later else (max(known) + 60 if known else toc_lo + 60)
            lo = max(lo, toc_lo) if lo is not None else toc_lo
            hi = min(hi, toc_hi) if hi is not None else toc_hi
            if lo > hi:  # furniture and TOC disagree: trust the furniture
                lo, hi = before[i] or toc_lo, after[i] or toc_hi
        if lo is None and hi is None:
            out.append(None)
        else:
            out.append((lo if lo is not None else hi, hi if hi is not None else lo))  # type: ignore[arg-type]
    return out


def pair_continuations(jumps: list[Jump], blocks: list[Block]) -> list[tuple[Jump, Block]]:
    """Match each block to the jump it continues, by the page numbers both markers print."""
    scored = []
    for a, jump in enumerate(jumps):
        for b, block in enumerate(blocks):
            score = _within(jump.target_page, block.pages) + _within(block.source_page, jump.pages)
            scored.append((-score, abs(a - b), a, b))
    scored.sort()
    used_j: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for neg, _dist, a, b in scored:
        if -neg < 2 or a in used_j or b in used_b:
            continue
        used_j.add(a)
        used_b.add(b)
        pairs.append((jumps[a], blocks[b]))
    return pairs


def _within(page: int, pages: tuple[int, int] | None) -> int:
    if pages is None:
        return 1
    return 2 if pages[0] <= page <= pages[1] else 0


def split_blocks(region_lines: list[Line], region: int, body_index: int) -> tuple[list[Line], list[Block]]:
    """Take continuation blocks out of a document region; return the remaining lines and the blocks."""
    keep: list[Line] = []
    blocks: list[Block] = []
    current: Block | None = None
    for k, line in enumerate(region_lines):
        m = UP_RE.match(line.text) if k >= body_index else None
        if m:
            current = Block(lines=[line], source_page=int(m.group(1)), region=region, pages=None)
            blocks.append(current)
            continue
        if current is not None and line.kind != "page":
            current.lines.append(line)
            continue
        current = None
        keep.append(line)
    return keep, blocks


def find_jump(line: Line) -> int | None:
    """The target page of a "（下转第M页）" marker ending ``line``, or None."""
    m = DOWN_RE.search(line.text)
    return int(m.group(1)) if m else None


def toc_page_for(start: DocStart, toc: list[TocEntry]) -> int | None:
    """The page the TOC gives for a document (matched by 文号, else by title)."""
    for entry in toc:
        if start.doc_number and entry.doc_number == start.doc_number:
            return entry.page
    for entry in toc:
        if not entry.doc_number and compact(entry.title) == compact(start.title):
            return entry.page
    return None


def to_date(value: str | None):
    """A metadata date ("2026年03月02日" or "2026-03-02") as a date."""
    if not value:
        return None
    value = to_halfwidth_digits(value)
    m = re.search(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})", value)
    if m:
        from datetime import date

        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_date(value)


__all__ = ["TITLE_END", "DocStart", "find_issue", "find_starts", "info_pairs", "parse_toc"]
