"""Stored policy items evaluated as rules (试算): versions, validity, references, profiles, visibility.

The items are the ones extraction finds in the project's sample gazette, so the amounts below come from
real extracted formulas (a 10% rate capped at 200万元, 3,000 元 a month for at most 36 months).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories.ingest import ingest_file
from tests.factories.library import DocumentFactory, DocumentRelationFactory, PolicyItemFactory
from zhengcetong import clock
from zhengcetong.errors import NotFound
from zhengcetong.ingest.measures import extract_items
from zhengcetong.library import items as policy_items
from zhengcetong.library.validity import in_force_period
from zhengcetong.match import service as calc
from zhengcetong.samples import sample_path

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "profile_equipment.yaml"
ON = date(2026, 5, 1)
ZJTX = "青政办发〔2026〕8号"


@pytest.fixture
def library(db_session):
    ingest_file(db_session, sample_path().read_bytes(), "sample.txt")
    return db_session


def find(session, doc_number: str, clause: str, wanted=lambda i: True):
    found = [
        i
        for i in policy_items.list_items(db_session=session, doc_number=doc_number)
        if i.clause_path == clause and wanted(i)
    ]
    assert found, f"no item at {doc_number} {clause}"
    return found[0]


def equipment_item(session):
    """二: 按照不超过设备实际购置金额10%的比例给予补助，单户企业最高200万元."""
    return find(session, ZJTX, "二", lambda i: i.rate == Decimal("0.1") and i.formula is not None)


# --- an item as a rule -----------------------------------------------------------------------------


def test_rule_for_item_carries_key_version_validity_and_the_clause(library):
    item = equipment_item(library)
    rule = calc.rule_for_item(db_session=library, item=item)
    document = item.document
    assert (rule.item_id, rule.name, rule.version) == (item.key, item.name, 1)
    assert rule.valid_from == (document.effective_from or document.date) and rule.valid_until is None
    ref = rule.reference
    assert (ref.doc_number, ref.clause, ref.title) == (ZJTX, "二", document.title)
    assert document.body[ref.start : ref.end] == ref.quote == item.quote
    assert "10%" in ref.quote and ref.url == f"/documents/{document.uid}"


def test_validity_follows_the_documents_period_in_force(library):
    item = find(library, "青政字〔2026〕4号", "二/（二）/2")  # 有效期3年, from 2026-02-18
    rule = calc.rule_for_item(db_session=library, item=item)
    assert (rule.valid_from, rule.valid_until) == (date(2026, 2, 18), date(2029, 2, 17))
    late = calc.calculate(db_session=library, item_ref=item.key, profile={}, on=date(2029, 3, 1)).outcome
    assert (
        late.eligible == "ineligible" and "已失效" in late.reasons[0] and "2029年2月17日" in late.reasons[0]
    )
    early = calc.calculate(db_session=library, item_ref=item.id, profile={}, on=date(2026, 1, 5)).outcome
    assert early.eligible == "ineligible" and "尚未施行" in early.reasons[0]


def test_a_repeal_ends_the_rule_the_day_before_it_takes_effect(db_session):
    document = DocumentFactory(date=date(2024, 1, 15), effective_until=date(2029, 1, 14))
    item = PolicyItemFactory(document=document)
    DocumentRelationFactory(target_document_id=document.id, effective_on=date(2025, 7, 1))
    db_session.flush()
    assert in_force_period(db_session=db_session, document=document) == (
        date(2024, 1, 15),
        date(2025, 6, 30),
    )
    profile = {"recognitions": [{"level": "national"}]}
    before = calc.calculate(db_session=db_session, item_ref=item.key, profile=profile, on=date(2025, 6, 30))
    after = calc.calculate(db_session=db_session, item_ref=item.key, profile=profile, on=date(2025, 7, 1))
    assert before.outcome.eligible == "eligible" and before.outcome.amount == Decimal(50000)
    assert after.outcome.eligible == "ineligible" and "已失效" in after.outcome.reasons[0]


# --- amounts from real extracted formulas ------------------------------------------------------------


@pytest.mark.parametrize(
    ("equipment_cost", "amount"),
    [(3_500_000, Decimal("350000.00")), (30_000_000, Decimal("2000000.00")), (1234.5, Decimal("123.45"))],
    ids=["rate", "capped", "fen"],
)
def test_rate_with_a_cap(library, equipment_cost, amount):
    item = equipment_item(library)
    profile = {"project": {"equipment_cost": equipment_cost}}
    result = calc.calculate(db_session=library, item_ref=item.key, profile=profile, on=ON)
    outcome = result.outcome
    assert outcome.amount == amount and outcome.eligible != "ineligible"
    assert outcome.steps[0].startswith("10% × 申报项目的设备（含软件）购置金额")
    assert "2,000,000 元" in outcome.steps[-2] and outcome.steps[-1].startswith("最高 ")  # "按照不超过…10%"
    assert outcome.up_to
    data = result.to_dict()
    assert data["amount"] == str(amount) and data["version"] == 1 and data["item"]["status"] == "draft"
    assert data["reference"]["doc_number"] == ZJTX and data["reference"]["clause"] == "二"
    assert "尚未审核发布" in data["warnings"][0]


def test_per_month_with_a_limit(library):
    item = find(library, ZJTX, "三")  # 每人每月给予3000元生活补贴，最长不超过36个月
    assert (item.per, item.amount_max_yuan, item.months_max) == ("month", Decimal(3000), 36), item.formula
    doctor = {"degree": "博士", "full_time": True, "new_hire": True}  # 专精特新企业新引进的全职博士
    one, two = [{"name": "甲", **doctor}], [{"name": "甲", **doctor}, {"name": "乙", **doctor}]
    short = calc.calculate(
        db_session=library, item_ref=item.key, profile={"months": 12, "persons": one}, on=ON
    )
    long = calc.calculate(
        db_session=library, item_ref=item.key, profile={"months": 40, "persons": one}, on=ON
    )
    assert (short.outcome.amount, long.outcome.amount) == (Decimal("36000.00"), Decimal("108000.00"))
    pair = calc.calculate(
        db_session=library, item_ref=item.key, profile={"months": 12, "persons": two}, on=ON
    )
    assert pair.outcome.amount == Decimal("72000.00")  # 每人: two persons get twice one's allowance
    assert not pair.outcome.up_to  # 给予3000元 is the amount itself
    assert "每人每月 3,000 元 × 2 人 × 12 个月 = 72,000 元" in pair.outcome.steps
    assert "按新引进全职博士人数 2 计算" in pair.outcome.steps
    master = {"name": "丙", "degree": "硕士", "full_time": True, "new_hire": True}
    three = calc.calculate(
        db_session=library, item_ref=item.key, profile={"months": 12, "persons": [*two, master]}, on=ON
    )
    assert three.outcome.amount == Decimal("72000.00")  # the 硕士 is not a 全职博士: not counted
    assert "新引进全职博士：共 3 人，其中符合条件的 2 人" in three.outcome.steps


def test_an_extracted_monthly_allowance_computes_months_up_to_its_limit():
    from tests.cases.quality import clause_document
    from zhengcetong.match.formulas import compute

    (item,) = extract_items(
        clause_document("对新引进的全职硕士，每人每月给予1500元租房补贴，最长不超过24个月。")
    )
    assert (item.per, item.amount_max_yuan, item.months_max) == ("month", Decimal(1500), 24)
    one = [{"name": "甲"}]
    amounts = [compute(item.formula, {"months": m, "persons": one}, ON).amount for m in (10, 24, 30)]
    assert amounts == [Decimal("15000.00"), Decimal("36000.00"), Decimal("36000.00")]
    three = compute(item.formula, {"months": 10, "persons": one * 3}, ON)
    assert three.amount == Decimal("45000.00") and "按人数 3 计算" in three.steps


def test_missing_facts_are_named_in_chinese(library):
    item = equipment_item(library)
    result = calc.calculate(db_session=library, item_ref=item.key, profile={}, on=ON)
    data = result.to_dict()
    assert data["eligible"] == "possibly" and data["amount"] is None and data["amount_text"] == "金额待补充"
    assert "project" in data["missing"] or "project.equipment_cost" in data["missing"]
    assert any("申报项目" in label for label in data["missing_labels"])
    question = [q for q in calc.question_labels(item.conditions).values()]
    if question:  # the condition is a question put to the applicant: it is named by its wording
        assert f"申请人确认：{question[0]}" in data["missing_labels"]


def test_the_example_profile(library):
    profile = calc.parse_profile(EXAMPLE.read_text(encoding="utf-8"), source=str(EXAMPLE))
    assert profile["founded"] == "2015-06-18" and profile["revenue"]["2025"] == 126000000
    result = calc.calculate(db_session=library, item_ref=equipment_item(library).id, profile=profile, on=ON)
    assert result.outcome.amount == Decimal("350000.00")
    award = find(library, ZJTX, "一/（一）", lambda i: "省级" in i.name)
    outcome = calc.calculate(db_session=library, item_ref=award.key, profile=profile, on=ON).outcome
    assert (outcome.eligible, outcome.amount, outcome.up_to) == ("eligible", Decimal(100000), True)
    assert outcome.reasons[0].startswith("满足：")


# --- versions ------------------------------------------------------------------------------------


def test_calculate_uses_the_current_version_and_can_replay_an_earlier_one(library):
    item = equipment_item(library)
    formula = {"min": [{"*": ["0.08", {"fact": "project.equipment_cost"}]}, "2000000"]}
    policy_items.edit_item(
        db_session=library,
        item=item,
        changes={"formula": formula},
        actor="reviewer:li",
        rules=calc.RULES,
    )
    profile = {"project": {"equipment_cost": 3_500_000}}
    now = calc.calculate(db_session=library, item_ref=item.key, profile=profile, on=ON)
    assert (now.outcome.version, now.outcome.amount) == (2, Decimal("280000.00"))
    assert not any("版规则计算" in w for w in now.warnings)
    then = calc.calculate(db_session=library, item_ref=item.key, profile=profile, on=ON, version=1)
    assert (then.outcome.version, then.outcome.amount) == (1, Decimal("350000.00"))
    assert "按第 1 版规则计算（现行为第 2 版）" in then.warnings
    with pytest.raises(NotFound, match="没有第 7 版"):
        calc.calculate(db_session=library, item_ref=item.key, profile=profile, on=ON, version=7)


# --- who may calculate what ----------------------------------------------------------------------


def test_the_public_may_calculate_only_published_items_of_documents_in_force(db_session):
    today = clock.today()
    current = PolicyItemFactory(document=DocumentFactory(date=today - timedelta(days=30)))
    lapsed = PolicyItemFactory(
        document=DocumentFactory(date=date(2020, 1, 1), effective_until=today - timedelta(days=1)),
        status="published",
    )
    profile = {"recognitions": []}
    with pytest.raises(NotFound) as hidden:
        calc.calculate(db_session=db_session, item_ref=current.key, profile=profile, public=True)
    with pytest.raises(NotFound) as missing:
        calc.calculate(db_session=db_session, item_ref="no-such-item", profile=profile, public=True)
    assert str(hidden.value).replace(current.key, "X") == str(missing.value).replace("no-such-item", "X")
    policy_items.publish_items(db_session=db_session, items=[current], actor="test")
    shown = calc.calculate(db_session=db_session, item_ref=current.key, profile=profile, public=True)
    assert shown.outcome.eligible == "ineligible" and shown.warnings == []
    with pytest.raises(NotFound):
        calc.calculate(db_session=db_session, item_ref=lapsed.key, profile=profile, public=True)
    staff = calc.calculate(db_session=db_session, item_ref=lapsed.key, profile=profile, on=date(2021, 1, 1))
    assert staff.status == "withdrawn" and "已撤回" in staff.warnings[0]
    upcoming = PolicyItemFactory(
        document=DocumentFactory(date=today, effective_from=today + timedelta(days=10)), status="published"
    )
    with pytest.raises(NotFound):  # published, but its document is not in force yet: not public anywhere
        calc.calculate(db_session=db_session, item_ref=upcoming.key, profile=profile, public=True)
    assert upcoming not in policy_items.list_items(db_session=db_session, public_on=today)
    assert upcoming in policy_items.list_items(db_session=db_session, public_on=today + timedelta(days=10))


def test_an_item_whose_key_is_all_digits_is_found(db_session):
    item = PolicyItemFactory(key="987654321098")
    db_session.flush()
    assert policy_items.get_item(db_session=db_session, item_id="987654321098") is item
    assert policy_items.get_item(db_session=db_session, item_id=str(item.id)) is item


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"reveune": {"2025": 1}}, "reveune：未知的事实名称“reveune”，是否应为 “revenue”？"),
        ({"employees": "很多"}, "employees：从业人数：应为整数"),
        (
            {"recognitions": [{"levle": "national"}]},
            "recognitions[0].levle：未知的字段“levle”，是否应为 “level”？",
        ),
        ({"mu_chan_grade": "甲"}, "mu_chan_grade：“亩产效益”综合评价等级：应为 A（A类）"),
        ([1, 2], "企业画像必须是 JSON 对象"),
    ],
    ids=["typo", "type", "field", "enum", "not-an-object"],
)
def test_a_bad_profile_names_the_field_and_the_suggestion(library, profile, expected):
    item = equipment_item(library)
    with pytest.raises(calc.ProfileError) as error:
        calc.calculate(db_session=library, item_ref=item.key, profile=profile, on=ON, source="p.json")
    message = str(error.value)
    assert message.startswith("p.json: 企业画像有误：") and expected in message and "\n" not in message


def test_parse_profile_reports_json_and_yaml_errors():
    with pytest.raises(calc.ProfileError, match="不是有效的 JSON（第 1 行第 15 列）"):
        calc.parse_profile('{"employees": }', source="p.json")
    with pytest.raises(calc.ProfileError, match="不是有效的 JSON 或 YAML（第 2 行）"):
        calc.parse_profile("a: [1\nb: }", source="p.yaml")
    with pytest.raises(calc.ProfileError, match="企业画像为空"):
        calc.parse_profile("  \n", source="p.yaml")
    assert calc.parse_profile("revenue: {2025: 1.5e8}\n", source="p.yml") == {"revenue": {"2025": "1.5e8"}}


def test_a_stored_rule_that_does_not_compile_cannot_be_calculated(db_session):
    item = PolicyItemFactory(conditions={"fact": "revenu.last_year", "op": ">", "value": 1})
    with pytest.raises(calc.ItemRuleError) as error:
        calc.calculate(db_session=db_session, item_ref=item.key, profile={}, on=ON)
    assert error.value.problems == ["条件 fact：未知的事实名称“revenu”，是否应为 “revenue”？"]
    assert "请审核人员在审核后台修正" in str(error.value)


# --- rules in words ------------------------------------------------------------------------------


def test_rule_problems_list_every_problem_in_chinese():
    assert calc.rule_problems(
        "conditions", {"all": [{"fact": "revenu", "op": ">", "value": 1}, {"oops": 1}]}
    ) == [
        "条件 all[0].fact：未知的事实名称“revenu”，是否应为 “revenue”？",
        "条件 all[1]：条件应含以下键之一：all, any, not, fact, has, count",
    ]
    assert calc.rule_problems("formula", {"min": ["x", 1]}) == ["公式 min[0]：无法识别的数值“x”"]
    assert calc.rule_problems("formula", {"*": [0.1, {"fact": "project.equipment_cost"}]}) == []


@pytest.mark.parametrize(
    ("formula", "text"),
    [
        ({"const": 30000}, "3万元"),
        (
            {
                "rate": {"grade": "mu_chan_grade", "table": {"A": 0.1, "C": 0.08}},
                "base": 1000000,
                "cap": 2000000,
            },
            "100万元 × 按“亩产效益”综合评价等级：A类 10%、C类 8%（不超过 200万元）",
        ),
        (
            {
                "cases": [
                    {"when": {"fact": "revenue.last_year", "op": ">=", "value": 100000000}, "then": 80000}
                ],
                "else": 50000,
            },
            "上一年度营业收入不低于1亿元的，8万元；其他情形，5万元",
        ),
        (
            {
                "sum": "persons",
                "where": {"fact": "role", "op": "==", "value": "博士后"},
                "of": {"per_month": 2000, "months": {"fact": "months"}},
            },
            "人员中身份为博士后的每人按 每月 2,000元 × 在岗（在站）月数 计，合计",
        ),
        (
            {"round": {"/": [{"fact": "rd_expense.2025"}, 2]}, "to": "wan", "mode": "down"},
            "2025年度研发费用 ÷ 2（按万元舍去尾数）",
        ),
    ],
    ids=["const", "grade", "cases", "sum", "round"],
)
def test_formula_text(formula, text):
    assert calc.formula_text(formula) == text


def test_rule_text_shows_the_logic_behind_a_label_and_the_facts_to_ask_for():
    conditions = {
        "all": [
            {
                "fact": "revenue.last_year",
                "op": ">=",
                "value": 100000000,
                "label": "上一年度营业收入超过1亿元",
            },
            {"fact": "answers.q1", "op": "==", "value": True, "label": "属于专精特新企业"},
        ]
    }
    text = calc.rule_text(conditions=conditions, formula={"up_to": "80000"}, on=ON)
    assert text["conditions"] == "同时满足：上一年度营业收入超过1亿元；属于专精特新企业"
    assert text["logic"] == "同时满足：上一年度营业收入不低于1亿元；属于专精特新企业"
    assert text["formula"] == "最高 8万元" and text["problems"] == []
    assert text["facts"] == [
        {"fact": "answers.q1", "label": "申请人确认：属于专精特新企业"},
        {"fact": "revenue.2025", "label": "2025年度营业收入"},
    ]
    broken = calc.rule_text(conditions={"fact": "x"}, formula=None)
    assert broken["conditions"] is None and broken["problems"]


def test_a_condition_set_to_false_is_never_met_and_an_empty_one_always_is(db_session):
    never = PolicyItemFactory(conditions=False)
    empty = PolicyItemFactory(conditions={})
    db_session.flush()
    assert (
        calc.calculate(db_session=db_session, item_ref=never.key, profile={}, on=ON).outcome.eligible
        == "ineligible"
    )
    outcome = calc.calculate(db_session=db_session, item_ref=empty.key, profile={}, on=ON).outcome
    assert (outcome.eligible, outcome.amount) == ("eligible", Decimal(50000))
    assert calc.rule_text(conditions=False, formula=None)["conditions"] == "不适用"
    assert calc.rule_text(conditions={}, formula=None)["conditions"] == "无条件"
