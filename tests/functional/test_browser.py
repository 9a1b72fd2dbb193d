"""Headless chromium (Debian's) driven by Playwright against the real server: what a user sees.

The server is ``zct serve`` on a fresh SQLite file holding the project's sample gazette and, when
../shared/seeds is present, both seed gazettes, with every policy item published by a reviewer.
Screenshots (home, search, item, document, normative, phone, large text) go to a scratch folder, and to
docs/screenshots/ only with ZCT_UPDATE_SCREENSHOTS=1 (``make screenshots``): see tests/functional/screenshots.py.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import SEED_FILES, SEEDS_DIR
from tests.functional.conftest import ingest_files, publish_everything
from tests.functional.screenshots import shot
from zhengcetong.samples import SINGLE_NOTICE, sample_path

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"{CHROMIUM} is absent (tests/setup_browser.sh installs Debian's chromium and a CJK font)",
    ),
]
SEEDS = [SEEDS_DIR / name for name in SEED_FILES.values()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`zct serve` on a free port: samples and (when present) seeds ingested, every item published."""
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder}/site.db"
    files = [
        (sample_path().read_bytes(), "qinghe_2026_03.txt"),
        (sample_path(SINGLE_NOTICE).read_bytes(), "single.txt"),
    ]
    files += [(p.read_bytes(), p.name) for p in SEEDS if p.exists()]
    ingest_files(url, files)
    publish_everything(url)
    port = free_port()
    with zct_serve(folder, port, {"ZCT_DATABASE_URL": url}) as base:
        yield base


@contextmanager
def zct_serve(folder: Path, port: int, env: dict[str, str], tries: int = 300) -> Iterator[str]:
    """`zct serve` on ``port`` with ``env`` added, logging to ``folder``/server.log, until the block ends;
    yields its base URL once /healthz answers (the test fails with the log when it does not start)."""
    log = open(folder / "server.log", "wb")  # a file, not a pipe nobody reads: the server never blocks
    process = subprocess.Popen(
        [sys.executable, "-m", "zhengcetong.cli", "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on(
        "requestfailed",
        lambda r: None if _navigated_away(r) else problems.append(f"failed: {r.url} ({r.failure})"),
    )
    page.problems = problems
    yield page
    context.close()


def _navigated_away(request) -> bool:
    """Chromium fetches the favicon after the load event; the next goto aborts it (not a page problem)."""
    return request.failure == "net::ERR_ABORTED" and "/static/favicon" in request.url


@pytest.mark.skipif(not all(p.exists() for p in SEEDS), reason=f"the seed gazettes are absent ({SEEDS_DIR})")
def test_search_reward_on_the_seeds_open_a_result_and_follow_to_the_source_clause(server, page):
    page.goto(server + "/")
    page.get_by_label("检索词").fill("奖励")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    summary = page.locator(".results .summary").inner_text()
    assert summary.startswith("找到 ") and int(summary.split()[1]) > 50
    assert page.locator(".hit mark").first.inner_text() == "奖励"
    shot(page, "search")
    page.locator(".facet a", has_text="政策事项").click()  # narrow to items
    page.wait_for_url("**kind=item**")
    first = page.locator(".hit h3 a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/items/**")
    assert page.locator("h1").inner_text() == name
    quote = page.locator("blockquote").inner_text().split("\n")[0]
    amount = page.locator(".benefit-box .big").inner_text()
    assert "万元" in amount or "元" in amount
    shot(page, "item")
    page.locator("blockquote footer a").click()
    page.wait_for_url(re.compile(r"/documents/[^#?]+#.+"))
    target = page.locator(":target")
    assert target.count() == 1 and target.is_visible()
    assert quote[:20] in target.inner_text().replace("\n", "")
    assert page.locator(":target a.item-mark").count() >= 1  # the item's text is marked in its clause
    assert page.problems == []


def test_home_search_box_topics_and_latest(server, page):
    page.goto(server + "/")
    assert page.title() == "首页 · 政策通"
    assert page.locator(".stats strong").count() == 4
    assert page.locator("ul.topics li").count() >= 12
    shot(page, "home")
    page.locator("ul.topics a", has_text="科技创新").click()
    page.wait_for_url("**/documents?topic=*")
    assert page.locator("table.docs tbody tr").count() >= 1
    assert page.problems == []


def test_document_page_header_items_outline_and_json_twin(server, page):
    page.goto(server + "/documents/" + "青政发-2026-11" + "?valid_on=2026-05-01")
    assert page.locator(".redhead .issuer").inner_text() == "青禾市人民政府文件"
    assert page.locator(".redhead .docno").inner_text() == "青政发〔2026〕11号"
    assert page.locator("dl.facts .badge").first.inner_text() == "现行有效"
    facts = page.locator("dl.facts").inner_text()
    assert "2026年2月10日" in facts and "2026年4月1日" in facts and "2031年3月31日" in facts
    assert page.locator("details.outline li").count() >= 4
    page.locator("details.outline summary").click()
    page.locator("details.outline a", has_text="第四条").click()
    assert page.url.endswith("#%E7%AC%AC%E4%BA%8C%E7%AB%A0/%E7%AC%AC%E5%9B%9B%E6%9D%A1")
    mark = page.locator('[id="第二章/第四条"] a.item-mark').first
    assert mark.is_visible()
    shot(page, "document")
    twin = page.locator("link[rel=alternate]").get_attribute("href")
    assert page.request.get(server + twin).json()["doc_number"] == "青政发〔2026〕11号"
    marked = mark.inner_text()
    mark.click()
    page.wait_for_url("**/items/**")
    assert marked in page.locator("blockquote").inner_text()  # the mark leads to the item it quotes


def test_normative_list_by_issuer(server, page):
    page.goto(server + "/normative?valid_on=2026-05-01")
    assert page.locator("h1").inner_text() == "现行有效规范性文件"
    groups = page.locator(".issuer-group h2")
    assert groups.count() >= 2
    assert page.locator(".issuer-group .badge", has_text="现行有效").count() >= 3
    shot(page, "normative")


def test_keyboard_only_search(server, page):
    page.goto(server + "/items")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # the header's search box
    assert page.evaluate("document.activeElement.id") == "site-q"
    page.keyboard.type("技改")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator(".hit").count() >= 1 and "技术改造" in page.locator(".results").inner_text()


def test_phone_layout_and_large_text(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/search?q=补贴")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways
    shot(page, "search-phone")
    page.get_by_role("link", name="大字版（适老化）").click()
    page.wait_for_url("**/search?q=*")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "search-phone-large")
    page.get_by_role("link", name="标准版").click()
    page.wait_for_url("**/search?q=*")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"


HEADER_OVERFLOW = """() => [...document.querySelectorAll('header.site *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
    .map(e => e.tagName + '.' + e.className)"""


@pytest.mark.parametrize("size", ["normal", "large"])
def test_phone_header_fits_and_folds_the_navigation_behind_a_menu(server, page, size):
    """Issue #17: in large text on a phone the header's search button overflowed by 1 px and the header took
    a third of the first screen. On a 360 px phone it fits, takes under a fifth of the screen, and the
    navigation opens from 菜单 (a checkbox and its label: no script)."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.add_cookies([{"name": "zct_text", "value": size, "url": server}])
    for path in ("/documents", "/", "/items"):
        page.goto(server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        assert page.evaluate(HEADER_OVERFLOW) == [], path
        header = page.evaluate("document.querySelector('header.site').getBoundingClientRect().height")
        assert header < 0.2 * 740, (path, header)
    nav = page.locator("nav.primary")
    assert not nav.get_by_role("link", name="政策事项", exact=True).is_visible()
    shot(page, f"header-phone-{size}")
    page.get_by_text("菜单").click()
    assert nav.get_by_role("link", name="政策事项", exact=True).is_visible()
    assert nav.get_by_role("link", name="审核后台").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, f"header-phone-{size}-menu")
    nav.get_by_role("link", name="政策事项", exact=True).click()
    page.wait_for_url("**/items")
    assert page.locator("h1").first.is_visible()


def test_desktop_header_shows_the_navigation_without_a_menu(server, page):
    page.goto(server + "/documents")
    assert not page.get_by_text("菜单").is_visible()
    nav = page.locator("nav.primary")
    assert nav.get_by_role("link", name="政策事项", exact=True).is_visible()
    assert not nav.get_by_role("link", name="审核后台").is_visible()  # it is among the tools
    assert page.locator(".tools").get_by_role("link", name="审核后台").is_visible()


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=奖励", "/documents", "/documents/青政发-2026-11", "/items", "/normative"],
)
def test_pages_pass_axe_accessibility_checks(server, page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server + path)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], "\n".join(f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in serious)


def test_the_pages_need_no_script_and_break_no_csp(server, page):
    for path in ("/", "/search?q=人才", "/documents/青政发-2026-12", "/items", "/normative"):
        page.goto(server + path)
        assert page.evaluate("document.scripts.length") == 0
    page.goto(server + "/documents/青政发-2026-12")
    assert page.locator("table.data caption").inner_text() == "青禾市市级行政许可事项清单"
    assert page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor") == (
        "rgb(180, 0, 0)"
    )  # the stylesheet loaded under the CSP
    assert page.problems == []
