"""Matching one enterprise profile document against the public items of the seed and sample gazettes:
tiers, the 亩产效益 grade, the region rule, the CLI and the API."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.functional.match_helpers import CREDIT_CODE, answers_for, document, library
from zhengcetong.library.models import Document, PolicyItem
from zhengcetong.match import matching
from zhengcetong.match.service import ProfileError

ON = date(2024, 5, 1)  # last year is 2023, the year of the seed gazettes
DIAGNOSIS = "符合《聊城市工业绿色诊断补贴资金管理细则（试行）》相关规定的被诊断企业"


def _entries(result, name_part):
    return [e for e in result.eligible + result.possibly if name_part in e["name"]]


def test_revenue_tiers_are_exclusive_by_their_typed_conditions(db_session):
    library(db_session)
    # the 细则 whose requirements the enterprise meets is a typed fact (complies_with), no longer a claim
    answers = {
        **answers_for(db_session, DIAGNOSIS),
        "complies_with": ["聊城市工业绿色诊断补贴资金管理细则（试行）"],
    }
    doc = document(revenue_yuan={"2023": 300_000_000}, facts=answers)
    result = matching.match_profile(db_session=db_session, document=doc, on=ON)
    diagnosis = [e for e in result.eligible if e["name"].startswith(DIAGNOSIS)]
    assert diagnosis and {e["amount_max_yuan"] for e in diagnosis} == {"40000.00"}  # 超过2亿元 only
    assert not [e for e in result.possibly if e["name"].startswith(DIAGNOSIS)]
    assert any("满足：" in r and "2亿" in r for r in diagnosis[0]["reasons"])
    small = matching.match_profile(
        db_session=db_session,
        document=document(revenue_yuan={"2023": 150_000_000}, facts=answers),
        on=ON,
    )
    assert {e["amount_max_yuan"] for e in small.eligible if e["name"].startswith(DIAGNOSIS)} == {"30000.00"}


def test_breakthrough_tiers_of_one_clause_keep_the_best(db_session):
    library(db_session)
    answers = answers_for(db_session, "首次突破10亿元", "首次突破5亿元", "首次突破2亿元")
    doc = document(
        industries=["电子信息制造业"],
        revenue_yuan={"2022": 400_000_000, "2023": 1_200_000_000},
        facts={
            "revenue_growth": {"2023": 2.0},
            "city_avg_revenue_growth": {"2023": 0.06},
            **answers,
        },
    )
    result = matching.match_profile(db_session=db_session, document=doc, on=ON)
    names = [e["name"] for e in result.eligible]
    assert any("首次突破10亿元" in n for n in names)
    assert not any("首次突破5亿元" in n for n in names)  # superseded by the 10亿 tier of the same clause
    assert any("首次突破5亿元" in s for s in [_name(db_session, s["item_id"]) for s in result.superseded])
    best = next(e for e in result.eligible if "首次突破10亿元" in e["name"])
    assert any("较低档次不重复享受" in r for r in best["reasons"])


def _name(db_session, key):
    return db_session.scalar(select(PolicyItem.name).where(PolicyItem.key == key))


def test_the_grade_picks_the_grade_rate(db_session):
    library(db_session)
    doc = document(
        mu_efficiency_grade="C",
        # the conditions read the enterprise's projects, the formula the project applied for
        projects=[
            {"kind": "技术改造", "total_investment_yuan": 8_000_000, "equipment_investment_yuan": 3_000_000}
        ],
        facts={"project": {"investment": 8_000_000, "equipment_cost": 3_000_000}},
    )
    result = matching.match_profile(db_session=db_session, document=doc, on=ON)
    refits = [e for e in result.eligible if e["name"].startswith("计划总投资500万元以上的改造项目")]
    assert [e["estimated_amount_yuan"] for e in refits] == ["240000.00"]  # 8% of 3,000,000 (C 类), not 10%
    assert "C类" in refits[0]["name"]
    unknown = matching.match_profile(
        db_session=db_session,
        document=document(
            projects=[{"kind": "技术改造", "total_investment_yuan": 8_000_000}],
            facts={"project": {"investment": 8_000_000}},
        ),
        on=ON,
    )
    grades = [e for e in unknown.possibly if e["name"].startswith("计划总投资500万元以上的改造项目")]
    assert len(grades) == 3 and all(
        "mu_efficiency_grade" in [m["path"] for m in e["missing"]] for e in grades
    )


def test_entries_are_sorted_and_name_their_source(db_session):
    library(db_session)
    doc = document(
        recognitions=[
            {"name": "国家级智能制造示范工厂", "level": "national", "year": 2023, "first_time": True},
            {"name": "省级数字化车间", "level": "provincial", "year": 2023, "first_time": True},
        ],
    )
    data = matching.match_profile(db_session=db_session, document=doc, on=ON).to_dict()
    assert set(data) >= {"on", "eligible", "possibly", "ineligible_count"}
    first = data["eligible"][0]
    assert first["doc_number"] == "聊政办发〔2023〕7号" and first["clause"] and first["quote"]
    assert first["condition"] and first["reasons"] and first["estimated_amount_yuan"] == "1000000.00"
    priced = [e for e in data["eligible"] if e["estimated_amount_yuan"] is not None]
    assert data["eligible"][: len(priced)] == priced  # benefits without an amount (权益) come last
    amounts = [Decimal(e["estimated_amount_yuan"]) for e in priced]
    assert amounts == sorted(amounts, reverse=True)
    possibly = data["possibly"]
    assert all(e["missing"] for e in possibly)
    known = [e for e in possibly if e["estimated_amount_yuan"] is not None]
    assert possibly[: len(known)] == known  # known amounts before unknown ones
    fact = next(m for e in possibly for m in e["missing"] if m["fact"].startswith(("answers", "claims")))
    assert fact["path"].startswith(("facts.answers", "facts.claims")) and fact["label"].startswith(
        "申请人确认："
    )
    offered = db_session.query(PolicyItem).filter(PolicyItem.applicant != "public")  # not 口袋公园's
    assert data["ineligible_count"] + len(data["eligible"]) + len(possibly) + len(data["superseded"]) == (
        offered.count()
    )


def test_a_county_item_needs_the_enterprise_in_that_county(db_session):
    library(db_session, seeds=False)
    target = db_session.scalar(select(Document).where(Document.doc_number == "青政办发〔2026〕8号"))
    target.issuer = "东昌府区人民政府办公室"
    db_session.flush()
    recognition = {"name": "专精特新“小巨人”企业", "level": "national", "year": 2025, "first_time": True}

    def giant(region):
        fields = {"recognitions": [recognition]} | ({"region": region} if region else {})
        result = matching.match_profile(
            db_session=db_session, document=document(**fields), on=date(2026, 5, 1)
        )
        return result, [e for e in result.eligible + result.possibly if "小巨人" in e["name"]]

    _, there = giant("聊城市东昌府区")
    assert there and there[0] in giant("聊城市东昌府区")[0].eligible
    result, unknown = giant(None)
    assert unknown and unknown[0] in result.possibly
    assert unknown[0]["missing"][0] == {"fact": "region", "label": "所在县（市、区）", "path": "region"}
    assert giant("冠县")[1] == []


def test_a_wrong_document_names_its_fields(db_session):
    library(db_session, seeds=False)
    with pytest.raises(ProfileError) as caught:
        matching.match_profile(db_session=db_session, document={"name": "甲", "revenue": 1}, on=ON)
    where = [p.where for p in caught.value.problems]
    assert "$.credit_code" in where and "$.revenue" in where
    assert "revenue：未知的字段“revenue”" in str(caught.value)


# --- the shells --------------------------------------------------------------------------------------


def test_cli_match_json_table_and_errors(sample_library, tmp_path):
    from tests.functional.test_ingest_cli import zct

    env = {"ZCT_DATABASE_URL": sample_library}
    assert zct("items", "publish", "--all", env=env).returncode == 0
    path = tmp_path / "企业.yaml"
    path.write_text(
        f"name: 青禾示例电子有限公司\ncredit_code: {CREDIT_CODE}\nrecognitions:\n"
        "  - {name: 专精特新“小巨人”企业, level: national, year: 2025, first_time: true}\n",
        encoding="utf-8",
    )
    done = zct("match", "--profile", str(path), "--on", "2026-05-01", "--json", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["on"] == "2026-05-01" and data["eligible"][0]["estimated_amount_yuan"] == "500000.00"
    table = zct("match", "--profile", str(path), "--on", "2026-05-01", env=env)
    assert "符合的政策事项" in table.stdout and "最高 500,000 元" in table.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "甲", "credit_code": "91330100799655058C"}), encoding="utf-8")
    failed = zct("match", "--profile", str(bad), env=env)
    assert failed.returncode == 2 and "credit_code：统一社会信用代码校验码错误" in failed.stderr
    assert "Traceback" not in failed.stderr


def _publish_everything(url):
    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    with session_scope(engine) as session:
        policy_items.publish_items(
            db_session=session, items=list(session.scalars(select(PolicyItem))), actor="t"
        )
    engine.dispose()


def test_api_match(sample_library):
    from tests.functional.conftest import serve

    _publish_everything(sample_library)
    with serve(sample_library) as client:
        _check_api_match(client)


def _check_api_match(client):
    doc = document(
        recognitions=[{"name": "专精特新“小巨人”企业", "level": "national", "year": 2025, "first_time": True}]
    )
    response = client.post("/api/v1/match", json={"profile": doc, "on": "2026-05-01"})
    assert response.status_code == 200, response.text
    data = response.json()
    print(
        "DBG",
        [(e["name"], e["estimated_amount_yuan"], e.get("missing")) for e in data["possibly"]][:6],
        data["ineligible_count"],
    )
    assert data["eligible"][0]["estimated_amount_yuan"] == "500000.00" and data["ineligible_count"] >= 0
    wrong = client.post("/api/v1/match", json={"profile": {"name": "甲", "scale": "巨型"}})
    assert wrong.status_code == 422
    assert {p["where"] for p in wrong.json()["problems"]} == {"$.credit_code", "$.scale"}
    from zhengcetong.web.api.calc import MAX_BODY_BYTES

    huge = client.post("/api/v1/match", json={"profile": document(name="甲" * MAX_BODY_BYTES)})
    assert huge.status_code == 413
