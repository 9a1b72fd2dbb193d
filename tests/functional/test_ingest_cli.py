"""The zct command end to end, in a subprocess as a user runs it, on a real database (ZCT_DATABASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from zhengcetong.samples import SINGLE_NOTICE, sample_path

ZCT = [sys.executable, "-m", "zhengcetong.cli"]


def zct(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ZCT, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


def row_counts(url: str) -> dict[str, int]:
    """Rows per table of the library (every table the models declare)."""
    from sqlalchemy import func, select

    import zhengcetong.library.models  # noqa: F401  (registers the tables)
    from zhengcetong.db.base import Base
    from zhengcetong.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: conn.scalar(select(func.count()).select_from(table))
                for name, table in Base.metadata.tables.items()
            }
    finally:
        engine.dispose()


def test_extract_json_is_the_documented_format():
    result = zct("extract", str(sample_path()), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["issue"] == "2026年第3期"
    assert [d["doc_number"] for d in data["documents"]][:2] == ["青政发〔2026〕11号", "青政发〔2026〕12号"]
    assert {"title", "doc_number", "page"} <= set(data["toc"][0])
    first = data["documents"][0]
    assert first["date"] == "2026-02-10" and first["effective_until"] == "2031-03-31"
    assert first["clauses"][2]["path"] == "第一章"
    items = data["items"]
    award = next(i for i in items if i["clause"] == "一/（一）" and i["amount_max_yuan"] == 500000)
    assert award["doc_number"] == "青政办发〔2026〕8号" and award["benefit_kind"] == "award"
    doc = next(d for d in data["documents"] if d["doc_number"] == "青政办发〔2026〕8号")
    assert doc["body"][award["start"] : award["end"]] == award["quote"]


def test_ingest_then_reingest_is_a_no_op(database_url):
    env = {"ZCT_DATABASE_URL": database_url}
    first = zct("ingest", str(sample_path()), env=env)
    assert first.returncode == 0, first.stderr
    assert f"{sample_path()}：新增 9 篇" in first.stdout
    assert "解析" in first.stderr and "qinghe_2026_03.txt" in first.stderr  # the progress bar
    counts = row_counts(database_url)
    assert counts["document"] == 9 and counts["gazette"] == 1 and counts["clause"] > 100
    again = zct("ingest", str(sample_path()), env=env)
    assert again.returncode == 0 and f"{sample_path()}：已入库，未改变" in again.stdout
    assert row_counts(database_url) == counts


def test_docs_list_and_show_give_the_status_on_a_date(database_url):
    env = {"ZCT_DATABASE_URL": database_url}
    assert zct("ingest", str(sample_path()), env=env).returncode == 0
    table = zct("docs", "list", "--valid-on", "2026-03-20", env=env)
    assert table.returncode == 0, table.stderr
    assert "未生效" in table.stdout and "现行有效" in table.stdout and "2026-03-20" in table.stdout
    assert "关于印发青禾市科技创新券管理办法的通知" in table.stdout  # whole titles, even when piped
    data = json.loads(zct("docs", "list", "--valid-on", "2026-03-20", "--json", env=env).stdout)
    assert data["total"] == 9 and data["valid_on"] == "2026-03-20"
    status = {d["uid"]: d["status"] for d in data["items"]}
    assert status["青政发-2026-11"] == "未生效" and status["青政字-2026-4"] == "现行有效"
    later = json.loads(zct("docs", "list", "--valid-on", "2031-04-01", "--json", env=env).stdout)
    assert {d["uid"]: d["status"] for d in later["items"]}["青政发-2026-11"] == "已失效"
    valid = json.loads(
        zct("docs", "list", "--valid-on", "2026-03-20", "--only-valid", "--json", env=env).stdout
    )
    assert "青政发-2026-11" not in {d["uid"] for d in valid["items"]} and valid["total"] < 9
    appointments = json.loads(zct("docs", "list", "--kind", "appointment", "--json", env=env).stdout)
    assert {d["uid"] for d in appointments["items"]} == {"青政任-2026-3", "青政任-2026-4"}
    shown = json.loads(zct("docs", "show", "青政任-2026-4", "--json", env=env).stdout)
    assert shown["title"] == "关于任命周若溪职务的通知"
    text = zct("docs", "show", "青政任-2026-4", env=env)
    assert (
        text.returncode == 0
        and "关于任命周若溪职务的通知" in text.stdout
        and "青政任〔2026〕4号" in text.stdout
    )
    missing = zct("docs", "show", "nope", env=env)
    assert missing.returncode == 2 and "nope" in missing.stderr and "Traceback" not in missing.stderr
    assert zct("docs", "list", "--valid-on", "2026-13-01", env=env).returncode == 2


def test_a_bad_file_in_a_batch_leaves_the_database_unchanged(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    result = zct("ingest", str(sample_path()), str(bad), env=env)
    assert result.returncode == 2 and "broken.txt" in result.stderr and "全部文件均未写入" in result.stderr
    assert "Traceback" not in result.stderr
    assert zct("ingest", str(sample_path()), env=env).returncode == 0
    before = row_counts(database_url)
    # the second file fails after the first (new) one parsed fine: neither is written
    result = zct("ingest", str(sample_path(SINGLE_NOTICE)), str(bad), env=env)
    assert result.returncode == 2 and f"{bad}:1" in result.stderr
    assert row_counts(database_url) == before
    listing = json.loads(zct("docs", "list", "--json", env=env).stdout)
    assert listing["total"] == 9


def test_a_bare_document_number_is_refused_and_the_real_document_then_ingested(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    bare = tmp_path / "bare.txt"
    bare.write_text("青政发〔2026〕3号\n", encoding="utf-8")
    result = zct("ingest", str(bare), env=env)
    assert result.returncode == 2 and f"{bare}:1" in result.stderr and "没有找到可识别的公文" in result.stderr
    assert "Traceback" not in result.stderr
    real = tmp_path / "real.txt"
    real.write_text(
        "青禾市人民政府文件\n青政发〔2026〕3号\n青禾市人民政府 关于做好春耕生产工作的通知\n"
        "各县（市、区）人民政府：\n现就做好春耕生产工作通知如下。\n青禾市人民政府\n2026年2月3日\n",
        encoding="utf-8",
    )
    result = zct("ingest", str(real), env=env)
    assert result.returncode == 0, result.stderr
    assert "新增 1 篇" in result.stdout and "已在库中" not in result.stdout
    listing = json.loads(zct("docs", "list", "--json", env=env).stdout)
    assert [(d["doc_number"], d["title"]) for d in listing["items"]] == [
        ("青政发〔2026〕3号", "关于做好春耕生产工作的通知")
    ]


def test_db_upgrade_and_check(database_url):
    env = {"ZCT_DATABASE_URL": database_url}
    upgraded = zct("db", "upgrade", env=env)
    assert upgraded.returncode == 0 and "最新版本" in upgraded.stdout
    # SQLite: the search top lists are built by the upgrade, not by the first write after it.
    assert ("候选表" in upgraded.stdout) == database_url.startswith("sqlite")
    again = zct("db", "upgrade", env=env)
    assert again.returncode == 0 and "候选表" not in again.stdout  # already in step: nothing to build
    check = zct("db", "check", env=env)
    assert check.returncode == 0 and "一致" in check.stdout


def test_demo_without_serving_ingests_the_sample_once(tmp_path):
    env = {"ZCT_DATA_DIR": str(tmp_path / "data"), "ZCT_DATABASE_URL": ""}
    result = zct("demo", "--no-serve", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "zhengcetong.db").exists()
    assert (tmp_path / "data" / "qinghe_2026_03.txt").read_bytes() == Path(sample_path()).read_bytes()
    assert "新增 9 篇" in result.stdout and "http://127.0.0.1:8000/" in result.stdout
    assert "发布了示例公报的 9 项政策事项" in result.stdout  # the demo portal has items to show
    again = zct("demo", "--no-serve", env=env)
    assert again.returncode == 0 and "已入库，未改变" in again.stdout and "发布了" not in again.stdout
