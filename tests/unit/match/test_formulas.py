"""The formula language: Decimal arithmetic, caps, per-month and per-person amounts, cases, grades, steps."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhengcetong.match.errors import FormulaError
from zhengcetong.match.formulas import check_formula, compile_formula, compute, from_yaml, referenced_facts

ON = date(2026, 5, 1)
EQUIPMENT = {"fact": "projects[kind=技术改造].equipment_cost", "label": "设备购置金额"}
PROJECT = {"projects": [{"kind": "技术改造", "equipment_cost": 3000000}]}


def amount(formula, profile=None, on=ON):
    c = compute(formula, profile or {}, on)
    quiet = compute(formula, profile or {}, on, explain=False)
    assert (quiet.amount, quiet.missing) == (c.amount, c.missing)
    return c.amount


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        (300000, "300000"),
        ("12.345", "12.35"),  # rounded to 分, half up
        ({"const": 0.1, "unit": "ratio"}, "0.1"),
        ({"op": "+", "args": [0.1, 0.2]}, "0.30"),  # Decimal, not binary floats
        ({"op": "-", "args": [100, 30, 20]}, "50"),
        ({"op": "*", "args": [3000000, 0.1]}, "300000"),
        ({"op": "/", "args": [100, 3]}, "33.33"),
        ({"op": "min", "args": [5, 3, 4]}, "3"),
        ({"op": "max", "args": [5, 3, 4]}, "5"),
        ({"op": "-", "args": [10, 30]}, "0"),  # a benefit is never negative
        ({"round": {"op": "/", "args": [1000, 3]}, "to": "yuan"}, "333"),
        ({"round": {"op": "/", "args": [1001, 2]}, "to": "yuan"}, "501"),
        ({"round": {"op": "/", "args": [1001, 2]}, "to": "yuan", "mode": "down"}, "500"),
        ({"round": 123456, "to": "wan"}, "120000"),
        ({"round": 0.015, "to": "fen", "mode": "up"}, "0.02"),
        ({"rate": 0.1, "base": 3000000}, "300000"),
        ({"rate": 0.1, "base": 30000000, "cap": 2000000}, "2000000"),
        ({"per_month": 3000, "months": 12}, "36000"),
        ({"per_month": 3000, "months": 40, "max_months": 24}, "72000"),
        ({"per_person": 5000, "persons": 12, "max_persons": 10}, "50000"),
        ({"per": 100, "times": 7, "unit": "yuan"}, "700"),
    ],
)
def test_constant_formulas(formula, expected):
    assert amount(formula) == Decimal(expected)


def test_rate_with_cap_steps():
    f = {"rate": 0.1, "base": EQUIPMENT, "cap": 2000000}
    c = compute(f, PROJECT, ON)
    assert c.amount == Decimal(300000)
    assert c.steps == [
        "设备购置金额 3,000,000 元 × 10% = 300,000 元",
        "取上限 2,000,000 元与 300,000 元的较小值 = 300,000 元",
    ]


def test_graded_rate():
    f = {
        "rate": {"grade": "mu_chan_grade", "table": {"A": 0.1, "B": 0.1, "C": 0.08, "D": 0.07}},
        "base": EQUIPMENT,
        "cap": 2000000,
    }
    for grade, expected in [("A", 300000), ("B", 300000), ("C", 240000), ("D", 210000)]:
        assert amount(f, {**PROJECT, "mu_chan_grade": grade}) == expected
    c = compute(f, {**PROJECT, "mu_chan_grade": "C"}, ON)
    assert c.steps[0] == "“亩产效益”综合评价等级为C类，比例为 8%"
    c = compute(f, PROJECT, ON)
    assert (c.amount, c.missing) == (None, ["mu_chan_grade"])


def test_grade_outside_the_table():
    f = {"grade": "mu_chan_grade", "table": {"A": 100}, "else": 50}
    assert amount(f, {"mu_chan_grade": "D"}) == 50
    f = {"grade": "mu_chan_grade", "table": {"A": 100}}
    c = compute(f, {"mu_chan_grade": "D"}, ON)
    assert c.amount == 0 and "不在分档表中" in c.steps[0]


def test_cases_first_match_and_unknowns():
    f = {
        "cases": [
            {"when": {"fact": "revenue.last_year", "op": ">=", "value": 1000000000}, "then": 500000},
            {"when": {"fact": "revenue.last_year", "op": ">=", "value": 500000000}, "then": 300000},
        ],
        "else": 100000,
    }
    assert amount(f, {"revenue": {"2025": 1200000000}}) == 500000
    assert amount(f, {"revenue": {"2025": 600000000}}) == 300000
    assert amount(f, {"revenue": {"2025": 1}}) == 100000
    c = compute(f, {}, ON)
    assert (c.amount, c.missing) == (None, ["revenue.2025"])
    assert c.steps == ["无法确定是否适用“上一年度营业收入不低于10亿元”"]
    no_else = {"cases": f["cases"]}
    assert amount(no_else, {"revenue": {"2025": 1}}) == 0


def test_per_person_per_month_over_a_list():
    f = {
        "sum": "persons",
        "where": {"fact": "role", "op": "==", "value": "博士后"},
        "of": {"per_month": 2000, "months": {"fact": "months"}, "max_months": 24},
    }
    p = {
        "persons": [
            {"name": "甲", "role": "博士后", "months": 6},
            {"role": "博士", "months": 9},
            {"name": "乙", "role": "博士后", "months": 30},
        ]
    }
    c = compute(f, p, ON)
    assert c.amount == Decimal(60000)
    assert c.steps == [
        "人员第1人（甲）：每月 2,000 元 × 6 个月 = 12,000 元",
        "人员第3人（乙）：在岗（在站）月数 30 个月，超过上限，按 24 个月计",
        "人员第3人（乙）：每月 2,000 元 × 24 个月 = 48,000 元",
        "合计：12,000 + 48,000 = 60,000 元",
    ]
    c = compute(f, {"persons": [{"role": "博士后"}, {"months": 3}]}, ON)
    assert (c.amount, c.missing) == (None, ["persons[0].months", "persons[1].role"])
    assert amount(f, {"persons": []}) == 0


def test_per_person_with_a_count_fact():
    f = {"per_person": 5000, "persons": {"fact": "persons[role=高校毕业生].count"}, "max_persons": 10}
    p = {"persons": [{"role": "高校毕业生"}] * 3 + [{"role": "博士"}]}
    c = compute(f, p, ON)
    assert c.amount == 15000
    assert c.steps == ["按人数 3 计算", "每人 5,000 元 × 3 人 = 15,000 元"]


def test_per_person_counts_only_the_persons_the_benefit_is_for():
    doctors = {"count": "persons", "where": {"fact": "degree", "op": "==", "value": "博士"}, "label": "博士"}
    f = {
        "per_person": {"per_month": 3000, "months": {"fact": "months"}, "max_months": 36},
        "persons": doctors,
    }
    p = {"months": 12, "persons": [{"degree": "博士"}, {"degree": "博士"}, {"degree": "硕士"}]}
    c = compute(f, p, ON)
    assert c.amount == 72000
    assert c.steps == [
        "博士：共 3 人，其中符合条件的 2 人",
        "按博士人数 2 计算",
        "每人每月 3,000 元 × 2 人 × 12 个月 = 72,000 元",
    ]
    unknown = compute(f, {"months": 12, "persons": [{"degree": "博士"}, {"name": "甲"}]}, ON)
    assert (unknown.amount, unknown.missing) == (None, ["persons[1].degree"])
    assert amount(f, {"months": 12, "persons": [{"degree": "硕士"}]}) == 0
    assert check_formula({"count": "revenue"}) and not check_formula(doctors)


def test_facts_are_numbers_and_years_resolve():
    f = {"op": "*", "args": [{"fact": "revenue", "year_offset": -1}, 0.01]}
    assert amount(f, {"revenue": {"2025": 123456789}}) == Decimal("1234567.89")
    c = compute({"fact": "rd_expense.last_year"}, {}, ON)
    assert (c.amount, c.missing) == (None, ["rd_expense.2025"])


def test_missing_facts_are_collected_from_every_argument():
    f = {"op": "+", "args": [{"fact": "revenue.2024"}, {"fact": "rd_expense.2024"}, 1]}
    assert compute(f, {}, ON).missing == ["revenue.2024", "rd_expense.2024"]


def test_division_by_zero():
    with pytest.raises(FormulaError, match="division by zero"):
        compute({"op": "/", "args": [1, {"fact": "employees"}]}, {"employees": 0}, ON)


def test_negative_results_become_zero_with_a_step():
    c = compute({"op": "-", "args": [{"fact": "revenue.2025"}, 500]}, {"revenue": {"2025": 100}}, ON)
    assert c.amount == 0 and c.steps[-1] == "计算结果 -400 元为负数，按 0 元计"


def test_constant_gets_a_step():
    assert compute(500000, {}, ON).steps == ["金额为 500,000 元"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (True, "cannot be True"),
        ("abc", "not a number"),
        ([1, 2], "a number or a JSON object"),
        ({"op": "^", "args": [1, 2]}, "unknown operation"),
        ({"op": "+", "args": [1]}, "list of args"),
        ({"rate": 0.1}, "needs a base"),
        ({"rat": 0.1, "base": 1}, "did you mean 'rate'"),
        ({"rate": 0.1, "base": 1, "capp": 2}, "did you mean 'cap'"),
        ({"fact": "region"}, "is not a number"),
        ({"fact": "revenu.2025"}, "did you mean 'revenue'"),
        ({"fact": "region", "year_offset": -1}, "year_offset"),
        ({"per_month": 1}, "needs 'months'"),
        ({"cases": []}, "non-empty list"),
        ({"cases": [{"when": True}]}, "each case is"),
        ({"cases": [{"when": {"fact": "region", "op": "=", "value": "x"}, "then": 1}]}, "did you mean '=='"),
        ({"grade": "mu_chan_grade", "table": {"E": 1}}, "has no grade 'E'"),
        ({"grade": "mu_chan_grade", "table": []}, "grade: formula"),
        ({"grade": "revenue.2025", "table": {"A": 1}}, "is not a grade"),
        ({"sum": "persons"}, "needs 'of'"),
        ({"sum": "region", "of": 1}, "list fact"),
        ({"sum": "persons", "of": {"fact": "monthly_salery"}}, "did you mean 'monthly_salary'"),
        ({"round": 1, "to": "jiao"}, "'to' is one of"),
        ({"round": 1, "mode": "bankers"}, "'mode' is one of"),
        ({"const": 1, "unit": "euro"}, "unknown unit"),
        ({"const": "x"}, "not a number"),
    ],
)
def test_validation(data, fragment):
    text = "\n".join(str(p) for p in check_formula(data))
    assert fragment in text, text
    with pytest.raises(FormulaError):
        compile_formula(data)


def test_from_yaml_and_round_trip():
    f = from_yaml("rate: 0.1\nbase: {fact: 'projects[kind=技术改造].equipment_cost'}\ncap: 2000000\n")
    assert f.to_json() == {
        "rate": 0.1,
        "base": {"fact": "projects[kind=技术改造].equipment_cost"},
        "cap": 2000000,
    }
    with pytest.raises(FormulaError, match="invalid YAML"):
        from_yaml("rate: [")


def test_referenced_facts():
    f = {
        "rate": {"grade": "mu_chan_grade", "table": {"A": 0.1}},
        "base": EQUIPMENT,
        "cap": {"cases": [{"when": {"fact": "employees", "op": ">", "value": 100}, "then": 1}], "else": 2},
    }
    assert referenced_facts(f) == {
        "mu_chan_grade",
        "projects",
        "projects[].kind",
        "projects[].equipment_cost",
        "projects[kind=技术改造]",
        "employees",
    }
