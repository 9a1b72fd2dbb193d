"""The search results page (its JSON twin is GET /api/v1/search)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from zhengcetong import clock
from zhengcetong import search as search_service
from zhengcetong.search import backend_for, suggestions, topic_names
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.home import alternate
from zhengcetong.web.paging import pager
from zhengcetong.web.params import query_params, query_string
from zhengcetong.web.search_params import FILTER_NAMES, active_filters, api_params, link, search_request
from zhengcetong.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
FACET_ORDER = ("kind", "topic", "issuer", "year", "doc_kind", "department", "benefit_kind", "amount")


def with_highlight(url: str, q: str) -> str:
    """A document link that marks the searched words (``?hl=``), keeping the clause anchor.

    Examples:
        >>> with_highlight("/documents/a#%E7%AC%AC", "奖励"), with_highlight("/items/k", "奖励")
        ('/documents/a?hl=%E5%A5%96%E5%8A%B1#%E7%AC%AC', '/items/k')
    """
    if not url.startswith("/documents/"):
        return url
    path, _, anchor = url.partition("#")
    return path + query_string({"hl": q}) + (f"#{anchor}" if anchor else "")


def _chosen(current, value: str) -> bool:
    """Whether a facet value is the filter in force (lists: one of them; never a substring).

    Examples:
        >>> _chosen("市财政局", "财政局"), _chosen(["item"], "item"), _chosen(2026, "2026"), _chosen(None, "x")
        (False, True, True, False)
    """
    if isinstance(current, list):
        return value in current
    return current is not None and str(current) == value


def run_search(request: Request, db, search):
    """The search, on the engine the settings choose."""
    backend = backend_for(db, request.app.state.settings.search_backend)
    return search_service.search(db_session=db, request=search, backend=backend)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, db: DbSession):
    """政策检索: ranked hits with highlighted snippets, facets, filters and pages."""
    params = request.query_params
    search = search_request(params, limit=PAGE_SIZE)
    page = run_search(request, db, search) if search.q.strip() else None
    facets = []
    if page:
        for name in FACET_ORDER:
            values = page.facets.get(name) or []
            if values:
                facets.append(
                    {
                        "name": name,
                        "title": FILTER_NAMES[name],
                        "values": [
                            {
                                "label": v.label,
                                "count": v.count,
                                "href": link(params, **{name: v.value}),
                                "active": _chosen(getattr(search, name), v.value),
                            }
                            for v in values[:12]
                        ],
                    }
                )
    api_url = "/api/v1/search" + query_string(api_params(search))
    hrefs = {h.id: with_highlight(h.url, search.q) for h in page.hits} if page else {}
    here = query_params(params)
    context = {
        "search": search,
        "page": page,
        "hrefs": hrefs,
        "facets": facets,
        "active": active_filters(search, params),
        "examples": suggestions(db_session=db, today=clock.today()),
        "topics": topic_names(),
        "api_url": api_url,
        "hide_quick_search": True,
        "pager": pager(
            "/search", here, offset=search.offset, size=PAGE_SIZE, total=page.total, shown=len(page.hits)
        )
        if page
        else None,
        "sort_links": {s: link(params, sort=s if s != "relevance" else None) for s in ("relevance", "date")},
        "valid_link": link(params, valid=None if search.valid_on else "1", valid_on=None),
    }
    response = templates.TemplateResponse(request, "search.html", context)
    return alternate(response, api_url)
