"""Policy item pages: the list of published items and one item (JSON twins under /api/v1/items)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong import clock
from zhengcetong.library import ITEM_CATEGORIES, ItemFilters
from zhengcetong.search import AMOUNT_BUCKETS, topic_names
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.home import alternate
from zhengcetong.web.paging import Offset, pager
from zhengcetong.web.params import query_string
from zhengcetong.web.queries import item_detail, items_page
from zhengcetong.web.templating import BENEFIT_NAMES, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
CATEGORIES = ITEM_CATEGORIES


def amount_range(label: str | None) -> tuple[Decimal | None, Decimal | None]:
    """The bounds of an amount bucket label (see AMOUNT_BUCKETS)."""
    for name, low, high in AMOUNT_BUCKETS:
        if name == label:
            return (Decimal(low) if low is not None else None, Decimal(high) if high is not None else None)
    return None, None


def item_filters(
    category: str | None, benefit_kind: str | None, amount: str | None, doc: str | None
) -> ItemFilters:
    """The list filters from query parameters (empty ones ignored)."""
    low, high = amount_range(amount or None)
    return ItemFilters(
        document_uid=doc or None,
        category=category or None,
        benefit_kind=benefit_kind or None,
        min_amount=low,
        max_amount=high,
    )


@router.get("/items", response_class=HTMLResponse)
def items(
    request: Request,
    db: DbSession,
    topic: str | None = Query(None, max_length=20),
    category: str | None = Query(None, max_length=10),
    benefit_kind: str | None = Query(None, max_length=30),
    department: str | None = Query(None, max_length=100),
    amount: str | None = Query(None, max_length=20),
    doc: str | None = Query(None, max_length=80),
    offset: Offset = 0,
):
    """政策事项: every published item of a document in force, with filters."""
    if topic and topic not in topic_names():
        topic = None
    page = items_page(
        db,
        on=clock.today(),
        filters=item_filters(category, benefit_kind, amount, doc),
        department=department or None,
        topic=topic or None,
        limit=PAGE_SIZE,
        offset=offset,
    )
    params = dict(request.query_params)
    api_url = "/api/v1/items" + query_string(params)
    context = {
        "page": page,
        "params": params,
        "topics": topic_names(),
        "categories": CATEGORIES,
        "benefit_names": BENEFIT_NAMES,
        "amounts": [label for label, _, _ in AMOUNT_BUCKETS],
        "api_url": api_url,
        "pager": pager(
            "/items", params, offset=offset, size=PAGE_SIZE, total=page.total, shown=len(page.items)
        ),
    }
    return alternate(templates.TemplateResponse(request, "items.html", context), api_url)


@router.get("/items/{key}", response_class=HTMLResponse)
def item(key: str, request: Request, db: DbSession):
    """One item: who qualifies, what they get, how to apply, the source clause."""
    data = item_detail(db, key, clock.today())
    api_url = f"/api/v1/items/{quote(key, safe='')}"
    context = {
        "item": data,
        "api_url": api_url,
        "clause_url": f"/documents/{quote(data.document.uid, safe='')}#{quote(data.clause, safe='/')}",
        "document_url": f"/documents/{quote(data.document.uid, safe='')}",
    }
    return alternate(templates.TemplateResponse(request, "item.html", context), api_url)
