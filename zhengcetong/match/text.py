"""Simplified-Chinese rendering of numbers, amounts, rates and years for staff-facing texts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from zhengcetong.decimals import plain

YEAR_WORDS = {0: "当年", -1: "上一年度", -2: "上上年度"}


def json_ready(data):
    """YAML data as JSON data: dates become ISO strings, keys (years written as numbers) become text.

    Examples:
        >>> json_ready({2025: [date(2024, 5, 1)], "a": {"b": 1}})
        {'2025': ['2024-05-01'], 'a': {'b': 1}}
    """
    if isinstance(data, dict):
        return {k if isinstance(k, str) else str(k): json_ready(v) for k, v in data.items()}
    if isinstance(data, list):
        return [json_ready(v) for v in data]
    if isinstance(data, date):
        return data.isoformat()
    return data


def union(parts: Iterable[Iterable[str]]) -> list[str]:
    """The names of several lists, each once, in first-seen order (the facts missing from parts of a rule).

    Examples:
        >>> union([["a", "b"], ["b", "c"], []])
        ['a', 'b', 'c']
    """
    return list(dict.fromkeys(name for part in parts for name in part))


MAX_MAGNITUDE = Decimal("1e15")  # a thousand trillion yuan: beyond it a figure is a typo, not a fact


def to_decimal(value) -> Decimal | None:
    """``value`` as a Decimal (floats through their shortest repr), or None when it is not a number, not
    finite, or not below MAX_MAGNITUDE in size (so every later product stays exact).

    Examples:
        >>> to_decimal(0.1)
        Decimal('0.1')
        >>> to_decimal("2e8")
        Decimal('2E+8')
        >>> to_decimal(True) is None, to_decimal(float("inf")) is None, to_decimal("1e30") is None
        (True, True, True)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    else:
        return None
    return d if d.is_finite() and abs(d) < MAX_MAGNITUDE else None


def number(value) -> Decimal:
    """``value`` as ``to_decimal`` reads it, for text about a number the caller already has.

    Examples:
        >>> number(3000), number("0.1")
        (Decimal('3000'), Decimal('0.1'))
    """
    d = to_decimal(value)
    if d is None:
        raise TypeError(f"{value!r} is not a number that can be written out")
    return d


def grouped(d: Decimal) -> str:
    """A Decimal with thousands separators and at most two decimals (分).

    Examples:
        >>> grouped(Decimal("3000000"))
        '3,000,000'
        >>> grouped(Decimal("1234.5"))
        '1,234.5'
    """
    if d != d.to_integral_value():
        d = d.quantize(Decimal("0.01"))
        whole, _, frac = format(d, "f").partition(".")
        frac = frac.rstrip("0")
        head = f"{int(whole):,}" if whole not in ("-0",) else "-0"
        return f"{head}.{frac}" if frac else head
    return f"{int(d):,}"


def yuan(value) -> str:
    """An amount as in calculation steps: "3,000,000 元".

    Examples:
        >>> yuan(300000)
        '300,000 元'
    """
    return f"{grouped(number(value))} 元"


def yuan_short(value) -> str:
    """An amount the way policies write it: "2亿元", "500万元", "3,000元".

    Examples:
        >>> yuan_short(200000000), yuan_short(150000000), yuan_short(5000000), yuan_short(3000)
        ('2亿元', '1.5亿元', '500万元', '3,000元')
    """
    d = number(value)
    if (
        abs(d) >= Decimal("100000000")
        and (d / Decimal("1000000")) == (d / Decimal("1000000")).to_integral_value()
    ):
        return f"{plain(d / Decimal('100000000'))}亿元"
    if abs(d) >= Decimal("10000") and (d / 100) == (d / 100).to_integral_value():
        return f"{plain(d / Decimal('10000'))}万元"
    return f"{grouped(d)}元"


def percent(value) -> str:
    """A ratio as a percentage.

    Examples:
        >>> percent(0.1), percent("0.075"), percent(1)
        ('10%', '7.5%', '100%')
    """
    return f"{plain(number(value) * 100)}%"


def year_word(offset: int) -> str:
    """A year relative to the evaluation date, in words.

    Examples:
        >>> year_word(-1), year_word(-3)
        ('上一年度', '评估年份前3年')
    """
    if offset in YEAR_WORDS:
        return YEAR_WORDS[offset]
    return f"评估年份前{-offset}年" if offset < 0 else f"评估年份后{offset}年"


UNIT_SUFFIX = {
    "person": "人",
    "month": "个月",
    "count": "项",
    "age": "周岁",
    "years": "年",
    "year": "年",
    "usd": "美元",
    "m2": "平方米",
    "m3": "立方米",
    "household": "户",
    "tonne": "吨",
    "kwh": "千瓦时",
    "mu": "亩",
}


def quantity(value, unit: str | None, *, short: bool = False) -> str:
    """``value`` with its unit, for texts (``short``: policy style 万元/亿元) and steps.

    Examples:
        >>> quantity(24, "month"), quantity(0.08, "ratio"), quantity(2000000, "yuan", short=True)
        ('24 个月', '8%', '200万元')
    """
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    d = to_decimal(value)
    if d is None:
        return f"“{value}”"
    if unit == "yuan":
        return yuan_short(d) if short else yuan(d)
    if unit == "ratio":
        return percent(d)
    if unit == "year":
        return f"{plain(d)}年"
    if unit in UNIT_SUFFIX:
        sep = "" if short else " "
        return f"{grouped(d)}{sep}{UNIT_SUFFIX[unit]}"
    return grouped(d)
