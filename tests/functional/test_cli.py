"""The zct command end to end, in a subprocess, as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhengcetong.samples import SINGLE_NOTICE, sample_path

ZCT = [sys.executable, "-m", "zhengcetong.cli"]


def zct(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ZCT, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


def test_help_does_not_import_the_heavy_modules():
    code = (
        "import sys, zhengcetong.cli; "
        "heavy = [m for m in ('sqlalchemy', 'fastapi', 'jieba', 'alembic', 'uvicorn') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    result = zct("--help")
    assert result.returncode == 0 and "ingest" in result.stdout and "extract" in result.stdout


def test_extract_json_is_the_documented_format():
    result = zct("extract", str(sample_path()), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["issue"] == "2026年第3期"
    assert [d["doc_number"] for d in data["documents"]][:2] == ["青政发〔2026〕11号", "青政发〔2026〕12号"]
    assert {"title", "doc_number", "page"} == set(data["toc"][0])
    first = data["documents"][0]
    assert first["date"] == "2026-02-10" and first["effective_until"] == "2031-03-31"
    assert first["clauses"][2]["path"] == "第一章"
    items = data["items"]
    award = next(i for i in items if i["clause"] == "一/（一）" and i["amount_max_yuan"] == 500000)
    assert award["doc_number"] == "青政办发〔2026〕8号" and award["benefit_kind"] == "award"
    assert award["departments"] == ["市工业和信息化局", "市财政局"] and award["per"] == "once"
    doc = next(d for d in data["documents"] if d["doc_number"] == "青政办发〔2026〕8号")
    assert doc["body"][award["start"] : award["end"]] == award["quote"]
    rate = next(i for i in items if i["rate"] == 0.1)
    assert rate["amount_max_yuan"] == 2000000 and rate["clause"] == "二"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件为空"),
        (bytes(range(256)) * 20, "二进制文件"),
        ("这是一段普通文字，没有公文。\n".encode("gb18030"), "没有找到可识别的公文"),
    ],
    ids=["empty", "binary", "gb18030-without-document"],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for command in (["extract", str(bad), "--json"], ["ingest", str(bad)]):
        result = zct(*command, env={"ZCT_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
        assert result.returncode == 2
        assert expected in result.stderr and "bad.txt" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_and_directory(tmp_path):
    assert "文件不存在" in zct("extract", str(tmp_path / "nope.txt")).stderr
    result = zct("extract", str(tmp_path))
    assert result.returncode == 2 and "目录" in result.stderr


def test_ingest_is_idempotent_and_docs_list_shows_status(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    first = zct("ingest", str(sample_path()), env=env)
    assert first.returncode == 0, first.stderr
    assert "新增 9 篇" in first.stdout
    again = zct("ingest", str(sample_path()), env=env)
    assert again.returncode == 0 and "已入库，未改变" in again.stdout
    listing = zct("docs", "list", "--valid-on", "2026-03-20", "--json", env=env)
    data = json.loads(listing.stdout)
    assert data["total"] == 9
    status = {d["uid"]: d["status"] for d in data["items"]}
    assert status["青政发-2026-11"] == "未生效" and status["青政字-2026-4"] == "现行有效"
    later = json.loads(zct("docs", "list", "--valid-on", "2031-04-01", "--json", env=env).stdout)
    assert {d["uid"]: d["status"] for d in later["items"]}["青政发-2026-11"] == "已失效"
    table = zct("docs", "list", "--valid-on", "2026-03-20", env=env)
    assert table.returncode == 0 and "未生效" in table.stdout
    shown = json.loads(zct("docs", "show", "青政任-2026-4", "--json", env=env).stdout)
    assert shown["title"] == "关于任命周若溪职务的通知"
    assert zct("docs", "show", "nope", env=env).returncode == 2
    assert zct("docs", "list", "--valid-on", "2026-13-01", env=env).returncode == 2


def test_a_bad_file_in_a_batch_leaves_the_database_unchanged(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = zct("ingest", str(sample_path()), str(sample_path(SINGLE_NOTICE)), str(bad), env=env)
    assert result.returncode == 2 and "broken.txt" in result.stderr
    listing = json.loads(zct("docs", "list", "--json", env=env).stdout)
    assert listing["total"] == 0


def test_db_upgrade_and_check(database_url):
    env = {"ZCT_DATABASE_URL": database_url}
    assert zct("db", "upgrade", env=env).returncode == 0
    check = zct("db", "check", env=env)
    assert check.returncode == 0 and "一致" in check.stdout


def test_demo_without_serving_ingests_the_sample(tmp_path):
    env = {"ZCT_DATA_DIR": str(tmp_path / "data"), "ZCT_DATABASE_URL": ""}
    result = zct("demo", "--no-serve", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "zhengcetong.db").exists()
    assert (tmp_path / "data" / "qinghe_2026_03.txt").read_bytes() == Path(sample_path()).read_bytes()
    assert "新增 9 篇" in result.stdout
    assert "已入库，未改变" in zct("demo", "--no-serve", env=env).stdout
