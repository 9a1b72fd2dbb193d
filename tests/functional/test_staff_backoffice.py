"""The back office's way around: the navigation on every staff page, the lists of documents, items in
every state and the audit log with their filters and pages, the admin-only 用户 page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.functional.test_staff import PASSWORD, build_staff_site, csrf_of, login
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.library import AuditEvent, PolicyItem, users
from zhengcetong.web import create_app
from zhengcetong.web.pages import staff_lists

NAV = {
    "/staff": "待审核",
    "/staff/documents": "文件",
    "/staff/items": "政策事项",
    "/staff/interpretations": "政策解读",
    "/staff/audit": "审计日志",
    "/staff/notifications": "通知",
}
PAGES = (
    "/staff",
    "/staff/documents",
    "/staff/items",
    "/staff/audit",
    "/staff/interpretations",
    "/staff/notifications",
)


def build_backoffice(url: str) -> None:
    """The staff site with an administrator (li) besides the reviewer (wang)."""
    build_staff_site(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        users.create_user(db_session=session, username="li", password=PASSWORD, role="admin", actor="test")
    engine.dispose()


@pytest.fixture
def office(prepared_library):
    url = prepared_library("backoffice", build_backoffice)
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield client, url


def _nav(page: str) -> dict[str, str]:
    bar = page.split('aria-label="审核后台导航"', 1)[1].split("</nav>", 1)[0]
    return {href: name for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', bar)}


def _events(url, **where):
    engine = make_engine(url)
    with session_scope(engine) as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        rows = [(e.actor, e.action, e.target_id, e.data) for e in session.scalars(query)]
    engine.dispose()
    return rows


def test_every_staff_page_has_the_navigation_and_says_the_role_in_chinese(office):
    client, _ = office
    for path in PAGES:  # visitors are sent to the login page, never shown a list
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/staff/login")
    login(client, "wang")
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store"
        assert _nav(response.text) == NAV, path  # a reviewer is not offered 用户
        assert "（审核人员）" in response.text and "（reviewer）" not in response.text
        here = re.search(r'<a href="([^"]+)" aria-current="page">', response.text)
        assert here and here.group(1) == path
    login(client, "li")
    page = client.get("/staff").text
    assert _nav(page) == {**NAV, "/staff/users": "用户"} and "（管理员）" in page


def test_the_item_list_shows_every_state_with_filters_and_pages(office, monkeypatch):
    client, url = office
    login(client, "wang")
    every = client.get("/staff/items").text
    assert "共 9 项" in every and "草稿 9" in every and "已发布 0" in every
    engine = make_engine(url)
    with session_scope(engine) as session:
        ids = dict(session.execute(select(PolicyItem.name, PolicyItem.id)).all())
    engine.dispose()
    park = next(name for name in ids if "口袋公园" in name)
    token = csrf_of(every)
    assert client.post(f"/staff/items/{ids[park]}/publish", data={"csrf": token}).status_code == 200
    published = client.get("/staff/items", params={"status": "published"}).text
    assert "共 1 项" in published and f'href="/staff/items/{ids[park]}"' in published
    drafts = client.get("/staff/items", params={"status": "draft"}).text
    assert "共 8 项" in drafts and park not in drafts
    found = client.get("/staff/items", params={"q": "博士"}).text
    assert "共 1 项" in found and "全职博士生活补贴" in found
    by_number = client.get("/staff/items", params={"q": "青政字〔2026〕4号"}).text
    assert "共 1 项" in by_number and park in by_number  # 文号 of the document finds its items
    by_category = client.get("/staff/items", params={"category": "奖补", "until": "2000-01-01"}).text
    assert "共 0 项" in by_category and "没有符合条件的政策事项" in by_category
    assert "/staff/items" in by_category  # the empty list links to clearing the filters
    bad_date = client.get("/staff/items", params={"since": "去年"})
    assert bad_date.status_code == 400 and "起始日期: 日期“去年”无法识别" in bad_date.text
    monkeypatch.setattr(staff_lists, "PAGE_SIZE", 4)
    first = client.get("/staff/items").text
    assert "第 1–4 项" in first and 'href="/staff/items?offset=4"' in first
    last = client.get("/staff/items", params={"offset": 8}).text
    assert "第 9–9 项" in last and "offset=4" in last and "下一页" not in last
    rows = re.findall(
        r'<td class="title"><a href="/staff/items/(\d+)">',
        first + client.get("/staff/items?offset=4").text + last,
    )
    assert sorted(map(int, rows)) == sorted(ids.values())  # the pages together list every item once


def test_the_document_list_searches_and_counts_what_waits_for_review(office):
    client, _ = office
    login(client, "wang")
    page = client.get("/staff/documents").text
    assert (
        "青政办发〔2026〕8号" in page
        and 'href="/staff/documents/%E9%9D%92%E6%94%BF%E5%8A%9E%E5%8F%91-2026-8"' in page
    )
    total = int(re.search(r"共 (\d+) 篇", page).group(1))
    assert total > 3
    found = client.get("/staff/documents", params={"q": "专精特新"}).text
    assert (
        "共 1 篇" in found and "<strong>6</strong></a>/6" in found
    )  # the 6 items of 青政办发〔2026〕8号 wait
    pending = client.get("/staff/documents", params={"pending": "1"}).text
    assert "共 3 篇" in pending and 'name="pending" value="1" checked' in pending  # the sample's 3 with items
    issuer = re.search(r"<option>([^<]*人民政府办公室)</option>", page).group(1)
    by_issuer = client.get("/staff/documents", params={"issuer": issuer}).text
    shown = int(re.search(r"共 (\d+) 篇", by_issuer).group(1))
    assert 0 < shown < total and by_issuer.count('<td class="issuer">' + issuer) == shown


def test_the_audit_log_is_read_only_and_filtered_by_user_action_and_date(office):
    client, url = office
    login(client, "wang")
    login(client, "li")
    page = client.get("/staff/audit").text
    assert "登录" in page and "user:wang" in page and "user:li" in page
    mine = client.get("/staff/audit", params={"actor": "wang"}).text
    assert "user:wang" in mine and "user:li" not in mine
    created = client.get("/staff/audit", params={"action": "user.create"}).text
    assert "共 3 条" in created and "创建账号" in created  # wang, acme and li
    assert "角色：审核人员" in created and "角色：管理员" in created and '"role"' not in created
    assert "共 0 条" in client.get("/staff/audit", params={"until": "2000-01-01"}).text
    assert '<form method="post"' not in page.split('aria-label="审核后台导航"', 1)[1].split("</main>")[
        0
    ].replace('<form class="staff-user" method="post"', "")  # nothing on the page writes
    assert client.post("/staff/audit", data={"csrf": csrf_of(page)}).status_code == 405


def test_an_empty_queue_says_what_to_do_next(office):
    client, _ = office
    login(client, "wang")
    token = csrf_of(client.get("/staff").text)
    for uid in re.findall(r'href="/staff/documents/([^"]+)"', client.get("/staff").text):
        client.post(f"/staff/documents/{uid}/publish", data={"csrf": token})
    page = client.get("/staff").text
    assert "没有待审核的政策事项" in page
    for link in (
        "/staff/items?status=published",
        "/staff/documents",
        "/staff/interpretations/new",
        "/staff/audit",
    ):
        assert f'href="{link}"' in page


def test_only_administrators_manage_accounts_and_every_change_is_audited(office):
    client, url = office
    login(client, "wang")
    assert client.get("/staff/users").status_code == 403
    token = csrf_of(client.get("/staff").text)
    refused = client.post("/staff/users", data={"csrf": token, "username": "zhao", "password": PASSWORD})
    assert refused.status_code == 403 and "只有管理员" in refused.text
    assert client.post("/staff/users/acme/active", data={"csrf": token, "active": "0"}).status_code == 403

    login(client, "li")
    page = client.get("/staff/users").text
    assert "审核人员" in page and "企业账号" in page and "reviewer</td>" not in page
    token = csrf_of(page)
    form = {"csrf": token, "username": "zhao", "display_name": "赵", "role": "reviewer", "password": PASSWORD}
    assert client.post("/staff/users", data={**form, "csrf": "forged"}).status_code == 403
    short = client.post("/staff/users", data={**form, "password": "short"})
    assert short.status_code == 400 and "密码至少 10 个字符" in short.text and 'value="zhao"' in short.text
    assert client.post("/staff/users", data=form, follow_redirects=False).status_code == 303
    taken = client.post("/staff/users", data=form)
    assert taken.status_code == 400 and "用户名 zhao 已存在" in taken.text
    assert client.post("/staff/users/zhao/role", data={"csrf": token, "role": "admin"}).status_code == 200
    assert client.post("/staff/users/zhao/active", data={"csrf": token, "active": "0"}).status_code == 200
    assert login(client, "zhao").status_code == 401  # disabled
    login(client, "li")
    token = csrf_of(client.get("/staff/users").text)
    own = client.post("/staff/users/li/active", data={"csrf": token, "active": "0"})
    assert own.status_code == 400 and "不能停用自己的账号" in own.text
    own_role = client.post("/staff/users/li/role", data={"csrf": token, "role": "reviewer"})
    assert own_role.status_code == 400 and "不能修改自己的角色" in own_role.text
    writes = [(a, act, t, d) for a, act, t, d in _events(url, actor="user:li") if act != "user.login"]
    assert writes == [
        ("user:li", "user.create", "zhao", {"role": "reviewer"}),
        ("user:li", "user.set_role", "zhao", {"from": "reviewer", "to": "admin"}),
        ("user:li", "user.disable", "zhao", {}),
    ]


def test_the_last_active_administrator_keeps_the_role(office):
    _, url = office
    engine = make_engine(url)
    with session_scope(engine) as session:
        with pytest.raises(users.Conflict, match="唯一启用的管理员"):
            users.set_role(db_session=session, username="li", role="reviewer", actor="cli:root")
        users.set_role(db_session=session, username="wang", role="admin", actor="cli:root")
        users.set_role(db_session=session, username="li", role="reviewer", actor="cli:root")
        assert users.get_user(db_session=session, username="li").role == "reviewer"
    engine.dispose()


def test_interpretations_are_searched_and_paged(office, monkeypatch):
    from zhengcetong.library import interpretations as jd
    from zhengcetong.web.pages import staff_interpretations

    client, url = office
    engine = make_engine(url)
    with session_scope(engine) as session:
        for n, department in enumerate(["市工业和信息化局", "市科学技术局", "市工业和信息化局"]):
            jd.create(
                db_session=session,
                title=f"政策解读第{n + 1}篇",
                body="正文。",
                kind="text",
                department=department,
                actor="user:wang",
            )
    engine.dispose()
    login(client, "wang")
    found = client.get("/staff/interpretations", params={"q": "工业和信息化"}).text
    assert "共 2 篇" in found and "政策解读第2篇" not in found
    none = client.get("/staff/interpretations", params={"q": "没有这个"}).text
    assert "没有符合“没有这个”的政策解读" in none
    monkeypatch.setattr(staff_interpretations, "PAGE_SIZE", 2)
    first = client.get("/staff/interpretations").text
    assert "第 1–2 篇" in first and 'href="/staff/interpretations?offset=2"' in first
    assert "第 3–3 篇" in client.get("/staff/interpretations", params={"offset": 2}).text
