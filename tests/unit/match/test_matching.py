"""The region rule and tier groups of matching (pure functions)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from zhengcetong.match.matching import item_region, region_holds, sort_key, tier_groups


@pytest.mark.parametrize(
    ("issuer", "region"),
    [
        ("聊城市人民政府", None),
        ("聊城市人民政府办公室", None),
        ("聊城市财政局", None),
        ("聊城市工业和信息化局", None),
        ("聊城市住房和城乡建设局", None),
        ("山东省人民政府办公厅", None),
        ("青禾市人民政府", None),
        ("东昌府区人民政府", "东昌府区"),
        ("聊城市东昌府区人民政府办公室", "东昌府区"),
        ("东昌府区财政局", "东昌府区"),
        ("冠县人民政府", "冠县"),
        ("莘县科学技术局", "莘县"),
        ("聊城经济技术开发区管委会", "聊城经济技术开发区"),
        ("聊城高新技术产业开发区管理委员会", "聊城高新技术产业开发区"),
        ("青禾高新区管委会", "青禾高新区"),
        (None, None),
        ("", None),
    ],
)
def test_item_region_from_the_issuer(issuer, region):
    assert item_region(issuer) == region


def test_region_holds_three_ways():
    assert region_holds(None, None) is True  # a city item applies to all, region or not
    assert region_holds("东昌府区", "东昌府区") is True
    assert region_holds("东昌府区", "山东省聊城市东昌府区") is True
    assert region_holds("东昌府区", "冠县") is False
    assert region_holds("东昌府区", None) is None
    assert region_holds("东昌府区", "  ") is None


def _item(id_, conditions, clause="三/（二）", document_id=1):
    return SimpleNamespace(id=id_, document_id=document_id, clause_path=clause, conditions=conditions)


def _breakthrough(n, q):
    return {
        "all": [
            {"fact": "revenue.last_year", "op": ">=", "value": n},
            {"fact": "revenue.year_before_last", "op": "<", "value": n},
            {"fact": f"answers.{q}", "op": "==", "value": True, "label": q},
        ]
    }


def test_tiers_differ_only_in_thresholds():
    items = [
        _item(1, _breakthrough(1_000_000_000, "qa")),
        _item(2, _breakthrough(500_000_000, "qb")),
        _item(3, _breakthrough(500_000_000, "qc"), clause="三/（三）"),  # another clause
        _item(4, {"fact": "revenue.last_year", "op": "<", "value": 200_000_000}),  # no partner
        _item(5, {"has": "recognitions", "where": {"fact": "level", "op": "==", "value": "national"}}),
        _item(6, {"has": "recognitions", "where": {"fact": "level", "op": "==", "value": "provincial"}}),
    ]
    assert tier_groups(items) == {1: 1, 2: 1}


def test_sort_key_puts_unknown_amounts_after_known_ones():
    from decimal import Decimal

    keys = [
        sort_key(None, Decimal(500000), 0),
        sort_key(Decimal(1000), None, 1),
        sort_key(Decimal(300000), Decimal(300000), 2),
        sort_key(None, None, 3),
        sort_key(None, Decimal(900000), 4),
    ]
    assert sorted(range(5), key=lambda i: keys[i]) == [2, 1, 4, 0, 3]


def test_a_profile_without_claims_is_asked_each_claim_by_its_question():
    from zhengcetong.match.matching import missing_entries

    questions = {
        "claims.qa1": "贵单位是否属于：科技型中小企业？",
        "claims.qb2": "贵单位是否首次申领？",
        "answers.q9": "属于鼓励类项目",
    }
    entries = missing_entries(["claims", "revenue.2025"], questions)
    assert entries == [
        {
            "fact": "claims.qa1",
            "label": "申请人确认：贵单位是否属于：科技型中小企业？",
            "path": "facts.claims.qa1",
        },
        {"fact": "claims.qb2", "label": "申请人确认：贵单位是否首次申领？", "path": "facts.claims.qb2"},
        {"fact": "revenue.2025", "label": "2025年度营业收入", "path": "revenue_yuan.2025"},
    ]
    assert missing_entries(["answers"], questions)[0]["fact"] == "answers.q9"
