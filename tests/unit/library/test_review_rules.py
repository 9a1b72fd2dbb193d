"""What reviewers type into an item: rules that must compile, amounts that must be numbers, and a
published item that goes back to review when it changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong.errors import InputError
from zhengcetong.library import review
from zhengcetong.library.models import AuditEvent
from zhengcetong.samples import sample_path


@pytest.fixture
def library(db_session):
    ingest_file(db_session, sample_path().read_bytes(), "sample.txt")
    return db_session


def test_edit_refuses_conditions_and_formula_that_do_not_compile(library):
    from zhengcetong.match.service import rule_problems

    item = review.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    before = (item.version, item.name, item.conditions, item.formula, len(item.revisions))
    with pytest.raises(review.RuleInputError) as error:
        review.edit_item(
            db_session=library,
            item=item,
            changes={
                "name": "新名称",
                "conditions": {"all": [{"fact": "revenu.last_year", "op": ">", "value": 1}]},
                "formula": {"up_too": 5},
            },
            actor="reviewer:li",
            check_rules=rule_problems,
        )
    assert error.value.problems == [
        "条件 all[0].fact：未知的事实名称“revenu”，是否应为 “revenue”？",
        "公式：金额公式应含且只含以下键之一：const, fact, op, round, rate, per, per_month, per_person, cases, "
        "grade, sum, up_to, +, -, *, /, min, max，是否应为 “up_to”？",
    ]
    assert str(error.value).startswith(f"事项 {item.key}: 规则有误：")
    assert (item.version, item.name, item.conditions, item.formula, len(item.revisions)) == before
    with pytest.raises(review.RuleInputError, match="没有可由机器判断的条件时请填 true"):
        review.edit_item(
            db_session=library, item=item, changes={"conditions": {}}, actor="x", check_rules=rule_problems
        )
    with pytest.raises(TypeError, match="check_rules"):
        review.edit_item(db_session=library, item=item, changes={"formula": {"up_to": 1}}, actor="x")
    # unchanged rule fields need no check: a rename works without one
    review.edit_item(
        db_session=library,
        item=item,
        changes={"name": "改名", "conditions": item.conditions, "formula": item.formula},
        actor="x",
    )
    assert item.version == 2


def test_edit_rejects_a_bad_amount_before_changing_anything(library):
    item = review.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    with pytest.raises(InputError, match="金额上限应为非负数字，实际为“五十万”"):
        review.edit_item(
            db_session=library, item=item, changes={"name": "x", "amount_max_yuan": "五十万"}, actor="x"
        )
    assert item.name != "x" and item.version == 1
    review.edit_item(db_session=library, item=item, changes={"amount_max_yuan": "600,000"}, actor="x")
    assert item.amount_max_yuan == Decimal(600000)


def test_editing_a_published_item_sends_it_back_to_review(library):
    item = review.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    review.publish_items(db_session=library, items=[item], actor="reviewer:li")
    review.edit_item(db_session=library, item=item, changes={"name": "新名称"}, actor="reviewer:wang")
    assert item.status == "draft" and item.published_at is None and item.published_by is None
    last = item.revisions[-1]
    assert (last.version, last.action, last.before["status"], last.after["status"]) == (
        3,
        "edit",
        "published",
        "draft",
    )
    assert review.changed_fields(last) == ["name", "status"]
    assert review.changed_fields(item.revisions[0]) == []
    event = library.scalars(select(AuditEvent).where(AuditEvent.action == "item.edit")).one()
    assert event.data == {"changed": ["name"]} and event.actor == "reviewer:wang"
