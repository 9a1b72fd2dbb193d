"""The staff console's 用户 section (administrators only): accounts with their roles, creating an
account, changing its role, disabling and enabling it. Every change is audited with who made it; an
administrator cannot disable or demote their own account from here (``zct users`` still can).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library import users
from zhengcetong.web.auth import AdminUser, actor_of, check_csrf, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/staff/users", include_in_schema=False)
NOTICES = {
    "created": "已创建账号。",
    "role": "已修改角色：该账号需要重新登录。",
    "disabled": "已停用：该账号不能再登录，已登录的会话已失效。",
    "enabled": "已启用。",
}


def _page(request: Request, db, user, *, typed=None, errors=None, notice: str = "", status_code: int = 200):
    """The account list with the creation form (what was typed, and why it was refused)."""
    locked = users.locked_addresses(db_session=db)
    return templates.TemplateResponse(
        request,
        "staff/users.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "accounts": users.list_users(db_session=db),
            "locked": locked,
            "role_names": users.ROLE_NAMES,
            "typed": typed or {"username": "", "display_name": "", "role": "reviewer", "email": ""},
            "errors": errors or [],
            "notice": NOTICES.get(notice, ""),
            "min_password": users.MIN_PASSWORD,
        },
        status_code=status_code,
    )


def _message(exc: Exception) -> str:
    """What went wrong, without the field name an InputError carries for the CLI."""
    return exc.detail if isinstance(exc, InputError) else str(exc)


def _done(db, notice: str, username: str) -> RedirectResponse:
    """Commit, then go back to the list at the account's row."""
    db.commit()
    return RedirectResponse(f"/staff/users?done={notice}#user-{quote(username)}", status_code=303)


@router.get("", response_class=HTMLResponse)
def user_list(request: Request, db: DbSession, user: AdminUser, done: str = ""):
    return _page(request, db, user, notice=done)


@router.post("", response_class=HTMLResponse)
def create(
    request: Request,
    db: DbSession,
    user: AdminUser,
    csrf: str = Form(""),
    username: str = Form("", max_length=80),
    display_name: str = Form("", max_length=120),
    role: str = Form("reviewer", max_length=20),
    email: str = Form("", max_length=254),
    password: str = Form("", max_length=200),
):
    """Create a staff or enterprise account (enterprise accounts are bound to their enterprise with
    ``zct users add --enterprise``)."""
    check_csrf(request, csrf)
    typed = {"username": username, "display_name": display_name, "role": role, "email": email}
    name = username.strip()
    try:
        if not name:
            raise InputError("请填写用户名", source="username")
        users.create_user(
            db_session=db,
            username=name,
            password=password,
            role=role,
            display_name=display_name.strip() or None,
            email=email.strip() or None,
            actor=actor_of(user),
        )
    except (InputError, Conflict) as exc:
        db.rollback()
        return _page(request, db, user, typed=typed, errors=[_message(exc)], status_code=400)
    return _done(db, "created", name)


@router.post("/{username}/role", response_class=HTMLResponse)
def change_role(
    username: str,
    request: Request,
    db: DbSession,
    user: AdminUser,
    csrf: str = Form(""),
    role: str = Form(..., max_length=20),
):
    check_csrf(request, csrf)
    try:
        if username == user.username:
            raise Conflict("不能修改自己的角色：请另一位管理员修改")
        users.set_role(db_session=db, username=username, role=role, actor=actor_of(user))
    except (InputError, Conflict, NotFound) as exc:
        db.rollback()
        return _page(request, db, user, errors=[_message(exc)], status_code=400)
    return _done(db, "role", username)


@router.post("/{username}/active", response_class=HTMLResponse)
def change_active(
    username: str,
    request: Request,
    db: DbSession,
    user: AdminUser,
    csrf: str = Form(""),
    active: str = Form(..., max_length=5),
):
    check_csrf(request, csrf)
    enable = active == "1"
    try:
        if username == user.username and not enable:
            raise Conflict("不能停用自己的账号")
        users.set_active(db_session=db, username=username, active=enable, actor=actor_of(user))
    except (Conflict, NotFound) as exc:
        db.rollback()
        return _page(request, db, user, errors=[_message(exc)], status_code=400)
    return _done(db, "enabled" if enable else "disabled", username)
