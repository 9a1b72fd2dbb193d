"""The enterprise's journey in headless chromium against the real server, with a loopback SMTP server:
sign in, complete the profile, see the matched items with amounts, answer a missing fact, subscribe,
and receive the notification (in the portal and by email) when a reviewer publishes a new item.

The server is ``zct serve`` with ``ZCT_SMTP_HOST`` set, so its background task sends the outbox.
Screenshots (enterprise-matches, enterprise-notifications) go where tests/functional/screenshots.py says.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from sqlalchemy import select

from tests.functional.conftest import ingest_files
from tests.functional.notify_helpers import SmtpServer, free_port
from tests.functional.screenshots import shot
from tests.functional.test_browser import CHROMIUM, zct_serve
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.samples import SINGLE_NOTICE, sample_path

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"{CHROMIUM} is absent (tests/setup_browser.sh installs Debian's chromium and a CJK font)",
    ),
]
PASSWORD = "correct horse battery"
CODE = "91330100799655058B"
EMAIL = "acme@example.com"
HELD_BACK = "设备更新"  # the item a reviewer publishes during the journey (one enterprises apply for)


def _prepare(url: str) -> tuple[str, int]:
    """Publish every sample item but the held-back one; an enterprise account (no profile facts yet) and
    a reviewer. Returns the held-back item's document uid and id."""
    from zhengcetong.library import PolicyItem, users
    from zhengcetong.library import items as policy_items
    from zhengcetong.match import profiles

    engine = make_engine(url)
    with session_scope(engine) as session:
        drafts = policy_items.list_items(db_session=session)
        held = [i for i in drafts if HELD_BACK in i.name]
        assert len(held) == 1, [i.name for i in drafts]
        policy_items.publish_items(
            db_session=session, items=[i for i in drafts if i not in held], actor="reviewer"
        )
        item_id = held[0].id
    with session_scope(engine) as session:  # the enterprise comes later: it is not told of what was there
        profiles.upsert(
            db_session=session, document={"name": "甲公司", "credit_code": CODE}, source="staff", actor="t"
        )
        acme = users.create_user(
            db_session=session, username="acme", password=PASSWORD, role="enterprise", email=EMAIL, actor="t"
        )
        profiles.link_user(db_session=session, user=acme, credit_code=CODE, actor="t")
        users.create_user(db_session=session, username="wang", password=PASSWORD, role="reviewer", actor="t")
        item = session.scalars(select(PolicyItem).where(PolicyItem.id == item_id)).one()
        found = item.document.uid, item.id
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory):
    """`zct serve` on the sample library, sending email to a loopback aiosmtpd every second."""
    folder = tmp_path_factory.mktemp("journey")
    url = f"sqlite:///{folder}/site.db"
    ingest_files(
        url,
        [
            (sample_path().read_bytes(), "qinghe_2026_03.txt"),
            (sample_path(SINGLE_NOTICE).read_bytes(), "single.txt"),
        ],
    )
    uid, item_id = _prepare(url)
    smtp = SmtpServer()
    smtp.start()
    port = free_port()
    env = {
        "ZCT_DATABASE_URL": url,
        "ZCT_DATA_DIR": str(folder),
        "ZCT_SMTP_HOST": "127.0.0.1",
        "ZCT_SMTP_PORT": str(smtp.port),
        "ZCT_NOTIFY_INTERVAL": "1",
        "ZCT_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    try:
        with zct_serve(folder, port, env, tries=600) as base:
            yield {"base": base, "smtp": smtp, "uid": uid, "item_id": item_id}
    finally:
        smtp.stop()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/staff/login")
    page.locator("main input[name=username]").fill(username)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def summary(page) -> str:
    return page.locator("ul.match-summary").inner_text()


def eligible_count(page) -> int:
    return int(re.search(r"(\d+)\s*项符合", summary(page))[1])


def test_an_enterprise_completes_its_profile_sees_its_matches_answers_subscribes_and_is_notified(
    journey_server, browser
):
    base, smtp = journey_server["base"], journey_server["smtp"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # sign in: an enterprise account lands on its matches; nothing is certain yet
    sign_in(page, base, "acme")
    assert page.url == base + "/enterprise/matches"
    assert eligible_count(page) == 0

    # complete the profile in the portal form
    page.get_by_role("link", name="企业画像").first.click()
    page.locator("input[name=region]").fill("青禾高新区")
    page.locator("input[name='revenue.year']").first.fill("2025")
    page.locator("input[name='revenue.amount']").first.fill("300000000")
    page.locator("input[name='recognitions.name']").first.fill("专精特新“小巨人”企业")
    page.locator("select[name='recognitions.level']").first.select_option("national")
    page.locator("input[name='recognitions.year']").first.fill("2025")
    page.locator("select[name='recognitions.first_time']").first.select_option("true")
    page.get_by_role("button", name="保存企业画像").click()
    page.wait_for_url("**/enterprise/profile?saved=1")

    # the matches: the 小巨人 reward is certain, with its amount
    page.get_by_role("link", name="我能享受的政策").first.click()
    page.wait_for_url("**/enterprise/matches")
    eligible = page.locator("section[aria-labelledby=eligible-head]")
    giant = eligible.locator("li.card.match", has_text="小巨人")
    assert giant.count() == 1 and "50万元" in giant.inner_text()
    assert "企业填报" in giant.inner_text()  # the explanation names where the fact came from

    # answer the question that settles the most money: the result changes at once, without leaving the page
    question = page.locator("li.question", has=page.locator("input[type=radio], input[type=checkbox]")).first
    legend = question.locator("legend").inner_text()
    counts = summary(page)
    with page.expect_response(lambda r: r.url.endswith("/enterprise/matches") and r.request.method == "POST"):
        radio = question.locator("input[type=radio][value=yes]")
        if radio.count():
            radio.check()
        else:
            question.locator("input[type=checkbox]").first.check()
    page.wait_for_function("document.querySelector('.question.answered') !== null")
    answered = page.locator("li.question.answered legend").first.inner_text()
    assert legend.split(" ")[0] in answered and "已回答，未保存" in answered
    assert summary(page) != counts, (legend, counts)
    after = eligible_count(page)
    shot(page, "enterprise-matches")
    page.get_by_role("button", name="保存到企业画像").click()
    page.wait_for_url("**/enterprise/matches?saved=1")
    assert eligible_count(page) == after and "回答已保存到企业画像" in page.content()

    # subscribe to a keyword
    page.get_by_role("link", name="订阅设置").first.click()
    page.wait_for_url("**/enterprise/subscriptions")
    page.locator("select[name=kind]").select_option("keyword")
    page.locator("input[name=value]").fill(HELD_BACK)
    page.get_by_role("button", name="订阅", exact=True).click()
    page.wait_for_load_state()
    assert HELD_BACK in page.locator("main").inner_text()

    # a reviewer publishes the held-back item
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(staff, base, "wang")
    staff.goto(f"{base}/staff/documents/{journey_server['uid']}")
    staff.locator(f"form[action='/staff/items/{journey_server['item_id']}/publish'] button").click()
    staff.wait_for_load_state()
    staff.context.close()

    # the enterprise is told: an unread notification in the portal, and one email
    page.reload()
    badge = page.locator("#unread-count")
    assert badge.count() == 1 and int(badge.inner_text()) >= 1
    page.get_by_role("link", name=re.compile("政策通知")).first.click()
    page.wait_for_url("**/enterprise/notifications")
    assert HELD_BACK in page.locator("main").inner_text()
    shot(page, "enterprise-notifications")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not smtp.inbox.to(EMAIL):
        time.sleep(0.2)
    mails = smtp.inbox.to(EMAIL)
    assert len(mails) == 1, [m["Subject"] for m in smtp.inbox.messages]
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert HELD_BACK in mails[0]["Subject"] + body and base + "/items/" in body
    assert "/unsubscribe?token=" in body
    assert errors == []
    context.close()
