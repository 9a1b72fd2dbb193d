"""The web pages and their JSON twins, through the real app."""

from __future__ import annotations

from urllib.parse import quote

from tests.functional.conftest import ingest_files


def test_the_library_lists_documents_with_status_and_links_to_json(client):
    page = client.get("/documents?valid_on=2026-03-20")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html
    assert "关于印发青禾市科技创新券管理办法的通知" in html and "共 10 篇" in html
    assert "未生效" in html and "现行有效" in html
    assert page.headers["link"].startswith("</api/v1/documents?valid_on=2026-03-20>")
    twin = client.get("/api/v1/documents?valid_on=2026-03-20").json()
    assert twin["total"] == 10 and len(twin["items"]) == 10
    statuses = {d["uid"]: d["status"] for d in twin["items"]}
    assert statuses["青政发-2026-11"] == "未生效"


def test_filters(client):
    only = client.get("/api/v1/documents", params={"kind": "appointment"}).json()
    assert {d["uid"] for d in only["items"]} == {"青政任-2026-3", "青政任-2026-4"}
    valid = client.get("/api/v1/documents", params={"valid_on": "2026-07-01", "only_valid": "true"}).json()
    assert "青政办字-2026-18" not in {d["uid"] for d in valid["items"]}
    paged = client.get("/api/v1/documents", params={"limit": 3, "offset": 3}).json()
    assert paged["total"] == 10 and len(paged["items"]) == 3
    assert "关于推进青禾市口袋公园建设的意见" in client.get("/documents", params={"q": "口袋公园"}).text
    assert client.get("/api/v1/documents", params={"limit": 0}).status_code == 422


def test_document_page_has_header_clause_anchors_and_table(client):
    html = client.get("/documents/" + quote("青政发-2026-11")).text
    assert "青禾市人民政府文件" in html and "青政发〔2026〕11号" in html
    assert 'id="第二章/第五条/（三）"' in html
    assert "2031年3月31日" in html
    listing = client.get("/documents/" + quote("青政发-2026-12")).text
    assert "<caption>青禾市市级行政许可事项清单</caption>" in listing and "<td>取水许可</td>" in listing


def test_document_json_twin_and_etag(client):
    url = "/api/v1/documents/" + quote("青政发-2026-11")
    first = client.get(url, params={"valid_on": "2026-05-01"})
    data = first.json()
    assert data["doc_number"] == "青政发〔2026〕11号" and data["status"] == "现行有效"
    assert data["clauses"][2]["children"][0]["path"] == "第一章/第一条"
    assert (
        data["repeals"][0]["target_doc_number"] == "青政办发〔2021〕5号"
        and data["repeals"][0]["target_uid"] is None
    )
    cached = client.get(
        url, params={"valid_on": "2026-05-01"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert cached.status_code == 304


def test_not_found_pages_and_api(client):
    page = client.get("/documents/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "没有找到" in page.text and "nope" in page.text and '<html lang="zh-CN">' in page.text
    missing = client.get("/api/v1/documents/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    assert client.get("/no/such/page").status_code == 404


def test_security_headers_and_openapi(client):
    response = client.get("/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    spec = client.get("/openapi.json").json()
    assert "/api/v1/documents" in spec["paths"] and "/api/v1/documents/{uid}" in spec["paths"]
    assert client.get("/healthz").json() == {"status": "ok"}


def test_html_in_a_title_is_escaped(database_url):
    from fastapi.testclient import TestClient

    from zhengcetong.config import Settings
    from zhengcetong.web import create_app

    evil = "\n".join(
        [
            "青禾市人民政府",
            "青政发〔2026〕99号",
            "青禾市人民政府 关于<script>alert(1)</script>的通知",
            "各县（市、区）人民政府：",
            "正文<img src=x onerror=alert(2)>内容。",
            "青禾市人民政府",
            "2026年1月1日",
        ]
    ).encode()
    ingest_files(database_url, [(evil, "evil.txt")])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        home = client.get("/documents").text
        page = client.get("/documents/" + quote("青政发-2026-99")).text
    assert "<script>alert(1)</script>" not in home and "&lt;script&gt;" in home
    assert "<img src=x" not in page and "&lt;img" in page


def test_the_page_carries_the_chosen_date_to_documents_and_json(client):
    html = client.get("/documents", params={"valid_on": "2026-03-20", "kind": ""}).text
    assert 'href="/documents/%E9%9D%92%E6%94%BF%E5%8F%91-2026-11?valid_on=2026-03-20"' in html
    assert 'href="/api/v1/documents?valid_on=2026-03-20"' in html  # empty parameters are dropped
    page = client.get("/documents/" + quote("青政发-2026-11"), params={"valid_on": "2026-03-20"})
    assert "未生效" in page.text and "2026年3月20日" in page.text
    api = "/api/v1/documents/" + quote("青政发-2026-11") + "?valid_on=2026-03-20"
    assert page.headers["link"] == f'<{api}>; rel="alternate"; type="application/json"'
    assert f'<link rel="alternate" type="application/json" href="{api}">' in page.text
    assert client.get(api).json()["status"] == "未生效"
    assert 'href="/documents?valid_on=2026-03-20"' in page.text  # back to the list on the same date


def test_an_emptied_form_field_is_no_error_and_a_bad_one_is_a_chinese_400(client):
    emptied = client.get("/documents?q=&valid_on=&kind=&issuer=&topic=")
    assert emptied.status_code == 200 and "共 10 篇" in emptied.text
    bad = client.get("/documents", params={"valid_on": "2026-02-30"})
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "请求有误" in bad.text and "YYYY-MM-DD" in bad.text and "2026-02-30" in bad.text
    negative = client.get("/documents", params={"offset": "-1"})
    assert (
        negative.status_code == 400
        and "offset" in negative.text
        and "{" not in negative.text.split("<main")[1]
    )
    api = client.get("/api/v1/documents", params={"valid_on": "2026-02-30"})
    assert api.status_code == 422 and api.headers["content-type"] == "application/json"


def test_pagination_links(database_url):
    from fastapi.testclient import TestClient

    from zhengcetong.config import Settings
    from zhengcetong.web import create_app
    from zhengcetong.web.pages import documents as pages

    notices = [
        "\n".join(
            ["青禾市人民政府", f"青政发〔2025〕{n}号", f"青禾市人民政府 关于第{n}项工作的通知", "正文。"]
        ).encode()
        for n in range(1, pages.PAGE_SIZE + 3)
    ]
    ingest_files(database_url, [(data, f"n{i}.txt") for i, data in enumerate(notices)])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        first = client.get("/documents", params={"kind": "notice"}).text
        assert f"共 {pages.PAGE_SIZE + 2} 篇，本页第 1–{pages.PAGE_SIZE} 篇" in first
        assert f'href="/documents?kind=notice&amp;offset={pages.PAGE_SIZE}" rel="next">' in first
        assert "上一页" not in first
        second = client.get("/documents", params={"kind": "notice", "offset": pages.PAGE_SIZE}).text
        assert 'href="/documents?kind=notice" rel="prev">' in second and "下一页" not in second
        assert f"本页第 {pages.PAGE_SIZE + 1}–{pages.PAGE_SIZE + 2} 篇" in second


def test_static_css_and_empty_library(database_url):
    from fastapi.testclient import TestClient

    from zhengcetong.config import Settings
    from zhengcetong.db.migrate import upgrade
    from zhengcetong.web import create_app

    upgrade(database_url)
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert (
            client.get("/favicon.ico", follow_redirects=True).headers["content-type"].startswith("image/svg")
        )
        css = client.get("/static/site.css")
        assert css.status_code == 200 and "text/css" in css.headers["content-type"]
        empty = client.get("/")
        assert empty.status_code == 200 and "还没有文件" in empty.text and "zct ingest" in empty.text
        assert "还没有文件" in client.get("/documents").text
        assert client.get("/api/v1/documents").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}


def test_appointment_notices_and_chronicles_carry_no_validity_label(client):
    """任免通知 and 大事记 have no legal effect: no 现行有效 on their pages, in the list or in the JSON."""
    twin = client.get("/api/v1/documents?valid_on=2026-03-20").json()
    records = [d for d in twin["items"] if d["kind"] in ("appointment", "chronicle")]
    assert len(records) == 3 and {d["status"] for d in records} == {None}
    for record in records:
        html = client.get("/documents/" + quote(record["uid"]) + "?valid_on=2026-03-20").text
        facts = html.split('<dl class="facts">')[1].split("</dl>")[0]
        assert record["title"] in html and "现行有效" not in facts and "不具法律效力" in facts
    rows = client.get("/documents?valid_on=2026-03-20").text.split("</tbody>")[0].split("<tr>")
    for record in records:
        (row,) = [r for r in rows if record["title"] in r]
        assert "现行有效" not in row and "不适用" in row
