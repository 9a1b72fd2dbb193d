"""The enterprise profile document: 统一社会信用代码 per GB 32100, field checks, and the facts rules read."""

from __future__ import annotations

from datetime import date

import pytest

from zhengcetong.match import Rule
from zhengcetong.match.enterprise import (
    check_enterprise,
    credit_code_problem,
    document_path,
    facts_of,
    normalise_credit_code,
)

# real, published codes (their 18th characters were computed by their registries, not by us)
REAL_CODES = ["91330100799655058B", "91350100M000100Y43", "91440300708461136T", "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass_and_any_changed_character_fails(code):
    assert credit_code_problem(code) is None
    for position in range(18):
        for other in "0A":
            if code[position] != other:
                changed = code[:position] + other + code[position + 1 :]
                assert credit_code_problem(changed) is not None, changed


def test_credit_code_messages_say_what_is_wrong():
    assert "18 位" in credit_code_problem("9133")
    assert "“I”" in credit_code_problem("91330100799655058I")
    assert "校验码" in credit_code_problem("91330100799655058C")
    assert normalise_credit_code("9133 0100 7996 5505 8b") == "91330100799655058B"


def document(**fields):
    return {"name": "青禾示例电子有限公司", "credit_code": REAL_CODES[0], **fields}


def test_a_complete_document_has_no_problems_and_maps_onto_facts():
    doc = document(
        region="青禾高新区",
        industries=["电子信息制造业"],
        scale="中型",
        employees=420,
        revenue_yuan={"2025": 300000000},
        recognitions=[{"name": "高新技术企业", "level": "national", "year": 2025, "first_time": True}],
        projects=[
            {
                "kind": "技术改造",
                "year": 2026,
                "total_investment_yuan": 12000000,
                "equipment_investment_yuan": 7000000,
            }
        ],
        mu_efficiency_grade="B",
        contact_email="finance@example.com",
        facts={"revenue_growth": {"2025": 0.2}, "dishonest": False},
    )
    assert check_enterprise(doc) == []
    facts = facts_of(doc)
    assert facts["revenue"] == {"2025": 300000000} and facts["mu_chan_grade"] == "B"
    assert facts["projects"] == [
        {"kind": "技术改造", "year": 2026, "investment": 12000000, "equipment_cost": 7000000}
    ]
    assert facts["revenue_growth"] == {"2025": 0.2} and "contact_email" not in facts
    rule = Rule.from_dict(
        {
            "item_id": "t1",
            "name": "测试",
            "reference": {"doc_number": "青政发〔2026〕1号", "clause": "一"},
            "condition": {
                "all": [
                    {"fact": "revenue.last_year", "op": ">", "value": 200000000},
                    {"fact": "mu_chan_grade", "op": "==", "value": "B"},
                ]
            },
            "formula": {"*": [0.1, {"fact": "projects[kind=技术改造].equipment_cost"}]},
        }
    )
    outcome = rule.evaluate(facts, date(2026, 5, 1))
    assert outcome.eligible == "eligible" and outcome.amount == 700000


def test_every_bad_field_is_named():
    doc = {
        "credit_code": "91330100799655058C",
        "revenue": {"2025": 1},
        "scale": "巨型",
        "employees": "many",
        "projects": [{"total_investment": 5}],
        "contact_email": "not-an-address",
        "facts": {"revenue": {"2025": 1}, "reveune_growth": {}},
    }
    wheres = {p.where for p in check_enterprise(doc)}
    assert wheres == {
        "$.name",
        "$.credit_code",
        "$.revenue",
        "$.scale",
        "$.employees",
        "$.projects[0].total_investment",
        "$.contact_email",
        "$.facts.revenue",
        "$.facts.reveune_growth",
    }
    assert check_enterprise([]) and check_enterprise("x")


def test_missing_facts_are_shown_where_the_document_holds_them():
    assert document_path("revenue.2025") == "revenue_yuan.2025"
    assert (
        document_path("projects[kind=技术改造].equipment_cost")
        == "projects[kind=技术改造].equipment_investment_yuan"
    )
    assert document_path("mu_chan_grade") == "mu_efficiency_grade"
    assert document_path("persons[0].birth_date") == "facts.persons[0].birth_date"
