"""Item extraction, one phrasing family at a time, on policy text written for these tests.

The texts are our own (fictional 青禾市 wording in several styles); none is copied from the seed gazettes
or from the held-out set in tests/cases/items/own_heldout.yaml.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.cases.quality import clause_document
from zhengcetong.ingest.measures import conditions_for, extract_items, items_to_json
from zhengcetong.ingest.parse import parse_text
from zhengcetong.match.conditions import check_condition
from zhengcetong.match.formulas import check_formula, compute


def items_of(text: str):
    return extract_items(clause_document(text))


def amounts(items) -> list[int | None]:
    return [None if i.amount_max_yuan is None else int(i.amount_max_yuan) for i in items]


# --- distributive lists ---------------------------------------------------------------------------


def test_national_and_provincial_share_one_noun():
    items = items_of("对首次入选国家和省中小企业公共服务示范平台的，分别给予最高40万元、20万元一次性奖励。")
    assert [(i.amount_max_yuan, i.condition) for i in items] == [
        (Decimal(400000), "首次入选国家中小企业公共服务示范平台"),
        (Decimal(200000), "首次入选省中小企业公共服务示范平台"),
    ]
    national = items[0].conditions
    assert national["has"] == "recognitions"
    assert {"fact": "level", "op": "==", "value": "national"} in national["where"]["all"]
    assert {"fact": "first_time", "op": "==", "value": True} in national["where"]["all"]
    assert items[0].benefit_kind == "award" and items[0].per == "once" and items[0].category == "奖补"


def test_five_recognitions_share_a_level():
    text = "对首次认定为省级甲方案供应商、乙标杆企业、丙工厂、丁车间、戊场景的，分别给予最高80万元、60万元、50万元、20万元、5万元一次性奖励。"
    items = items_of(text)
    assert amounts(items) == [800000, 600000, 500000, 200000, 50000]
    assert items[-1].condition == "首次认定为省级戊场景"


def test_complete_elements_are_not_merged():
    items = items_of("对新认定为国家级企业技术中心、省级工程研究中心的，分别奖励80万元、30万元。")
    assert [i.condition for i in items] == ["新认定为国家级企业技术中心", "新认定为省级工程研究中心"]
    assert amounts(items) == [800000, 300000]


def test_province_or_nation_without_the_word_fenbie():
    items = items_of("获得省或国家科技进步奖的项目团队，由市财政给予5万元、10万元的配套奖励。")
    assert amounts(items) == [50000, 100000]
    assert ["省科技进步奖" in items[0].condition, "国家科技进步奖" in items[1].condition] == [True, True]


def test_money_thresholds_are_distributed():
    items = items_of("对年纳税额首次超过5000万元、1亿元的企业，分别奖励企业经营者20万元、50万元。")
    assert [(i.amount_max_yuan, "5000万元" in i.condition, "1亿元" in i.condition) for i in items] == [
        (Decimal(200000), True, False),
        (Decimal(500000), False, True),
    ]


def test_graded_list_after_an_announcing_grant():
    items = items_of(
        "对通过数据管理能力成熟度评估的企业，按评估等级给予奖励，其中四级、三级、二级分别给予15万元、10万元、5万元。"
    )
    assert amounts(items) == [150000, 100000, 50000]
    assert [i.condition.endswith(level) for i, level in zip(items, ["四级", "三级", "二级"], strict=True)]


# --- tiers ------------------------------------------------------------------------------------------


def test_revenue_tiers_become_machine_conditions():
    text = "（三）对上一年度营业收入超过5亿元（含5亿元）的企业，给予最高6万元一次性补贴；低于5亿元的，给予最高4万元一次性补贴。"
    high, low = items_of(text)
    assert (high.amount_max_yuan, low.amount_max_yuan) == (Decimal(60000), Decimal(40000))
    assert high.conditions["fact"] == "revenue.last_year"
    assert (high.conditions["op"], high.conditions["value"]) == (">=", 500000000)
    assert (low.conditions["op"], low.conditions["value"]) == ("<", 500000000)
    assert "低于5亿元" in low.condition and "营业收入" in low.condition


@pytest.mark.parametrize(
    ("phrase", "op"),
    [
        ("低于1亿元（含1亿元）", "<="),
        ("低于1亿元(含1亿元)", "<="),
        ("不足1亿元（含）", "<="),
        ("不超过1亿元（含1亿元）", "<="),
        ("不超过1亿元", "<="),
        ("1亿元（含）以下", "<="),
        ("1亿元以下（含1亿元）", "<="),
        ("低于1亿元", "<"),
        ("不足1亿元", "<"),
        ("超过1亿元（含1亿元）", ">="),
        ("超过1亿元", ">"),
        ("不低于1亿元", ">="),
    ],
)
def test_an_inclusive_note_puts_the_bound_inside(phrase, op):
    condition = conditions_for(f"上一年度营业收入{phrase}的企业")
    assert (condition["fact"], condition["op"], condition["value"]) == ("revenue.last_year", op, 100000000)


def test_tiers_in_one_sentence_and_a_range():
    text = "新落户企业实缴资本3亿元以上的，奖励600万元；实缴资本5000万元（含）至3亿元的，奖励200万元；实缴资本低于5000万元的，奖励50万元。"
    items = items_of(text)
    assert amounts(items) == [6000000, 2000000, 500000]
    assert [
        "3亿元以上" in items[0].condition,
        "至3亿元" in items[1].condition,
        "低于5000万元" in items[2].condition,
    ]


def test_revenue_above_is_a_threshold_condition():
    (item,) = items_of("主营业务收入在10亿元以上的工业企业，年度研发费用增长的，给予最高30万元补助。")
    parts = item.conditions["all"]
    assert {"fact": "revenue.last_year", "op": ">=", "value": 1000000000} == {
        k: v for k, v in parts[0].items() if k != "label"
    }
    assert parts[-1]["fact"].startswith("claims.q")  # the rest is a claim the applicant confirms
    assert parts[-1]["question"].endswith("？")


def test_tiers_without_a_repeated_subject_keep_their_kind():
    items = items_of(
        "支持企业上市。企业在境内主板上市的，给予一次性奖励300万元；在北交所上市的，给予200万元；在区域股权市场挂牌的，给予20万元。"
    )
    assert amounts(items) == [3000000, 2000000, 200000]
    assert {i.benefit_kind for i in items} == {"award"} and "北交所" in items[1].condition


def test_tiers_announced_with_a_colon_and_ranges_become_two_comparisons():
    text = "按档给予奖励：年营业收入20亿元以上的，奖励80万元；10亿元至20亿元的，奖励40万元；5亿元至10亿元的，奖励15万元。"
    items = items_of(text)
    assert amounts(items) == [800000, 400000, 150000]
    assert all(i.condition.startswith("年营业收入") for i in items)
    middle = items[1].conditions["all"]
    assert [(p["op"], p["value"]) for p in middle] == [(">=", 1000000000), ("<", 2000000000)]


def test_prizes_by_class_share_their_name():
    items = items_of(
        "对获得全国职业技能大赛金奖、银奖的选手，分别奖励10万元、5万元；获得省级比赛一等奖、二等奖的，分别奖励3万元、2万元。"
    )
    assert amounts(items) == [100000, 50000, 30000, 20000]
    assert [i.condition for i in items[2:]] == ["获得省级比赛一等奖", "获得省级比赛二等奖"]


# --- rates, caps and grades -------------------------------------------------------------------------


def test_rate_with_cap_and_graded_rates():
    text = (
        "对计划总投资500万元以上的技术改造项目，按照不超过设备（含软件）实际购置金额10%的比例给予支持，"
        "单户企业最高支持200万元；其中“亩产效益”综合评价结果为C类和D类的企业，设备（含软件）投资奖补的比例分别不超过8%和7%。"
        "（责任单位：市工业和信息化局、市财政局）"
    )
    base, c, d = items_of(text)
    assert [(i.rate, i.cap_yuan, i.amount_max_yuan) for i in (base, c, d)] == [
        (Decimal("0.1"), Decimal(2000000), Decimal(2000000)),
        (Decimal("0.08"), Decimal(2000000), Decimal(2000000)),
        (Decimal("0.07"), Decimal(2000000), Decimal(2000000)),
    ]
    assert base.formula == {"up_to": {"min": [{"*": ["0.1", {"fact": "project.equipment_cost"}]}, "2000000"]}}
    assert [x.formula for x in (c, d)] == [  # "分别不超过8%和7%": ceilings too
        {"up_to": {"min": [{"*": [r, {"fact": "project.equipment_cost"}]}, "2000000"]}}
        for r in ("0.08", "0.07")
    ]
    project = base.conditions["all"][0]
    assert (project["has"], project["where"]) == (
        "projects",
        {
            "all": [
                {"fact": "kind", "op": "==", "value": "技术改造"},
                {"fact": "investment", "op": ">=", "value": 5000000},
            ]
        },
    )
    assert base.conditions["all"][-1]["op"] == "not_in" and base.conditions["all"][-1]["value"] == ["C", "D"]
    assert {
        "fact": "mu_chan_grade",
        "op": "==",
        "value": "C",
        "label": "“亩产效益”综合评价结果为C类",
    } in c.conditions["all"]
    assert not [p for p in c.conditions["all"] if p.get("fact", "").startswith("claims.")]  # fully typed
    assert base.departments == ["市工业和信息化局", "市财政局"]


def test_a_raised_rate_for_some():
    base, raised = items_of(
        "对企业购置研发仪器设备的，按照购置金额的15%给予补助，单个企业最高100万元；其中，列入市级重点研发平台的，补助比例提高至20%。"
    )
    assert (base.rate, raised.rate) == (Decimal("0.15"), Decimal("0.2"))
    assert raised.amount_max_yuan == Decimal(1000000) and "重点研发平台" in raised.condition


def test_a_raised_standard_per_month():
    base, raised = items_of(
        "对吸纳脱贫人口就业的帮扶车间，按每人每月300元给予岗位补贴；吸纳10人以上的，补贴标准提高到每人每月400元。"
    )
    assert [(i.amount_max_yuan, i.per) for i in (base, raised)] == [
        (Decimal(300), "month"),
        (Decimal(400), "month"),
    ]
    assert "10人以上" in raised.condition


def test_a_share_of_the_awards_before():
    items = items_of(
        "对主持制定国际标准、国家标准的企业，分别给予40万元、20万元奖励；参与制定的，按照主持制定奖励标准的25%给予奖励。"
    )
    assert amounts(items) == [400000, 200000, 100000, 50000]
    assert [i.rate for i in items] == [None, None, Decimal("0.25"), Decimal("0.25")]
    assert "参与制定" in items[2].condition and "国际标准" in items[2].condition


def test_insurance_premium_with_a_rate_cap_and_an_annual_cap():
    (premium,) = items_of(
        "对首版次软件投保质量保证保险的，按照不高于2%的费率上限及实际投保年度保费30%的比例，给予单户企业年度最高80万元的保费补贴。"
    )
    assert (premium.benefit_kind, premium.rate, premium.cap_yuan, premium.per) == (
        "insurance_subsidy",
        Decimal("0.3"),
        Decimal(800000),
        "year",
    )
    assert premium.formula == {"min": [{"*": ["0.3", {"fact": "insurance.premium"}]}, "800000"]}


def test_premium_paid_in_full_and_interest_paid_in_full():
    (premium,) = items_of("对农业经营主体投保政策性农业保险的，保费由市财政全额承担。")
    assert (premium.rate, premium.benefit_kind) == (Decimal(1), "insurance_subsidy")
    (interest,) = items_of("返乡创业人员可申请最高20万元创业担保贷款，财政给予全额贴息。")
    assert (interest.rate, interest.amount_max_yuan, interest.benefit_kind) == (
        Decimal(1),
        None,
        "loan_interest",
    )
    assert "创业担保贷款" in interest.condition


def test_rate_stated_after_the_grant():
    (item,) = items_of("对符合条件的文旅企业给予贷款贴息，贴息比例为贷款利息的40%，每家企业每年最高20万元。")
    assert (item.rate, item.amount_max_yuan, item.per, item.benefit_kind) == (
        Decimal("0.4"),
        Decimal(200000),
        "year",
        "loan_interest",
    )


def test_per_unit_amount_with_a_cap_gives_the_cap():
    (item,) = items_of("对新建的冷链仓储设施，按照库容每立方米50元给予一次性补助，最高不超过150万元。")
    assert (item.amount_max_yuan, item.cap_yuan) == (Decimal(1500000), Decimal(1500000))
    (service,) = items_of("对人力资源服务机构，每成功推荐一名高级人才给予5000元奖励，每年最高30万元。")
    assert (service.amount_max_yuan, service.per) == (Decimal(300000), "year")
    (floor,) = items_of("对新建的高标准厂房，每平方米最高补助150元。")
    assert floor.amount_max_yuan == Decimal(150) and floor.condition == "新建的高标准厂房"


# --- periods, persons and months -------------------------------------------------------------------


def test_per_person_per_month_with_a_limit_in_traditional_script():
    (item,) = items_of("對符合條件的高層次人才，給予每人每月3000元住房補貼，最多不超過24個月。")
    assert (item.amount_max_yuan, item.per, item.months_max, item.cap_yuan) == (
        Decimal(3000),
        "month",
        24,
        Decimal(72000),
    )
    assert item.formula == {  # 每人: × the persons counted (the old formula computed one person)
        "per_person": {"per_month": "3000", "months": {"fact": "months"}, "max_months": 24},
        "persons": {"fact": "persons.count"},
    }


def test_period_written_before_the_verb():
    (item,) = items_of("对企业新引进的全职硕士，每人每月给予2000元生活补贴，补贴期限最长不超过24个月。")
    assert (item.per, item.months_max, item.amount_max_yuan) == ("month", 24, Decimal(2000))
    assert "每人每月" not in item.condition
    (yearly,) = items_of("对入驻众创空间的团队，三年内每年按场地租金的50%给予补贴，每年最高10万元。")
    assert (yearly.per, yearly.rate, yearly.amount_max_yuan) == ("year", Decimal("0.5"), Decimal(100000))


def test_per_person_with_a_headcount_limit():
    (item,) = items_of("市财政对企业技能大师工作室按照每人每年2万元、每个工作室不超过5人的标准予以资助。")
    assert (item.amount_max_yuan, item.per, item.cap_yuan) == (Decimal(20000), "year", Decimal(100000))


def test_a_limit_stated_in_the_next_sentence():
    base, first = items_of(
        "在本市注册的小微企业，可以申领数字化改造券。每家企业每年申领额度最高不超过5万元，其中首次申领的企业最高可达8万元。"
    )
    assert [(i.amount_max_yuan, i.per) for i in (base, first)] == [
        (Decimal(50000), "year"),
        (Decimal(80000), "year"),
    ]
    assert "首次申领" in first.condition


# --- numerals and script ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("对新设立的院士工作站，市级财政一次性给予五十万元的建设经费。", 500000),
        ("对首次获得中国驰名商标的企业，给予一次性奖励１００万元。", 1000000),
        ("对新认定的国家级孵化器，给予最高 3 0 万元奖励。", 300000),
        ("对年出口额首次突破1.5亿元的企业，奖励二十万元。", 200000),
        ("对建成投用的乡村振兴示范片区，给予8000元的管护经费补助。", 8000),
        ("對新獲評的國家級專精特新企業，給予一次性獎勵伍拾萬元。", 500000),
    ],
)
def test_amounts_in_any_numerals(text, yuan):
    (item,) = items_of(text)
    assert item.amount_max_yuan == Decimal(yuan)


def test_a_second_award_for_an_upgrade_and_a_per_unit_amount():
    first, upgrade = items_of("经认定的市级工业设计中心，给予10万元奖励；升级为省级的，再给予20万元奖励。")
    assert (first.amount_max_yuan, upgrade.amount_max_yuan, upgrade.condition) == (
        Decimal(100000),
        Decimal(200000),
        "升级为省级",
    )
    (car,) = items_of("对购买新能源农机的农户，每台给予2000元补贴。")
    assert car.amount_max_yuan == Decimal(2000) and car.condition == "购买新能源农机的农户"


def test_one_off_funding_to_an_institution():
    (funding,) = items_of(
        "对经批准新建的技能大师工作室，在完成首期建设后，市级财政一次性给予20万元的建设经费。"
    )
    assert (funding.amount_max_yuan, funding.benefit_kind, funding.per) == (
        Decimal(200000),
        "funding",
        "once",
    )
    assert "工作室" in funding.condition and "财政" not in funding.condition


def test_several_kinds_of_money_listed_after_one_verb():
    items = items_of("返乡入乡创业人员按规定享受一次性创业补贴和创业担保贷款。")
    assert [i.name.endswith(("一次性创业补贴", "创业担保贷款")) for i in items] == [True, True]


# --- relief, rights and qualifications ------------------------------------------------------------


def test_relief_items():
    (rent,) = items_of("对入驻孵化器的初创企业，免征三年场地租金。")
    assert rent.category == "减免" and rent.amount_max_yuan is None
    (land,) = items_of("对利用存量厂房改造的项目，新增建筑面积不再增收土地价款。")
    assert land.category == "减免" and "存量厂房" in land.condition
    fee, shop = items_of("新建社区便民服务点时，适当减免场地使用费、物业费，有条件的社区免费提供经营场所。")
    assert fee.category == shop.category == "减免"
    assert "便民服务点" in fee.condition and "便民服务点" in shop.condition
    assert items_of("（四）税费减免政策。") == []


def test_taxes_named_in_one_relief_are_items_each():
    items = items_of("落实高新技术企业所得税、技术转让增值税减免等税收优惠政策。")
    assert [i.category for i in items] == ["减免", "减免"]
    assert ["企业所得税" in items[0].name, "增值税" in items[1].name] == [True, True]
    assert all(i.benefit_kind == "tax" for i in items)


def test_relief_with_a_yearly_amount():
    (item,) = items_of("对吸纳脱贫人口就业的企业，三年内按每人每年6000元依次扣减增值税、城市维护建设税。")
    assert (item.category, item.amount_max_yuan, item.per) == ("减免", Decimal(6000), "year")
    assert "6000元" not in item.condition


def test_land_price_floor_as_a_share_of_the_standard():
    (item,) = items_of(
        "对符合条件的优先发展产业项目，土地出让底价可按不低于工业用地出让最低价标准的70%执行。"
    )
    assert (item.category, item.rate) == ("减免", Decimal("0.7"))


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("对信用评价为A级的纳税人，可不再提交纸质申报资料。", "A级的纳税人"),
        ("获评“青禾金牌工匠”的技术工人，其职业资格等级评定不受工作年限限制。", "青禾金牌工匠"),
        ("对列入重点项目清单的工业项目，开辟审批绿色通道。", "重点项目清单"),
        ("引进的高层次人才，可在工作所在地落户，其子女可在全市范围内选择公办学校就读。", "高层次人才"),
        ("在本市企业工作满三年的博士，可直接申报高级工程师职称。", "博士"),
        ("对环保绩效评级为A级的企业，重污染天气期间可自主采取减排措施。", "A级的企业"),
        ("企业申请办理的投资项目备案，实行容缺受理。", "投资项目备案"),
        ("对改造老旧厂区的项目，容积率可提高至2.5。", "老旧厂区"),
        ("不涉及主体结构改动的内部装修工程，无需办理施工许可。", "内部装修工程"),
        ("对急需紧缺的高技能人才，申报职业技能等级认定的年龄可放宽至55周岁。", "高技能人才"),
        ("对获得省级以上绿色工厂称号的企业，豁免重污染天气应急减排。", "绿色工厂"),
    ],
)
def test_rights(text, subject):
    (item,) = items_of(text)
    assert (item.category, item.amount_max_yuan, item.formula) == ("权益", None, None)
    assert subject in item.condition + item.name


def test_one_right_told_twice_is_one_item():
    assert len(items_of("对在本市稳定就业的新市民，放宽落户条件，实行“零门槛”落户。")) == 1


def test_qualifications():
    (item,) = items_of("申请认定青禾市技术创新中心，应具备以下基本条件：")
    assert (item.category, item.name) == ("资质", "青禾市技术创新中心资格")
    (selection,) = items_of("面向制造业企业，每两年评选一次“青禾质量奖”。")
    assert selection.category == "资质" and "青禾质量奖" in selection.condition


@pytest.mark.parametrize(
    "text",
    [
        "鼓励企业加大研发投入，支持企业建设研发机构。",
        "对弄虚作假的企业，不得享受本办法规定的奖励。",
        "对同一项目，按照就高不重复的原则给予奖励。",
        "各地要建立企业服务绿色通道工作机制。",
        "各部门应当简化办事程序，提高审批效率。",
        "市财政每年安排奖补资金3000万元，用于支持产业发展。",
        "到2028年，全市规模以上工业企业营业收入突破5000亿元。",
        "对符合条件的项目，优先推荐申报省级专项资金。",
        "落实国家和省支持小微企业发展的各项扶持政策。",
        "各县（市、区）要加大财政投入，统筹安排奖补资金。",
        "对工作成绩突出的单位和个人，由市政府进行通报表扬。",
        "在项目申报和用地保障上给予支持。",
        "对符合条件的企业按规定享受相关扶持政策。",
        "市财政局负责资金保障，市审计局依法开展审计监督。",
    ],
)
def test_no_item_without_a_concrete_benefit(text):
    assert items_of(text) == []


# --- contracts --------------------------------------------------------------------------------------


def test_time_limit_departments_and_quote_offsets():
    doc = clause_document(
        "对首次认定的企业给予5万元奖励，市科技局在10个工作日内完成审核。（牵头单位：市科技局）"
    )
    (item,) = extract_items(doc)
    assert item.time_limit_days == 10 and item.departments == ["市科技局"]
    assert doc.body[item.start : item.end] == item.quote and item.quote.startswith("对首次认定的企业")
    exported = items_to_json([item])[0]
    assert set(exported) == {
        "key",
        "name",
        "category",
        "doc_number",
        "clause",
        "quote",
        "start",
        "end",
        "condition",
        "conditions",
        "formula",
        "benefit_kind",
        "amount_max_yuan",
        "rate",
        "per",
        "cap_yuan",
        "months_max",
        "departments",
        "time_limit_days",
        "explains",
        "non_cumulative",
        "per_unit",
        "unit_yuan",
        "applicant",
    }
    assert exported["amount_max_yuan"] == 50000 and exported["rate"] is None


def test_keys_are_stable_and_distinct():
    text = "对首次入选国家和省示范平台的，分别给予最高40万元、20万元一次性奖励。"
    assert [i.key for i in items_of(text)] == [i.key for i in items_of(text)]
    assert len({i.key for i in items_of(text)}) == 2


SAMPLE_TEXTS = [
    "对计划总投资500万元以上的技术改造项目，按照设备购置金额10%的比例给予支持，单户企业最高支持200万元；"
    "其中“亩产效益”综合评价结果为C类和D类的企业，比例分别不超过8%和7%。",
    "对首次入选国家和省中小企业公共服务示范平台的，分别给予最高40万元、20万元一次性奖励。",
    "对上一年度营业收入超过5亿元（含5亿元）的企业，给予最高6万元一次性补贴；低于5亿元的，给予最高4万元一次性补贴。",
    "对企业新引进的全职硕士，每人每月给予2000元生活补贴，补贴期限最长不超过24个月。",
    "市财政对企业技能大师工作室按照每人每年2万元、每个工作室不超过5人的标准予以资助。",
    "对主持制定国际标准、国家标准的企业，分别给予40万元、20万元奖励；参与制定的，按照主持制定奖励标准的25%给予奖励。",
    "对入驻孵化器的初创企业，免征三年场地租金。",
    "申请认定青禾市技术创新中心，应具备以下基本条件：",
]


def test_conditions_and_formulas_compile():
    items = [i for text in SAMPLE_TEXTS for i in items_of(text)]
    assert items
    for item in items:
        problems = check_condition(item.conditions or True)
        if item.formula is not None:
            problems += check_formula(item.formula)
        assert [p for p in problems if "unknown fact" not in p.en and "has no field" not in p.en] == []


def test_items_follow_the_clause_tree_of_a_parsed_notice():
    text = (
        "青禾市人民政府办公室\n青政办字〔2026〕77号\n青禾市人民政府办公室关于支持会展经济发展的通知\n"
        "各县（市、区）人民政府，市政府各部门：\n"
        "一、对在本市举办的国际性展会，给予主办单位最高50万元补助。\n"
        "二、对新引进的品牌展会，连续三年每年给予最高20万元补贴。\n"
        "三、各县（市、区）要做好展会安全保障。\n"
        "青禾市人民政府办公室\n2026年5月6日\n"
    )
    (doc,) = parse_text(text, "notice.txt").documents
    items = extract_items(doc)
    assert [(i.clause, int(i.amount_max_yuan), i.per) for i in items] == [
        ("一", 500000, "once"),
        ("二", 200000, "year"),
    ]
    assert all(doc.body[i.start : i.end] == i.quote for i in items)


# --- fixed amounts, ceilings and rates (issue #17) -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("对新认定的专精特新企业，给予一次性奖励20万元。", {"const": "200000"}),
        ("对新认定的专精特新企业，给予最高20万元奖励。", {"up_to": "200000"}),
        ("对新认定的专精特新企业，给予不超过20万元奖励。", {"up_to": "200000"}),
        ("对新认定的专精特新企业，最高给予20万元奖励。", {"up_to": "200000"}),
    ],
    ids=["fixed", "highest", "not-above", "highest-before-verb"],
)
def test_fixed_amounts_and_ceilings_stay_distinct(text, formula):
    (item,) = items_of(text)
    assert item.amount_max_yuan == Decimal(200000) and item.rate is None
    assert item.formula == formula and item.ceiling == ("up_to" in formula)


def test_distributed_amounts_keep_their_own_bounds():
    items = items_of("对首次入选国家和省中小企业公共服务示范平台的，分别给予40万元、20万元一次性奖励。")
    assert [i.formula for i in items] == [{"const": "400000"}, {"const": "200000"}]
    items = items_of("对首次入选国家和省中小企业公共服务示范平台的，分别给予最高40万元、20万元一次性奖励。")
    assert [i.formula for i in items] == [{"up_to": "400000"}, {"up_to": "200000"}]


def test_a_rate_stays_a_rate():
    (item,) = items_of("对企业技术改造项目，按设备购置额的10%给予补助，最高200万元。")
    assert item.rate == Decimal("0.1") and "const" not in item.formula


def test_per_person_amounts_multiply_by_the_persons_counted():
    (item,) = items_of("对吸纳高校毕业生就业的企业，按每人1000元给予一次性补贴。")
    assert item.per == "person" and item.per_person
    graduates = {"count": "persons", "where": {"fact": "role", "op": "==", "value": "高校毕业生"}}
    assert item.formula == {"per_person": "1000", "persons": {**graduates, "label": "高校毕业生"}}
    (monthly,) = items_of("对新引进的全职博士，每人每月给予3000元生活补贴。")
    assert monthly.per == "month" and monthly.per_person
    assert monthly.formula["per_person"] == {"per_month": "3000", "months": {"fact": "months"}}
    assert monthly.formula["persons"]["count"] == "persons"  # the 新引进的全职博士, not every person
    (anyone,) = items_of("对博士后科研工作站，按照每人每年8万元的标准予以资助。")
    assert anyone.formula == {"per_person": "80000", "persons": {"fact": "persons.count"}}


def test_per_person_counts_only_the_persons_who_qualify():
    (item,) = items_of("对专精特新企业新引进的全职博士，每人每月给予3000元生活补贴，最长不超过36个月。")
    doctor = {"degree": "博士", "full_time": True, "new_hire": True}
    staff = [doctor, doctor, {**doctor, "degree": "硕士"}, {**doctor, "full_time": False}]
    profile = {"months": 12, "persons": staff, "recognitions": [{"name": "专精特新中小企业"}]}
    computed = compute(item.formula, profile, date(2026, 5, 1))
    assert computed.amount == Decimal(72000)  # 2 of the 4 persons are 新引进的全职博士
    assert "每人每月 3,000 元 × 2 人 × 12 个月 = 72,000 元" in computed.steps


def test_per_unit_and_per_year_amounts_multiply_by_the_quantity_and_the_years():
    (tonnes,) = items_of("对年处理建筑垃圾的企业，按每吨10元给予补贴，最高100万元。")
    assert (tonnes.per_unit, tonnes.unit_yuan, tonnes.amount_max_yuan) == (
        "tonnes",
        Decimal(10),
        Decimal(1000000),
    )
    c = compute(tonnes.formula, {"quantities": {"tonnes": 30000}}, date(2026, 5, 1))
    assert c.amount == Decimal(300000) and "每吨 10 元 × 30,000 吨 = 300,000 元" in c.steps
    assert compute(tonnes.formula, {"quantities": {"tonnes": 300000}}, date(2026, 5, 1)).amount == 1000000
    assert check_formula(tonnes.formula) == []
    (rent,) = items_of("对租赁自用办公用房的企业，按每平方米每月20元给予租金补贴。")
    c = compute(rent.formula, {"months": 12, "quantities": {"area": 500}}, date(2026, 5, 1))
    assert (
        c.amount == Decimal(120000)
        and c.steps[-1] == "每平方米每月 20 元 × 500 平方米 × 12 个月 = 120,000 元"
    )
    (yearly,) = items_of("对新认定的孵化器，连续3年每年给予10万元运营补贴。")
    assert yearly.condition == "新认定的孵化器" and yearly.months_max == 36
    c = compute(yearly.formula, {"years": 5}, date(2026, 5, 1))
    assert c.amount == Decimal(300000) and "每年 100,000 元 × 3 年 = 300,000 元" in c.steps
    (once,) = items_of("对科技型中小企业，每年给予最高20万元补贴。")
    assert once.formula == {"up_to": "200000"}  # 每年 without a number of years: one year's amount


def test_per_mu_amounts_multiply_by_the_land_area():
    (item,) = items_of("对新建高标准农田的村集体经济组织，按每亩1500元给予补助，最高60万元。")
    assert (item.per_unit, item.unit_yuan, item.amount_max_yuan) == ("mu", Decimal(1500), Decimal(600000))
    c = compute(item.formula, {"quantities": {"mu": 200}}, date(2026, 5, 1))
    assert c.amount == Decimal(300000) and "每亩 1,500 元 × 200 亩 = 300,000 元" in c.steps
    assert check_formula(item.formula) == []


def test_per_person_per_year_keeps_its_limit_of_persons():
    (item,) = items_of("对博士后科研工作站，按照每人每年8万元、每站不超过5人的标准予以资助。")
    assert item.per_person and item.cap_yuan == Decimal(400000)
    assert item.formula == {"min": [{"per_person": "80000", "persons": {"fact": "persons.count"}}, "400000"]}


# --- names: who gets what for what ----------------------------------------------------------------


def test_a_later_benefit_that_only_says_what_happened_keeps_the_subject_before_it():
    first, again = items_of(
        "对首次认定的高新技术企业，给予一次性奖励20万元；重新认定的，给予一次性奖励10万元。"
    )
    assert first.name == "首次认定的高新技术企业一次性奖励"
    assert again.name == "重新认定的高新技术企业一次性奖励" and again.condition == "重新认定"
    _, upgrade = items_of("经认定的市级工业设计中心，给予10万元奖励；升级为省级的，再给予20万元奖励。")
    assert upgrade.name == "升级为省级的市级工业设计中心奖励"


def test_listed_recognitions_keep_their_own_names():
    items = items_of(
        "对首次认定为国家级智能制造示范工厂、国家级智能制造优秀场景的，分别给予100万元、50万元一次性奖励。"
    )
    assert [i.name for i in items] == [
        "首次认定为国家级智能制造示范工厂一次性奖励",
        "首次认定为国家级智能制造优秀场景一次性奖励",
    ]


def test_a_raised_limit_keeps_the_benefit_it_raises():
    items = items_of(
        "科技型中小企业可以申领创新券。每家企业每年申领额度最高不超过20万元，其中首次申领的企业最高可达30万元。"
    )
    assert [i.name.endswith("创新券") for i in items] == [True, True]
    assert [i.name for i in items if "补贴" in i.name] == []
    assert [i.benefit_kind for i in items] == ["voucher", "voucher"]  # a 创新券 is not money paid out
