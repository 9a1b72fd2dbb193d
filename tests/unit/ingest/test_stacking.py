"""Non-cumulation rules are recorded on the items they govern (zhengcetong.ingest.stacking)."""

from __future__ import annotations

from zhengcetong.ingest.measures import extract_items
from zhengcetong.ingest.parse import parse_text

HEAD = "青禾市人民政府办公室文件\n青政办发〔2026〕50号\n青禾市人民政府办公室关于支持企业发展的若干措施\n各县（市、区）人民政府：\n"
TAIL = "青禾市人民政府办公室\n2026年3月1日\n"


def _items(body: str):
    (doc,) = parse_text(HEAD + body + TAIL, "s.txt").documents
    return extract_items(doc)


def test_a_closing_rule_governs_every_item_of_the_document():
    items = _items(
        "一、对首次认定的高新技术企业，给予20万元奖励。\n"
        "二、对新认定的专精特新企业，给予10万元奖励。\n"
        "三、同一企业同一事项符合本市多项扶持政策的，按照从高不重复的原则执行。\n"
    )
    assert len(items) == 2
    for item in items:
        assert (
            item.non_cumulative == "同一企业同一事项符合本市多项扶持政策的，按照从高不重复的原则执行。（三）"
        )
    assert items[0].to_json()["non_cumulative"] == items[0].non_cumulative


def test_a_rule_inside_a_granting_clause_governs_only_that_clause():
    items = _items(
        "一、对新引进的全职博士，每人每月给予3000元生活补贴，与本市其他人才生活补贴不得同时享受。\n"
        "二、对首次认定的高新技术企业，给予20万元奖励。\n"
    )
    first, second = items
    assert "不得同时享受" in first.non_cumulative and first.non_cumulative.endswith("（一）")
    assert second.non_cumulative is None


def test_a_closing_sub_clause_governs_its_siblings_only():
    items = _items(
        "一、支持创新\n（一）对首次认定的高新技术企业，给予20万元奖励。\n"
        "（二）对获得发明专利授权的企业，每件给予1万元奖励。\n"
        "（三）本条各项奖励不重复享受。\n"
        "二、对新认定的专精特新企业，给予10万元奖励。\n"
    )
    governed = {item.clause: item.non_cumulative for item in items}
    assert governed["一/（一）"] == governed["一/（二）"] == "本条各项奖励不重复享受。（一/（三））"
    assert governed["二"] is None


def test_no_rule_no_record():
    (item,) = _items("一、对首次认定的高新技术企业，给予20万元奖励。\n")
    assert item.non_cumulative is None
