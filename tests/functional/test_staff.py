"""The staff console: login, roles, CSRF, editing with history, publishing, deadlines."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.ingest.measures import extract_items
from zhengcetong.ingest.parse import parse_bytes
from zhengcetong.library import service, users
from zhengcetong.library.models import PolicyItem
from zhengcetong.samples import sample_path
from zhengcetong.web.app import create_app

PASSWORD = "correct horse battery"


@pytest.fixture
def staff_site(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    data = sample_path().read_bytes()
    parsed = parse_bytes(data, "sample.txt")
    with session_scope(engine) as session:
        service.ingest_gazette(
            db_session=session,
            parsed=parsed,
            content=data,
            source_name="sample.txt",
            actor="test",
            items=[extract_items(d) for d in parsed.documents],
        )
        users.create_user(
            db_session=session, username="wang", password=PASSWORD, role="reviewer", actor="test"
        )
        users.create_user(
            db_session=session, username="acme", password=PASSWORD, role="enterprise", actor="test"
        )
    engine.dispose()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client, database_url


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, username, password=PASSWORD):
    token = csrf_of(client.get("/staff/login").text)
    return client.post(
        "/staff/login",
        data={"username": username, "password": password, "csrf": token},
        follow_redirects=False,
    )


def test_console_requires_login_and_the_reviewer_role(staff_site):
    client, _ = staff_site
    response = client.get("/staff", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    assert login(client, "wang", "wrong password!").status_code == 401
    assert login(client, "nobody").status_code == 401
    assert login(client, "acme").status_code == 303
    assert client.get("/staff").status_code == 403  # an enterprise account is not staff


def test_login_without_csrf_token_is_refused(staff_site):
    client, _ = staff_site
    response = client.post("/staff/login", data={"username": "wang", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403


def test_queue_shows_documents_with_deadlines(staff_site):
    client, _ = staff_site
    assert login(client, "wang").status_code == 303
    page = client.get("/staff").text
    assert "审核队列" in page and "青政办发〔2026〕8号" in page and "剩 7 个工作日" in page
    late = client.get("/staff", params={"today": "2027-06-01"}).text
    assert "已超期" in late


def test_edit_and_publish_with_history(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政办发-2026-8")).text
    token = csrf_of(page)
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(select(PolicyItem).where(PolicyItem.clause_path == "一/（一）")).first()
        item_id = item.id
    form = {
        "csrf": token,
        "name": "国家级专精特新“小巨人”企业首次认定奖励",
        "condition": item.condition,
        "conditions": '{"fact": "answers.q1", "op": "==", "value": true}',
        "formula": '{"up_to": "500000"}',
        "amount_max_yuan": "500000",
        "rate": "",
        "time_limit_days": "15",
        "note": "规范名称",
    }
    assert client.post(f"/staff/items/{item_id}", data={**form, "csrf": "bad"}).status_code == 403
    bad_json = client.post(f"/staff/items/{item_id}", data={**form, "conditions": "{oops"})
    assert bad_json.status_code == 400 and "不是有效的 JSON" in bad_json.text
    saved = client.post(f"/staff/items/{item_id}", data=form)
    assert saved.status_code == 200 and "已保存为第 2 版" in saved.text
    assert client.post(f"/staff/items/{item_id}/publish", data={"csrf": token}).status_code == 200
    with session_scope(engine) as session:
        item = session.get(PolicyItem, item_id)
        assert item.status == "published" and item.time_limit_days == 15 and item.published_by == "user:wang"
        assert [(r.version, r.action, r.actor) for r in item.revisions] == [
            (1, "extract", "test"),
            (2, "edit", "user:wang"),
            (3, "publish", "user:wang"),
        ]
        assert item.revisions[1].before["name"] != item.revisions[1].after["name"]
    engine.dispose()


def test_only_published_items_are_shown_to_the_public(staff_site):
    client, _ = staff_site
    page = "/documents/" + quote("青政办发-2026-8")
    assert "政策事项（" not in client.get(page).text
    login(client, "wang")
    token = csrf_of(client.get("/staff/documents/" + quote("青政办发-2026-8")).text)
    client.post("/staff/documents/" + quote("青政办发-2026-8") + "/publish", data={"csrf": token})
    public = client.get(page, params={"valid_on": "2026-05-01"}).text
    assert "政策事项（6）" in public and "最高 500,000 元" in public
