"""The staff console's lists: documents, policy items in every state, and the audit log (read-only).

Each list has a search box, filters and pages of PAGE_SIZE rows; every row links to where staff work
on it. Reviewers and admins only (the console's pages are never cached: ``web.security``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from zhengcetong import clock
from zhengcetong.library import ITEM_CATEGORIES, backoffice, publication, service
from zhengcetong.library import users as accounts
from zhengcetong.web.auth import StaffUser, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.paging import Offset, pager
from zhengcetong.web.params import optional_date
from zhengcetong.web.templating import KIND_NAMES, templates

router = APIRouter(prefix="/staff", include_in_schema=False)
PAGE_SIZE = 20
AUDIT_PAGE_SIZE = 50

Text = Annotated[str, Query(max_length=200)]
Day = Annotated[str, Query(max_length=10)]  # an ISO date, or empty


def _params(**values: str) -> dict[str, str]:
    """The filters as typed (stripped), for the form and the pager's links."""
    return {name: value.strip() for name, value in values.items()}


@router.get("/items", response_class=HTMLResponse)
def item_list(
    request: Request,
    db: DbSession,
    user: StaffUser,
    q: Text = "",
    status: str = Query("", max_length=20),
    issuer: Text = "",
    category: str = Query("", max_length=10),
    since: Day = "",
    until: Day = "",
    offset: Offset = 0,
):
    """政策事项 in every state (草稿, 已发布, 已撤回), each linked to its review page."""
    params = _params(q=q, status=status, issuer=issuer, category=category, since=since, until=until)
    filters = backoffice.StaffItemFilters(
        q=params["q"] or None,
        status=params["status"] if params["status"] in publication.STATUS_NAMES else None,
        issuer=params["issuer"] or None,
        category=params["category"] if params["category"] in ITEM_CATEGORIES else None,
        since=optional_date(params["since"], "起始日期"),
        until=optional_date(params["until"], "截止日期"),
    )
    total, rows = backoffice.list_items(db_session=db, filters=filters, limit=PAGE_SIZE, offset=offset)
    return _list_page(
        request,
        user,
        "items",
        params,
        rows=rows,
        total=total,
        offset=offset,
        counts=backoffice.status_counts(db_session=db),
        status_names=publication.STATUS_NAMES,
        issuers=service.issuers(db_session=db),
        categories=ITEM_CATEGORIES,
    )


@router.get("/documents", response_class=HTMLResponse)
def document_list(
    request: Request,
    db: DbSession,
    user: StaffUser,
    q: Text = "",
    issuer: Text = "",
    kind: str = Query("", max_length=20),
    since: Day = "",
    until: Day = "",
    pending: str = Query("", max_length=1),
    valid: str = Query("", max_length=1),
    offset: Offset = 0,
):
    """文件: every document with its items waiting for review, each linked to its review page;
    ``pending=1`` keeps those with drafts, ``valid=1`` those in force today."""
    params = _params(q=q, issuer=issuer, kind=kind, since=since, until=until, pending=pending, valid=valid)
    total, refs = service.list_documents(
        db_session=db,
        valid_on=clock.today(),
        only_valid=params["valid"] == "1",
        q=params["q"] or None,
        issuer=params["issuer"] or None,
        kind=params["kind"] if params["kind"] in KIND_NAMES else None,
        extra=backoffice.document_conditions(
            since=optional_date(params["since"], "起始日期"),
            until=optional_date(params["until"], "截止日期"),
            pending=params["pending"] == "1",
        ),
        limit=PAGE_SIZE,
        offset=offset,
    )
    counts = backoffice.review_counts(db_session=db, uids=[r.uid for r in refs])
    rows = [{"ref": r, "counts": counts.get(r.uid, (0, 0))} for r in refs]
    return _list_page(
        request,
        user,
        "documents",
        params,
        rows=rows,
        total=total,
        offset=offset,
        issuers=service.issuers(db_session=db),
        kinds=KIND_NAMES,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    db: DbSession,
    user: StaffUser,
    actor: Text = "",
    action: str = Query("", max_length=60),
    target: Text = "",
    since: Day = "",
    until: Day = "",
    offset: Offset = 0,
):
    """审计日志: who did what to which record and when, newest first; read-only."""
    params = _params(actor=actor, action=action, target=target, since=since, until=until)
    filters = backoffice.EventFilters(
        actor=params["actor"] or None,
        action=params["action"] or None,
        target=params["target"] or None,
        since=optional_date(params["since"], "起始日期"),
        until=optional_date(params["until"], "截止日期"),
    )
    total, events = backoffice.list_events(
        db_session=db, filters=filters, limit=AUDIT_PAGE_SIZE, offset=offset
    )
    return _list_page(
        request,
        user,
        "audit",
        params,
        rows=events,
        total=total,
        offset=offset,
        size=AUDIT_PAGE_SIZE,
        rows_name="events",
        actions=backoffice.event_actions(db_session=db),
        event_name=backoffice.event_name,
        event_details=backoffice.event_details,
        role_names=accounts.ROLE_NAMES,
    )


def _list_page(
    request: Request,
    user,
    name: str,
    params: dict,
    *,
    rows: list,
    total: int,
    offset: int,
    size: int | None = None,
    rows_name: str = "rows",
    **context,
) -> HTMLResponse:
    """One page of a back-office list (staff/NAME.html at /staff/NAME): its rows, the filters as given,
    the CSRF token of the nav's sign-out form and the pager (pages of ``size``, else PAGE_SIZE)."""
    size = size or PAGE_SIZE
    return templates.TemplateResponse(
        request,
        f"staff/{name}.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            rows_name: rows,
            "params": params,
            "pager": pager(f"/staff/{name}", params, offset=offset, size=size, total=total, shown=len(rows)),
            **context,
        },
    )
