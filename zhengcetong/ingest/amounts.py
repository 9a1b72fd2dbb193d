"""Money, rates and periods as policy text writes them: 50万元, 1.5亿元, 五十万元, 10%, 百分之二十."""

from __future__ import annotations

import re
from decimal import Decimal

from zhengcetong.ingest.text import cn_to_int

_CN_NUM = "零〇○一二两三四五六七八九十百千"
NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)"
MONEY_RE = re.compile(rf"({NUMBER})\s*(亿|万|千)?\s*元(?:人民币)?")
PERCENT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]|百分之([零〇一二两三四五六七八九十百点]+)")
UNIT = {None: Decimal(1), "千": Decimal(1000), "万": Decimal(10000), "亿": Decimal(100000000)}
_SPACED_DIGITS = re.compile(r"(?<=\d)[ \u3000]+(?=\d)")
_WIDE = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def squeeze(text: str) -> str:
    """Remove spaces inside numbers ("3 0 万元" -> "30万元") and full-width digits/percent.

    Examples:
        >>> squeeze("最高 3 0 万元，１０％")
        '最高 30 万元，10%'
    """
    return _SPACED_DIGITS.sub("", text.translate(_WIDE))


def number(token: str) -> Decimal | None:
    """An Arabic or Chinese numeral as a Decimal.

    Examples:
        >>> number("1.5"), number("五十"), number("两")
        (Decimal('1.5'), Decimal('50'), Decimal('2'))
    """
    token = token.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    value = cn_to_int(token)
    return Decimal(value) if value is not None else None


def money(match: re.Match[str]) -> Decimal | None:
    """Yuan of a MONEY_RE match.

    Examples:
        >>> [money(m) for m in MONEY_RE.finditer("最高50万元、1.5亿元、五十万元和3000元")]
        [Decimal('500000'), Decimal('150000000.0'), Decimal('500000'), Decimal('3000')]
    """
    value = number(match.group(1))
    if value is None:
        return None
    return value * UNIT[match.group(2)]


def amounts(text: str) -> list[tuple[Decimal, int, int]]:
    """Every money amount in ``text`` with its span in the squeezed text: [(yuan, start, end)].

    Examples:
        >>> [a for a, _, _ in amounts("分别给予最高 3 0 万元、１０万元")]
        [Decimal('300000'), Decimal('100000')]
    """
    found = []
    for m in MONEY_RE.finditer(squeeze(text)):
        value = money(m)
        if value is not None:
            whole = value == value.to_integral()
            found.append((Decimal(int(value)) if whole else value.normalize(), m.start(), m.end()))
    return found


def percent(match: re.Match[str]) -> Decimal | None:
    """A PERCENT_RE match as a fraction.

    Examples:
        >>> [percent(m) for m in PERCENT_RE.finditer("10%、7.5％、百分之二十")]
        [Decimal('0.1'), Decimal('0.075'), Decimal('0.2')]
    """
    if match.group(1):
        return (Decimal(match.group(1)) / 100).normalize()
    value = number(match.group(2))
    return (value / 100).normalize() if value is not None else None


def as_int_yuan(value: Decimal | None) -> int | float | None:
    """JSON form of an amount: an int when whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral() else float(value)
