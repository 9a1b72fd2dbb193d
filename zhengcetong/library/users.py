"""Accounts: create, authenticate (Argon2 password hashes), roles."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.errors import Conflict, InputError, PermissionDenied
from zhengcetong.library.models import AuditEvent, User
from zhengcetong.library.service import record_event

ROLES = ("admin", "reviewer", "enterprise")
STAFF_ROLES = ("admin", "reviewer")
MIN_PASSWORD = 10
MAX_FAILED_LOGINS = 5  # failed logins of one username within FAILED_LOGIN_WINDOW before it is locked
FAILED_LOGIN_WINDOW = timedelta(minutes=15)


class TooManyAttempts(PermissionDenied):
    """A username that failed to log in too often lately: try again later (HTTP 429)."""


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def create_user(
    *,
    db_session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    actor: str,
) -> User:
    """Create an account; the password is stored only as an Argon2 hash."""
    if role not in ROLES:
        raise InputError(f"角色“{role}”无效，应为 {' / '.join(ROLES)}", source="role")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符", source="password")
    if db_session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"用户名 {username} 已存在")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher().hash(password),
        role=role,
    )
    db_session.add(user)
    db_session.flush()
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.create",
        target_type="user",
        target_id=username,
        data={"role": role},
    )
    return user


def authenticate(*, db_session: Session, username: str, password: str, source: str = "unknown") -> User:
    """The active user with this username and password, or PermissionDenied (same message either way).

    Every failure is audited (``user.login_failed``, with ``source``, e.g. the client address); after
    MAX_FAILED_LOGINS failures of one username within FAILED_LOGIN_WINDOW, TooManyAttempts until the
    window has passed, whatever the password (guessing gains nothing from the lock).
    """
    from argon2.exceptions import VerificationError

    since = clock.now() - FAILED_LOGIN_WINDOW
    failures = db_session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "user.login_failed",
            AuditEvent.target_id == username[:80],
            AuditEvent.at >= since,
        )
    )
    if failures >= MAX_FAILED_LOGINS:
        minutes = int(FAILED_LOGIN_WINDOW.total_seconds() // 60)
        raise TooManyAttempts(f"登录失败次数过多，请 {minutes} 分钟后再试")
    user = db_session.scalar(select(User).where(User.username == username))
    try:
        if user is None:
            _hasher().hash(password)  # spend the same time whether or not the user exists
            raise VerificationError
        _hasher().verify(user.password_hash, password)
        if not user.active:
            raise VerificationError
    except VerificationError as exc:
        record_event(
            db_session=db_session,
            actor=f"login:{source}"[:200],
            action="user.login_failed",
            target_type="user",
            target_id=username[:80],
        )
        raise PermissionDenied("用户名或密码不正确") from exc
    return user
