"""In-memory search columns (zhengcetong.search.backends.fts5.columns.Snapshot) on hand-made rows."""

from __future__ import annotations

from datetime import date

import numpy as np

from zhengcetong.search.backends.fts5.columns import Snapshot
from zhengcetong.search.schemas import SearchRequest
from zhengcetong.search.topics import mask_of

# id, public, document_id, amount, kind, issuer, year, doc_kind, topics, benefit_kind, category, departments,
# ntokens
ROWS = [
    (1, 1, 10, None, "clause", "甲市人民政府", 2025, "notice", mask_of(["人才"]), None, None, "", 9),
    (
        2,
        1,
        10,
        80_000,
        "item",
        "甲市人民政府",
        2025,
        "notice",
        mask_of(["人才"]),
        "award",
        "奖补",
        "|市财政局|",
        12,
    ),
    (
        3,
        1,
        11,
        2_000_000,
        "item",
        "乙市财政局",
        2026,
        "opinion",
        0,
        "subsidy",
        "奖补",
        "|市财政局||市科技局|",
        30,
    ),
    (4, 0, 11, None, "clause", "乙市财政局", 2026, "opinion", 0, None, None, "", 5),  # a draft
    (6, 1, None, None, "interpretation", None, None, None, mask_of(["就业创业"]), None, None, "", 40),
]
# document 10: 2025-01-01 to 2026-12-31; document 11: from 2026-03-01, repealed from 2026-09-01
DOCUMENTS = [(10, "2025-01-01", "2026-12-31"), (11, "2026-03-01", None)]
REPEALS = [(11, "2026-09-01"), (11, None)]


def _snapshot(repeals=REPEALS[:1]) -> Snapshot:
    snapshot = Snapshot.empty(seq=7, size=7, documents=12)
    snapshot.set_documents([], DOCUMENTS, repeals)
    snapshot.set([], ROWS)
    return snapshot


def _passing(snapshot: Snapshot, today: date, **filters) -> list[int]:
    ids = np.arange(0, 9, dtype=np.int64)  # 7 and 8 are beyond the arrays: committed after the check
    return snapshot.passing(ids, SearchRequest(q="x", **filters), today).tolist()


def test_validity_days_follow_starts_ends_and_the_earliest_repeal():
    snapshot = _snapshot()
    assert snapshot.in_force(date(2025, 6, 1))[[0, 10, 11]].tolist() == [False, True, False]
    assert snapshot.in_force(date(2026, 3, 1))[[10, 11]].tolist() == [True, True]
    assert snapshot.in_force(date(2026, 9, 1))[[10, 11]].tolist() == [True, False]  # repealed that day
    assert snapshot.in_force(date(2027, 1, 1))[[10, 11]].tolist() == [False, False]  # ended
    assert not _snapshot(REPEALS).in_force(date(2026, 5, 1))[11]  # a repeal without a date: at once


def test_public_items_need_a_document_in_force_and_drafts_never_show():
    snapshot = _snapshot()
    assert _passing(snapshot, date(2026, 6, 1)) == [1, 2, 3, 6]
    assert _passing(snapshot, date(2026, 10, 1)) == [1, 2, 6]  # document 11 repealed: its item goes
    assert _passing(snapshot, date(2026, 6, 1), valid_on=date(2025, 6, 1)) == [1, 2]  # no document: out


def test_every_filter_is_a_lookup():
    snapshot = _snapshot()
    today = date(2026, 6, 1)
    assert _passing(snapshot, today, kind=["item", "interpretation"]) == [2, 3, 6]
    assert _passing(snapshot, today, issuer="乙市财政局") == [3]
    assert _passing(snapshot, today, issuer="丙市") == []
    assert _passing(snapshot, today, year=2025) == [1, 2]
    assert _passing(snapshot, today, doc_kind="opinion") == [3]
    assert _passing(snapshot, today, topic="人才") == [1, 2]
    assert _passing(snapshot, today, department="市科技局") == [3]
    assert _passing(snapshot, today, department="市科技") == []  # whole names only
    assert _passing(snapshot, today, benefit_kind="award") == [2]
    assert _passing(snapshot, today, category="奖补") == [2, 3]
    assert _passing(snapshot, today, amount="10万元以下") == [2]
    assert _passing(snapshot, today, amount="100万–500万元") == [3]


def test_tally_counts_each_facet_and_changes_replace_rows():
    snapshot = _snapshot()
    counts = {
        k: {v.value: v.count for v in vs} for k, vs in snapshot.tally(np.array([1, 2, 3, 9])).facets().items()
    }
    assert counts["kind"] == {"clause": 1, "item": 2}
    assert counts["department"] == {"市财政局": 2, "市科技局": 1}
    assert counts["amount"] == {"10万元以下": 1, "100万–500万元": 1}
    assert counts["topic"] == {"人才": 2}
    changed = snapshot.copy(seq=8, size=10, documents=12)
    changed.set([2, 3], [(3, 1, 11, None, "clause", "乙市财政局", 2026, "opinion", 0, None, None, "", 7)])
    assert changed.ntokens[[1, 2, 3]].tolist() == [9, 0, 7] and snapshot.ntokens[3] == 30
    assert changed.present.tolist()[:5] == [False, True, False, True, True] and changed.size == 10
    assert snapshot.present[2]  # the older snapshot is untouched
    assert _passing(changed, date(2026, 6, 1)) == [1, 3, 6]
    kinds = {v.value: v.count for v in changed.tally(np.array([1, 3, 6])).facets()["kind"]}
    assert kinds == {"clause": 2, "interpretation": 1}
