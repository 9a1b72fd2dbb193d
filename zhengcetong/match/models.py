"""The tables of profiles and matching: enterprises with their profile documents, and stored matches."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from zhengcetong import clock
from zhengcetong.db.base import Base
from zhengcetong.db.types import JsonType, UtcDateTime


class Enterprise(Base):
    """One enterprise: its profile document (``zhengcetong.match.enterprise``) and where each field came from.

    ``provenance`` maps each top-level field of ``profile`` to ``{"source", "by", "at"}``: ``source`` is
    ``enterprise`` (entered by the enterprise), ``staff`` (imported or entered by staff) or ``exchange``
    (from a data exchange), ``by`` the actor and ``at`` an ISO timestamp. ``version`` grows with every
    change, so stored matches know which profile they were computed from.
    """

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    profile: Mapped[dict] = mapped_column(JsonType, default=dict)
    provenance: Mapped[dict] = mapped_column(JsonType, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)
    updated_by: Mapped[str] = mapped_column(String(200))


class EnterpriseMatch(Base):
    """What one published item gives one enterprise, as last computed: ``result`` is ``eligible``,
    ``possibly`` or ``ineligible``; ``missing`` the facts still needed (possibly only). Computed from
    ``item_version`` of the item and ``profile_version`` of the enterprise, on ``on``."""

    __tablename__ = "enterprise_match"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("policy_item.id", ondelete="CASCADE"), primary_key=True)
    item_version: Mapped[int] = mapped_column(Integer)
    profile_version: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(String(12))
    estimated_amount_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    missing: Mapped[list] = mapped_column(JsonType, default=list)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=clock.now)

    __table_args__ = (Index("ix_enterprise_match_item_result", "item_id", "result"),)
