"""A document's legal status on a date: 未生效, 现行有效, 已失效, 已废止 or 已修改.

``status_on`` is a pure function of the document's dates and of the repeal/amend relations that later
documents aim at it. ``validity_on`` (many stored documents, one query) and ``validity_of`` (one) read
those relations from the library and apply it: the one way every list, page, search hit, item and
interpretation works out a document's validity, so the CLI, the pages and the review queue all answer
the same way. ``in_force_period`` turns the same rule into the first and last day in force.

Only documents with legal effect have a validity: an appointment notice (任免) or a chronicle (大事记)
records what happened and is never "现行有效" (``has_legal_effect``); its references carry no status.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengcetong.library.models import DocumentRelation


class DocumentStatus(StrEnum):
    """The five statuses the library shows."""

    NOT_YET = "未生效"
    IN_FORCE = "现行有效"
    EXPIRED = "已失效"
    REPEALED = "已废止"
    AMENDED = "已修改"

    @property
    def in_force(self) -> bool:
        """现行有效 or 已修改: its items are public, it counts as in force in lists and search."""
        return self in IN_FORCE_STATUSES

    @property
    def lapsed(self) -> bool:
        """已失效 or 已废止: its published items are withdrawn."""
        return self in LAPSED_STATUSES


IN_FORCE_STATUSES = (DocumentStatus.IN_FORCE, DocumentStatus.AMENDED)
WITHOUT_LEGAL_EFFECT = ("appointment", "chronicle")  # 任免通知, 大事记: records of events, not rules


def has_legal_effect(kind: str | None) -> bool:
    """Whether documents of this kind have a validity (未生效 … 已废止) at all.

    Examples:
        >>> has_legal_effect("notice"), has_legal_effect("appointment"), has_legal_effect("chronicle")
        (True, False, False)
    """
    return kind not in WITHOUT_LEGAL_EFFECT


LAPSED_STATUSES = (DocumentStatus.EXPIRED, DocumentStatus.REPEALED)


class Dated(Protocol):
    """Anything with a document's dates: a Document row, a ParsedDocument, a DocumentRef."""

    date: date | None
    effective_from: date | None
    effective_until: date | None


class StoredDated(Dated, Protocol):
    """A stored document's dates and id: a Document row, or a row of its columns."""

    id: int


def _action_and_day(relation: Any) -> tuple[str, date | None]:
    """(action, effective_on) of a relation given as a tuple, a dict or an object with those attributes."""
    if isinstance(relation, tuple):
        return relation[0], relation[1]
    if isinstance(relation, dict):
        return relation["action"], relation.get("effective_on")
    return relation.action, relation.effective_on


def status_on(doc: Dated, on: date, relations: Iterable[Any] = ()) -> DocumentStatus:
    """Status of ``doc`` on ``on``; ``relations`` are the repeals/amendments aimed at it by later documents.

    The document is in force from ``effective_from`` (else from its date, 成文日期) to ``effective_until``
    inclusive. A repeal takes it out of force from the repeal's ``effective_on``; when the document had
    already lapsed by then it stays 已失效. An amendment in effect leaves it in force as 已修改. A relation
    without a date counts as in effect. A document with no dates at all is 现行有效.

    Examples:
        >>> from types import SimpleNamespace as Doc
        >>> doc = Doc(date=date(2023, 5, 5), effective_from=date(2023, 6, 10), effective_until=date(2028, 6, 9))
        >>> [str(status_on(doc, d)) for d in (date(2023, 6, 9), date(2023, 6, 10), date(2028, 6, 10))]
        ['未生效', '现行有效', '已失效']
        >>> str(status_on(doc, date(2025, 9, 1), [("repeal", date(2025, 1, 1))]))
        '已废止'
        >>> str(status_on(doc, date(2024, 12, 31), [("repeal", date(2025, 1, 1))]))
        '现行有效'
        >>> str(status_on(doc, date(2025, 9, 1), [("amend", date(2025, 1, 1))]))
        '已修改'
        >>> str(status_on(Doc(date=date(2023, 5, 5), effective_from=None, effective_until=None), date(2023, 5, 4)))
        '未生效'
    """
    pairs = [_action_and_day(r) for r in relations]
    in_effect = [(action, day) for action, day in pairs if day is None or day <= on]
    repealed_on = [day for action, day in in_effect if action == "repeal"]
    until = doc.effective_until
    if repealed_on:
        first = min((d for d in repealed_on if d is not None), default=None)
        if until is not None and first is not None and until < first:
            return DocumentStatus.EXPIRED
        return DocumentStatus.REPEALED
    start = doc.effective_from or doc.date
    if start is not None and on < start:
        return DocumentStatus.NOT_YET
    if until is not None and on > until:
        return DocumentStatus.EXPIRED
    if any(action == "amend" for action, _ in in_effect):
        return DocumentStatus.AMENDED
    return DocumentStatus.IN_FORCE


def _relations_aimed_at(db_session: Session, ids: Iterable[int]) -> dict[int, list[tuple[str, date | None]]]:
    """The (action, effective_on) of the repeals and amendments aimed at each document, in one query."""
    found: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return found
    rows = db_session.execute(
        select(
            DocumentRelation.target_document_id, DocumentRelation.action, DocumentRelation.effective_on
        ).where(DocumentRelation.target_document_id.in_(wanted))
    )
    for target, action, when in rows:
        found[target].append((action, when))
    return found


def validity_on(
    *, db_session: Session, documents: Iterable[StoredDated], on: date
) -> dict[int, DocumentStatus]:
    """The status on ``on`` of each stored document, by document id (one query for all of them)."""
    documents = list(documents)
    relations = _relations_aimed_at(db_session, (d.id for d in documents))
    return {d.id: status_on(d, on, relations.get(d.id, ())) for d in documents}


def validity_of(*, db_session: Session, document: StoredDated, on: date) -> DocumentStatus:
    """The status of one stored document on ``on``."""
    return validity_on(db_session=db_session, documents=[document], on=on)[document.id]


def in_force_period(*, db_session: Session, document: StoredDated) -> tuple[date | None, date | None]:
    """The first and last day the document is in force (None: open), as :func:`status_on` counts them.

    It starts on 施行日期 (else 成文日期) and ends on 有效期 or the day before a repeal takes effect, whichever
    comes first. An amendment leaves it in force. (Ingest dates every repeal; an undated one is left out.)
    """
    start = document.effective_from or document.date
    until = document.effective_until
    for action, day in _relations_aimed_at(db_session, [document.id]).get(document.id, []):
        if action == "repeal" and day is not None:
            last = day - timedelta(days=1)
            until = last if until is None else min(until, last)
    return start, until
