"""The public portal: home, search, items, normative documents, preferences and caching, with JSON twins."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from tests.functional.conftest import build_published, serve
from tests.functional.match_helpers import document as enterprise_document
from zhengcetong.db.engine import make_engine, session_scope


@pytest.fixture
def published_library(prepared_library):
    """The database URL of a copy of the published sample library, the test's own to change."""
    return prepared_library("published", build_published)


@pytest.fixture
def published(prepared_library):
    """A client on the published sample library, for tests that change nothing in it."""
    with serve(prepared_library("published", build_published, writes=False)) as client:
        yield client


def test_home_shows_counts_topics_latest_documents_and_items(published):
    page = published.get("/")
    assert page.status_code == 200 and 'role="search"' in page.text and 'action="/search"' in page.text
    overview = published.get("/api/v1/overview").json()
    assert page.headers["link"] == '</api/v1/overview>; rel="alternate"; type="application/json"'
    assert overview["overview"]["documents"] == 10 and overview["overview"]["items"] > 0
    assert {t["name"] for t in overview["topics"]} >= {"产业发展", "人才", "科技创新"}
    assert sum(t["count"] for t in overview["topics"]) > 0
    for document in overview["latest_documents"]:
        assert document["title"] in page.text and document["status"] in ("现行有效", "已修改")
    for item in overview["latest_items"]:
        assert f'href="/items/{item["key"]}"' in page.text


def test_search_page_ranks_marks_and_links_to_the_clause(published):
    page = published.get("/search", params={"q": "创新券"})
    assert page.status_code == 200
    data = published.get("/api/v1/search", params={"q": "创新券"}).json()
    assert data["total"] > 3 and data["engine"] in ("fts5", "postgres")
    assert "<mark>创新券</mark>" in page.text
    first = data["hits"][0]
    assert first["title"] in re.sub(r"</?mark>", "", page.text)
    clause = next(h for h in data["hits"] if h["kind"] == "clause")
    path, anchor = clause["url"].split("#")
    assert f'href="{path}?hl=%E5%88%9B%E6%96%B0%E5%88%B8#{anchor}"' in page.text
    document = published.get(path, params={"hl": "创新券"}).text
    assert "<mark>创新券</mark>" in document and f'id="{clause["clause"]}"' in document


def test_search_facets_filter_and_can_be_removed(published):
    data = published.get("/api/v1/search", params={"q": "企业"}).json()
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds["item"] > 0 and kinds["clause"] > 0
    page = published.get("/search", params={"q": "企业", "kind": "item"})
    assert f"找到 {kinds['item']} 条结果" in page.text
    assert (
        'aria-label="去掉条件 类型：政策事项"' in page.text
        and 'href="/search?q=%E4%BC%81%E4%B8%9A"' in page.text
    )
    only_items = published.get("/api/v1/search", params={"q": "企业", "kind": "item"}).json()
    assert only_items["total"] == kinds["item"] and {h["kind"] for h in only_items["hits"]} == {"item"}


def test_search_empty_query_stop_words_and_doc_numbers(published):
    assert "请输入检索词" in published.get("/search").text
    stop = published.get("/search", params={"q": "的"}).text
    assert "太常见" in stop
    exact = published.get("/search", params={"q": "青政办发[2026]8号"}).text
    assert "文号匹配" in exact and "印发关于支持专精特新企业高质量发展的若干措施的通知" in exact
    too_long = published.get("/search", params={"q": "补" * 201})
    assert too_long.status_code == 400 and "检索词太长" in too_long.text
    assert published.get("/api/v1/search", params={"q": "补" * 201}).status_code == 422


def test_every_suggested_search_finds_something(published):
    """Issue #17: the home page suggested 高新技术企业 and 残疾人就业, which the demo library lacks."""
    home = published.get("/").text
    shown = re.search(r'<p class="examples">(.*?)</p>', home).group(1)
    suggested = [s.replace("&amp;", "&") for s in re.findall(r">([^<>]+)</a>", shown)]
    assert suggested == published.get("/api/v1/overview").json()["suggestions"]
    assert len(suggested) >= 4 and any("〔" in s and s.endswith("号") for s in suggested)
    empty_search = published.get("/search").text
    for q in suggested:
        assert f'href="/search?q={quote(q)}"' in home and f'href="/search?q={quote(q)}"' in empty_search
        found = published.get("/api/v1/search", params={"q": q}).json()
        assert found["total"] > 0, q
    for absent in ("高新技术企业", "残疾人就业", "聊政办发"):
        assert absent not in home


@pytest.mark.parametrize("q", ["青政办发〔2026〕8号", "青政办发[2026]8号", "青政办发2026年8号"])
def test_a_doc_number_search_lists_the_document_its_items_and_clauses(published, q):
    """Issue #17: the page said 没有找到结果 above the document it found, and listed none of its clauses."""
    data = published.get("/api/v1/search", params={"q": q, "limit": 100}).json()
    uid = data["exact"]["uid"]
    assert data["hits"][0]["kind"] == "document" and data["hits"][0]["document"]["uid"] == uid
    kinds = [h["kind"] for h in data["hits"]]
    assert "item" in kinds and "clause" in kinds and data["total"] == len(data["hits"])
    assert all(h["document"]["uid"] == uid for h in data["hits"])
    page = published.get("/search", params={"q": q}).text
    assert "没有找到" not in page and f"找到 {data['total']} 条结果" in page
    assert data["hits"][1]["url"] in page.replace("&amp;", "&") or quote(data["hits"][1]["ref"]) in page
    unknown = published.get("/search", params={"q": "青政办发〔2026〕99号"}).text
    assert "没有找到结果" in unknown


def test_search_snippets_escape_markup(database_url):
    from fastapi.testclient import TestClient

    from tests.functional.conftest import ingest_files
    from zhengcetong.config import Settings
    from zhengcetong.web import create_app

    evil = "\n".join(
        [
            "青禾市人民政府",
            "青政发〔2026〕98号",
            "青禾市人民政府 关于补贴的通知",
            "对企业给予补贴<script>alert(1)</script>。",
        ]
    ).encode()
    ingest_files(database_url, [(evil, "evil.txt")])
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        page = client.get("/search", params={"q": "补贴"}).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_search_json_twin_has_etag(published):
    first = published.get("/api/v1/search", params={"q": "奖励"})
    again = published.get(
        "/api/v1/search", params={"q": "奖励"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert published.get("/search", params={"q": "奖励"}).headers["link"].startswith("</api/v1/search?q=")


def test_items_list_and_item_page(published):
    listing = published.get("/api/v1/items").json()
    assert listing["total"] > 5
    item = next(i for i in listing["items"] if i["amount_max_yuan"])
    html = published.get("/items").text
    assert item["name"] in html
    page = published.get("/items/" + item["key"])
    assert page.status_code == 200
    detail = published.get("/api/v1/items/" + item["key"]).json()
    assert detail["quote"] in page.text.replace("&#34;", '"').replace("&#39;", "'")
    assert detail["rule"]["formula"] and "谁可以申请" in page.text and "政策依据" in page.text
    clause_link = (
        f'href="/documents/{quote(detail["document"]["uid"], safe="")}#{quote(detail["clause"], safe="/")}"'
    )
    assert clause_link in page.text
    department = next(d for i in listing["items"] for d in i["departments"])
    by_department = published.get("/api/v1/items", params={"department": department}).json()
    expected = sum(
        1
        for i in published.get("/api/v1/items", params={"limit": 200}).json()["items"]
        if department in i["departments"]
    )
    assert by_department["total"] == expected > 0
    assert all(department in i["departments"] for i in by_department["items"])
    cheap = published.get("/api/v1/items", params={"amount": "10万元以下"}).json()
    assert cheap["total"] > 0 and all(
        headline(i) is not None and headline(i) < 100000 for i in cheap["items"]
    )


def headline(item: dict) -> float | None:
    """The amount an item is filed under: its maximum, else its cap."""
    value = item["amount_max_yuan"] if item["amount_max_yuan"] is not None else item["cap_yuan"]
    return None if value is None else float(value)


def test_amount_ranges_mean_the_same_in_the_item_list_and_in_search(published_library):
    from sqlalchemy import select

    from zhengcetong.library.models import PolicyItem
    from zhengcetong.search import AMOUNT_BUCKETS

    with serve(published_library) as published:  # serving before the change, which it then follows
        engine = make_engine(published_library)
        with session_scope(engine) as session:  # a rate with only a cap (最高200万元) is filed under its cap
            capped = session.scalars(select(PolicyItem).where(PolicyItem.quote.contains("企业"))).first()
            capped.amount_max_yuan, capped.cap_yuan, capped.version = None, 2_000_000, capped.version + 1
        engine.dispose()
        every = published.get("/api/v1/items", params={"limit": 200}).json()["items"]
        assert any(i["amount_max_yuan"] is None and i["cap_yuan"] == 2_000_000 for i in every)
        found = published.get("/api/v1/search", params={"q": "企业", "kind": "item", "limit": 100}).json()
        searched = {h["ref"].removeprefix("item:") for h in found["hits"]}
        assert found["total"] == len(searched) > 5
        for label, low, high in AMOUNT_BUCKETS:
            expected = {
                i["key"]
                for i in every
                if headline(i) is not None
                and (low is None or headline(i) >= low)
                and (high is None or headline(i) < high)
            }
            listed = published.get("/api/v1/items", params={"amount": label, "limit": 100}).json()
            assert {i["key"] for i in listed["items"]} == expected, label
            hits = published.get(
                "/api/v1/search", params={"q": "企业", "kind": "item", "amount": label, "limit": 100}
            ).json()
            assert {h["ref"].removeprefix("item:") for h in hits["hits"]} == expected & searched, label


def test_pages_past_the_end_and_absurd_offsets(published):
    for path in ("/documents", "/items", "/interpretations", "/api/v1/documents", "/api/v1/items"):
        absurd = published.get(path, params={"offset": "100000000000000000000"})
        assert absurd.status_code == (422 if path.startswith("/api/") else 400), path
    past = published.get("/documents", params={"offset": "500"})
    assert past.status_code == 200 and "已超出列表范围（共 10 条）" in past.text
    assert 'href="/documents">回到最后一页</a>' in past.text and "还没有文件" not in past.text
    items = published.get("/items", params={"offset": "9980"})
    assert "回到最后一页" in items.text and "没有符合条件" not in items.text
    search = published.get("/search", params={"q": "企业", "offset": "9000"})
    assert search.status_code == 200 and "回到最后一页" in search.text and "第 9001" not in search.text
    last = re.search(r'href="(/search\?[^"]*)">回到最后一页', search.text).group(1).replace("&amp;", "&")
    assert '<ol class="hits"' in published.get(last).text


def test_search_links_keep_every_filter(published):
    page = published.get("/search", params=[("q", "企业"), ("kind", "item"), ("kind", "clause")])
    wanted = published.get(
        "/api/v1/search", params=[("q", "企业"), ("kind", "item"), ("kind", "clause")]
    ).json()
    assert f"找到 {wanted['total']} 条结果" in page.text and wanted["total"] > 20
    twin = page.headers["link"].split(">")[0].lstrip("<")
    assert published.get(twin).json()["total"] == wanted["total"]
    following = re.search(r'href="([^"]+)" rel="next"', page.text).group(1).replace("&amp;", "&")
    assert "kind=item&kind=clause" in following and "offset=20" in following
    assert "类型：政策事项、条款" in page.text
    valid = published.get("/search", params={"q": "企业", "valid": "1"})
    twin = valid.headers["link"].split(">")[0].lstrip("<")
    assert "valid_on=" in twin and published.get(twin).json()["total"] == int(
        re.search(r"找到 (\d+) 条结果", valid.text).group(1)
    )


def test_bad_filters_are_clear_errors_not_failures(published):
    page = published.get("/search", params={"q": "补贴", "topic": "不存在"})
    assert page.status_code == 400 and "没有“不存在”这个主题" in page.text
    assert published.get("/api/v1/search", params={"q": "补贴", "topic": "不存在"}).status_code == 422
    uid = published.get("/api/v1/documents").json()["items"][0]["uid"]
    many = published.get(f"/documents/{quote(uid)}", params={"hl": " ".join("甲乙丙丁戊己庚辛壬癸子丑寅")})
    assert many.status_code == 200 and "<mark>" not in many.text


def test_etags_match_weak_and_listed_validators(published):
    first = published.get("/api/v1/items")
    tag = first.headers["etag"]
    for header in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        assert published.get("/api/v1/items", headers={"If-None-Match": header}).status_code == 304, header
    assert published.get("/api/v1/items", headers={"If-None-Match": '"other"'}).status_code == 200


def test_draft_items_are_not_public(client):
    from zhengcetong.library import items as policy_items

    assert client.get("/api/v1/items").json()["total"] == 0
    engine = make_engine(str(client.app.state.settings.effective_database_url))
    with session_scope(engine) as session:
        key = policy_items.list_items(db_session=session)[0].key
    engine.dispose()
    assert client.get("/items/" + key).status_code == 404
    assert client.get("/api/v1/items/" + key).status_code == 404


def test_normative_documents_by_issuer(published):
    data = published.get("/api/v1/normative", params={"valid_on": "2026-05-01"}).json()
    titles = [d["title"] for g in data["groups"] for d in g["documents"]]
    assert "关于印发青禾市科技创新券管理办法的通知" in titles
    assert not any("任" in (d["doc_number"] or "")[:3] for g in data["groups"] for d in g["documents"])
    assert all(d["status"] in ("现行有效", "已修改") for g in data["groups"] for d in g["documents"])
    page = published.get("/normative", params={"valid_on": "2026-05-01"}).text
    for group in data["groups"]:
        assert group["issuer"] in page
    everything = published.get("/api/v1/normative", params={"valid_on": "2026-05-01", "all": "true"}).json()
    assert everything["total"] >= data["total"]


def test_large_text_preference_and_no_open_redirect(published):
    switched = published.get(
        "/prefs/text", params={"size": "large", "next": "/items"}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/items"
    assert "zct_text=large" in switched.headers["set-cookie"]
    assert '<html lang="zh-CN" class="large">' in published.get("/items").text
    outside = published.get(
        "/prefs/text", params={"size": "normal", "next": "//evil.example/"}, follow_redirects=False
    )
    assert outside.headers["location"] == "/"
    assert '<html lang="zh-CN">' in published.get("/items").text


def test_static_assets_are_fingerprinted_and_cached(published):
    html = published.get("/").text
    css = re.search(r'href="(/static/site\.css\?v=[0-9a-f]{12})"', html).group(1)
    response = published.get(css)
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert published.get("/static/site.css").headers["cache-control"] == "public, max-age=3600"
    listing = published.get("/interpretations").text
    assert re.search(r'href="/static/interpretations\.css\?v=[0-9a-f]{12}"', listing)


def test_openapi_docs_work_offline_and_cover_the_pages(published):
    docs = published.get("/docs").text
    assert "/static-docs/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert published.get("/static-docs/swagger-ui-bundle.js").status_code == 200
    paths = published.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/search",
        "/api/v1/items",
        "/api/v1/items/{key}",
        "/api/v1/normative",
        "/api/v1/overview",
        "/api/v1/topics",
        "/api/v1/documents",
        "/api/v1/documents/{uid}",
    ):
        assert path in paths, path


def test_fixed_amounts_ceilings_and_per_person_read_as_the_text_says(published):
    """Issue #17: 给予X is the amount (not 最高X), 最高X a ceiling, 每人 says so; 金额上限 and 封顶 once."""
    items = published.get("/api/v1/items", params={"limit": 200}).json()["items"]
    fixed = next(i for i in items if i["per_person"])  # 每人每月给予3000元生活补贴，最长不超过36个月
    assert fixed["up_to"] is False and fixed["per"] == "month"
    page = published.get("/items/" + fixed["key"]).text
    assert "每人每月3,000元" in page and "最高3,000元" not in page and "金额上限" not in page
    ceiling = next(i for i in items if i["up_to"] and i["rate"] is None and i["amount_max_yuan"])
    page = published.get("/items/" + ceiling["key"]).text
    assert "最高" in page and "金额上限" in page
    rate = next(i for i in items if i["rate"] is not None and i["cap_yuan"] == i["amount_max_yuan"])
    page = published.get("/items/" + rate["key"]).text
    assert page.count("<dd>200万元</dd>") == 1 and "金额上限" not in page  # shown as 封顶 only


def test_a_public_body_item_is_shown_but_not_counted_or_offered_to_enterprises(published):
    """Issue #17: 口袋公园 奖补 goes to the districts that build them: 申请对象 政府部门, listed and shown, but not
    among the 可申请的政策事项 of the home page, nor in an enterprise's matches."""
    listed = published.get("/api/v1/items", params={"limit": 200}).json()
    park = next(i for i in listed["items"] if "口袋公园" in i["name"])
    assert (park["applicant"], park["applicant_name"]) == ("public", "政府部门")
    assert {i["applicant"] for i in listed["items"] if i is not park} <= {"unit", "person"}
    page = published.get("/items/" + park["key"]).text
    assert "<strong>申请对象：</strong>政府部门" in page
    unit = next(i for i in listed["items"] if "专精特新" in i["name"])
    assert "<strong>申请对象：</strong>企业（单位）" in published.get("/items/" + unit["key"]).text
    assert published.get("/api/v1/overview").json()["overview"]["items"] == listed["total"] - 1
    profile = enterprise_document(region="青禾高新区")
    matched = published.post("/api/v1/match", json={"profile": profile, "on": "2026-05-01"}).json()
    names = [e["name"] for key in ("eligible", "possibly") for e in matched[key]]
    assert names and not [n for n in names if "口袋公园" in n]
    assert (
        matched["ineligible_count"] + len(names) + len(matched.get("superseded", [])) == listed["total"] - 1
    )


@pytest.mark.parametrize(
    ("q", "said", "not_said"),
    [
        ("全职博士", "每人每月3,000元，最多36个月", "最高3,000元"),  # 每人每月给予3000元: fixed, per person
        ("设备更新", "按10%，最高200万元，一次性", "最高200万元 ·"),  # a rate with its cap
        ("小巨人", "最高50万元，一次性", "给予50万元"),  # 最高给予50万元: a ceiling
    ],
)
def test_search_results_and_item_lists_say_the_amount_as_the_text_does(published, q, said, not_said):
    """Issue #17: search results said 最高 before every amount; they, the item list and the API say 给予X
    for a fixed amount, 最高X for a ceiling and 按X% for a rate, like the item page."""
    hits = published.get("/api/v1/search", params={"q": q, "kind": "item"}).json()["hits"]
    assert hits and hits[0]["benefit"] == said
    page = published.get("/search", params={"q": q, "kind": "item"}).text
    assert f"{said} ·" in page and not_said not in page
    items = published.get("/api/v1/items", params={"limit": 200}).json()["items"]
    item = next(i for i in items if i["name"] == hits[0]["title"])
    assert item["benefit"] == said and said in published.get("/items").text
