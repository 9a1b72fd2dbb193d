"""Accounts for tests: cheap password hashing, and users created and bound to their enterprises."""

from __future__ import annotations

from collections.abc import Iterable


def cheap_hashing(monkeypatch) -> None:
    """Argon2 at its lowest cost for the test (the real parameters take a noticeable time per login)."""
    from argon2 import PasswordHasher

    from zhengcetong.library import users

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)


def add_accounts(
    session, accounts: Iterable[tuple[str, str, str | None, str | None]], *, password: str
) -> None:
    """Create each ``(username, role, credit code or None, email or None)`` account with ``password`` and
    bind it to the enterprise of that credit code."""
    from zhengcetong.library import users
    from zhengcetong.match import profiles

    for username, role, code, email in accounts:
        user = users.create_user(
            db_session=session, username=username, password=password, role=role, email=email, actor="t"
        )
        if code:
            profiles.link_user(db_session=session, user=user, credit_code=code, actor="t")
