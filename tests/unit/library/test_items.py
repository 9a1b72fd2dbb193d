"""Staff review of policy items: drafts, edits with history, publishing, deadlines, withdrawal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong import clock
from zhengcetong.errors import Conflict, InputError
from zhengcetong.library import items as policy_items
from zhengcetong.library import review
from zhengcetong.library.models import AuditEvent, PolicyItem
from zhengcetong.match.service import RULES
from zhengcetong.samples import SINGLE_NOTICE, sample_path


def ingest(session, path, name):
    return ingest_file(session, path.read_bytes(), name)


@pytest.fixture
def library(db_session):
    result = ingest(db_session, sample_path(), "sample.txt")
    assert (
        result.items == 9
    )  # 6 in 青政办发〔2026〕8号, 2 创新券 limits in 青政发〔2026〕11号, 1 口袋公园 award
    return db_session


def test_ingest_stores_items_as_drafts_with_a_first_revision(library):
    items = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")
    assert [i.status for i in items] == ["draft"] * 6
    first = items[0]
    assert first.amount_max_yuan == Decimal(500000) and first.clause_path == "一/（一）"
    assert first.document.body[first.start : first.end] == first.quote
    assert [(r.version, r.action, r.actor) for r in first.revisions] == [(1, "extract", "test")]
    assert (
        policy_items.list_items(db_session=library, public_on=date(2026, 5, 1)) == []
    )  # drafts are not public


def test_reingest_does_not_duplicate_items(library):
    again = ingest(library, sample_path(), "again.txt")
    assert not again.created
    assert len(library.scalars(select(PolicyItem)).all()) == 9


def test_edit_keeps_before_and_after(library):
    item = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    policy_items.edit_item(
        db_session=library,
        item=item,
        changes={"name": "国家级专精特新“小巨人”企业认定奖励", "time_limit_days": 20},
        actor="reviewer:li",
        note="规范事项名称",
    )
    assert item.version == 2
    revision = item.revisions[-1]
    assert revision.actor == "reviewer:li" and revision.action == "edit" and revision.note == "规范事项名称"
    assert revision.before["time_limit_days"] is None and revision.after["time_limit_days"] == 20
    assert revision.after["name"] == "国家级专精特新“小巨人”企业认定奖励"
    with pytest.raises(InputError):
        policy_items.edit_item(db_session=library, item=item, changes={"status": "published"}, actor="x")
    events = library.scalars(select(AuditEvent).where(AuditEvent.action == "item.edit")).all()
    assert len(events) == 1 and events[0].actor == "reviewer:li"


def test_publish_makes_items_public_while_the_document_is_in_force(library):
    items = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")
    assert policy_items.publish_items(db_session=library, items=items, actor="reviewer:li") == 6
    assert policy_items.publish_items(db_session=library, items=items, actor="reviewer:li") == 0
    assert all(i.status == "published" and i.published_by == "reviewer:li" for i in items)
    assert len(policy_items.list_items(db_session=library, public_on=date(2026, 5, 1))) == 6
    with pytest.raises(Conflict):
        items[0].status = "withdrawn"
        policy_items.edit_item(db_session=library, item=items[0], changes={"name": "x"}, actor="x")


def test_expired_document_withdraws_its_items_on_that_date(library):
    ingest(library, sample_path(SINGLE_NOTICE), "single.txt")  # 有效期至2026年6月30日, no items
    vouchers = policy_items.list_items(
        db_session=library, doc_number="青政字〔2026〕4号"
    )  # 有效期3年 from 2026-02-18
    policy_items.publish_items(db_session=library, items=vouchers, actor="r")
    assert (
        policy_items.effective_status(db_session=library, item=vouchers[0], on=date(2029, 2, 17))
        == "published"
    )
    assert (
        policy_items.effective_status(db_session=library, item=vouchers[0], on=date(2029, 2, 18))
        == "withdrawn"
    )
    assert policy_items.withdraw_inactive(db_session=library, on=date(2029, 3, 1)) == 1
    assert vouchers[0].status == "withdrawn" and vouchers[0].revisions[-1].action == "withdraw"


def test_review_queue_deadlines_count_working_days(library):
    queue = review.review_queue(db_session=library, today=clock.today(), working_days=7)
    assert {e.doc_number for e in queue} == {"青政办发〔2026〕8号", "青政字〔2026〕4号", "青政发〔2026〕11号"}
    entry = queue[0]
    assert entry.deadline == review.working_days_after(entry.received, 7)
    assert not entry.overdue and entry.drafts == entry.total
    late = review.review_queue(
        db_session=library, today=entry.deadline.replace(year=entry.deadline.year + 1), working_days=7
    )
    assert all(e.overdue and e.working_days_left < 0 for e in late)
    policy_items.publish_items(
        db_session=library, items=policy_items.list_items(db_session=library, status="draft"), actor="r"
    )
    assert review.review_queue(db_session=library, today=clock.today(), working_days=7) == []


def test_working_days_skip_weekends_and_holidays():
    assert review.working_days_after(date(2026, 11, 20), 7) == date(2026, 12, 1)
    holidays = frozenset({date(2026, 10, 1), date(2026, 10, 2)})
    assert review.working_days_after(date(2026, 9, 30), 1, holidays) == date(2026, 10, 5)


def test_saving_unchanged_values_is_no_edit(library):
    """The staff form sends back what it showed (2000000, 0.1): a published item must stay published."""
    items = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")
    policy_items.publish_items(db_session=library, items=items, actor="r")
    item = next(i for i in items if i.amount_max_yuan is not None)
    library.flush()
    library.expire(item)  # read back as the database holds it (Numeric(18, 2): 500000.00)
    shown = policy_items.item_dict(db_session=library, item=item)
    changes = {"name": item.name, "amount_max_yuan": str(shown["amount_max_yuan"]), "rate": shown["rate"]}
    policy_items.edit_item(db_session=library, item=item, changes=changes, actor="r", rules=RULES)
    assert item.status == "published" and item.version == 1 and item.revisions[-1].action == "publish"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "事项名称不能为空"),
        ({"category": "其他"}, "类别应为奖补、减免、权益、资质"),
        ({"per": "week"}, "计发周期应为"),
        ({"benefit_kind": "gift"}, "待遇类型应为"),
        ({"rate": "5"}, "比例应在 0 到 1 之间"),
        ({"time_limit_days": -3}, "办理时限应为非负整数"),
        ({"months_max": 2.5}, "月数上限应为非负整数"),
        ({"departments": "市财政局"}, "责任单位应为部门名称的列表"),
    ],
)
def test_edits_the_item_cannot_hold_are_refused_and_change_nothing(library, changes, message):
    item = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")[0]
    before = policy_items.item_dict(db_session=library, item=item)
    with pytest.raises(InputError, match=message):
        policy_items.edit_item(db_session=library, item=item, changes=changes, actor="r", rules=RULES)
    assert policy_items.item_dict(db_session=library, item=item) == before and item.version == 1


def test_the_publish_event_names_only_the_items_it_published(library):
    first, second, *_ = policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")
    policy_items.publish_items(db_session=library, items=[first], actor="r")
    assert policy_items.publish_items(db_session=library, items=[first, second], actor="r") == 1
    event = library.scalars(
        select(AuditEvent).where(AuditEvent.action == "item.publish").order_by(AuditEvent.id.desc())
    ).first()
    assert event.target_id == second.key and event.data == {"count": 1, "keys": [second.key]}


def _notice_without_number(year: int) -> bytes:
    return (
        "青禾市人民政府办公室\n关于支持小微企业发展的通知\n各区人民政府，市政府各部门：\n"
        "　　一、对首次认定为市级专精特新企业的，给予最高10万元一次性奖励。\n"
        f"　　本通知自印发之日起施行。\n青禾市人民政府办公室\n{year}年3月1日\n"
    ).encode()


def test_a_reissued_notice_without_a_number_keeps_its_own_items(db_session):
    for year in (2025, 2026):
        result = ingest_file(db_session, _notice_without_number(year), f"n{year}.txt")
        assert result.documents == 1 and result.items == 1, year
    items = policy_items.list_items(db_session=db_session)
    assert sorted(i.document.date.year for i in items) == [2025, 2026] and len({i.key for i in items}) == 2


def _item_of(library, clause: str):
    return next(
        i
        for i in policy_items.list_items(db_session=library, doc_number="青政办发〔2026〕8号")
        if i.clause_path == clause
    )


def test_changed_amounts_carry_the_formula_with_them(library):

    award = _item_of(library, "一/（一）")
    assert award.formula == {"up_to": "500000"}
    policy_items.edit_item(
        db_session=library, item=award, changes={"amount_max_yuan": "600000"}, actor="r", rules=RULES
    )
    assert award.formula == {"up_to": "600000"} and "formula" in policy_items.changed_fields(
        award.revisions[-1]
    )
    equipment = _item_of(library, "二")
    base = {"*": ["0.12", {"fact": "project.equipment_cost"}]}
    policy_items.edit_item(
        db_session=library, item=equipment, changes={"rate": "0.12"}, actor="r", rules=RULES
    )
    assert equipment.formula == {"up_to": {"min": [base, "2000000"]}}
    custom = {"up_to": {"min": [{"*": ["0.12", {"fact": "project.investment"}]}, "1500000"]}}
    policy_items.edit_item(
        db_session=library, item=equipment, changes={"formula": custom}, actor="r", rules=RULES
    )
    policy_items.edit_item(
        db_session=library, item=equipment, changes={"rate": "0.15"}, actor="r", rules=RULES
    )
    assert equipment.formula == custom  # the reviewer's own formula is theirs to change


def test_staff_replace_a_claim_by_a_typed_condition(library):

    item = _item_of(library, "一/（一）")
    claim = {"fact": "claims.q1a2b3c4d5e", "op": "==", "value": True, "label": "电子信息制造业企业"}
    policy_items.edit_item(
        db_session=library,
        item=item,
        changes={"conditions": {"all": [claim]}},
        actor="r",
        rules=RULES,
    )
    typed = {"fact": "industries", "op": "contains", "value": "电子信息制造业"}
    policy_items.type_claim(
        db_session=library,
        item=item,
        claim="claims.q1a2b3c4d5e",
        condition=typed,
        actor="r",
        rules=RULES,
    )
    assert item.conditions == {"all": [{**typed, "label": "电子信息制造业企业"}]}
    assert item.revisions[-1].note == "以类型化条件替换 claims.q1a2b3c4d5e"
    with pytest.raises(InputError):  # no longer there
        policy_items.type_claim(
            db_session=library,
            item=item,
            claim="claims.q1a2b3c4d5e",
            condition=typed,
            actor="r",
            rules=RULES,
        )
    with pytest.raises(policy_items.RuleInputError):  # checked like any edit
        item.conditions = {"all": [claim]}
        policy_items.type_claim(
            db_session=library,
            item=item,
            claim="claims.q1a2b3c4d5e",
            condition={"fact": "industrys", "op": "==", "value": 1},
            actor="r",
            rules=RULES,
        )
