"""Revisioned publication: draft → published → withdrawn, each change a revision and an audit event.

Policy items, interpretations and (next) applications are records that staff edit and publish. Each
kind keeps its current values on its row (``status``, ``version``, ``published_at``, ``published_by``)
and every change in a revision table (version, at, actor, action, before, after, note). The version
counts the record's contents, not its revisions: an edit that changes it makes the next version, while
publishing, withdrawing or returning to draft moves that same version (a freshly extracted and
published item is 第 1 版) and records a revision of it. A
:class:`Workflow` names those and says how the kind differs: whether an edit of a published record
returns it to draft, whether a withdrawn record may be published again, what its audit events carry.
The named transitions (:func:`publish`, :func:`withdraw`, :func:`return_to_draft`) check the
(previous, current) pair in :func:`allowed`, stamp who acted and when, write the revisions and one
audit event.

Functions take the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.errors import Conflict
from zhengcetong.library.service import record_event


class PublicationStatus(StrEnum):
    """Where a record is: a draft only staff see, public, or taken down (the stored values)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The status in Chinese, as the pages, the CLI and the README name it."""
        return STATUS_NAMES[self.value]


STATUS_NAMES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
ACTION_NAMES = {
    "extract": "抽取",
    "create": "创建",
    "edit": "修改",
    "link": "关联文件",
    "unlink": "取消关联",
    "publish": "发布",
    "withdraw": "撤回",
    "return_to_draft": "退回草稿",
}

EventData = Callable[["Workflow", str, Sequence[Any], Sequence[Any]], dict]
"""(workflow, action, records, revisions) -> the data of the audit event of one change."""


def version_and_changes(
    workflow: Workflow, action: str, records: Sequence[Any], revisions: Sequence[Any]
) -> dict:
    """Audit data of a change to one record: its new version and the fields that changed."""
    revision = revisions[-1]
    return {"version": revision.version, "changed": workflow.changed_fields(revision)}


@dataclass(frozen=True)
class Workflow:
    """How one kind of record is published, revised and audited."""

    name: str  # audit actions are "<name>.<action>" ("item.publish")
    noun: str  # the kind in Chinese, for messages ("政策解读")
    target_type: str  # the audit events' target type ("policy_item")
    revision: type  # the revision model: version, at, actor, action, before, after, note
    fields: tuple[str, ...]  # what a revision records, in display order
    snapshot: Callable[[Any], dict]  # the record's values a revision records, JSON-ready
    ident: Callable[[Any], str]  # the record's public id in audit events and messages
    edit_returns_to_draft: bool  # an edit of a published record is reviewed again before it is public
    republish: bool  # a withdrawn record may be published again
    event_data: EventData = version_and_changes
    on_revise: Callable[[Any, Any], None] | None = None  # (record, revision): e.g. stamp updated_at

    def changed_fields(self, revision: Any) -> list[str]:
        """The fields a revision changed, in display order (none for the first)."""
        if not revision.before:
            return []
        return [n for n in self.fields if revision.before.get(n) != revision.after.get(n)]


def allowed(workflow: Workflow, previous: str, current: str) -> bool:
    """Whether a record may go from status ``previous`` to ``current`` (the one transition table)."""
    match (PublicationStatus(previous), PublicationStatus(current)):
        case (PublicationStatus.DRAFT, PublicationStatus.PUBLISHED):
            return True
        case (PublicationStatus.WITHDRAWN, PublicationStatus.PUBLISHED):
            return workflow.republish
        case (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN | PublicationStatus.DRAFT):
            return True
        case _:
            return False


def check_transition(workflow: Workflow, record: Any, current: PublicationStatus) -> None:
    """Refuse a transition :func:`allowed` does not list, with a Conflict saying why."""
    previous = PublicationStatus(record.status)
    if allowed(workflow, previous, current):
        return
    who = f"{workflow.noun} {workflow.ident(record)}"
    match (previous, current):
        case (PublicationStatus.PUBLISHED, PublicationStatus.PUBLISHED):
            message = f"{who} 已经发布"
        case (_, PublicationStatus.WITHDRAWN):
            message = f"{who} 未发布，无需撤回"
        case _:
            message = f"{who} 现为“{previous.label}”，不能改为“{current.label}”"
    raise Conflict(message)


def first_revision(
    workflow: Workflow, record: Any, *, actor: str, action: str, note: str = "", at: datetime | None = None
) -> Any:
    """Revision 1 of a new record (nothing before it)."""
    revision = workflow.revision(
        version=1,
        at=at or clock.now(),
        actor=actor,
        action=action,
        before={},
        after=workflow.snapshot(record),
        note=note,
    )
    record.revisions.append(revision)
    return revision


def revise(
    workflow: Workflow,
    record: Any,
    *,
    actor: str,
    action: str,
    before: dict,
    note: str = "",
    at: datetime | None = None,
    new_version: bool = True,
) -> Any:
    """A revision of a record's values ``before`` and now (no audit event): the next version when its
    contents changed (``new_version``), else a revision of the current one (a change of status)."""
    if new_version:
        record.version += 1
    revision = workflow.revision(
        version=record.version,
        at=at or clock.now(),
        actor=actor,
        action=action,
        before=before,
        after=workflow.snapshot(record),
        note=note,
    )
    record.revisions.append(revision)
    if workflow.on_revise is not None:
        workflow.on_revise(record, revision)
    return revision


def _audit(
    workflow: Workflow,
    *,
    db_session: Session,
    actor: str,
    action: str,
    records: Sequence[Any],
    revisions: Sequence[Any],
    target_id: str | None,
    data: dict | None,
) -> None:
    """One audit event for a change to ``records`` (one record: its id; several: how many)."""
    if target_id is None:
        target_id = workflow.ident(records[0]) if len(records) == 1 else f"{len(records)} {workflow.name}s"
    record_event(
        db_session=db_session,
        actor=actor,
        action=f"{workflow.name}.{action}",
        target_type=workflow.target_type,
        target_id=target_id,
        data={**workflow.event_data(workflow, action, records, revisions), **(data or {})},
    )


def record_change(
    workflow: Workflow,
    record: Any,
    *,
    db_session: Session,
    actor: str,
    action: str,
    before: dict,
    note: str = "",
    data: dict | None = None,
) -> Any | None:
    """Record what changed in ``record`` since ``before`` (its snapshot then): a revision and an audit
    event, or nothing when nothing changed. An ``edit`` of a published record returns it to draft when
    the workflow says so."""
    if workflow.snapshot(record) == before:
        return None
    if action == "edit" and workflow.edit_returns_to_draft and record.status == PublicationStatus.PUBLISHED:
        check_transition(workflow, record, PublicationStatus.DRAFT)
        _unpublish(record)
    revision = revise(workflow, record, actor=actor, action=action, before=before, note=note)
    _audit(
        workflow,
        db_session=db_session,
        actor=actor,
        action=action,
        records=[record],
        revisions=[revision],
        target_id=None,
        data=data,
    )
    return revision


def _unpublish(record: Any) -> None:
    record.status = PublicationStatus.DRAFT.value
    record.published_at = None
    record.published_by = None


def _transition(
    workflow: Workflow,
    records: Sequence[Any],
    current: PublicationStatus,
    *,
    db_session: Session,
    actor: str,
    action: str,
    note: str,
    target_id: str | None,
    data: dict | None,
) -> list[Any]:
    """Move every record to ``current`` (all checked first), a revision each, one audit event."""
    records = list(records)
    if not records:
        return []
    for record in records:
        check_transition(workflow, record, current)
    now = clock.now()
    revisions = []
    for record in records:
        before = workflow.snapshot(record)
        if current == PublicationStatus.PUBLISHED:
            record.status = current.value
            record.published_at = now
            record.published_by = actor
        elif current == PublicationStatus.DRAFT:
            _unpublish(record)
        else:
            record.status = current.value
        revisions.append(
            revise(
                workflow,
                record,
                actor=actor,
                action=action,
                before=before,
                note=note,
                at=now,
                new_version=False,
            )
        )
    _audit(
        workflow,
        db_session=db_session,
        actor=actor,
        action=action,
        records=records,
        revisions=revisions,
        target_id=target_id,
        data=data,
    )
    return revisions


def publish(
    workflow: Workflow,
    records: Sequence[Any],
    *,
    db_session: Session,
    actor: str,
    note: str = "",
    target_id: str | None = None,
    data: dict | None = None,
) -> list[Any]:
    """Make records public (drafts; withdrawn ones too when the workflow republishes), stamped with who
    published them and when; returns their revisions. Any other status is a Conflict and nothing changes."""
    return _transition(
        workflow,
        records,
        PublicationStatus.PUBLISHED,
        db_session=db_session,
        actor=actor,
        action="publish",
        note=note,
        target_id=target_id,
        data=data,
    )


def withdraw(
    workflow: Workflow,
    records: Sequence[Any],
    *,
    db_session: Session,
    actor: str,
    note: str = "",
    target_id: str | None = None,
    data: dict | None = None,
) -> list[Any]:
    """Take published records down; returns their revisions. Any other status is a Conflict."""
    return _transition(
        workflow,
        records,
        PublicationStatus.WITHDRAWN,
        db_session=db_session,
        actor=actor,
        action="withdraw",
        note=note,
        target_id=target_id,
        data=data,
    )


def return_to_draft(
    workflow: Workflow,
    records: Sequence[Any],
    *,
    db_session: Session,
    actor: str,
    note: str = "",
    target_id: str | None = None,
    data: dict | None = None,
) -> list[Any]:
    """Send published records back to draft (no longer public, publication stamp cleared); returns
    their revisions. Any other status is a Conflict."""
    return _transition(
        workflow,
        records,
        PublicationStatus.DRAFT,
        db_session=db_session,
        actor=actor,
        action="return_to_draft",
        note=note,
        target_id=target_id,
        data=data,
    )
