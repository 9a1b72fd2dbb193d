"""What the portal's lists read from the search index: documents' and items' topics, and items'
responsible departments (stored on the entries as a topic bit mask and ``|a||b|``).

A document's topics are its own and those of its public items: a document whose item is tagged 人才
is about 人才 too, so its tags, the topic filter of the document list and the home page's topic counts
all agree with the tags the items show. The web layer filters and labels its lists with these instead
of reading the search tables itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from zhengcetong.library import Document, PolicyItem, service
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.topics import mask_of, names, topic_names


def _document_topics_select(bit: int | None = None):
    """SQL: (document id, topic mask) of each document's own entry and of its public items' entries."""
    conditions = [
        or_(
            SearchEntry.kind == "document",
            and_(SearchEntry.kind == "item", SearchEntry.public.is_(True)),
        ),
        SearchEntry.document_id.is_not(None),
    ]
    if bit is not None:
        conditions.append(SearchEntry.topics.op("&")(bit) != 0)
    return select(SearchEntry.document_id, SearchEntry.topics).where(*conditions)


def topic_condition(kind: str, topic: str | None):
    """SQL: the document (or item) has ``topic`` in the search index (a document: itself or one of its
    public items); None when no topic is asked for."""
    if not topic:
        return None
    bit = mask_of([topic])
    if kind == "document":
        return Document.id.in_(select(_document_topics_select(bit).subquery().c.document_id))
    entries = select(SearchEntry.item_id).where(
        SearchEntry.kind == kind, SearchEntry.topics.op("&")(bit) != 0
    )
    return PolicyItem.id.in_(entries)


def department_condition(department: str | None):
    """SQL: the item names ``department`` among its responsible departments (from the search index,
    where they are stored as ``|a||b|``); None when no department is asked for."""
    if not department:
        return None
    entries = select(SearchEntry.item_id).where(
        SearchEntry.kind == "item", SearchEntry.departments.contains(f"|{department}|", autoescape=True)
    )
    return PolicyItem.id.in_(entries)


def _masks_by_document(rows) -> dict[int, int]:
    masks: dict[int, int] = {}
    for document_id, mask in rows:
        masks[document_id] = masks.get(document_id, 0) | (mask or 0)
    return masks


def topics_of(db: Session, kind: str, ids: list[int]) -> dict[int, list[str]]:
    """Topic names of documents (their own and their public items') or items by id (from the search index)."""
    if not ids:
        return {}
    if kind == "document":
        query = _document_topics_select().where(SearchEntry.document_id.in_(ids))
        return {i: names(mask) for i, mask in _masks_by_document(db.execute(query)).items()}
    rows = db.execute(
        select(SearchEntry.item_id, SearchEntry.topics).where(
            SearchEntry.kind == kind, SearchEntry.item_id.in_(ids)
        )
    )
    return {row[0]: names(row[1]) for row in rows}


def topic_counts(db: Session, on: date) -> list[tuple[str, int]]:
    """How many documents in force on ``on`` each topic has (every topic, in model order): what the
    document list shows for that topic with only documents in force (``list_documents(only_valid=True)``)."""
    rows = db.execute(
        _document_topics_select()
        .join(Document, Document.id == SearchEntry.document_id)
        .where(service.valid_clause(on))
    )
    counts: Counter[str] = Counter()
    for mask in _masks_by_document(rows).values():
        counts.update(names(mask))
    return [(name, counts[name]) for name in topic_names()]
