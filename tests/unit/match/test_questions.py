"""match.questions: one question per missing fact, weighed by money, and answers written into the document."""

from __future__ import annotations

from decimal import Decimal

from zhengcetong.match import questions as asked
from zhengcetong.match.enterprise import check_enterprise

GIANT = {
    "all": [
        {"fact": "name", "op": "contains", "value": "专精特新“小巨人”企业"},
        {"fact": "level", "op": "==", "value": "national"},
    ]
}
PROJECT = {
    "all": [
        {"fact": "kind", "op": "==", "value": "技术改造"},
        {"fact": "investment", "op": ">=", "value": 5e6},
    ]
}


def entry(item_id, name, missing, estimated=None, cap=None):
    return {
        "item_id": item_id,
        "name": name,
        "estimated_amount_yuan": estimated,
        "amount_max_yuan": cap,
        "missing": [{"fact": f, "label": f, "path": path} for f, path in missing],
    }


POSSIBLY = [
    entry("a", "甲奖励", [("revenue.2025", "revenue_yuan.2025")], estimated="80000.00"),
    entry(
        "b",
        "乙奖励",
        [("revenue.2025", "revenue_yuan.2025"), ("claims.q1", "facts.claims.q1")],
        cap="50000.00",
    ),
    entry("c", "丙奖励", [("recognitions", "recognitions")], cap="500000.00"),
    entry("d", "丁补助", [("projects", "projects")], cap="2000000.00"),
    entry("e", "戊补助", [("mu_chan_grade", "mu_efficiency_grade")]),
]
CONDITIONS = {"c": {"has": "recognitions", "where": GIANT}, "d": {"has": "projects", "where": PROJECT}}


def test_one_question_per_fact_heaviest_first_with_the_right_kind():
    qs = asked.questions_of(POSSIBLY, CONDITIONS)
    assert [q.fact for q in qs] == ["projects", "recognitions", "revenue.2025", "claims.q1", "mu_chan_grade"]
    by = {q.fact: q for q in qs}
    assert by["revenue.2025"].stake_yuan == Decimal("130000") and by["revenue.2025"].item_ids == ["a", "b"]
    assert by["revenue.2025"].kind == asked.NUMBER and by["revenue.2025"].unit == "yuan"
    assert by["claims.q1"].kind == asked.YES_NO
    assert by["mu_chan_grade"].kind == asked.CHOICE and set(by["mu_chan_grade"].options) == {
        "A",
        "B",
        "C",
        "D",
    }
    assert by["recognitions"].kind == asked.ELEMENTS
    assert [e.text for e in by["recognitions"].elements] == ["专精特新“小巨人”企业（国家级）"]
    assert by["projects"].kind == asked.PROFILE  # a threshold is not guessed: the real figure is entered


def test_answers_are_written_where_the_document_keeps_them_and_stay_valid():
    qs = asked.questions_of(POSSIBLY, CONDITIONS)
    giant = next(q for q in qs if q.fact == "recognitions").elements[0].key
    document = {"name": "甲", "credit_code": "91330100799655058B", "recognitions": [{"name": "高新技术企业"}]}
    answered = asked.apply_answers(
        document,
        {"revenue.2025": 300000000, "claims.q1": True, "mu_chan_grade": "A", "recognitions": [giant]},
        qs,
    )
    assert answered["revenue_yuan"] == {"2025": 300000000}
    assert answered["facts"] == {"claims": {"q1": True}}
    assert answered["mu_efficiency_grade"] == "A"
    assert answered["recognitions"] == [
        {"name": "高新技术企业"},
        {"name": "专精特新“小巨人”企业", "level": "national"},
    ]
    assert check_enterprise(answered) == []
    assert document["recognitions"] == [{"name": "高新技术企业"}]  # the stored document is not changed


def test_none_of_the_elements_gives_an_empty_complete_list():
    qs = asked.questions_of(POSSIBLY, CONDITIONS)
    answered = asked.apply_answers(
        {"name": "甲", "credit_code": "91330100799655058B"}, {"recognitions": []}, qs
    )
    assert answered["recognitions"] == []
