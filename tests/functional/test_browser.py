"""Headless chromium (Debian's) driven by Playwright against the real server: what a user sees."""

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

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`zct serve` on a free port with the sample gazette ingested into a fresh SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web')}/site.db"
    ingest_files(url, [(sample_path().read_bytes(), "qinghe_2026_03.txt")])
    port = free_port()
    env = {**os.environ, "ZCT_DATABASE_URL": url}
    process = subprocess.Popen(
        [sys.executable, "-m", "zhengcetong.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("the server did not start: " + process.stdout.read().decode(errors="replace"))
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (tests/setup_browser.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def test_home_to_document_to_clause(server, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + "/?valid_on=2026-05-01")
    assert page.locator("h1").inner_text() == "政策文件库"
    rows = page.locator("table.docs tbody tr")
    assert rows.count() == 9
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)
    page.get_by_role("link", name="关于印发青禾市科技创新券管理办法的通知").click()
    page.wait_for_url("**/documents/**")
    assert page.locator(".redhead .docno").inner_text() == "青政发〔2026〕11号"
    assert page.locator(".badge").first.inner_text() in {"现行有效", "未生效"}
    clause = page.locator('[id="第二章/第五条/（三）"]')
    assert "科技咨询和知识产权服务" in clause.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "document.png"), full_page=True)


def test_keyboard_filter_and_phone_layout(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/")
    page.get_by_label("类型").select_option("appointment")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**kind=appointment**")
    assert page.locator("table.docs tbody tr").count() == 2
    page.screenshot(path=str(SCREENSHOTS / "home-phone.png"), full_page=True)
