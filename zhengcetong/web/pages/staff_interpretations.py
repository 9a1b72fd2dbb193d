"""The staff console's 政策解读 section: write interpretations, link them to documents, publish, withdraw.

Reviewers and admins only; every form carries the CSRF token. A refused save re-renders the form with
what was typed and every reason in Chinese; nothing of it is written.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from zhengcetong.errors import Conflict, InputError
from zhengcetong.library import Document, publication
from zhengcetong.library import interpretations as jd
from zhengcetong.web.auth import StaffUser, actor_of, check_csrf, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.paging import Offset, pager
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/staff/interpretations", include_in_schema=False)
BLANK_ROWS = 3  # empty document rows under the linked ones
PAGE_SIZE = 50
MAX_OPTIONS = 3000  # documents offered in the form's list (typing a 文号 or title works beyond it)
NOTICES = {
    "created": "已创建草稿（第 1 版）。发布后公众才能看到。",
    "saved": "已保存。",
    "published": "已发布，公众现在可以看到这篇解读。",
    "withdrawn": "已撤回，公众不再能看到这篇解读。",
}

Text = Annotated[str, Form(max_length=2000)]
LongText = Annotated[str, Form(max_length=200_000)]
Rows = Annotated[list[str], Form()]


def _saved(db, url: str) -> RedirectResponse:
    """Commit, then redirect: the request's own commit runs only after the response is sent, and the
    browser must not load the next page before the change is stored (or be told it was saved when not)."""
    db.commit()
    return RedirectResponse(url, status_code=303)


def _document_options(db) -> list[dict]:
    """The documents a reviewer can pick (newest first): the value typed into the row, and its title."""
    rows = db.execute(
        select(Document.doc_number, Document.title, Document.date)
        .order_by(Document.date.desc().nulls_last(), Document.id.desc())
        .limit(MAX_OPTIONS)
    )
    return [{"value": number or title, "label": title if number else ""} for number, title, _ in rows]


def _stored_form(interpretation) -> dict:
    """The form filled in with an interpretation's current values."""
    return {
        "title": interpretation.title,
        "summary": interpretation.summary,
        "body": interpretation.body,
        "kind": interpretation.kind,
        "department": interpretation.department,
        "uid": interpretation.uid,
        "note": "",
        "rows": [
            (link.document.doc_number or link.document.title, "、".join(link.clauses or []))
            for link in sorted(interpretation.links, key=lambda x: x.position)
        ],
    }


def _render(
    request: Request,
    db,
    user,
    *,
    form: dict,
    interpretation=None,
    errors: list[str] | None = None,
    notice: str | None = None,
    error_title: str = "未保存，请修改后重试：",
    status_code: int = 200,
):
    """The create form (no ``interpretation``) or the edit page with actions, preview and history."""
    rows = list(form["rows"]) + [("", "")] * BLANK_ROWS
    history = []
    if interpretation is not None:
        for revision in reversed(interpretation.revisions):
            changed = jd.changed_fields(revision)
            history.append(
                {
                    "r": revision,
                    "changed": [jd.FIELD_NAMES[f] for f in changed],
                    "diff": [
                        (
                            jd.FIELD_NAMES[f],
                            _shown(revision.before.get(f), f),
                            _shown(revision.after.get(f), f),
                        )
                        for f in changed
                    ],
                }
            )
    return templates.TemplateResponse(
        request,
        "staff/interpretations/form.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "form": form,
            "rows": rows,
            "jd": interpretation,
            "errors": errors or [],
            "error_title": error_title,
            "notice": NOTICES.get(notice or ""),
            "documents": _document_options(db),
            "kinds": jd.KIND_NAMES,
            "status_names": publication.STATUS_NAMES,
            "action_names": publication.ACTION_NAMES,
            "history": history,
            "preview": jd.body_blocks(interpretation.body) if interpretation is not None else [],
            "limits": {"title": jd.MAX_TITLE, "summary": jd.MAX_SUMMARY, "department": jd.MAX_DEPARTMENT},
        },
        status_code=status_code,
    )


def _shown(value, field: str) -> str:
    """A revision value as text for the history (documents as 文件编号 with their clauses)."""
    if value is None:
        return "—"
    if field == "documents":
        return (
            "\n".join(
                d["uid"] + (f"（{'、'.join(d['clauses'])}）" if d.get("clauses") else "") for d in value
            )
            or "（无）"
        )
    if field == "kind":
        return jd.KIND_NAMES.get(value, value)
    if field == "status":
        return publication.STATUS_NAMES.get(value, value)
    return str(value) or "（空）"


def _typed(title, summary, body, kind, department, uid, note, doc, clauses) -> dict:
    return {
        "title": title,
        "summary": summary,
        "body": body,
        "kind": kind,
        "department": department,
        "uid": uid,
        "note": note,
        "rows": [(d, c) for d, c in zip_longest(doc, clauses, fillvalue="") if d.strip() or c.strip()],
    }


def _links(db, form: dict, problems: list[str]):
    """The rows as document links (None when a row is wrong; its problems are added)."""
    try:
        return jd.links_from_rows(db_session=db, rows=form["rows"])
    except jd.InterpretationInputError as exc:
        problems.extend(exc.problems)
        return None


@router.get("", response_class=HTMLResponse)
def interpretation_list(
    request: Request,
    db: DbSession,
    user: StaffUser,
    status: str | None = Query(None, max_length=20),
    q: str = Query("", max_length=200),
    offset: Offset = 0,
):
    """政策解读 in every state, searched by title, summary, department or id, PAGE_SIZE a page."""
    status = status if status in publication.STATUS_NAMES else None
    q = q.strip()
    total, rows = jd.list_interpretations(
        db_session=db, public=False, status=status, q=q or None, limit=PAGE_SIZE, offset=offset
    )
    params = {"status": status or "", "q": q}
    return templates.TemplateResponse(
        request,
        "staff/interpretations/list.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "rows": rows,
            "total": total,
            "status": status or "",
            "q": q,
            "status_names": publication.STATUS_NAMES,
            "kinds": jd.KIND_NAMES,
            "pager": pager(
                "/staff/interpretations", params, offset=offset, size=PAGE_SIZE, total=total, shown=len(rows)
            ),
        },
    )


@router.get("/new", response_class=HTMLResponse)
def new_form(
    request: Request, db: DbSession, user: StaffUser, document: str | None = Query(None, max_length=200)
):
    form = _typed("", "", "", "text", "", "", "", [document or ""], [""])
    return _render(request, db, user, form=form)


@router.post("/new")
def create(
    request: Request,
    db: DbSession,
    user: StaffUser,
    csrf: Text = "",
    title: Text = "",
    summary: Text = "",
    body: LongText = "",
    kind: Text = "text",
    department: Text = "",
    uid: Text = "",
    note: Text = "",
    doc: Rows = [],  # noqa: B006 - FastAPI copies defaults
    clauses: Rows = [],  # noqa: B006
):
    check_csrf(request, csrf)
    form = _typed(title, summary, body, kind, department, uid, note, doc, clauses)
    problems: list[str] = []
    links = _links(db, form, problems)
    if links is None:
        problems[:0] = jd.field_problems(jd.clean_values({k: form[k] for k in jd.EDITABLE}))
    else:
        try:
            created = jd.create(
                db_session=db,
                title=title,
                summary=summary,
                body=body,
                kind=kind,
                department=department,
                uid=uid or None,
                documents=links,
                actor=actor_of(user),
                note=note.strip(),
            )
        except jd.InterpretationInputError as exc:
            problems.extend(exc.problems)
    if problems:
        db.rollback()
        return _render(request, db, user, form=form, errors=problems, status_code=400)
    return _saved(db, f"/staff/interpretations/{quote(created.uid)}?done=created")


@router.get("/{uid}", response_class=HTMLResponse)
def edit_form(
    uid: str, request: Request, db: DbSession, user: StaffUser, done: str | None = Query(None, max_length=20)
):
    interpretation = jd.get(db_session=db, uid=uid)
    return _render(
        request, db, user, form=_stored_form(interpretation), interpretation=interpretation, notice=done
    )


@router.post("/{uid}")
def edit(
    uid: str,
    request: Request,
    db: DbSession,
    user: StaffUser,
    csrf: Text = "",
    title: Text = "",
    summary: Text = "",
    body: LongText = "",
    kind: Text = "text",
    department: Text = "",
    note: Text = "",
    doc: Rows = [],  # noqa: B006
    clauses: Rows = [],  # noqa: B006
):
    check_csrf(request, csrf)
    interpretation = jd.get(db_session=db, uid=uid)
    form = _typed(title, summary, body, kind, department, interpretation.uid, note, doc, clauses)
    problems: list[str] = []
    links = _links(db, form, problems)
    changes = {"title": title, "summary": summary, "body": body, "kind": kind, "department": department}
    if links is None:
        problems[:0] = jd.field_problems(jd.clean_values(changes))
    else:
        try:
            jd.edit(
                db_session=db,
                interpretation=interpretation,
                changes=changes,
                documents=links,
                actor=actor_of(user),
                note=note.strip(),
            )
        except jd.InterpretationInputError as exc:
            problems.extend(exc.problems)
    if problems:
        db.rollback()
        interpretation = jd.get(db_session=db, uid=uid)
        return _render(
            request, db, user, form=form, interpretation=interpretation, errors=problems, status_code=400
        )
    return _saved(db, f"/staff/interpretations/{quote(uid)}?done=saved")


def _transition(request: Request, db, user, uid: str, csrf: str, action, notice: str, verb: str, **kwargs):
    """Publish or withdraw; a refusal re-renders the page with the reason."""
    check_csrf(request, csrf)
    interpretation = jd.get(db_session=db, uid=uid)
    try:
        action(db_session=db, interpretation=interpretation, actor=actor_of(user), **kwargs)
    except (InputError, Conflict) as exc:
        db.rollback()
        interpretation = jd.get(db_session=db, uid=uid)
        reasons = getattr(exc, "problems", None) or [getattr(exc, "detail", None) or str(exc)]
        return _render(
            request,
            db,
            user,
            form=_stored_form(interpretation),
            interpretation=interpretation,
            errors=reasons,
            error_title=f"未能{verb}：",
            status_code=409 if isinstance(exc, Conflict) else 400,
        )
    return _saved(db, f"/staff/interpretations/{quote(uid)}?done={notice}")


@router.post("/{uid}/publish")
def publish(uid: str, request: Request, db: DbSession, user: StaffUser, csrf: Text = ""):
    return _transition(request, db, user, uid, csrf, jd.publish, "published", "发布")


@router.post("/{uid}/withdraw")
def withdraw(uid: str, request: Request, db: DbSession, user: StaffUser, csrf: Text = "", note: Text = ""):
    return _transition(request, db, user, uid, csrf, jd.withdraw, "withdrawn", "撤回", note=note.strip())
