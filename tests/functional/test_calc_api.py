"""POST /api/v1/items/{item_ref}/calculate: who may calculate what, bad profiles, oversized bodies."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from sqlalchemy import select

from tests.functional.test_staff import csrf_of, login, staff_site  # noqa: F401  (staff_site is a fixture)
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.library.models import PolicyItem
from zhengcetong.web.api.calc import MAX_BODY_BYTES

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "profile_equipment.yaml"
ZJTX_UID = "青政办发-2026-8"


def equipment_item(url: str) -> tuple[int, str]:
    """(id, key) of the sample's 10%-capped-at-200万元 equipment subsidy."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(
            select(PolicyItem).where(PolicyItem.clause_path == "二", PolicyItem.rate == 0.1)
        ).first()
        found = item.id, item.key
    engine.dispose()
    return found


def post(client, ref, body, **kwargs):
    return client.post(f"/api/v1/items/{ref}/calculate", json=body, **kwargs)


def publish_all(client):
    login(client, "wang")
    token = csrf_of(client.get(f"/staff/documents/{ZJTX_UID}").text)
    client.post(f"/staff/documents/{ZJTX_UID}/publish", data={"csrf": token})


def test_anonymous_callers_calculate_only_published_items(staff_site):  # noqa: F811
    client, url = staff_site
    item_id, key = equipment_item(url)
    body = {"profile": {"project": {"equipment_cost": 3500000}}, "on": "2026-05-01"}
    draft = post(client, key, body)
    missing = post(client, "nope", body)
    assert draft.status_code == missing.status_code == 404  # a draft is not revealed
    assert draft.json()["detail"].replace(key, "X") == missing.json()["detail"].replace("nope", "X")
    publish_all(client)
    client.cookies.clear()
    response = post(client, key, body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["item_id"] == key and data["item"]["id"] == item_id and data["version"] == 1
    assert data["amount"] == "350000.00" and data["amount_text"] == "最高 350,000 元"
    assert data["steps"][0].startswith("10% × 申报项目的设备（含软件）购置金额 3,500,000 元")
    assert data["reference"]["doc_number"] == "青政办发〔2026〕8号" and data["reference"]["clause"] == "二"
    assert data["eligible"] in ("eligible", "possibly") and data["warnings"] == []
    assert post(client, item_id, body).json()["amount"] == "350000.00"  # the numeric id works too


def test_staff_calculate_drafts_and_see_the_warning(staff_site):  # noqa: F811
    client, url = staff_site
    _, key = equipment_item(url)
    login(client, "wang")
    profile = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    profile["founded"] = profile["founded"].isoformat()
    response = post(client, key, {"profile": profile, "on": "2026-05-01"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["item"]["status"] == "draft" and "尚未审核发布" in data["warnings"][0]
    assert data["amount"] == "350000.00" and data["eligible_zh"] in ("符合", "可能符合")
    client.cookies.clear()
    login(client, "acme")  # an enterprise account is the public
    assert post(client, key, {"profile": profile}).status_code == 404


def test_a_bad_profile_is_422_naming_the_field(staff_site):  # noqa: F811
    client, url = staff_site
    _, key = equipment_item(url)
    login(client, "wang")
    response = post(client, key, {"profile": {"reveune": {"2025": 1}, "employees": "many"}})
    assert response.status_code == 422
    data = response.json()
    assert "reveune：未知的事实名称“reveune”，是否应为 “revenue”？" in data["detail"]
    assert [p["where"] for p in data["problems"]] == ["$.reveune", "$.employees"]
    for body, expected in [
        ({"profile": [1]}, "字段 profile 应为 JSON 对象"),
        ({"profile": {}, "on": "2026-13-01"}, "YYYY-MM-DD"),
        ({"on": "2026-05-01"}, "缺少字段 profile"),
        ({"profile": {}, "extra": 1}, "不认识的字段 extra"),
    ]:
        bad = post(client, key, body)
        assert bad.status_code == 422 and expected in bad.json()["detail"], bad.text
    not_json = client.post(
        f"/api/v1/items/{key}/calculate", content=b"{oops", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400 and "不是有效的 JSON" in not_json.json()["detail"]
    form = client.post(f"/api/v1/items/{key}/calculate", data={"profile": "{}"})
    assert form.status_code == 415 and "application/json" in form.json()["detail"]


def test_an_oversized_body_is_refused(staff_site):  # noqa: F811
    client, url = staff_site
    _, key = equipment_item(url)
    login(client, "wang")
    big = json.dumps({"profile": {"name": "x" * MAX_BODY_BYTES}}).encode()
    declared = client.post(
        f"/api/v1/items/{key}/calculate", content=big, headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413 and "上限" in declared.json()["detail"]

    def chunks():  # no Content-Length: the body is counted as it arrives
        for i in range(0, len(big), 8192):
            yield big[i : i + 8192]

    streamed = client.post(
        f"/api/v1/items/{key}/calculate", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


def test_a_calculation_writes_nothing_and_is_documented(staff_site):  # noqa: F811
    client, url = staff_site
    _, key = equipment_item(url)
    login(client, "wang")
    engine = make_engine(url)
    with session_scope(engine) as session:
        before = session.scalars(select(PolicyItem).where(PolicyItem.key == key)).one().version
    assert post(client, key, {"profile": {}}).status_code == 200
    with session_scope(engine) as session:
        assert session.scalars(select(PolicyItem).where(PolicyItem.key == key)).one().version == before
    engine.dispose()
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/items/{item_ref}/calculate"]["post"]
    assert "试算" in operation["summary"]
    assert "profile" in operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
