"""JSON API of push for the signed-in enterprise account: its notifications (the inbox) and its
subscriptions (topics, departments, keywords).

- ``GET /api/v1/notifications`` (``unread``, ``limit``, ``offset``), ``GET /api/v1/notifications/{id}``,
  ``POST /api/v1/notifications/{id}/read``, ``POST /api/v1/notifications/read-all``;
- ``GET /api/v1/subscriptions``, ``POST /api/v1/subscriptions`` (``{"kind", "value"}``),
  ``DELETE /api/v1/subscriptions/{id}``.

Callers sign in through the login form (session cookie); a POST or DELETE carries the session's CSRF token
in the ``X-CSRF-Token`` header, which every GET of these routes returns. Another enterprise's notification
or subscription is 404, as one that does not exist.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from zhengcetong.errors import InputError
from zhengcetong.library import PolicyItem
from zhengcetong.notify import service as notify_service
from zhengcetong.web.api.calc import JSON_BODY_RESPONSES, read_json_body
from zhengcetong.web.api.profiles import CSRF_HEADER, ApiUser, check_csrf_header, own_enterprise
from zhengcetong.web.api.responses import ErrorDetail
from zhengcetong.web.auth import actor_of, read_session
from zhengcetong.web.deps import DbSession

router = APIRouter(prefix="/api/v1")


class NotificationRead(BaseModel):
    """One notification: the item it tells of, why, the amount and whether it was read."""

    id: int
    item_id: str = Field(description="事项稳定键（/items/{item_id}）")
    item_name: str
    item_version: int
    doc_number: str | None
    reason: Literal["match", "subscription"] = Field(description="match：匹配到本企业；subscription：订阅")
    detail: str = Field(description="原因，如“符合”“订阅主题：科技创新”")
    estimated_amount_yuan: str | None = Field(description="按画像估算的金额（字符串，元，两位小数）")
    amount_max_yuan: str | None = Field(description="文件规定的最高额")
    created_at: str
    read: bool
    read_at: str | None
    url: str


class NotificationPage(BaseModel):
    """A page of the inbox, newest first."""

    total: int
    unread: int
    limit: int
    offset: int
    notifications: list[NotificationRead]


class ReadAll(BaseModel):
    marked: int = Field(description="本次标为已读的条数")
    unread: int


class SubscriptionCreate(BaseModel):
    """What to subscribe to."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["topic", "department", "keyword"] = Field(
        description="topic 主题、department 部门、keyword 关键词"
    )
    value: str = Field(max_length=100, description="主题名称（见 /api/v1/topics）、部门名称或关键词")


class SubscriptionRead(BaseModel):
    id: int
    kind: str
    kind_name: str
    value: str
    created_at: str


class SubscriptionList(BaseModel):
    """The enterprise's subscriptions (its own new matches it always gets)."""

    subscriptions: list[SubscriptionRead]
    topics: list[str] = Field(description="可订阅的主题")


COMMON: dict[int | str, dict] = {
    401: {"model": ErrorDetail, "description": "未登录"},
    403: {"model": ErrorDetail, "description": "不是企业账号，或 POST/DELETE 缺少或带错了 X-CSRF-Token"},
    404: {"model": ErrorDetail, "description": "账号尚未绑定企业，或本企业没有该记录"},
}


def _json(request: Request, data, status: int = 200) -> JSONResponse:
    response = JSONResponse(data, status_code=status)
    response.headers[CSRF_HEADER] = read_session(request).get("csrf", "")
    response.headers["Cache-Control"] = "no-store"
    return response


def _notification(db, notification) -> dict:
    return notify_service.notification_dict(notification, db.get(PolicyItem, notification.item_id))


@router.get(
    "/notifications",
    tags=["notifications"],
    summary="本企业的通知（新的在前；企业账号）",
    response_model=NotificationPage,
    responses=COMMON,
)
def notifications(
    request: Request,
    db: DbSession,
    user: ApiUser,
    unread: bool = Query(False, description="只列未读的"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=100000),
) -> Response:
    enterprise = own_enterprise(db, user)
    rows, total = notify_service.list_notifications(
        db_session=db, enterprise_id=enterprise.id, unread_only=unread, limit=limit, offset=offset
    )
    return _json(
        request,
        {
            "total": total,
            "unread": notify_service.unread_count(db_session=db, enterprise_id=enterprise.id),
            "limit": limit,
            "offset": offset,
            "notifications": [_notification(db, n) for n in rows],
        },
    )


@router.post(
    "/notifications/read-all",
    tags=["notifications"],
    summary="把本企业的通知全部标为已读",
    response_model=ReadAll,
    responses=COMMON,
)
def read_all(request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    check_csrf_header(request)
    marked = notify_service.mark_all_read(db_session=db, enterprise_id=enterprise.id, actor=actor_of(user))
    return _json(request, {"marked": marked, "unread": 0})


@router.get(
    "/notifications/{notification_id}",
    tags=["notifications"],
    summary="本企业的一条通知",
    response_model=NotificationRead,
    responses=COMMON,
)
def notification(notification_id: int, request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    found = notify_service.get_notification(
        db_session=db, enterprise_id=enterprise.id, notification_id=notification_id
    )
    return _json(request, _notification(db, found))


@router.post(
    "/notifications/{notification_id}/read",
    tags=["notifications"],
    summary="把一条通知标为已读",
    response_model=NotificationRead,
    responses=COMMON,
)
def mark_read(notification_id: int, request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    check_csrf_header(request)
    found = notify_service.mark_read(
        db_session=db, enterprise_id=enterprise.id, notification_id=notification_id, actor=actor_of(user)
    )
    return _json(request, _notification(db, found))


def _subscriptions(request: Request, db, enterprise_id: int) -> JSONResponse:
    from zhengcetong.search import topic_names

    rows = notify_service.list_subscriptions(db_session=db, enterprise_id=enterprise_id)
    return _json(
        request,
        {"subscriptions": [notify_service.subscription_dict(s) for s in rows], "topics": topic_names()},
    )


@router.get(
    "/subscriptions",
    tags=["subscriptions"],
    summary="本企业的订阅（主题、部门、关键词）",
    response_model=SubscriptionList,
    responses=COMMON,
)
def subscriptions(request: Request, db: DbSession, user: ApiUser) -> Response:
    return _subscriptions(request, db, own_enterprise(db, user).id)


@router.post(
    "/subscriptions",
    tags=["subscriptions"],
    summary="订阅一个主题、部门或关键词（已订阅的返回 200，新增的 201）",
    status_code=201,
    response_model=SubscriptionRead,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SubscriptionCreate.model_json_schema()}},
        }
    },
    responses={**JSON_BODY_RESPONSES, **COMMON, 200: {"model": SubscriptionRead, "description": "已订阅过"}},
)
async def subscribe(request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    check_csrf_header(request)
    body = await read_json_body(request, SubscriptionCreate)
    try:
        subscription, created = notify_service.add_subscription(
            db_session=db, enterprise_id=enterprise.id, kind=body.kind, value=body.value, actor=actor_of(user)
        )
    except InputError as exc:
        return JSONResponse({"detail": exc.detail, "problems": [exc.detail]}, status_code=422)
    return _json(request, notify_service.subscription_dict(subscription), status=201 if created else 200)


@router.delete(
    "/subscriptions/{subscription_id}",
    tags=["subscriptions"],
    summary="取消一项订阅",
    status_code=204,
    response_class=Response,
    responses=COMMON,
)
def unsubscribe(subscription_id: int, request: Request, db: DbSession, user: ApiUser) -> Response:
    enterprise = own_enterprise(db, user)
    check_csrf_header(request)
    notify_service.remove_subscription(
        db_session=db, enterprise_id=enterprise.id, subscription_id=subscription_id, actor=actor_of(user)
    )
    return Response(status_code=204)
