"""HTML pages: the document library list and the document page (each links to its JSON twin)."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong.library import service
from zhengcetong.web.deps import DbSession
from zhengcetong.web.params import optional_date, query_string
from zhengcetong.web.queries import document_detail, document_page
from zhengcetong.web.templating import KIND_NAMES, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _alternate(response, api_url: str):
    response.headers["Link"] = f'<{api_url}>; rel="alternate"; type="application/json"'
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    db: DbSession,
    valid_on: str | None = Query(None, max_length=20),
    only_valid: bool = Query(False),
    kind: str | None = Query(None, max_length=40),
    issuer: str | None = Query(None, max_length=200),
    q: str | None = Query(None, max_length=100),
    offset: int = Query(0, ge=0),
):
    """政策文件库: the documents with their status on a date, filters and pagination."""
    on = optional_date(valid_on)
    page = document_page(
        db,
        valid_on=on,
        only_valid=only_valid,
        kind=kind,
        issuer=issuer,
        q=q,
        limit=PAGE_SIZE,
        offset=offset,
    )
    params = dict(request.query_params)
    api_url = "/api/v1/documents" + query_string(params)
    response = templates.TemplateResponse(
        request,
        "documents.html",
        {
            "page": page,
            "valid_on": on or date.today(),
            "chosen_date": on,
            "only_valid": only_valid,
            "kind": kind or "",
            "issuer": issuer or "",
            "q": q or "",
            "issuers": service.issuers(db_session=db),
            "kinds": KIND_NAMES,
            "api_url": api_url,
            "doc_query": query_string({}, valid_on=on.isoformat() if on else None),
            "first": offset + 1 if page.items else 0,
            "last": offset + len(page.items),
            "next_url": "/" + query_string(params, offset=offset + PAGE_SIZE)
            if offset + PAGE_SIZE < page.total
            else None,
            "prev_url": "/" + query_string(params, offset=max(0, offset - PAGE_SIZE) or None)
            if offset
            else None,
        },
    )
    return _alternate(response, api_url)


@router.get("/documents/{uid}", response_class=HTMLResponse)
def document(uid: str, request: Request, db: DbSession, valid_on: str | None = Query(None, max_length=20)):
    """One document as a 公文: red header, facts, body with clause anchors, tables, relations."""
    from zhengcetong.library import review

    on = optional_date(valid_on)
    doc = document_detail(db, uid, on)
    items = [
        review.item_dict(db_session=db, item=i)
        for i in review.list_items(db_session=db, document_uid=uid, public_on=on or date.today())
    ]
    api_url = f"/api/v1/documents/{quote(uid)}" + query_string({}, valid_on=on.isoformat() if on else None)
    response = templates.TemplateResponse(
        request,
        "document.html",
        {
            "doc": doc,
            "api_url": api_url,
            "items": items,
            "doc_query": query_string({}, valid_on=on.isoformat() if on else None),
            "back_url": "/" + query_string({}, valid_on=on.isoformat() if on else None),
        },
    )
    return _alternate(response, api_url)
