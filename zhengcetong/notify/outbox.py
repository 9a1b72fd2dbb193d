"""Delivering the outbox: ``zct notify run`` and the background task of ``zct serve`` call :func:`run`.

A run can be repeated as often as wanted and killed at any moment without losing or doubling mail:

1. **claim** — in one short transaction, due rows (``pending`` whose ``next_attempt_at`` has come, or
   ``sending`` whose lease ran out: their run died) become ``sending`` with this run's ``claim`` token and
   a lease; the UPDATE re-checks the row's state, so two runs never claim the same row.
2. **send** — each claimed row is composed and handed to the sender, outside any transaction.
3. **settle** — only after the server accepted it is the row marked ``sent`` (its own transaction, and
   only while the claim is still this run's); a failure puts it back to ``pending`` with an exponential
   backoff (``attempts``, ``next_attempt_at``, ``last_error``), or ``failed`` after the last attempt.

A run killed between 2 and 3 leaves the row ``sending``; after the lease it is claimed again, so such a
message may go out twice — delivery is at least once, and that window is the only one. This module opens
its own sessions (a run spans several transactions by design); everything else takes the caller's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from zhengcetong import clock
from zhengcetong.library import PolicyItem, benefit_line
from zhengcetong.match.models import Enterprise
from zhengcetong.match.text import yuan_short
from zhengcetong.notify import service
from zhengcetong.notify.models import Notification, OutboxEmail
from zhengcetong.notify.sender import Sender, SendError

MAX_BACKOFF = timedelta(days=1)
# Lines up to RFC 5322's limit: the default 78 folds a long List-Unsubscribe URL into encoded words
# (=?utf-8?q?…?=), which mail clients do not read as a URL.
HEADERS_UNFOLDED = email_policy.SMTP.clone(max_line_length=998)
MAX_ERROR_CHARS = 500


@dataclass
class Delivery:
    """One email a run dealt with: to whom, of which item, and how it went."""

    email: str
    item_name: str
    status: str  # sent | pending (to retry) | failed | cancelled
    error: str | None = None
    next_attempt_at: datetime | None = None


@dataclass
class RunReport:
    """What one run did."""

    deliveries: list[Delivery] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for d in self.deliveries if d.status == status)


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2 × base, 4 × base … at most a day.

    Examples:
        >>> [int(backoff(n, 60).total_seconds()) for n in (1, 2, 3)], backoff(40, 60)
        ([60, 120, 240], datetime.timedelta(days=1))
    """
    return min(timedelta(seconds=base_seconds * 2 ** min(attempts - 1, 30)), MAX_BACKOFF)


def _due(now: datetime):
    return or_(
        and_(OutboxEmail.status == "pending", OutboxEmail.next_attempt_at <= now),
        and_(OutboxEmail.status == "sending", OutboxEmail.lease_until < now),
    )


def claim(
    *, db_session: Session, limit: int, lease_seconds: int, now: datetime | None = None
) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due rows for a run (the caller commits): (the run's token, their ids).
    Each claim counts as an attempt, so a message that kills every run still runs out of attempts."""
    now = now or clock.now()
    token = secrets.token_hex(12)
    due = select(OutboxEmail.id).where(_due(now)).order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
    db_session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(due.limit(limit).scalar_subquery()), _due(now))
        .values(
            status="sending",
            claim=token,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxEmail.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    ids = db_session.scalars(
        select(OutboxEmail.id).where(OutboxEmail.claim == token).order_by(OutboxEmail.id)
    )
    return token, list(ids)


def compose(*, db_session: Session, row: OutboxEmail, settings) -> tuple[EmailMessage, str]:
    """The email of an outbox row (and the item's name): the item, the amount, a link to it, and a
    one-click unsubscribe link (also as the RFC 8058 headers)."""
    notification = db_session.get(Notification, row.notification_id)
    item = db_session.get(PolicyItem, row.item_id)
    enterprise = db_session.get(Enterprise, row.enterprise_id)
    assert notification is not None and item is not None and enterprise is not None  # cascades keep them
    base = settings.public_url.rstrip("/")
    token = service.unsubscribe_token(settings.session_secret(), enterprise_id=enterprise.id, email=row.email)
    unsubscribe_url = f"{base}/unsubscribe?token={token}"
    if notification.estimated_amount_yuan is not None:
        amount = f"预计可得 {yuan_short(notification.estimated_amount_yuan)}"
    elif item.headline_yuan is not None:
        amount = f"{benefit_line(item)}（以文件和申报通知为准）"  # 给予X / 最高X / 按X%, as the text says
    else:
        amount = "以文件和申报通知为准"
    lead = (
        f"根据贵企业的画像，贵企业{notification.detail}以下政策事项："
        if notification.reason == "match"
        else f"贵企业的{notification.detail}，有新的政策事项："
    )
    cite = " ".join(p for p in (item.document.doc_number or item.document.title, item.clause_path) if p)
    body = "\n".join(
        [
            f"{enterprise.name}：",
            "",
            lead,
            "",
            f"事项：{item.name}",
            f"金额：{amount}",
            f"依据：{cite}",
            f"详情：{base}/items/{item.key}",
            "",
            f"在政策通查看全部通知：{base}/enterprise/notifications",
            f"不再接收此类邮件（一键退订，无需登录）：{unsubscribe_url}",
        ]
    )
    message = EmailMessage(policy=HEADERS_UNFOLDED)
    message["Subject"] = f"【政策通】{item.name}"
    message["From"] = formataddr(("政策通", settings.smtp_sender))
    message["To"] = row.email
    message["Message-ID"] = make_msgid(idstring=f"zct.{row.id}")
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(body, cte="base64")  # no server needs 8BITMIME
    return message, item.name


def _settle(db_session: Session, row_id: int, token: str, **values) -> None:
    """Write a claimed row's outcome, only while this run still holds the claim."""
    db_session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == row_id, OutboxEmail.claim == token, OutboxEmail.status == "sending")
        .values(claim=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def _deliver(
    db_session: Session, row_id: int, token: str, *, sender: Sender, settings, now: datetime | None
) -> Delivery:
    row = db_session.get(OutboxEmail, row_id)
    assert row is not None
    if service.is_unsubscribed(db_session=db_session, enterprise_id=row.enterprise_id, email=row.email):
        _settle(db_session, row.id, token, status="cancelled")
        return Delivery(row.email, "", "cancelled")
    message, item_name = compose(db_session=db_session, row=row, settings=settings)
    try:
        sender.send(message)
    except SendError as exc:
        error = str(exc)[:MAX_ERROR_CHARS]
        if row.attempts >= settings.notify_max_attempts:
            _settle(db_session, row.id, token, status="failed", last_error=error)
            return Delivery(row.email, item_name, "failed", error)
        retry_at = (now or clock.now()) + backoff(row.attempts, settings.notify_retry_seconds)
        _settle(db_session, row.id, token, status="pending", last_error=error, next_attempt_at=retry_at)
        return Delivery(row.email, item_name, "pending", error, retry_at)
    _settle(db_session, row.id, token, status="sent", sent_at=clock.now(), last_error=None)
    return Delivery(row.email, item_name, "sent")


def run(
    *,
    sessions: sessionmaker[Session],
    sender: Sender,
    settings,
    limit: int = 100,
    now: datetime | None = None,
) -> RunReport:
    """Send what is due at ``now`` (default: the current moment; tests move it on) — at most ``limit``
    rows, each settled in its own transaction; see the module."""
    report = RunReport()
    with sessions() as db_session:
        token, ids = claim(
            db_session=db_session, limit=limit, lease_seconds=settings.notify_lease_seconds, now=now
        )
        db_session.commit()
    for row_id in ids:
        with sessions() as db_session:
            report.deliveries.append(
                _deliver(db_session, row_id, token, sender=sender, settings=settings, now=now)
            )
            db_session.commit()
    return report


def recent(*, db_session: Session, status: str | None = None, limit: int = 50) -> list[OutboxEmail]:
    """Outbox rows newest first (``zct notify list``)."""
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    if status:
        query = query.where(OutboxEmail.status == status)
    return list(db_session.scalars(query))
