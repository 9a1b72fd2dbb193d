"""HTML pages: the document library, one document, and the normative documents by issuer
(each links to its JSON twin)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong import clock
from zhengcetong.errors import InputError
from zhengcetong.library import service
from zhengcetong.search import highlights, topic_names
from zhengcetong.web.deps import DbSession
from zhengcetong.web.marks import ItemSpan, paragraphs
from zhengcetong.web.pages.home import alternate
from zhengcetong.web.paging import Offset, pager
from zhengcetong.web.params import optional_date, query_string
from zhengcetong.web.queries import document_detail, document_page, normative_list, public_items_of, topics_of
from zhengcetong.web.templating import KIND_NAMES, templates

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
OUTLINE_LEVELS = ("chapter", "article", "part", "attachment", "section", "item")


@router.get("/documents", response_class=HTMLResponse)
def documents(
    request: Request,
    db: DbSession,
    valid_on: str | None = Query(None, max_length=20),
    only_valid: bool = Query(False),
    kind: str | None = Query(None, max_length=40),
    issuer: str | None = Query(None, max_length=200),
    topic: str | None = Query(None, max_length=20),
    q: str | None = Query(None, max_length=100),
    offset: Offset = 0,
):
    """政策文件库: the documents with their status on a date, filters and pagination."""
    on = optional_date(valid_on)
    if topic and topic not in topic_names():
        topic = None
    page = document_page(
        db,
        valid_on=on,
        only_valid=only_valid,
        kind=kind,
        issuer=issuer,
        q=q,
        limit=PAGE_SIZE,
        offset=offset,
        topic=topic or None,
    )
    params = dict(request.query_params)
    api_url = "/api/v1/documents" + query_string(params)
    response = templates.TemplateResponse(
        request,
        "documents.html",
        {
            "page": page,
            "valid_on": on or clock.today(),
            "chosen_date": on,
            "only_valid": only_valid,
            "kind": kind or "",
            "issuer": issuer or "",
            "topic": topic or "",
            "q": q or "",
            "issuers": service.issuers(db_session=db),
            "kinds": KIND_NAMES,
            "topics": topic_names(),
            "api_url": api_url,
            "doc_query": query_string({}, valid_on=on.isoformat() if on else None),
            "pager": pager(
                "/documents", params, offset=offset, size=PAGE_SIZE, total=page.total, shown=len(page.items)
            ),
        },
    )
    return alternate(response, api_url)


def _outline(nodes, depth: int = 0) -> list[dict]:
    """The headings a reader jumps to: chapters, articles, parts and attachments (two levels)."""
    out = []
    for node in nodes:
        if node.level in OUTLINE_LEVELS:
            first_line = node.text.split("\n", 1)[0]
            out.append({"path": node.path, "text": first_line[:40] + ("…" if len(first_line) > 40 else "")})
        if depth < 1:
            out.extend(_outline(node.children, depth + 1))
    return out


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


@router.get("/documents/{uid}", response_class=HTMLResponse)
def document(
    uid: str,
    request: Request,
    db: DbSession,
    valid_on: str | None = Query(None, max_length=20),
    hl: str | None = Query(None, max_length=200),
):
    """One document as a 公文: red header, validity, outline, body with clause anchors and its policy
    items marked, tables, relations. ``hl`` marks the words of a search."""
    on = optional_date(valid_on)
    doc = document_detail(db, uid, on)
    stored = service.get_document(db_session=db, uid=uid)
    items = public_items_of(db, stored.id, on or clock.today())
    spans = [ItemSpan(i.start, i.end, i.key, i.name) for i in items]
    words = _highlights(hl)
    marks = {node.path: paragraphs(node.text, node.start, spans, words) for node in _walk(doc.clauses)}
    api_url = f"/api/v1/documents/{quote(uid)}" + query_string({}, valid_on=on.isoformat() if on else None)
    response = templates.TemplateResponse(
        request,
        "document.html",
        {
            "doc": doc,
            "api_url": api_url,
            "items": items,
            "marks": marks,
            "outline": _outline(doc.clauses) if sum(1 for _ in _walk(doc.clauses)) > 8 else [],
            "topics": topics_of(db, "document", [stored.id]).get(stored.id, []),
            "hl": hl or "",
            "doc_query": query_string({}, valid_on=on.isoformat() if on else None),
            "back_url": "/documents" + query_string({}, valid_on=on.isoformat() if on else None),
        },
    )
    return alternate(response, api_url)


@router.get("/normative", response_class=HTMLResponse)
def normative(
    request: Request,
    db: DbSession,
    valid_on: str | None = Query(None, max_length=20),
    all: bool = Query(False, description="include documents no longer in force"),
):
    """现行有效规范性文件: by issuer, with 文号, 成文日期, 发布日期 and validity."""
    on = optional_date(valid_on) or clock.today()
    data = normative_list(db, on=on, only_valid=not all)
    params = dict(request.query_params)
    api_url = "/api/v1/normative" + query_string(params)
    response = templates.TemplateResponse(
        request,
        "normative.html",
        {
            "data": data,
            "api_url": api_url,
            "chosen_date": optional_date(valid_on),
            "show_all": all,
            "doc_query": query_string({}, valid_on=valid_on or None),
        },
    )
    return alternate(response, api_url)


def _highlights(hl: str | None) -> list[str]:
    """The words a search link asks to mark; a query the search would refuse marks nothing (the page still shows)."""
    if not hl or not hl.strip():
        return []
    try:
        return highlights(hl)
    except InputError:
        return []
