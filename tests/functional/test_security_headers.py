"""Sessions nobody can forge, HSTS and Secure cookies in production, staff pages never cached."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.library import users
from zhengcetong.web import create_app

PASSWORD = "correct horse battery"
OLD_SOURCE_SECRET = "dev-only-change-me"  # the key earlier releases signed with outside production


@pytest.fixture
def admin_db(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        admin = users.create_user(
            db_session=session, username="root", password=PASSWORD, role="admin", actor="test"
        )
        uid, epoch = admin.id, admin.session_epoch
    engine.dispose()
    return database_url, uid, epoch


def forged_cookie(secret: str, uid: int, epoch) -> str:
    return URLSafeTimedSerializer(secret, salt="zct-session").dumps({"uid": uid, "epoch": epoch, "csrf": "x"})


def test_a_session_signed_with_a_guessable_key_is_not_accepted(admin_db):
    url, uid, epoch = admin_db
    with TestClient(create_app(Settings(database_url=url))) as client:
        client.cookies.set("zct_session", forged_cookie(OLD_SOURCE_SECRET, uid, epoch))
        response = client.get("/staff", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
        # forged CSRF (the token lives in the session) is refused too
        denied = client.post("/staff/logout", data={"csrf": "x"}, follow_redirects=False)
        assert denied.status_code == 403


def test_the_generated_secret_signs_real_sessions(admin_db):
    url, uid, epoch = admin_db
    settings = Settings(database_url=url)
    with TestClient(create_app(settings)) as client:
        client.cookies.set("zct_session", forged_cookie(settings.session_secret(), uid, epoch))
        assert client.get("/staff", follow_redirects=False).status_code == 200


def test_production_sends_hsts_and_secure_cookies(admin_db):
    url, _, _ = admin_db
    settings = Settings(database_url=url, env="production", secret_key="s" * 48)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = client.get("/staff/login")
        assert page.headers["strict-transport-security"].startswith("max-age=31536000")
        csrf_cookie = page.headers["set-cookie"]
        assert csrf_cookie.startswith("zct_csrf=") and "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie
        assert "strict-transport-security" in client.get("/").headers


def test_development_sends_no_hsts_and_plain_cookies(admin_db):
    url, _, _ = admin_db
    with TestClient(create_app(Settings(database_url=url))) as client:
        page = client.get("/staff/login")
        assert "strict-transport-security" not in page.headers
        assert "Secure" not in page.headers["set-cookie"]


def test_staff_pages_are_never_stored_by_a_cache(admin_db):
    url, _, _ = admin_db
    with TestClient(create_app(Settings(database_url=url))) as client:
        login_page = client.get("/staff/login")
        assert login_page.headers["cache-control"] == "no-store"
        import re

        token = re.search(r'name="csrf" value="([^"]+)"', login_page.text).group(1)
        client.post("/staff/login", data={"username": "root", "password": PASSWORD, "csrf": token})
        for path in ("/staff", "/staff/interpretations"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["cache-control"] == "no-store" and "etag" not in response.headers
        assert client.get("/").headers.get("cache-control") != "no-store"  # public pages stay cacheable
