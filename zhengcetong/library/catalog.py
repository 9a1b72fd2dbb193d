"""What the public portal reads from the library: published items, normative documents, overview counts.

Only published items of documents in force are public (the rule of ``items.effective_status``, here
as SQL so lists can be filtered and paginated in the database). A document is listed as a normative
document (规范性文件) when it has a 文号, is neither an appointment notice nor a chronicle, and its
title or the title of what it issues names a rule-making form (``NORMATIVE_FORMS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from zhengcetong.errors import NotFound
from zhengcetong.library.models import Document, PolicyItem
from zhengcetong.library.publication import PublicationStatus
from zhengcetong.library.schemas import DocumentRef
from zhengcetong.library.service import WITHOUT_TEXT, document_refs, in_force_clause
from zhengcetong.library.validity import DocumentStatus, validity_of

NORMATIVE_FORMS = (
    "办法",
    "规定",
    "细则",
    "规则",
    "措施",
    "意见",
    "决定",
    "方案",
    "规范",
    "标准",
    "准则",
    "条例",
    "通告",
)
NOT_NORMATIVE_KINDS = ("appointment", "chronicle")


def public_item_clause(on: date):
    """SQL: the item is published and its document is in force on ``on`` (join ``Document`` to use it)."""
    return and_(PolicyItem.status == PublicationStatus.PUBLISHED.value, in_force_clause(on))


@dataclass
class ItemFilters:
    """Filters of the public item list (a department filter is the caller's ``extra`` condition)."""

    document_uid: str | None = None
    category: str | None = None
    benefit_kind: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


def list_public_items(
    *,
    db_session: Session,
    on: date,
    filters: ItemFilters | None = None,
    extra: list | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[int, list[PolicyItem]]:
    """Published items of documents in force on ``on``, newest documents first: (total, page)."""
    filters = filters or ItemFilters()
    conditions = [public_item_clause(on), *(extra or [])]
    if filters.document_uid:
        conditions.append(Document.uid == filters.document_uid)
    if filters.category:
        conditions.append(PolicyItem.category == filters.category)
    if filters.benefit_kind:
        conditions.append(PolicyItem.benefit_kind == filters.benefit_kind)
    if filters.min_amount is not None:
        conditions.append(PolicyItem.headline_yuan >= filters.min_amount)
    if filters.max_amount is not None:
        conditions.append(PolicyItem.headline_yuan < filters.max_amount)
    total = db_session.scalar(select(func.count(PolicyItem.id)).join(Document).where(*conditions)) or 0
    items = db_session.scalars(
        select(PolicyItem)
        .join(Document)
        .options(contains_eager(PolicyItem.document))
        .where(*conditions)
        .order_by(Document.date.desc().nulls_last(), Document.id, PolicyItem.position)
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(items)


def get_public_item(*, db_session: Session, key: str, on: date) -> tuple[PolicyItem, DocumentStatus]:
    """A published item of a document in force, by its stable key, with its document's status on
    ``on``; anything else is NotFound."""
    item = db_session.scalar(
        select(PolicyItem).options(joinedload(PolicyItem.document)).where(PolicyItem.key == key)
    )
    status = validity_of(db_session=db_session, document=item.document, on=on) if item is not None else None
    if (
        item is None
        or item.status != PublicationStatus.PUBLISHED.value
        or status is None
        or not status.in_force
    ):
        raise NotFound(f"没有找到政策事项 {key}，它可能尚未发布、所属文件尚未施行或已失效")
    return item, status


def is_normative(document: Document) -> bool:
    """Whether a document is listed as a normative document (see the module docstring)."""
    if not document.doc_number or document.kind in NOT_NORMATIVE_KINDS:
        return False
    titles = [document.title, *(document.attached_titles or [])]
    return any(form in title for title in titles for form in NORMATIVE_FORMS)


def _candidates():
    """SQL: documents that may be normative (the title test runs in Python: titles of attachments are JSON)."""
    return and_(Document.doc_number.is_not(None), Document.kind.not_in(NOT_NORMATIVE_KINDS))


@dataclass
class IssuerGroup:
    """The normative documents of one issuer."""

    issuer: str
    documents: list[DocumentRef]


def normative_documents(*, db_session: Session, on: date, only_valid: bool = True) -> list[IssuerGroup]:
    """Normative documents grouped by issuer (issuers by name, documents newest first)."""
    conditions = [_candidates()]
    if only_valid:
        conditions.append(in_force_clause(on))
    documents = [
        d
        for d in db_session.scalars(
            select(Document)
            .options(selectinload(Document.gazette), *WITHOUT_TEXT)
            .where(*conditions)
            .order_by(Document.issuer, Document.date.desc().nulls_last(), Document.id)
        )
        if is_normative(d)
    ]
    refs = document_refs(db_session=db_session, documents=documents, on=on)
    groups: dict[str, IssuerGroup] = {}
    for document in documents:
        issuer = document.issuer or "（发文机关不详）"
        groups.setdefault(issuer, IssuerGroup(issuer, [])).documents.append(refs[document.id])
    return list(groups.values())


@dataclass
class Overview:
    """Counts for the home page."""

    documents: int
    in_force: int
    normative: int
    items: int
    gazettes: int


def overview(*, db_session: Session, on: date) -> Overview:
    """How much the library holds on ``on``."""
    from zhengcetong.library.models import Gazette

    count = lambda *where: db_session.scalar(select(func.count(Document.id)).where(*where)) or 0  # noqa: E731
    return Overview(
        documents=count(),
        in_force=count(in_force_clause(on)),
        normative=sum(
            1
            for d in db_session.scalars(
                select(Document).options(*WITHOUT_TEXT).where(_candidates(), in_force_clause(on))
            )
            if is_normative(d)
        ),
        items=db_session.scalar(  # what enterprises and persons can apply for: not a public body's funds
            select(func.count(PolicyItem.id))
            .join(Document)
            .where(public_item_clause(on), PolicyItem.applicant != "public")
        )
        or 0,
        gazettes=db_session.scalar(select(func.count(Gazette.id))) or 0,
    )
