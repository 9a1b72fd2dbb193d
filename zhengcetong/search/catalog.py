"""What the portal's lists read from the search index: documents' and items' topics, and items'
responsible departments (stored on the entries as a topic bit mask and ``|a||b|``).

The web layer filters and labels its lists with these instead of reading the search tables itself.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengcetong.library import Document, PolicyItem, service
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.topics import mask_of, names, topic_names


def topic_condition(kind: str, topic: str | None):
    """SQL: the document (or item) has ``topic`` in the search index; None when no topic is asked for."""
    if not topic:
        return None
    bit = mask_of([topic])
    entries = select(SearchEntry.document_id if kind == "document" else SearchEntry.item_id).where(
        SearchEntry.kind == kind, SearchEntry.topics.op("&")(bit) != 0
    )
    return (Document.id if kind == "document" else PolicyItem.id).in_(entries)


def department_condition(department: str | None):
    """SQL: the item names ``department`` among its responsible departments (from the search index,
    where they are stored as ``|a||b|``); None when no department is asked for."""
    if not department:
        return None
    entries = select(SearchEntry.item_id).where(
        SearchEntry.kind == "item", SearchEntry.departments.contains(f"|{department}|", autoescape=True)
    )
    return PolicyItem.id.in_(entries)


def topics_of(db: Session, kind: str, ids: list[int]) -> dict[int, list[str]]:
    """Topic names of documents or items by id (from the search index)."""
    if not ids:
        return {}
    column = SearchEntry.document_id if kind == "document" else SearchEntry.item_id
    rows = db.execute(select(column, SearchEntry.topics).where(SearchEntry.kind == kind, column.in_(ids)))
    return {row[0]: names(row[1]) for row in rows}


def topic_counts(db: Session, on: date) -> list[tuple[str, int]]:
    """How many documents in force on ``on`` each topic has (every topic, in model order)."""
    masks = db.scalars(
        select(SearchEntry.topics)
        .join(Document, Document.id == SearchEntry.document_id)
        .where(SearchEntry.kind == "document", service.in_force_clause(on))
    )
    counts: Counter[str] = Counter()
    for mask in masks:
        counts.update(names(mask))
    return [(name, counts[name]) for name in topic_names()]
