"""Conditions over the fact vocabulary, on sentences written for these tests (fictional 青禾市 wording).

Each new kind of fact is read from a phrase and evaluated on a profile that has it; what is not a
condition (work statements, circumstances, procedure) leaves no claim behind.
"""

from __future__ import annotations

from datetime import date

import pytest

from zhengcetong.ingest.item_rules import conditions_for, is_restriction
from zhengcetong.match.conditions import evaluate
from zhengcetong.match.rules import Rule

ON = date(2026, 5, 1)


def claims_in(node) -> list[str]:
    """The claim facts left in a condition tree."""
    if isinstance(node, dict):
        own = [node["fact"]] if str(node.get("fact", "")).startswith("claims.") else []
        return own + [c for v in node.values() for c in claims_in(v)]
    if isinstance(node, list):
        return [c for v in node for c in claims_in(v)]
    return []


def typed(text: str) -> dict:
    """The conditions of ``text``, which must be fully typed and compile as a rule's condition."""
    condition = conditions_for(text)
    assert claims_in(condition) == [], condition
    reference = {"doc_number": "青政发〔2026〕99号", "clause": "一"}
    Rule.from_dict(
        {"item_id": "t", "name": "t", "reference": reference, "condition": condition, "formula": 0}
    )
    return condition


def holds(condition: dict, profile: dict) -> bool | None:
    return evaluate(condition, profile, ON).value


# --- a named document's requirements ------------------------------------------------------------------


def test_a_reference_to_a_document_is_complies_with_that_document():
    condition = typed("符合《青禾市中小企业数字化诊断补贴实施细则》相关规定的被服务企业")
    assert condition == {
        "fact": "complies_with",
        "op": "contains",
        "value": "青禾市中小企业数字化诊断补贴实施细则",
        "label": "符合《青禾市中小企业数字化诊断补贴实施细则》相关规定",
    }
    assert holds(condition, {"complies_with": ["青禾市中小企业数字化诊断补贴实施细则"]}) is True
    assert holds(condition, {"complies_with": []}) is False
    assert holds(condition, {}) is None
    policy = typed("符合节能审查相关要求的项目")
    assert policy["value"] == "节能审查相关要求"
    assert claims_in(conditions_for("符合条件的企业"))  # names no document: still a claim


# --- persons ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "person"),
    [
        ("对招用残疾人的企业", {"fact": "disabled", "op": "==", "value": True}, {"disabled": True}),
        (
            "符合省级人才认定条件的人员",
            {"fact": "talent_level", "op": "in", "value": ["national", "provincial"]},
            {"talent_level": "national"},
        ),
        (
            "省级青年人才支持计划引进人选",
            {"fact": "talent_program", "op": "contains", "value": "青年人才支持计划"},
            {"talent_program": "省级青年人才支持计划"},
        ),
        (
            "经年度考核优秀的博士后研究人员",
            {
                "all": [
                    {"fact": "role", "op": "==", "value": "博士后"},
                    {"fact": "assessment", "op": "==", "value": "优秀"},
                ]
            },
            {"role": "博士后", "assessment": "优秀"},
        ),
        (
            "取得职业资格证书的残疾人",
            {
                "all": [
                    {"fact": "disabled", "op": "==", "value": True},
                    {"fact": "certificate", "op": "contains", "value": "职业资格证书"},
                ]
            },
            {"disabled": True, "certificate": "中式烹调师职业资格证书"},
        ),
        (
            "随迁落户的配偶",
            {
                "all": [
                    {"fact": "role", "op": "==", "value": "配偶"},
                    {"fact": "settled", "op": "==", "value": True},
                ]
            },
            {"role": "配偶", "settled": True},
        ),
        (
            "全职引进的出站博士后",
            {
                "all": [
                    {"fact": "role", "op": "==", "value": "出站博士后"},
                    {"fact": "full_time", "op": "==", "value": True},
                ]
            },
            {"role": "出站博士后", "full_time": True},
        ),
    ],
)
def test_the_persons_an_item_is_for(text, where, person):
    condition = typed(text)
    assert condition["has"] == "persons" and condition["where"] == where
    assert holds(condition, {"persons": [{"name": "甲"}, person]}) is True
    assert holds(condition, {"persons": []}) is False


def test_the_persons_of_a_talent_level_include_the_higher_levels():
    condition = typed("符合市级人才认定条件的人员")
    assert holds(condition, {"persons": [{"talent_level": "provincial"}]}) is True
    assert holds(condition, {"persons": [{"talent_level": "county"}]}) is False


# --- the applicant: what it does, what kind of body, where it is ----------------------------------------


def test_what_the_applicant_does_and_what_kind_of_body_it_is():
    condition = typed("从事集成电路设计的企业")
    assert condition["all"] == [
        {"fact": "entity_type", "op": "==", "value": "企业"},
        {"fact": "activities", "op": "contains", "value": "集成电路设计"},
    ]
    assert holds(condition, {"entity_type": "企业", "activities": ["集成电路设计"]}) is True
    provider = typed("养老服务提供者")
    assert provider == {
        "fact": "activities",
        "op": "contains",
        "value": "养老服务",
        "label": "养老服务提供者",
    }


def test_a_list_of_applicants_of_a_qualification_is_any_of_them():
    condition = typed("企业、社会组织及县级以上农业科技园区申请设立青禾市众创空间")
    assert condition["any"][0] == {"fact": "entity_type", "op": "==", "value": "企业", "label": "企业"}
    park = {"entity_type": "园区", "recognitions": [{"name": "青禾农业科技园区", "level": "county"}]}
    assert holds(condition, park) is True
    assert holds(condition, {"entity_type": "社会组织"}) is True
    assert holds(condition, {"entity_type": "事业单位", "recognitions": []}) is False


def test_an_industrial_park_premises_and_an_exhibition():
    park = typed("入驻青禾智能制造产业园的企业")
    assert park == {
        "fact": "in_industrial_park",
        "op": "==",
        "value": True,
        "label": "入驻青禾智能制造产业园",
    }
    premises, size = typed("租用自用生产厂房的小微企业")["all"]
    assert premises["has"] == "premises" and size["fact"] == "scale"
    assert holds(premises, {"premises": [{"tenure": "leased", "self_use": True, "use": "生产"}]}) is True
    assert holds(premises, {"premises": [{"tenure": "owned", "self_use": True, "use": "生产"}]}) is False
    fair = typed("参加境内重点展会的企业")
    assert fair["where"] == {
        "all": [
            {"fact": "key", "op": "==", "value": True},
            {"fact": "international", "op": "==", "value": False},
        ]
    }
    assert holds(fair, {"exhibitions": [{"name": "青禾工博会", "key": True, "international": False}]}) is True


def test_insurance_of_a_first_version_product():
    condition = typed("首台（套）装备投保综合保险的企业")
    assert condition["has"] == "insurance"
    assert holds(condition, {"insurance": [{"kind": "综合保险", "product": "首台（套）装备"}]}) is True
    assert holds(condition, {"insurance": [{"kind": "财产保险", "product": "首台（套）装备"}]}) is False


# --- projects -----------------------------------------------------------------------------------------


def test_what_a_project_involves_is_read_on_the_same_project():
    condition = typed("不涉及用地性质变更的改造项目")
    assert condition["has"] == "projects"
    assert condition["where"]["all"] == [
        {"fact": "kind", "op": "==", "value": "技术改造"},
        {"fact": "changes_land_use", "op": "==", "value": False},
    ]
    two = {
        "projects": [
            {"kind": "技术改造", "changes_land_use": True},
            {"kind": "设备更新", "changes_land_use": False},
        ]
    }
    assert holds(condition, two) is False  # one project must be both
    low_risk = typed("实行告知承诺制的简易低风险工程建设项目")
    assert holds(low_risk, {"projects": [{"low_risk": True, "commitment": True}]}) is True


def test_a_project_on_a_list_and_the_land_it_uses():
    listed = typed("列入市级重点建设项目的")
    assert listed["where"] == {"fact": "listed_in", "op": "contains", "value": "市级重点建设项目"}
    land = typed("利用未利用地建设的光伏电站")
    assert land["where"]["all"] == [
        {"fact": "land_type", "op": "==", "value": "未利用地"},
        {"fact": "kind", "op": "contains", "value": "光伏电站"},
    ]


# --- what is not a condition ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "瞄准新材料领域，着力招引投资规模大的项目",
        "加大人才引进力度",
        "依托青禾人才服务平台，拓宽服务范围",
        "严格执行《青禾市税收征管办法》等税收政策",
        "新建标准厂房时，有条件的地方",
        "公民、法人和其他组织持营业执照、身份证等证明",
        "申请设立青禾市企业技术中心",
        "每三年评选一次青禾工匠",
        "厂区道路符合乡村道路标准的可按乡村道路管理",
    ],
)
def test_work_statements_circumstances_and_procedure_are_not_conditions(text):
    assert conditions_for(text) == {}


def test_what_a_right_changes_is_not_a_condition():
    assert conditions_for("城市更新项目的容积率、建筑密度等指标") == {
        "has": "projects",
        "where": {"fact": "kind", "op": "==", "value": "城市更新"},
        "label": "项目：城市更新项目",
    }


def test_a_work_statement_may_still_name_the_beneficiary():
    # "将…纳入绿色通道" is the government's work; the kind of project it names is still read
    condition = conditions_for("将城市更新项目的审批手续纳入")
    assert condition["has"] == "projects" and not claims_in(condition)


def test_restrictions_are_kept():
    assert is_restriction("对首次认定的企业", last=True)
    assert is_restriction("积极参与标准制定的企业", last=True)
    assert not is_restriction("着力招引龙头企业", last=True)
    assert claims_in(conditions_for("产品具有自主知识产权的企业"))  # untyped, so a claim


# --- every typed piece of a phrase is read; only the rest is a claim ------------------------------------


def test_a_named_recognition_is_read_beside_a_revenue_threshold():
    revenue, recognition = typed("上一年度主营业务收入达到5000万元的高新技术企业")["all"]
    assert revenue["fact"] == "revenue.last_year" and revenue["value"] == 50_000_000
    assert recognition["where"] == {"fact": "name", "op": "contains", "value": "高新技术"}
    known = {"revenue": {"2025": 60_000_000}, "recognitions": [{"name": "高新技术企业"}]}
    assert holds({"all": [revenue, recognition]}, known) is True
    assert holds(recognition, {"recognitions": [{"name": "科技型中小企业"}]}) is False


def test_a_named_recognition_is_read_beside_a_project_and_a_person():
    project, recognition = typed("瞪羚企业实施的设备更新项目")["all"]
    assert project["where"] == {"fact": "kind", "op": "==", "value": "设备更新"}
    assert recognition["where"]["value"] == "瞪羚"
    person, recognition = typed("独角兽企业新招用的高校毕业生")["all"]
    assert holds(person, {"persons": [{"role": "高校毕业生", "new_hire": True}]}) is True
    assert holds(person, {"persons": [{"role": "高校毕业生", "new_hire": False}]}) is False
    assert recognition["where"]["value"] == "独角兽"


def test_a_recognition_read_with_its_verb_is_not_read_again_by_name():
    condition = typed("首次认定为省级专精特新中小企业")
    assert condition["has"] == "recognitions" and "all" in condition["where"]  # one recognition, not two


def test_only_the_untyped_remainder_is_a_claim_labelled_with_itself():
    revenue, claim = conditions_for("上一年度营业收入超过2亿元且拥有自主品牌的企业")["all"]
    assert revenue["fact"] == "revenue.last_year"
    assert claim["label"] == "拥有自主品牌的企业" and claim["question"] == "贵单位是否拥有自主品牌？"
    # a short modifier of what was read is asked with the phrase it modifies
    person, claim = conditions_for("业绩突出的博士")["all"]
    assert person["has"] == "persons" and claim["label"] == "业绩突出的博士"
    assert claim["question"] == "申请人是否属于业绩突出的博士？"


def test_claim_questions_follow_the_grammar_of_the_phrase():
    first = conditions_for("符合条件的示范性创业孵化载体")
    assert first["question"] == "贵单位是否属于符合条件的示范性创业孵化载体？"
    assert conditions_for("符合本市主导产业方向的企业")["question"] == "贵单位是否符合本市主导产业方向？"
    assert conditions_for("企业开展岗位技能提升培训")["question"] == "贵单位是否开展岗位技能提升培训？"
    assert conditions_for("带动就业效果明显")["question"] == "贵单位是否符合：带动就业效果明显？"


def test_capital_and_trade_thresholds():
    capital = typed("实缴注册资本3000万元以上的企业")
    assert capital == {
        "fact": "paid_in_capital",
        "op": ">=",
        "value": 30_000_000,
        "label": "实缴注册资本3000万元以上",
    }
    low, high = typed("实缴注册资本2000万元（含）至1亿元的企业")["all"]
    assert (low["op"], low["value"], high["op"], high["value"]) == (">=", 20_000_000, "<", 100_000_000)
    trade, before = typed("年度进出口额首次突破五千万美元的企业")["all"]
    assert trade["fact"] == "import_export_usd.last_year" and trade["value"] == 50_000_000
    assert before["fact"] == "import_export_usd.year_before_last"
    first = {"import_export_usd": {"2025": 60_000_000, "2024": 40_000_000}}
    again = {"import_export_usd": {"2025": 60_000_000, "2024": 55_000_000}}
    assert holds({"all": [trade, before]}, first) is True
    assert holds({"all": [trade, before]}, again) is False


def test_above_scale_growth_over_the_year_before_and_a_new_enterprise():
    growth, scale = typed("规上工业企业研发费用较上年增长")["all"]
    assert scale == {"fact": "above_scale", "op": "contains", "value": "工业", "label": "规上工业企业"}
    assert holds(growth, {"rd_expense": {"2025": 3_000_000, "2024": 2_000_000}}) is True
    assert holds(growth, {"rd_expense": {"2025": 2_000_000, "2024": 2_000_000}}) is False
    parts = typed("新落户的区域总部企业，具有独立法人资格")["all"]
    assert {p.get("fact") or p["where"]["value"] for p in parts} == {
        "newly_introduced",
        "legal_person",
        "总部",
    }
    assert "above_scale" not in str(conditions_for("全市规模以上工业增加值增长"))  # not an enterprise


def test_rankings_sizes_insurance_and_persons_in_need():
    ranking = typed("首次入围全国服务业企业500强的企业")
    assert ranking["where"]["all"][0] == {"fact": "name", "op": "contains", "value": "全国服务业企业500强"}
    insurance, size = typed("中小微企业投保出口信用保险")["all"]
    assert insurance["where"] == {"fact": "kind", "op": "contains", "value": "出口信用保险"}
    assert size == {"fact": "scale", "op": "in", "value": ["中型", "小型", "微型"], "label": "中小微企业"}
    person = typed("新招聘的就业困难人员，签订2年以上劳动合同并依法缴纳社会保险")
    assert holds(
        person,
        {
            "persons": [
                {"role": "就业困难人员", "new_hire": True, "contract_years": 3, "social_insurance": True}
            ]
        },
    )
    assert not holds(
        person,
        {
            "persons": [
                {"role": "就业困难人员", "new_hire": True, "contract_years": 3, "social_insurance": False}
            ]
        },
    )
    founder = conditions_for("开办个体工商户或从事个体经营的就业困难人员")
    assert "founder" in str(founder)
