"""The structured rule editor's two directions: rule → fields → the same rule, and what staff type → a
checked rule."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from zhengcetong.errors import InputError
from zhengcetong.match import rule_form
from zhengcetong.match.service import rule_problems


def item(conditions, formula, *, amount=None, rate=None, per="once", cap=None, months=None):
    return SimpleNamespace(
        conditions=conditions,
        formula=formula,
        amount_max_yuan=Decimal(amount) if amount is not None else None,
        rate=Decimal(rate) if rate is not None else None,
        per=per,
        cap_yuan=Decimal(cap) if cap is not None else None,
        months_max=months,
    )


def posted(form: rule_form.RuleForm) -> dict[str, str]:
    """What the page's form posts for ``form`` unchanged."""
    data = {"cond-shape": form.shape, "cond-top": form.top, "formula-kept": form.formula_kept}
    for i, row in enumerate(form.rows):
        for name in ("fact", "op", "value", "label", "extra", "kept", "group"):
            data[f"cond-{i}-{name}"] = getattr(row, name)
    if form.amount is not None:
        a = form.amount
        data |= {
            "amt-structured": "1",
            "amt-mode": a.mode,
            "amount_max_yuan": a.amount,
            "rate": a.rate,
            "amt-base": a.base,
            "cap_yuan": a.cap,
            "amt-per": a.per,
            "months_max": a.months_max,
        }
    return data


SOURCE = {"clause": "一、（二）", "quote": "对…的", "start": 1, "end": 9}
CASES = [
    pytest.param(
        item(
            {
                "all": [
                    {"fact": "revenue.last_year", "op": ">=", "value": 100000000, "label": "营收1亿元以上"},
                    {
                        "has": "recognitions",
                        "where": {"fact": "level", "op": "in", "value": ["national", "provincial"]},
                    },
                    {"fact": "in_industrial_park", "op": "==", "value": True, "source": SOURCE},
                    {"fact": "founded", "op": "<=", "value": "2020-01-01"},
                ],
                "label": "申报条件",
            },
            {"up_to": "80000"},
            amount="80000",
        ),
        4,
        True,
        id="typed rows, a ceiling",
    ),
    pytest.param(
        item(
            {
                "any": [
                    {"fact": "employees", "op": ">", "value": 10},
                    {"fact": "dishonest", "op": "==", "value": False},
                ]
            },
            {"const": "200000"},
            amount="200000",
        ),
        0,
        True,
        id="an any is kept, a fixed amount",
    ),
    pytest.param(
        item(
            {"fact": "claims.q427f5d72ed", "op": "==", "value": True, "label": "产品具有自主知识产权"},
            {
                "per_person": {"per_month": "3000", "months": {"fact": "months"}, "max_months": 36},
                "persons": {"fact": "persons.count"},
            },
            amount="3000",
            per="month",
            months=36,
        ),
        0,
        True,
        id="a claim is kept, per person per month",
    ),
    pytest.param(
        item(
            {
                "fact": "revenue_growth.last_year",
                "op": ">",
                "value": {"fact": "city_avg_revenue_growth.last_year"},
            },
            {"up_to": {"min": [{"*": ["0.1", {"fact": "project.equipment_cost"}]}, "2000000"]}},
            rate="0.1",
            cap="2000000",
            amount="2000000",
        ),
        0,
        True,
        id="a fact-valued comparison is kept, a capped rate",
    ),
    pytest.param(
        item(
            True,
            {"cases": [{"when": {"fact": "employees", "op": ">", "value": 5}, "then": 1000}], "else": 500},
            amount="1000",
        ),
        0,
        False,
        id="no conditions, a formula the fields cannot give",
    ),
]


@pytest.mark.parametrize(("stored", "typed_rows", "structured_amount"), CASES)
def test_an_unchanged_form_gives_back_the_very_rule(stored, typed_rows, structured_amount):
    form = rule_form.form_of(stored)
    assert sum(1 for r in form.rows if not r.kept) == typed_rows
    assert (form.amount is not None) is structured_amount
    conditions, formula, columns = rule_form.rule_of(rule_form.read_form(posted(form)), rule_problems)
    assert conditions == stored.conditions and formula == stored.formula
    if structured_amount:
        assert columns["per"] == stored.per and columns["amount_max_yuan"] == stored.amount_max_yuan


def test_blank_and_deleted_rows_are_left_out_and_no_row_is_true():
    data = {
        "cond-0-fact": "employees",
        "cond-0-op": ">=",
        "cond-0-value": "50",
        "cond-0-delete": "1",
        "cond-1-fact": "",
        "cond-1-op": "==",
        "cond-1-value": "",
        "cond-2-kept": '{"not": {"fact": "dishonest", "op": "==", "value": true}}',
        "cond-2-delete": "1",
    }
    assert rule_form.rule_of(rule_form.read_form(data), rule_problems) == (True, None, {})
    data.pop("cond-2-delete")
    conditions, _, _ = rule_form.rule_of(rule_form.read_form(data), rule_problems)
    assert conditions == {"all": [{"not": {"fact": "dishonest", "op": "==", "value": True}}]}


def test_amounts_are_read_as_staff_type_them():
    fields = {"amt-structured": "1", "amt-mode": "fixed", "amount_max_yuan": "200,000", "amt-per": "person"}
    _, formula, columns = rule_form.rule_of(rule_form.read_form(fields), rule_problems)
    assert formula == {"per_person": "200000", "persons": {"fact": "persons.count"}}
    assert columns["amount_max_yuan"] == Decimal(200000) and columns["per"] == "person"
    rate = {
        **fields,
        "amt-mode": "ceiling",
        "rate": "10%",
        "cap_yuan": "500000",
        "amt-base": "project.investment",
    }
    _, formula, columns = rule_form.rule_of(rule_form.read_form(rate), rule_problems)
    assert formula == {"up_to": {"min": [{"*": ["0.1", {"fact": "project.investment"}]}, "500000"]}}
    assert columns["rate"] == Decimal("0.1")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rate": "150%"}, "比例应在 0 到 1 之间"),
        ({"amount_max_yuan": "二十万"}, "金额应为非负数字"),
        ({"months_max": "三十六"}, "月数上限应为整数"),
    ],
)
def test_a_wrong_amount_is_said_at_the_amount(changes, message):
    form = rule_form.read_form(
        {"amt-structured": "1", "amt-mode": "fixed", "amount_max_yuan": "1000", **changes}
    )
    with pytest.raises(InputError):
        rule_form.rule_of(form, rule_problems)
    assert form.amount is not None and message in form.amount.errors[0]


def test_a_wrong_row_is_said_at_the_row_and_the_others_stay_clean():
    form = rule_form.read_form(
        {
            "cond-0-fact": "employees",
            "cond-0-op": ">=",
            "cond-0-value": "50",
            "cond-1-fact": "recognitions[].level",
            "cond-1-op": "==",
            "cond-1-value": "省级",
            "cond-2-fact": "no_such_fact",
            "cond-2-op": "==",
            "cond-2-value": "1",
        }
    )
    with pytest.raises(InputError):
        rule_form.rule_of(form, rule_problems)
    assert form.rows[0].errors == []
    assert "provincial" in form.rows[1].errors[0]  # the vocabulary's suggestion for 省级
    assert form.rows[2].errors == ["未知的事实“no_such_fact”，请从列表中选择"]


def test_the_fact_choices_are_grouped_with_their_widgets():
    groups = dict(rule_form.fact_groups())
    assert ("revenue.last_year", "营业收入（上一年度）") in [
        (c, label) for c, label, _ in groups["经营数据（按年度）"]
    ]
    level = {c: w for c, _, w in groups["企业获得的认定"]}["recognitions[].level"]
    assert level["type"] == "enum" and dict(level["choices"])["national"] == "国家级"
    assert level["ops"] == ["==", "!=", "in", "not_in"]
    assert {c: w for c, _, w in groups["基本情况"]}["industries"]["ops"] == ["contains", "contains_any"]
    assert dict(rule_form.base_choices())["project.equipment_cost"].endswith("设备（含软件）购置金额")


def test_rows_beyond_the_limit_are_refused_not_dropped():
    data = {f"cond-{i}-fact": "employees" for i in (0, rule_form.MAX_ROWS)}
    data |= {f"cond-{i}-op": ">=" for i in (0, rule_form.MAX_ROWS)}
    data |= {f"cond-{i}-value": "1" for i in (0, rule_form.MAX_ROWS)}
    form = rule_form.read_form(data)
    with pytest.raises(InputError):
        rule_form.rule_of(form, rule_problems)
    assert form.errors == [f"条件最多 {rule_form.MAX_ROWS} 行，请在专家模式（JSON）中编辑"]


GIANT = {
    "has": "recognitions",
    "where": {
        "all": [
            {"fact": "name", "op": "contains", "value": "专精特新“小巨人”企业"},
            {"fact": "level", "op": "==", "value": "national"},
            {"fact": "first_time", "op": "==", "value": True},
        ]
    },
    "label": "首次获得认定：国家级专精特新“小巨人”企业",
}


def test_conditions_on_one_element_of_a_list_are_a_group_of_rows():
    form = rule_form.form_of(item(GIANT, {"up_to": "500000"}, amount="500000"))
    assert [(r.fact, r.op, r.value, r.group) for r in form.rows] == [
        ("recognitions[].name", "contains", "专精特新“小巨人”企业", "0"),
        ("recognitions[].level", "==", "national", "0"),
        ("recognitions[].first_time", "==", "true", "0"),
    ]
    assert form.rows[0].title == "企业获得的认定中的同一项，以下各行同时满足"
    assert form.rows[0].label == GIANT["label"] and form.rows[1].label == ""
    data = posted(form) | {"cond-1-value": "provincial", "cond-2-delete": "1"}
    conditions, _, _ = rule_form.rule_of(rule_form.read_form(data), rule_problems)
    assert conditions == {
        "has": "recognitions",
        "where": {
            "all": [
                {"fact": "name", "op": "contains", "value": "专精特新“小巨人”企业"},
                {"fact": "level", "op": "==", "value": "provincial"},
            ]
        },
        "label": GIANT["label"],
    }


def test_a_row_of_a_group_must_stay_about_its_list():
    form = rule_form.read_form(
        posted(rule_form.form_of(item(GIANT, None))) | {"cond-2-fact": "employees", "cond-2-value": "5"}
    )
    with pytest.raises(InputError):
        rule_form.rule_of(form, rule_problems)
    assert form.rows[2].errors == [
        "这一行与上面几行说的是企业获得的认定中的同一项，请选择“企业获得的认定”的字段，或删除这一行"
    ]
    assert form.rows[0].errors == form.rows[1].errors == []
