"""Decimal amounts written as people and JSON read them: plain digits, no exponent, no trailing zeros."""

from __future__ import annotations

from decimal import Decimal


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros.

    Examples:
        >>> plain(Decimal("2E+8"))
        '200000000'
        >>> plain(Decimal("0.0800")), plain(Decimal("600000.00"))
        ('0.08', '600000')
    """
    d = d.normalize() if d == d.to_integral_value() else d
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
