"""Query parameters of the HTML pages, read leniently: a form submits empty fields as ``name=``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from zhengcetong import clock


def optional_date(value: str | None, name: str = "valid_on") -> date | None:
    """An ISO date from a query parameter; empty means none, anything else unreadable is an InputError."""
    return clock.parse_date(value, name)


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
