"""The web set of real policy passages (tests/cases/items/web_dev.yaml and web_test.yaml) is well-formed.

No figures are asserted here: the extractor is not yet built for these passages (issue 16). These checks
keep the set what its README says it is: at least 40 real passages from at least 15 provinces outside
山东, every kind in both halves, a source for each, labels of the documented form, and nothing from the
seed gazettes.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.cases.quality import Label, compatible, load_split, normalise
from tests.conftest import SEEDS_DIR
from tests.unit.ingest.test_items_quality import item

CASES = Path(__file__).resolve().parents[2] / "cases" / "items"
HALVES = {"web_dev": "dev", "web_test": "heldout"}
KINDS = {"web_article", "news", "qa", "fragment", "traditional", "table", "no_header", "no_policy"}
CATEGORIES = {"奖补", "减免", "权益", "资质"}
PERS = {None, "once", "year", "month", "person"}
SHINGLE = 20  # characters of seed text that no passage may share (after normalise)


def half(name: str) -> dict:
    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


def passages() -> list[tuple[str, dict]]:
    return [(name, doc) for name in HALVES for doc in half(name)["documents"]]


def test_each_half_names_its_split_and_the_natural_clause_convention():
    for name, split in HALVES.items():
        data = half(name)
        assert data["split"] == split
        assert data["clauses"] == "natural"


def test_at_least_40_passages_with_distinct_ids():
    ids = [doc["id"] for _, doc in passages()]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_at_least_15_provinces_and_none_is_shandong():
    provinces = {doc["province"] for _, doc in passages()}
    assert len(provinces) >= 15, provinces
    assert not any("山东" in p for p in provinces)


def test_every_kind_is_in_both_halves_and_the_halves_alternate_within_a_kind():
    counts = {name: Counter(doc["kind"] for doc in half(name)["documents"]) for name in HALVES}
    for name, kinds in counts.items():
        assert set(kinds) == KINDS, (name, set(kinds) ^ KINDS)
    for kind in KINDS:  # the 1st, 3rd, … of a kind go to web_dev, the 2nd, 4th, … to web_test
        assert counts["web_dev"][kind] - counts["web_test"][kind] in (0, 1), kind


def test_every_passage_has_a_source_url_and_its_metadata():
    for _, doc in passages():
        assert doc["source_url"].startswith(("http://", "https://")), doc["id"]
        assert doc["kind"] in KINDS, doc["id"]
        assert doc["text"].strip(), doc["id"]
        assert "title" in doc, doc["id"]  # null where the passage shows none
        for key in ("title", "doc_number", "issuer"):
            assert doc.get(key) is None or isinstance(doc[key], str), (doc["id"], key)


def test_labels_have_the_documented_form():
    for _, doc in passages():
        text = normalise(doc["text"])
        assert isinstance(doc["items"], list), doc["id"]
        assert bool(doc["items"]) == (doc["kind"] != "no_policy"), doc["id"]
        for label in doc["items"]:
            where = (doc["id"], label.get("subject"))
            for key in ("amount", "rate"):
                value = label[key]  # present, and a number or null
                assert value is None or (isinstance(value, int | float) and not isinstance(value, bool)), (
                    where
                )
            assert isinstance(label["clause"], str), where
            assert label["category"] in CATEGORIES, where
            assert label.get("per") in PERS, where
            assert label.get("months_max") is None or isinstance(label["months_max"], int), where
            assert label["subject"] and normalise(label["subject"]) in text, where


def test_no_passage_shares_text_with_the_seed_gazettes():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"{SEEDS_DIR} is absent, so there is no seed text to compare with")
    from zhengcetong.ingest.decode import decode_bytes

    seed_paths = sorted(SEEDS_DIR.glob("*.txt"))
    assert seed_paths, SEEDS_DIR
    shingles: set[str] = set()
    for path in seed_paths:
        text = normalise(decode_bytes(path.read_bytes(), path.name)[0])
        shingles.update(text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1))
    for _, doc in passages():
        text = normalise(doc["text"])
        shared = [
            text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1) if text[i : i + SHINGLE] in shingles
        ]
        assert not shared, (doc["id"], shared[:3])


def test_both_halves_load_with_their_metadata_and_refused_passages_score_as_missed():
    for name in HALVES:
        docs = half(name)["documents"]
        cases = load_split(CASES / f"{name}.yaml")
        assert [c.source for c in cases] == [d["id"] for d in docs]
        for case, doc in zip(cases, docs, strict=True):
            assert (case.kind, case.province, case.source_url, case.title) == (
                doc["kind"],
                doc["province"],
                doc["source_url"],
                doc.get("title"),
            )
            assert len(case.labels) == len(doc["items"])
            assert all(label.natural_clause for label in case.labels)
            assert (case.refused is None) == bool(case.documents), case.source


def test_a_natural_clause_ignores_the_parsers_paragraph_numbers_and_repeat_suffixes():
    natural = Label.from_dict(
        {"clause": "一", "amount": 1, "rate": None, "subject": "企业", "category": "奖补"},
        doc_number="青政发〔2026〕1号",
        source="test",
        natural_clause=True,
    )
    exact = Label.from_dict(
        {"clause": "一", "amount": 1, "rate": None, "subject": "企业", "category": "奖补"},
        doc_number="青政发〔2026〕1号",
        source="test",
    )
    for clause, expected in (("一", True), ("一/¶2", True), ("一~2", True), ("二", False), ("一/1", False)):
        got = item(clause=clause, amount=Decimal(1), condition="企业")
        assert compatible(natural, got) is expected, clause
        assert compatible(exact, got) is (clause == "一"), clause
