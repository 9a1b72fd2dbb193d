"""The staff console: login, roles, CSRF, editing with history, publishing, deadlines."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.library import service, users
from zhengcetong.library.models import PolicyItem
from zhengcetong.samples import sample_path
from zhengcetong.web import create_app

PASSWORD = "correct horse battery"


def build_staff_site(url: str) -> None:
    """The sample gazette with its items as drafts, a reviewer (wang) and an enterprise account (acme)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ingest_file(session, sample_path().read_bytes(), "sample.txt")
        users.create_user(
            db_session=session, username="wang", password=PASSWORD, role="reviewer", actor="test"
        )
        users.create_user(
            db_session=session, username="acme", password=PASSWORD, role="enterprise", actor="test"
        )
    engine.dispose()


@pytest.fixture
def staff_site(prepared_library):
    """A client on a copy of the staff site's library, and the library's URL."""
    url = prepared_library("staff", build_staff_site)
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield client, url


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


def test_logout_ends_the_session_on_the_server(staff_site):
    client, url = staff_site
    assert login(client, "wang").status_code == 303
    copied = client.cookies.get("zct_session")  # what a stolen or shared cookie would be
    token = csrf_of(client.get("/staff").text)
    assert client.post("/staff/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    client.cookies.set("zct_session", copied)
    response = client.get("/staff", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    assert login(client, "wang").status_code == 303 and client.get("/staff").status_code == 200
    engine = make_engine(url)
    with session_scope(engine) as session:
        actions = [
            e.action for e in session.scalars(select(service.AuditEvent).order_by(service.AuditEvent.id))
        ]
    engine.dispose()
    assert actions.count("user.login") == 2 and actions.count("user.logout") == 1


def test_repeated_failed_logins_lock_the_username_for_a_while(staff_site):
    client, url = staff_site
    for _ in range(users.MAX_FAILED_LOGINS):
        assert login(client, "wang", "wrong password!").status_code == 401
    locked = login(client, "wang")  # the right password does not help while locked
    assert locked.status_code == 429 and "登录失败次数过多" in locked.text
    assert login(client, "acme").status_code == 303  # another account is not affected
    engine = make_engine(url)
    with session_scope(engine) as session:
        failed = session.scalars(
            select(service.AuditEvent).where(service.AuditEvent.action == "user.login_failed")
        ).all()
    engine.dispose()
    assert len(failed) == users.MAX_FAILED_LOGINS and {e.target_id for e in failed} == {"wang"}
    assert all(e.actor.startswith("login:") for e in failed)


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
            (2, "publish", "user:wang"),  # publishing changes no rule: the same version goes public
        ]
        assert item.revisions[1].before["name"] != item.revisions[1].after["name"]
    engine.dispose()


def test_a_reviewer_sets_who_can_apply(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政字-2026-4")).text
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(select(PolicyItem).where(PolicyItem.name.contains("口袋公园"))).one()
        item_id, applicant = item.id, item.applicant
        rule = {"conditions": json.dumps(item.conditions), "formula": json.dumps(item.formula)}
        form = {"csrf": csrf_of(page), "name": "口袋公园建设奖补", "condition": item.condition, **rule}
    assert applicant == "public"
    assert re.search(r'<option value="public" selected>政府部门</option>', page)
    refused = client.post(f"/staff/items/{item_id}", data={**form, "applicant": "everyone"})
    assert refused.status_code == 400
    saved = client.post(f"/staff/items/{item_id}", data={**form, "applicant": "unit"})
    assert saved.status_code == 200, saved.text[-500:]
    with session_scope(engine) as session:
        item = session.get(PolicyItem, item_id)
        assert item.applicant == "unit" and item.revisions[-1].actor == "user:wang"
        assert json.dumps(item.conditions) == rule["conditions"]  # the rule itself is untouched
    engine.dispose()


def test_only_published_items_are_shown_to_the_public(staff_site):
    client, _ = staff_site
    page = "/documents/" + quote("青政办发-2026-8")
    assert "政策事项（" not in client.get(page).text
    login(client, "wang")
    token = csrf_of(client.get("/staff/documents/" + quote("青政办发-2026-8")).text)
    client.post("/staff/documents/" + quote("青政办发-2026-8") + "/publish", data={"csrf": token})
    public = client.get(page, params={"valid_on": "2026-05-01"}).text
    assert "本文件的政策事项（6）" in public and "最高50万元，一次性" in public
    # each item's source text is marked in the body (two items of one 分别给予 sentence share one mark)
    assert public.count('class="item-mark"') == 5


# --- rules in words, refused saves, 试算 ---------------------------------------------------------------


def _equipment_item(url):
    """The sample's 10% equipment subsidy capped at 200万元 (青政办发〔2026〕8号 二)."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(
            select(PolicyItem).where(PolicyItem.clause_path == "二", PolicyItem.rate == 0.1)
        ).first()
        snapshot = (item.id, item.version, len(item.revisions), item.name, item.conditions, item.formula)
    engine.dispose()
    return snapshot


def _park_item(url):
    """The sample's 口袋公园 subsidy (青政字〔2026〕4号 二、（二）2), whose condition is a claim."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(
            select(PolicyItem).where(
                PolicyItem.clause_path == "二/（二）/2", PolicyItem.amount_max_yuan == 300000
            )
        ).first()
        snapshot = (item.id, item.version, len(item.revisions), item.name, item.conditions, item.formula)
    engine.dispose()
    return snapshot


def _edit_form(token, item_id, page, **changes):
    """The item's form as the page fills it in, with ``changes``."""
    section = page.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    form = {"csrf": token, "note": ""}
    for name in ("name", "formula", "amount_max_yuan", "rate", "time_limit_days"):
        form[name] = html.unescape(re.search(rf'name="{name}" value="([^"]*)"', section).group(1))
    for name in ("condition", "conditions"):
        form[name] = html.unescape(re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', section).group(1))
    return {**form, **changes}


def test_each_item_shows_its_rule_in_words(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政办发-2026-8")).text
    item_id = _equipment_item(url)[0]
    section = page.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    assert "规则（第 1 版）" in section and "<strong>条件：</strong>" in section
    assert "<strong>金额：</strong>最高 10% × 申报项目的设备（含软件）购置金额（不超过 200万元）" in section
    assert "试算需要的信息：" in section and "<code>project.equipment_cost</code>" in section
    claims = section.count('class="stack claim"')  # one form per claim left in its conditions
    assert claims == 0  # 专精特新 and the 设备更新 project are both read: nothing is left to confirm
    assert (
        section.count('name="csrf"') == 3 + claims
    )  # save, publish, 试算, claims: every form carries the token


def test_a_refused_save_keeps_what_the_reviewer_typed_and_says_why(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政办发-2026-8")).text
    token = csrf_of(page)
    item_id, version, revisions, name, conditions, formula = _equipment_item(url)
    typed = '{"all": [{"fact": "revenu.last_year", "op": ">", "value": 1}, {"oops": 1}]}'
    form = _edit_form(
        token, item_id, page, name="<script>alert(1)</script>改名", conditions=typed, formula='{"up_too": 5}'
    )
    response = client.post(f"/staff/items/{item_id}", data=form)
    assert response.status_code == 400 and "审核：" in response.text  # the page itself, not an error page
    section = response.text.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    assert "未保存，请修改后重试" in section
    for problem in (
        "条件 all[0].fact：未知的事实名称“revenu”，是否应为 “revenue”？",
        "条件 all[1]：条件应含以下键之一",
        "公式：金额公式应含且只含以下键之一",
    ):
        assert html.escape(problem, quote=False) in section
    assert str(escape(typed)) in section and '{"up_too": 5}' not in section  # kept, and escaped
    assert (
        "<script>alert(1)</script>" not in response.text
        and "&lt;script&gt;alert(1)&lt;/script&gt;改名" in section
    )
    other = response.text.split(f'id="item-{item_id}"', 1)[0]
    assert "未保存" not in other  # the error sits beside its own item only
    bad_json = client.post(f"/staff/items/{item_id}", data={**form, "conditions": "{oops"})
    assert (
        bad_json.status_code == 400 and "机器可判断的条件不是有效的 JSON（第 1 行第 2 列）" in bad_json.text
    )
    assert "{oops" in bad_json.text
    emptied = client.post(
        f"/staff/items/{item_id}", data={**_edit_form(token, item_id, page), "conditions": ""}
    )
    assert emptied.status_code == 400 and "没有可由机器判断的条件时请填 true" in emptied.text
    assert _equipment_item(url) == (item_id, version, revisions, name, conditions, formula)  # nothing saved
    fixed = _edit_form(
        token,
        item_id,
        page,
        formula='{"min": [{"*": ["0.08", {"fact": "project.equipment_cost"}]}, "2000000"]}',
    )
    saved = client.post(f"/staff/items/{item_id}", data=fixed)
    assert saved.status_code == 200 and "已保存为第 2 版" in saved.text
    assert "8% × 申报项目的设备（含软件）购置金额（不超过 200万元）" in saved.text
    assert "改动：计算公式" in saved.text


def test_trial_calculation_shows_the_verdict_amount_and_steps_and_saves_nothing(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政办发-2026-8")).text
    token = csrf_of(page)
    before = _equipment_item(url)
    item_id = before[0]
    profile = '{"project": {"equipment_cost": 30000000}}'
    forged = client.post(f"/staff/items/{item_id}/calculate", data={"csrf": "bad", "profile": profile})
    assert forged.status_code == 403
    response = client.post(
        f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": profile, "on": "2026-05-01"}
    )
    assert response.status_code == 200
    section = response.text.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    trial = section.split('id="trial-', 1)[1]
    assert "<details" in section and f'id="trial-{item_id}" open' in section
    assert "<strong>结论：</strong>" in trial and ("可能符合" in trial or "符合" in trial)
    assert "<strong>金额：</strong>最高 2,000,000 元" in trial
    assert "取 3,000,000 元与 2,000,000 元中的较小值 = 2,000,000 元" in trial
    assert "尚未审核发布" in trial and "评估日 2026-05-01" in trial
    assert str(escape(profile)) in trial  # the pasted profile stays in the box
    missing = client.post(
        f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": "{}", "on": "2026-05-01"}
    )
    assert "金额待补充" in missing.text and "待补充的信息" in missing.text and "申报项目" in missing.text
    bad = client.post(
        f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": '{"reveune": 1}', "on": ""}
    )
    assert bad.status_code == 400 and "无法试算" in bad.text
    assert html.escape("reveune：未知的事实名称“reveune”，是否应为 “revenue”？", quote=False) in bad.text
    bad_date = client.post(
        f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": "{}", "on": "2026-13-01"}
    )
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text
    assert _equipment_item(url) == before  # nothing was saved


def test_a_claim_is_replaced_by_a_typed_condition_from_the_vocabulary(staff_site):
    client, url = staff_site
    login(client, "wang")
    page = client.get("/staff/documents/" + quote("青政字-2026-4")).text
    token = csrf_of(page)
    item_id, version, revisions, _, conditions, _ = _park_item(url)
    section = page.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    claim = re.search(r'name="claim" value="(claims\.q[0-9a-f]{10})"', section).group(1)
    assert "申请人确认的事项（1）" in section and "贵单位是否" in section
    assert '<option value="recognitions[].name">' in section and '<option value="complies_with">' in section
    form = {
        "csrf": token,
        "claim": claim,
        "fact": "projects[].kind",
        "op": "contains",
        "value": "口袋公园",
    }
    assert client.post(f"/staff/items/{item_id}/claims", data={**form, "csrf": "bad"}).status_code == 403
    unknown = client.post(f"/staff/items/{item_id}/claims", data={**form, "fact": "recognitionz"})
    assert unknown.status_code == 400 and "未知的事实“recognitionz”" in unknown.text
    wrong = client.post(f"/staff/items/{item_id}/claims", data={**form, "fact": "employees", "value": "很多"})
    refused = wrong.text.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    assert wrong.status_code == 400 and "未替换，请修改后重试" in refused and 'value="很多"' in refused
    assert f'id="claims-{item_id}" open' in refused  # the form stays open with what was typed
    assert _park_item(url)[1:3] == (version, revisions)  # nothing saved
    saved = client.post(f"/staff/items/{item_id}/claims", data={**form, "note": "口袋公园是项目类型"})
    assert saved.status_code == 200 and "已保存为第 2 版" in saved.text
    after = saved.text.split(f'id="item-{item_id}"', 1)[1].split("</section>", 1)[0]
    assert "申请人确认的事项（" not in after and "改动：机器可判断的条件" in after
    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.get(PolicyItem, item_id)
        assert claim not in str(item.conditions) and item.version == version + 1
        assert conditions["fact"] == claim  # the sample's item had only this claim; now it is typed
        assert item.conditions == {
            "has": "projects",
            "where": {"fact": "kind", "op": "contains", "value": "口袋公园"},
            "label": conditions["label"],
        }
        assert item.revisions[-1].note == "口袋公园是项目类型" and item.revisions[-1].actor == "user:wang"
    engine.dispose()


def test_a_locked_address_gets_429_with_retry_after_and_other_addresses_still_log_in(staff_site):
    client, _ = staff_site
    for _ in range(users.MAX_FAILED_LOGINS):
        assert login(client, "wang", "wrong password!").status_code == 401
    locked = login(client, "wang")
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    with TestClient(client.app, client=("192.0.2.10", 50000)) as elsewhere:
        assert login(elsewhere, "wang").status_code == 303  # the real user, from another address


def test_a_disabled_user_is_logged_out_and_cannot_log_in(staff_site):
    client, url = staff_site
    assert login(client, "wang").status_code == 303 and client.get("/staff").status_code == 200
    engine = make_engine(url)
    with session_scope(engine) as session:
        users.set_active(db_session=session, username="wang", active=False, actor="cli:root")
    response = client.get("/staff", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    assert login(client, "wang").status_code == 401
    with session_scope(engine) as session:
        users.set_active(db_session=session, username="wang", active=True, actor="cli:root")
    engine.dispose()
    assert login(client, "wang").status_code == 303


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_the_login_source_is_the_peer_unless_the_proxy_is_trusted(staff_site, monkeypatch, trusted):
    # a real server started the way ``zct serve`` starts it
    import socket
    import threading
    import time

    import httpx
    import uvicorn

    from zhengcetong.cli.serve import proxy_options

    _, url = staff_site
    if trusted:
        monkeypatch.setenv("ZCT_FORWARDED_ALLOW_IPS", trusted)
    else:
        monkeypatch.delenv("ZCT_FORWARDED_ALLOW_IPS", raising=False)
    settings = Settings(database_url=url)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="warning", lifespan="off", **proxy_options(settings))
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            token = csrf_of(http.get("/staff/login").text)
            response = http.post(
                "/staff/login",
                data={"username": "wang", "password": "wrong password!", "csrf": token},
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
    assert response.status_code == 401
    engine = make_engine(url)
    with session_scope(engine) as session:
        actors = session.scalars(
            select(service.AuditEvent.actor).where(service.AuditEvent.action == "user.login_failed")
        ).all()
    engine.dispose()
    assert actors == (["login:203.0.113.9"] if trusted else ["login:127.0.0.1"])
