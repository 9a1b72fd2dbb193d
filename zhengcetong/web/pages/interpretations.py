"""HTML pages of policy interpretations (政策解读): the list and one interpretation (each links to its JSON twin)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong.library import interpretations
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.home import alternate
from zhengcetong.web.paging import Offset, pager
from zhengcetong.web.params import query_string
from zhengcetong.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


@router.get("/interpretations", response_class=HTMLResponse)
def interpretation_list(
    request: Request,
    db: DbSession,
    document: str | None = Query(None, max_length=80),
    kind: str | None = Query(None, max_length=20),
    offset: Offset = 0,
):
    """政策解读: published interpretations, newest first, optionally of one document or of one kind."""
    kind = kind if kind in interpretations.KIND_NAMES else None
    page = interpretations.page(
        db_session=db, document_uid=document or None, kind=kind, limit=PAGE_SIZE, offset=offset
    )
    params = {k: v for k, v in request.query_params.items() if k in ("document", "kind", "offset")}
    api_url = "/api/v1/interpretations" + query_string(params)
    response = templates.TemplateResponse(
        request,
        "interpretations/list.html",
        {
            "page": page,
            "kind": kind or "",
            "kinds": interpretations.KIND_NAMES,
            "document_uid": document or "",
            "api_url": api_url,
            "pager": pager(
                "/interpretations",
                params,
                offset=offset,
                size=PAGE_SIZE,
                total=page.total,
                shown=len(page.items),
            ),
        },
    )
    return alternate(response, api_url)


@router.get("/interpretations/{uid}", response_class=HTMLResponse)
def interpretation(uid: str, request: Request, db: DbSession):
    """One published interpretation: title, kind, department, date, text and the documents it explains."""
    data = interpretations.read(db_session=db, uid=uid)
    api_url = f"/api/v1/interpretations/{quote(uid, safe='')}"
    response = templates.TemplateResponse(
        request,
        "interpretations/detail.html",
        {"jd": data, "blocks": interpretations.body_blocks(data.body), "api_url": api_url},
    )
    return alternate(response, api_url)
