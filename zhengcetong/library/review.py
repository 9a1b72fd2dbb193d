"""The review queue (政策标准化上线审查): documents whose policy items still wait for review, with deadlines.

Each newly ingested document must have its items reviewed within ``review_working_days`` working days
(Monday to Friday, minus the configured holidays). The items themselves are in ``library.items``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.library.models import Document, PolicyItem
from zhengcetong.library.publication import PublicationStatus


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
            func.sum(case((PolicyItem.status == PublicationStatus.DRAFT.value, 1), else_=0)),
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
