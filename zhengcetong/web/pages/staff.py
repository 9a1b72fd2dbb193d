"""The staff console (审核后台): review queue with deadlines, item editing and publishing."""

from __future__ import annotations

import json
import secrets
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong.errors import InputError, PermissionDenied
from zhengcetong.library import review, service, users
from zhengcetong.web.auth import StaffUser, check_csrf, csrf_token, new_session, read_session, write_session
from zhengcetong.web.deps import DbSession
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/staff", include_in_schema=False)


def _actor(user) -> str:
    return f"user:{user.username}"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/staff", error: str | None = None):
    token = read_session(request).get("csrf") or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "staff/login.html",
        {"csrf": token, "next": next if next.startswith("/staff") else "/staff", "error": error},
    )
    response.set_cookie("zct_csrf", token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login")
def login(
    request: Request,
    db: DbSession,
    username: str = Form(..., max_length=80),
    password: str = Form(..., max_length=200),
    csrf: str = Form(""),
    next: str = Form("/staff"),
):
    check_csrf(request, csrf)
    try:
        user = users.authenticate(db_session=db, username=username, password=password)
    except PermissionDenied:
        return templates.TemplateResponse(
            request,
            "staff/login.html",
            {"csrf": csrf, "next": next, "error": "用户名或密码不正确"},
            status_code=401,
        )
    service.record_event(
        db_session=db, actor=_actor(user), action="user.login", target_type="user", target_id=user.username
    )
    response = RedirectResponse(next if next.startswith("/staff") else "/staff", status_code=303)
    write_session(request, response, new_session(user))
    response.delete_cookie("zct_csrf")
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie("zct_session")
    return response


@router.get("", response_class=HTMLResponse)
def queue(request: Request, db: DbSession, user: StaffUser, today: date | None = None):
    settings = request.app.state.settings
    on = today or date.today()
    entries = review.review_queue(
        db_session=db, today=on, working_days=settings.review_working_days, holidays=settings.holidays
    )
    return templates.TemplateResponse(
        request,
        "staff/queue.html",
        {
            "user": user,
            "entries": entries,
            "today": on,
            "days": settings.review_working_days,
            "csrf": csrf_token(request),
        },
    )


@router.get("/documents/{uid}", response_class=HTMLResponse)
def document_items(request: Request, uid: str, db: DbSession, user: StaffUser, saved: str | None = None):
    document = service.get_document(db_session=db, uid=uid)
    items = review.list_items(db_session=db, document_uid=uid)
    rows = [
        {
            "data": review.item_dict(db_session=db, item=i),
            "conditions_json": json.dumps(i.conditions, ensure_ascii=False, indent=1),
            "formula_json": json.dumps(i.formula, ensure_ascii=False) if i.formula is not None else "",
            "revisions": i.revisions,
        }
        for i in items
    ]
    return templates.TemplateResponse(
        request,
        "staff/document.html",
        {
            "user": user,
            "doc": document,
            "rows": rows,
            "csrf": csrf_token(request),
            "saved": saved,
            "status_names": review.STATUS_NAMES,
        },
    )


def _parse_json(text: str, field: str):
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{field} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}", source=field
        ) from exc


@router.post("/items/{item_id}")
def edit(
    request: Request,
    item_id: int,
    db: DbSession,
    user: StaffUser,
    csrf: str = Form(""),
    name: str = Form(..., max_length=300),
    condition: str = Form("", max_length=5000),
    conditions: str = Form("", max_length=20000),
    formula: str = Form("", max_length=5000),
    amount_max_yuan: str = Form("", max_length=30),
    rate: str = Form("", max_length=20),
    time_limit_days: str = Form("", max_length=6),
    note: str = Form("", max_length=500),
):
    check_csrf(request, csrf)
    item = review.get_item(db_session=db, item_id=item_id)
    try:
        changes = {
            "name": name.strip(),
            "condition": condition.strip(),
            "conditions": _parse_json(conditions, "conditions") or {},
            "formula": _parse_json(formula, "formula"),
            "amount_max_yuan": amount_max_yuan.strip() or None,
            "rate": rate.strip() or None,
            "time_limit_days": int(time_limit_days) if time_limit_days.strip() else None,
        }
    except ValueError as exc:
        raise InputError("办理时限应为整数天数", source="time_limit_days") from exc
    review.edit_item(db_session=db, item=item, changes=changes, actor=_actor(user), note=note.strip())
    target = f"/staff/documents/{quote(item.document.uid)}?saved={item.id}#item-{item.id}"
    return RedirectResponse(target, status_code=303)


@router.post("/items/{item_id}/publish")
def publish_one(request: Request, item_id: int, db: DbSession, user: StaffUser, csrf: str = Form("")):
    check_csrf(request, csrf)
    item = review.get_item(db_session=db, item_id=item_id)
    review.publish_items(db_session=db, items=[item], actor=_actor(user))
    return RedirectResponse(f"/staff/documents/{quote(item.document.uid)}#item-{item.id}", status_code=303)


@router.post("/documents/{uid}/publish")
def publish_document(request: Request, uid: str, db: DbSession, user: StaffUser, csrf: str = Form("")):
    check_csrf(request, csrf)
    items = review.list_items(db_session=db, document_uid=uid, status="draft")
    review.publish_items(db_session=db, items=items, actor=_actor(user))
    return RedirectResponse(f"/staff/documents/{quote(uid)}", status_code=303)
