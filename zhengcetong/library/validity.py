"""A document's legal status on a date: 未生效, 现行有效, 已失效, 已废止 or 已修改.

A pure function of the document's dates and of the repeal/amend relations that later documents aim at it,
so the CLI, the pages and the review queue all answer the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, Protocol


class DocumentStatus(StrEnum):
    """The five statuses the library shows."""

    NOT_YET = "未生效"
    IN_FORCE = "现行有效"
    EXPIRED = "已失效"
    REPEALED = "已废止"
    AMENDED = "已修改"


IN_FORCE_STATUSES = (DocumentStatus.IN_FORCE, DocumentStatus.AMENDED)


class Dated(Protocol):
    """Anything with a document's dates: a Document row, a ParsedDocument, a DocumentSummary."""

    date: date | None
    effective_from: date | None
    effective_until: date | None


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
