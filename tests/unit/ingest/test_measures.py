"""Item extraction on real phrasings (own text) and the measured quality on the labelled sets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.conftest import SEEDS_DIR
from zhengcetong.ingest.measures import extract_items, items_to_json
from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.ingest.quality import clause_document, score_cases, score_gazettes

CASES = Path(__file__).resolve().parents[2] / "cases" / "measures"


def items_of(text: str):
    return extract_items(clause_document(text))


def test_distributive_national_and_provincial():
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
    assert [int(i.amount_max_yuan) for i in items] == [800000, 600000, 500000, 200000, 50000]
    assert [i.condition for i in items][-1] == "首次认定为省级戊场景"


def test_revenue_tiers_become_conditions():
    text = "（三）对上一年度营业收入超过5亿元（含5亿元）的企业，给予最高6万元一次性补贴；低于5亿元的，给予最高4万元一次性补贴。"
    high, low = items_of(text)
    assert (high.amount_max_yuan, low.amount_max_yuan) == (Decimal(60000), Decimal(40000))
    assert high.conditions == {
        "fact": "revenue.last_year",
        "op": ">=",
        "value": 500000000,
        "label": "上一年度营业收入超过5亿元",
    }
    assert low.conditions["op"] == "<" and low.conditions["value"] == 500000000


def test_rate_with_cap_and_graded_rates():
    text = (
        "对计划总投资500万元以上的技术改造项目，按照不超过设备（含软件）实际购置金额10%的比例给予支持，"
        "单户企业最高支持200万元；其中“亩产效益”综合评价结果为C类和D类的企业，设备（含软件）投资奖补的比例分别不超过8%和7%。"
        "（责任单位：市工业和信息化局、市财政局）"
    )
    base, c, d = items_of(text)
    assert [(i.rate, i.cap_yuan) for i in (base, c, d)] == [
        (Decimal("0.1"), Decimal(2000000)),
        (Decimal("0.08"), Decimal(2000000)),
        (Decimal("0.07"), Decimal(2000000)),
    ]
    assert base.formula == {"min": [{"*": ["0.1", {"fact": "project.equipment_cost"}]}, "2000000"]}
    assert {
        "fact": "mu_chan_grade",
        "op": "not_in",
        "value": ["C", "D"],
        "label": "“亩产效益”综合评价结果不是C、D类",
    } in base.conditions["all"]
    assert {
        "fact": "mu_chan_grade",
        "op": "==",
        "value": "C",
        "label": "“亩产效益”综合评价结果为C类",
    } in c.conditions["all"]
    assert base.departments == ["市工业和信息化局", "市财政局"]


def test_per_person_per_month_with_a_limit_in_traditional_script():
    (item,) = items_of("對符合條件的高層次人才，給予每人每月3000元住房補貼，最多不超過24個月。")
    assert (item.amount_max_yuan, item.per, item.months_max, item.cap_yuan) == (
        Decimal(3000),
        "month",
        24,
        Decimal(72000),
    )
    assert item.formula == {"*": ["3000", {"min": [{"fact": "months"}, 24]}]}


def test_insurance_premium_subsidy_and_chinese_numerals_and_full_width():
    (premium,) = items_of(
        "对首版次产品投保综合险的，按照不高于3%的费率上限及实际投保年度保费20%的比例，给予单户企业年度最高100万元的保费补贴。"
    )
    assert (premium.benefit_kind, premium.rate, premium.cap_yuan, premium.per) == (
        "insurance_subsidy",
        Decimal("0.2"),
        Decimal(1000000),
        "year",
    )
    (funding,) = items_of("对新设立的院士工作站，市级财政一次性给予五十万元的建设经费。")
    assert funding.amount_max_yuan == Decimal(500000) and funding.benefit_kind == "funding"
    (award,) = items_of("对首次获得中国驰名商标的企业，给予一次性奖励１００万元。")
    assert award.amount_max_yuan == Decimal(1000000)


def test_non_monetary_rights_and_relief():
    (right,) = items_of("4. 残疾人首次申领烟草专卖零售许可证的，零售点间距不受合理布局限制。")
    assert right.category == "权益" and right.amount_max_yuan is None
    (relief,) = items_of("对入驻孵化器的初创企业，免征三年场地租金。")
    assert relief.category == "减免"
    assert items_of("（四）税收减免政策。") == []


def test_time_limit_and_quote_offsets():
    doc = clause_document("对首次认定的企业给予5万元奖励，市科技局在10个工作日内完成审核。")
    (item,) = extract_items(doc)
    assert item.time_limit_days == 10
    assert doc.body[item.start : item.end] == item.quote and item.quote.startswith("对首次认定的企业")
    exported = items_to_json([item])[0]
    for key in (
        "doc_number",
        "clause",
        "quote",
        "amount_max_yuan",
        "rate",
        "per",
        "departments",
        "benefit_kind",
    ):
        assert key in exported
    assert exported["amount_max_yuan"] == 50000


def test_keys_are_stable():
    text = "对首次入选国家和省示范平台的，分别给予最高40万元、20万元一次性奖励。"
    assert [i.key for i in items_of(text)] == [i.key for i in items_of(text)]
    assert len({i.key for i in items_of(text)}) == 2


def load(name):
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def test_quality_on_own_sets():
    dev = score_cases(load("own_dev.yaml")["cases"])
    heldout = score_cases(load("own_heldout.yaml")["cases"])
    assert dev.f1 >= 0.95
    assert heldout.f1 >= 0.9  # measured 0.973 when written; the held-out text is never tuned on


def test_quality_on_the_seeds():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"{SEEDS_DIR} is absent")
    gold = load("seeds.yaml")["items"]
    docs = [d for p in sorted(SEEDS_DIR.glob("*.txt")) for d in parse_bytes(p.read_bytes(), p.name).documents]
    score = score_gazettes(gold, docs)
    assert score.f1 >= 0.95, (score.precision, score.recall)
    items = [i for d in docs for i in extract_items(d)]
    for doc in docs:
        for item in (i for i in items if i.doc_number == doc.doc_number):
            assert doc.body[item.start : item.end] == item.quote
