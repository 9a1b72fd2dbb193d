"""The enterprise's own pages: its profile (企业画像), shown and edited as a form with no script.

An enterprise account signs in through the login form and lands here; it sees and edits only the
enterprise it is bound to. The JSON twin is ``GET /api/v1/profiles/me``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong.errors import PermissionDenied
from zhengcetong.library import User
from zhengcetong.match import profiles
from zhengcetong.match.enterprise import DOCUMENT_PROJECT, LABELS, LEVELS, SCALES
from zhengcetong.match.errors import Problem
from zhengcetong.match.profile import RECOGNITION, FactSpec
from zhengcetong.notify import service as notify_service
from zhengcetong.web.auth import LoginRequired, OptionalUser, actor_of, check_csrf, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/enterprise", include_in_schema=False)
EMPTY_ROWS = 3  # blank rows offered under each repeated group, to add to it
MAX_ROWS = 200
MAX_FACTS_CHARS = 20000
GRADES = ("A", "B", "C", "D")
SCALARS = ("name", "region", "industries", "scale", "employees", "mu_efficiency_grade", "contact_email")
GROUPS: dict[str, dict[str, FactSpec]] = {"recognitions": RECOGNITION, "projects": DOCUMENT_PROJECT}


def enterprise_user(request: Request, user: OptionalUser) -> User:
    """The signed-in enterprise account; visitors get the login page, other accounts 403."""
    if user is None:
        raise LoginRequired
    if user.role != "enterprise":
        raise PermissionDenied("企业画像页面只供企业账号使用；审核人员请使用审核后台或 /api/v1/profiles 接口")
    return user


# --- document ↔ form ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A stored value as typed into a text box.

    Examples:
        >>> _text(None), _text(420), _text(0.21), _text(True), _text(["甲", "乙"])
        ('', '420', '0.21', 'true', '甲、乙')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def form_of(document: dict) -> dict:
    """The form's fields (all text) for a stored document."""
    form: dict[str, Any] = {key: _text(document.get(key)) for key in SCALARS}
    form["revenue"] = [
        {"year": str(year), "amount": _text(amount)}
        for year, amount in (document.get("revenue_yuan") or {}).items()
    ]
    for group, fields in GROUPS.items():
        form[group] = [
            {f: _text(el.get(f)) for f in fields} for el in document.get(group) or [] if isinstance(el, dict)
        ]
    facts = document.get("facts")
    form["facts"] = json.dumps(facts, ensure_ascii=False, indent=1) if facts else ""
    return form


def _number(text: str, *, integer: bool) -> Any:
    """Typed text as a number when it reads as one, else the text (the check names what is wrong).

    Examples:
        >>> _number("1,200", integer=True), _number("0.5", integer=False), _number("许多", integer=False)
        (1200, 0.5, '许多')
    """
    clean = text.strip().replace(",", "").replace("，", "")
    if re.fullmatch(r"[+-]?\d+", clean):
        return int(clean)
    if not integer and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", clean):
        return float(clean)
    return text.strip()


def _value(spec: FactSpec, text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if spec.type == "int":
        return _number(text, integer=True)
    if spec.type == "number":
        return _number(text, integer=False)
    if spec.type == "bool":
        return {"true": True, "false": False}.get(text, text)
    return text


def _rows(form, group: str, fields) -> list[dict]:
    columns = {f: form.getlist(f"{group}.{f}")[:MAX_ROWS] for f in fields}
    count = max((len(v) for v in columns.values()), default=0)
    return [{f: (columns[f][i] if i < len(columns[f]) else "") for f in fields} for i in range(count)]


def read_form(form) -> tuple[dict, dict, list[Problem]]:
    """(what was typed, the document it makes, problems found before the document's own check)."""
    typed: dict[str, Any] = {key: str(form.get(key, ""))[:2000] for key in SCALARS}
    problems: list[Problem] = []
    document: dict[str, Any] = {}
    for key in ("name", "region", "scale", "mu_efficiency_grade", "contact_email"):
        if typed[key].strip():
            document[key] = typed[key].strip()
    if typed["employees"].strip():
        document["employees"] = _number(typed["employees"], integer=True)
    industries = [p.strip() for p in re.split(r"[、;；,，\n]", typed["industries"]) if p.strip()]
    if industries:
        document["industries"] = industries
    typed["revenue"] = _rows(form, "revenue", ("year", "amount"))
    revenue = {}
    for i, row in enumerate(typed["revenue"], 1):
        year, amount = row["year"].strip(), row["amount"].strip()
        if not year and not amount:
            continue
        if not year:
            problems.append(Problem(f"$.revenue_yuan[{i}]", f"第 {i} 行：请填写年份", "year missing"))
        elif not amount:
            problems.append(
                Problem(f"$.revenue_yuan.{year}", f"第 {i} 行：请填写 {year} 年的金额", "amount missing")
            )
        else:
            revenue[year] = _number(amount, integer=False)
    if revenue:
        document["revenue_yuan"] = revenue
    for group, fields in GROUPS.items():
        typed[group] = _rows(form, group, fields)
        elements = []
        for row in typed[group]:
            element = {f: v for f, spec in fields.items() if (v := _value(spec, row[f])) is not None}
            if element:
                elements.append(element)
        if elements:
            document[group] = elements
    typed["facts"] = str(form.get("facts", ""))[:MAX_FACTS_CHARS]
    if typed["facts"].strip():
        try:
            document["facts"] = json.loads(typed["facts"])
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(
                    "$.facts",
                    f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                    "invalid JSON",
                )
            )
    return typed, document, problems


def errors_by_field(problems: list[Problem]) -> dict[str, list[str]]:
    """Each problem under the form field it belongs to, worded for the form (rows counted from 1).

    Examples:
        >>> errors_by_field([Problem("$.recognitions[1].level", "级别：应为…", ""), Problem("$", "x", "")])
        {'recognitions': ['第 2 行：级别：应为…'], '_': ['x']}
    """
    out: dict[str, list[str]] = {}
    for p in problems:
        path = p.where[2:] if p.where.startswith("$.") else ""
        head = re.match(r"[a-z_]+", path)
        key = head.group(0) if head else "_"
        row = re.match(r"[a-z_]+\[(\d+)\]", path)
        text = p.zh
        if row and key in GROUPS:
            text = f"第 {int(row.group(1)) + 1} 行：{p.zh}"
        out.setdefault(key, []).append(text)
    return out


def _with_blank_rows(form: dict) -> dict:
    out = dict(form)
    out["revenue"] = [*form["revenue"], *({"year": "", "amount": ""} for _ in range(EMPTY_ROWS))]
    for group, fields in GROUPS.items():
        out[group] = [*form[group], *({f: "" for f in fields} for _ in range(EMPTY_ROWS))]
    return out


def _render(
    request: Request, db, user: User, enterprise, *, form=None, errors=None, saved=False, status_code=200
):
    context: dict[str, Any] = {
        "user": user,
        "enterprise": enterprise,
        "csrf": csrf_token(request),
        "saved": saved,
        "unread": 0,
    }
    if enterprise is not None:
        context.update(
            unread=notify_service.unread_count(db_session=db, enterprise_id=enterprise.id),
            form=_with_blank_rows(form or form_of(enterprise.profile)),
            errors=errors or {},
            origin={k: profiles.provenance_text(v) for k, v in (enterprise.provenance or {}).items()},
            labels=LABELS,
            scales=SCALES,
            grades=GRADES,
            levels=LEVELS,
            groups={g: [(f, spec) for f, spec in fields.items()] for g, fields in GROUPS.items()},
        )
    response = templates.TemplateResponse(
        request, "enterprise/profile.html", context, status_code=status_code
    )
    response.headers["Link"] = '</api/v1/profiles/me>; rel="alternate"; type="application/json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, db: DbSession, user: OptionalUser, saved: int = 0):
    user = enterprise_user(request, user)
    enterprise = profiles.for_user(db_session=db, user=user)
    return _render(request, db, user, enterprise, saved=bool(saved))


@router.post("/profile", response_class=HTMLResponse)
async def save_profile(request: Request, db: DbSession, user: OptionalUser):
    user = enterprise_user(request, user)
    form = await request.form(max_files=0, max_fields=3000)
    check_csrf(request, str(form.get("csrf", "")))
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is None:
        return _render(request, db, user, None, status_code=409)
    typed, document, problems = read_form(form)
    document["credit_code"] = enterprise.credit_code
    if not problems:
        try:
            profiles.upsert(
                db_session=db, document=document, source="enterprise", actor=actor_of(user), replace=True
            )
        except profiles.EnterpriseProfileError as exc:
            problems = exc.problems
    if problems:
        db.rollback()
        return _render(
            request, db, user, enterprise, form=typed, errors=errors_by_field(problems), status_code=400
        )
    return RedirectResponse("/enterprise/profile?saved=1", status_code=303)
