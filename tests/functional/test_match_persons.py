"""Person profiles (人才、博士后、求职者): matched the same way as enterprises, judged as the one element of
``persons``; items that read an enterprise's facts (营业收入, 认定, 项目 …) never go to a person."""

from __future__ import annotations

from datetime import date

import pytest

from tests.functional.match_helpers import document, library
from zhengcetong.match import matching
from zhengcetong.match.service import ProfileError

ON = date(2024, 5, 1)
ID = "11010519491231002X"
POSTDOC = {"kind": "person", "name": "李四", "id_number": ID, "region": "东昌府区", "role": "博士后"}


def _units_only(db_session) -> dict[str, bool]:
    catalog = matching.public_catalog(db_session=db_session)
    return {e.item.key: e.for_units_only for e in catalog.items}


def test_a_postdoc_gets_the_items_for_postdocs_and_none_of_the_enterprise_items(db_session):
    library(db_session)
    units_only = _units_only(db_session)
    assert sum(units_only.values()) > len(units_only) / 2  # most items are for enterprises
    person = matching.match_profile(db_session=db_session, document=POSTDOC, on=ON)
    offered = person.eligible + person.possibly
    assert offered and not [e["name"] for e in offered if units_only[e["item_id"]]]
    postdoc_items = [e for e in offered if "博士后" in e["name"]]
    assert len(postdoc_items) >= 5
    assert any("满足" in r and "博士后" in r for e in person.eligible for r in e["reasons"])
    # what a person still has to say is asked at the top of the person's own document
    paths = {m["path"] for e in person.possibly for m in e["missing"]}
    assert "full_time" in paths and not [p for p in paths if p.startswith("facts.persons")]
    # the same person, as someone an enterprise employs, gives the enterprise those items too
    employer = matching.match_profile(
        db_session=db_session,
        document=document(region="东昌府区", facts={"persons": [{"role": "博士后"}]}),
        on=ON,
    )
    employer_keys = {e["item_id"] for e in employer.eligible + employer.possibly}
    assert {e["item_id"] for e in postdoc_items} <= employer_keys
    assert len(employer_keys) > len(offered)


def test_an_enterprise_item_says_why_a_person_cannot_have_it(db_session):
    library(db_session, seeds=False)
    catalog = matching.public_catalog(db_session=db_session)
    entry = next(e for e in catalog.items if e.for_units_only)
    from zhengcetong.match.enterprise import facts_of

    outcome = matching.evaluate_pair(entry, facts_of(POSTDOC), ON, explain=True)
    assert outcome.eligible == "ineligible" and outcome.amount is None and outcome.missing == []
    assert outcome.reasons == ["不适用：本政策面向企业（单位），个人不能申请"]


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        ({"id_number": "110105194912310021"}, "$.id_number", "校验码错误"),
        ({"id_number": None}, "$.id_number", "缺少公民身份号码"),
        ({"disabled": "是"}, "$.disabled", ""),
        ({"revenue_yuan": {"2025": 1}}, "$.revenue_yuan", "未知的字段"),
        ({"kind": "robot"}, "$.kind", "画像类型"),
    ],
)
def test_a_wrong_person_document_is_refused_field_by_field(db_session, change, where, reason):
    doc = {k: v for k, v in {**POSTDOC, **change}.items() if v is not None}
    with pytest.raises(ProfileError) as caught:
        matching.match_profile(db_session=db_session, document=doc, on=ON)
    problems = {p.where: p.zh for p in caught.value.problems}
    assert where in problems and reason in problems[where], problems
