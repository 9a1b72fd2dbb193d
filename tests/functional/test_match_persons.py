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


PERSONS_CSV = """kind,姓名,公民身份号码,所在县（市、区）,role,degree,full_time,disabled
person,李四,11010519491231002x,东昌府区,博士后,博士,是,否
person,王五,371502199003071230,东昌府区,求职者,,,是
"""


def test_persons_are_imported_stored_and_batch_matched_like_enterprises(db_session, tmp_path):
    import io
    import json

    from sqlalchemy import select

    from zhengcetong.match import batch, profile_import, profiles
    from zhengcetong.match.models import Enterprise

    library(db_session)
    csv_file = tmp_path / "persons.csv"
    csv_file.write_text(PERSONS_CSV, encoding="utf-8")
    jsonl_file = tmp_path / "more.jsonl"
    jsonl_file.write_text(
        json.dumps(document(region="东昌府区"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    report = profile_import.import_files(
        db_session=db_session, paths=[str(csv_file), str(jsonl_file)], source="staff", actor="t"
    )
    assert report.created == 3
    li = profiles.get(db_session=db_session, credit_code="11010519491231002X")
    assert li.profile == {
        "kind": "person",
        "name": "李四",
        "id_number": "11010519491231002X",
        "region": "东昌府区",
        "role": "博士后",
        "degree": "博士",
        "full_time": True,
        "disabled": False,
    }
    assert li.provenance["role"]["source"] == "staff"
    out = io.StringIO()
    batch.run_to_jsonl(db_session=db_session, on=ON, out=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    stored = list(db_session.scalars(select(Enterprise).order_by(Enterprise.id)))
    for enterprise, line in zip(stored, lines, strict=True):
        key = "id_number" if enterprise.profile.get("kind") == "person" else "credit_code"
        one = matching.match_profile(db_session=db_session, document=enterprise.profile, on=ON)
        assert line == {key: enterprise.credit_code, **matching.summary(one)}
    assert lines[0]["possibly"] or lines[0]["eligible"]


def test_a_duplicate_or_wrong_person_row_stops_the_whole_import(db_session, tmp_path):
    from zhengcetong.match import profile_import

    bad = tmp_path / "bad.csv"
    bad.write_text(
        PERSONS_CSV + "person,赵六,11010519491231002X,东昌府区,,,,\nperson,钱七,110105194912310021,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(profile_import.ImportProblems) as caught:
        profile_import.import_files(db_session=db_session, paths=[str(bad)], source="staff", actor="t")
    text = "\n".join(caught.value.lines)
    assert "第 4 行：公民身份号码 11010519491231002X 与" in text and "第 2 行重复" in text
    assert "第 5 行" in text and "校验码错误" in text
