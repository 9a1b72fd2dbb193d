"""Accounts: create, authenticate (Argon2 password hashes), roles."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Engine, case, delete, literal, select, update
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.db.types import UtcDateTime
from zhengcetong.db.upsert import insert
from zhengcetong.errors import Conflict, InputError, NotFound, PermissionDenied
from zhengcetong.library.models import LoginAttempt, User
from zhengcetong.library.service import record_event

ROLES = ("admin", "reviewer", "enterprise")
ROLE_NAMES = {"admin": "管理员", "reviewer": "审核人员", "enterprise": "企业账号"}  # what people read
STAFF_ROLES = ("admin", "reviewer")
MIN_PASSWORD = 10
FAILED_LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILED_LOGINS = 5  # attempts at one username from one address per window (the account+address lock)
MAX_ADDRESS_FAILURES = 20  # attempts from one address, whatever the usernames, per window
MAX_CONCURRENT_HASHES = 2  # Argon2 checks at once in this process (each takes 64 MiB and a core)
HASH_WAIT_SECONDS = 3.0  # how long a login waits for a free check before it is told to come back
PRUNE_EVERY = 100  # every so many counted attempts, rows of windows long past are deleted
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class TooManyAttempts(PermissionDenied):
    """Too many login attempts from this address (at this username, or in all): try again later (HTTP 429)."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class LoginBusy(PermissionDenied):
    """Every password check slot stayed busy while this login waited: try again shortly (HTTP 503)."""

    retry_after = 5


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


_hash_slots = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)
_attempt_counter = itertools.count(1)


@contextmanager
def _hash_slot() -> Iterator[None]:
    """Hold one of the process's MAX_CONCURRENT_HASHES password check slots, or LoginBusy after a wait."""
    if not _hash_slots.acquire(timeout=HASH_WAIT_SECONDS):
        raise LoginBusy("登录的人太多，请稍后再试")
    try:
        yield
    finally:
        _hash_slots.release()


def create_user(
    *,
    db_session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    email: str | None = None,
    actor: str,
) -> User:
    """Create an account; the password is stored only as an Argon2 hash."""
    if role not in ROLES:
        raise InputError(
            f"角色“{role}”无效，应为 {'、'.join(f'{r}（{ROLE_NAMES[r]}）' for r in ROLES)} 之一",
            source="role",
        )
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符", source="password")
    if db_session.scalar(select(User).where(User.username == username)):
        raise Conflict(f"用户名 {username} 已存在")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher().hash(password),
        role=role,
        email=check_email(email) if email else None,
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

    Before any password is checked the attempt is counted, and committed on its own connection, per
    source address and per username+address, so parallel guesses see each other: once an address has
    made MAX_ADDRESS_FAILURES attempts, or MAX_FAILED_LOGINS at one username, within FAILED_LOGIN_WINDOW,
    TooManyAttempts until that window has passed, whatever the password. The lock is per address: the
    same user logs in from elsewhere. A successful login takes its attempt back and clears its
    username+address count. At most MAX_CONCURRENT_HASHES checks run at once; a login that cannot get
    one within HASH_WAIT_SECONDS gets LoginBusy (its attempt is taken back). Every failure is audited
    (``user.login_failed``, actor ``login:<source>``).
    """
    from argon2.exceptions import VerificationError

    name, address = username[:80], (source or "unknown")[:64]
    engine = db_session.get_bind().engine  # the counts are written on their own connection
    _count_attempt(engine, username=name, address=address)
    user = db_session.scalar(select(User).where(User.username == username))
    try:
        with _hash_slot():
            if user is None:
                _hasher().hash(password)  # spend the same time whether or not the user exists
                raise VerificationError
            _hasher().verify(user.password_hash, password)
    except LoginBusy:
        _take_back_attempt(engine, username=name, address=address, clear_account=False)
        raise
    except VerificationError:
        user = None
    if user is None or not user.active:
        record_event(
            db_session=db_session,
            actor=f"login:{source}"[:200],
            action="user.login_failed",
            target_type="user",
            target_id=name,
        )
        raise PermissionDenied("用户名或密码不正确")
    _take_back_attempt(engine, username=name, address=address, clear_account=True)
    return user


def _bump(connection, *, scope: str, address: str, username: str, now: datetime) -> tuple[int, datetime]:
    """Add one attempt to a key in one atomic statement: (attempts in its window, the window's start)."""
    table = LoginAttempt.__table__
    expired = table.c.window_start < now - FAILED_LOGIN_WINDOW
    statement = insert(connection, table).values(
        scope=scope, address=address, username=username, attempts=1, window_start=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.scope, table.c.address, table.c.username],
        set_={
            "attempts": case((expired, 1), else_=table.c.attempts + 1),
            "window_start": case((expired, literal(now, UtcDateTime())), else_=table.c.window_start),
        },
    ).returning(table.c.attempts, table.c.window_start)
    attempts, start = connection.execute(statement).one()
    return attempts, start


def _count_attempt(engine: Engine, *, username: str, address: str) -> None:
    """Count one login attempt for the address and for username+address, committed before returning;
    TooManyAttempts when either is over its limit."""
    now = clock.now()
    with engine.begin() as connection:
        attempts, start = _bump(connection, scope="address", address=address, username="", now=now)
        over = attempts > MAX_ADDRESS_FAILURES
        if not over:
            attempts, start = _bump(connection, scope="account", address=address, username=username, now=now)
            over = attempts > MAX_FAILED_LOGINS
    if next(_attempt_counter) % PRUNE_EVERY == 0:
        _prune(engine, now=now)
    if over:
        seconds = max(1, int((start + FAILED_LOGIN_WINDOW - now).total_seconds()))
        minutes = -(-seconds // 60)
        raise TooManyAttempts(f"登录失败次数过多，请 {minutes} 分钟后再试", retry_after=seconds)


def _take_back_attempt(engine: Engine, *, username: str, address: str, clear_account: bool) -> None:
    """Uncount an attempt that was not a failure; ``clear_account`` clears the username+address count."""
    table = LoginAttempt.__table__
    key = (table.c.scope == "account") & (table.c.address == address) & (table.c.username == username)
    with engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.scope == "address", table.c.address == address, table.c.username == "")
            .values(attempts=case((table.c.attempts > 0, table.c.attempts - 1), else_=0))
        )
        if clear_account:
            connection.execute(delete(table).where(key))
        else:
            connection.execute(
                update(table)
                .where(key)
                .values(attempts=case((table.c.attempts > 0, table.c.attempts - 1), else_=0))
            )


def _prune(engine: Engine, *, now: datetime) -> None:
    """Delete the counts of windows that are over (an expired window restarts at 1 anyway)."""
    table = LoginAttempt.__table__
    with engine.begin() as connection:
        connection.execute(delete(table).where(table.c.window_start < now - FAILED_LOGIN_WINDOW))


# --- administration (zct users …) ------------------------------------------------------------------


def get_user(*, db_session: Session, username: str) -> User:
    """The user with this username, or NotFound."""
    user = db_session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"用户 {username} 不存在（zct users list 列出全部账号）")
    return user


def has_password(*, user: User, password: str) -> bool:
    """Whether ``password`` is the account's password (no login attempt is counted; for tools, not logins)."""
    try:
        return bool(_hasher().verify(user.password_hash, password))
    except Exception:  # argon2's mismatch and invalid-hash errors
        return False


def end_sessions(*, user: User) -> None:
    """Make every session cookie issued to ``user`` so far invalid (logout ends them on the server too)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def set_active(*, db_session: Session, username: str, active: bool, actor: str) -> User:
    """Enable or disable an account; disabling ends its sessions, and a disabled user cannot log in."""
    user = get_user(db_session=db_session, username=username)
    user.active = active
    if not active:
        end_sessions(user=user)
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.enable" if active else "user.disable",
        target_type="user",
        target_id=username,
    )
    return user


def set_role(*, db_session: Session, username: str, role: str, actor: str) -> User:
    """Give an account another role (its sessions end, so the new role applies at the next login); the
    last active administrator keeps the role, so someone can still manage accounts."""
    if role not in ROLES:
        raise InputError(
            f"角色“{role}”无效，应为 {'、'.join(ROLE_NAMES[r] for r in ROLES)} 之一", source="role"
        )
    user = get_user(db_session=db_session, username=username)
    if user.role == role:
        return user
    if user.role == "admin" and user.active and _active_admins(db_session) <= 1:
        raise Conflict(f"{username} 是唯一启用的管理员，不能改为其他角色：请先指定另一位管理员")
    previous, user.role = user.role, role
    end_sessions(user=user)
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.set_role",
        target_type="user",
        target_id=username,
        data={"from": previous, "to": role},
    )
    return user


def _active_admins(db_session: Session) -> int:
    """How many administrators can log in."""
    return len(db_session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))).all())


def reset_password(*, db_session: Session, username: str, password: str, actor: str) -> User:
    """Give an account a new password: its sessions end and its login locks are cleared."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"密码至少 {MIN_PASSWORD} 个字符", source="password")
    user = get_user(db_session=db_session, username=username)
    user.password_hash = _hasher().hash(password)
    end_sessions(user=user)
    cleared = _clear_locks(db_session=db_session, username=username)
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.password_reset",
        target_type="user",
        target_id=username,
        data={"locks_cleared": cleared},
    )
    return user


def _clear_locks(*, db_session: Session, username: str, address: str | None = None) -> int:
    """Delete the username's attempt counts (from ``address`` only, when given): how many were deleted."""
    where = [LoginAttempt.scope == "account", LoginAttempt.username == username[:80]]
    if address is not None:
        where.append(LoginAttempt.address == address[:64])
    return db_session.execute(delete(LoginAttempt).where(*where)).rowcount or 0


def unlock(*, db_session: Session, username: str, address: str | None, actor: str) -> int:
    """Clear the username's login locks, from every address or from ``address`` only (whose own
    per-address count is then cleared too): how many counts were deleted."""
    cleared = _clear_locks(db_session=db_session, username=username, address=address)
    if address is not None:
        cleared += (
            db_session.execute(
                delete(LoginAttempt).where(
                    LoginAttempt.scope == "address", LoginAttempt.address == address[:64]
                )
            ).rowcount
            or 0
        )
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.unlock",
        target_type="user",
        target_id=username[:80],
        data={"address": address, "cleared": cleared},
    )
    return cleared


def locked_addresses(*, db_session: Session) -> dict[str, list[tuple[str, datetime]]]:
    """For each username locked somewhere now, the addresses it is locked from and until when."""
    now = clock.now()
    rows = db_session.execute(
        select(LoginAttempt.username, LoginAttempt.address, LoginAttempt.window_start)
        .where(
            LoginAttempt.scope == "account",
            LoginAttempt.attempts >= MAX_FAILED_LOGINS,
            LoginAttempt.window_start >= now - FAILED_LOGIN_WINDOW,
        )
        .order_by(LoginAttempt.username, LoginAttempt.address)
    )
    locked: dict[str, list[tuple[str, datetime]]] = {}
    for username, address, start in rows:
        locked.setdefault(username, []).append((address, start + FAILED_LOGIN_WINDOW))
    return locked


def list_users(*, db_session: Session) -> list[User]:
    """Every account, by username."""
    return list(db_session.scalars(select(User).order_by(User.username)))


def check_email(email: str) -> str:
    """A plausible email address, stripped, or InputError saying what is wrong.

    Examples:
        >>> check_email(" finance@example.com ")
        'finance@example.com'
    """
    email = email.strip()
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        raise InputError(f"“{email[:80]}”不是有效的邮箱地址，例如 finance@example.com", source="email")
    return email


def set_email(*, db_session: Session, user: User, email: str | None, actor: str) -> User:
    """Set (or clear, with None or "") the address the account's notification emails go to; audited."""
    email = check_email(email) if email and email.strip() else None
    if email == user.email:
        return user
    user.email = email
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.set_email",
        target_type="user",
        target_id=user.username,
        data={"email": email},
    )
    db_session.flush()
    return user
