"""The staff console (审核后台): review queue with deadlines, item editing and publishing."""

from __future__ import annotations

import json
import secrets
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong import clock, jsonsafe
from zhengcetong.errors import InputError, PermissionDenied
from zhengcetong.library import items as policy_items
from zhengcetong.library import publication, review, service, users
from zhengcetong.match import rule_form, vocabulary
from zhengcetong.match import service as match_service
from zhengcetong.web.auth import (
    OptionalUser,
    StaffUser,
    actor_of,
    check_csrf,
    csrf_token,
    new_session,
    read_session,
    write_csrf_cookie,
    write_session,
)
from zhengcetong.web.deps import DbSession
from zhengcetong.web.params import optional_date
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/staff", include_in_schema=False)
MAX_PROFILE_CHARS = 20000
BLANK_ROWS = 3  # empty condition rows under an item's conditions (more are added by rule_editor.js)
MANY_ITEMS = 3  # a document page with more items gives each one blank row (the item's own page gives 3)


async def _posted(request: Request) -> dict[str, str]:
    """The posted form as a dict of its text fields (the rule editor's rows have numbered names)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


PostedForm = Annotated[dict[str, str], Depends(_posted)]


LANDING_PREFIXES = ("/staff", "/enterprise/")


def landing(user, next: str) -> str:
    """Where a login goes: ``next`` when it is a page of the user's own area, else that area's start page
    (enterprise accounts: the policies they may get; staff: the review queue).

    Examples:
        >>> from zhengcetong.library.models import User
        >>> landing(User(role="enterprise"), "/staff"), landing(User(role="reviewer"), "/staff/documents/x")
        ('/enterprise/matches', '/staff/documents/x')
        >>> landing(User(role="reviewer"), "/enterprise/profile"), landing(User(role="enterprise"), "//evil")
        ('/staff', '/enterprise/matches')
    """
    if user.role == "enterprise":
        return next if next.startswith("/enterprise/") else "/enterprise/matches"
    return next if next.startswith("/staff") else "/staff"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/staff", error: str | None = None):
    token = read_session(request).get("csrf") or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "staff/login.html",
        {"csrf": token, "next": next if next.startswith(LANDING_PREFIXES) else "/staff", "error": error},
    )
    write_csrf_cookie(request, response, token)
    return response


@router.post("/login")
def login(
    request: Request,
    db: DbSession,
    username: str = Form(..., max_length=80),
    password: str = Form(..., max_length=200),
    csrf: str = Form(""),
    next: str = Form("/staff"),
):
    check_csrf(request, csrf)
    source = request.client.host if request.client else "unknown"
    try:
        user = users.authenticate(db_session=db, username=username, password=password, source=source)
    except PermissionDenied as exc:
        db.commit()  # the failure stays in the audit log whatever happens next
        response = templates.TemplateResponse(
            request,
            "staff/login.html",
            {"csrf": csrf, "next": next, "error": str(exc)},
            status_code=401,
        )
        if isinstance(exc, users.TooManyAttempts | users.LoginBusy):
            response.status_code = 429 if isinstance(exc, users.TooManyAttempts) else 503
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    service.record_event(
        db_session=db, actor=actor_of(user), action="user.login", target_type="user", target_id=user.username
    )
    response = RedirectResponse(landing(user, next), status_code=303)
    write_session(request, response, new_session(user))
    response.delete_cookie("zct_csrf")
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, user: OptionalUser, csrf: str = Form("")):
    check_csrf(request, csrf)
    if user is not None:
        users.end_sessions(user=user)
        service.record_event(
            db_session=db,
            actor=actor_of(user),
            action="user.logout",
            target_type="user",
            target_id=user.username,
        )
    response = RedirectResponse("/staff/login", status_code=303)
    response.delete_cookie("zct_session")
    return response


@router.get("", response_class=HTMLResponse)
def queue(request: Request, db: DbSession, user: StaffUser, today: date | None = None):
    settings = request.app.state.settings
    on = today or clock.today()
    entries = review.review_queue(
        db_session=db, today=on, working_days=settings.review_working_days, holidays=settings.holidays
    )
    return templates.TemplateResponse(
        request,
        "staff/queue.html",
        {
            "user": user,
            "entries": entries,
            "today": on,
            "days": settings.review_working_days,
            "csrf": csrf_token(request),
        },
    )


def _render_document(
    request: Request,
    db,
    user,
    document,
    *,
    saved: str | None = None,
    forms: dict | None = None,
    errors: dict | None = None,
    trials: dict | None = None,
    typings: dict | None = None,
    editors: dict | None = None,
    only: int | None = None,
    status_code: int = 200,
):
    """The document's items for review. ``forms`` keeps what a reviewer typed into an item's form when the
    save failed (``errors`` says why); ``trials`` holds an item's 试算 form and its result; ``typings`` what
    was typed into a claim's form (by item, then claim) with the reasons it was refused."""
    items = policy_items.list_items(db_session=db, document_uid=document.uid)
    if only is not None:
        items = [i for i in items if i.id == only]
    blanks = BLANK_ROWS if len(items) <= MANY_ITEMS else 1
    groups = rule_form.fact_groups()
    rows = []
    for i in items:
        form = (forms or {}).get(i.id)
        editor = (editors or {}).get(i.id) or rule_form.form_of(i)
        rows.append(
            {
                "data": policy_items.item_dict(db_session=db, item=i),
                "conditions_json": json.dumps(i.conditions, ensure_ascii=False, indent=1),
                "formula_json": json.dumps(i.formula, ensure_ascii=False) if i.formula is not None else "",
                "rule": match_service.rule_text(conditions=i.conditions, formula=i.formula),
                "revisions": [
                    {
                        "r": r,
                        "changed": [
                            policy_items.FIELD_NAMES.get(f, f) for f in policy_items.changed_fields(r)
                        ],
                    }
                    for r in i.revisions
                ],
                "form": form,
                "errors": (errors or {}).get(i.id, []),
                "trial": (trials or {}).get(i.id),
                "claims": vocabulary.claims_in(i.conditions),
                "typing": (typings or {}).get(i.id, {}),
                "editor": editor,
                "editor_rows": [r for r in editor.rows if not r.blank or r.errors]
                + [rule_form.ConditionRow() for _ in range(blanks)],
                "expert": bool(form and form.get("editor") == "json"),
                "bases": rule_form.base_choices(editor.amount.base if editor.amount else ""),
            }
        )
    return templates.TemplateResponse(
        request,
        "staff/document.html",
        {
            "user": user,
            "doc": document,
            "rows": rows,
            "csrf": csrf_token(request),
            "saved": saved,
            "status_names": publication.STATUS_NAMES,
            "action_names": publication.ACTION_NAMES,
            "today": clock.today(),
            "fact_groups": groups,
            "widgets": {c: w for _, facts in groups for c, _, w in facts},
            "operators": vocabulary.OPERATORS,
            "blank_row": rule_form.ConditionRow(),
            "modes": rule_form.MODES,
            "pers": rule_form.PERS,
            "only": only,
        },
        status_code=status_code,
    )


@router.get("/documents/{uid}", response_class=HTMLResponse)
def document_items(request: Request, uid: str, db: DbSession, user: StaffUser, saved: str | None = None):
    document = service.get_document(db_session=db, uid=uid)
    return _render_document(request, db, user, document, saved=saved)


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: str, db: DbSession, user: StaffUser, saved: str | None = None):
    """One item's review page (by id or key): its rule, the editor, 试算 and history."""
    item = policy_items.get_item(db_session=db, item_id=item_id)
    return _render_document(request, db, user, item.document, saved=saved, only=item.id)


def _parse_json(text: str, field: str):
    if not text.strip():
        return None
    label = FIELD_LABELS.get(field, field)
    try:
        return jsonsafe.loads(text, source=field)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{label}不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}", source=field
        ) from exc
    except InputError as exc:
        raise InputError(f"{label}有误：{exc.detail}", source=field) from exc


FIELD_LABELS = {"conditions": "机器可判断的条件", "formula": "计算公式", "profile": "企业画像"}


@router.post("/items/{item_id}")
def edit(
    request: Request,
    item_id: int,
    db: DbSession,
    user: StaffUser,
    posted: PostedForm,
    csrf: str = Form(""),
    name: str = Form(..., max_length=300),
    condition: str = Form("", max_length=5000),
    conditions: str = Form("", max_length=20000),
    formula: str = Form("", max_length=5000),
    amount_max_yuan: str = Form("", max_length=30),
    rate: str = Form("", max_length=20),
    time_limit_days: str = Form("", max_length=6),
    note: str = Form("", max_length=500),
    editor: str = Form("json", max_length=10),
    back: str = Form("", max_length=10),
):
    """Save an item's form: the rule from the structured editor (``editor=structured``) or from the JSON
    of the expert mode; either is checked by the same rules and saved as a new revision, audited."""
    check_csrf(request, csrf)
    item = policy_items.get_item(db_session=db, item_id=item_id)
    typed = {
        "name": name,
        "condition": condition,
        "conditions": conditions,
        "formula": formula,
        "amount_max_yuan": amount_max_yuan,
        "rate": rate,
        "time_limit_days": time_limit_days,
        "note": note,
        "editor": editor,
    }
    problems: list[str] = []
    changes: dict = {"name": name.strip(), "condition": condition.strip()}
    structured = rule_form.read_form(posted) if editor == "structured" else None
    if structured is None or structured.amount is None:  # the amount fields beside a formula kept as is
        changes["amount_max_yuan"] = amount_max_yuan.strip() or None
        changes["rate"] = rate.strip() or None
    if structured is not None:
        try:
            changes["conditions"], changes["formula"], columns = rule_form.rule_of(
                structured, match_service.rule_problems, item
            )
            changes.update(columns)
        except InputError:
            problems.append("规则未保存：请按下方标出的条件或金额修改")
    else:
        for field in ("conditions", "formula"):
            try:
                changes[field] = _parse_json(typed[field], field)
            except InputError as exc:
                problems.append(exc.detail)
        if "conditions" in changes and changes["conditions"] is None:
            changes["conditions"] = {}  # an emptied box: refused by rule_problems unless it was empty already
    text = time_limit_days.strip()
    if text and not (text.isascii() and text.isdigit()):
        problems.append(f"办理时限应为整数天数，实际为“{time_limit_days}”")
    else:
        changes["time_limit_days"] = int(text) if text else None
    if not problems:
        try:
            policy_items.edit_item(
                db_session=db,
                item=item,
                changes=changes,
                actor=actor_of(user),
                note=note.strip(),
                rules=match_service.RULES,
            )
        except policy_items.RuleInputError as exc:
            problems.extend(exc.problems)
        except InputError as exc:
            problems.append(exc.detail)
    only = item.id if back == "item" else None
    if problems:
        db.rollback()  # nothing of a refused save is kept
        return _render_document(
            request,
            db,
            user,
            item.document,
            forms={item.id: typed},
            errors={item.id: problems},
            editors={item.id: structured} if structured is not None else None,
            only=only,
            status_code=400,
        )
    if only is not None:
        return RedirectResponse(f"/staff/items/{item.id}?saved={item.id}#item-{item.id}", status_code=303)
    target = f"/staff/documents/{quote(item.document.uid)}?saved={item.id}#item-{item.id}"
    return RedirectResponse(target, status_code=303)


@router.post("/items/{item_id}/claims")
def claim_to_fact(
    request: Request,
    item_id: int,
    db: DbSession,
    user: StaffUser,
    csrf: str = Form(""),
    claim: str = Form(..., max_length=80),
    fact: str = Form("", max_length=80),
    op: str = Form("", max_length=20),
    value: str = Form("", max_length=2000),
    note: str = Form("", max_length=500),
):
    """Replace a claim of the item's conditions by a typed condition over a vocabulary fact (a new revision)."""
    check_csrf(request, csrf)
    item = policy_items.get_item(db_session=db, item_id=item_id)
    problems: list[str] = []
    try:
        condition = vocabulary.condition_of(fact, op, value)
        policy_items.type_claim(
            db_session=db,
            item=item,
            claim=claim,
            condition=condition,
            actor=actor_of(user),
            rules=match_service.RULES,
            note=note.strip(),
        )
    except policy_items.RuleInputError as exc:
        problems.extend(exc.problems)
    except InputError as exc:
        problems.append(exc.detail)
    if problems:
        db.rollback()  # nothing of a refused change is kept
        typed = {"fact": fact, "op": op, "value": value, "note": note, "errors": problems}
        return _render_document(
            request, db, user, item.document, typings={item.id: {claim: typed}}, status_code=400
        )
    target = f"/staff/documents/{quote(item.document.uid)}?saved={item.id}#item-{item.id}"
    return RedirectResponse(target, status_code=303)


@router.post("/items/{item_id}/calculate", response_class=HTMLResponse)
def trial(
    request: Request,
    item_id: int,
    db: DbSession,
    user: StaffUser,
    csrf: str = Form(""),
    profile: str = Form("", max_length=MAX_PROFILE_CHARS),
    on: str = Form("", max_length=20),
):
    """试算: evaluate the item's current rule for a pasted profile; nothing is saved."""
    check_csrf(request, csrf)
    item = policy_items.get_item(db_session=db, item_id=item_id)
    trial = {"profile": profile, "on": on, "result": None, "errors": []}
    try:
        when = optional_date(on, "on") or clock.today()
        facts = match_service.parse_profile(profile, source="企业画像")
        trial["result"] = match_service.calculate(
            db_session=db, item_ref=item.id, profile=facts, on=when
        ).to_dict()
    except match_service.ProfileError as exc:
        trial["errors"] = exc.lines
    except match_service.ItemRuleError as exc:
        trial["errors"] = ["该事项的规则有误，请先修正后再试算：", *exc.problems]
    except InputError as exc:
        trial["errors"] = [exc.detail]
    db.rollback()  # a trial writes nothing
    return _render_document(
        request,
        db,
        user,
        item.document,
        trials={item.id: trial},
        status_code=400 if trial["errors"] else 200,
    )


@router.post("/items/{item_id}/publish")
def publish_one(request: Request, item_id: int, db: DbSession, user: StaffUser, csrf: str = Form("")):
    check_csrf(request, csrf)
    item = policy_items.get_item(db_session=db, item_id=item_id)
    policy_items.publish_items(db_session=db, items=[item], actor=actor_of(user))
    return RedirectResponse(f"/staff/documents/{quote(item.document.uid)}#item-{item.id}", status_code=303)


@router.post("/documents/{uid}/publish")
def publish_document(request: Request, uid: str, db: DbSession, user: StaffUser, csrf: str = Form("")):
    check_csrf(request, csrf)
    items = policy_items.list_items(db_session=db, document_uid=uid, status="draft")
    policy_items.publish_items(db_session=db, items=items, actor=actor_of(user))
    return RedirectResponse(f"/staff/documents/{quote(uid)}", status_code=303)
