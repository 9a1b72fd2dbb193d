"""The null engine (``ZCT_SEARCH_BACKEND=null``): every search is empty."""

from __future__ import annotations

from zhengcetong.search.bm25 import Ranked
from zhengcetong.search.facets import Tally


class NullBackend:
    """No full-text engine: every search is empty."""

    name = "null"

    def top(self, db, query, request, today) -> list[Ranked]:
        return []

    def facets(self, db, query, request, today) -> Tally:
        return Tally()
