"""What reviewers type into an item: rules that must compile, amounts that must be numbers, and a
published item that goes back to review when it changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong.errors import InputError
from zhengcetong.library import items as policy_items
from zhengcetong.library.models import AuditEvent
from zhengcetong.match.service import RULES
from zhengcetong.samples import sample_path


@pytest.fixture
def library(db_session):
    ingest_file(db_session, sample_path().read_bytes(), "sample.txt")
    return db_session


def test_edit_refuses_conditions_and_formula_that_do_not_compile(library):
    from zhengcetong.match.service import RULES

    item = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    before = (item.version, item.name, item.conditions, item.formula, len(item.revisions))
    with pytest.raises(policy_items.RuleInputError) as error:
        policy_items.edit_item(
            db_session=library,
            item=item,
            changes={
                "name": "新名称",
                "conditions": {"all": [{"fact": "revenu.last_year", "op": ">", "value": 1}]},
                "formula": {"up_too": 5},
            },
            actor="reviewer:li",
            rules=RULES,
        )
    assert error.value.problems == [
        "条件 all[0].fact：未知的事实名称“revenu”，是否应为 “revenue”？",
        "公式：金额公式应含且只含以下键之一：const, fact, op, round, rate, per, per_month, per_person, per_year, "
        "cases, grade, sum, count, up_to, +, -, *, /, min, max，是否应为 “up_to”？",
    ]
    assert str(error.value).startswith(f"事项 {item.key}: 规则有误：")
    assert (item.version, item.name, item.conditions, item.formula, len(item.revisions)) == before
    with pytest.raises(policy_items.RuleInputError, match="没有可由机器判断的条件时请填 true"):
        policy_items.edit_item(
            db_session=library, item=item, changes={"conditions": {}}, actor="x", rules=RULES
        )
    with pytest.raises(TypeError, match="rules"):
        policy_items.edit_item(db_session=library, item=item, changes={"formula": {"up_to": 1}}, actor="x")
    # unchanged rule fields need no check: a rename works without one
    policy_items.edit_item(
        db_session=library,
        item=item,
        changes={"name": "改名", "conditions": item.conditions, "formula": item.formula},
        actor="x",
    )
    assert item.version == 2


def test_edit_rejects_a_bad_amount_before_changing_anything(library):
    item = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    with pytest.raises(InputError, match="金额上限应为非负数字，实际为“五十万”"):
        policy_items.edit_item(
            db_session=library,
            item=item,
            changes={"name": "x", "amount_max_yuan": "五十万"},
            actor="x",
            rules=RULES,
        )
    assert item.name != "x" and item.version == 1
    policy_items.edit_item(
        db_session=library, item=item, changes={"amount_max_yuan": "600,000"}, actor="x", rules=RULES
    )
    assert item.amount_max_yuan == Decimal(600000)


def test_editing_a_published_item_sends_it_back_to_review(library):
    item = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    policy_items.publish_items(db_session=library, items=[item], actor="reviewer:li")
    policy_items.edit_item(db_session=library, item=item, changes={"name": "新名称"}, actor="reviewer:wang")
    assert item.status == "draft" and item.published_at is None and item.published_by is None
    last = item.revisions[-1]
    assert (last.version, last.action, last.before["status"], last.after["status"]) == (
        3,
        "edit",
        "published",
        "draft",
    )
    assert policy_items.changed_fields(last) == ["name", "status"]
    assert policy_items.changed_fields(item.revisions[0]) == []
    event = library.scalars(select(AuditEvent).where(AuditEvent.action == "item.edit")).one()
    assert event.data == {"changed": ["name"]} and event.actor == "reviewer:wang"
