"""Physical lines of a gazette: cleaning, page furniture and continuation markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhengcetong.chinese import remove_spaces, to_halfwidth_digits
from zhengcetong.ingest.text import clean_line, is_rule_line

UP_RE = re.compile(r"^[（(]\s*(?:上接|接)\s*第\s*(\d{1,3})\s*[页頁]\s*[）)]\s*")
DOWN_RE = re.compile(r"\s*[（(]\s*(?:下转|转)\s*第\s*(\d{1,3})\s*[页頁]\s*[）)]\s*$")
_PAGE_NO_RE = re.compile(r"^[\s\-—–－·•~_]*(?:第\s*)?(\d{1,3})(?:\s*页)?[\s\-—–－·•~_]*$")
_DECORATED_RE = re.compile(r"[\-—–－·•~_]")


@dataclass
class Line:
    """One non-blank physical line after cleaning; ``no`` is its 1-based line number in the source."""

    text: str
    no: int
    kind: str = "text"  # text | page (furniture: page break, maybe with a number)
    page: int | None = None  # for kind == page: the printed page number, when there is one
    glue: bool = False  # continues the previous line mid-sentence (joined continuation block)
    tags: set[str] = field(default_factory=set)


def gazette_name(raw_lines: list[str]) -> str | None:
    """The gazette's name from its cover (e.g. 聊城市人民政府公报), or None for a single document."""
    for raw in raw_lines[:40]:
        name = remove_spaces(raw)
        m = re.fullmatch(r"([\u4e00-\u9fff]{2,20}公报)", name)
        if m:
            return m.group(1)
    return None


def is_running_head(text: str, name: str | None) -> tuple[bool, int | None]:
    """Whether ``text`` is a running head (gazette name, issue, page number); return the page if printed."""
    compact = remove_spaces(to_halfwidth_digits(text))
    if name and name in compact:
        rest = compact.replace(name, "")
        rest = re.sub(r"\d{4}年第[\d\-—－]+期(\(总第[\d\-—－]+期\)|（总第[\d\-—－]+期）)?", "", rest)
        rest_digits = re.sub(r"[\-—–－·•~_|｜]", "", rest)
        if rest_digits == "" or rest_digits.isdigit():
            return True, int(rest_digits) if rest_digits.isdigit() and len(rest_digits) <= 3 else None
    return False, None


def page_number(text: str) -> int | None:
    """The page number if ``text`` is a bare page-number line ("— 12 —", "·12·", "12", "第12页")."""
    m = _PAGE_NO_RE.match(to_halfwidth_digits(text))
    if not m:
        return None
    return int(m.group(1))


def to_lines(text: str) -> tuple[list[Line], list[str]]:
    """Split decoded text into cleaned non-blank Lines (furniture marked) and return the raw lines too."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[Line] = []
    for no, raw in enumerate(raw_lines, start=1):
        if not raw.strip() or is_rule_line(raw):
            continue
        cleaned = clean_line(raw)
        if not cleaned.strip():
            continue
        out.append(Line(cleaned, no))
    return out, raw_lines


def mark_furniture(lines: list[Line], name: str | None, first_body: int) -> None:
    """Mark running heads and page-number lines from ``first_body`` on as page breaks.

    The cover and the table of contents precede the first document; their lines are not furniture.
    """
    for line in lines[first_body:]:
        head, number = is_running_head(line.text, name)
        if head:
            line.kind, line.page = "page", number
            continue
        if "\t" in line.text:
            continue
        number = page_number(line.text)
        if number is not None and (
            _DECORATED_RE.search(line.text) or "页" in line.text or len(line.text.strip()) <= 3
        ):
            line.kind, line.page = "page", number
