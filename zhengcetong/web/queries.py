"""Query functions shared by each page and its JSON twin (one function, two renderings)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengcetong.library import (
    APPLICANT_NAMES,
    Document,
    DocumentPagination,
    DocumentRead,
    DocumentRef,
    ItemPagination,
    ItemRead,
    ItemSummary,
    NormativeGroup,
    NormativeList,
    PolicyItem,
    benefit_line,
    catalog,
    service,
    up_to,
)
from zhengcetong.search import department_condition, suggestions, topic_condition, topic_counts, topics_of


def _number(value: Decimal | None) -> float | None:
    return None if value is None else (int(value) if value == value.to_integral() else float(value))


def document_page(
    db: Session,
    *,
    valid_on: date | None,
    only_valid: bool,
    kind: str | None,
    issuer: str | None,
    q: str | None,
    limit: int,
    offset: int,
    topic: str | None = None,
) -> DocumentPagination:
    """A page of the document list."""
    condition = topic_condition("document", topic)
    total, items = service.list_documents(
        db_session=db,
        valid_on=valid_on,
        only_valid=only_valid,
        kind=kind or None,
        issuer=issuer or None,
        q=q or None,
        limit=limit,
        offset=offset,
        extra=[condition] if condition is not None else None,
    )
    return DocumentPagination(total=total, limit=limit, offset=offset, items=items)


def document_detail(db: Session, uid: str, valid_on: date | None) -> DocumentRead:
    """One document with its clauses, tables, relations and published interpretations (政策解读)."""
    from zhengcetong.library import interpretations

    doc = service.read_document(db_session=db, uid=uid, on=valid_on)
    stored = service.get_document(db_session=db, uid=uid)
    doc.interpretations = interpretations.refs_for_document(db_session=db, document=stored)
    return doc


def _summary_values(item: PolicyItem, document: DocumentRef, topics: list[str]) -> dict:
    return {
        "key": item.key,
        "name": item.name,
        "category": item.category,
        "benefit_kind": item.benefit_kind,
        "amount_max_yuan": _number(item.amount_max_yuan),
        "rate": _number(item.rate),
        "per": item.per,
        "cap_yuan": _number(item.cap_yuan),
        "months_max": item.months_max,
        "up_to": up_to(item),
        "per_person": '"per_person"' in json.dumps(item.formula or {}),
        "benefit": benefit_line(item),
        "applicant": item.applicant,
        "applicant_name": APPLICANT_NAMES.get(item.applicant, item.applicant),
        "departments": list(item.departments or []),
        "time_limit_days": item.time_limit_days,
        "clause": item.clause_path,
        "document": document,
        "topics": topics,
        "published_at": item.published_at,
    }


def items_page(
    db: Session,
    *,
    on: date,
    filters: catalog.ItemFilters,
    topic: str | None,
    limit: int,
    offset: int,
    department: str | None = None,
) -> ItemPagination:
    """A page of published items of documents in force on ``on``."""
    extra = [c for c in (topic_condition("item", topic), department_condition(department)) if c is not None]
    total, items = catalog.list_public_items(
        db_session=db, on=on, filters=filters, extra=extra, limit=limit, offset=offset
    )
    topics = topics_of(db, "item", [i.id for i in items])
    documents = service.document_refs(db_session=db, documents={i.document for i in items}, on=on)
    return ItemPagination(
        total=total,
        limit=limit,
        offset=offset,
        items=[
            ItemSummary(**_summary_values(i, documents[i.document_id], topics.get(i.id, []))) for i in items
        ],
    )


def item_detail(db: Session, key: str, on: date) -> ItemRead:
    """One published item with its rule in words and its exact source."""
    from zhengcetong.match.service import rule_text

    item, status = catalog.get_public_item(db_session=db, key=key, on=on)
    topics = topics_of(db, "item", [item.id]).get(item.id, [])
    return ItemRead(
        **_summary_values(item, service.document_ref(item.document, status, on), topics),
        condition=item.condition,
        conditions=item.conditions if item.conditions not in (None, {}) else True,
        formula=item.formula,
        rule=rule_text(conditions=item.conditions, formula=item.formula, on=on),
        quote=item.quote,
        start=item.start,
        end=item.end,
        explains=item.explains,
        non_cumulative=item.non_cumulative,
        version=item.version,
        published_by=item.published_by,
    )


def public_items_of(db: Session, document_id: int, on: date) -> list[PolicyItem]:
    """The published items of one document that the public sees on ``on`` (in document order)."""
    return list(
        db.scalars(
            select(PolicyItem)
            .join(Document)
            .where(PolicyItem.document_id == document_id, catalog.public_item_clause(on))
            .order_by(PolicyItem.position)
        )
    )


def normative_list(db: Session, *, on: date, only_valid: bool) -> NormativeList:
    """现行有效规范性文件 by issuer."""
    groups = catalog.normative_documents(db_session=db, on=on, only_valid=only_valid)
    return NormativeList(
        on=on,
        only_valid=only_valid,
        total=sum(len(g.documents) for g in groups),
        groups=[NormativeGroup(issuer=g.issuer, documents=g.documents) for g in groups],
    )


def home(db: Session, on: date) -> dict:
    """The home page: counts, topics, the latest documents in force and the latest published items."""
    _, latest = service.list_documents(db_session=db, valid_on=on, only_valid=True, limit=8)
    items = items_page(db, on=on, filters=catalog.ItemFilters(), topic=None, limit=6, offset=0)
    return {
        "on": on,
        "overview": catalog.overview(db_session=db, on=on).__dict__,
        "topics": [{"name": n, "count": c} for n, c in topic_counts(db, on)],
        "latest_documents": [d.model_dump() for d in latest],
        "latest_items": [i.model_dump() for i in items.items],
        "suggestions": suggestions(db_session=db, today=on),
    }


__all__ = [
    "DocumentRef",
    "document_detail",
    "document_page",
    "home",
    "item_detail",
    "items_page",
    "normative_list",
    "public_items_of",
    "topic_counts",
    "topics_of",
]
