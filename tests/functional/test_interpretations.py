"""政策解读 end to end: the staff console writes and publishes, the public pages and their JSON twins show
only what is published (escaped), the document page lists them, search finds them, the demo has one."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories.ingest import ingest_file
from zhengcetong import clock
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.db.migrate import upgrade
from zhengcetong.library import interpretations, users
from zhengcetong.library.models import AuditEvent, Interpretation, PolicyItem
from zhengcetong.samples import sample_path
from zhengcetong.search import SearchRequest
from zhengcetong.web import create_app

PASSWORD = "correct horse battery"
MEASURES_UID = "青政办发-2026-8"
MEASURES_PAGE = "/documents/" + quote(MEASURES_UID)


def build_site(url: str) -> None:
    """The sample gazette (without items), a reviewer (wang) and an enterprise account (acme)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ingest_file(session, sample_path().read_bytes(), "sample.txt", items=False)
        users.create_user(
            db_session=session, username="wang", password=PASSWORD, role="reviewer", actor="test"
        )
        users.create_user(
            db_session=session, username="acme", password=PASSWORD, role="enterprise", actor="test"
        )
    engine.dispose()


@pytest.fixture
def site(prepared_library):
    """A copy of that library and the app on it: (client, URL)."""
    url = prepared_library("interpretations", build_site)
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield client, url


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def login(client, username: str) -> str:
    """Log in and return the session's CSRF token."""
    token = csrf_of(client.get("/staff/login").text)
    response = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/staff/interpretations/new")
    return csrf_of(page.text) if page.status_code == 200 else token  # a new session has a new token


def form(token: str, **changes) -> dict:
    data = {
        "csrf": token,
        "title": "专精特新若干措施政策解读",
        "kind": "text",
        "department": "青禾市工业和信息化局",
        "summary": "梯度培育奖励、技术改造补助和博士生活补贴。",
        "body": "一、出台背景\n为加快培育专精特新企业。\n\n二、支持内容\n首次认定为国家级专精特新“小巨人”企业的，给予最高50万元奖励。",
        "uid": "",
        "note": "",
        "doc": ["青政办发〔2026〕8号", ""],
        "clauses": ["一/（一）、二", ""],
    }
    data.update(changes)
    return data


def stored(url: str, uid: str):
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            item = session.scalar(select(Interpretation).where(Interpretation.uid == uid))
            if item is None:
                return None
            return {
                "status": item.status,
                "version": item.version,
                "title": item.title,
                "revisions": [(r.version, r.action, r.actor) for r in item.revisions],
                "documents": [(link.document.uid, link.clauses) for link in item.links],
                "events": session.scalars(
                    select(AuditEvent.action).where(AuditEvent.target_id == uid).order_by(AuditEvent.id)
                ).all(),
            }
    finally:
        engine.dispose()


def create_and_publish(client, token, **changes) -> str:
    created = client.post("/staff/interpretations/new", data=form(token, **changes), follow_redirects=False)
    assert created.status_code == 303, created.text
    uid = created.headers["location"].split("/")[-1].split("?")[0]
    published = client.post(
        f"/staff/interpretations/{uid}/publish", data={"csrf": token}, follow_redirects=False
    )
    assert published.status_code == 303
    return uid


# --- staff console -------------------------------------------------------------------------------------


def test_the_console_needs_a_reviewer(site):
    client, _ = site
    response = client.get("/staff/interpretations", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/interpretations"
    assert client.get("/staff/interpretations/new", follow_redirects=False).status_code == 303
    token = login(client, "acme")
    assert client.get("/staff/interpretations").status_code == 403
    refused = client.post("/staff/interpretations/new", data=form(token), follow_redirects=False)
    assert refused.status_code == 403 and "只有审核人员" in refused.text


def test_every_form_carries_the_csrf_token_and_a_forged_one_is_refused(site):
    client, url = site
    token = login(client, "wang")
    queue = client.get("/staff").text
    assert 'href="/staff/interpretations"' in queue  # linked from the review queue
    page = client.get("/staff/interpretations/new").text
    assert page.count('name="csrf"') == page.count("<form") - 1  # every form but the header's search
    forged = client.post("/staff/interpretations/new", data=form("forged"), follow_redirects=False)
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert stored(url, "jd-1") is None
    uid = create_and_publish(client, token)
    for action in ("", "/publish", "/withdraw"):
        response = client.post(
            f"/staff/interpretations/{uid}{action}", data=form("bad"), follow_redirects=False
        )
        assert response.status_code == 403
    edit_page = client.get(f"/staff/interpretations/{uid}").text
    assert edit_page.count('name="csrf"') == edit_page.count("<form") - 1


def test_create_edit_publish_withdraw_with_history(site):
    client, url = site
    token = login(client, "wang")
    created = client.post("/staff/interpretations/new", data=form(token), follow_redirects=False)
    assert (
        created.status_code == 303
        and created.headers["location"] == "/staff/interpretations/jd-1?done=created"
    )
    page = client.get(created.headers["location"]).text
    assert "已创建草稿" in page and "草稿" in page and "第 1 版" in page
    assert stored(url, "jd-1")["documents"] == [(MEASURES_UID, ["一/（一）", "二"])]
    edited = client.post(
        "/staff/interpretations/jd-1",
        data=form(
            token,
            title="专精特新若干措施解读（修订）",
            note="规范标题",
            doc=["科技创新券", "青政办发-2026-8"],
            clauses=["", "一/（一）、二"],
        ),
    )
    assert edited.status_code == 200 and "已保存" in edited.text
    assert "改动：标题、关联文件" in edited.text and "说明：规范标题" in edited.text
    client.post("/staff/interpretations/jd-1/publish", data={"csrf": token})
    again = client.post("/staff/interpretations/jd-1/publish", data={"csrf": token})
    assert again.status_code == 409 and "已经发布" in again.text
    withdrawn = client.post("/staff/interpretations/jd-1/withdraw", data={"csrf": token, "note": "政策调整"})
    assert withdrawn.status_code == 200 and "已撤回" in withdrawn.text and "重新发布" in withdrawn.text
    state = stored(url, "jd-1")
    assert state["status"] == "withdrawn" and state["version"] == 2  # only the edit made a new version
    assert state["revisions"] == [
        (1, "create", "user:wang"),
        (2, "edit", "user:wang"),
        (2, "publish", "user:wang"),
        (2, "withdraw", "user:wang"),
    ]
    assert state["documents"] == [("青政发-2026-11", []), (MEASURES_UID, ["一/（一）", "二"])]
    assert state["events"] == [
        "interpretation.create",
        "interpretation.edit",
        "interpretation.publish",
        "interpretation.withdraw",
    ]
    listing = client.get("/staff/interpretations").text
    assert "专精特新若干措施解读（修订）" in listing and "已撤回" in listing
    assert "专精特新若干措施解读（修订）" in client.get("/staff/interpretations?status=withdrawn").text
    assert (
        "还没有" not in listing
        and "没有已发布的政策解读" in client.get("/staff/interpretations?status=published").text
    )


def test_a_refused_save_keeps_the_text_and_says_why_in_chinese(site):
    client, url = site
    token = login(client, "wang")
    typed = form(
        token,
        title="  ",
        department="",
        body="第一段<b>加粗</b>\n\n第二段 & 更多",
        doc=["青政发〔2030〕1号", "青政办发〔2026〕8号"],
        clauses=["", "九/（九）"],
        uid="Bad Slug",
    )
    response = client.post("/staff/interpretations/new", data=typed)
    assert response.status_code == 400 and "新建政策解读" in response.text
    text = response.text
    assert "未保存，请修改后重试" in text
    for message in (
        "请填写标题",
        "请填写解读部门（如 青禾市工业和信息化局）",
        "关联文件第 1 行：没有找到文件“青政发〔2030〕1号”",
        "关联文件第 2 行：《印发关于支持专精特新企业高质量发展的若干措施的通知》中没有条款“九/（九）”",
    ):
        assert message in text, message
    assert "第一段&lt;b&gt;加粗&lt;/b&gt;\n\n第二段 &amp; 更多</textarea>" in text  # kept, escaped
    assert 'value="青政发〔2030〕1号"' in text and 'value="九/（九）"' in text and 'value="Bad Slug"' in text
    assert stored(url, "jd-1") is None
    slug = client.post("/staff/interpretations/new", data={**form(token), "uid": "Bad Slug"})
    assert slug.status_code == 400 and "网址编号“bad slug”无效" in slug.text
    uid = create_and_publish(client, token)
    emptied = client.post(
        f"/staff/interpretations/{uid}", data=form(token, doc=[""], clauses=[""], body="新的正文")
    )
    assert emptied.status_code == 400 and "已发布的解读至少要关联一篇文件" in emptied.text
    assert "新的正文</textarea>" in emptied.text  # what was typed, not what is stored
    assert stored(url, uid)["version"] == 1  # nothing saved: created and published, 第 1 版


def test_publishing_without_a_document_is_refused_beside_the_form(site):
    client, url = site
    token = login(client, "wang")
    client.post("/staff/interpretations/new", data=form(token, doc=[""], clauses=[""]))
    response = client.post("/staff/interpretations/jd-1/publish", data={"csrf": token})
    assert (
        response.status_code == 400
        and "未能发布" in response.text
        and "发布前请至少关联一篇文件" in response.text
    )
    assert stored(url, "jd-1")["status"] == "draft"


# --- public pages and JSON twins --------------------------------------------------------------------------


def test_drafts_are_invisible_to_the_public(site):
    client, _ = site
    token = login(client, "wang")
    client.post("/staff/interpretations/new", data=form(token, title="尚未发布的草稿"))
    client.cookies.clear()
    assert "尚未发布的草稿" not in client.get("/interpretations").text
    assert client.get("/interpretations/jd-1").status_code == 404
    assert client.get("/api/v1/interpretations/jd-1").status_code == 404
    assert client.get("/api/v1/interpretations").json()["total"] == 0
    assert "政策解读（" not in client.get(MEASURES_PAGE).text
    assert client.get("/api/v1/documents/" + quote(MEASURES_UID)).json()["interpretations"] == []
    assert "还没有发布政策解读" in client.get("/interpretations").text


def test_public_page_and_json_twin_escape_everything(site):
    client, _ = site
    token = login(client, "wang")
    uid = create_and_publish(
        client,
        token,
        title="<script>alert('t')</script>解读",
        body="一、背景\n<script>alert(1)</script>正文 & <img src=x onerror=alert(2)>\n问：谁能申报？\n答：本市企业。",
        kind="qa",
    )
    client.cookies.clear()
    page = client.get(f"/interpretations/{uid}")
    assert page.status_code == 200
    assert (
        page.headers["link"] == f'</api/v1/interpretations/{uid}>; rel="alternate"; type="application/json"'
    )
    html = page.text
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;正文 &amp; &lt;img src=x onerror=alert(2)&gt;" in html
    assert "<h2>一、背景</h2>" in html and '<p class="jd-q">问：谁能申报？</p>' in html
    assert "青禾市工业和信息化局" in html and "问答" in html
    assert f'href="/documents/{quote(MEASURES_UID)}"' in html and "现行有效" in html
    assert 'href="/documents/' + quote(MEASURES_UID) + "#" + quote("一/（一）") + '"' in html
    twin = client.get(f"/api/v1/interpretations/{uid}")
    data = twin.json()
    assert (
        data["title"] == "<script>alert('t')</script>解读"
        and data["kind"] == "qa"
        and data["kind_name"] == "问答"
    )
    assert data["body"].startswith("一、背景\n<script>") and data["published_on"] == clock.today().isoformat()
    assert [(d["uid"], d["status"], d["clauses"]) for d in data["documents"]] == [
        (MEASURES_UID, "现行有效", ["一/（一）", "二"])
    ]
    assert "status" not in data  # the public sees only published interpretations
    cached = client.get(f"/api/v1/interpretations/{uid}", headers={"If-None-Match": twin.headers["etag"]})
    assert cached.status_code == 304


def test_list_newest_first_filters_pagination_and_etag(site):
    client, _ = site
    token = login(client, "wang")
    first = create_and_publish(client, token, title="第一篇解读")
    second = create_and_publish(
        client, token, title="第二篇解读", doc=["科技创新券"], clauses=[""], kind="graphic"
    )
    client.cookies.clear()
    page = client.get("/interpretations")
    assert page.headers["link"] == '</api/v1/interpretations>; rel="alternate"; type="application/json"'
    assert page.text.index("第二篇解读") < page.text.index("第一篇解读")
    data = client.get("/api/v1/interpretations").json()
    assert [i["uid"] for i in data["items"]] == [second, first] and data["total"] == 2
    by_document = client.get("/interpretations", params={"document": MEASURES_UID})
    assert "第一篇解读" in by_document.text and "第二篇解读" not in by_document.text
    assert by_document.headers["link"].startswith("</api/v1/interpretations?document=")
    twin = client.get("/api/v1/interpretations", params={"document": MEASURES_UID}).json()
    assert [i["uid"] for i in twin["items"]] == [first] and twin["document"]["uid"] == MEASURES_UID
    assert [
        i["uid"] for i in client.get("/api/v1/interpretations", params={"kind": "graphic"}).json()["items"]
    ] == [second]
    assert client.get("/api/v1/interpretations", params={"kind": "video"}).status_code == 422
    paged = client.get("/api/v1/interpretations", params={"limit": 1, "offset": 1}).json()
    assert paged["total"] == 2 and [i["uid"] for i in paged["items"]] == [first]
    assert client.get("/api/v1/interpretations", params={"limit": 0}).status_code == 422
    assert client.get("/interpretations", params={"document": "nope"}).status_code == 404
    etag = client.get("/api/v1/interpretations").headers["etag"]
    assert client.get("/api/v1/interpretations", headers={"If-None-Match": etag}).status_code == 304
    spec = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/interpretations" in spec and "/api/v1/interpretations/{uid}" in spec


def test_document_page_and_its_twin_list_the_published_interpretations(site):
    client, _ = site
    token = login(client, "wang")
    uid = create_and_publish(client, token, title="若干措施解读")
    client.post("/staff/interpretations/new", data=form(token, title="还在写的草稿"))
    client.cookies.clear()
    html = client.get(MEASURES_PAGE).text
    section = html.split('id="interpretations"', 1)[1].split("</section>", 1)[0]
    assert (
        "政策解读（1）" in section
        and f'href="/interpretations/{uid}"' in section
        and "若干措施解读" in section
    )
    assert "还在写的草稿" not in html
    twin = client.get("/api/v1/documents/" + quote(MEASURES_UID)).json()
    assert [(i["uid"], i["title"], i["clauses"]) for i in twin["interpretations"]] == [
        (uid, "若干措施解读", ["一/（一）", "二"])
    ]
    other = client.get("/api/v1/documents/" + quote("青政发-2026-11")).json()
    assert other["interpretations"] == []


# --- search --------------------------------------------------------------------------------------------


def test_search_finds_a_published_interpretation_and_not_a_draft(site):
    from zhengcetong import search

    client, url = site
    token = login(client, "wang")
    uid = create_and_publish(client, token, title="梧桐计划政策解读", body="梧桐计划支持专精特新企业。")
    client.post(
        "/staff/interpretations/new", data=form(token, title="梧桐计划草稿", body="梧桐计划草稿正文。")
    )
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            page = search.search(
                db_session=session, request=SearchRequest(q="梧桐计划"), today=date(2026, 6, 1)
            )
            hits = [(h.kind, h.ref, h.url) for h in page.hits]
            assert hits == [("interpretation", f"interpretation:{uid}", f"/interpretations/{uid}")]
            assert page.hits[0].document.uid == MEASURES_UID
            assert page.hits[0].departments == ["青禾市工业和信息化局"]
        client.post(f"/staff/interpretations/{uid}/withdraw", data={"csrf": token})
        with session_scope(engine) as session:  # the withdrawal reached the index on commit
            assert search.search(db_session=session, request=SearchRequest(q="梧桐计划")).total == 0
    finally:
        engine.dispose()


# --- demo ----------------------------------------------------------------------------------------------


def test_the_demo_publishes_the_sample_interpretation_once(database_url, capsys):
    from zhengcetong.cli.demo import run_demo
    from zhengcetong.samples import interpretation as sample

    run_demo(host="127.0.0.1", port=8000, serve=False)
    run_demo(host="127.0.0.1", port=8000, serve=False)
    out = capsys.readouterr().out
    assert out.count(f"示例政策解读已发布：/interpretations/{sample.UID}") == 1
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            [item] = session.scalars(select(Interpretation)).all()
            assert item.uid == sample.UID and item.status == "published" and item.created_by == "demo"
            assert interpretations.for_document(db_session=session, document=item.links[0].document) == [item]
    finally:
        engine.dispose()


def test_one_department_is_one_facet_whether_named_in_full_or_by_level(database_url, capsys):
    """Issue #17: in the demo, 市工业和信息化局 (an item's 责任单位) and 青禾市工业和信息化局 (the interpretation's
    department) were two facets. Items store the full name; the document keeps the text as printed."""
    from zhengcetong import search
    from zhengcetong.cli.demo import run_demo

    run_demo(host="127.0.0.1", port=8000, serve=False)
    capsys.readouterr()
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            page = search.search(
                db_session=session, request=SearchRequest(q="专精特新"), today=date(2026, 6, 1)
            )
            departments = [f.value for f in page.facets["department"]]
            assert "青禾市工业和信息化局" in departments and "市工业和信息化局" not in departments
            kinds = {h.kind for h in page.hits if "青禾市工业和信息化局" in h.departments}
            assert kinds == {"item", "interpretation"}
            hit = next(h for h in page.hits if h.kind == "item" and "青禾市工业和信息化局" in h.departments)
            item = session.scalars(select(PolicyItem).where(PolicyItem.key == hit.ref.split(":")[1])).one()
            assert item.departments == ["青禾市工业和信息化局", "青禾市财政局"]
            assert "（责任单位：市工业和信息化局、市财政局）" in item.document.body  # the source as printed
    finally:
        engine.dispose()
