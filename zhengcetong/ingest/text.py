"""Line-level helpers of the parser: cleaning printed lines, date lines, separators, spacing.

Script, numeral, date and 文号 helpers shared with other packages live in ``zhengcetong.chinese``.
"""

from __future__ import annotations

import re
import unicodedata

from zhengcetong.chinese import CJK, to_halfwidth_digits

TERMINAL = "。；！？：:;!?…"
CLOSERS = "）)」”’】》"


def is_date_line(line: str) -> bool:
    """True when the whole line is a date (成文日期 line of a signature block)."""
    stripped = re.sub(r"\s+", "", to_halfwidth_digits(line))
    return bool(
        re.fullmatch(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日", stripped)
        or re.fullmatch(
            r"[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日",
            stripped,
        )
    )


def collapse_cjk_spaces(text: str) -> str:
    """Drop spaces that sit between two CJK characters or CJK punctuation (第一章 总 则 -> 第一章 总则 keeps the first)."""
    return re.sub(rf"(?<=[{CJK}（）“”《》、])[ \u3000]+(?=[{CJK}（）“”《》])", "", text)


def clean_line(line: str) -> str:
    """Normalise one physical line: NFC, no trailing spaces, markdown residue removed, ' and ' repaired."""
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").rstrip()
    line = re.sub(r"^\s*#{1,6}\s+", "", line)  # markdown headings
    line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)  # bold
    line = re.sub(
        r"^\s*[-*+•]\s+(?=[（(【\[]?[0-9一二三四五六七八九十])", "", line
    )  # list bullets before numbering
    line = re.sub(rf"(?<=[{CJK}、，）])\s+and\s+(?=[{CJK}])", "和", line)  # translation artefact
    return line.strip(" \t\u3000") if not line.startswith("\t") else line.rstrip()


def is_rule_line(line: str) -> bool:
    """A separator line left by layout tools (~~~~, ----, ****)."""
    return bool(re.fullmatch(r"\s*([~\-*_=·—])\1{2,}\s*", line))
