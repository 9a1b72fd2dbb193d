"""Headerless policy text (a website article, a 政策解读) goes through ``zct ingest`` into the library
and reads right on the portal: issuer from the signature, no empty parts, the article an answer explains."""

from __future__ import annotations

import json

from tests.functional.conftest import publish_everything, serve
from tests.functional.test_ingest_cli import zct
from tests.unit.ingest.test_plain_text import ARTICLE, MEETING, QA


def test_web_article_and_interpretation_are_ingested_and_shown(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    article, qa, meeting = tmp_path / "article.txt", tmp_path / "qa.txt", tmp_path / "meeting.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    qa.write_text(QA, encoding="utf-8")
    meeting.write_text(MEETING, encoding="utf-8")
    refused = zct("ingest", str(meeting), env=env)
    assert refused.returncode == 2 and "没有找到可识别的公文或政策内容" in refused.stderr
    for path in (article, qa):
        result = zct("ingest", str(path), env=env)
        assert result.returncode == 0, result.stderr
    publish_everything(database_url)
    listing = json.loads(zct("items", "list", "--json", env=env).stdout)
    rows = listing["items"] if isinstance(listing, dict) else listing
    explained = [row for row in rows if row.get("explains") == "第三条"]
    assert len(explained) == 1 and explained[0]["amount_max_yuan"] == 1000000
    with serve(database_url) as client:
        for row in rows:
            page = client.get(f"/items/{row['key']}").text
            assert "，，" not in page and "（，" not in page and "，）" not in page
        article_item = next(r for r in rows if r["amount_max_yuan"] == 3000)
        page = client.get(f"/items/{article_item['key']}").text
        assert "青禾市人力资源和社会保障局" in page and "2026年5月10日" in page
        assert "判断时需要的个人信息" in page  # a subsidy persons apply for asks about the person
        page = client.get(f"/items/{explained[0]['key']}").text
        assert "本条解读的是原政策第三条" in page


def test_a_non_cumulation_rule_shows_on_the_items_it_governs(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    text = tmp_path / "rule.txt"
    text.write_text(
        "关于支持企业创新的若干措施\n"
        "一、对首次认定的高新技术企业，给予20万元奖励。\n"
        "二、对新认定的专精特新企业，给予10万元奖励。\n"
        "三、同一企业同一事项符合多项扶持政策的，按照就高不重复的原则执行。\n",
        encoding="utf-8",
    )
    assert zct("ingest", str(text), env=env).returncode == 0
    publish_everything(database_url)
    rows = json.loads(zct("items", "list", "--json", env=env).stdout)["items"]
    assert len(rows) == 2 and all("就高不重复" in row["non_cumulative"] for row in rows)
    with serve(database_url) as client:
        page = client.get(f"/items/{rows[0]['key']}").text
        assert "不可叠加：" in page and "按照就高不重复的原则执行。（三）" in page
        assert "就高不重复" in client.get(f"/api/v1/items/{rows[0]['key']}").json()["non_cumulative"]
