"""Enterprise profiles (企业画像) in the database: create or update by 统一社会信用代码, with per-field
provenance, a version that grows with every change, and an audit event for every write.

Functions take the caller's session and never commit. A profile is the JSON document of
``zhengcetong.match.enterprise``; ``provenance`` says, per top-level field, where its value came from:
``{"source": "enterprise" | "staff" | "exchange", "by": actor, "at": ISO time}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.db import bulk as db_bulk
from zhengcetong.errors import InputError, NotFound
from zhengcetong.library import AuditEvent, User, record_event
from zhengcetong.match import bulk
from zhengcetong.match.enterprise import (
    check_enterprise,
    credit_code_problem,
    id_number_problem,
    is_person,
)
from zhengcetong.match.enterprise import normalise_credit_code as _normalise
from zhengcetong.match.errors import Problem
from zhengcetong.match.models import Enterprise
from zhengcetong.match.service import ProfileError

SOURCES = {"enterprise": "企业填报", "staff": "工作人员导入", "exchange": "数据交换"}
MAX_REGION = 100  # the width of enterprise.region


class EnterpriseProfileError(ProfileError):
    """An enterprise profile document that cannot be stored; ``problems`` lists every one."""


def normalise_credit_code(code: Any) -> Any:
    """``enterprise.normalise_credit_code``, with a fast path for a code that is already clean (imports
    call it several times per row).

    Examples:
        >>> normalise_credit_code("91330100799655058B"), normalise_credit_code(" 9133 0100 7996 5505 8b")
        ('91330100799655058B', '91330100799655058B')
    """
    if isinstance(code, str) and code.isascii() and code.isalnum() and code == code.upper():
        return code
    return _normalise(code)


def profile_key(document: Any) -> Any:
    """The key a profile is stored under (``Enterprise.credit_code``): its 统一社会信用代码, or a person's
    公民身份号码 (``"kind": "person"``), normalised; None for what is not a document."""
    if not isinstance(document, dict):
        return None
    if is_person(document):
        return normalise_credit_code(document.get("id_number"))
    return normalise_credit_code(document.get("credit_code"))


def key_problem(document: dict, key: Any) -> str | None:
    """Why ``key`` cannot be the document's key (None when it can)."""
    return id_number_problem(key) if is_person(document) else credit_code_problem(key)


def _clean(document: dict) -> dict:
    """The document as stored: credit code normalised, null (unknown) fields left out."""
    out = {k: v for k, v in document.items() if v is not None}
    if "credit_code" in out:
        out["credit_code"] = normalise_credit_code(out["credit_code"])
    if "id_number" in out:
        out["id_number"] = normalise_credit_code(out["id_number"])
    if isinstance(out.get("name"), str):
        out["name"] = out["name"].strip()
    return out


def problems_of(document: Any) -> list[Problem]:
    """Every problem of a document as it would be stored (``check_enterprise`` plus the table's limits)."""
    problems = check_enterprise(document)
    if isinstance(document, dict):
        region = document.get("region")
        if isinstance(region, str) and len(region) > MAX_REGION:
            problems.append(
                Problem(
                    "$.region", f"所在地区过长（最多 {MAX_REGION} 字）", "region longer than 100 characters"
                )
            )
    return problems


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise InputError(f"来源“{source}”无效，应为 {' / '.join(SOURCES)}", source="source")


@dataclass
class _Plan:
    document: dict
    existing: Any  # the stored Enterprise (or a row of its columns), None for a new one
    merged: dict
    changed: list[str]
    problems: list[Problem]


def _plan(document: Any, existing: Any, *, replace: bool) -> _Plan:
    """What writing ``document`` over ``existing`` would store, which fields change, and what is wrong.

    With ``replace`` the document is the whole profile (fields it leaves out are removed); otherwise only
    the fields it names change, and a field given as null is removed.
    """
    if not isinstance(document, dict):
        return _Plan({}, existing, {}, [], problems_of(document))
    incoming = dict(document)
    if "credit_code" in incoming:
        incoming["credit_code"] = normalise_credit_code(incoming["credit_code"])
    if "id_number" in incoming:
        incoming["id_number"] = normalise_credit_code(incoming["id_number"])
    old = dict(existing.profile) if existing is not None else {}
    if replace or existing is None:
        merged = _clean(incoming)
    else:
        merged = dict(old)
        merged.update(incoming)
        merged = _clean(merged)
    problems = problems_of(merged)
    changed = sorted(
        k for k in set(old) | set(merged) if old.get(k) != merged.get(k) or (k in old) != (k in merged)
    )
    return _Plan(incoming, existing, merged, changed, problems)


def _values(plan: _Plan, *, source: str, actor: str, now) -> dict:
    """The enterprise row's new column values for a checked plan that changes something."""
    at = now.isoformat()
    stored = plan.existing
    provenance = dict(stored.provenance or {}) if stored is not None else {}
    for key in plan.changed:
        if key in plan.merged:
            provenance[key] = {"source": source, "by": actor, "at": at}
        else:
            provenance.pop(key, None)
    values = {
        "profile": plan.merged,
        "provenance": provenance,
        "name": plan.merged["name"],
        "region": plan.merged.get("region"),
        "version": 1 if stored is None else (stored.version or 1) + 1,
        "updated_at": now,
        "updated_by": actor,
    }
    if stored is None:
        values.update(credit_code=profile_key(plan.merged), created_at=now)
    return values


def _event(plan: _Plan, values: dict, *, source: str, actor: str, now) -> dict:
    """The audit event of a write: ``enterprise.create`` or ``enterprise.update`` with the changed fields."""
    return {
        "at": now,
        "actor": actor,
        "action": "enterprise.create" if plan.existing is None else "enterprise.update",
        "target_type": "enterprise",
        "target_id": profile_key(plan.merged),
        "data": {"fields": plan.changed, "source": source, "version": values["version"]},
    }


def upsert(
    *, db_session: Session, document: Any, source: str, actor: str, replace: bool = False
) -> tuple[Enterprise, bool, list[str]]:
    """Create or update the enterprise of the document's 统一社会信用代码: (enterprise, created, changed fields).

    Provenance is recorded for every top-level field whose value changed, and ``version`` grows only
    when something changed. ``replace`` makes the document the whole profile (PUT, the portal form);
    otherwise fields it leaves out are kept (imports). EnterpriseProfileError lists every problem.
    """
    _check_source(source)
    code = profile_key(document)
    existing = None
    if isinstance(code, str) and key_problem(document, code) is None:
        existing = db_session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    plan = _plan(document, existing, replace=replace)
    if plan.problems:
        raise EnterpriseProfileError(plan.problems)
    if existing is not None and not plan.changed:
        return existing, False, []
    now = clock.now()
    values = _values(plan, source=source, actor=actor, now=now)
    enterprise = existing or Enterprise()
    for key, value in values.items():
        setattr(enterprise, key, value)
    if existing is None:
        db_session.add(enterprise)
    event = _event(plan, values, source=source, actor=actor, now=now)
    record_event(
        db_session=db_session,
        actor=actor,
        action=event["action"],
        target_type=event["target_type"],
        target_id=event["target_id"],
        data=event["data"],
    )
    db_session.flush()
    return enterprise, existing is None, plan.changed


@dataclass
class _Stored:
    """The columns of a stored enterprise that an import needs."""

    id: int
    profile: dict
    provenance: dict
    version: int


def _stored(db_session: Session, codes: set[str]) -> dict[str, _Stored]:
    """The stored enterprises of these credit codes (JSON read as text and decoded with orjson)."""
    if not codes:
        return {}
    table = Enterprise.__table__
    rows = db_session.connection().execute(
        select(
            table.c.id,
            table.c.credit_code,
            cast(table.c.profile, Text),
            cast(table.c.provenance, Text),
            table.c.version,
        ).where(table.c.credit_code.in_(codes))
    )
    return {
        code: _Stored(id, bulk.loads(profile) or {}, bulk.loads(provenance) or {}, version)
        for id, code, profile, provenance, version in rows
    }


def upsert_many(
    *, db_session: Session, documents: Sequence[Any], source: str, actor: str, write: bool = True
) -> tuple[list[str | None], dict[int, list[Problem]]]:
    """Upsert a batch of documents with distinct credit codes, in bulk (one SELECT of the stored ones, one
    bulk INSERT — COPY on PostgreSQL — and one executemany UPDATE, no ORM objects): (``created``,
    ``updated`` or ``unchanged`` per document, problems by position). Nothing is written when any document
    has a problem, or when ``write`` is false (a check only). Enterprise objects already loaded in the
    session are not refreshed: this is for imports."""
    _check_source(source)
    codes = {c for d in documents if isinstance(c := profile_key(d), str)}
    existing = _stored(db_session, codes)
    plans = []
    problems: dict[int, list[Problem]] = {}
    for i, document in enumerate(documents):
        code = profile_key(document)
        plan = _plan(document, existing.get(code) if isinstance(code, str) else None, replace=False)
        if plan.problems:
            problems[i] = plan.problems
        plans.append(plan)
    if problems or not write:
        return [None] * len(documents), problems
    now = clock.now()
    inserts, updates, events = [], [], []
    statuses: list[str | None] = []
    for plan in plans:
        if plan.existing is not None and not plan.changed:
            statuses.append("unchanged")
            continue
        values = _values(plan, source=source, actor=actor, now=now)
        if plan.existing is None:
            inserts.append(values)
            statuses.append("created")
        else:
            updates.append({"id": plan.existing.id, **values})
            statuses.append("updated")
        events.append(_event(plan, values, source=source, actor=actor, now=now))
    connection = db_session.connection()
    db_bulk.insert_rows(connection, Enterprise, inserts)
    db_bulk.update_rows(connection, Enterprise, updates)
    db_bulk.insert_rows(connection, AuditEvent, events)
    return statuses, {}


def get(*, db_session: Session, credit_code: str) -> Enterprise:
    """The enterprise with this 统一社会信用代码 (spaces and case ignored), or NotFound."""
    code = normalise_credit_code(credit_code)
    enterprise = db_session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        raise NotFound(f"没有统一社会信用代码为 {code} 的企业")
    return enterprise


def for_user(*, db_session: Session, user: User) -> Enterprise | None:
    """The enterprise an enterprise account acts for, or None (not linked, or not an enterprise account)."""
    if user.role != "enterprise" or user.enterprise_id is None:
        return None
    return db_session.get(Enterprise, user.enterprise_id)


def list_enterprises(
    *, db_session: Session, q: str | None = None, region: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[Enterprise], int]:
    """Enterprises by credit code, filtered by a name or credit-code fragment and by region: (page, total)."""
    where = []
    if q:
        where.append(or_(Enterprise.name.contains(q), Enterprise.credit_code.contains(q.upper())))
    if region:
        where.append(Enterprise.region == region)
    total = db_session.scalar(select(func.count()).select_from(Enterprise).where(*where)) or 0
    rows = db_session.scalars(
        select(Enterprise).where(*where).order_by(Enterprise.credit_code).limit(limit).offset(offset)
    )
    return list(rows), total


def link_user(*, db_session: Session, user: User, credit_code: str, actor: str) -> Enterprise:
    """Bind an enterprise account to the enterprise it acts for (audited as ``user.link_enterprise``)."""
    if user.role != "enterprise":
        raise InputError(
            f"只有企业账号（enterprise）可以绑定企业，用户 {user.username} 的角色是 {user.role}",
            source="enterprise",
        )
    enterprise = get(db_session=db_session, credit_code=credit_code)
    user.enterprise_id = enterprise.id
    record_event(
        db_session=db_session,
        actor=actor,
        action="user.link_enterprise",
        target_type="user",
        target_id=user.username,
        data={"credit_code": enterprise.credit_code},
    )
    db_session.flush()
    return enterprise


def to_dict(enterprise: Enterprise) -> dict:
    """The JSON form of an enterprise: its document, provenance and version."""
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "region": enterprise.region,
        "version": enterprise.version,
        "document": enterprise.profile,
        "provenance": enterprise.provenance,
        "updated_at": enterprise.updated_at.isoformat() if enterprise.updated_at else None,
        "updated_by": enterprise.updated_by,
    }


def history(*, db_session: Session, enterprise: Enterprise, limit: int = 20) -> list[AuditEvent]:
    """The latest audit events of an enterprise's profile, newest first."""
    return list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.target_type == "enterprise", AuditEvent.target_id == enterprise.credit_code)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def provenance_text(entry: dict | None) -> str:
    """Where a field's value came from and when, for people.

    Examples:
        >>> provenance_text({"source": "enterprise", "by": "user:a", "at": "2026-12-07T08:30:00+00:00"})
        '企业填报 · 2026-12-07 16:30'
        >>> provenance_text(None)
        ''
    """
    if not entry:
        return ""
    from datetime import datetime

    label = SOURCES.get(entry.get("source", ""), entry.get("source", ""))
    try:
        when = clock.china_time(datetime.fromisoformat(entry["at"]))
    except (KeyError, TypeError, ValueError):
        when = ""
    return f"{label} · {when}" if when else label
