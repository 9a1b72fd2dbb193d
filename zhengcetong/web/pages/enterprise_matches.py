"""「我能享受的政策」: the signed-in enterprise's matches, and the questions that would settle the rest.

The page matches the enterprise's stored profile against every public item (the same
``match.matching.match_facts`` as ``zct match --profile`` and ``POST /api/v1/match``). The facts still
missing are asked once each, the one that settles the most money across all items first
(``match.questions``). Answers update the result at once (``POST`` with ``action=preview``; a small script
posts on every change and swaps the result in, and without the script the 「更新结果」 button does the
same) and are saved to the profile with 「保存到企业画像」 (``action=save``), as entered by the enterprise.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from zhengcetong import clock
from zhengcetong.ingest.numbers import parse_amount, parse_rate
from zhengcetong.library import User
from zhengcetong.match import profiles
from zhengcetong.match import questions as asked
from zhengcetong.match.enterprise import LABELS, check_enterprise, document_path, facts_of
from zhengcetong.match.matching import Catalog, MatchResult, match_facts, public_catalog
from zhengcetong.notify import service as notify_service
from zhengcetong.web.auth import OptionalUser, actor_of, check_csrf, csrf_token
from zhengcetong.web.deps import DbSession
from zhengcetong.web.pages.enterprise import enterprise_user
from zhengcetong.web.templating import templates

router = APIRouter(prefix="/enterprise", include_in_schema=False)
MAX_ANSWER_CHARS = 200
NONE = "__none__"  # the tick of "none of these" under a list question


# --- reading answers ---------------------------------------------------------------------------------


def read_number(text: str, unit: str | None, *, integer: bool) -> Decimal:
    """A typed number in the fact's unit: 元 may be written 3亿 / 5000万元, a ratio as 15% (or 0.15).

    Examples:
        >>> read_number("3亿", "yuan", integer=False), read_number("1,200", "person", integer=True)
        (Decimal('300000000'), Decimal('1200'))
        >>> read_number("15%", "ratio", integer=False), read_number("0.15", "ratio", integer=False)
        (Decimal('0.15'), Decimal('0.15'))
        >>> read_number("许多", "yuan", integer=False)
        Traceback (most recent call last):
        ValueError: 请填写数字，如 3亿、5000万 或 120000
    """
    clean = text.strip().replace(",", "").replace("，", "")
    try:
        if unit == "ratio" and re.search(r"[%％]|百分之", clean):
            value = parse_rate(clean)
        elif unit == "yuan" and re.search(r"[万亿千元]", clean):
            value = parse_amount(clean if clean.endswith("元") else clean + "元")
        else:
            value = Decimal(clean)
    except (ValueError, InvalidOperation):
        hint = {"yuan": "，如 3亿、5000万 或 120000", "ratio": "，如 15%"}.get(unit or "", "")
        raise ValueError(f"请填写数字{hint}") from None
    if not value.is_finite():
        raise ValueError("请填写数字")
    if integer and value != value.to_integral_value():
        raise ValueError("请填写整数")
    return value


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def read_answers(form, questions: list[asked.Question]) -> tuple[dict[str, Any], dict[str, str], dict]:
    """(answers by fact, errors by fact, what was typed by form field) from the posted form."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    for q in questions:
        if q.kind == asked.ELEMENTS:
            ticked = [str(v) for v in form.getlist(q.key)][:200]
            typed[q.key] = ticked
            if ticked:
                answers[q.fact] = [] if ticked == [NONE] else [t for t in ticked if t != NONE]
                if NONE in ticked and len(ticked) > 1:
                    errors[q.fact] = "“以上都没有”与其他选项不能同时勾选"
            continue
        text = str(form.get(q.key, "")).strip()[:MAX_ANSWER_CHARS]
        typed[q.key] = text
        if not text:
            continue
        try:
            answers[q.fact] = _read_one(q, text)
        except ValueError as exc:
            errors[q.fact] = str(exc)
    for fact in errors:
        answers.pop(fact, None)
    return answers, errors, typed


def _read_one(q: asked.Question, text: str) -> Any:
    if q.kind == asked.YES_NO:
        if text not in ("yes", "no"):
            raise ValueError("请选择“是”或“否”")
        return text == "yes"
    if q.kind == asked.NUMBER:
        integer = q.unit in ("person", "month", "count", "year", "years", "age")
        return _json_number(read_number(text, q.unit, integer=integer))
    if q.kind == asked.CHOICE:
        if text not in q.options:
            raise ValueError("请从列表中选择")
        return text
    return text


# --- the page -----------------------------------------------------------------------------------------


def _conditions(catalog: Catalog) -> dict[str, Any]:
    return {e.item.key: e.item.conditions for e in catalog.items}


def _sources(catalog: Catalog, result: MatchResult, provenance: dict, answered: set[str]) -> dict[str, list]:
    """Item key → the profile fields its conditions read, with where each came from (for reviewers)."""
    by_key = {e.item.key: e for e in catalog.items}
    out: dict[str, list] = {}
    for entry in [*result.eligible, *result.possibly]:
        match_item = by_key.get(entry["item_id"])
        if match_item is None:
            continue
        fields: list[str] = []
        for fact in sorted(match_item.rule.condition.refs(result.on, "")):
            field = document_path(fact.replace("[]", "")).split(".")[0].split("[")[0]
            if field not in fields:
                fields.append(field)
        if match_item.region and "region" not in fields:
            fields.insert(0, "region")
        out[entry["item_id"]] = [
            (
                LABELS.get(f, f),
                "本次回答，未保存"
                if f in answered
                else profiles.provenance_text(provenance.get(f)) or "未填写",
            )
            for f in fields
        ]
    return out


def _merge(first: list[asked.Question], then: list[asked.Question]) -> list[asked.Question]:
    seen = {q.fact for q in first}
    return [*first, *(q for q in then if q.fact not in seen)]


def _render(request: Request, user: User, enterprise, *, status_code: int = 200, **context: Any):
    response = templates.TemplateResponse(
        request,
        "enterprise/matches.html",
        {"user": user, "enterprise": enterprise, "csrf": csrf_token(request), **context},
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(
    request,
    db,
    user,
    enterprise,
    catalog,
    *,
    stored: MatchResult,
    result: MatchResult,
    answers=None,
    typed=None,
    errors=None,
    **extra,
):
    """The page for the stored profile's match and (with ``answers``) the answered one's; the questions
    of both."""
    conditions = _conditions(catalog)
    questions = asked.questions_of(stored.possibly, conditions)
    if answers:
        questions = _merge(questions, asked.questions_of(result.possibly, conditions))
    open_facts = {m["fact"] for e in result.possibly for m in e.get("missing", [])}
    answered_fields = {q.path.split(".")[0] for q in questions if q.fact in (answers or {})}
    total = sum((Decimal(e["estimated_amount_yuan"] or 0) for e in result.eligible), Decimal(0))
    return _render(
        request,
        user,
        enterprise,
        result=result,
        questions=questions,
        open_facts=open_facts,
        answers=answers or {},
        typed=typed or {},
        errors=errors or {},
        total=total,
        sources=_sources(catalog, result, enterprise.provenance or {}, answered_fields),
        none=NONE,
        unread=notify_service.unread_count(db_session=db, enterprise_id=enterprise.id),
        **extra,
    )


@router.get("/matches", response_class=HTMLResponse)
def matches_page(request: Request, db: DbSession, user: OptionalUser, saved: int = 0):
    user = enterprise_user(request, user)
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is None:
        return _render(request, user, None)
    catalog = public_catalog(db_session=db)
    stored = match_facts(catalog=catalog, facts=facts_of(enterprise.profile), on=clock.today())
    return _page(request, db, user, enterprise, catalog, stored=stored, result=stored, saved=bool(saved))


@router.post("/matches", response_class=HTMLResponse)
async def answer_questions(request: Request, db: DbSession, user: OptionalUser):
    user = enterprise_user(request, user)
    form = await request.form(max_files=0, max_fields=3000)
    check_csrf(request, str(form.get("csrf", "")))
    enterprise = profiles.for_user(db_session=db, user=user)
    if enterprise is None:
        return _render(request, user, None, status_code=409)
    catalog = public_catalog(db_session=db)
    on = clock.today()
    conditions = _conditions(catalog)
    stored = match_facts(catalog=catalog, facts=facts_of(enterprise.profile), on=on)
    questions = asked.questions_of(stored.possibly, conditions)
    answers, errors, typed = read_answers(form, questions)
    document = asked.apply_answers(enterprise.profile, answers, questions)
    result, matched = stored, enterprise.profile
    if answers:  # answers may open new questions (a county's items once the region is known)
        result, matched = match_facts(catalog=catalog, facts=facts_of(document), on=on), document
        questions = _merge(questions, asked.questions_of(result.possibly, conditions))
        answers, errors, typed = read_answers(form, questions)
        document = asked.apply_answers(enterprise.profile, answers, questions)
    for problem in check_enterprise(document):
        fact = next((q.fact for q in questions if problem.where.startswith("$." + q.path)), None)
        errors[fact or "_"] = problem.zh
        if fact:
            answers.pop(fact, None)
    if errors:
        document = asked.apply_answers(enterprise.profile, answers, questions)
    if form.get("action") == "save" and answers and not errors:
        profiles.upsert(
            db_session=db, document=document, source="enterprise", actor=actor_of(user), replace=True
        )
        return RedirectResponse("/enterprise/matches?saved=1", status_code=303)
    if document != matched:  # answers to the new questions, or answers refused: match what is shown
        result = match_facts(catalog=catalog, facts=facts_of(document), on=on)
    return _page(
        request,
        db,
        user,
        enterprise,
        catalog,
        stored=stored,
        result=result,
        answers=answers,
        typed=typed,
        errors=errors,
        status_code=400 if errors else 200,
    )
