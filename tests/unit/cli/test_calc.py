"""``zct calc`` and ``zct items show`` in-process: output for people and as JSON, one-line errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.unit.cli.test_cli import isolated, run  # noqa: F401  (isolated is a fixture)
from zhengcetong.samples import sample_path

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "profile_equipment.yaml"


@pytest.fixture
def library(monkeypatch, capsys, isolated):  # noqa: F811
    """The sample gazette ingested; returns the equipment subsidy (10%, at most 200万元) as a dict."""
    code, _, err = run(monkeypatch, capsys, "ingest", str(sample_path()))
    assert code == 0, err
    code, out, _ = run(monkeypatch, capsys, "items", "list", "--json")
    items = json.loads(out)["items"]
    return next(i for i in items if i["clause"] == "二" and i["rate"] == 0.1)


def test_calc_shows_verdict_amount_steps_and_source(monkeypatch, capsys, library):
    code, out, err = run(
        monkeypatch, capsys, "calc", "--item", library["key"], "--profile", str(EXAMPLE), "--on", "2026-05-01"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(library["name"]) and "第 1 版 · 草稿" in lines[0]
    assert "注意：该事项尚未审核发布（待审核草稿），结果仅供内部试算" in out
    assert "评估日期：2026-05-01" in out and ("结论：可能符合" in out or "结论：符合" in out)
    assert "金额：最高 350,000 元" in out
    assert "  1. 10% × 申报项目的设备（含软件）购置金额 3,500,000 元 = 350,000 元" in out
    assert "依据：青政办发〔2026〕8号 二《" in out and "10%的比例" in out


def test_calc_json_and_stdin(monkeypatch, capsys, library):
    profile = '{"project": {"equipment_cost": 30000000}}'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(profile.encode())))
    code, out, err = run(
        monkeypatch,
        capsys,
        "calc",
        "--item",
        str(library["id"]),
        "--profile",
        "-",
        "--on",
        "2026-05-01",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["amount"] == "2000000.00" and data["version"] == 1 and data["item"]["status"] == "draft"
    assert data["reference"]["clause"] == "二" and data["on"] == "2026-05-01"


def test_calc_without_facts_lists_what_is_missing(monkeypatch, capsys, library, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "calc", "--item", library["key"], "--profile", str(empty))
    assert code == 0 and "结论：可能符合" in out and "金额：金额待补充" in out
    assert "待补充的信息：" in out and "申报项目" in out


@pytest.mark.parametrize(
    ("args", "content", "expected"),
    [
        (
            (),
            '{"reveune": {"2025": 1}}',
            "企业画像有误：reveune：未知的事实名称“reveune”，是否应为 “revenue”？",
        ),
        ((), '{"employees": }', "不是有效的 JSON（第 1 行第 15 列）"),
        (("--on", "2026-13-01"), "{}", "--on: 日期“2026-13-01”无法识别"),
        (("--version", "9"), "{}", "没有第 9 版（现为第 1 版）"),
    ],
    ids=["typo", "json", "date", "version"],
)
def test_calc_errors_exit_2_with_one_line(monkeypatch, capsys, library, tmp_path, args, content, expected):
    profile = tmp_path / "p.json"
    profile.write_text(content, encoding="utf-8")
    code, out, err = run(
        monkeypatch, capsys, "calc", "--item", library["key"], "--profile", str(profile), *args
    )
    assert code == 2 and expected in err and err.startswith("错误：") and err.count("\n") == 1
    assert "Traceback" not in out + err


def test_calc_unknown_item_and_missing_profile(monkeypatch, capsys, library, tmp_path):
    code, _, err = run(monkeypatch, capsys, "calc", "--item", "no-such", "--profile", str(EXAMPLE))
    assert code == 2 and "没有找到政策事项 no-such" in err
    code, _, err = run(
        monkeypatch, capsys, "calc", "--item", library["key"], "--profile", str(tmp_path / "无.json")
    )
    assert code == 2 and "无.json" in err and "文件不存在" in err


def test_items_show_prints_the_rule_in_words_and_the_history(monkeypatch, capsys, library):
    code, out, err = run(monkeypatch, capsys, "items", "show", library["key"])
    assert code == 0, err
    assert (
        "规则（第 1 版）：" in out
        and "  金额：最高 10% × 申报项目的设备（含软件）购置金额（不超过 200万元）" in out
    )
    assert "  条件：" in out and "修改记录（1 条）：" in out and "· 抽取" in out
    code, out, _ = run(monkeypatch, capsys, "items", "publish", library["key"], "--actor", "李审核")
    code, out, _ = run(monkeypatch, capsys, "items", "show", str(library["id"]), "--json")
    data = json.loads(out)
    assert data["rule_text"]["formula"] == "最高 10% × 申报项目的设备（含软件）购置金额（不超过 200万元）"
    assert [(r["version"], r["action"], r["actor"], r["changed"]) for r in data["revisions"]] == [
        (1, "extract", "cli", []),
        (1, "publish", "李审核", ["status"]),  # publishing changes no rule: still 第 1 版
    ]
    # Issue #17: the history showed UTC while the web shows Beijing time
    from datetime import datetime

    from zhengcetong.clock import china_time

    _, text, _ = run(monkeypatch, capsys, "items", "show", str(library["id"]))
    for r in data["revisions"]:
        assert f"第 {r['version']} 版 · {china_time(datetime.fromisoformat(r['at']))} · " in text


def test_calc_is_in_the_help(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--help")
    assert code == 0 and "calc" in out and "试算" in out
    code, out, _ = run(monkeypatch, capsys, "calc", "--help")
    for option in ("--item", "--profile", "--on", "--version", "--json"):
        assert option in out
