"""The contract with extraction: what zhengcetong.ingest writes, the evaluator reads (LANGUAGE.md).

Extraction may name facts the profile schema does not know yet (the vocabulary grows), but the
shapes of conditions and formulas must always compile.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, seed_path
from zhengcetong.match.conditions import check_condition
from zhengcetong.match.formulas import check_formula, compute

SAMPLE = Path(__file__).resolve().parents[3] / "zhengcetong" / "samples" / "qinghe_2026_03.txt"
VOCABULARY = ("unknown fact", "has no field")  # problems that only mean "a fact the schema lacks"


def extracted(path: Path):
    measures = pytest.importorskip("zhengcetong.ingest.measures")
    from zhengcetong.ingest.parse import parse_bytes

    for doc in parse_bytes(path.read_bytes()).documents:
        yield from measures.extract_items(doc)


def shape_problems(items) -> list[str]:
    found = []
    for item in items:
        problems = check_condition(item.conditions or True)
        if item.formula is not None:
            problems += check_formula(item.formula)
        found += [
            f"{item.doc_number} {item.clause}: {p}"
            for p in problems
            if not any(v in p.en for v in VOCABULARY)
        ]
    return found


def test_the_sample_gazette_items_compile_and_compute():
    items = list(extracted(SAMPLE))
    assert items
    assert shape_problems(items) == []
    profile = {"project": {"eligible_cost": 1000000, "equipment_cost": 1000000}, "months": 12, "persons": []}
    for item in items:
        if item.formula is not None and not check_formula(item.formula):
            c = compute(item.formula, profile, date(2026, 5, 1))
            assert c.amount is None or c.amount >= 0


@pytest.mark.seeds
@pytest.mark.parametrize("issue", sorted(SEED_FILES))
def test_the_seed_gazette_items_have_valid_shapes(issue):
    assert shape_problems(list(extracted(seed_path(issue)))) == []
