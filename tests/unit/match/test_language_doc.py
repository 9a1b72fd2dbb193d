"""LANGUAGE.md stays true: its tagged examples compile and evaluate, and every fact is documented."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from zhengcetong.match.conditions import evaluate, to_text
from zhengcetong.match.formulas import compute
from zhengcetong.match.profile import FACTS, check_profile
from zhengcetong.match.rules import Rule

DOC = (Path(__file__).resolve().parents[3] / "zhengcetong" / "match" / "LANGUAGE.md").read_text(
    encoding="utf-8"
)
BLOCKS = [(m.group(1), json.loads(m.group(2))) for m in re.finditer(r"```json (\w+)\n(.*?)```", DOC, re.S)]
PROFILE = next(data for kind, data in BLOCKS if kind == "profile")
ON = date(2026, 5, 1)


def test_there_are_examples_of_each_kind():
    assert {kind for kind, _ in BLOCKS} == {"condition", "formula", "rule", "profile"}


@pytest.mark.parametrize(("kind", "data"), BLOCKS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(BLOCKS)])
def test_examples_compile_and_run(kind, data):
    if kind == "profile":
        assert check_profile(data) == []
    elif kind == "condition":
        assert evaluate(data, PROFILE, ON).value is True
        assert to_text(data) in DOC.replace("\n", "")
    elif kind == "formula":
        c = compute(data, PROFILE, ON)
        assert c.missing == [] and c.amount > 0
    else:
        outcome = Rule.from_dict(data).evaluate(PROFILE, ON)
        assert outcome.eligible == "eligible" and outcome.amount == 80000


def test_every_fact_is_in_the_schema_table():
    for name in FACTS:
        assert f"| `{name}` |" in DOC, f"{name} is not documented in LANGUAGE.md"


def test_the_documented_steps_are_the_real_ones():
    formula = next(data for kind, data in BLOCKS if kind == "formula")
    profile = {"mu_chan_grade": "C", "projects": [{"kind": "技术改造", "equipment_cost": 3000000}]}
    for step in compute(formula, profile, ON).steps:
        assert step in DOC
