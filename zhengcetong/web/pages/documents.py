"""HTML pages: the document library list and the document page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong.library import service
from zhengcetong.web.deps import DbSession
from zhengcetong.web.queries import document_detail, document_page
from zhengcetong.web.templating import KIND_NAMES, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    db: DbSession,
    valid_on: date | None = Query(None),
    only_valid: bool = Query(False),
    kind: str | None = Query(None),
    issuer: str | None = Query(None),
    q: str | None = Query(None, max_length=100),
    offset: int = Query(0, ge=0),
):
    page = document_page(
        db,
        valid_on=valid_on,
        only_valid=only_valid,
        kind=kind,
        issuer=issuer,
        q=q,
        limit=PAGE_SIZE,
        offset=offset,
    )
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    api = "/api/v1/documents" + ("?" + urlencode(request.query_params) if request.query_params else "")
    response = templates.TemplateResponse(
        request,
        "documents.html",
        {
            "page": page,
            "valid_on": valid_on or date.today(),
            "only_valid": only_valid,
            "kind": kind or "",
            "issuer": issuer or "",
            "q": q or "",
            "issuers": service.issuers(db_session=db),
            "kinds": KIND_NAMES,
            "api_url": api,
            "next_url": "/?" + urlencode({**params, "offset": offset + PAGE_SIZE})
            if offset + PAGE_SIZE < page.total
            else None,
            "prev_url": "/?" + urlencode({**params, "offset": max(0, offset - PAGE_SIZE)})
            if offset
            else None,
        },
    )
    response.headers["Link"] = f'<{api}>; rel="alternate"; type="application/json"'
    return response


@router.get("/documents/{uid}", response_class=HTMLResponse)
def document(uid: str, request: Request, db: DbSession, valid_on: date | None = Query(None)):
    from zhengcetong.library import review

    doc = document_detail(db, uid, valid_on)
    items = [
        review.item_dict(db_session=db, item=i)
        for i in review.list_items(db_session=db, document_uid=uid, public_on=valid_on or date.today())
    ]
    api = f"/api/v1/documents/{quote(uid)}"
    response = templates.TemplateResponse(
        request, "document.html", {"doc": doc, "api_url": api, "items": items}
    )
    response.headers["Link"] = f'<{api}>; rel="alternate"; type="application/json"'
    return response
