"""「我能享受的政策」: an enterprise's matches in the portal, the questions that settle the most money
first, answers that update the result at once, and saving them to the profile."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape

import pytest

from tests.factories.accounts import add_accounts, cheap_hashing
from tests.functional.conftest import build_published, serve
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.match import profiles

PASSWORD = "correct horse battery"
A = "91330100799655058B"
B = "91350100M000100Y43"
DOCUMENT = {"name": "甲公司", "credit_code": A, "region": "青禾高新区", "employees": 10}


@pytest.fixture
def site(prepared_library, monkeypatch):
    """The published sample library with enterprises 甲 (account acme) and 乙 (beta) and a reviewer."""
    cheap_hashing(monkeypatch)
    url = prepared_library("published", build_published)
    engine = make_engine(url)
    with session_scope(engine) as session:
        _publish_an_item_with_a_claim(session)
        profiles.upsert(db_session=session, document=DOCUMENT, source="staff", actor="cli")
        profiles.upsert(
            db_session=session, document={"name": "乙公司", "credit_code": B}, source="staff", actor="cli"
        )
        add_accounts(
            session,
            [
                ("acme", "enterprise", A, None),
                ("beta", "enterprise", B, None),
                ("wang", "reviewer", None, None),
            ],
            password=PASSWORD,
        )
    engine.dispose()
    with serve(url) as client:
        yield client


def _publish_an_item_with_a_claim(session) -> None:
    """An enterprise item whose condition is a claim the applicant confirms (the sample gazette's only
    claim is the 口袋公园's, an item for governments that enterprises are not offered)."""
    from tests.factories.ingest import ParsedDocumentFactory, ParsedGazetteFactory, content_of
    from zhengcetong.ingest import flows
    from zhengcetong.ingest.measures import extract_items
    from zhengcetong.library import items as policy_items

    doc = ParsedDocumentFactory(outline=[("第一条", "对产品具有自主知识产权的企业，给予一次性奖励10万元。")])
    gazette = ParsedGazetteFactory(documents=[doc])
    prepared = flows.Prepared("claim.txt", content_of(gazette), gazette, [extract_items(doc)])
    flows.store(db_session=session, prepared=[prepared], actor="test")
    drafts = [i for i in policy_items.list_items(db_session=session) if i.status == "draft"]
    policy_items.publish_items(db_session=session, items=drafts, actor="test")


def login(client, username):
    page = client.get("/staff/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    response = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def question_facts(page: str) -> list[str]:
    return [unescape(f) for f in re.findall(r'<li class="question[^"]*" id="q-([^"]+)"', page)]


def elements_of(page: str, fact: str) -> dict[str, str]:
    """The tick boxes of a list question: element JSON → its text."""
    boxes = re.findall(
        rf'<input type="checkbox" name="q\.{re.escape(fact)}" value="([^"]+)"[^>]*> ([^<]+)', page
    )
    return {unescape(v): t.strip() for v, t in boxes}


def sections(page: str) -> tuple[str, str]:
    """The eligible and the possibly section of the page."""
    eligible = page.split('id="eligible-head"')[1].split('id="possibly-head"')[0]
    return eligible, page.split('id="possibly-head"')[1]


def api_match(client, document) -> dict:
    response = client.post("/api/v1/match", json={"profile": document})
    assert response.status_code == 200
    return response.json()


def test_questions_are_ordered_by_the_money_they_settle(site):
    login(site, "acme")
    page = site.get("/enterprise/matches")
    assert page.status_code == 200 and "我能享受的政策" in page.text and "甲公司" in page.text
    assert page.headers["cache-control"] == "no-store"
    # the same answer as the API gives for the stored document, weighed independently here
    result = api_match(site, DOCUMENT)
    stake: dict[str, Decimal] = {}
    for entry in result["possibly"]:
        money = Decimal(entry["estimated_amount_yuan"] or entry["amount_max_yuan"] or 0)
        for missing in entry["missing"]:
            stake[missing["fact"]] = stake.get(missing["fact"], Decimal(0)) + money
    asked = question_facts(page.text)
    assert sorted(asked) == sorted(stake) and len(asked) >= 4
    weights = [stake[f] for f in asked]
    assert weights == sorted(weights, reverse=True), list(zip(asked, weights, strict=True))
    assert f"{len(result['possibly'])}</strong> 项可能符合" in page.text
    # an amount the profile cannot settle yet is said as the text says it (给予X / 最高X / 按X%)
    unsettled = [e for e in result["possibly"] if e["estimated_amount_yuan"] is None and e["amount_max_yuan"]]
    assert unsettled and all(e["benefit"] for e in unsettled)
    assert "<strong>按10%，最高200万元，一次性</strong>" in page.text  # the 设备更新 rate, not a bare 最高


def test_an_answer_updates_the_result_at_once_and_is_saved_only_when_asked(site):
    login(site, "acme")
    page = site.get("/enterprise/matches").text
    before = api_match(site, DOCUMENT)
    low = next(e for e in before["possibly"] if "低于1亿元" in e["name"])
    assert any(m["fact"] == "revenue.2025" for m in low["missing"])
    preview = site.post(
        "/enterprise/matches",
        data={"csrf": csrf_of(page), "q.revenue.2025": "3亿", "action": "preview"},
    )
    assert preview.status_code == 200 and "已回答，未保存" in preview.text
    _, possibly = sections(preview.text)
    assert low["name"] not in possibly  # 3亿 is not below 1亿: that item is now ineligible
    after = api_match(site, {**DOCUMENT, "revenue_yuan": {"2025": 300000000}})
    assert f"{after['ineligible_count']}</strong> 项不符合" in preview.text
    assert after["ineligible_count"] == before["ineligible_count"] + 1
    assert site.get("/api/v1/profiles/me").json()["version"] == 1  # a preview saves nothing


def test_ticking_a_recognition_makes_its_item_eligible_and_saving_records_the_enterprise_as_source(site):
    login(site, "acme")
    page = site.get("/enterprise/matches").text
    boxes = elements_of(page, "recognitions")
    giant = next(v for v, text in boxes.items() if "小巨人" in text)
    assert json.loads(giant) == {"name": "专精特新“小巨人”企业", "level": "national", "first_time": True}
    saved = site.post(
        "/enterprise/matches",
        data={"csrf": csrf_of(page), "q.recognitions": giant, "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/enterprise/matches?saved=1"
    me = site.get("/api/v1/profiles/me").json()
    assert me["version"] == 2 and me["document"]["recognitions"] == [json.loads(giant)]
    assert me["provenance"]["recognitions"]["source"] == "enterprise"
    assert me["provenance"]["recognitions"]["by"] == "user:acme"
    assert me["provenance"]["region"]["source"] == "staff"  # what was not answered keeps its source
    page = site.get("/enterprise/matches?saved=1").text
    eligible, possibly = sections(page)
    assert "小巨人" in eligible and "50万元" in eligible and "回答已保存到企业画像" in page
    assert "企业获得的认定（企业填报" in eligible  # the explanation says where the fact came from
    assert "首次认定为省级专精特新中小企业" not in possibly  # the list, once given, is complete


def test_a_yes_to_a_claim_settles_every_item_that_asks_it(site):
    login(site, "acme")
    page = site.get("/enterprise/matches").text
    claim = next(f for f in question_facts(page) if f.startswith("claims."))
    asking = [
        e["name"]
        for e in api_match(site, DOCUMENT)["possibly"]
        if any(m["fact"] == claim for m in e["missing"])
    ]
    answered = site.post("/enterprise/matches", data={"csrf": csrf_of(page), f"q.{claim}": "yes"})
    assert answered.status_code == 200
    eligible, possibly = sections(answered.text)
    document = {**DOCUMENT, "facts": {"claims": {claim.split(".", 1)[1]: True}}}
    expected = api_match(site, document)
    assert {e["name"] for e in expected["eligible"]} <= {n for n in asking}
    for name in asking:
        settled = any(e["name"] == name for e in expected["eligible"])
        assert (name in eligible) == settled


def test_a_bad_answer_is_named_and_nothing_is_saved(site):
    login(site, "acme")
    page = site.get("/enterprise/matches").text
    bad = site.post(
        "/enterprise/matches",
        data={"csrf": csrf_of(page), "q.revenue.2025": "许多", "action": "save"},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "请填写数字" in bad.text and 'aria-invalid="true"' in bad.text
    assert site.get("/api/v1/profiles/me").json()["version"] == 1


def test_only_the_enterprise_itself_sees_its_matches(site):
    assert site.get("/enterprise/matches", follow_redirects=False).status_code in (303, 307)
    login(site, "wang")
    assert site.get("/enterprise/matches").status_code == 403
    site.cookies.clear()
    login(site, "beta")
    page = site.get("/enterprise/matches").text
    assert "乙公司" in page and "甲公司" not in page
    assert site.post("/enterprise/matches", data={"q.revenue.2025": "1"}).status_code == 403  # no CSRF token
