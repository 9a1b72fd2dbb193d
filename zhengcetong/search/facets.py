"""Facet counts: how many hits each facet value has, whichever way the hits were counted.

The engines count a search's hits grouped by the stored facet columns (``COLUMNS``): SQL groups by
all of them at once (``Tally.add_rows``); the in-memory columns of ``zhengcetong.search.backends.fts5.columns``
count one column at a time (``Tally.add``). Either way the tally turns stored values into what the
result page shows: a topic mask counts for each of its topics, a departments list for each
department, and the facets come in a fixed order with their values sorted.
"""

from __future__ import annotations

from collections import defaultdict

from zhengcetong.library import BENEFIT_NAMES, DOCUMENT_KIND_NAMES
from zhengcetong.search.schemas import AMOUNT_BUCKETS, KIND_NAMES, FacetValue
from zhengcetong.search.topics import names as topic_names
from zhengcetong.search.topics import topic_names as all_topics

# The stored columns a search is grouped by ("bucket" is the amount's bucket label, computed).
COLUMNS = (
    "kind",
    "issuer",
    "year",
    "doc_kind",
    "topics",
    "benefit_kind",
    "category",
    "bucket",
    "departments",
)
# The facet each column counts for, in the order facets are shown.
FACET_OF = {
    "kind": "kind",
    "issuer": "issuer",
    "year": "year",
    "doc_kind": "doc_kind",
    "topics": "topic",
    "benefit_kind": "benefit_kind",
    "category": "category",
    "bucket": "amount",
    "departments": "department",
}
_LABELS = {"kind": KIND_NAMES, "doc_kind": DOCUMENT_KIND_NAMES, "benefit_kind": BENEFIT_NAMES}


class Tally:
    """Counts per facet value, and the number of hits."""

    def __init__(self) -> None:
        self.total = 0
        self.counts: dict[str, defaultdict[str, int]] = {f: defaultdict(int) for f in FACET_OF.values()}
        self._topics: dict[int, list[str]] = {}  # few distinct masks and lists, many hits
        self._departments: dict[str, list[str]] = {}

    def add(self, column: str, value, n: int) -> None:
        """Count ``n`` hits whose ``column`` holds ``value`` (no value counts for nothing)."""
        if not value or not n:
            return
        counts = self.counts[FACET_OF[column]]
        if column == "topics":
            found = self._topics.get(value)
            if found is None:
                found = self._topics[value] = topic_names(value)
            for name in found:
                counts[name] += n
        elif column == "departments":
            found = self._departments.get(value)
            if found is None:
                found = self._departments[value] = [d for d in value.split("|") if d]
            for department in found:
                counts[department] += n
        else:
            counts[str(value) if column == "year" else value] += n

    def add_rows(self, rows) -> Tally:
        """Count grouped rows: the values of COLUMNS, then the number of hits."""
        for row in rows:
            n = row[-1]
            self.total += n
            for column, value in zip(COLUMNS, row[:-1], strict=True):
                self.add(column, value, n)
        return self

    def facets(self) -> dict[str, list[FacetValue]]:
        """The facets with at least one value, each value with its label and count."""
        orders = {
            "kind": list(KIND_NAMES),
            "topic": all_topics(),
            "amount": [label for label, _, _ in AMOUNT_BUCKETS],
        }
        out: dict[str, list[FacetValue]] = {}
        for name, values in self.counts.items():
            if not values:
                continue
            if name in orders:
                keys = [k for k in orders[name] if k in values]
            elif name == "year":
                keys = sorted(values, reverse=True)
            else:
                keys = sorted(values, key=lambda k: (-values[k], k))
            labels = _LABELS.get(name, {})
            out[name] = [FacetValue(value=k, label=labels.get(k, k), count=values[k]) for k in keys]
        return out
