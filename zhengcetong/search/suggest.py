"""Suggested searches, taken from what the library holds (the home page's 大家在搜, the search box).

A suggestion is a policy term (a word of the shipped domain dictionary) that names many of the
published items, or a real 文号: the document in force with the most published items. Every
candidate is searched before it is shown, so a suggestion always finds something. The list is kept
per database until the index changes (its newest entry), the day changes, or ten minutes pass.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengcetong.library import Document, in_force_clause
from zhengcetong.search.analyzer import domain_words
from zhengcetong.search.models import SearchEntry
from zhengcetong.search.schemas import SearchRequest

WORDS = 5  # policy terms shown, then one 文号
CANDIDATES = 40  # the most frequent terms tried, at most
TTL_SECONDS = 600.0
_lock = threading.Lock()
_cache: dict[str, tuple[tuple, float, list[str]]] = {}  # database → (stamp, expiry, suggestions)


def suggestions(*, db_session: Session, today: date) -> list[str]:
    """A few searches that find something in this library: frequent item terms, then a 文号."""
    url = str(db_session.get_bind().engine.url)
    stamp = (db_session.scalar(select(func.max(SearchEntry.id))), today)
    cached = _cache.get(url)
    if cached and cached[0] == stamp and cached[1] > time.monotonic():
        return cached[2]
    found = _compute(db_session, today)
    with _lock:
        _cache[url] = (stamp, time.monotonic() + TTL_SECONDS, found)
    return found


def _finds_something(db_session: Session, q: str, today: date) -> bool:
    from zhengcetong.search.service import search

    page = search(db_session=db_session, request=SearchRequest(q=q, limit=1), today=today)
    return bool(page.total or page.exact)


def _item_terms(db_session: Session) -> list[str]:
    """Domain dictionary words in the titles of the published items, most items first, then longest."""
    policy_terms = {word for word, _ in domain_words()}
    counts: Counter[str] = Counter()
    titles = db_session.scalars(
        select(SearchEntry.tok_title).where(SearchEntry.kind == "item", SearchEntry.public.is_(True))
    )
    for tokens in titles:
        counts.update({t for t in (tokens or "").strip("|").split("||") if t in policy_terms})
    return sorted(counts, key=lambda t: (-counts[t], -len(t), t))[:CANDIDATES]


def _doc_number(db_session: Session, today: date) -> str | None:
    """The 文号 of the document with the most published items (ties: the newest)."""
    row = db_session.execute(
        select(Document.doc_number)
        .join(SearchEntry, SearchEntry.document_id == Document.id)
        .where(
            Document.doc_number.is_not(None),
            SearchEntry.kind == "item",
            SearchEntry.public.is_(True),
            in_force_clause(today),
        )
        .group_by(Document.id, Document.doc_number, Document.date)
        .order_by(func.count().desc(), Document.date.desc(), Document.id.desc())
        .limit(1)
    ).first()
    return row[0] if row else None


def _compute(db_session: Session, today: date) -> list[str]:
    chosen: list[str] = []
    for term in _item_terms(db_session):
        if len(chosen) >= WORDS:
            break
        if any(term in c or c in term for c in chosen):  # 专精特新 adds nothing to 专精特新企业
            continue
        if _finds_something(db_session, term, today):
            chosen.append(term)
    number = _doc_number(db_session, today)
    if number and _finds_something(db_session, number, today):
        chosen.append(number)
    return chosen
