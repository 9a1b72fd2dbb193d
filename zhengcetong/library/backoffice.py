"""What the staff console (审核后台) lists: policy items in every state, documents with their review
counts, and the audit log, each searched, filtered and paged in the database.

The public portal reads published items only (``catalog``); staff see drafts and withdrawn items too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from zhengcetong import clock
from zhengcetong.library.models import AuditEvent, Document, PolicyItem
from zhengcetong.library.publication import PublicationStatus


@dataclass
class StaffItemFilters:
    """Filters of the staff's item list; empty ones are ignored."""

    q: str | None = None  # part of the name, key, condition text, 文号 or document title
    status: str | None = None  # draft | published | withdrawn
    issuer: str | None = None  # the document's issuer
    category: str | None = None  # 奖补 / 减免 / 权益 / 资质
    since: date | None = None  # the document's date, from …
    until: date | None = None  # … to (both included)


def list_items(
    *, db_session: Session, filters: StaffItemFilters, limit: int = 20, offset: int = 0
) -> tuple[int, list[PolicyItem]]:
    """Items in every state, newest documents first, then in document order: (total, page)."""
    conditions = []
    if filters.q:
        q = filters.q
        conditions.append(
            or_(
                PolicyItem.name.icontains(q, autoescape=True),
                PolicyItem.key.icontains(q, autoescape=True),
                PolicyItem.condition.icontains(q, autoescape=True),
                Document.doc_number.icontains(q, autoescape=True),
                Document.title.icontains(q, autoescape=True),
            )
        )
    if filters.status:
        conditions.append(PolicyItem.status == filters.status)
    if filters.issuer:
        conditions.append(Document.issuer == filters.issuer)
    if filters.category:
        conditions.append(PolicyItem.category == filters.category)
    if filters.since:
        conditions.append(Document.date >= filters.since)
    if filters.until:
        conditions.append(Document.date <= filters.until)
    total = db_session.scalar(select(func.count(PolicyItem.id)).join(Document).where(*conditions)) or 0
    rows = db_session.scalars(
        select(PolicyItem)
        .join(Document)
        .options(contains_eager(PolicyItem.document))
        .where(*conditions)
        .order_by(Document.date.desc().nulls_last(), Document.id, PolicyItem.position)
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(rows)


def status_counts(*, db_session: Session) -> dict[str, int]:
    """How many items are in each state (every state named, zero included)."""
    counts = dict(
        db_session.execute(
            select(PolicyItem.status, func.count(PolicyItem.id)).group_by(PolicyItem.status)
        ).all()
    )
    return {s.value: int(counts.get(s.value, 0)) for s in PublicationStatus}


def review_counts(*, db_session: Session, uids: list[str]) -> dict[str, tuple[int, int]]:
    """For each document (by uid): (draft items, all items); documents without items are absent."""
    if not uids:
        return {}
    rows = db_session.execute(
        select(
            Document.uid,
            func.sum(case((PolicyItem.status == PublicationStatus.DRAFT.value, 1), else_=0)),
            func.count(PolicyItem.id),
        )
        .join(PolicyItem, PolicyItem.document_id == Document.id)
        .where(Document.uid.in_(uids))
        .group_by(Document.uid)
    ).all()
    return {uid: (int(drafts or 0), int(total)) for uid, drafts, total in rows}


def document_conditions(*, since: date | None, until: date | None, pending: bool = False) -> list:
    """SQL conditions on documents for ``service.list_documents(extra=…)``: dated from ``since`` to
    ``until`` (both included), with items waiting for review when ``pending``."""
    conditions: list = []
    if pending:
        conditions.append(
            select(PolicyItem.id)
            .where(PolicyItem.document_id == Document.id, PolicyItem.status == PublicationStatus.DRAFT.value)
            .exists()
        )
    if since:
        conditions.append(Document.date >= since)
    if until:
        conditions.append(Document.date <= until)
    return conditions


# --- the audit log -----------------------------------------------------------------------------------


@dataclass
class EventFilters:
    """Filters of the audit log; empty ones are ignored. Dates are Beijing dates."""

    actor: str | None = None  # part of the actor ("wang" finds user:wang)
    action: str | None = None  # an action ("item.edit"), or its prefix ending in "." ("item.")
    target: str | None = None  # part of the target's id
    since: date | None = None
    until: date | None = None


def _china_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.CHINA)


def list_events(
    *, db_session: Session, filters: EventFilters, limit: int = 50, offset: int = 0
) -> tuple[int, list[AuditEvent]]:
    """Audit events, newest first: (total, page). The log is only read here."""
    conditions = []
    if filters.actor:
        conditions.append(AuditEvent.actor.icontains(filters.actor, autoescape=True))
    if filters.action:
        if filters.action.endswith("."):
            conditions.append(AuditEvent.action.startswith(filters.action, autoescape=True))
        else:
            conditions.append(AuditEvent.action == filters.action)
    if filters.target:
        conditions.append(AuditEvent.target_id.icontains(filters.target, autoescape=True))
    if filters.since:
        conditions.append(AuditEvent.at >= _china_midnight(filters.since))
    if filters.until:
        conditions.append(AuditEvent.at < _china_midnight(filters.until + timedelta(days=1)))
    total = db_session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    rows = db_session.scalars(
        select(AuditEvent)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(rows)


def event_actions(*, db_session: Session) -> list[str]:
    """Every action the log holds, sorted (for the filter's choices)."""
    return sorted(db_session.scalars(select(AuditEvent.action).distinct()))


EVENT_NAMES = {
    "gazette.ingest": "入库公报",
    "item.edit": "修改政策事项",
    "item.publish": "发布政策事项",
    "item.withdraw": "撤回政策事项",
    "item.return_to_draft": "政策事项退回草稿",
    "interpretation.create": "新建政策解读",
    "interpretation.edit": "修改政策解读",
    "interpretation.link": "解读关联文件",
    "interpretation.unlink": "解读取消关联",
    "interpretation.publish": "发布政策解读",
    "interpretation.withdraw": "撤回政策解读",
    "user.create": "创建账号",
    "user.set_role": "修改角色",
    "user.enable": "启用账号",
    "user.disable": "停用账号",
    "user.login": "登录",
    "user.login_failed": "登录失败",
    "user.logout": "退出登录",
    "user.password_reset": "重设密码",
    "user.unlock": "解除登录锁定",
    "user.set_email": "修改通知邮箱",
    "user.link_enterprise": "账号绑定企业",
    "notify.unsubscribe": "退订通知邮件",
}


DATA_NAMES = {
    "changed": "改动",
    "version": "版本",
    "count": "数量",
    "keys": "事项",
    "role": "角色",
    "from": "原角色",
    "to": "新角色",
    "email": "邮箱",
    "address": "地址",
    "cleared": "清除",
    "locks_cleared": "解除锁定",
    "source": "来源文件",
    "documents": "文件",
    "skipped": "跳过",
    "enterprise": "企业",
    "credit_code": "统一社会信用代码",
}


def event_details(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's data as (Chinese name, value) pairs: changed fields, roles and versions in Chinese,
    other keys as they are.

    Examples:
        >>> event_details(AuditEvent(action="item.edit", data={"changed": ["conditions", "formula"]}))
        [('改动', '机器可判断的条件、计算公式')]
        >>> event_details(AuditEvent(action="user.set_role", data={"from": "reviewer", "to": "admin"}))
        [('原角色', '审核人员'), ('新角色', '管理员')]
    """
    from zhengcetong.library.interpretations import FIELD_NAMES as INTERPRETATION_FIELDS
    from zhengcetong.library.items import FIELD_NAMES as ITEM_FIELDS
    from zhengcetong.library.users import ROLE_NAMES

    fields = INTERPRETATION_FIELDS if event.action.startswith("interpretation.") else ITEM_FIELDS
    out = []
    for key, value in (event.data or {}).items():
        if key == "changed" and isinstance(value, list):
            shown = "、".join(fields.get(str(v), str(v)) for v in value)
        elif key in ("role", "from", "to") and isinstance(value, str):
            shown = ROLE_NAMES.get(value, value)
        elif isinstance(value, list):
            shown = "、".join(str(v) for v in value) or "（无）"
        elif isinstance(value, bool):
            shown = "是" if value else "否"
        else:
            shown = "—" if value is None else str(value)
        out.append((DATA_NAMES.get(key, key), shown))
    return out


def event_name(action: str) -> str:
    """An audit action in Chinese, or the action itself when it has no name yet.

    Examples:
        >>> event_name("item.edit"), event_name("profile.import")
        ('修改政策事项', 'profile.import')
    """
    return EVENT_NAMES.get(action, action)
