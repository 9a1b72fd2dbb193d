"""Subscriptions, the inbox and who gets told of what (订阅与通知).

Functions take the caller's session and never commit. Every read and write of an enterprise's
subscriptions and notifications names the enterprise, so one enterprise can never reach another's (a
notification of someone else is NotFound, the same as one that does not exist).

:func:`notify_items` is what the session hook (``notify/hooks.py``) calls before a commit that changed
policy items: for each item version now public, the enterprises it matches (stored matches, eligible or
possibly) and those whose subscriptions it meets get a notification, and each of their addresses an
email in the outbox (``notify/outbox.py`` sends them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Table, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from zhengcetong import clock
from zhengcetong.db.upsert import insert
from zhengcetong.errors import InputError, NotFound
from zhengcetong.library import PolicyItem, User, benefit_line, record_event
from zhengcetong.library import items as policy_items
from zhengcetong.match.models import Enterprise, EnterpriseMatch
from zhengcetong.notify.models import EmailOptOut, Notification, OutboxEmail, Subscription

KINDS = {"topic": "主题", "department": "部门", "keyword": "关键词"}
MAX_VALUE = 100
MAX_SUBSCRIPTIONS = 50  # per enterprise
MATCH_DETAILS = {"eligible": "符合", "possibly": "可能符合（需补充信息）"}
UNSUBSCRIBE_SALT = "zct-unsubscribe"
TABLES: dict[type, Table] = {Notification: Notification.__table__, OutboxEmail: OutboxEmail.__table__}  # type: ignore[dict-item]


# --- subscriptions ----------------------------------------------------------------------------------


def list_subscriptions(*, db_session: Session, enterprise_id: int) -> list[Subscription]:
    """The enterprise's subscriptions, by kind then value."""
    return list(
        db_session.scalars(
            select(Subscription)
            .where(Subscription.enterprise_id == enterprise_id)
            .order_by(Subscription.kind, Subscription.value)
        )
    )


def check_subscription(kind: str, value: str) -> str:
    """The value to store for a subscription of ``kind``, or InputError saying what is wrong.

    Examples:
        >>> check_subscription("keyword", "  首台套 ")
        '首台套'
        >>> check_subscription("colour", "红")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: kind: 订阅类型“colour”无效，应为 topic（主题）、department（部门）、keyword（关键词）
    """
    if kind not in KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        raise InputError(f"订阅类型“{kind[:20]}”无效，应为 {choices}", source="kind")
    value = " ".join(str(value).split())
    if not value:
        raise InputError(f"请填写要订阅的{KINDS[kind]}", source="value")
    if len(value) > MAX_VALUE:
        raise InputError(f"{KINDS[kind]}太长（最多 {MAX_VALUE} 字）", source="value")
    if kind == "topic":
        from zhengcetong.search import topic_names

        if value not in topic_names():
            raise InputError(f"没有主题“{value}”，可订阅的主题：{'、'.join(topic_names())}", source="value")
    return value


def add_subscription(
    *, db_session: Session, enterprise_id: int, kind: str, value: str, actor: str
) -> tuple[Subscription, bool]:
    """Subscribe the enterprise to a topic, department or keyword; (the subscription, whether it is new).
    Audited as ``subscription.add``."""
    value = check_subscription(kind, value)
    existing = db_session.scalar(
        select(Subscription).where(
            Subscription.enterprise_id == enterprise_id,
            Subscription.kind == kind,
            Subscription.value == value,
        )
    )
    if existing is not None:
        return existing, False
    count = db_session.scalar(
        select(func.count()).select_from(Subscription).where(Subscription.enterprise_id == enterprise_id)
    )
    if (count or 0) >= MAX_SUBSCRIPTIONS:
        raise InputError(f"最多订阅 {MAX_SUBSCRIPTIONS} 项，请先取消一些", source="value")
    subscription = Subscription(enterprise_id=enterprise_id, kind=kind, value=value, created_by=actor)
    db_session.add(subscription)
    db_session.flush()
    _audit_subscription(db_session, "subscription.add", subscription, actor)
    return subscription, True


def remove_subscription(*, db_session: Session, enterprise_id: int, subscription_id: int, actor: str) -> None:
    """Cancel one of the enterprise's subscriptions (NotFound for any other). Audited."""
    subscription = db_session.get(Subscription, subscription_id)
    if subscription is None or subscription.enterprise_id != enterprise_id:
        raise NotFound(f"没有编号为 {subscription_id} 的订阅")
    _audit_subscription(db_session, "subscription.remove", subscription, actor)
    db_session.delete(subscription)
    db_session.flush()


def _audit_subscription(db_session: Session, action: str, subscription: Subscription, actor: str) -> None:
    enterprise = db_session.get(Enterprise, subscription.enterprise_id)
    record_event(
        db_session=db_session,
        actor=actor,
        action=action,
        target_type="enterprise",
        target_id=enterprise.credit_code if enterprise else str(subscription.enterprise_id),
        data={"kind": subscription.kind, "value": subscription.value},
    )


def subscription_dict(subscription: Subscription) -> dict:
    """The JSON form of a subscription."""
    return {
        "id": subscription.id,
        "kind": subscription.kind,
        "kind_name": KINDS[subscription.kind],
        "value": subscription.value,
        "created_at": subscription.created_at.isoformat(),
    }


# --- the inbox --------------------------------------------------------------------------------------


def list_notifications(
    *, db_session: Session, enterprise_id: int, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> tuple[list[Notification], int]:
    """The enterprise's notifications, newest first, and how many there are in all."""
    where = [Notification.enterprise_id == enterprise_id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    total = db_session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    rows = db_session.scalars(
        select(Notification)
        .where(*where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def unread_count(*, db_session: Session, enterprise_id: int) -> int:
    """How many of the enterprise's notifications are unread."""
    return (
        db_session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None))
        )
        or 0
    )


def get_notification(*, db_session: Session, enterprise_id: int, notification_id: int) -> Notification:
    """One of the enterprise's notifications; NotFound for another enterprise's, as for a missing one."""
    notification = db_session.get(Notification, notification_id)
    if notification is None or notification.enterprise_id != enterprise_id:
        raise NotFound(f"没有编号为 {notification_id} 的通知")
    return notification


def mark_read(*, db_session: Session, enterprise_id: int, notification_id: int, actor: str) -> Notification:
    """Mark one of the enterprise's notifications read (already read: unchanged)."""
    notification = get_notification(
        db_session=db_session, enterprise_id=enterprise_id, notification_id=notification_id
    )
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.read_by = actor
        db_session.flush()
    return notification


def mark_all_read(*, db_session: Session, enterprise_id: int, actor: str) -> int:
    """Mark every unread notification of the enterprise read; returns how many."""
    unread = list(
        db_session.scalars(
            select(Notification).where(
                Notification.enterprise_id == enterprise_id, Notification.read_at.is_(None)
            )
        )
    )
    now = clock.now()
    for notification in unread:
        notification.read_at = now
        notification.read_by = actor
    db_session.flush()
    return len(unread)


def notification_dict(notification: Notification, item: PolicyItem) -> dict:
    """The JSON form of a notification, with the item it tells of."""
    amount = notification.estimated_amount_yuan
    return {
        "id": notification.id,
        "item_id": item.key,
        "item_name": item.name,
        "item_version": notification.item_version,
        "doc_number": item.document.doc_number,
        "reason": notification.reason,
        "detail": notification.detail,
        "estimated_amount_yuan": None if amount is None else f"{amount:.2f}",
        "amount_max_yuan": None if item.headline_yuan is None else f"{item.headline_yuan:.2f}",
        "benefit": benefit_line(item),
        "created_at": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
        "read_at": None if notification.read_at is None else notification.read_at.isoformat(),
        "url": f"/items/{item.key}",
    }


# --- who is told of a new or changed item --------------------------------------------------------------


@dataclass(frozen=True)
class Tidings:
    """Why one enterprise hears of one item version: ``reason``, ``detail`` and the amount it may get."""

    reason: str
    detail: str
    amount: Decimal | None = None


def subscription_holds(subscription: Subscription, item: PolicyItem, topics: Iterable[str]) -> bool:
    """Whether a published item meets a subscription: one of its topics, one of its departments, or the
    keyword in its name, condition or quote.

    Examples:
        >>> item = PolicyItem(name="首台套奖励", condition="", quote="", departments=["市工业和信息化局"])
        >>> subscription_holds(Subscription(kind="keyword", value="首台套"), item, [])
        True
        >>> subscription_holds(Subscription(kind="department", value="市财政局"), item, [])
        False
        >>> subscription_holds(Subscription(kind="topic", value="科技创新"), item, ["科技创新"])
        True
    """
    if subscription.kind == "topic":
        return subscription.value in topics
    if subscription.kind == "department":
        return subscription.value in (item.departments or [])
    return any(subscription.value in (text or "") for text in (item.name, item.condition, item.quote))


def _tidings(db_session: Session, items: list[PolicyItem]) -> dict[tuple[int, int], Tidings]:
    """(enterprise id, item id) → why it hears of the item: its stored match first, else a subscription."""
    from zhengcetong.search import topics_of

    versions = {item.id: item.version for item in items}
    found: dict[tuple[int, int], Tidings] = {}
    matches = db_session.scalars(
        select(EnterpriseMatch).where(
            EnterpriseMatch.item_id.in_(versions), EnterpriseMatch.result.in_(MATCH_DETAILS)
        )
    )
    for match in matches:
        if match.item_version == versions[match.item_id]:
            detail = MATCH_DETAILS[match.result]
            found[match.enterprise_id, match.item_id] = Tidings("match", detail, match.estimated_amount_yuan)
    topics = topics_of(db_session, "item", list(versions))
    candidates = select(Subscription).where(
        or_(
            and_(
                Subscription.kind == "topic",
                Subscription.value.in_({t for ts in topics.values() for t in ts}),
            ),
            and_(
                Subscription.kind == "department",
                Subscription.value.in_({d for item in items for d in item.departments or []}),
            ),
            Subscription.kind == "keyword",
        )
    )
    for subscription in db_session.scalars(candidates.order_by(Subscription.id)):
        for item in items:
            key = (subscription.enterprise_id, item.id)
            if key not in found and subscription_holds(subscription, item, topics.get(item.id, [])):
                found[key] = Tidings("subscription", f"订阅{KINDS[subscription.kind]}：{subscription.value}")
    return found


def recipients(*, db_session: Session, enterprise_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each enterprise's addresses for notification emails: the emails of its active accounts, or, when
    none has one (or it has no account yet), its profile's ``contact_email``; unsubscribed ones left out."""
    ids = set(enterprise_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    accounts = db_session.execute(
        select(User.enterprise_id, User.email)
        .where(User.enterprise_id.in_(ids), User.active.is_(True), User.email.is_not(None))
        .order_by(User.id)
    )
    for enterprise_id, email in accounts:
        if enterprise_id is not None and email and email not in out[enterprise_id]:
            out[enterprise_id].append(email)
    for enterprise in db_session.scalars(select(Enterprise).where(Enterprise.id.in_(ids))):
        contact = (enterprise.profile or {}).get("contact_email")
        if not out[enterprise.id] and isinstance(contact, str) and contact.strip():
            out[enterprise.id].append(contact.strip())
    opted_out = set(
        db_session.execute(
            select(EmailOptOut.enterprise_id, EmailOptOut.email).where(EmailOptOut.enterprise_id.in_(ids))
        )
    )
    return {i: [e for e in emails if (i, e) not in opted_out] for i, emails in out.items()}


def notify_items(*, db_session: Session, item_ids: Iterable[int], on: date | None = None) -> int:
    """Tell every enterprise concerned of these items' current versions, when public on ``on`` (default
    today): a notification each, an outbox email per address. Idempotent (the unique keys); returns how
    many notifications are new."""
    ids = set(item_ids)
    if not ids:
        return 0
    on = on or clock.today()
    items = [
        item
        for item in db_session.scalars(
            select(PolicyItem).where(PolicyItem.id.in_(ids)).order_by(PolicyItem.id)
        )
        if policy_items.is_public(db_session=db_session, item=item, on=on) and item.applicant != "public"
    ]  # a public body's item (政府部门申报) is shown, not sent to enterprises
    if not items:
        return 0
    tidings = _tidings(db_session, items)
    if not tidings:
        return 0
    versions = {item.id: item.version for item in items}
    connection = db_session.connection()
    now = clock.now()
    rows = [
        {
            "enterprise_id": enterprise_id,
            "item_id": item_id,
            "item_version": versions[item_id],
            "reason": t.reason,
            "detail": t.detail,
            "estimated_amount_yuan": t.amount,
            "created_at": now,
        }
        for (enterprise_id, item_id), t in sorted(tidings.items())
    ]
    statement = insert(connection, TABLES[Notification]).on_conflict_do_nothing()
    created = sum(connection.execute(statement, [row]).rowcount for row in rows)
    notifications = db_session.execute(
        select(
            Notification.id, Notification.enterprise_id, Notification.item_id, Notification.item_version
        ).where(
            tuple_(Notification.enterprise_id, Notification.item_id, Notification.item_version).in_(
                [(r["enterprise_id"], r["item_id"], r["item_version"]) for r in rows]
            )
        )
    ).all()
    addresses = recipients(db_session=db_session, enterprise_ids={n.enterprise_id for n in notifications})
    emails = [
        {
            "notification_id": n.id,
            "enterprise_id": n.enterprise_id,
            "email": email,
            "item_id": n.item_id,
            "item_version": n.item_version,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for n in notifications
        for email in addresses[n.enterprise_id]
    ]
    if emails:
        connection.execute(insert(connection, TABLES[OutboxEmail]).on_conflict_do_nothing(), emails)
    return created


# --- unsubscribing ----------------------------------------------------------------------------------


def unsubscribe_token(secret: str, *, enterprise_id: int, email: str) -> str:
    """A signed token that unsubscribes ``email`` from the enterprise's emails, without a login.

    Examples:
        >>> token = unsubscribe_token("s" * 32, enterprise_id=7, email="a@example.com")
        >>> read_unsubscribe_token("s" * 32, token), read_unsubscribe_token("t" * 32, token)
        ((7, 'a@example.com'), None)
    """
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps([enterprise_id, email])


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """(enterprise id, address) of a token made by :func:`unsubscribe_token`; None when forged or garbled."""
    try:
        enterprise_id, email = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(enterprise_id, int) or not isinstance(email, str):
        return None
    return enterprise_id, email


def is_unsubscribed(*, db_session: Session, enterprise_id: int, email: str) -> bool:
    """Whether ``email`` unsubscribed from the enterprise's emails."""
    return db_session.get(EmailOptOut, (enterprise_id, email)) is not None


def unsubscribe(*, db_session: Session, enterprise_id: int, email: str) -> bool:
    """Stop every further email to ``email`` about the enterprise (pending ones are cancelled); audited
    with the address as actor. Returns False when it had already unsubscribed."""
    enterprise = db_session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound("该退订链接对应的企业已不存在")
    if is_unsubscribed(db_session=db_session, enterprise_id=enterprise_id, email=email):
        return False
    db_session.add(EmailOptOut(enterprise_id=enterprise_id, email=email))
    for row in db_session.scalars(
        select(OutboxEmail).where(
            OutboxEmail.enterprise_id == enterprise_id,
            OutboxEmail.email == email,
            OutboxEmail.status == "pending",
        )
    ):
        row.status = "cancelled"
    record_event(
        db_session=db_session,
        actor=f"unsubscribe:{email}",
        action="notify.unsubscribe",
        target_type="enterprise",
        target_id=enterprise.credit_code,
        data={"email": email},
    )
    db_session.flush()
    return True


# --- the staff's view -------------------------------------------------------------------------------


@dataclass
class LogEntry:
    """One notification as staff see it: to whom, of what, when, read or not, and its emails."""

    notification: Notification
    enterprise: Enterprise
    item: PolicyItem
    emails: list[OutboxEmail]


EMAIL_STATUSES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "failed": "发送失败",
    "cancelled": "已退订",
}


def notification_log(
    *,
    db_session: Session,
    enterprise: str | None = None,
    item: str | None = None,
    email_status: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[LogEntry], int]:
    """Notifications newest first for staff, filtered by enterprise (name or credit code), item (key or
    name), email status and time; with the total that match."""
    query = (
        select(Notification, Enterprise, PolicyItem)
        .join(Enterprise, Enterprise.id == Notification.enterprise_id)
        .join(PolicyItem, PolicyItem.id == Notification.item_id)
    )
    if enterprise:
        query = query.where(
            or_(
                Enterprise.name.contains(enterprise, autoescape=True),
                Enterprise.credit_code == enterprise.upper(),
            )
        )
    if item:
        query = query.where(or_(PolicyItem.key == item, PolicyItem.name.contains(item, autoescape=True)))
    if email_status:
        query = query.where(
            select(OutboxEmail.id)
            .where(and_(OutboxEmail.notification_id == Notification.id, OutboxEmail.status == email_status))
            .exists()
        )
    if since is not None:
        query = query.where(Notification.created_at >= since)
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit).offset(offset)
    ).all()
    emails: dict[int, list[OutboxEmail]] = {}
    if rows:
        for email in db_session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.notification_id.in_([n.id for n, _, _ in rows]))
            .order_by(OutboxEmail.id)
        ):
            emails.setdefault(email.notification_id, []).append(email)
    return [LogEntry(n, e, i, emails.get(n.id, [])) for n, e, i in rows], total
