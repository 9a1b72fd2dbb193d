"""Pages of a list: the offset every list accepts, and the links and wording of one page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from zhengcetong.search import MAX_OFFSET
from zhengcetong.web.params import query_string

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"跳过的条数（0–{MAX_OFFSET}）")]


@dataclass(frozen=True)
class Pager:
    """Where one page sits in a list, and the links to its neighbours."""

    total: int
    offset: int
    shown: int
    prev_url: str | None
    next_url: str | None
    last_url: str | None  # set when the offset lies past the end: the last page that has rows

    @property
    def first(self) -> int:
        return self.offset + 1 if self.shown else 0

    @property
    def last(self) -> int:
        return self.offset + self.shown

    @property
    def partial(self) -> bool:
        """Whether the page shows only part of the list (so the range is worth saying)."""
        return self.total > self.shown

    @property
    def past_end(self) -> bool:
        return self.last_url is not None


def pager(
    path: str, params: Mapping[str, object], *, offset: int, size: int, total: int, shown: int
) -> Pager:
    """The pager of a page of ``shown`` rows at ``offset`` in a list of ``total``.

    Examples:
        >>> p = pager("/items", {"q": "x"}, offset=20, size=20, total=45, shown=20)
        >>> p.prev_url, p.next_url, p.first, p.last, p.past_end
        ('/items?q=x', '/items?q=x&offset=40', 21, 40, False)
        >>> p = pager("/items", {}, offset=9000, size=20, total=45, shown=0)
        >>> p.prev_url, p.next_url, p.last_url, p.first
        (None, None, '/items?offset=40', 0)
    """
    if total and offset >= total:
        last_offset = (total - 1) // size * size
        return Pager(total, offset, 0, None, None, path + query_string(params, offset=last_offset or None))
    next_offset = offset + size
    return Pager(
        total=total,
        offset=offset,
        shown=shown,
        prev_url=path + query_string(params, offset=max(0, offset - size) or None) if offset else None,
        next_url=path + query_string(params, offset=next_offset)
        if next_offset < total and next_offset <= MAX_OFFSET
        else None,
        last_url=None,
    )
