"""Headless chromium (Debian's) driven by Playwright against the real server: what a user sees.

The screenshots land in docs/screenshots/ (home.png, document.png, home-phone.png).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.functional.conftest import ingest_files
from zhengcetong.samples import sample_path

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} is absent (tests/setup_browser.sh installs Debian's chromium and a CJK font)",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`zct serve` on a free port with the sample gazette ingested into a fresh SQLite file."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder}/site.db"
    ingest_files(url, [(sample_path().read_bytes(), "qinghe_2026_03.txt")])
    port = free_port()
    log = open(folder / "server.log", "wb")  # a file, not a pipe nobody reads: the server never blocks
    process = subprocess.Popen(
        [sys.executable, "-m", "zhengcetong.cli", "serve", "--port", str(port)],
        env={**os.environ, "ZCT_DATABASE_URL": url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if process.poll() is not None:
                break
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
        if process.poll() is not None:
            pytest.fail("the server did not start:\n" + (folder / "server.log").read_text(errors="replace"))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_home_then_the_first_document(server, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/?valid_on=2026-05-01")
    assert page.locator("h1").inner_text() == "政策文件库"
    assert page.title() == "政策文件库 · 政策通"
    rows = page.locator("table.docs tbody tr")
    assert rows.count() == 9
    assert rows.first.locator(".badge").inner_text() == "现行有效"
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)

    first = rows.first.locator("td.title a")
    title, number = first.inner_text(), rows.first.locator("td.num").inner_text()
    first.click()
    page.wait_for_url("**/documents/**")
    assert "valid_on=2026-05-01" in page.url
    assert page.locator(".redhead .issuer").inner_text() == "青禾市人民政府办公室文件"
    assert page.locator(".redhead .docno").inner_text() == number
    assert page.locator(".redhead h1").inner_text() == title
    assert "2026年5月1日" in page.locator("dl.facts").inner_text()
    page.get_by_role("link", name="政策文件库").last.click()  # the breadcrumb keeps the date
    page.wait_for_url("**/?valid_on=2026-05-01")


def test_document_header_clause_anchors_and_json_twin(server, page):
    page.goto(server + "/?valid_on=2026-05-01")
    page.get_by_role("link", name="关于印发青禾市科技创新券管理办法的通知").click()
    page.wait_for_url("**/documents/**")
    assert page.locator(".redhead .issuer").inner_text() == "青禾市人民政府文件"
    assert page.locator(".redhead .docno").inner_text() == "青政发〔2026〕11号"
    assert page.locator("dl.facts .badge").inner_text() == "现行有效"
    facts = page.locator("dl.facts").inner_text()
    assert "2026年2月10日" in facts and "2026年4月1日" in facts and "2031年3月31日" in facts
    assert "各县（市、区）人民政府" in page.locator(".addressees").inner_text()
    clause = page.locator('[id="第二章/第五条/（三）"]')
    assert "科技咨询和知识产权服务" in clause.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "document.png"), full_page=True)
    anchor = page.locator('[id="第二章/第四条"] > .ctext > a.anchor')
    anchor.click()
    assert page.url.endswith("#%E7%AC%AC%E4%BA%8C%E7%AB%A0/%E7%AC%AC%E5%9B%9B%E6%9D%A1")
    twin = page.locator("link[rel=alternate]").get_attribute("href")
    assert page.request.get(server + twin).json()["doc_number"] == "青政发〔2026〕11号"


def test_keyboard_filter_and_phone_layout(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/")
    page.get_by_label("类型").select_option("appointment")
    page.get_by_label("有效性日期").fill("")  # an emptied date field is no error
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**kind=appointment**")
    assert page.locator("table.docs tbody tr").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "home-phone.png"), full_page=True)


def test_the_page_needs_no_script_and_breaks_no_csp(server, page):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(request.url))
    page.goto(server + "/documents/" + "青政发-2026-12")
    assert page.locator("table.data caption").inner_text() == "青禾市市级行政许可事项清单"
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor") == (
        "rgb(192, 0, 0)"
    )  # the stylesheet loaded under the CSP
    assert problems == []
