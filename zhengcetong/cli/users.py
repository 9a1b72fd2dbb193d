"""``zct users add``: create staff and enterprise accounts."""

from __future__ import annotations

import sys


def run_add(*, username: str, role: str, display_name: str | None, password_stdin: bool, actor: str) -> None:
    """Create an account, reading the password from stdin or a hidden prompt."""
    import typer

    from zhengcetong.db.engine import get_engine, session_scope
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.library import users

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    engine = get_engine()
    upgrade(engine)
    with session_scope(engine) as session:
        users.create_user(
            db_session=session,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            actor=actor,
        )
    print(f"已创建用户 {username}（{role}）")
