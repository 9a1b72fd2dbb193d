"""Facet counts from the facet query's rows: every facet counted, facets in a fixed order."""

from __future__ import annotations

from zhengcetong.search.facets import Tally
from zhengcetong.search.topics import mask_of

# kind, issuer, year, doc_kind, topics, benefit_kind, category, bucket, departments, n
ROWS = [
    ("clause", None, None, None, 0, None, None, None, "", 3),
    ("clause", "青禾市人民政府", 2026, "notice", mask_of(["人才"]), None, None, None, "", 5),
    (
        "item",
        "青禾市人民政府",
        2026,
        "notice",
        mask_of(["人才", "科技创新"]),
        "award",
        "奖补",
        "10万元以下",
        "|市财政局||市科技局|",
        2,
    ),
    (
        "item",
        "青禾市财政局",
        2025,
        "notice",
        mask_of(["人才"]),
        "subsidy",
        "奖补",
        "10万元以下",
        "|市财政局|",
        1,
    ),
]


def _facets(rows):
    return Tally().add_rows(rows).facets()


def test_every_facet_counts_its_values():
    tally = Tally().add_rows(ROWS)
    assert tally.total == 11
    facets = tally.facets()
    counts = {name: {v.value: v.count for v in values} for name, values in facets.items()}
    assert counts == {
        "kind": {"clause": 8, "item": 3},
        "issuer": {"青禾市人民政府": 7, "青禾市财政局": 1},
        "year": {"2026": 7, "2025": 1},
        "doc_kind": {"notice": 8},
        "topic": {"科技创新": 2, "人才": 8},
        "benefit_kind": {"award": 2, "subsidy": 1},
        "category": {"奖补": 3},
        "amount": {"10万元以下": 3},
        "department": {"市财政局": 3, "市科技局": 2},
    }
    assert [v.value for v in facets["issuer"]] == ["青禾市人民政府", "青禾市财政局"]  # most hits first
    assert [v.value for v in facets["year"]] == ["2026", "2025"]  # newest first
    assert [v.label for v in facets["kind"]] == ["条款", "政策事项"]


def test_facets_come_in_a_fixed_order_and_only_with_values():
    assert list(_facets(ROWS)) == [
        "kind",
        "issuer",
        "year",
        "doc_kind",
        "topic",
        "benefit_kind",
        "category",
        "amount",
        "department",
    ]
    late_issuer = [("clause", None, None, None, mask_of(["人才"]), None, None, None, "", 1), ROWS[1]]
    assert list(_facets(late_issuer)) == ["kind", "issuer", "year", "doc_kind", "topic"]
    assert list(_facets([ROWS[0]])) == ["kind"]
    assert _facets([]) == {}
