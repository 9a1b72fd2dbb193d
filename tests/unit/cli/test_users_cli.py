"""``zct users``: list, disable, enable, reset-password and unlock, each audited as ``cli:<os user>``;
and ``zct serve`` trusting no proxy's X-Forwarded-For by default."""

from __future__ import annotations

import getpass
import io
import sys

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from tests.unit.cli.test_cli import run
from zhengcetong.errors import PermissionDenied
from zhengcetong.library import users
from zhengcetong.library.models import AuditEvent

PASSWORD = "correct horse battery"


@pytest.fixture
def cli_db(monkeypatch, tmp_path):
    """An empty SQLite database for the CLI, cheap password hashes, and the session factory on it."""
    from zhengcetong.config import get_settings
    from zhengcetong.db.engine import get_engine, make_sessionmaker

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    monkeypatch.setenv("ZCT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("ZCT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield lambda: make_sessionmaker(get_engine())()
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def add_wang(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert run(monkeypatch, capsys, "users", "add", "wang", "--password-stdin")[0] == 0


def login(sessions, password: str = PASSWORD, source: str = "198.51.100.7") -> str:
    with sessions() as session:
        try:
            users.authenticate(db_session=session, username="wang", password=password, source=source)
            return "ok"
        except users.TooManyAttempts:
            return "locked"
        except PermissionDenied:
            return "denied"
        finally:
            session.commit()


def test_disable_and_enable_are_audited_as_the_os_user(cli_db, monkeypatch, capsys):
    add_wang(monkeypatch, capsys)
    code, out, _ = run(monkeypatch, capsys, "users", "disable", "wang")
    assert code == 0 and "已停用用户 wang" in out
    assert login(cli_db) == "denied"
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and "wang" in out and "停用" in out
    assert run(monkeypatch, capsys, "users", "enable", "wang")[0] == 0
    assert login(cli_db) == "ok"
    with cli_db() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor).where(
                AuditEvent.action.in_(["user.disable", "user.enable"])
            )
        ).all()
    actor = f"cli:{getpass.getuser()}"
    assert sorted(events) == [("user.disable", actor), ("user.enable", actor)]


def test_reset_password_from_stdin(cli_db, monkeypatch, capsys):
    add_wang(monkeypatch, capsys)
    with cli_db() as session:
        epoch = users.get_user(db_session=session, username="wang").session_epoch
    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new secret\n"))
    code, out, _ = run(monkeypatch, capsys, "users", "reset-password", "wang", "--password-stdin")
    assert code == 0 and "已重设用户 wang 的密码" in out
    assert login(cli_db) == "denied" and login(cli_db, "a brand new secret") == "ok"
    with cli_db() as session:
        assert users.get_user(db_session=session, username="wang").session_epoch == epoch + 1
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "user.password_reset"))


def test_unlock_and_list_show_the_lock(cli_db, monkeypatch, capsys):
    add_wang(monkeypatch, capsys)
    for _ in range(users.MAX_FAILED_LOGINS):
        assert login(cli_db, "wrong password!") == "denied"
    assert login(cli_db) == "locked"
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and "198.51.100.7（至" in out
    code, out, _ = run(monkeypatch, capsys, "users", "unlock", "wang", "--address", "198.51.100.7")
    assert code == 0 and "已解除用户 wang 从 198.51.100.7 的登录锁定" in out
    assert login(cli_db) == "ok"
    code, out, _ = run(monkeypatch, capsys, "users", "unlock", "wang")
    assert code == 0 and "没有登录失败记录" in out
    with cli_db() as session:
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "user.unlock")).startswith(
            "cli:"
        )


def test_an_unknown_user_is_a_clear_error(cli_db, monkeypatch, capsys):
    for args in (
        ["disable", "nobody"],
        ["enable", "nobody"],
        ["reset-password", "nobody", "--password-stdin"],
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        code, _, err = run(monkeypatch, capsys, "users", *args)
        assert code == 2 and "用户 nobody 不存在" in err


def test_serve_trusts_no_proxy_headers_by_default(cli_db, monkeypatch, capsys):
    import uvicorn

    from zhengcetong.config import get_settings

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    monkeypatch.delenv("ZCT_FORWARDED_ALLOW_IPS", raising=False)
    get_settings.cache_clear()
    assert run(monkeypatch, capsys, "serve")[0] == 0
    assert seen["proxy_headers"] is False and seen["forwarded_allow_ips"] == ""
    monkeypatch.setenv("ZCT_FORWARDED_ALLOW_IPS", "10.0.0.2")
    get_settings.cache_clear()
    assert run(monkeypatch, capsys, "serve")[0] == 0
    assert seen["proxy_headers"] is True and seen["forwarded_allow_ips"] == "10.0.0.2"


def test_roles_are_shown_in_chinese(cli_db, monkeypatch, capsys):
    """Issue #17: the CLI said "reviewer" where the web says 审核人员."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code, out, _ = run(monkeypatch, capsys, "users", "add", "wang", "--password-stdin")
    assert code == 0 and "已创建用户 wang（审核人员）" in out
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and "审核人员" in out and "reviewer" not in out
    code, _, err = run(monkeypatch, capsys, "users", "add", "li", "--role", "boss", "--password-stdin")
    assert code == 2 and "reviewer（审核人员）" in err
