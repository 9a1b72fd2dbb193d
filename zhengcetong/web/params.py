"""Query parameters of the HTML pages, read leniently: a form submits empty fields as ``name=``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from zhengcetong.errors import InputError


def optional_date(value: str | None, name: str = "valid_on") -> date | None:
    """An ISO date from a query parameter; empty means none, anything else unreadable is an InputError.

    Examples:
        >>> optional_date("2026-03-20"), optional_date(""), optional_date(None)
        (datetime.date(2026, 3, 20), None, None)
        >>> optional_date("2026-13-01")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: valid_on: 日期“2026-13-01”无法识别，请按 YYYY-MM-DD 填写，如 2026-03-20
    """
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(f"日期“{value}”无法识别，请按 YYYY-MM-DD 填写，如 2026-03-20", source=name) from exc


def query_string(params: Mapping[str, object], **changes: object) -> str:
    """``?a=1&b=2`` without the empty parameters (``""`` when nothing is left).

    Examples:
        >>> query_string({"valid_on": "", "kind": "notice", "offset": "50"}, offset=None)
        '?kind=notice'
        >>> query_string({}, valid_on="2026-03-20")
        '?valid_on=2026-03-20'
    """
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v is not None and str(v) != ""}
    return "?" + urlencode(kept) if kept else ""
