"""The condition language: validation messages, Chinese text, three-valued evaluation and the trace."""

from __future__ import annotations

import json
from datetime import date

import pytest

from zhengcetong.match.conditions import (
    check_condition,
    compile_condition,
    evaluate,
    from_json,
    from_yaml,
    referenced_facts,
    to_text,
)
from zhengcetong.match.errors import ConditionError, FactError
from zhengcetong.match.profile import Facts

ON = date(2026, 5, 1)


def leaf(fact, op, value=None, **kw):
    data = {"fact": fact, "op": op, **kw}
    if value is not None:
        data["value"] = value
    return data


REV = leaf("revenue.last_year", ">=", 200000000, label="上一年度营业收入不低于2亿元")
REGION = leaf("region", "==", "青禾高新区")
SOFTWARE = leaf("industries", "contains", "软件业")


# --- validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        (
            {"fact": "revenu.2025", "op": ">=", "value": 1},
            ["$.fact", "did you mean 'revenue'", "未知的事实名称"],
        ),
        ({"fact": "region", "op": "=", "value": "x"}, ["$.op", "did you mean '=='", "是否应为 “==”"]),
        ({"fact": "region", "op": "≥", "value": "x"}, ["did you mean '>='"]),
        ({"fact": "region", "op": ">=", "value": "x"}, ["不是数值或日期"]),
        ({"fact": "revenue.2025", "op": ">=", "value": "two"}, ["应与数值比较"]),
        ({"fact": "revenue.2025", "op": ">="}, ["needs a value"]),
        ({"fact": "revenue", "op": ">=", "value": 1}, ["revenue.2025"]),
        ({"fact": "recognitions", "op": "==", "value": 1}, ["has/count"]),
        ({"fact": "region", "op": "in", "value": "x"}, ["non-empty list"]),
        ({"fact": "region", "op": "==", "value": ["a", "b"]}, ["use in"]),
        ({"fact": "industries", "op": "==", "value": "软件业"}, ["contains"]),
        ({"fact": "employees", "op": "contains", "value": 1}, ["use == or in"]),
        ({"fact": "project", "op": "==", "value": 1}, ["name one of its fields"]),
        ({"fact": "project.cost", "op": ">", "value": 1}, ["project has no field 'cost'"]),
        ({"fact": "mu_chan_grade", "op": "==", "value": "E"}, ["is not one of A, B, C, D"]),
        ({"fact": "recognitions[level=省级].count", "op": ">=", "value": 1}, []),  # selectors are free text
        ({"has": "recognitions", "where": leaf("level", "==", "省级")}, ["did you mean 'provincial'"]),
        ({"has": "recognitions", "where": leaf("first_time", "==", "yes")}, ["true/false"]),
        ({"fact": "founded", "op": "<", "value": "last spring"}, ["expected a date"]),
        ({"fact": "dishonest", "op": "exists", "value": "yes"}, ["exists takes true or false"]),
        ({"fact": "region", "op": "==", "value": {"year": 1}}, ['{"fact": path}']),
        ({"fact": "revenue", "year_offset": "last", "op": ">", "value": 1}, ["year_offset"]),
        ({"fact": "region", "year_offset": -1, "op": "==", "value": "x"}, ["by-year facts"]),
        ({"has": "recognitions[level=national]"}, ["filters in where"]),
        ({"has": "region"}, ["list fact"]),
        ({"count": "persons", "op": ">=", "value": -1}, ["non-negative integer"]),
        ({"count": "persons", "op": "in", "value": 2}, ["non-negative integer"]),
        ({"all": leaf("region", "==", "x")}, ["list of conditions"]),
        ({"all": [], "any": []}, ["only one of"]),
        ({"alll": []}, ["did you mean 'all'"]),
        ({"fact": "region", "op": "==", "value": "x", "lable": "y"}, ["did you mean 'label'"]),
        ({"fact": "region", "op": "==", "value": "x", "label": 3}, ["label must be text"]),
        ({"fact": "region", "op": "==", "value": "x", "source": "一、"}, ["source must be an object"]),
        ("region == x", ["JSON object or true/false"]),
        ({"has": "persons", "where": leaf("rol", "==", "博士后")}, ["$.where.fact", "did you mean 'role'"]),
    ],
)
def test_validation_messages(data, fragments):
    problems = check_condition(data)
    text = "\n".join(str(p) for p in problems)
    if not fragments:
        assert problems == []
    for fragment in fragments:
        assert fragment in text, text


def test_every_problem_is_reported_at_once():
    data = {"all": [leaf("revenu.2025", ">=", 1), leaf("region", "=", "x"), {"not": {"alll": []}}]}
    with pytest.raises(ConditionError) as exc:
        compile_condition(data)
    wheres = [p.where for p in exc.value.problems]
    assert wheres == ["$.all[0].fact", "$.all[1].op", "$.all[2].not"]
    assert str(exc.value).startswith("条件格式有误 / invalid condition:")


def test_from_json_and_yaml():
    node = from_json(json.dumps({"all": [REV, REGION]}, ensure_ascii=False))
    assert node.to_json() == {"all": [REV, REGION]}
    y = from_yaml(
        "any:\n  - {fact: founded, op: '<', value: 2020-01-01}\n  - {fact: region, op: '==', value: 东湖区}\n"
    )
    assert y.to_json()["any"][0]["value"] == "2020-01-01"
    with pytest.raises(ConditionError, match="invalid JSON"):
        from_json("{")
    with pytest.raises(ConditionError, match="invalid YAML"):
        from_yaml("all: [")


# --- text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (REV, "上一年度营业收入不低于2亿元"),
        (leaf("revenue.2025", ">", 50000000), "2025年度营业收入高于5000万元"),
        (
            leaf("revenue_growth.last_year", ">", {"fact": "city_avg_revenue_growth.last_year"}),
            "上一年度营业收入增幅高于上一年度全市平均营业收入增幅",
        ),
        (leaf("revenue_growth", ">=", 0.1, year_offset=-1), "上一年度营业收入增幅不低于10%"),
        (leaf("employees", "<=", 300), "从业人数不超过300人"),
        (leaf("region", "in", ["东湖区", "青禾高新区"]), "所在县（市、区）为东湖区或青禾高新区"),
        (leaf("region", "not_in", ["东湖区", "西岭县"]), "所在县（市、区）不属于东湖区、西岭县"),
        (leaf("mu_chan_grade", "in", ["A", "B"]), "“亩产效益”综合评价等级为A类或B类"),
        (
            leaf("industries", "contains_any", ["软件业", "电子信息制造业"]),
            "所属行业包含软件业、电子信息制造业中的任一项",
        ),
        (leaf("dishonest", "==", False), "未被列入严重失信主体名单"),
        (leaf("mu_chan_grade", "exists"), "已提供“亩产效益”综合评价等级"),
        (leaf("founded", "<", "2020-01-01"), "成立日期早于2020年1月1日"),
        (leaf("years_established", ">=", 3), "成立年限不低于3年"),
        ({"not": REGION}, "所在县（市、区）不为青禾高新区"),
        ({"not": SOFTWARE}, "所属行业不包含软件业"),
        ({"not": leaf("employees", ">=", 10)}, "从业人数低于10人"),
        ({"not": leaf("mu_chan_grade", "exists")}, "未提供“亩产效益”综合评价等级"),
        (
            {"not": {"all": [REGION, SOFTWARE]}},
            "不属于以下情形：（所在县（市、区）为青禾高新区，且所属行业包含软件业）",
        ),
        ({"all": [REV, REGION]}, "同时满足：上一年度营业收入不低于2亿元；所在县（市、区）为青禾高新区"),
        ({"any": [REGION, SOFTWARE]}, "满足其一：所在县（市、区）为青禾高新区；所属行业包含软件业"),
        (
            {"all": [REV, {"any": [REGION, SOFTWARE]}]},
            "同时满足：上一年度营业收入不低于2亿元；（所在县（市、区）为青禾高新区，或所属行业包含软件业）",
        ),
        ({"all": [REGION]}, "所在县（市、区）为青禾高新区"),
        ({"all": []}, "无条件"),
        (True, "无条件"),
        (
            {
                "has": "recognitions",
                "where": {"all": [leaf("level", "==", "national"), leaf("first_time", "==", True)]},
            },
            "企业获得的认定中至少有一项：级别为国家级，且首次获得",
        ),
        ({"has": "projects"}, "至少有一个项目"),
        (
            {"count": "persons", "where": leaf("degree", "==", "博士"), "op": ">=", "value": 2},
            "学历为博士的人员不少于2人",
        ),
        ({"count": "standards", "op": "<", "value": 3}, "标准数量少于3项"),
        ({"has": "persons", "where": leaf("age", "<=", 35)}, "人员中至少有一人：年龄不超过35周岁"),
        (
            {"has": "recognitions", "where": leaf("year", "==", {"year_offset": -1})},
            "企业获得的认定中至少有一项：认定年份为上一年度",
        ),
        ({"fact": "region", "op": "==", "value": "x", "label": "在本市"}, "在本市"),
    ],
)
def test_to_text(data, text):
    assert to_text(data) == text


# --- evaluation ------------------------------------------------------------------------------------


def ev(data, profile, on=ON):
    r = evaluate(data, profile, on)
    fast = evaluate(data, profile, on, trace=False)
    assert (fast.value, fast.missing) == (r.value, r.missing)
    return r.value, r.missing


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("==", "青禾高新区", "青禾高新区", True),
        ("!=", "青禾高新区", "东湖区", True),
        ("in", ["东湖区", "西岭县"], "东湖区", True),
        ("not_in", ["东湖区", "西岭县"], "东湖区", False),
    ],
)
def test_text_ops(op, value, actual, expected):
    assert ev(leaf("region", op, value), {"region": actual}) == (expected, [])


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        (">", 200000000, True),
        (">=", 230000000, True),
        ("<", 230000000, False),
        ("<=", 230000000, True),
        ("==", "230000000.00", True),
        ("!=", 230000000, False),
        ("in", [1, 230000000], True),
    ],
)
def test_number_ops_compare_as_decimals(op, value, expected):
    profile = {"revenue": {"2025": 230000000.0}}
    assert ev(leaf("revenue.2025", op, value), profile) == (expected, [])


def test_floats_do_not_leak_binary_error():
    assert ev(leaf("revenue_growth.2025", "==", 0.3), {"revenue_growth": {"2025": 0.1 + 0.2}}) == (False, [])
    assert ev(leaf("revenue_growth.2025", ">=", 0.3), {"revenue_growth": {"2025": "0.30"}}) == (True, [])


def test_list_ops():
    p = {"industries": ["软件业", "新一代信息技术"]}
    assert ev(SOFTWARE, p) == (True, [])
    assert ev(leaf("industries", "contains", "钢管"), p) == (False, [])
    assert ev(leaf("industries", "contains_any", ["钢管", "新一代信息技术"]), p) == (True, [])
    assert ev(leaf("industries", "contains_any", ["钢管"]), {"industries": []}) == (False, [])


def test_contains_on_text_is_a_substring():
    c = {"has": "recognitions", "where": leaf("name", "contains", "专精特新")}
    assert ev(c, {"recognitions": [{"name": "国家级专精特新“小巨人”企业"}]}) == (True, [])
    assert ev(c, {"recognitions": [{"name": "高新技术企业"}]}) == (False, [])
    assert to_text(c) == "企业获得的认定中至少有一项：名称含有“专精特新”"
    assert to_text({"not": leaf("name", "contains_any", ["银行", "保险"])}) == "企业名称不含有“银行”或“保险”"


def test_the_project_applied_for_and_answers():
    c = {
        "all": [
            leaf("project.investment", ">=", 5000000),
            leaf("answers.q1a2b3c4", "==", True, label="属于鼓励类项目"),
        ]
    }
    assert to_text(c) == "同时满足：申报项目的计划总投资不低于500万元；属于鼓励类项目"
    assert ev(c, {"project": {"investment": 6000000}}) == (None, ["answers"])
    assert ev(c, {"project": {"investment": 6000000}, "answers": {"q1a2b3c4": True}}) == (True, [])
    assert ev(c, {"project": {}}) == (None, ["project.investment", "answers"])


def test_exists_is_never_unknown():
    assert ev(leaf("mu_chan_grade", "exists"), {}) == (False, [])
    assert ev(leaf("mu_chan_grade", "exists", False), {}) == (True, [])
    assert ev(leaf("mu_chan_grade", "exists"), {"mu_chan_grade": "B"}) == (True, [])


def test_dates_and_derived_years():
    p = {"founded": "2019-09-12"}
    assert ev(leaf("founded", "<", "2020-01-01"), p) == (True, [])
    assert ev(leaf("years_established", ">=", 7), p, date(2026, 9, 11)) == (False, [])
    assert ev(leaf("years_established", ">=", 7), p, date(2026, 9, 12)) == (True, [])
    assert ev(leaf("years_established", ">=", 7), {}) == (None, ["founded"])


def test_relative_years_follow_the_evaluation_date():
    p = {"revenue": {"2024": 1, "2025": 2}}
    assert ev(leaf("revenue.last_year", "==", 2), p, date(2026, 1, 1)) == (True, [])
    assert ev(leaf("revenue.last_year", "==", 1), p, date(2025, 12, 31)) == (True, [])
    assert ev(leaf("revenue", "==", 1, year_offset=-2), p, date(2026, 1, 1)) == (True, [])
    year = {"has": "recognitions", "where": leaf("year", "==", {"year_offset": -1})}
    assert ev(year, {"recognitions": [{"year": 2025}]}) == (True, [])
    assert ev(year, {"recognitions": [{"year": 2025}]}, date(2027, 1, 1)) == (False, [])


def test_fact_valued_comparison():
    c = leaf("revenue_growth.last_year", ">", {"fact": "city_avg_revenue_growth.last_year"})
    assert ev(c, {"revenue_growth": {"2025": 0.2}, "city_avg_revenue_growth": {"2025": 0.06}}) == (True, [])
    assert ev(c, {"revenue_growth": {"2025": 0.2}}) == (None, ["city_avg_revenue_growth.2025"])
    assert ev(c, {}) == (None, ["revenue_growth.2025", "city_avg_revenue_growth.2025"])


def test_kleene_all_any_not():
    unknown = leaf("region", "==", "x")
    true = leaf("employees", ">=", 1)
    false = leaf("employees", ">=", 100)
    p = {"employees": 10}
    assert ev({"all": [true, unknown]}, p) == (None, ["region"])
    assert ev({"all": [false, unknown]}, p) == (False, [])
    assert ev({"any": [true, unknown]}, p) == (True, [])
    assert ev({"any": [false, unknown]}, p) == (None, ["region"])
    assert ev({"not": unknown}, p) == (None, ["region"])
    assert ev({"not": false}, p) == (True, [])
    assert ev({"all": []}, p) == (True, [])
    assert ev({"any": []}, p) == (False, [])
    assert ev(False, p) == (False, [])


def test_missing_lists_each_fact_once_in_order():
    c = {
        "all": [
            leaf("region", "==", "x"),
            leaf("mu_chan_grade", "==", "A"),
            {"not": leaf("region", "==", "y")},
        ]
    }
    assert ev(c, {}) == (None, ["region", "mu_chan_grade"])


def test_has_and_count_with_unknown_elements():
    where = {"all": [leaf("role", "==", "博士后"), leaf("age", "<=", 35)]}
    has = {"has": "persons", "where": where}
    count2 = {"count": "persons", "where": where, "op": ">=", "value": 2}
    young, old = (
        {"role": "博士后", "birth_date": "1995-01-01"},
        {"role": "博士后", "birth_date": "1980-01-01"},
    )
    nobody = {"role": "博士后"}
    graduate = {"role": "高校毕业生"}
    assert ev(has, {"persons": [graduate, young]}) == (True, [])
    assert ev(has, {"persons": [graduate, nobody, young]}) == (True, [])  # unknown does not matter
    assert ev(has, {"persons": [old, nobody]}) == (None, ["persons[1].birth_date"])
    assert ev(has, {"persons": [old, graduate]}) == (False, [])
    assert ev(has, {"persons": []}) == (False, [])
    assert ev(has, {}) == (None, ["persons"])
    assert ev(count2, {"persons": [young, young, nobody]}) == (True, [])
    assert ev(count2, {"persons": [young, nobody, nobody]}) == (
        None,
        ["persons[1].birth_date", "persons[2].birth_date"],
    )
    assert ev(count2, {"persons": [young, old, graduate]}) == (False, [])
    exactly1 = {"count": "persons", "where": where, "op": "==", "value": 1}
    assert ev(exactly1, {"persons": [young, nobody]}) == (None, ["persons[1].birth_date"])
    assert ev(exactly1, {"persons": [young, young, nobody]}) == (False, [])
    assert ev({"count": "persons", "op": "<", "value": 3}, {"persons": [graduate]}) == (True, [])


def test_nested_has_reports_full_locations():
    inner = {"has": "persons", "where": leaf("role", "==", "博士后")}
    assert ev(inner, {"persons": [{"name": "x"}]}) == (None, ["persons[0].role"])


def test_profile_values_of_the_wrong_type_raise():
    with pytest.raises(FactError, match="expected a number"):
        evaluate(leaf("revenue.2025", ">", 1), {"revenue": {"2025": "lots"}}, ON)


def test_shared_facts_object():
    facts = Facts({"region": "东湖区"}, ON)
    assert evaluate(REGION, facts, ON).value is False


# --- trace -----------------------------------------------------------------------------------------


def test_trace_explains_each_condition_with_source():
    c = {
        "all": [REV, {"any": [REGION, SOFTWARE], "source": {"clause": "二、（一）", "quote": "……"}}],
        "source": {"clause": "二"},
    }
    r = evaluate(c, {"revenue": {"2025": 250000000}, "industries": ["软件业"]}, ON)
    assert r.value is True and r.missing == []
    rows = [
        (s.at, s.depth, s.kind, s.status, s.text, s.detail, (s.source or {}).get("clause")) for s in r.trace
    ]
    assert rows == [
        ("", 0, "all", "met", "同时满足以下全部条件", "2 项中满足 2 项", "二"),
        ("0", 1, "fact", "met", "上一年度营业收入不低于2亿元", "实际为2.5亿元", "二"),
        ("1", 1, "any", "met", "满足以下条件之一", "2 项中满足 1 项", "二、（一）"),
        ("1.0", 2, "fact", "unknown", "所在县（市、区）为青禾高新区", "缺少：所在县（市、区）", "二、（一）"),
        ("1.1", 2, "fact", "met", "所属行业包含软件业", "实际为软件业", "二、（一）"),
    ]
    assert r.trace[3].missing == ["region"] and r.trace[2].missing == []
    assert r.trace[0].status_zh == "满足" and r.trace[3].status_zh == "待确认"
    assert json.dumps([s.to_dict() for s in r.trace], ensure_ascii=False)


def test_trace_of_quantified_conditions():
    c = {"has": "recognitions", "where": leaf("level", "==", "national")}
    r = evaluate(c, {"recognitions": [{"level": "provincial"}, {"level": "national"}, {}]}, ON)
    assert r.value is True
    assert r.trace[0].detail == "共 3 项，第2项符合"
    r = evaluate(
        {"count": "recognitions", "where": leaf("level", "==", "national"), "op": ">=", "value": 2},
        {"recognitions": [{"level": "national"}, {}]},
        ON,
    )
    assert r.value is None and r.trace[0].detail == "共 2 项，第1项符合，1 项待确认"


def test_referenced_facts():
    c = {
        "all": [
            REV,
            {"has": "persons", "where": leaf("age", "<=", 35)},
            leaf("revenue_growth.last_year", ">", {"fact": "city_avg_revenue_growth.last_year"}),
        ]
    }
    assert referenced_facts(c, ON) == {
        "revenue",
        "revenue.2025",
        "persons",
        "persons[].age",
        "persons[].birth_date",
        "revenue_growth",
        "revenue_growth.2025",
        "city_avg_revenue_growth",
        "city_avg_revenue_growth.2025",
    }
