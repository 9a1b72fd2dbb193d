"""Policy items in the library and their staff review (政策标准化上线审查).

Extracted items arrive as drafts. A reviewer edits them and publishes them; every change is a
revision with who, when, before and after. Each newly ingested document must have its items reviewed
within ``review_working_days`` working days (Monday to Friday, minus the configured holidays).
A document that expires or is repealed withdraws its published items on that date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhengcetong.errors import Conflict, InputError, NotFound
from zhengcetong.library.models import Document, PolicyItem, PolicyItemRevision
from zhengcetong.library.service import _relations_for, record_event, status_of
from zhengcetong.library.validity import DocumentStatus


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
INACTIVE = (DocumentStatus.EXPIRED, DocumentStatus.REPEALED)


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
    """The editable values of an item, JSON-ready."""
    out = {}
    for name in (*EDITABLE, "status"):
        value = getattr(item, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


def _revise(item: PolicyItem, *, actor: str, action: str, before: dict, note: str = "") -> PolicyItemRevision:
    item.version += 1
    revision = PolicyItemRevision(
        version=item.version, actor=actor, action=action, before=before, after=_snapshot(item), note=note
    )
    item.revisions.append(revision)
    return revision


def store_items(*, db_session: Session, document: Document, extracted: list, actor: str) -> list[PolicyItem]:
    """Store a document's extracted items as drafts (skipping keys already stored)."""
    keys = [e.key for e in extracted]
    known = set(db_session.scalars(select(PolicyItem.key).where(PolicyItem.key.in_(keys)))) if keys else set()
    stored = []
    for position, e in enumerate(extracted):
        if e.key in known:
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
    """An item by numeric id or stable key."""
    text = str(item_id)
    item = db_session.get(PolicyItem, int(text)) if text.isdigit() else None
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
        items = [
            i for i in items if effective_status(db_session=db_session, item=i, on=public_on) == "published"
        ]
    return items


def effective_status(*, db_session: Session, item: PolicyItem, on: date) -> str:
    """The item's status on a date: a published item of an expired or repealed document is withdrawn."""
    if item.status != ItemStatus.PUBLISHED.value:
        return item.status
    relations = _relations_for(db_session, [item.document_id]).get(item.document_id, [])
    if status_of(item.document, on, relations) in INACTIVE:
        return ItemStatus.WITHDRAWN.value
    return item.status


def edit_item(
    *, db_session: Session, item: PolicyItem, changes: dict, actor: str, note: str = ""
) -> PolicyItem:
    """Change an item's editable fields (a new revision); a published item goes back to draft review."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"不能修改的字段：{'、'.join(sorted(unknown))}", source="edit")
    if item.status == ItemStatus.WITHDRAWN.value:
        raise Conflict("已撤回的政策事项不能再修改")
    before = _snapshot(item)
    for name, value in changes.items():
        if name in ("amount_max_yuan", "rate", "cap_yuan") and value not in (None, ""):
            value = Decimal(str(value))
        if value == "":
            value = None
        setattr(item, name, value)
    if _snapshot(item) == before:
        return item
    _revise(item, actor=actor, action="edit", before=before, note=note)
    record_event(
        db_session=db_session,
        actor=actor,
        action="item.edit",
        target_type="policy_item",
        target_id=item.key,
        data={"changed": sorted(changes)},
    )
    return item


def publish_items(*, db_session: Session, items: list[PolicyItem], actor: str) -> int:
    """Publish draft items; returns how many changed."""
    changed = 0
    for item in items:
        if item.status != ItemStatus.DRAFT.value:
            continue
        before = _snapshot(item)
        item.status = ItemStatus.PUBLISHED.value
        item.published_at = datetime.now(UTC)
        item.published_by = actor
        _revise(item, actor=actor, action="publish", before=before)
        changed += 1
    if changed:
        record_event(
            db_session=db_session,
            actor=actor,
            action="item.publish",
            target_type="policy_item",
            target_id=items[0].key if changed == 1 else f"{changed} items",
            data={"count": changed, "keys": [i.key for i in items if i.status == ItemStatus.PUBLISHED.value]},
        )
    return changed


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
        received = document.created_at.date()
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
    on = on or date.today()
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
