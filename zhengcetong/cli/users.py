"""``zct users``: create, list, disable, enable accounts, reset passwords and clear login locks."""

from __future__ import annotations

import sys


def cli_actor() -> str:
    """How the CLI's account changes are attributed in the audit log: ``cli:<os user>``."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # no login name in this environment (e.g. a container without a passwd entry)
        name = "unknown"
    return f"cli:{name}"


def _read_password(password_stdin: bool, prompt: str = "密码") -> str:
    import typer

    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=True)


def _session():
    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade

    engine = get_engine()
    upgrade(engine)
    return session_scope(engine)


def run_add(
    *,
    username: str,
    role: str,
    display_name: str | None,
    password_stdin: bool,
    actor: str,
    enterprise: str | None = None,
    email: str | None = None,
) -> None:
    """Create an account, reading the password from stdin or a hidden prompt; ``enterprise`` (a credit
    code) binds an enterprise account to its enterprise; ``email`` is where its notification emails go."""
    from zhengcetong.errors import InputError
    from zhengcetong.library import users
    from zhengcetong.match import profiles

    if enterprise is not None:
        if role != "enterprise":
            raise InputError("只有企业账号可以绑定企业：请同时指定 --role enterprise", source="--enterprise")
        with _session() as session:  # say so before asking for a password
            profiles.get(db_session=session, credit_code=enterprise)
    password = _read_password(password_stdin)
    with _session() as session:
        user = users.create_user(
            db_session=session,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            email=email,
            actor=actor,
        )
        bound = (
            profiles.link_user(db_session=session, user=user, credit_code=enterprise, actor=actor)
            if enterprise is not None
            else None
        )
    suffix = f"，代表 {bound.name}（{bound.credit_code}）" if bound is not None else ""
    print(f"已创建用户 {username}（{users.ROLE_NAMES.get(role, role)}）{suffix}")


def run_list() -> None:
    """Print every account with its role, whether it is active and where it is locked from."""
    from zhengcetong import clock
    from zhengcetong.cli._common import print_table
    from zhengcetong.library import users

    with _session() as session:
        accounts = users.list_users(db_session=session)
        locked = users.locked_addresses(db_session=session)
    rows = []
    for user in accounts:
        locks = locked.get(user.username, [])
        lock_text = (
            "；".join(f"{address}（至 {clock.china_time(until)}）" for address, until in locks)
            if locks
            else "否"
        )
        rows.append(
            (
                user.username,
                user.display_name,
                users.ROLE_NAMES.get(user.role, user.role),
                "启用" if user.active else "停用",
                lock_text,
            )
        )
    print_table("账号", ["用户名", "显示名称", "角色", "状态", "锁定（来源地址）"], rows)


def run_set_active(*, username: str, active: bool) -> None:
    """Enable or disable an account."""
    from zhengcetong.library import users

    with _session() as session:
        users.set_active(db_session=session, username=username, active=active, actor=cli_actor())
    if active:
        print(f"已启用用户 {username}")
    else:
        print(f"已停用用户 {username}：不能再登录，已登录的会话已失效")


def run_reset_password(*, username: str, password_stdin: bool) -> None:
    """Set a new password; the user's sessions end and login locks are cleared."""
    from zhengcetong.library import users

    with _session() as session:
        users.get_user(db_session=session, username=username)  # say so before asking for a password
    password = _read_password(password_stdin, "新密码")
    with _session() as session:
        users.reset_password(db_session=session, username=username, password=password, actor=cli_actor())
    print(f"已重设用户 {username} 的密码：已登录的会话已失效，登录锁定已解除")


def run_unlock(*, username: str, address: str | None) -> None:
    """Clear a username's login locks (from one address, or all)."""
    from zhengcetong.library import users

    with _session() as session:
        cleared = users.unlock(db_session=session, username=username, address=address, actor=cli_actor())
    where = f"从 {address} " if address else ""
    if cleared:
        print(f"已解除用户 {username} {where}的登录锁定")
    else:
        print(f"用户 {username} {where}没有登录失败记录，无需解除")
