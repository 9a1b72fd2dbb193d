"""Push end to end, on SQLite and PostgreSQL: publishing an item fills the inboxes of the enterprises it
matches or that subscribed to it, and ``zct notify run`` mails them once through an SMTP server on
loopback (aiosmtpd); unsubscribing needs no login; one enterprise never sees another's notifications."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.functional.notify_helpers import (
    ACME_EMAIL,
    C_CONTACT,
    PASSWORD,
    A,
    B,
    C,
    SmtpServer,
    enterprise_id,
    publish,
    revise,
    rows,
    setup_enterprises,
)
from tests.functional.test_ingest_cli import zct
from zhengcetong.config import Settings
from zhengcetong.library import AuditEvent
from zhengcetong.notify import Notification, OutboxEmail
from zhengcetong.web import create_app

PUBLIC_URL = "https://zct.example.gov.cn"


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def library(sample_library, monkeypatch):
    """The sample library (drafts) with enterprises A, B, C and their accounts."""
    setup_enterprises(sample_library, monkeypatch)
    monkeypatch.setenv("ZCT_PUBLIC_URL", PUBLIC_URL)
    return sample_library


@pytest.fixture
def site(library):
    with TestClient(create_app(Settings(database_url=library, public_url=PUBLIC_URL))) as client:
        yield client


def login(client, username):
    page = client.get("/staff/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    response = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client.get("/api/v1/notifications").headers.get("X-CSRF-Token")


def notify_run(url: str, smtp: SmtpServer, *args: str):
    result = zct(
        "notify",
        "run",
        *args,
        env={"ZCT_DATABASE_URL": url, "ZCT_SMTP_HOST": "127.0.0.1", "ZCT_SMTP_PORT": str(smtp.port)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_publishing_notifies_the_inbox_and_mails_once(library, site, smtp):
    (key,) = publish(library, "小巨人")
    login(site, "acme")
    inbox = site.get("/api/v1/notifications").json()
    assert inbox["unread"] == 1 and inbox["total"] == 1
    (entry,) = inbox["notifications"]
    assert entry["item_id"] == key and entry["reason"] == "match" and entry["detail"] == "符合"
    assert entry["estimated_amount_yuan"] == "500000.00" and not entry["read"]
    page = site.get("/enterprise/notifications")
    assert page.status_code == 200 and "小巨人" in page.text and 'id="unread-count"' in page.text
    assert 'id="unread-count"' in site.get("/enterprise/profile").text  # the nav of every enterprise page

    out = notify_run(library, smtp)
    assert f"已发送：{ACME_EMAIL}" in out and f"已发送：{C_CONTACT}" in out and "已发送 2 封" in out
    out = notify_run(library, smtp)
    assert "已发送 0 封" in out  # the second run finds nothing due
    assert len(smtp.inbox.messages) == 2
    (mail,) = smtp.inbox.to(ACME_EMAIL)
    body = mail.get_content()
    assert "小巨人" in mail["Subject"] and "小巨人" in body
    assert "预计可得 50万元" in body
    assert f"{PUBLIC_URL}/items/{key}" in body
    unsubscribe = re.search(r"<([^>]+)>", mail["List-Unsubscribe"])[1]
    assert unsubscribe.startswith(f"{PUBLIC_URL}/unsubscribe?token=") and unsubscribe in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    (raw,) = [r for r in smtp.inbox.raw if f"To: {ACME_EMAIL}".encode() in r]
    assert f"\r\nList-Unsubscribe: <{unsubscribe}>\r\n".encode() in raw  # as is, not an encoded word
    sent = rows(library, OutboxEmail)
    assert {r.status for r in sent} == {"sent"} and all(r.attempts == 1 for r in sent)

    # B matches nothing and subscribed to nothing: nothing for it
    assert not rows(library, Notification, Notification.enterprise_id == enterprise_id(library, B))

    # marking read: the count goes down
    token = site.get("/api/v1/notifications").headers["X-CSRF-Token"]
    assert site.post(f"/api/v1/notifications/{entry['id']}/read").status_code == 403  # no CSRF header
    read = site.post(f"/api/v1/notifications/{entry['id']}/read", headers={"X-CSRF-Token": token})
    assert read.status_code == 200 and read.json()["read"]
    assert site.get("/api/v1/notifications").json()["unread"] == 0


def test_the_contact_email_when_there_is_no_account(library, smtp):
    publish(library, "小巨人")
    (row,) = rows(library, OutboxEmail, OutboxEmail.enterprise_id == enterprise_id(library, C))
    assert row.email == C_CONTACT  # C has no account
    (a_row,) = rows(library, OutboxEmail, OutboxEmail.enterprise_id == enterprise_id(library, A))
    assert a_row.email == ACME_EMAIL  # A's account has an email: its contact_email is not used
    notify_run(library, smtp)
    (mail,) = smtp.inbox.to(C_CONTACT)
    assert mail.get_content().startswith("丙公司：")


def test_unsubscribing_needs_no_login_and_stops_the_emails(library, site, smtp):
    publish(library, "小巨人")
    notify_run(library, smtp)
    (mail,) = smtp.inbox.to(ACME_EMAIL)
    link = urlsplit(re.search(r"<([^>]+)>", mail["List-Unsubscribe"])[1])
    path = f"{link.path}?{link.query}"

    site.cookies.clear()  # nobody is logged in
    page = site.get(path)
    assert page.status_code == 200 and "确认退订" in page.text and ACME_EMAIL in page.text
    done = site.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058's one-click POST
    assert done.status_code == 200 and "已退订" in done.text
    assert "已退订" in site.get(path).text
    assert site.get("/unsubscribe?token=forged").status_code == 400
    assert site.post("/unsubscribe?token=forged").status_code == 400
    events = rows(library, AuditEvent, AuditEvent.action == "notify.unsubscribe")
    assert [e.actor for e in events] == [f"unsubscribe:{ACME_EMAIL}"]

    version = revise(library, "小巨人")  # the item changed: A is told again, in the inbox only
    a = enterprise_id(library, A)
    assert sorted(n.item_version for n in rows(library, Notification, Notification.enterprise_id == a)) == [
        version - 2,
        version,
    ]
    assert [r.email for r in rows(library, OutboxEmail, OutboxEmail.enterprise_id == a)] == [ACME_EMAIL]
    c_emails = rows(library, OutboxEmail, OutboxEmail.enterprise_id == enterprise_id(library, C))
    assert sorted(r.item_version for r in c_emails) == [version - 2, version]  # C did not unsubscribe
    notify_run(library, smtp)
    assert len(smtp.inbox.to(ACME_EMAIL)) == 1 and len(smtp.inbox.to(C_CONTACT)) == 2


def test_an_enterprise_never_reaches_another_enterprises_notifications(library, site):
    publish(library, "小巨人")
    (theirs,) = rows(library, Notification, Notification.enterprise_id == enterprise_id(library, A))
    token = login(site, "beta")
    assert site.get("/api/v1/notifications").json() == {
        "total": 0,
        "unread": 0,
        "limit": 50,
        "offset": 0,
        "notifications": [],
    }
    headers = {"X-CSRF-Token": token}
    assert site.get(f"/api/v1/notifications/{theirs.id}").status_code == 404
    assert site.post(f"/api/v1/notifications/{theirs.id}/read", headers=headers).status_code == 404
    assert site.get(f"/enterprise/notifications/{theirs.id}").status_code == 404
    form = site.post(
        f"/enterprise/notifications/{theirs.id}/read", data={"csrf": token}, follow_redirects=False
    )
    assert form.status_code == 404
    assert site.post("/api/v1/notifications/read-all", headers=headers).json()["marked"] == 0
    (still,) = rows(library, Notification, Notification.id == theirs.id)
    assert still.read_at is None

    # subscriptions too: A's is invisible to B, and cannot be cancelled by B
    site.cookies.clear()
    a_token = login(site, "acme")
    made = site.post(
        "/api/v1/subscriptions",
        json={"kind": "keyword", "value": "首台套"},
        headers={"X-CSRF-Token": a_token},
    )
    assert made.status_code == 201
    site.cookies.clear()
    token = login(site, "beta")
    assert site.get("/api/v1/subscriptions").json()["subscriptions"] == []
    gone = site.delete(f"/api/v1/subscriptions/{made.json()['id']}", headers={"X-CSRF-Token": token})
    assert gone.status_code == 404
    form = site.post(
        f"/enterprise/subscriptions/{made.json()['id']}/delete", data={"csrf": token}, follow_redirects=False
    )
    assert form.status_code == 404


def test_a_subscription_notifies_without_a_match(library, site, smtp):
    token = login(site, "beta")
    headers = {"X-CSRF-Token": token}
    made = site.post("/api/v1/subscriptions", json={"kind": "keyword", "value": "小巨人"}, headers=headers)
    assert made.status_code == 201 and made.json()["kind_name"] == "关键词"
    again = site.post("/api/v1/subscriptions", json={"kind": "keyword", "value": " 小巨人 "}, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    bad = site.post("/api/v1/subscriptions", json={"kind": "topic", "value": "天气"}, headers=headers)
    assert bad.status_code == 422 and "没有主题" in bad.json()["detail"]
    events = rows(library, AuditEvent, AuditEvent.action == "subscription.add")
    assert [(e.actor, e.target_id, e.data) for e in events] == [
        ("user:beta", B, {"kind": "keyword", "value": "小巨人"})
    ]

    publish(library, "小巨人")
    (entry,) = site.get("/api/v1/notifications").json()["notifications"]
    assert entry["reason"] == "subscription" and entry["detail"] == "订阅关键词：小巨人"
    assert entry["estimated_amount_yuan"] is None
    # beta has no email of its own: B's contact_email gets it, with the item's maximum
    notify_run(library, smtp)
    (mail,) = smtp.inbox.to("contact@b.example.com")
    assert "最高50万元，一次性（以文件和申报通知为准）" in mail.get_content()  # 最高给予: a ceiling
    assert site.get("/api/v1/notifications").json()["notifications"][0]["benefit"] == "最高50万元，一次性"

    assert site.delete(f"/api/v1/subscriptions/{made.json()['id']}", headers=headers).status_code == 204
    assert [e.data for e in rows(library, AuditEvent, AuditEvent.action == "subscription.remove")] == [
        {"kind": "keyword", "value": "小巨人"}
    ]


def test_a_public_body_item_is_not_sent_to_enterprises(library, site):
    """Issue #17: the 口袋公园 award is for the districts (申请对象：政府部门): a keyword that names it tells
    no enterprise of it."""
    headers = {"X-CSRF-Token": login(site, "beta")}
    made = site.post("/api/v1/subscriptions", json={"kind": "keyword", "value": "口袋公园"}, headers=headers)
    assert made.status_code == 201
    publish(library, "口袋公园")
    assert site.get("/api/v1/notifications").json()["notifications"] == []


def test_the_portal_pages_manage_subscriptions_and_the_email(library, site):
    token = login(site, "beta")
    page = site.get("/enterprise/subscriptions")
    assert page.status_code == 200 and "还没有订阅" in page.text and "科技创新" in page.text
    assert page.headers["Link"].startswith("</api/v1/subscriptions>")
    assert (
        site.post("/enterprise/subscriptions", data={"kind": "topic", "value": "科技创新"}).status_code == 403
    )
    added = site.post(
        "/enterprise/subscriptions",
        data={"kind": "topic", "value": "科技创新", "csrf": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = site.get("/enterprise/subscriptions?done=added")
    assert "已订阅。" in page.text and "取消订阅" in page.text
    wrong = site.post("/enterprise/subscriptions", data={"kind": "department", "value": " ", "csrf": token})
    assert wrong.status_code == 400 and "请填写要订阅的部门" in wrong.text
    bad_email = site.post("/enterprise/subscriptions/email", data={"email": "not-an-email", "csrf": token})
    assert bad_email.status_code == 400 and "不是有效的邮箱地址" in bad_email.text
    saved = site.post(
        "/enterprise/subscriptions/email",
        data={"email": "beta@example.com", "csrf": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert 'value="beta@example.com"' in site.get("/enterprise/subscriptions").text
    assert rows(library, AuditEvent, AuditEvent.action == "user.set_email")[0].actor == "user:beta"


def test_staff_see_who_was_notified_of_what(library, site, smtp):
    publish(library, "小巨人")
    notify_run(library, smtp)
    login(site, "wang")
    page = site.get("/staff/notifications")
    assert page.status_code == 200 and "甲公司" in page.text and "丙公司" in page.text
    assert f"{ACME_EMAIL}：已发送" in page.text
    only_c = site.get(f"/staff/notifications?enterprise={C}")
    assert "丙公司" in only_c.text and "甲公司" not in only_c.text
    assert "没有符合条件的通知" in site.get("/staff/notifications?status=failed").text
    assert site.get("/staff/notifications?since=2026-13-01").status_code == 400
    site.cookies.clear()
    login(site, "acme")
    assert site.get("/staff/notifications").status_code == 403


# Every route of push that needs an account: what a visitor and a reviewer get (enterprises: above).
PUSH_PREFIXES = ("/enterprise/notifications", "/enterprise/subscriptions", "/api/v1/notifications")
PUSH_PREFIXES += ("/api/v1/subscriptions", "/staff/notifications")


def test_every_push_route_refuses_visitors_and_other_roles(library, site):
    from tests.functional.test_profiles_web import all_routes

    routes = {
        (method, route.path)
        for route in all_routes(site.app.routes)
        if route.path.startswith(PUSH_PREFIXES)
        for method in route.methods - {"HEAD"}
    }
    assert len(routes) == 16, sorted(routes)
    for who in ("anon", "staff"):
        site.cookies.clear()
        if who == "staff":
            login(site, "wang")
        for method, path in sorted(routes):
            url = path.replace("{notification_id}", "1").replace("{subscription_id}", "1")
            got = site.request(method, url, follow_redirects=False)
            if path.startswith("/staff/"):
                expected = 303 if who == "anon" else 200
            elif path.startswith("/api/"):
                expected = 401 if who == "anon" else 403
            else:
                expected = 303 if who == "anon" else 403
            assert got.status_code == expected, (who, method, path, got.status_code)
            if expected == 303:
                assert got.headers["location"].startswith("/staff/login")
