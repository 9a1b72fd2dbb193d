"""Accounts: the login throttle (counted before the password check, per address and username+address),
the bound on concurrent password checks, and the administration behind ``zct users``.

These tests commit for real (the throttle writes on its own connection), so each gets an empty database.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from zhengcetong.db.engine import make_engine, make_sessionmaker, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.errors import NotFound, PermissionDenied
from zhengcetong.library import users
from zhengcetong.library.models import AuditEvent, LoginAttempt

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """A low Argon2 cost for hashes made here (verification uses the cost stored in the hash)."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)


@pytest.fixture
def accounts(database_url):
    """A session factory on a fresh database holding the reviewer ``wang`` and the enterprise ``acme``."""
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        for name, role in (("wang", "reviewer"), ("acme", "enterprise")):
            users.create_user(db_session=session, username=name, password=PASSWORD, role=role, actor="test")
    yield make_sessionmaker(engine)
    engine.dispose()


def attempt(sessions, username: str, password: str, source: str) -> str:
    """One login as the web route makes it (own session, committed either way): ok, denied, locked or busy."""
    with sessions() as session:
        try:
            users.authenticate(db_session=session, username=username, password=password, source=source)
            outcome = "ok"
        except users.TooManyAttempts:
            outcome = "locked"
        except users.LoginBusy:
            outcome = "busy"
        except PermissionDenied:
            outcome = "denied"
        session.commit()
    return outcome


def failures(sessions, username: str | None = None) -> int:
    with sessions() as session:
        query = select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.login_failed")
        if username is not None:
            query = query.where(AuditEvent.target_id == username)
        return session.scalar(query)


class CountingHasher:
    """The real Argon2 hasher, noting how many checks run at once and how many ran in all."""

    def __init__(self, real):
        self.real, self.lock, self.running, self.most, self.checks = real, threading.Lock(), 0, 0, 0

    def _track(self, method, *args):
        with self.lock:
            self.running += 1
            self.checks += 1
            self.most = max(self.most, self.running)
        try:
            return method(*args)
        finally:
            with self.lock:
                self.running -= 1

    def hash(self, password):
        return self._track(self.real.hash, password)

    def verify(self, hashed, password):
        return self._track(self.real.verify, hashed, password)


def test_parallel_wrong_passwords_are_checked_at_most_the_limit(accounts, monkeypatch):
    # 25 guesses at once (the real Argon2 cost, so each check takes long enough for a race): the attempt is
    # counted and committed before the check, so only MAX_FAILED_LOGINS of them reach a password check.
    from argon2 import PasswordHasher

    counting = CountingHasher(PasswordHasher())  # the real cost: about 0.1 s and 64 MiB a check
    monkeypatch.setattr(users, "_hasher", lambda: counting)
    with accounts() as session:
        users.reset_password(db_session=session, username="wang", password=PASSWORD, actor="test")
        session.commit()
    counting.checks = 0
    monkeypatch.setattr(users, "HASH_WAIT_SECONDS", 60)  # a loaded test machine must not make any "busy"
    start = threading.Barrier(25)

    def guess(n: int) -> str:
        start.wait()
        return attempt(accounts, "wang", f"guess number {n}", "198.51.100.7")

    with ThreadPoolExecutor(25) as pool:
        outcomes = list(pool.map(guess, range(25)))
    assert outcomes.count("denied") == users.MAX_FAILED_LOGINS, outcomes
    assert outcomes.count("locked") == 25 - users.MAX_FAILED_LOGINS
    assert failures(accounts, "wang") == users.MAX_FAILED_LOGINS
    assert counting.checks == users.MAX_FAILED_LOGINS
    assert counting.most <= users.MAX_CONCURRENT_HASHES
    # the right password sent after the burst is refused too, from that address
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "locked"
    # the lock is per address: the real user elsewhere still gets in
    assert attempt(accounts, "wang", PASSWORD, "192.0.2.10") == "ok"


def test_one_address_is_limited_across_usernames(accounts):
    for n in range(users.MAX_ADDRESS_FAILURES):
        assert attempt(accounts, f"user{n}", "whatever it is", "203.0.113.5") == "denied"
    assert attempt(accounts, "wang", PASSWORD, "203.0.113.5") == "locked"
    assert attempt(accounts, "acme", PASSWORD, "203.0.113.6") == "ok"  # other addresses are not affected
    assert failures(accounts) == users.MAX_ADDRESS_FAILURES


def test_a_lock_holds_one_username_at_one_address_and_success_clears_it(accounts):
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        assert attempt(accounts, "wang", "wrong password!", "198.51.100.7") == "denied"
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "ok"  # clears the username's count here
    for _ in range(users.MAX_FAILED_LOGINS):
        assert attempt(accounts, "wang", "wrong password!", "198.51.100.7") == "denied"
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "locked"
    assert attempt(accounts, "acme", PASSWORD, "198.51.100.7") == "ok"  # another account from there
    assert attempt(accounts, "wang", PASSWORD, "192.0.2.10") == "ok"  # the account from elsewhere
    with accounts() as session:
        locked = users.locked_addresses(db_session=session)
    assert list(locked) == ["wang"] and [a for a, _ in locked["wang"]] == ["198.51.100.7"]


def test_an_expired_window_starts_again(accounts, monkeypatch):
    from datetime import timedelta

    from zhengcetong import clock

    for _ in range(users.MAX_FAILED_LOGINS):
        attempt(accounts, "wang", "wrong password!", "198.51.100.7")
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "locked"
    later = clock.now() + users.FAILED_LOGIN_WINDOW + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "ok"


def test_a_login_that_finds_every_check_busy_is_told_to_come_back_and_not_counted(accounts, monkeypatch):
    monkeypatch.setattr(users, "HASH_WAIT_SECONDS", 0.05)
    taken = [users._hash_slots.acquire(timeout=1) for _ in range(users.MAX_CONCURRENT_HASHES)]
    try:
        assert all(taken)
        assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "busy"
    finally:
        for _ in taken:
            users._hash_slots.release()
    with accounts() as session:
        counts = session.scalars(select(LoginAttempt.attempts)).all()
    assert counts and set(counts) == {0}
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "ok"


def test_a_disabled_user_cannot_log_in_and_their_sessions_end(accounts):
    with accounts() as session:
        epoch = users.get_user(db_session=session, username="wang").session_epoch
        users.set_active(db_session=session, username="wang", active=False, actor="cli:root")
        session.commit()
    assert attempt(accounts, "wang", PASSWORD, "192.0.2.10") == "denied"
    with accounts() as session:
        user = users.set_active(db_session=session, username="wang", active=True, actor="cli:root")
        assert user.session_epoch == epoch + 1
        session.commit()
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "cli:root")).all()
    assert actions == ["user.disable", "user.enable"]
    assert attempt(accounts, "wang", PASSWORD, "192.0.2.10") == "ok"


def test_reset_password_ends_sessions_and_clears_locks(accounts):
    for _ in range(users.MAX_FAILED_LOGINS):
        attempt(accounts, "wang", "wrong password!", "198.51.100.7")
    with accounts() as session:
        epoch = users.get_user(db_session=session, username="wang").session_epoch
        user = users.reset_password(
            db_session=session, username="wang", password="a brand new secret", actor="cli:root"
        )
        assert user.session_epoch == epoch + 1
        session.commit()
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "denied"  # the old password is gone
    assert attempt(accounts, "wang", "a brand new secret", "198.51.100.7") == "ok"
    with accounts() as session, pytest.raises(NotFound):
        users.reset_password(db_session=session, username="nobody", password="a brand new secret", actor="x")


def test_unlock_clears_one_address_or_all(accounts):
    for address in ("198.51.100.7", "198.51.100.8"):
        for _ in range(users.MAX_FAILED_LOGINS):
            attempt(accounts, "wang", "wrong password!", address)
    with accounts() as session:
        assert users.unlock(db_session=session, username="wang", address="198.51.100.7", actor="cli:root")
        session.commit()
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.7") == "ok"
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.8") == "locked"
    with accounts() as session:
        users.unlock(db_session=session, username="wang", address=None, actor="cli:root")
        session.commit()
        assert users.locked_addresses(db_session=session) == {}
    assert attempt(accounts, "wang", PASSWORD, "198.51.100.8") == "ok"
