"""Enterprise profiles on the web: the JSON API, the portal form, and who may see which profile."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from tests.factories.accounts import add_accounts, cheap_hashing
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.match import profiles
from zhengcetong.web.app import create_app

PASSWORD = "correct horse battery"
A = "91330100799655058B"
B = "91350100M000100Y43"
NEW = "91440300708461136T"


@pytest.fixture
def site(database_url, monkeypatch):
    cheap_hashing(monkeypatch)
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        for code, name in ((A, "甲公司"), (B, "乙公司")):
            profiles.upsert(
                db_session=session,
                document={"name": name, "credit_code": code, "region": "青禾高新区", "employees": 10},
                source="staff",
                actor="cli",
            )
        add_accounts(
            session,
            [
                ("acme", "enterprise", A, None),
                ("beta", "enterprise", B, None),
                ("lonely", "enterprise", None, None),
                ("wang", "reviewer", None, None),
            ],
            password=PASSWORD,
        )
    engine.dispose()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        yield client


def login(client, username, next_page=None):
    page = client.get("/staff/login" + (f"?next={next_page}" if next_page else "")).text
    data = {
        "username": username,
        "password": PASSWORD,
        "csrf": re.search(r'name="csrf" value="([^"]+)"', page)[1],
    }
    if next_page:
        data["next"] = next_page
    return client.post("/staff/login", data=data, follow_redirects=False)


def api_csrf(client, path="/api/v1/profiles/me"):
    return client.get(path).headers["X-CSRF-Token"]


# --- API ---------------------------------------------------------------------------------------------


def test_enterprise_reads_and_replaces_its_own_profile(site):
    assert login(site, "acme").headers["location"] == "/enterprise/matches"
    got = site.get("/api/v1/profiles/me")
    assert got.status_code == 200
    data = got.json()
    assert data["document"]["name"] == "甲公司" and data["version"] == 1
    assert data["provenance"]["employees"]["source"] == "staff"

    token = got.headers["X-CSRF-Token"]
    body = {"name": "甲公司", "employees": 12, "revenue_yuan": {"2025": 560000000}}
    assert site.put("/api/v1/profiles/me", json=body).status_code == 403  # no CSRF header
    put = site.put("/api/v1/profiles/me", json=body, headers={"X-CSRF-Token": token})
    assert put.status_code == 200, put.text
    data = put.json()
    assert data["version"] == 2 and data["document"] == {**body, "credit_code": A}  # region was removed
    assert data["provenance"]["employees"]["source"] == "enterprise"
    assert data["provenance"]["name"]["source"] == "staff"  # unchanged: keeps where it came from

    bad = site.put(
        "/api/v1/profiles/me",
        json={"name": "", "scale": "巨型", "credit_code": B},
        headers={"X-CSRF-Token": token},
    )
    assert bad.status_code == 422
    assert [p["where"] for p in bad.json()["problems"]] == ["$.credit_code"]
    bad = site.put(
        "/api/v1/profiles/me",
        json={"name": "", "scale": "巨型", "employes": 3},
        headers={"X-CSRF-Token": token},
    )
    assert bad.status_code == 422
    assert [p["where"] for p in bad.json()["problems"]] == ["$.name", "$.scale", "$.employes"]
    assert site.get("/api/v1/profiles/me").json()["version"] == 2
    assert (
        site.put(
            "/api/v1/profiles/me",
            content=b"{",
            headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
        ).status_code
        == 400
    )
    assert (
        site.put(
            "/api/v1/profiles/me", content=b"x", headers={"X-CSRF-Token": token, "Content-Type": "text/plain"}
        ).status_code
        == 415
    )


def test_staff_read_create_and_update_any_profile(site):
    login(site, "wang")
    assert site.get("/api/v1/profiles/me").status_code == 403
    got = site.get(f"/api/v1/profiles/{B.lower()}")
    assert got.status_code == 200 and got.json()["credit_code"] == B
    assert site.get(f"/api/v1/profiles/{NEW}").status_code == 404
    token = got.headers["X-CSRF-Token"]
    created = site.put(f"/api/v1/profiles/{NEW}", json={"name": "丙公司"}, headers={"X-CSRF-Token": token})
    assert created.status_code == 201 and created.json()["provenance"]["name"]["by"] == "user:wang"
    again = site.put(f"/api/v1/profiles/{NEW}", json={"name": "丙公司"}, headers={"X-CSRF-Token": token})
    assert again.status_code == 200 and again.json()["version"] == 1
    bad = site.put("/api/v1/profiles/123", json={"name": "丁"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422 and bad.json()["problems"][0]["where"] == "$.credit_code"


def test_unbound_enterprise_account(site):
    login(site, "lonely")
    assert site.get("/api/v1/profiles/me").status_code == 404
    page = site.get("/enterprise/profile")
    assert page.status_code == 200 and "尚未绑定企业" in page.text


# --- portal ------------------------------------------------------------------------------------------


def form_fields(html: str) -> dict:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', html):
        fields.setdefault(name, []).append(value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields.setdefault(name, []).append(chosen[1] if chosen else "")
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields.setdefault(name, []).append(body)
    fields["csrf"] = [re.search(r'name="csrf" value="([^"]+)"', html)[1]]
    return {name: [unescape(v) for v in values] for name, values in fields.items()}  # as a browser sends


def test_portal_form_round_trip_with_provenance(site):
    login(site, "acme")
    page = site.get("/enterprise/profile")
    assert page.status_code == 200 and "甲公司" in page.text and "工作人员导入 · " in page.text
    assert page.headers["Link"].startswith("</api/v1/profiles/me>")
    fields = form_fields(page.text)
    assert fields["employees"] == ["10"] and fields["revenue.year"] == ["", "", ""]

    fields["employees"] = ["12"]
    fields["revenue.year"] = ["2024", "2025", ""]
    fields["revenue.amount"] = ["460000000", "560,000,000", ""]
    fields["recognitions.name"] = ["高新技术企业", "", ""]
    fields["recognitions.level"] = ["national", "", ""]
    fields["recognitions.year"] = ["2025", "", ""]
    fields["recognitions.first_time"] = ["true", "", ""]
    fields["facts"] = ['{"revenue_growth": {"2025": 0.21}}']
    saved = site.post("/enterprise/profile", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    document = site.get("/api/v1/profiles/me").json()["document"]
    assert document["employees"] == 12 and document["revenue_yuan"] == {"2024": 460000000, "2025": 560000000}
    assert document["recognitions"] == [
        {"name": "高新技术企业", "level": "national", "year": 2025, "first_time": True}
    ]
    assert document["facts"] == {"revenue_growth": {"2025": 0.21}} and document["region"] == "青禾高新区"

    page = site.get("/enterprise/profile?saved=1")
    assert "已保存" in page.text and "企业填报 · " in page.text
    again = form_fields(page.text)
    assert again["revenue.year"][:2] == ["2024", "2025"] and again["recognitions.name"][0] == "高新技术企业"
    assert site.post("/enterprise/profile", data=again, follow_redirects=False).status_code == 303
    assert site.get("/api/v1/profiles/me").json()["version"] == 2  # the same form again changes nothing


def test_portal_keeps_what_was_typed_and_lists_each_problem(site):
    login(site, "acme")
    fields = form_fields(site.get("/enterprise/profile").text)
    fields.update(
        {
            "employees": ["很多"],
            "contact_email": ["not-an-email"],
            "revenue.year": ["25", "", ""],
            "revenue.amount": ["100", "", ""],
            "recognitions.name": ["高新技术企业", "", ""],
            "recognitions.level": ["", "", ""],
            "recognitions.year": ["二〇二五", "", ""],
            "facts": ["{oops"],
        }
    )
    page = site.post("/enterprise/profile", data=fields)
    assert page.status_code == 400 and "未保存" in page.text
    assert 'value="很多"' in page.text and 'value="not-an-email"' in page.text and "{oops" in page.text
    assert 'value="二〇二五"' in page.text
    assert "不是有效的 JSON" in page.text
    fields["facts"] = [""]
    page = site.post("/enterprise/profile", data=fields)
    for message in (
        "从业人数：应为整数",
        "联系邮箱格式不正确",
        "年份应为四位数字",
        "第 1 行：认定年份：应为整数",
    ):
        assert message in page.text, message
    assert 'id="err-employees"' in page.text and 'aria-describedby="err-employees"' in page.text
    assert site.get("/api/v1/profiles/me").json()["version"] == 1
    fields["csrf"] = ["forged"]
    assert site.post("/enterprise/profile", data=fields).status_code == 403


def test_enterprise_login_goes_to_its_profile_and_staff_to_the_console(site):
    assert login(site, "acme", "/staff").headers["location"] == "/enterprise/matches"
    site.cookies.clear()
    assert login(site, "wang").headers["location"] == "/staff"
    site.cookies.clear()
    page = site.get("/enterprise/profile", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/staff/login?next=/enterprise/profile"
    assert login(site, "acme", "/enterprise/profile").headers["location"] == "/enterprise/profile"


# --- authorization: every route under /enterprise/profile and /api/v1/profiles --------------------------

# (method, path) → what each kind of caller gets. "own" is an enterprise account bound to A, "other" one
# bound to B (so A's data must never show), "staff" a reviewer. Paths use A's credit code.
ANON_PAGE, ANON_API = "login", 401
EXPECTED = {
    ("GET", "/enterprise/profile"): {"anon": "login", "own": 200, "other": 200, "staff": 403},
    ("POST", "/enterprise/profile"): {"anon": "login", "own": 303, "other": 303, "staff": 403},
    ("GET", "/enterprise/matches"): {"anon": "login", "own": 200, "other": 200, "staff": 403},
    ("POST", "/enterprise/matches"): {"anon": "login", "own": 200, "other": 200, "staff": 403},
    ("GET", "/api/v1/profiles/me"): {"anon": 401, "own": 200, "other": 200, "staff": 403},
    ("PUT", "/api/v1/profiles/me"): {"anon": 401, "own": 200, "other": 200, "staff": 403},
    ("GET", "/api/v1/profiles/{credit_code}"): {"anon": 401, "own": 403, "other": 403, "staff": 200},
    ("PUT", "/api/v1/profiles/{credit_code}"): {"anon": 401, "own": 403, "other": 403, "staff": 200},
}


def all_routes(routes):
    """Every route, also inside included routers (FastAPI keeps those as one entry each)."""
    for route in routes:
        if isinstance(route, Route):
            yield route
        elif hasattr(route, "original_router"):
            yield from all_routes(route.original_router.routes)
        elif hasattr(route, "routes"):
            yield from all_routes(route.routes)


def profile_routes(app) -> set[tuple[str, str]]:
    found = set()
    for route in all_routes(app.routes):
        if route.path.startswith(
            ("/enterprise/profile", "/enterprise/matches", "/api/v1/profiles")
        ):  # push: test_notify.py
            found |= {(m, route.path) for m in route.methods - {"HEAD"}}
    return found


def test_every_profile_route_is_covered_by_the_authorization_test(site):
    assert profile_routes(site.app) == set(EXPECTED), "a route was added or removed: add it to EXPECTED"


def call(client, method: str, path: str, who: str):
    url = path.replace("{credit_code}", A)
    if method == "GET":
        return client.get(url, follow_redirects=False)
    token = client.get("/staff/login").text if who == "anon" else None
    if path.startswith("/api/"):
        csrf = ""
        if who != "anon":
            probe = "/api/v1/profiles/me" if who != "staff" else f"/api/v1/profiles/{A}"
            csrf = client.get(probe).headers.get("X-CSRF-Token", "")
        body = {"name": f"改名-{who}", "credit_code": A} if "{" in path else {"name": f"改名-{who}"}
        return client.request(method, url, json=body, headers={"X-CSRF-Token": csrf}, follow_redirects=False)
    html = client.get("/enterprise/profile").text if who in ("own", "other") else (token or "")
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)
    fields = form_fields(html) if who in ("own", "other") else {"name": ["改名"]}
    fields["csrf"] = [csrf[1] if csrf else ""]
    return client.post(url, data=fields, follow_redirects=False)


@pytest.mark.parametrize("who", ["anon", "own", "other", "staff"])
def test_who_may_call_which_profile_route(site, who):
    if who != "anon":
        login(site, {"own": "acme", "other": "beta", "staff": "wang"}[who])
    for (method, path), expected in EXPECTED.items():
        response = call(site, method, path, who)
        want = expected[who]
        if want == "login":
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/staff/login"), (method, path)
        else:
            assert response.status_code == want, (method, path, response.text[:300])
        if who == "other":  # B's account never sees or touches A's profile
            assert A not in response.text and "甲公司" not in response.text, (method, path)
    with session_scope(make_engine(str(site.app.state.settings.effective_database_url))) as session:
        a = profiles.get(db_session=session, credit_code=A)
        assert a.name == {"own": "改名-own", "staff": "改名-staff"}.get(who, "甲公司")
        if who in ("anon", "other"):
            assert a.version == 1, "an outsider changed A's profile"


def test_hostile_bodies_and_tokens_are_refused_not_crashed_on(site):
    login(site, "acme")
    token = api_csrf(site)
    deep = b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for body, status in ((deep, 400), (b'{"employees": ' + b"9" * 4400 + b"}", 400), (b'{"name": NaN}', 400)):
        answer = site.put(
            "/api/v1/profiles/me",
            content=body,
            headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
        )
        assert answer.status_code == status and "请求内容" in answer.json()["detail"], answer.text
    forged = site.put("/api/v1/profiles/me", json={"name": "甲"}, headers={"X-CSRF-Token": "令牌".encode()})
    assert forged.status_code == 403
