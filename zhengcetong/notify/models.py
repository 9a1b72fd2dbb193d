"""The tables of push (订阅与通知): what enterprises subscribe to, the notifications in their inbox, the
outbox of emails to send (and sent), and the addresses that unsubscribed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhengcetong import clock
from zhengcetong.db.base import Base
from zhengcetong.db.types import UtcDateTime


class Subscription(Base):
    """One enterprise follows a topic, a department or a keyword (its own new matches it always gets)."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # topic | department | keyword
    value: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)
    created_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("enterprise_id", "kind", "value"),)


class Notification(Base):
    """An item (one version of it) told to one enterprise: in its inbox, read or not.

    ``reason`` is ``match`` (the enterprise is eligible or possibly eligible) or ``subscription``; ``detail``
    says which in Chinese (“符合”, “订阅主题：科技创新”). One per enterprise, item and version.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("policy_item.id", ondelete="CASCADE"), index=True)
    item_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(12))
    detail: Mapped[str] = mapped_column(String(200))
    estimated_amount_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    read_by: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("enterprise_id", "item_id", "item_version"),
        Index("ix_notification_enterprise_read", "enterprise_id", "read_at"),
    )


class OutboxEmail(Base):
    """One email to send for a notification, to one address: nothing is sent twice for the same
    enterprise, address, item and version (the unique key).

    ``status``: ``pending`` (due at ``next_attempt_at``), ``sending`` (claimed by the run ``claim`` until
    ``lease_until``; past that a run that died is presumed and the row is due again), ``sent``, ``failed``
    (gave up after the last attempt) or ``cancelled`` (the address unsubscribed before it went out).
    """

    __tablename__ = "notify_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    item_id: Mapped[int] = mapped_column(Integer)
    item_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)
    claim: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)

    __table_args__ = (
        UniqueConstraint("enterprise_id", "email", "item_id", "item_version"),
        Index("ix_notify_outbox_due", "status", "next_attempt_at"),
    )


class EmailOptOut(Base):
    """An address that unsubscribed from an enterprise's notification emails (the inbox stays)."""

    __tablename__ = "notify_opt_out"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)


def register_models() -> list[str]:
    """The names of push's tables on ``Base.metadata`` (importing this module registers them; the
    migrations and the drift check call this through the face so that they see them)."""
    return sorted(m.persist_selectable.name for m in Base.registry.mappers if m.class_.__module__ == __name__)  # type: ignore[attr-defined]
