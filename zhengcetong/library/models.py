"""The document library's tables: gazettes, documents, clauses, relations between documents, audit events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, event, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column, relationship

from zhengcetong import clock
from zhengcetong.db.base import Base
from zhengcetong.db.types import JsonType, UtcDateTime

utcnow = clock.now  # the default of every created_at / at column


class Gazette(Base):
    """One ingested file (a gazette issue or a single document), identified by its content hash."""

    __tablename__ = "gazette"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str] = mapped_column(String(500))
    issue: Mapped[str | None] = mapped_column(String(40))
    encoding: Mapped[str] = mapped_column(String(20))
    script: Mapped[str] = mapped_column(String(20))
    size_bytes: Mapped[int] = mapped_column(Integer)
    toc: Mapped[list] = mapped_column(JsonType, default=list)
    findings: Mapped[list] = mapped_column(JsonType, default=list)
    ingested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    ingested_by: Mapped[str] = mapped_column(String(200))

    documents: Mapped[list[Document]] = relationship(back_populates="gazette", order_by="Document.position")


class Document(Base):
    """A policy document with its GB/T 9704 elements; ``uid`` is its stable public id."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    gazette_id: Mapped[int] = mapped_column(ForeignKey("gazette.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str | None] = mapped_column(String(80), index=True)
    issuer: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(500), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    addressees: Mapped[list] = mapped_column(JsonType, default=list)
    date: Mapped[date | None] = mapped_column(Date, index=True)
    published: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    signature: Mapped[str | None] = mapped_column(String(200))
    attached_titles: Mapped[list] = mapped_column(JsonType, default=list)
    tables: Mapped[list] = mapped_column(JsonType, default=list)
    body: Mapped[str] = mapped_column(Text)
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)
    continued_from: Mapped[list] = mapped_column(JsonType, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    gazette: Mapped[Gazette] = relationship(back_populates="documents")
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="document", order_by="Clause.position", cascade="all, delete-orphan"
    )

    @property
    def gazette_issue(self) -> str | None:
        """The issue of the gazette it was published in (None for a file holding a single document)."""
        return self.gazette.issue if self.gazette else None


class Clause(Base):
    """One node of a document's clause tree, flattened in reading order with its parent."""

    __tablename__ = "clause"
    __table_args__ = (Index("ix_clause_document_id_path", "document_id", "path", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="clauses")
    parent: Mapped[Clause | None] = relationship(remote_side=[id])


class DocumentRelation(Base):
    """A later document repeals or amends an earlier one (target resolved when it is in the library)."""

    __tablename__ = "document_relation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    target_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    target_doc_number: Mapped[str | None] = mapped_column(String(80), index=True)
    target_title: Mapped[str | None] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(10))  # repeal | amend
    effective_on: Mapped[date | None] = mapped_column(Date)
    quote: Mapped[str] = mapped_column(Text)

    source: Mapped[Document] = relationship(foreign_keys=[source_document_id])


class AuditEvent(Base):
    """Append-only record of every write: who, when, what. Rows are never updated or deleted."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict] = mapped_column(JsonType, default=dict)


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed: the audit log is append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be deleted: the audit log is append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """Refuse ``update(AuditEvent)`` / ``delete(AuditEvent)`` statements, which skip the per-row hooks."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        if state.bind_mapper.class_ is AuditEvent:
            verb = "updated" if state.is_update else "deleted"
            raise AuditLogIsAppendOnly(f"audit events cannot be {verb}: the audit log is append-only")


class PolicyItem(Base):
    """A policy item (政策事项) extracted from a clause: a draft until a reviewer publishes it.

    The current values live on the row; every change is kept in PolicyItemRevision (who, when,
    before/after), so history is never edited.
    """

    __tablename__ = "policy_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    clause_path: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(
        String(20), index=True, default="draft"
    )  # draft | published | withdrawn
    version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(10))
    condition: Mapped[str] = mapped_column(Text)
    conditions: Mapped[dict] = mapped_column(JsonType, default=dict)
    formula: Mapped[dict | None] = mapped_column(JsonType, nullable=True)
    benefit_kind: Mapped[str] = mapped_column(String(30))
    applicant: Mapped[str] = mapped_column(
        String(10), default="unit", server_default="unit"
    )  # unit | person | public: who can apply (labels.APPLICANT_NAMES)
    amount_max_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    rate: Mapped[Decimal | None] = mapped_column(Numeric(10, 6))
    per: Mapped[str] = mapped_column(String(10))
    cap_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    months_max: Mapped[int | None] = mapped_column(Integer)
    departments: Mapped[list] = mapped_column(JsonType, default=list)
    time_limit_days: Mapped[int | None] = mapped_column(Integer)
    explains: Mapped[str | None] = mapped_column(String(40))  # a 政策解读 answer: the article it explains
    non_cumulative: Mapped[str | None] = mapped_column(Text)  # the non-cumulation rules that govern it
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    revisions: Mapped[list[PolicyItemRevision]] = relationship(
        back_populates="item", order_by="PolicyItemRevision.version", cascade="all, delete-orphan"
    )

    @hybrid_property
    def headline_yuan(self) -> Decimal | None:
        """The amount an item is filed under: its maximum, else its cap (a rate "最高200万元")."""
        return self.amount_max_yuan if self.amount_max_yuan is not None else self.cap_yuan

    @headline_yuan.inplace.expression
    @classmethod
    def _headline_yuan_expression(cls):
        return func.coalesce(cls.amount_max_yuan, cls.cap_yuan)


class PolicyItemRevision(Base):
    """One change to an item: the values before and after, who made it and when."""

    __tablename__ = "policy_item_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("policy_item.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # extract | edit | publish | withdraw
    before: Mapped[dict] = mapped_column(JsonType, default=dict)
    after: Mapped[dict] = mapped_column(JsonType, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[PolicyItem] = relationship(back_populates="revisions")


class User(Base):
    """A staff or enterprise account; passwords are Argon2 hashes."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # admin | reviewer | enterprise
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_epoch: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # +1 ends every session
    # an enterprise account acts for this enterprise only (match.models.Enterprise); staff have none
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprise.id", ondelete="SET NULL"), index=True
    )
    # where the account's notification emails go (zhengcetong.notify); None: the enterprise's contact_email
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LoginAttempt(Base):
    """Login attempts counted before the password is checked, per source address and per account+address.

    ``scope`` is ``address`` (every username tried from ``address``; ``username`` is empty) or ``account``
    (one username from one address). ``attempts`` counts the attempts of the window that began at
    ``window_start``: each is added, and committed, before its password check, so parallel guesses see
    each other; a successful login takes its own back.
    """

    __tablename__ = "login_attempt"

    scope: Mapped[str] = mapped_column(String(10), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Interpretation(Base):
    """A policy interpretation (政策解读) written by staff: plain text that explains one or more documents.

    ``uid`` is its stable public id (``jd-<n>`` or a slug chosen at creation). The current values live on
    the row; every change is kept in InterpretationRevision (who, when, before/after).
    """

    __tablename__ = "interpretation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)  # plain text: blank lines separate paragraphs, never HTML
    kind: Mapped[str] = mapped_column(String(20))  # text | graphic | qa (文字解读 / 图解 / 问答)
    department: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(
        String(20), index=True, default="draft"
    )  # draft | published | withdrawn
    version: Mapped[int] = mapped_column(Integer, default=1)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    published_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))

    links: Mapped[list[InterpretationDocument]] = relationship(
        back_populates="interpretation",
        order_by="InterpretationDocument.position",
        cascade="all, delete-orphan",
    )
    revisions: Mapped[list[InterpretationRevision]] = relationship(
        back_populates="interpretation",
        order_by="InterpretationRevision.version",
        cascade="all, delete-orphan",
    )


class InterpretationDocument(Base):
    """A document an interpretation explains, in the interpretation's order, optionally down to clauses."""

    __tablename__ = "interpretation_document"

    interpretation_id: Mapped[int] = mapped_column(
        ForeignKey("interpretation.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    clauses: Mapped[list] = mapped_column(JsonType, default=list)  # clause paths ("一/（一）"), may be empty

    interpretation: Mapped[Interpretation] = relationship(back_populates="links")
    document: Mapped[Document] = relationship()


class InterpretationRevision(Base):
    """One change to an interpretation: the values before and after, who made it and when."""

    __tablename__ = "interpretation_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interpretation_id: Mapped[int] = mapped_column(
        ForeignKey("interpretation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # create | edit | link | unlink | publish | withdraw
    before: Mapped[dict] = mapped_column(JsonType, default=dict)
    after: Mapped[dict] = mapped_column(JsonType, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    interpretation: Mapped[Interpretation] = relationship(back_populates="revisions")


def register_models() -> list[str]:
    """The names of the library's tables on ``Base.metadata`` (importing this module registers them; the
    migrations and the drift check call this through the face so that they see them)."""
    return sorted(m.local_table.name for m in Base.registry.mappers if m.class_.__module__ == __name__)
