"""Scoring item extraction against a labelled set: precision, recall and F1.

An extracted item counts as correct when it matches an unmatched labelled item of the same document
and clause with the same amount (or both none), the same rate (or both none), and a condition that
contains the labelled subject (spaces ignored, traditional script converted).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from zhengcetong.ingest.measures import ExtractedItem, extract_items
from zhengcetong.ingest.schemas import Clause, ParsedDocument
from zhengcetong.ingest.text import remove_spaces, to_simplified


@dataclass
class Score:
    """Counts and the three figures."""

    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.gold + other.gold, self.predicted + other.predicted, self.matched + other.matched)


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(Decimal(str(a)) - Decimal(str(b))) < Decimal("0.000001")


def _norm(text: str) -> str:
    return remove_spaces(to_simplified(text))


def match(gold: list[dict], predicted: list[ExtractedItem], keyed: bool = True) -> Score:
    """Greedy one-to-one matching of labelled and extracted items."""
    used: set[int] = set()
    matched = 0
    for label in gold:
        for i, item in enumerate(predicted):
            if i in used:
                continue
            if keyed and (item.doc_number != label["doc"] or item.clause != label["clause"]):
                continue
            if not _same_number(item.amount_max_yuan, label.get("amount")):
                continue
            if not _same_number(item.rate, label.get("rate")):
                continue
            if _norm(label["subject"]) not in _norm(item.condition + item.name):
                continue
            used.add(i)
            matched += 1
            break
    return Score(gold=len(gold), predicted=len(predicted), matched=matched)


def clause_document(text: str) -> ParsedDocument:
    """A one-clause document around a measure's text (for the own-text labelled sets)."""
    simplified = to_simplified(text)
    clause = Clause(label="", path="¶1", text=simplified, start=0, end=len(simplified), level="paragraph")
    return ParsedDocument(
        doc_number="青政办发〔2026〕99号",
        issuer=None,
        title="测试",
        addressees=[],
        date=None,
        kind="notice",
        attached_titles=[],
        effective_from=None,
        effective_until=None,
        body=simplified,
        signature=None,
        clauses=[clause],
        tables=[],
    )


def score_cases(cases: list[dict]) -> Score:
    """Score a list of {text, items} cases (each text is one clause)."""
    total = Score(0, 0, 0)
    for case in cases:
        predicted = extract_items(clause_document(case["text"]))
        total = total + match(case["items"], predicted, keyed=False)
    return total


def score_gazettes(gold: list[dict], documents: list[ParsedDocument]) -> Score:
    """Score labelled items against every item extracted from ``documents``."""
    predicted = [item for doc in documents for item in extract_items(doc)]
    return match(gold, predicted)
