"""The NUL guard on its own: an ASGI app behind it sees no request with a NUL in its path, query string or
form body, and gets the form body it would have got without the guard."""

from __future__ import annotations

from fastapi import FastAPI, Form
from fastapi.testclient import TestClient

from zhengcetong.web.guards import NUL_MESSAGE, RejectNulMiddleware


def _client() -> TestClient:
    app = FastAPI()
    app.add_middleware(RejectNulMiddleware)

    @app.get("/api/echo/{word}")
    def echo(word: str, q: str = "") -> dict:
        return {"word": word, "q": q}

    @app.post("/form")
    def form(name: str = Form(...), note: str = Form("")) -> dict:
        return {"name": name, "note": note}

    return TestClient(app)


def test_nul_in_the_path_or_query_string_is_refused_before_the_route():
    client = _client()
    assert client.get("/api/echo/a", params={"q": "补贴"}).json() == {"word": "a", "q": "补贴"}
    for url in ("/api/echo/a?q=%00", "/api/echo/a?q=x%00y&r=1", "/api/echo/a%00b", "/api/echo/a?%00=1"):
        response = client.get(url)
        assert response.status_code == 400 and response.json() == {"detail": NUL_MESSAGE}, url
    assert client.get("/api/echo/a?q=%2500").json()["q"] == "%00"  # an escaped percent sign is no NUL


def test_nul_in_a_form_field_is_refused_and_other_forms_pass_unchanged():
    client = _client()
    assert client.post("/form", data={"name": "王", "note": "x" * 100_000}).json()["name"] == "王"
    assert client.post("/form", data={"name": "a\x00b"}).status_code == 400
    assert client.post("/form", files={"name": (None, "a\x00b")}).status_code == 400  # multipart
    assert client.post("/form", files={"name": (None, "王")}).json()["name"] == "王"
