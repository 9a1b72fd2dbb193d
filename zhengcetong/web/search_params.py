"""Reading a search from query parameters: leniently for the page (a form sends empty fields), the same
model for the API; and the links that add or remove one filter."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError
from starlette.datastructures import QueryParams

from zhengcetong import clock
from zhengcetong.errors import InputError
from zhengcetong.search import KIND_NAMES, SearchRequest, check_length
from zhengcetong.web.params import optional_date, query_params, query_string

FILTERS = ("kind", "issuer", "year", "doc_kind", "topic", "department", "benefit_kind", "category", "amount")
FILTER_NAMES = {
    "kind": "类型",
    "issuer": "发文机关",
    "year": "年份",
    "doc_kind": "文种",
    "topic": "主题",
    "department": "责任部门",
    "benefit_kind": "待遇类型",
    "category": "事项类别",
    "amount": "金额",
    "valid_on": "现行有效",
}


def search_request(params: QueryParams, *, limit: int = 20) -> SearchRequest:
    """The SearchRequest a page's query string asks for (empty fields ignored; ``valid=1`` = in force today)."""

    q = params.get("q", "")
    check_length(q)
    values: dict = {"q": q, "limit": limit}
    kinds = [k for k in params.getlist("kind") if k]
    if kinds:
        values["kind"] = kinds
    for name in FILTERS[1:]:
        value = params.get(name, "").strip()
        if value:
            values[name] = value
    valid_on = optional_date(params.get("valid_on"))
    if valid_on is None and params.get("valid") in ("1", "true", "on"):
        valid_on = clock.today()
    if valid_on:
        values["valid_on"] = valid_on
    if params.get("sort") in ("relevance", "date"):
        values["sort"] = params["sort"]
    offset = params.get("offset", "").strip()
    if offset:
        values["offset"] = offset
    try:
        return SearchRequest(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first.get("loc", ("?",))[0])
        if first.get("type") == "value_error":  # our own validators explain themselves
            raise InputError(str(first["ctx"]["error"]), source=name) from exc
        raise InputError(
            f"参数 {name} 的值“{first.get('input', '')}”无效，请检查链接或筛选条件", source=name
        ) from exc


def link(params: Mapping[str, str] | QueryParams, **changes) -> str:
    """``/search?...`` with some parameters changed (None removes one) and the page reset."""
    items = query_params(params) if isinstance(params, QueryParams) else dict(params)
    items.pop("offset", None)
    return "/search" + query_string(items, **changes)


def active_filters(request: SearchRequest, params: QueryParams) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    active = []
    for name in FILTERS:
        value = getattr(request, name)
        if value in (None, [], ""):
            continue
        shown = "、".join(KIND_NAMES.get(v, v) for v in value) if isinstance(value, list) else str(value)
        active.append({"name": FILTER_NAMES[name], "value": shown, "remove": link(params, **{name: None})})
    if request.valid_on:
        active.append(
            {
                "name": FILTER_NAMES["valid_on"],
                "value": request.valid_on.isoformat(),
                "remove": link(params, valid_on=None, valid=None),
            }
        )
    return active


def api_params(request: SearchRequest) -> dict:
    """The query string of ``GET /api/v1/search`` for the same search (``valid=1`` made a date).

    Examples:
        >>> api_params(SearchRequest(q="补贴", kind=["item", "clause"], offset=20, valid_on="2026-03-01"))
        {'q': '补贴', 'kind': ['item', 'clause'], 'valid_on': '2026-03-01', 'offset': 20}
    """
    return request.model_dump(mode="json", exclude_defaults=True, exclude={"limit"})
