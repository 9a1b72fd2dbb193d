"""Item extraction on the phrasing of policies from across China (issue 16), one phrasing per test.

The sentences are our own, about the made-up 青禾市; none is copied from the web set
(tests/cases/items/web_*.yaml) or from the seed gazettes.
"""

from __future__ import annotations

from decimal import Decimal

from tests.cases.quality import clause_document
from zhengcetong.ingest.measures import extract_items
from zhengcetong.ingest.numbers import find_money


def items_of(text: str):
    return extract_items(clause_document(text))


def test_the_amount_stated_in_the_next_segment():
    (item,) = items_of("对青禾市返乡创业的农民工给予一次性创业补贴，补贴标准为6000元。")
    assert item.amount_max_yuan == Decimal(6000)
    assert "返乡创业的农民工" in item.condition


def test_apply_for_a_subsidy_at_a_share_with_a_cap():
    (item,) = items_of("在青禾市购买首套住房的职工可按照房款总额的1%申请购房补贴，补贴金额最高不超过3万元。")
    assert (item.rate, item.amount_max_yuan) == (Decimal("0.01"), Decimal(30000))
    assert "购买首套住房的职工" in item.condition


def test_negated_grants_are_no_items():
    assert items_of("已享受其他市级奖励的项目不予以补助。") == []
    assert items_of("外地户籍人员无法享受补贴。") == []


def test_a_duration_after_the_verb_is_no_amount():
    (item,) = items_of("对青禾市分布式储能项目予以补贴，连续补贴3年。")
    assert item.amount_max_yuan is None


def test_at_most_with_zui_duo_and_wan_without_yuan():
    (item,) = items_of("符合条件的青禾市技改项目可获得最多150万元的补助。")
    assert item.amount_max_yuan == Decimal(1500000)
    assert [m.value for m in find_money("单个项目年补贴限额300万。")] == [Decimal(3000000)]
    assert find_money("青禾市常住人口300万左右") == []


def test_a_floor_with_a_ceiling_is_one_item_at_the_ceiling():
    (item,) = items_of("对青禾市技改项目给予补助，单个项目最低补助20万元，最高可补助100万元。")
    assert item.amount_max_yuan == Decimal(1000000)


def test_a_raised_share_counts_at_its_new_value():
    items = items_of(
        "答：按企业上年度实际缴纳失业保险费的比例进行返还，自2027年起青禾市小微企业稳岗返还比例由40%提至70%，"
        "其他企业返还比例从30%提高到50%。"
    )
    assert [(i.rate, i.amount_max_yuan) for i in items] == [(Decimal("0.7"), None), (Decimal("0.5"), None)]
    assert "小微企业" in items[0].condition and not items[0].condition.startswith("答")
    assert "其他企业" in items[1].condition


def test_a_grant_stated_as_a_share_takes_whom_the_sentence_before_names():
    (item,) = items_of("青禾市见习补贴的对象是离校两年内未就业的高校毕业生。补贴为当地最低工资标准的60%。")
    assert item.rate == Decimal("0.6")
    assert "未就业的高校毕业生" in item.condition


def test_a_schedule_per_unit_with_a_yearly_cap_is_one_item_per_stage():
    items = items_of(
        "对青禾市屋顶光伏项目予以补贴，连续补贴5年，前三年补贴0.3元/千瓦时，后两年0.15元/千瓦时。"
        "单个项目年补贴限额300万。"
    )
    assert [(i.unit_yuan, i.amount_max_yuan, i.months_max, i.per, i.per_unit) for i in items] == [
        (Decimal("0.3"), Decimal(3000000), 36, "year", "kwh"),
        (Decimal("0.15"), Decimal(3000000), 24, "year", "kwh"),
    ]
    assert ["前三年" in items[0].condition, "后两年" in items[1].condition] == [True, True]
    assert all("屋顶光伏项目" in i.condition for i in items)


def test_a_schedule_of_shares():
    items = items_of(
        "对新落户的青禾市软件企业，连续五年给予奖励，奖励金额前三年为地方经济贡献的70%、后两年为40%。"
    )
    assert [(i.rate, i.months_max) for i in items] == [(Decimal("0.7"), 36), (Decimal("0.4"), 24)]
    assert "前三年" in items[0].condition and "后两年" in items[1].condition


def test_full_then_half():
    items = items_of("对入驻青禾市孵化器的企业，前两年全额补贴租金、后三年减半补贴。")
    assert [(i.rate, i.months_max) for i in items] == [(Decimal(1), 24), (Decimal("0.5"), 36)]


def test_a_tax_relief_schedule_stays_one_relief():
    items = items_of("对青禾市新设立的科技企业，第1至第3年免征企业所得税地方分享部分，第4至第6年减半征收。")
    assert [i.category for i in items if i.category == "奖补"] == []


def test_shares_listed_over_years():
    items = items_of(
        "对新认定的青禾市瞪羚企业，从认定之年起3年内按其区级财政贡献额增量部分，分别按60%、40%、20%的比例给予扶持。"
    )
    assert [i.rate for i in items] == [Decimal("0.6"), Decimal("0.4"), Decimal("0.2")]
    assert all("瞪羚企业" in i.condition for i in items)


def test_shares_listed_over_levels():
    items = items_of("对认定为国家级、省级孵化器的，分别按30%、20%的比例给予运营补贴。")
    assert [(i.rate, i.condition) for i in items] == [
        (Decimal("0.3"), "认定为国家级孵化器"),
        (Decimal("0.2"), "认定为省级孵化器"),
    ]


def test_amounts_listed_after_the_grant_with_fenbie_wei():
    items = items_of(
        "青禾市重点企业新引进的毕业生，连续3年每月发放生活补贴，博士、硕士、本科生分别为3000元、2000元、1200元。"
    )
    assert [(i.amount_max_yuan, i.per, i.months_max) for i in items] == [
        (Decimal(3000), "month", 36),
        (Decimal(2000), "month", 36),
        (Decimal(1200), "month", 36),
    ]
    assert [i.condition.split("，")[-1] for i in items] == ["博士", "硕士", "本科生"]


def test_two_kinds_of_money_joined_by_yiji():
    items = items_of("在青禾市企业全职就业的硕士，给予2万元安家费以及连续3年每月1800元的生活补助。")
    assert [(i.amount_max_yuan, i.per, i.months_max) for i in items] == [
        (Decimal(20000), "once", None),
        (Decimal(1800), "month", 36),
    ]
    assert items[0].name.endswith("安家费") and items[1].name.endswith("生活补助")


def test_a_relief_in_stages_is_one_relief_with_its_beneficiary():
    items = items_of(
        "对青禾市新办的科技企业，符合条件的，除减按15%的税率征收企业所得税外，第1至第3年免征企业所得税地方分享部分，"
        "第4至第6年减半征收企业所得税地方分享部分。"
    )
    assert [i.category for i in items] == ["减免"]
    assert "新办的科技企业" in items[0].condition


def test_the_tax_after_dui_is_not_the_beneficiary():
    (item,) = items_of(
        "对青禾市创办的研发实体，凡被认定为高新技术企业的，除减按15%税率征收企业所得税外，"
        "对企业所得税地方分享部分给予“三免三减半”优惠。"
    )
    assert item.category == "减免"
    assert "研发实体" in item.condition


def test_instalments_of_one_amount_are_no_schedule():
    (item,) = items_of(
        "青禾市退耕还林每亩补助1500元（五年内分三次发放，第一年600元，第三年400元，第五年500元）。"
    )
    assert (item.amount_max_yuan, item.months_max) == (Decimal(1500), None)


def test_amounts_by_group_under_a_standard_heading():
    items = items_of("二、补贴标准：\n零就业家庭毕业生、低保户5000元，低保边缘户3000元，残疾人9000元。")
    assert [(i.amount_max_yuan, i.condition) for i in items] == [
        (Decimal(5000), "零就业家庭毕业生、低保户"),
        (Decimal(3000), "低保边缘户"),
        (Decimal(9000), "残疾人"),
    ]


def test_amounts_per_mu_by_region():
    items = items_of("对青禾市退耕农户，山区地区110元/亩/年；平原地区80元/亩/年。")
    assert [(i.amount_max_yuan, i.per) for i in items] == [(Decimal(110), "year"), (Decimal(80), "year")]
    assert all("退耕农户" in i.condition for i in items)


def test_prices_and_totals_are_no_pairs():
    assert items_of("青禾市新建商品房均价9800元/平方米。") == []
    assert items_of("青禾市标准厂房市场租金30元/平方米/月。") == []
    assert items_of("奖励标准：\n全年项目总投资5000万元，资金规模3000万元。") == []


def test_tax_deductions_at_a_share_are_reliefs():
    items = items_of(
        "青禾市科技型中小企业开展研发活动中实际发生的研发费用，未形成无形资产的，在据实扣除的基础上，"
        "再按照实际发生额的100%在税前加计扣除；形成无形资产的，按照无形资产成本的200%在税前摊销。"
    )
    assert [(i.category, i.rate) for i in items] == [("减免", Decimal(1)), ("减免", Decimal(2))]
    assert "研发费用" in items[0].condition
    (wage,) = items_of("在计算所得税时，青禾市福利企业残疾职工的工资可以在计算应纳税所得额时按照100%扣除。")
    assert (wage.category, wage.rate) == ("减免", Decimal(1))


def test_rent_waived_for_a_period_is_a_relief():
    items = items_of(
        "对青禾市引进的创业人才，给予不超过50万元的启动资金，不超过150平方米办公用房并免除2年的租金。"
    )
    assert [i.category for i in items] == ["奖补", "减免"]
    assert "150平方米" in items[1].condition + items[1].name


def test_a_relaxed_requirement_is_a_right():
    (item,) = items_of("注：青禾市脱贫劳动力，放宽至正常经营3个月以上即可。")
    assert item.category == "权益" and "脱贫劳动力" in item.condition


def test_at_most_reaching_is_a_ceiling():
    items = items_of(
        "对首次认定的青禾市高新技术企业，市财政给予一次性奖励6万元，并由区财政配套奖励资金，最高配套奖励达20万元。"
    )
    assert [i.amount_max_yuan for i in items] == [Decimal(60000), Decimal(200000)]


def test_city_and_district_caps_each_and_a_circumstance_is_no_grant():
    items = items_of(
        "在青禾市产业园区新建工业项目，在享受市级政策补贴的基础上，区级财政再给予10%补贴，市、区最高各补贴300万元。"
    )
    assert [(i.rate, i.amount_max_yuan) for i in items] == [(Decimal("0.1"), Decimal(3000000))]


def test_past_policies_and_comparisons_are_no_items():
    assert items_of("早在2015年，青禾市就出台过政策，对购房家庭每平方米补贴300元。") == []
    assert items_of("与2015年相比，此次青禾市将购房补贴从300元提高到500元。") == []


def test_levels_named_before_each_amount():
    items = items_of(
        "青禾县凡首次被认定为高新技术企业的，分别给予国家级20万元、省级15万元、市级8万元的一次性奖励。"
    )
    assert [(i.amount_max_yuan, i.condition.split("，")[-1]) for i in items] == [
        (Decimal(200000), "国家级"),
        (Decimal(150000), "省级"),
        (Decimal(80000), "市级"),
    ]


def test_a_benefit_by_reference_is_no_item():
    assert items_of("青禾市外引进的高新技术企业，视同新认定高新技术企业给予奖励。") == []


def test_a_grant_announced_then_stated_in_amounts_is_not_an_item_of_its_own():
    items = items_of(
        "在青禾市购置首套住房的青年人才可享受购房补贴。\n博士补贴8万元，硕士补贴4万元，本科毕业生补贴2万元。"
    )
    assert [i.amount_max_yuan for i in items] == [Decimal(80000), Decimal(40000), Decimal(20000)]


def test_an_announcing_grant_before_a_new_beneficiary_stays():
    items = items_of("对获得省质量奖的青禾市企业进行奖励。对首次获得国家质量奖的企业，给予50万元奖励。")
    assert [i.amount_max_yuan for i in items] == [None, Decimal(500000)]


def test_a_relief_document_in_a_procedure_is_no_relief():
    assert items_of("申请人持营业执照副本、完税证明或减免税批件到青禾市人社部门办理。") == []


def test_a_tax_refund_capped_after_who_sets_it():
    (item,) = items_of(
        "(1)实际安置的每名残疾人每年可退增值税的限额，由税务机关按照最低工资标准的4倍确定，但最高不得超过每人每年30000元。"
    )
    assert (item.category, item.amount_max_yuan, item.per) == ("减免", Decimal(30000), "year")
    assert items_of("可以在扣除本年度已退增值税后的余额中抵减。") == []


def test_an_interest_rate_stated_after_the_grant():
    (item,) = items_of("对年纳税50万元以上的青禾市中小企业，按当年新增贷款给予贴息补助，贷款贴息率为4%。")
    assert item.rate == Decimal("0.04")


def test_a_quoted_clause_being_amended_is_no_item():
    items = items_of(
        "原办法文中“对中小企业按新增贷款额3%给予财政贴息”条款，修改为“对青禾市陶瓷企业，按新增贷款给予贴息补助，贷款贴息率为4%。"
    )
    assert [(i.rate, "陶瓷企业" in i.condition) for i in items] == [(Decimal("0.04"), True)]


def test_a_rate_in_a_note_is_a_limit_and_the_cap_comes_in_the_next_sentence():
    (item,) = items_of(
        "对符合条件的青禾市担保贷款项目，市级财政按实际担保费率（不高于2%，超过2%的统一按2%计算）的30%进行补贴。"
        "单户企业补贴金额不超过8万元。"
    )
    assert (item.rate, item.amount_max_yuan, item.cap_yuan) == (
        Decimal("0.3"),
        Decimal(80000),
        Decimal(80000),
    )
    assert "担保贷款项目" in item.condition
    assert item.formula is not None


def test_a_table_row_with_bar_cells_is_not_numbered():
    from zhengcetong.ingest.clauses import marker_of

    assert marker_of("（一）融资类 | 贷款贴息 | 对符合条件的青禾市贷款项目给予贴息") is None
    assert marker_of("（一）对符合条件的青禾市贷款项目给予贴息") == ("item", "（一）")


def test_a_relief_for_one_stated_period_has_that_period():
    (item,) = items_of(
        "对新设立的青禾市金融企业，从取得第一笔收入的纳税年度起，免征企业所得税地方分享部分三年。"
    )
    assert (item.category, item.months_max) == ("减免", 36)
    (rent,) = items_of("对入驻的青禾市人才企业，提供不超过100平方米办公用房并免除3年的租金。")
    assert (rent.category, rent.months_max) == ("减免", 36)
    (stages,) = items_of("对青禾市新办企业的企业所得税地方分享部分给予“三免三减半”优惠。")
    assert stages.months_max is None


def test_ranges_and_chinese_numerals_count_at_their_maximum():
    assert [i.amount_max_yuan for i in items_of("对青禾市新认定的众创空间，给予5万—20万元奖励。")] == [
        Decimal(200000)
    ]
    assert [i.amount_max_yuan for i in items_of("对青禾市孵化器给予3万元-5万元补助。")] == [Decimal(50000)]
    (big,) = items_of("对青禾市重大项目最高奖励5千万元。")
    assert (big.amount_max_yuan, big.condition) == (Decimal(50000000), "青禾市重大项目")
    assert [i.amount_max_yuan for i in items_of("对青禾市总部企业给予一次性奖励一百五十万元。")] == [
        Decimal(1500000)
    ]


def test_funds_and_reported_totals_are_no_items():
    assert items_of("青禾市设立5亿元专项资金，用于支持科技创新。") == []
    assert items_of("青禾市去年共有84家企业获得奖励资金4515万元。") == []


def test_a_per_unit_amount_stated_after_the_grant():
    (item,) = items_of("对入驻青禾市创业园的企业，给予房租补贴，每月每平方米20元，最长不超过3年。")
    assert (item.amount_max_yuan, item.unit_yuan, item.per_unit, item.per, item.months_max) == (
        Decimal(20),
        Decimal(20),
        "area",
        "month",
        36,
    )


def test_consecutive_years_after_a_yearly_grant():
    (item,) = items_of("对青禾市新招用的就业困难人员，按每人每年3000元给予社会保险补贴，连续3年。")
    assert (item.amount_max_yuan, item.per, item.months_max) == (Decimal(3000), "year", 36)


def test_a_refund_on_collection_keeps_its_share():
    (item,) = items_of("青禾市对符合条件的软件企业，对其增值税实行即征即退50%的政策。")
    assert (item.category, item.rate) == ("减免", Decimal("0.5"))


def test_a_grant_after_a_list_of_conditions_takes_them():
    (item,) = items_of(
        "第五条 对同时符合以下条件的青禾市企业：\n（一）年营业收入5000万元以上；\n（二）研发投入占比3%以上。\n给予一次性奖励20万元。"
    )
    assert item.amount_max_yuan == Decimal(200000)
    assert "符合以下条件的青禾市企业" in item.condition and "研发投入占比3%以上" in item.condition


def test_parallel_grades_replace_each_other():
    items = items_of("对获得科技奖的青禾市项目，一等奖奖励50万元，二等奖奖励30万元，三等奖奖励10万元。")
    assert [i.condition for i in items] == [
        "获得科技奖的青禾市项目，一等奖",
        "获得科技奖的青禾市项目，二等奖",
        "获得科技奖的青禾市项目，三等奖",
    ]


def test_a_share_stated_after_the_grant_with_its_cap():
    (item,) = items_of("对青禾市新建的冷链项目给予奖励，奖励金额为实际投资额的10%，最高500万元。")
    assert (item.rate, item.amount_max_yuan) == (Decimal("0.1"), Decimal(5000000))


def test_a_share_of_rent_relieved_is_a_relief():
    (item,) = items_of("入驻青禾市孵化器的企业，享受50%的房租减免。")
    assert (item.category, item.rate) == ("减免", Decimal("0.5"))


def test_a_rate_grant_for_consecutive_years():
    (item,) = items_of("对青禾市高层次人才，按其个人所得税地方留成部分的80%给予奖励，连续5年。")
    assert (item.rate, item.months_max) == (Decimal("0.8"), 60)
    (top,) = items_of("对青禾市新引进的院士团队，最高给予1亿元项目资助。")
    assert top.condition == "青禾市新引进的院士团队"


def test_a_headline_restating_the_body_is_no_item():
    from zhengcetong.ingest.parse import parse_text

    result = parse_text("青禾市高企每家最高奖励50万元\n对青禾市新认定的高新技术企业给予一次性奖励50万元。")
    docs = result.documents if hasattr(result, "documents") else result
    (doc,) = docs
    items = extract_items(doc)
    assert [(i.amount_max_yuan, i.quote.startswith("对青禾市")) for i in items] == [(Decimal(500000), True)]


def test_amounts_listed_in_the_formula_before_the_verb():
    items = items_of(
        "对在青禾市工作的博士、硕士、本科毕业生，分别按每月2000元、1500元、800元的标准发放生活补贴，最长发放3年。"
    )
    assert [(i.amount_max_yuan, i.per, i.months_max) for i in items] == [
        (Decimal(2000), "month", 36),
        (Decimal(1500), "month", 36),
        (Decimal(800), "month", 36),
    ]
    assert [
        i.condition.endswith(who) for i, who in zip(items, ["博士", "硕士", "本科毕业生"], strict=True)
    ] == [
        True,
        True,
        True,
    ]


def test_a_fee_waiver_for_qualifying_firms_and_a_relief_condition():
    (waiver,) = items_of("青禾市对符合条件的小微企业免收行政事业性收费。")
    assert waiver.category == "减免"
    (award,) = items_of("对符合免征增值税条件的青禾市企业，给予10万元奖励。")
    assert (award.category, award.amount_max_yuan) == ("奖补", Decimal(100000))


def test_apply_for_interest_subsidy_with_a_long_cap_phrase():
    (item,) = items_of("符合条件的青禾市企业，可申请最高不超过500万元的贷款贴息。")
    assert item.category == "奖补" and item.benefit_kind == "loan_interest"


def test_a_higher_tier_that_only_states_its_cap():
    items = items_of(
        "对年纳税额超过1000万元的青禾市企业，按其地方贡献的50%给予奖励，最高不超过200万元；超过5000万元的，最高不超过500万元。"
    )
    assert [(i.rate, i.amount_max_yuan) for i in items] == [
        (Decimal("0.5"), Decimal(2000000)),
        (Decimal("0.5"), Decimal(5000000)),
    ]
    assert "超过5000万元" in items[1].condition and "青禾市企业" in items[1].condition


def test_a_monthly_grant_for_consecutive_months():
    (item,) = items_of("对青禾市吸纳脱贫人口的企业，按每人每月500元给予岗位补贴，连续补贴6个月。")
    assert (item.amount_max_yuan, item.per, item.months_max) == (Decimal(500), "month", 6)


def test_collect_and_provide_money_are_grant_verbs():
    (item,) = items_of("在青禾市创业的大学生可领取5000元创业补贴。")
    assert item.amount_max_yuan == Decimal(5000)
    (funds,) = items_of("青禾市对引进的顶尖人才，提供最高1000万元的科研经费支持。")
    assert funds.amount_max_yuan == Decimal(10000000)
    assert items_of("对青禾市引进的人才，提供不超过200平方米办公用房。") == []
    (roof,) = items_of("对屋顶提供者给予装机量0.2元/千瓦时补贴。")
    assert "屋顶提供者" in roof.condition


def test_pairs_after_an_inline_standard():
    items = items_of("青禾市人才生活补贴标准为：博士每人每月3000元，硕士每人每月2000元，本科每人每月1000元。")
    assert [(i.amount_max_yuan, i.per, i.condition) for i in items] == [
        (Decimal(3000), "month", "青禾市人才生活补贴，博士"),
        (Decimal(2000), "month", "青禾市人才生活补贴，硕士"),
        (Decimal(1000), "month", "青禾市人才生活补贴，本科"),
    ]


def test_one_pair_per_line_after_a_standard_heading():
    items = items_of("补贴标准：\n博士研究生：每人每月2500元；\n硕士研究生：每人每月1800元。")
    assert [(i.amount_max_yuan, i.condition) for i in items] == [
        (Decimal(2500), "博士研究生"),
        (Decimal(1800), "硕士研究生"),
    ]
    totals = items_of("对青禾市新认定的企业给予奖励。\n项目总投资：5000万元。")
    assert all(i.amount_max_yuan != Decimal(50000000) for i in totals)


def test_a_grant_closing_a_list_of_conditions_in_a_parsed_document():
    from zhengcetong.ingest.parse import parse_text

    text = (
        "青禾市促进企业发展若干措施\n第五条 对同时符合以下条件的青禾市企业：\n（一）年营业收入5000万元以上；\n"
        "（二）研发投入占比3%以上。\n给予一次性奖励20万元。\n第六条 对首次认定的青禾市瞪羚企业，奖励10万元。"
    )
    result = parse_text(text)
    (doc,) = result.documents if hasattr(result, "documents") else result
    award = next(i for i in extract_items(doc) if i.amount_max_yuan == Decimal(200000))
    assert "符合以下条件的青禾市企业" in award.condition


def test_a_table_whose_cells_ran_together():
    from zhengcetong.ingest.parse import parse_text

    text = (
        "青禾市惠农补贴一览表\n序号\n补贴项目\n补贴对象\n补贴标准\n1\n耕地地力保护补贴\n承包耕地的农户\n每亩80元\n"
        "2\n农机购置补贴\n购机农户\n按机具价格的30%补贴，单台最高5万元\n3\n生猪调出大县奖励\n养殖企业\n每头出栏生猪奖励20元"
    )
    result = parse_text(text)
    (doc,) = result.documents if hasattr(result, "documents") else result
    items = extract_items(doc)
    assert [(i.amount_max_yuan, i.rate) for i in items] == [
        (Decimal(80), None),
        (Decimal(50000), Decimal("0.3")),
        (Decimal(20), None),
    ]
    assert "承包耕地的农户" in items[0].condition and "序号" not in items[0].condition
    assert "购机农户" in items[1].condition


def test_a_grant_and_its_standard_in_the_next_sentence_are_one_item():
    (item,) = items_of("对青禾市见习基地给予见习补贴。补贴标准为当地最低工资标准的60%。")
    assert (item.rate, item.condition, item.name) == (
        Decimal("0.6"),
        "青禾市见习基地",
        "青禾市见习基地见习补贴",
    )
    (award,) = items_of("对青禾市新认定的瞪羚企业给予奖励。奖励标准为每家10万元。")
    assert (award.amount_max_yuan, award.condition) == (Decimal(100000), "青禾市新认定的瞪羚企业")


def test_reported_outcomes_are_no_items_but_received_honours_stay_conditions():
    assert items_of("截至目前，青禾市已为1200家企业兑现补贴3000万元。") == []
    assert items_of("去年青禾市累计发放创业补贴500万元。") == []
    (item,) = items_of("对已获得省级奖励的青禾市企业，再给予10万元奖励。")
    assert item.amount_max_yuan == Decimal(100000)


def test_a_parallel_pair_after_an_item_and_a_per_project_limit():
    items = items_of("青禾市村党支部书记、村委会主任的补贴为每月2000—2300元，“一肩挑”的为每月2500—3000元。")
    assert [(i.amount_max_yuan, i.per) for i in items] == [(Decimal(2300), "month"), (Decimal(3000), "month")]
    assert "一肩挑" in items[1].condition
    (item,) = items_of("对首次认定的青禾市企业给予奖励，单个项目200万元。")
    assert item.amount_max_yuan == Decimal(2000000)


def test_a_share_as_a_range_counts_at_its_top():
    (item,) = items_of("其他村干部补贴标准原则上为村党支部书记的50%—70%。")
    assert item.rate == Decimal("0.7") and "其他村干部" in item.condition


def test_table_heads_later_in_the_text_stay_words():
    from zhengcetong.ingest.parse import parse_text

    text = (
        "青禾市惠民补贴公示表\n序号\n补贴项目\n补贴对象\n1\n耕地补贴\n种地农民\n每亩80元\n"
        "2\n村干部补贴\n其他村干部补贴标准原则上为村党支部书记的50%—70%。"
    )
    result = parse_text(text)
    (doc,) = result.documents if hasattr(result, "documents") else result
    assert Decimal("0.7") in [i.rate for i in extract_items(doc)]


def test_parallel_beneficiaries_do_not_inherit_each_other():
    items = items_of("博士补贴10万元，硕士补贴5万元，本科补贴3万元。")
    assert [i.condition for i in items] == ["博士", "硕士", "本科"]
    renewed = items_of("高新技术企业补贴10万元，重新认定补贴5万元。")
    assert renewed[1].condition == "高新技术企业，重新认定"


def test_stages_by_year_ranges_and_by_single_years():
    items = items_of("对入驻青禾市产业园的企业，第一年按房租的100%、第二年按50%、第三年按30%给予补贴。")
    assert [(i.rate, i.months_max) for i in items] == [
        (Decimal(1), 12),
        (Decimal("0.5"), 12),
        (Decimal("0.3"), 12),
    ]
    assert items[0].name.endswith("第一年补贴")
    ranged = items_of(
        "对新引进的青禾市总部企业，自认定之日起，第1年至第3年按其地方贡献的60%给予奖励，第4年至第5年按30%给予奖励。"
    )
    assert [(i.rate, i.months_max) for i in ranged] == [(Decimal("0.6"), 36), (Decimal("0.3"), 24)]
    assert "第4年至第5年" in ranged[1].condition and "第1年至第3年" not in ranged[1].condition


def test_tiers_listed_as_ranges_share_their_measure_and_beneficiary():
    items = items_of(
        "对年销售收入1亿元以上、5000万元至1亿元、2000万元至5000万元的青禾市企业，分别给予50万元、30万元、10万元奖励。"
    )
    assert [(i.amount_max_yuan, i.condition) for i in items] == [
        (Decimal(500000), "年销售收入1亿元以上的青禾市企业"),
        (Decimal(300000), "年销售收入5000万元至1亿元的青禾市企业"),
        (Decimal(100000), "年销售收入2000万元至5000万元的青禾市企业"),
    ]


def test_an_answer_without_a_beneficiary_takes_whom_the_question_asks_about():
    (item,) = items_of("问：在青禾市创业的高校毕业生能享受哪些补贴？\n答：可享受一次性创业补贴5000元。")
    assert (item.amount_max_yuan, item.condition) == (Decimal(5000), "在青禾市创业的高校毕业生")
    (standard,) = items_of("问：补贴标准是多少？\n答：补贴标准为每人3000元。")
    assert (standard.amount_max_yuan, standard.condition) == (Decimal(3000), "")


def test_a_named_benefit_restated_without_amount_is_not_a_second_item():
    items = items_of(
        "对符合条件的人员给予一次性创业补贴，补贴标准为6000元。\n"
        "补贴对象：在青禾市首次创业的就业困难人员（含享受最低生活保障人员、残疾人）可申领一次性创业补贴（须正常经营1年以上）。"
    )
    assert [(i.amount_max_yuan, i.label) for i in items] == [(Decimal(6000), "一次性创业补贴")]


def test_a_grant_verb_inside_a_note_is_no_cue():
    assert (
        items_of(
            "青禾市就业困难人员（含享受最低生活保障待遇的人员、领取失业补助金的人员）的认定办法另行制定。"
        )
        == []
    )


def test_a_pair_with_a_closing_note_of_instalments():
    items = items_of(
        "补贴标准：\n退耕还林每亩1500元（五年内分三次发放，第一年600元，第三年400元，第五年500元）；退耕还草每亩900元。"
    )
    assert [i.amount_max_yuan for i in items] == [Decimal(1500), Decimal(900)]


def test_column_words_in_prose_do_not_make_a_table():
    items = items_of("对符合条件的人员给予一次性创业补贴，补贴标准为6000元。\n补贴对象：青禾市首次创业人员。")
    assert [i.amount_max_yuan for i in items] == [Decimal(6000)]
