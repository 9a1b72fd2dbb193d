"""Scoring item extraction against the labelled set in ``tests/cases/items/`` (its README.md); used by
its tests (tests/unit/ingest/test_items_quality.py) and bench/extract_quality.py, not by the product.

A labelled item matches an extracted item of the same document and clause when the amount is the same
(or both none), the rate is the same (or both none) and the labelled subject occurs in the item's
condition or name (compared after NFKC, traditional to simplified, with spaces and quotation marks
removed). Each label matches at most one item and each item at most one label; the pairing is a
maximum matching, so the score does not depend on the order of the labels. Precision, recall and F1
follow; category, ``per`` and ``months_max`` are secondary accuracies on the matched pairs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhengcetong.chinese import to_simplified
from zhengcetong.ingest.measures import ExtractedItem, extract_items
from zhengcetong.library.records import ParsedDocument

SPLITS = ("seeds", "own_dev", "own_heldout", "web_dev", "web_test")
HELDOUT = ("own_heldout", "web_test")  # scored in total only: no misses, extras or per-kind rows listed
_QUOTES_RE = re.compile(r"[\s\u3000\"'“”‘’「」『』]+")


@dataclass(frozen=True)
class Label:
    """One labelled item."""

    doc_number: str | None
    clause: str
    subject: str
    category: str
    amount: Decimal | None = None
    rate: Decimal | None = None
    per: str | None = None
    months_max: int | None = None
    source: str = ""  # the seed file, sample file or own case id it belongs to
    natural_clause: bool = False  # the clause is the numbering the text shows (the web set), see natural_path

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], *, doc_number: str | None, source: str, natural_clause: bool = False
    ) -> Label:
        """A label from its YAML mapping (``doc_number`` given when the mapping has none)."""
        return cls(
            doc_number=data.get("doc_number", doc_number),
            clause=str(data["clause"]),
            subject=str(data["subject"]),
            category=str(data["category"]),
            amount=_decimal(data.get("amount")),
            rate=_decimal(data.get("rate")),
            per=data.get("per"),
            months_max=data.get("months_max"),
            source=source,
            natural_clause=natural_clause,
        )


@dataclass
class Score:
    """Counts, the three figures and the secondary accuracies on matched items."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    category_ok: int = 0
    per_ok: int = 0
    per_n: int = 0
    months_ok: int = 0
    months_n: int = 0
    missed: list[Label] = field(default_factory=list)
    extra: list[ExtractedItem] = field(default_factory=list)

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

    @property
    def category_accuracy(self) -> float:
        return self.category_ok / self.matched if self.matched else 1.0

    @property
    def per_accuracy(self) -> float:
        return self.per_ok / self.per_n if self.per_n else 1.0

    @property
    def months_accuracy(self) -> float:
        return self.months_ok / self.months_n if self.months_n else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            *(getattr(self, f) + getattr(other, f) for f in _COUNTS),
            missed=self.missed + other.missed,
            extra=self.extra + other.extra,
        )


_COUNTS = ("gold", "predicted", "matched", "category_ok", "per_ok", "per_n", "months_ok", "months_n")


@dataclass
class Case:
    """Documents and their labels: every item extracted from ``documents`` is scored.

    The web set (``web_dev.yaml``, ``web_test.yaml``) also records what kind of passage it is, where it
    comes from and what its title, 文号 and issuer should be read as; ``refused`` is the parser's message
    when it found no document in the passage (all its labels then count as missed).
    """

    source: str
    documents: list[ParsedDocument]
    labels: list[Label]
    kind: str = ""
    province: str = ""
    source_url: str = ""
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    refused: str | None = None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def normalise(text: str) -> str:
    """The form subjects are compared in: NFKC, simplified script, no spaces or quotation marks.

    Examples:
        >>> normalise("“小巨人” 企業")
        '小巨人企业'
    """
    return _QUOTES_RE.sub("", to_simplified(unicodedata.normalize("NFKC", text)))


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < Decimal("0.000001")


def natural_path(path: str) -> str:
    """A parser clause path as the numbering the text shows: without the parser's numbers for unnumbered
    paragraphs (``¶2``) and without its suffixes that tell repeated numbers apart (``1~2``).

    Examples:
        >>> [natural_path(p) for p in ["¶3", "一/¶2", "1~2", "一/（二）/3", "第二章/第四条/¶1"]]
        ['', '一', '1', '一/（二）/3', '第二章/第四条']
    """
    parts = [part.split("~")[0] for part in path.split("/") if part and not part.startswith("¶")]
    return "/".join(parts)


def compatible(label: Label, item: ExtractedItem) -> bool:
    """True when ``item`` may be counted for ``label`` (document, clause, amount, rate, subject)."""
    clause = natural_path(item.clause) if label.natural_clause else item.clause
    return (
        item.doc_number == label.doc_number
        and clause == label.clause
        and _same(item.amount_max_yuan, label.amount)
        and _same(item.rate, label.rate)
        and normalise(label.subject) in normalise(item.condition + item.name)
    )


def _maximum_matching(edges: list[list[int]], n_items: int) -> list[int | None]:
    """Kuhn's augmenting paths: for each label, the index of its item (or None)."""
    owner: list[int | None] = [None] * n_items

    def augment(label: int, seen: set[int]) -> bool:
        for item in edges[label]:
            if item in seen:
                continue
            seen.add(item)
            if owner[item] is None or augment(owner[item], seen):
                owner[item] = label
                return True
        return False

    for label in range(len(edges)):
        augment(label, set())
    pairs: list[int | None] = [None] * len(edges)
    for item, label in enumerate(owner):
        if label is not None:
            pairs[label] = item
    return pairs


def score(labels: list[Label], items: list[ExtractedItem]) -> Score:
    """Match labels with extracted items one to one and count."""
    edges = [[i for i, item in enumerate(items) if compatible(label, item)] for label in labels]
    pairs = _maximum_matching(edges, len(items))
    result = Score(gold=len(labels), predicted=len(items))
    used = set()
    for label, index in zip(labels, pairs, strict=True):
        if index is None:
            result.missed.append(label)
            continue
        item = items[index]
        used.add(index)
        result.matched += 1
        result.category_ok += item.category == label.category
        if label.per is not None:
            result.per_n += 1
            result.per_ok += item.per == label.per
        if label.months_max is not None:
            result.months_n += 1
            result.months_ok += item.months_max == label.months_max
    result.extra = [item for i, item in enumerate(items) if i not in used]
    return result


def score_cases(cases: list[Case]) -> Score:
    """The total score of several cases."""
    total = Score()
    for case in cases:
        items = [item for doc in case.documents for item in extract_items(doc)]
        total = total + score(case.labels, items)
    return total


def load_split(path: Path, *, seeds_dir: Path | None = None, samples_dir: Path | None = None) -> list[Case]:
    """The cases of one labelled file (``seeds.yaml``, ``own_*.yaml`` or ``web_*.yaml``).

    Gazette files (``files:`` of the seeds, ``samples:`` of our own sets) are parsed whole: every document
    in them is in scope, so an item from a document without labels counts against precision.
    Raise FileNotFoundError when a referenced seed or sample file is absent.
    """
    import yaml

    from zhengcetong.ingest.parse import parse_bytes

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    if data.get("files"):
        if seeds_dir is None:
            raise FileNotFoundError("seeds_dir is required for the seed labels")
        documents = []
        for name in data["files"]:
            documents += parse_bytes((seeds_dir / name).read_bytes(), name).documents
        labels = [
            Label.from_dict(item, doc_number=doc["doc_number"], source="seeds")
            for doc in data.get("documents") or []
            for item in doc.get("items") or []
        ]
        cases.append(Case("seeds", documents, labels))
    for sample in data.get("samples") or []:
        if samples_dir is None:
            raise FileNotFoundError("samples_dir is required for the sample gazette labels")
        name = sample["file"]
        documents = parse_bytes((samples_dir / name).read_bytes(), name).documents
        labels = [Label.from_dict(item, doc_number=None, source=name) for item in sample.get("items") or []]
        cases.append(Case(name, documents, labels))
    natural = data.get("clauses") == "natural"
    if not data.get("files"):
        for doc in data.get("documents") or []:
            documents, refused = _parse_passage(doc["text"], doc["id"])
            number = documents[0].doc_number if documents else None
            labels = [
                Label.from_dict(item, doc_number=number, source=doc["id"], natural_clause=natural)
                for item in doc["items"]
            ]
            cases.append(
                Case(
                    doc["id"],
                    documents,
                    labels,
                    kind=doc.get("kind", ""),
                    province=doc.get("province", ""),
                    source_url=doc.get("source_url", ""),
                    title=doc.get("title"),
                    doc_number=doc.get("doc_number"),
                    issuer=doc.get("issuer"),
                    refused=refused,
                )
            )
    return cases


def _parse_passage(text: str, source: str) -> tuple[list[ParsedDocument], str | None]:
    """The documents of one labelled passage, or none and the parser's message when it refuses it."""
    from zhengcetong.errors import InputError
    from zhengcetong.ingest.parse import parse_bytes

    try:
        return parse_bytes(text.encode("utf-8"), source).documents, None
    except InputError as exc:
        return [], str(exc)


def score_by_kind(cases: list[Case]) -> dict[str, Score]:
    """The total score of the cases of each kind of passage (the web set's ``kind``), in order of first use."""
    kinds: dict[str, list[Case]] = {}
    for case in cases:
        kinds.setdefault(case.kind, []).append(case)
    return {kind: score_cases(group) for kind, group in kinds.items()}


def clause_document(text: str, doc_number: str = "青政办发〔2026〕99号") -> ParsedDocument:
    """A one-clause document around a piece of policy text (for unit tests of phrasings)."""
    from zhengcetong.library.records import Clause

    simplified = to_simplified(text)
    clause = Clause(label="", path="¶1", text=simplified, start=0, end=len(simplified), level="paragraph")
    return ParsedDocument(
        doc_number=doc_number,
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


# --- condition typing (条件类型化) --------------------------------------------------------------------

UNTYPED_ROOTS = ("claims.", "answers.")  # facts only the applicant can settle: the condition is not typed


def untyped_phrases(conditions) -> list[str]:
    """The labels of the claims (and old ``answers.*`` questions) left in a condition tree.

    Examples:
        >>> untyped_phrases({"all": [{"fact": "revenue.last_year", "op": ">=", "value": 1},
        ...                          {"fact": "claims.q1", "op": "==", "value": True, "label": "入驻产业园区"}]})
        ['入驻产业园区']
    """
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            fact = node.get("fact")
            if isinstance(fact, str) and fact.startswith(UNTYPED_ROOTS):
                found.append(str(node.get("label") or fact))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(conditions)
    return found


@dataclass
class Typing:
    """How many items have fully typed conditions (no claim left), and the rest with their phrases."""

    total: int
    typed: int
    untyped: list[tuple[ExtractedItem, list[str]]]

    @property
    def share(self) -> float:
        return self.typed / self.total if self.total else 1.0


def condition_typing(items: list[ExtractedItem]) -> Typing:
    """The share of ``items`` whose conditions are fully typed, and the untyped ones."""
    untyped = [(item, phrases) for item in items if (phrases := untyped_phrases(item.conditions))]
    return Typing(len(items), len(items) - len(untyped), untyped)
