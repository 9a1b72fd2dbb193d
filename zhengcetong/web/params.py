"""Query parameters of the HTML pages, read leniently: a form submits empty fields as ``name=``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

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
    """``?a=1&b=2`` without the empty parameters (``""`` when nothing is left); a list repeats its name.

    Examples:
        >>> query_string({"valid_on": "", "kind": "notice", "offset": "50"}, offset=None)
        '?kind=notice'
        >>> query_string({}, valid_on="2026-03-20")
        '?valid_on=2026-03-20'
        >>> query_string({"q": "补贴", "kind": ["item", "", "clause"]})
        '?q=%E8%A1%A5%E8%B4%B4&kind=item&kind=clause'
    """
    kept: list[tuple[str, object]] = []
    for name, value in {**params, **changes}.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is not None and str(one) != "":
                kept.append((name, one))
    return "?" + urlencode(kept) if kept else ""


def query_params(params: QueryParams) -> dict[str, str | list[str]]:
    """A request's query parameters as a dict that keeps repeated names as lists.

    Examples:
        >>> query_params(QueryParams("q=a&kind=item&kind=clause"))
        {'q': 'a', 'kind': ['item', 'clause']}
    """
    out: dict[str, str | list[str]] = {}
    for name in params:
        values = params.getlist(name)
        out[name] = values if len(values) > 1 else values[0]
    return out
