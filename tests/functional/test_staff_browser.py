"""The back office in headless chromium: the navigation, the item list and the structured rule editor
with its script (adding a row, the value field a fact needs, switching to the JSON editor). Screenshots go
to the test run's folder (tests/functional/screenshots.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.functional.screenshots import shot
from tests.functional.test_browser import CHROMIUM, free_port, zct_serve
from tests.functional.test_staff import PASSWORD
from tests.functional.test_staff_backoffice import build_backoffice

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} is absent (tests/setup_browser.sh installs Debian's chromium and a CJK font)",
    ),
]


@pytest.fixture(scope="module")
def office_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    url = f"sqlite:///{folder}/office.db"
    build_backoffice(url)
    with zct_serve(folder, free_port(), {"ZCT_DATABASE_URL": url}) as base:
        yield base


@pytest.fixture
def staff_page(browser, office_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(office_server + "/staff/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(office_server + "/staff")
    page.errors = errors
    yield page
    context.close()


def test_the_navigation_leads_to_every_list(staff_page, office_server):
    page = staff_page
    nav = page.get_by_role("navigation", name="审核后台导航")
    assert nav.get_by_role("link").all_inner_texts() == [
        "待审核",
        "文件",
        "政策事项",
        "政策解读",
        "用户",
        "审计日志",
        "通知",
    ]
    shot(page, "staff-queue")
    nav.get_by_role("link", name="政策事项").click()
    page.wait_for_url("**/staff/items")
    page.get_by_label("关键词").fill("专精特新")
    page.locator('select[name="status"]').select_option("draft")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/staff/items?q=*")
    assert page.locator("table.docs tbody tr").count() >= 4
    assert page.locator('.staff-nav a[aria-current="page"]').inner_text() == "政策事项"
    shot(page, "staff-items")
    nav.get_by_role("link", name="审计日志").click()
    page.wait_for_url("**/staff/audit")
    assert "登录" in page.locator("table.data").inner_text()
    shot(page, "staff-audit")
    nav.get_by_role("link", name="用户").click()
    page.wait_for_url("**/staff/users")
    assert "管理员" in page.locator("table.data").inner_text()
    shot(page, "staff-users")
    assert page.errors == []


def test_the_rule_editor_adds_a_row_with_the_value_field_its_fact_needs(staff_page, office_server):
    page = staff_page
    page.goto(office_server + "/staff/items?q=" + "研发补助")
    page.locator("table.docs tbody a").first.click()
    page.wait_for_url("**/staff/items/*")
    editor = page.locator("form[data-rule-editor]")
    rows = editor.locator("[data-rows] > [data-row]")
    before = rows.count()
    editor.get_by_role("button", name="＋ 添加一条条件").click()
    assert rows.count() == before + 1
    added = rows.last
    added.locator("[data-fact]").select_option("in_industrial_park")
    assert added.locator("[data-op] option").all_inner_texts() == [
        "等于",
        "不等于",
    ]  # what a yes/no fact allows
    value = added.locator("[data-value] select")
    assert value.locator("option").all_inner_texts() == ["入驻产业园区", "未入驻产业园区"]  # yes/no, in words
    added.locator("[data-fact]").select_option("revenue.last_year")
    assert added.locator("[data-unit]").inner_text() == "元"
    added.locator("[data-op]").select_option(">=")
    added.locator("[data-value] input").fill("50000000")
    shot(page, "staff-rule-editor")
    editor.get_by_role("button", name="保存修改").click()
    page.wait_for_url("**saved=*")
    assert "已保存为第 2 版" in page.content()
    text = page.locator(".rule").first.inner_text()
    assert "5,000万元" in text or "5000万元" in text
    page.locator("details[data-expert] summary").click()  # opening the JSON editor saves from it
    expect(editor.locator("[data-expert-radio]")).to_be_checked()
    assert page.errors == []


@pytest.mark.parametrize(
    "path", ["/staff", "/staff/items", "/staff/documents", "/staff/audit", "/staff/users", "/staff/items/1"]
)
def test_staff_pages_pass_axe_accessibility_checks(staff_page, office_server, path):
    from axe_playwright_python.sync_playwright import Axe

    staff_page.goto(office_server + path)
    results = Axe().run(staff_page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)


def test_staff_pages_fit_a_phone(staff_page, office_server):
    staff_page.set_viewport_size({"width": 390, "height": 844})
    for path in (
        "/staff",
        "/staff/items",
        "/staff/documents",
        "/staff/audit",
        "/staff/users",
        "/staff/items/1",
    ):
        staff_page.goto(office_server + path)
        assert staff_page.evaluate("document.documentElement.scrollWidth") <= 390, path  # wide tables scroll
