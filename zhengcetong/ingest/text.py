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


_HALF_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！"})
_HALF_BY_CJK = re.compile(rf"(?<=[{CJK}）”》])[,:;?!]|[,:;?!](?=[{CJK}（“《])")
_HALF_PARENS = re.compile(rf"\(([^()]*[{CJK}][^()]*)\)")


def full_width_punctuation(line: str) -> str:
    """Half-width punctuation between Chinese words as the full-width forms the reader expects: text
    copied from web pages writes "对首次认定的,给予5万元(含)奖励:" with ASCII marks.

    Examples:
        >>> full_width_punctuation("对企业,给予奖励(最高5万元):9:00-17:00, 1,000元")
        '对企业，给予奖励（最高5万元）：9:00-17:00, 1,000元'
    """
    line = _HALF_PARENS.sub(r"（\1）", line)
    return _HALF_BY_CJK.sub(lambda m: m.group(0).translate(_HALF_PUNCT), line)


def clean_line(line: str) -> str:
    """Normalise one physical line: NFC, no trailing spaces, markdown residue removed, ' and ' repaired."""
    line = full_width_punctuation(unicodedata.normalize("NFC", line).replace("\u00a0", " ").rstrip())
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
