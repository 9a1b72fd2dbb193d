"""Push in the portal: the enterprise's inbox (政策通知) and subscriptions (订阅设置), the one-click
unsubscribe page of the emails (no login), and the staff's log of who was told of what (/staff/notifications).

The JSON twins are ``/api/v1/notifications`` and ``/api/v1/subscriptions``.
"""

from __future__ import annotations

from datetime import date, datetime, time

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong import clock
from zhengcetong.errors import InputError
from zhengcetong.library import PolicyItem, users
from zhengcetong.match import profiles
from zhengcetong.notify import service as notify_service
from zhengcetong.web.auth import OptionalUser, StaffUser, actor_of, check_csrf, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.enterprise import enterprise_user
from zhengcetong.web.params import optional_date
from zhengcetong.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE = 30


def _page(request: Request, name: str, context: dict, *, status_code: int = 200, json: str | None = None):
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if json:
        response.headers["Link"] = f'<{json}>; rel="alternate"; type="application/json"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _enterprise_context(request: Request, db, user) -> dict:
    enterprise = profiles.for_user(db_session=db, user=user)
    unread = (
        0 if enterprise is None else notify_service.unread_count(db_session=db, enterprise_id=enterprise.id)
    )
    return {"user": user, "enterprise": enterprise, "csrf": csrf_token(request), "unread": unread}


# --- the inbox --------------------------------------------------------------------------------------


@router.get("/enterprise/notifications", response_class=HTMLResponse)
def inbox(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    unread: bool = False,
    offset: int = Query(0, ge=0, le=100000),
):
    user = enterprise_user(request, user)
    context = _enterprise_context(request, db, user)
    enterprise = context["enterprise"]
    if enterprise is not None:
        rows, total = notify_service.list_notifications(
            db_session=db, enterprise_id=enterprise.id, unread_only=unread, limit=PAGE, offset=offset
        )
        context.update(
            entries=[(n, db.get(PolicyItem, n.item_id)) for n in rows],
            total=total,
            only_unread=unread,
            offset=offset,
            page=PAGE,
        )
    return _page(request, "enterprise/notifications.html", context, json="/api/v1/notifications")


@router.get("/enterprise/notifications/{notification_id}", response_class=HTMLResponse)
def notification_page(notification_id: int, request: Request, db: DbSession, user: OptionalUser):
    user = enterprise_user(request, user)
    context = _enterprise_context(request, db, user)
    enterprise = context["enterprise"]
    found = notify_service.get_notification(
        db_session=db, enterprise_id=enterprise.id if enterprise else -1, notification_id=notification_id
    )
    context.update(notification=found, item=db.get(PolicyItem, found.item_id))
    return _page(
        request, "enterprise/notification.html", context, json=f"/api/v1/notifications/{notification_id}"
    )


@router.post("/enterprise/notifications/{notification_id}/read")
def mark_read(
    notification_id: int, request: Request, db: DbSession, user: OptionalUser, csrf: str = Form("")
):
    user = enterprise_user(request, user)
    check_csrf(request, csrf)
    enterprise = profiles.for_user(db_session=db, user=user)
    notify_service.mark_read(
        db_session=db,
        enterprise_id=enterprise.id if enterprise else -1,
        notification_id=notification_id,
        actor=actor_of(user),
    )
    return RedirectResponse("/enterprise/notifications", status_code=303)


@router.post("/enterprise/notifications/read-all")
def mark_all_read(request: Request, db: DbSession, user: OptionalUser, csrf: str = Form("")):
    user = enterprise_user(request, user)
    check_csrf(request, csrf)
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is not None:
        notify_service.mark_all_read(db_session=db, enterprise_id=enterprise.id, actor=actor_of(user))
    return RedirectResponse("/enterprise/notifications", status_code=303)


# --- subscriptions ----------------------------------------------------------------------------------


def _subscriptions_page(request: Request, db, user, *, error=None, typed=None, notice=None, status_code=200):
    from zhengcetong.search import topic_names

    context = _enterprise_context(request, db, user)
    if context["enterprise"] is not None:
        context.update(
            subscriptions=notify_service.list_subscriptions(
                db_session=db, enterprise_id=context["enterprise"].id
            ),
            kinds=notify_service.KINDS,
            topics=topic_names(),
            error=error,
            typed=typed or {},
            notice=notice,
        )
    return _page(
        request,
        "enterprise/subscriptions.html",
        context,
        status_code=status_code,
        json="/api/v1/subscriptions",
    )


NOTICES = {"added": "已订阅。", "removed": "已取消订阅。", "email": "通知邮箱已保存。"}


@router.get("/enterprise/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, db: DbSession, user: OptionalUser, done: str = ""):
    user = enterprise_user(request, user)
    return _subscriptions_page(request, db, user, notice=NOTICES.get(done))


@router.post("/enterprise/subscriptions", response_class=HTMLResponse)
def subscribe(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    kind: str = Form("", max_length=20),
    value: str = Form("", max_length=200),
    csrf: str = Form(""),
):
    user = enterprise_user(request, user)
    check_csrf(request, csrf)
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is None:
        return _subscriptions_page(request, db, user, status_code=409)
    try:
        notify_service.add_subscription(
            db_session=db, enterprise_id=enterprise.id, kind=kind, value=value, actor=actor_of(user)
        )
    except InputError as exc:
        db.rollback()
        typed = {"kind": kind, "value": value}
        return _subscriptions_page(request, db, user, error=exc.detail, typed=typed, status_code=400)
    return RedirectResponse("/enterprise/subscriptions?done=added", status_code=303)


@router.post("/enterprise/subscriptions/{subscription_id}/delete")
def remove(subscription_id: int, request: Request, db: DbSession, user: OptionalUser, csrf: str = Form("")):
    user = enterprise_user(request, user)
    check_csrf(request, csrf)
    enterprise = profiles.for_user(db_session=db, user=user)
    notify_service.remove_subscription(
        db_session=db,
        enterprise_id=enterprise.id if enterprise else -1,
        subscription_id=subscription_id,
        actor=actor_of(user),
    )
    return RedirectResponse("/enterprise/subscriptions?done=removed", status_code=303)


@router.post("/enterprise/subscriptions/email", response_class=HTMLResponse)
def set_email(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    email: str = Form("", max_length=300),
    csrf: str = Form(""),
):
    user = enterprise_user(request, user)
    check_csrf(request, csrf)
    try:
        users.set_email(db_session=db, user=user, email=email, actor=actor_of(user))
    except InputError as exc:
        db.rollback()
        return _subscriptions_page(request, db, user, error=exc.detail, status_code=400)
    return RedirectResponse("/enterprise/subscriptions?done=email", status_code=303)


# --- unsubscribing from the emails (no login) ----------------------------------------------------------


def _unsubscribe_target(request: Request, token: str) -> tuple[int, str]:
    found = notify_service.read_unsubscribe_token(request.app.state.secret, token)
    if found is None:
        raise InputError("退订链接无效或不完整，请从邮件中复制完整的链接", source="token")
    return found


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, db: DbSession, token: str = Query("", max_length=1000)):
    enterprise_id, email = _unsubscribe_target(request, token)
    done = notify_service.is_unsubscribed(db_session=db, enterprise_id=enterprise_id, email=email)
    return _page(request, "unsubscribe.html", {"email": email, "token": token, "done": done})


@router.post("/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, db: DbSession, token: str = Query("", max_length=1000)):
    """The one click (also RFC 8058's ``List-Unsubscribe=One-Click`` POST): the signed token is the
    authority, so neither a login nor a CSRF token is needed."""
    enterprise_id, email = _unsubscribe_target(request, token)
    notify_service.unsubscribe(db_session=db, enterprise_id=enterprise_id, email=email)
    return _page(request, "unsubscribe.html", {"email": email, "token": token, "done": True})


# --- the staff's log --------------------------------------------------------------------------------


@router.get("/staff/notifications", response_class=HTMLResponse)
def staff_log(
    request: Request,
    db: DbSession,
    user: StaffUser,
    enterprise: str = Query("", max_length=200),
    item: str = Query("", max_length=300),
    status: str = Query("", max_length=20),
    since: str = Query("", max_length=10),
    offset: int = Query(0, ge=0, le=100000),
):
    since_date: date | None = optional_date(since or None, "since")
    entries, total = notify_service.notification_log(
        db_session=db,
        enterprise=enterprise.strip() or None,
        item=item.strip() or None,
        email_status=status if status in notify_service.EMAIL_STATUSES else None,
        since=datetime.combine(since_date, time.min, tzinfo=clock.CHINA) if since_date else None,
        limit=PAGE,
        offset=offset,
    )
    context = {
        "user": user,
        "csrf": csrf_token(request),
        "entries": entries,
        "total": total,
        "filters": {"enterprise": enterprise, "item": item, "status": status, "since": since},
        "statuses": notify_service.EMAIL_STATUSES,
        "offset": offset,
        "page": PAGE,
    }
    return _page(request, "staff/notifications.html", context)
