"""Policy items in the library and their staff review (政策标准化上线审查).

Extracted items arrive as drafts. A reviewer edits them and publishes them; every change is a
revision with who, when, before and after. Each newly ingested document must have its items reviewed
within ``review_working_days`` working days (Monday to Friday, minus the configured holidays).
A document that expires or is repealed withdraws its published items on that date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.ingest.item_rules import plain
from zhengcetong.library.labels import BENEFIT_NAMES, ITEM_CATEGORIES, PER_NAMES
from zhengcetong.library.models import Document, PolicyItem, PolicyItemRevision
from zhengcetong.library.service import record_event
from zhengcetong.library.validity import validity_of


class ItemStatus(StrEnum):
    """Where an item is in review."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


STATUS_NAMES = {"draft": "待审核", "published": "已发布", "withdrawn": "已撤回"}
EDITABLE = (
    "name",
    "category",
    "condition",
    "conditions",
    "formula",
    "benefit_kind",
    "amount_max_yuan",
    "rate",
    "per",
    "cap_yuan",
    "months_max",
    "departments",
    "time_limit_days",
)
DECIMALS = ("amount_max_yuan", "rate", "cap_yuan")
FORMULA_FIELDS = ("amount_max_yuan", "rate", "per", "cap_yuan", "months_max")  # what formula_for reads
FIELD_NAMES = {
    "name": "事项名称",
    "category": "类别",
    "condition": "申报条件",
    "conditions": "机器可判断的条件",
    "formula": "计算公式",
    "benefit_kind": "待遇类型",
    "amount_max_yuan": "金额上限",
    "rate": "比例",
    "per": "计发周期",
    "cap_yuan": "封顶金额",
    "months_max": "月数上限",
    "departments": "责任单位",
    "time_limit_days": "办理时限",
    "status": "状态",
}
ACTION_NAMES = {"extract": "抽取", "edit": "修改", "publish": "发布", "withdraw": "撤回"}
RULE_FIELDS = ("conditions", "formula")  # the machine-evaluable rule (see zhengcetong/match/LANGUAGE.md)

RuleCheck = Callable[[str, Any], list[str]]
"""Checks one rule field ("conditions" or "formula") and returns its problems in Chinese (empty when valid).

The rule language lives in ``zhengcetong.match``, which imports the library and not the reverse, so the
caller passes the checker in: ``zhengcetong.match.service.rule_problems``.
"""


class RuleInputError(InputError):
    """Conditions or a formula that do not compile; ``problems`` lists every one, in Chinese."""

    def __init__(self, problems: list[str], *, source: str | None = None):
        self.problems = list(problems)
        super().__init__("规则有误：" + "；".join(self.problems), source=source)


def working_days_after(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    """The date ``days`` working days after ``start`` (weekends and ``holidays`` do not count).

    Examples:
        >>> working_days_after(date(2026, 11, 20), 7)  # a Friday
        datetime.date(2026, 12, 1)
        >>> working_days_after(date(2026, 11, 20), 1, frozenset({date(2026, 11, 23)}))
        datetime.date(2026, 11, 24)
    """
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def _snapshot(item: PolicyItem) -> dict:
    """The editable values of an item, JSON-ready; numbers in their plain form (2000000.00 and 2000000 agree)."""
    out = {}
    for name in (*EDITABLE, "status"):
        value = getattr(item, name)
        out[name] = plain(value) if isinstance(value, Decimal) else value
    return out


def _implied_formula(item: PolicyItem) -> dict | None:
    """The formula extraction derives from the item's amount fields (rate, cap, maximum, per, months),
    on the same base fact and as a ceiling when the current formula is one."""
    from types import SimpleNamespace

    from zhengcetong.ingest.item_rules import as_ceiling, fact_in, formula_for

    fields = SimpleNamespace(**{name: getattr(item, name) for name in FORMULA_FIELDS})
    formula = formula_for(fields, fact_in(item.formula))  # type: ignore[arg-type]
    wrapped = (
        isinstance(item.formula, dict) and "up_to" in item.formula and isinstance(item.formula["up_to"], dict)
    )
    return as_ceiling(formula) if wrapped else formula


def _check_values(values: dict) -> None:
    """Refuse edited values the item cannot hold (an InputError naming the field)."""

    def fail(name: str, expected: str) -> None:
        raise InputError(f"{FIELD_NAMES[name]}{expected}，实际为“{values[name]}”", source=name)

    if "name" in values and not (isinstance(values["name"], str) and values["name"].strip()):
        raise InputError(f"{FIELD_NAMES['name']}不能为空", source="name")
    if "condition" in values and not isinstance(values["condition"], str | None):
        fail("condition", "应为文字")
    for name, allowed in (("category", ITEM_CATEGORIES), ("benefit_kind", BENEFIT_NAMES), ("per", PER_NAMES)):
        if name in values and values[name] not in allowed:
            fail(name, "应为" + "、".join(allowed))
    if values.get("rate") is not None and values["rate"] > 1:
        fail("rate", "应在 0 到 1 之间（如 0.1 表示 10%）")
    for name in ("months_max", "time_limit_days"):
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            fail(name, "应为非负整数")
    if "departments" in values and not (
        isinstance(values["departments"], list)
        and all(isinstance(d, str) and d.strip() for d in values["departments"])
    ):
        fail("departments", "应为部门名称的列表")


def _revise(item: PolicyItem, *, actor: str, action: str, before: dict, note: str = "") -> PolicyItemRevision:
    item.version += 1
    revision = PolicyItemRevision(
        version=item.version, actor=actor, action=action, before=before, after=_snapshot(item), note=note
    )
    item.revisions.append(revision)
    return revision


def changed_fields(revision: PolicyItemRevision) -> list[str]:
    """The fields a revision changed, in the order of EDITABLE (then status); all of them for the first."""
    names = (*EDITABLE, "status")
    if not revision.before:
        return []
    return [n for n in names if revision.before.get(n) != revision.after.get(n)]


def store_items(*, db_session: Session, document: Document, extracted: list, actor: str) -> list[PolicyItem]:
    """Store a document's extracted items as drafts (keys it already has are skipped; a key another
    document holds is a Conflict, never a silent loss)."""
    keys = [e.key for e in extracted]
    known = (
        dict(
            db_session.execute(
                select(PolicyItem.key, PolicyItem.document_id).where(PolicyItem.key.in_(keys))
            ).all()
        )
        if keys
        else {}
    )
    stored = []
    for position, e in enumerate(extracted):
        if e.key in known:
            if known[e.key] != document.id:
                raise Conflict(f"《{document.title}》条款 {e.clause} 的事项编号 {e.key} 已属于另一篇文件")
            continue
        item = PolicyItem(
            key=e.key,
            document=document,
            position=position,
            clause_path=e.clause,
            status=ItemStatus.DRAFT.value,
            version=1,
            name=e.name,
            category=e.category,
            condition=e.condition,
            conditions=e.conditions,
            formula=e.formula,
            benefit_kind=e.benefit_kind,
            amount_max_yuan=e.amount_max_yuan,
            rate=e.rate,
            per=e.per,
            cap_yuan=e.cap_yuan,
            months_max=e.months_max,
            departments=e.departments,
            time_limit_days=e.time_limit_days,
            quote=e.quote,
            start=e.start,
            end=e.end,
        )
        item.revisions.append(
            PolicyItemRevision(version=1, actor=actor, action="extract", before={}, after=_snapshot(item))
        )
        db_session.add(item)
        stored.append(item)
    return stored


def get_item(*, db_session: Session, item_id: str | int) -> PolicyItem:
    """An item by numeric id or stable key (a key may be all digits, so both are tried)."""
    text = str(item_id).strip()
    numeric = text.isascii() and text.isdigit() and int(text) < 2**31  # the id column is a 32-bit integer
    item = db_session.get(PolicyItem, int(text)) if numeric else None
    if item is None:
        item = db_session.scalar(select(PolicyItem).where(PolicyItem.key == text))
    if item is None:
        raise NotFound(f"没有找到政策事项 {item_id}（policy item {item_id} not found）")
    return item


def list_items(
    *,
    db_session: Session,
    doc_number: str | None = None,
    document_uid: str | None = None,
    status: str | None = None,
    public_on: date | None = None,
) -> list[PolicyItem]:
    """Items in document order. ``public_on`` keeps only what the public may see on that date:
    published items of documents in force.
    """
    query = (
        select(PolicyItem)
        .join(Document)
        .order_by(Document.gazette_id, Document.position, PolicyItem.position)
    )
    if doc_number:
        query = query.where(Document.doc_number == doc_number)
    if document_uid:
        query = query.where(Document.uid == document_uid)
    if status:
        query = query.where(PolicyItem.status == status)
    items = list(db_session.scalars(query))
    if public_on is not None:
        items = [i for i in items if is_public(db_session=db_session, item=i, on=public_on)]
    return items


def is_public(*, db_session: Session, item: PolicyItem, on: date) -> bool:
    """Whether the public may see (and calculate) the item on ``on``: published, its document in force
    (现行有效 or 已修改; not yet in force, expired or repealed keep it off the portal). The SQL twin is
    ``catalog.public_item_clause``."""
    if item.status != ItemStatus.PUBLISHED.value:
        return False
    return validity_of(db_session=db_session, document=item.document, on=on).in_force


def effective_status(*, db_session: Session, item: PolicyItem, on: date) -> str:
    """The item's status on a date: a published item of an expired or repealed document is withdrawn."""
    if item.status != ItemStatus.PUBLISHED.value:
        return item.status
    if validity_of(db_session=db_session, document=item.document, on=on).lapsed:
        return ItemStatus.WITHDRAWN.value
    return item.status


def edit_item(
    *,
    db_session: Session,
    item: PolicyItem,
    changes: dict,
    actor: str,
    note: str = "",
    check_rules: RuleCheck | None = None,
) -> PolicyItem:
    """Change an item's editable fields (a new revision); a published item goes back to draft review.

    Changed conditions or formula must compile: ``check_rules`` (``zhengcetong.match.service.rule_problems``)
    checks them and a RuleInputError lists every problem; nothing is changed then.
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"不能修改的字段：{'、'.join(sorted(unknown))}", source="edit")
    if item.status == ItemStatus.WITHDRAWN.value:
        raise Conflict("已撤回的政策事项不能再修改")
    rule_changes = {k: changes[k] for k in RULE_FIELDS if k in changes and changes[k] != getattr(item, k)}
    if rule_changes:
        if check_rules is None:
            raise TypeError(
                "edit_item needs check_rules to change conditions or formula "
                "(pass zhengcetong.match.service.rule_problems)"
            )
        problems = [p for name, value in rule_changes.items() for p in check_rules(name, value)]
        if problems:
            raise RuleInputError(problems, source=f"事项 {item.key}")
    values = {}
    for name, value in changes.items():
        if name in DECIMALS and value not in (None, ""):
            try:
                value = Decimal(str(value).replace(",", "").strip())
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite() or value < 0:
                raise InputError(f"{FIELD_NAMES[name]}应为非负数字，实际为“{changes[name]}”", source=name)
        values[name] = None if value == "" else value
    _check_values(values)
    before = _snapshot(item)
    implied = _implied_formula(item)  # the formula the amount fields give, before the edit
    for name, value in values.items():
        setattr(item, name, value)
    if item.formula == before["formula"] and item.formula == implied:
        item.formula = _implied_formula(item)  # the amounts changed and the formula was theirs: it follows
    if _snapshot(item) == before:
        return item
    if item.status == ItemStatus.PUBLISHED.value:  # a changed item is reviewed again before it is public
        item.status = ItemStatus.DRAFT.value
        item.published_at = None
        item.published_by = None
    _revise(item, actor=actor, action="edit", before=before, note=note)
    record_event(
        db_session=db_session,
        actor=actor,
        action="item.edit",
        target_type="policy_item",
        target_id=item.key,
        data={"changed": [k for k in EDITABLE if before[k] != item.revisions[-1].after[k]]},
    )
    return item


def publish_items(*, db_session: Session, items: list[PolicyItem], actor: str) -> int:
    """Publish draft items; returns how many changed."""
    published: list[str] = []
    for item in items:
        if item.status != ItemStatus.DRAFT.value:
            continue
        before = _snapshot(item)
        item.status = ItemStatus.PUBLISHED.value
        item.published_at = datetime.now(UTC)
        item.published_by = actor
        _revise(item, actor=actor, action="publish", before=before)
        published.append(item.key)
    if published:
        record_event(
            db_session=db_session,
            actor=actor,
            action="item.publish",
            target_type="policy_item",
            target_id=published[0] if len(published) == 1 else f"{len(published)} items",
            data={"count": len(published), "keys": published},
        )
    return len(published)


def withdraw_inactive(*, db_session: Session, on: date, actor: str = "system") -> int:
    """Record the withdrawal of published items whose document expired or was repealed by ``on``."""
    changed = 0
    for item in list_items(db_session=db_session, status=ItemStatus.PUBLISHED.value):
        if effective_status(db_session=db_session, item=item, on=on) == ItemStatus.WITHDRAWN.value:
            before = _snapshot(item)
            item.status = ItemStatus.WITHDRAWN.value
            _revise(
                item,
                actor=actor,
                action="withdraw",
                before=before,
                note=f"文件于 {on.isoformat()} 前失效或被废止",
            )
            changed += 1
    if changed:
        record_event(
            db_session=db_session,
            actor=actor,
            action="item.withdraw",
            target_type="policy_item",
            target_id="*",
            data={"count": changed, "on": on.isoformat()},
        )
    return changed


@dataclass
class QueueEntry:
    """A document waiting for review with its deadline."""

    uid: str
    doc_number: str | None
    title: str
    received: date
    deadline: date
    drafts: int
    total: int
    overdue: bool
    working_days_left: int


def review_queue(
    *, db_session: Session, today: date, working_days: int, holidays: frozenset[date] = frozenset()
) -> list[QueueEntry]:
    """Documents that still have draft items, most urgent first."""
    rows = db_session.execute(
        select(
            Document,
            func.count(PolicyItem.id),
            func.sum(case((PolicyItem.status == ItemStatus.DRAFT.value, 1), else_=0)),
        )
        .join(PolicyItem, PolicyItem.document_id == Document.id)
        .group_by(Document.id)
    ).all()
    queue = []
    for document, total, drafts in rows:
        if not drafts:
            continue
        received = clock.china_date(document.created_at)
        deadline = working_days_after(received, working_days, holidays)
        left = _working_days_between(today, deadline, holidays)
        queue.append(
            QueueEntry(
                uid=document.uid,
                doc_number=document.doc_number,
                title=document.title,
                received=received,
                deadline=deadline,
                drafts=int(drafts),
                total=int(total),
                overdue=today > deadline,
                working_days_left=left,
            )
        )
    return sorted(queue, key=lambda e: (e.deadline, e.uid))


def _working_days_between(start: date, end: date, holidays: frozenset[date]) -> int:
    """Working days from ``start`` to ``end`` (negative when ``end`` has passed)."""
    sign, a, b = (1, start, end) if end >= start else (-1, end, start)
    count, current = 0, a
    while current < b:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            count += 1
    return sign * count


def item_dict(*, db_session: Session, item: PolicyItem, on: date | None = None) -> dict:
    """The JSON form of a stored item (CLI, API)."""
    on = on or clock.today()
    data = {
        "id": item.id,
        "key": item.key,
        "doc_number": item.document.doc_number,
        "document_uid": item.document.uid,
        "clause": item.clause_path,
        "status": item.status,
        "status_on": effective_status(db_session=db_session, item=item, on=on),
        "version": item.version,
        "quote": item.quote,
        "start": item.start,
        "end": item.end,
    }
    for name in EDITABLE:
        value = getattr(item, name)
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral() else float(value)
        data[name] = value
    return data
