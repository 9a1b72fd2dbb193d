"""Rules: validity dates, dated versions, outcomes with reasons, steps and the clause they cite."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from zhengcetong.match.errors import RuleError
from zhengcetong.match.rules import Outcome, Rule, RuleHistory, load_rules, rules_from_yaml

ON = date(2026, 5, 1)


def rule_data(**over):
    data = {
        "item_id": "qh-demo-1",
        "name": "示例：专精特新研发补助",
        "version": 1,
        "valid_from": "2026-02-26",
        "valid_until": "2028-12-31",
        "up_to": True,
        "reference": {"doc_number": "青政办发〔2026〕8号", "clause": "一、（二）", "quote": "……"},
        "condition": {
            "all": [
                {"has": "recognitions", "where": {"fact": "name", "op": "==", "value": "专精特新中小企业"}},
                {"fact": "region", "op": "==", "value": "青禾高新区", "source": {"clause": "附则"}},
            ]
        },
        "formula": {
            "cases": [{"when": {"fact": "revenue.last_year", "op": ">=", "value": 100000000}, "then": 80000}],
            "else": 50000,
        },
    }
    data.update(over)
    return data


GOOD = {
    "recognitions": [{"name": "专精特新中小企业"}],
    "region": "青禾高新区",
    "revenue": {"2025": 120000000},
}


def test_eligible_outcome():
    o = Rule.from_dict(rule_data()).evaluate(GOOD, ON)
    assert (o.eligible, o.amount, o.missing, o.version) == ("eligible", Decimal(80000), [], 1)
    assert o.reasons == [
        "满足：企业获得的认定中至少有一项：名称为专精特新中小企业",
        "满足：所在县（市、区）为青禾高新区（实际为青禾高新区）〔附则〕",
    ]
    assert o.steps == ["适用：上一年度营业收入不低于1亿元", "金额为 80,000 元"]
    assert o.reference == {"doc_number": "青政办发〔2026〕8号", "clause": "一、（二）", "quote": "……"}
    assert o.summary() == "符合：最高可获 80,000 元（青政办发〔2026〕8号 一、（二））"
    assert o.eligible_zh == "符合"


def test_possibly_and_ineligible():
    r = Rule.from_dict(rule_data())
    o = r.evaluate({"recognitions": [{"name": "专精特新中小企业"}], "revenue": {"2025": 1}}, ON)
    assert (o.eligible, o.amount, o.missing) == ("possibly", Decimal(50000), ["region"])
    assert o.reasons[0] == "待确认：所在县（市、区）为青禾高新区（缺少：所在县（市、区）（region））〔附则〕"
    assert o.summary() == "可能符合：最高可获 50,000 元（青政办发〔2026〕8号 一、（二））"
    o = r.evaluate({"recognitions": [], "region": "青禾高新区"}, ON)
    assert (o.eligible, o.amount, o.missing, o.steps) == ("ineligible", None, [], [])
    assert o.reasons[0].startswith("不满足：")  # unmet first, then unknown, then met
    o = r.evaluate({"recognitions": [{"name": "专精特新中小企业"}], "region": "青禾高新区"}, ON)
    assert (o.eligible, o.amount, o.missing) == ("eligible", None, ["revenue.2025"])
    assert o.summary() == "符合：待补充 2025年度营业收入（青政办发〔2026〕8号 一、（二））"


def test_validity_dates_are_inclusive():
    r = Rule.from_dict(rule_data())
    assert r.evaluate(GOOD, date(2026, 2, 26)).eligible == "eligible"
    assert r.evaluate(GOOD, date(2028, 12, 31)).eligible == "eligible"
    before = r.evaluate(GOOD, date(2026, 2, 25))
    assert before.eligible == "ineligible" and before.reasons == [
        "政策尚未施行：自2026年2月26日起施行，评估日为2026年2月25日"
    ]
    after = r.evaluate(GOOD, date(2029, 1, 1))
    assert after.reasons == ["政策已失效：有效期至2028年12月31日，评估日为2029年1月1日"]
    assert after.amount is None and after.missing == []


def test_no_formula_means_no_amount():
    o = Rule.from_dict(rule_data(formula=None)).evaluate(GOOD, ON)
    assert (o.eligible, o.amount, o.steps) == ("eligible", None, [])


def test_outcome_is_json_ready():
    o = Rule.from_dict(rule_data()).evaluate({"recognitions": [{"name": "专精特新中小企业"}]}, ON)
    data = json.loads(json.dumps(o.to_dict(), ensure_ascii=False))
    assert data["eligible"] == "possibly" and data["amount"] is None
    assert data["missing"] == ["region", "revenue.2025"]
    assert data["missing_labels"] == ["所在县（市、区）", "2025年度营业收入"]
    assert data["trace"][0]["kind"] == "all" and data["on"] == "2026-05-01"


def test_to_dict_round_trip():
    r = Rule.from_dict(rule_data(note="解释待确认"))
    again = Rule.from_dict(r.to_dict())
    assert again.to_dict() == r.to_dict()
    assert again.evaluate(GOOD, ON).amount == Decimal(80000)
    assert (
        r.text()
        == "同时满足：企业获得的认定中至少有一项：名称为专精特新中小企业；所在县（市、区）为青禾高新区"
    )


@pytest.mark.parametrize(
    ("over", "fragment"),
    [
        ({"item_id": ""}, "'item_id' must be non-empty text"),
        ({"name": None}, "'name' must be non-empty text"),
        ({"valid_from": "soon"}, "$.valid_from: 应为日期"),
        ({"valid_until": "2020-01-01"}, "valid_until is before valid_from"),
        ({"version": 0}, "positive integer"),
        ({"up_to": "yes"}, "up_to must be true or false"),
        ({"reference": {"clause": "一"}}, "doc_number"),
        ({"reference": None}, "doc_number"),
        ({"reference": {"doc_number": "x", "clouse": "一"}}, "did you mean 'clause'"),
        ({"conditon": True}, "did you mean 'condition'"),
        ({"condition": {"fact": "regoin", "op": "==", "value": "x"}}, "$.condition.fact"),
        ({"formula": {"rate": 0.1}}, "$.formula.base"),
    ],
)
def test_rule_validation(over, fragment):
    with pytest.raises(RuleError) as exc:
        Rule.from_dict(rule_data(**over))
    assert fragment in str(exc.value)


def test_missing_keys():
    with pytest.raises(RuleError) as exc:
        Rule.from_dict({"item_id": "x"})
    assert [p.where for p in exc.value.problems] == ["$.name", "$.condition", "$.reference"]
    with pytest.raises(RuleError, match="a rule is a JSON object"):
        Rule.from_dict([])


def version(n, start, end=None, amount=100000):
    return rule_data(version=n, valid_from=start, valid_until=end, formula=amount, condition=True)


def test_history_picks_the_version_in_force():
    h = RuleHistory.from_list(
        [version(2, "2026-04-01", None, 300000), version(1, "2021-04-01", "2026-03-31")]
    )
    assert [r.version for r in h.versions] == [1, 2]
    assert h.item_id == "qh-demo-1"
    assert h.in_force(date(2026, 3, 31)).version == 1
    assert h.in_force(date(2026, 4, 1)).version == 2
    assert h.in_force(date(2020, 1, 1)) is None
    assert h.evaluate({}, date(2026, 3, 31)).amount == 100000
    assert h.evaluate({}, date(2040, 1, 1)).amount == 300000
    early = h.evaluate({}, date(2020, 1, 1))
    assert (early.eligible, early.version) == ("ineligible", 1)


def test_history_gap_reports_the_expired_version():
    h = RuleHistory.from_list([version(1, "2021-01-01", "2021-12-31"), version(2, "2023-01-01")])
    o = h.evaluate({}, date(2022, 6, 1))
    assert (o.eligible, o.version) == ("ineligible", 1) and "已失效" in o.reasons[0]


def test_history_refuses_overlaps_duplicates_and_other_items():
    with pytest.raises(RuleError, match="overlaps version 1"):
        RuleHistory.from_list([version(1, "2021-01-01"), version(2, "2026-04-01")])
    with pytest.raises(RuleError, match="already exists"):
        RuleHistory.from_list([version(1, "2021-01-01", "2021-12-31"), version(1, "2023-01-01")])
    h = RuleHistory.from_list([version(1, "2021-01-01", "2021-12-31")])
    with pytest.raises(RuleError, match="another item"):
        h.add(Rule.from_dict({**version(2, "2023-01-01"), "item_id": "other"}))
    with pytest.raises(RuleError, match="no versions"):
        RuleHistory().evaluate({}, ON)
    with pytest.raises(RuleError) as exc:
        RuleHistory.from_list([version(1, "2021-01-01"), {**version(2, "x")}])
    assert exc.value.problems[0].where == "$[1].valid_from"


def test_load_rules_and_yaml():
    loaded = load_rules(
        [rule_data(), {"versions": [version(1, "2021-01-01", "2021-12-31"), version(2, "2022-01-01")]}]
    )
    assert isinstance(loaded[0], Rule) and isinstance(loaded[1], RuleHistory)
    (r,) = rules_from_yaml(
        "item_id: y\nname: 示例\nvalid_from: 2026-01-01\nreference: {doc_number: 青政发〔2026〕11号}\n"
        "condition: {fact: employees, op: '>=', value: 10}\nformula: 1000\n"
    )
    assert r.valid_from == date(2026, 1, 1)
    assert r.evaluate({"employees": 12}, ON).summary() == "符合：可获 1,000 元（青政发〔2026〕11号）"
    with pytest.raises(RuleError, match="invalid YAML"):
        rules_from_yaml("item_id: [")


def test_explain_false_gives_the_same_answer_without_text():
    r = Rule.from_dict(rule_data())
    loud, quiet = r.evaluate(GOOD, ON), r.evaluate(GOOD, ON, explain=False)
    assert (loud.eligible, loud.amount, loud.missing) == (quiet.eligible, quiet.amount, quiet.missing)
    assert quiet.reasons == [] and quiet.steps == [] and quiet.trace == []


def test_outcome_summary_without_reference():
    o = Outcome("x", "示例", 1, ON, "ineligible", None, False, [], [], [], {})
    assert o.summary() == "不符合"
