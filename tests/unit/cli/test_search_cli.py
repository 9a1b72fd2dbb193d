"""``zct search``: query, rebuild and dictionary terms, on a library ingested by ``zct ingest``."""

from __future__ import annotations

import json
from datetime import datetime

from tests.unit.cli.test_cli import isolated, run  # noqa: F401  (fixture)
from zhengcetong.clock import china_time
from zhengcetong.samples import sample_path


def _ingest(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, "ingest", str(sample_path()))
    assert code == 0, err
    code, _, err = run(monkeypatch, capsys, "items", "publish", "--all")
    assert code == 0, err


def test_query_prints_ranked_hits_and_json(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    code, out, _ = run(monkeypatch, capsys, "search", "query", "创新券", "--limit", "3")
    assert code == 0 and "1. [" in out and "创新券" in out and "/documents/" in out
    code, out, _ = run(monkeypatch, capsys, "search", "query", "专精特新", "--kind", "item", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] > 0 and {h["kind"] for h in data["hits"]} == {"item"}


def test_rebuild_gives_the_same_results(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    before = json.loads(run(monkeypatch, capsys, "search", "query", "补贴", "--json")[1])
    code, out, _ = run(monkeypatch, capsys, "search", "rebuild")
    assert code == 0 and "检索索引已重建" in out
    after = json.loads(run(monkeypatch, capsys, "search", "query", "补贴", "--json")[1])
    assert [(h["ref"], h["score"]) for h in after["hits"]] == [(h["ref"], h["score"]) for h in before["hits"]]


def test_terms_are_listed_added_and_validated(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    code, out, _ = run(monkeypatch, capsys, "search", "terms", "--json")
    terms = {t["term"]: t["source"] for t in json.loads(out)}
    assert code == 0 and terms.get("青禾市人民政府办公室") == "issuer"
    code, out, _ = run(monkeypatch, capsys, "search", "terms", "add", "口袋公园建设")
    assert code == 0 and "已添加 1 个词" in out
    added = next(
        t
        for t in json.loads(run(monkeypatch, capsys, "search", "terms", "--json")[1])
        if t["term"] == "口袋公园建设"
    )
    _, table, _ = run(monkeypatch, capsys, "search", "terms")
    shown = next(line for line in table.splitlines() if "口袋公园建设" in line)
    assert china_time(datetime.fromisoformat(added["added_at"])) in shown  # Beijing time, as on the web
    assert "人工添加" in shown and "staff" not in shown  # the source in words; --json keeps the code
    assert "发文机关" in next(line for line in table.splitlines() if "青禾市人民政府办公室" in line)
    code, _, err = run(monkeypatch, capsys, "search", "terms", "add", "x")
    assert code == 2 and "2 到 100 个字" in err


def test_bad_options_are_one_line_errors(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    code, _, err = run(monkeypatch, capsys, "search", "query", "补贴", "--kind", "foo")
    assert code == 2 and "--kind" in err and "类型“foo”无效" in err and "Traceback" not in err
    code, _, err = run(monkeypatch, capsys, "search", "query", "补" * 201)
    assert code == 2 and "检索词太长" in err
    code, _, err = run(monkeypatch, capsys, "review", "queue", "--today", "2026-13-01")
    assert code == 2 and "--today" in err and "无法识别" in err


def test_items_of_a_document_named_with_any_brackets(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    listed = {}
    for doc in ("青政办发〔2026〕8号", "青政办发[2026]8号", "青政办发-2026-8"):
        code, out, err = run(monkeypatch, capsys, "items", "list", "--doc", doc, "--json")
        assert code == 0, err
        listed[doc] = [i["key"] for i in json.loads(out)["items"]]
    assert len(set(map(tuple, listed.values()))) == 1 and len(listed["青政办发[2026]8号"]) == 6


def test_items_of_lapsed_documents_are_withdrawn_on_record(isolated, monkeypatch, capsys):  # noqa: F811
    _ingest(monkeypatch, capsys)
    code, out, err = run(monkeypatch, capsys, "items", "withdraw-lapsed", "--on", "2026-05-01")
    assert code == 0 and "已撤回 0 项" in out, err
    code, out, err = run(
        monkeypatch, capsys, "items", "withdraw-lapsed", "--on", "2032-01-01", "--actor", "定时任务"
    )
    withdrawn = int(out.split("已撤回 ")[1].split(" 项")[0])
    assert code == 0 and withdrawn >= 2, err  # the sample's 创新券 measures end on 2031-03-31
    listed = json.loads(run(monkeypatch, capsys, "items", "list", "--status", "withdrawn", "--json")[1])
    assert listed["total"] == withdrawn
    shown = json.loads(run(monkeypatch, capsys, "items", "show", listed["items"][0]["key"], "--json")[1])
    assert shown["revisions"][-1]["action"] == "withdraw" and shown["revisions"][-1]["actor"] == "定时任务"
    code, out, _ = run(monkeypatch, capsys, "items", "withdraw-lapsed", "--on", "2032-01-01")
    assert code == 0 and "已撤回 0 项" in out
