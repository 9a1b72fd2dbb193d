"""A document's legal status on a date: 未生效, 现行有效, 已失效, 已废止 or 已修改."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum


class DocumentStatus(StrEnum):
    """The five statuses the library shows."""

    NOT_YET = "未生效"
    IN_FORCE = "现行有效"
    EXPIRED = "已失效"
    REPEALED = "已废止"
    AMENDED = "已修改"


IN_FORCE_STATUSES = (DocumentStatus.IN_FORCE, DocumentStatus.AMENDED)


def status_on(
    on: date,
    *,
    issued: date | None,
    effective_from: date | None,
    effective_until: date | None,
    relations: Iterable[tuple[str, date | None]] = (),
) -> DocumentStatus:
    """Status on ``on``; ``relations`` are (action, effective_on) of later documents targeting this one.

    Examples:
        >>> d = dict(issued=date(2023, 5, 5), effective_from=date(2023, 6, 10), effective_until=date(2028, 6, 9))
        >>> [str(status_on(x, **d)) for x in (date(2023, 6, 1), date(2025, 9, 1), date(2028, 6, 10))]
        ['未生效', '现行有效', '已失效']
        >>> str(status_on(date(2025, 9, 1), relations=[("repeal", date(2025, 1, 1))], **d))
        '已废止'
        >>> str(status_on(date(2024, 9, 1), relations=[("repeal", date(2025, 1, 1))], **d))
        '现行有效'
    """
    relations = list(relations)
    if any(action == "repeal" and (when is None or when <= on) for action, when in relations):
        return DocumentStatus.REPEALED
    start = effective_from or issued
    if start is not None and on < start:
        return DocumentStatus.NOT_YET
    if effective_until is not None and on > effective_until:
        return DocumentStatus.EXPIRED
    if any(action == "amend" and (when is None or when <= on) for action, when in relations):
        return DocumentStatus.AMENDED
    return DocumentStatus.IN_FORCE
