"""Hostile input from outside, on SQLite and PostgreSQL: deeply nested JSON, huge numbers, NaN, NUL bytes.

Every route is found by walking the app's routes, so a new one is probed without editing this file: NUL in
every query parameter and path parameter of every GET route, NUL in every form field of every form,
hostile JSON in every JSON body and every form field. Nothing may end in a server error; the readers that
parse JSON answer with a Chinese message.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.functional.test_ingest_cli import zct
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.library import users
from zhengcetong.library.models import PolicyItem
from zhengcetong.web import create_app

PASSWORD = "correct horse battery"
DEEP_ARRAYS = "[" * 3000 + "]" * 3000  # json.loads recurses once per level: RecursionError at ~1000
DEEP_OBJECTS = '{"a":' * 1500 + "1" + "}" * 1500
HUGE_INT = '{"employees": ' + "9" * 4400 + "}"  # beyond Python's 4,300-digit int limit
HOSTILE_JSON = {
    "deep arrays": DEEP_ARRAYS,
    "deep objects": DEEP_OBJECTS,
    "huge integer": HUGE_INT,
    "NaN": '{"employees": NaN}',
    "Infinity": '{"revenue": {"2025": Infinity}}',
    "1e400": '{"revenue": {"2025": 1e400}}',
    "NUL": '{"region": "青禾\\u0000区"}',
}

REFUSALS = ("嵌套超过 64 层", "过大或过长", "不接受 NaN", "不接受 Infinity", "空字符")  # jsonsafe's words


def _routes(app):
    """Every route of the app with its endpoint (the app's own routes and those of included routers)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before included routers were kept as such
        return [r for r in app.routes if isinstance(r, APIRoute)]
    return [c for c in iter_route_contexts(app.routes) if isinstance(c.original_route, APIRoute)]


@pytest.fixture
def site(sample_library):
    """The app on the sample library, logged in as a reviewer; the path parameters of real records."""
    engine = make_engine(sample_library)
    with session_scope(engine) as session:
        users.create_user(db_session=session, username="wang", password=PASSWORD, role="reviewer", actor="t")
        item = session.scalars(select(PolicyItem).order_by(PolicyItem.id)).first()
        values = {"item_id": str(item.id), "item_ref": str(item.id), "key": item.key}
    engine.dispose()
    values["uid"] = "青政办发-2026-8"
    with TestClient(create_app(Settings(database_url=sample_library))) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/staff/login").text).group(1)
        login = {"username": "wang", "password": PASSWORD, "csrf": token}
        assert client.post("/staff/login", data=login, follow_redirects=False).status_code == 303
        page = client.get("/staff/documents/" + values["uid"]).text
        values["csrf"] = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        yield client, values


def _path(route, values: dict, nul: str | None = None) -> str:
    """The route's path with its parameters filled in (``nul`` replaces the one of that name)."""

    def fill(match: re.Match) -> str:
        name = match.group(1).split(":")[0]
        return "a%00b" if name == nul else values.get(name, "1")

    return re.sub(r"{([^}]+)}", fill, route.path_format)


def _query_names(app, route) -> list[str]:
    """The query parameters of a route: as the spec documents them for the API (a model's fields
    flattened), as the endpoint declares them for a page; ``q`` and an unknown name besides."""
    spec = app.openapi()["paths"].get(route.path_format, {}).get("get", {})
    names = [p["name"] for p in spec.get("parameters", []) if p["in"] == "query"]
    names += [p.name for p in route.dependant.query_params]
    return list(dict.fromkeys([*names, "q", "unknown"]))


def test_nul_in_every_query_and_path_parameter_of_every_get_route(site):
    client, values = site
    app = client.app
    probed = 0
    for route in _routes(app):
        if "GET" not in route.methods:
            continue
        api = route.path_format.startswith("/api/")
        path = _path(route, values)
        for name in _query_names(app, route):
            for raw in ("a%00b", "%00"):
                response = client.get(f"{path}?{name}={raw}", follow_redirects=False)
                assert response.status_code == 400, (path, name, response.status_code, response.text[:300])
                if api:
                    assert response.json() == {"detail": "请求中含有空字符（%00），请删除后再试"}
                else:
                    assert "text/html" in response.headers["content-type"] and "空字符" in response.text
                probed += 1
        for name in [p.name for p in route.dependant.path_params]:
            response = client.get(_path(route, values, nul=name), follow_redirects=False)
            assert response.status_code == 400, (route.path_format, name, response.text[:300])
            probed += 1
    assert probed > 100


def test_nul_in_every_form_field_is_refused_before_the_route(site):
    client, values = site
    forms = [r for r in _routes(client.app) if "POST" in r.methods and r.dependant.body_params]
    assert len(forms) >= 8
    for route in sorted(forms, key=lambda r: r.path_format in ("/staff/login", "/staff/logout")):
        fields = [p.name for p in route.dependant.body_params]
        for field in fields:
            data = {name: values.get(name, "x") for name in fields}
            data[field] = "a\x00b"
            response = client.post(_path(route, values), data=data, follow_redirects=False)
            assert response.status_code == 400, (route.path_format, field, response.text[:300])
            assert "空字符" in response.text
    # the login name included, on its own: PostgreSQL answered 500 there
    response = client.post("/staff/login", data={"username": "wang\x00", "password": "x", "csrf": "x"})
    assert response.status_code == 400 and "空字符" in response.text


def test_hostile_json_in_every_json_body_and_form_field(site):
    client, values = site
    routes = [r for r in _routes(client.app) if "POST" in r.methods]
    # the login and logout forms last: they end the session the other forms need
    for route in sorted(routes, key=lambda r: r.path_format in ("/staff/login", "/staff/logout")):
        path = _path(route, values)
        fields = [p.name for p in route.dependant.body_params]
        for kind, payload in HOSTILE_JSON.items():
            if not fields:  # a JSON body (the calculator): the payload as the profile and as the whole body
                for body in (f'{{"profile": {payload}}}', payload):
                    response = client.post(path, content=body, headers={"content-type": "application/json"})
                    assert response.status_code < 500, (path, kind, response.text[:300])
                continue
            for field in fields:
                data = {name: values.get(name, "") for name in fields}
                data[field] = payload
                response = client.post(path, data=data, follow_redirects=False)
                assert response.status_code < 500, (path, field, kind, response.text[:300])


def test_calculator_api_refuses_hostile_json_with_a_chinese_message(client):
    headers = {"content-type": "application/json"}
    for kind, payload in HOSTILE_JSON.items():
        body = '{"profile": ' + payload + ', "on": "2026-05-01"}'
        response = client.post("/api/v1/items/1/calculate", content=body, headers=headers)
        assert response.status_code == 400, (kind, response.text)
        detail = response.json()["detail"]
        assert detail.startswith("请求内容有误：") and any(word in detail for word in REFUSALS), kind
    # 30,000 levels still under the 64 KB body limit: refused by the depth scan, not by the size
    deep = '{"profile": ' + "[" * 30000 + "]" * 30000 + "}"
    response = client.post("/api/v1/items/1/calculate", content=deep, headers=headers)
    assert response.status_code == 400 and "嵌套超过 64 层" in response.json()["detail"]


def test_calculator_api_reads_dates_only_as_yyyy_mm_dd(client):
    for on in (0, "0", 1700000000, "20260501"):
        body = json.dumps({"profile": {}, "on": on})
        response = client.post(
            "/api/v1/items/1/calculate", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422 and "YYYY-MM-DD" in response.json()["detail"], (on, response.text)


def test_date_and_topic_parameters_are_checked_as_the_spec_says(client):
    for path in ("/api/v1/documents", "/api/v1/normative", "/api/v1/search?q=补贴&", "/api/v1/documents/x"):
        joiner = "" if path.endswith("&") else "?"
        for bad in ("0", "1700000000", "2026-13-01"):
            response = client.get(f"{path}{joiner}valid_on={bad}")
            assert response.status_code == 422, (path, bad, response.text)
    assert client.get("/api/v1/documents?valid_on=2026-03-20").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/documents", "/api/v1/items", "/api/v1/search"):
        (topic,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "topic"]
        enum = next(s["enum"] for s in topic["schema"]["anyOf"] if "enum" in s)
        assert "人才" in enum and "就业创业" in enum
        assert client.get(f"{path}?q=补贴&topic=不存在").status_code == 422
        assert client.get(f"{path}?q=补贴&topic=人才").status_code == 200


def test_staff_forms_refuse_hostile_json_with_a_chinese_message(site):
    client, values = site
    item_id, token = values["item_id"], values["csrf"]
    for kind, payload in HOSTILE_JSON.items():
        for field in ("conditions", "formula"):
            form = {"csrf": token, "name": "事项", "condition": "", "conditions": "", "formula": ""}
            form[field] = payload if len(payload) <= 5000 else DEEP_ARRAYS[:2000] + DEEP_ARRAYS[-2000:]
            response = client.post(f"/staff/items/{item_id}", data=form)
            assert response.status_code == 400, (kind, field, response.text[:300])
            assert ("计算公式有误" if field == "formula" else "机器可判断的条件有误") in response.text, kind
        trial = client.post(f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": payload})
        assert trial.status_code == 400 and any(w in trial.text for w in REFUSALS), (kind, trial.text[:300])
    yaml_bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    trial = client.post(f"/staff/items/{item_id}/calculate", data={"csrf": token, "profile": yaml_bomb})
    assert trial.status_code == 400 and "锚点" in trial.text


def test_zct_calc_refuses_a_hostile_profile_in_one_chinese_line(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    for name, text in (("深.json", "[" * 100000 + "]" * 100000), ("大.json", HUGE_INT)):
        profile = tmp_path / name
        profile.write_text(text, encoding="utf-8")
        result = zct("calc", "--item", "1", "--profile", str(profile), env=env)  # read before the database
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-500:]
        assert f"{name}: 企业画像有误：" in result.stderr and result.stderr.count("\n") == 1, result.stderr
