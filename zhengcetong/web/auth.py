"""Sessions in a signed cookie, the current user, and CSRF tokens for every form that changes data."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from zhengcetong.errors import PermissionDenied
from zhengcetong.library import User, users
from zhengcetong.web.deps import DbSession

COOKIE = "zct_session"
CSRF_COOKIE = "zct_csrf"
MAX_AGE = 8 * 3600


class LoginRequired(Exception):
    """Raised for pages that need a logged-in user; the app redirects to the login page."""


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret, salt="zct-session")


def read_session(request: Request) -> dict:
    """The session dict from the signed cookie (empty when absent, expired or tampered with)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        return _serializer(request).loads(raw, max_age=MAX_AGE)
    except BadSignature:
        return {}


def _secure(request: Request) -> bool:
    """Cookies carry Secure in production (served over HTTPS behind the proxy)."""
    return request.app.state.settings.env == "production"


def write_session(request: Request, response, data: dict) -> None:
    """Set the session cookie (HttpOnly, SameSite=Lax, Secure in production)."""
    response.set_cookie(
        COOKIE,
        _serializer(request).dumps(data),
        max_age=MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def write_csrf_cookie(request: Request, response, token: str) -> None:
    """Set the anonymous visitor's CSRF cookie for the login form (HttpOnly, SameSite=Strict, Secure in
    production)."""
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600, secure=_secure(request)
    )


def new_session(user: User) -> dict:
    """A fresh session for a user who just logged in (a new CSRF token too)."""
    return {"uid": user.id, "epoch": user.session_epoch, "csrf": secrets.token_urlsafe(24)}


def actor_of(user: User) -> str:
    """How a user's writes are attributed in revisions and the audit log.

    Examples:
        >>> actor_of(User(username="wang"))
        'user:wang'
    """
    return f"user:{user.username}"


def csrf_token(request: Request) -> str:
    """The CSRF token to put in forms (anonymous visitors get one for the login form)."""
    return read_session(request).get("csrf", "") or request.cookies.get(CSRF_COOKIE, "")


def check_csrf(request: Request, token: str) -> None:
    """Refuse a form post whose token does not match the session's."""
    expected = read_session(request).get("csrf") or request.cookies.get(CSRF_COOKIE)
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, so a 500)
    if not expected or not token or not hmac.compare_digest(expected.encode(), token.encode()):
        raise PermissionDenied("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")


def optional_user(request: Request, db: DbSession) -> User | None:
    """The logged-in user, or None."""
    session = read_session(request)
    uid = session.get("uid")
    if not uid:
        return None
    user = db.get(User, uid)
    if user is None or not user.active or session.get("epoch") != user.session_epoch:
        return None  # unknown, deactivated, or a session that logged out
    return user


def staff_user(request: Request, db: DbSession) -> User:
    """The logged-in staff member (reviewer or admin); other users get 403, visitors the login page."""
    user = optional_user(request, db)
    if user is None:
        raise LoginRequired
    if user.role not in users.STAFF_ROLES:
        raise PermissionDenied("只有审核人员可以使用审核后台")
    return user


def admin_user(request: Request, db: DbSession) -> User:
    """The logged-in administrator; reviewers get 403, visitors the login page."""
    user = staff_user(request, db)
    if user.role != "admin":
        raise PermissionDenied("只有管理员可以管理账号，请联系管理员")
    return user


StaffUser = Annotated[User, Depends(staff_user)]
AdminUser = Annotated[User, Depends(admin_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
