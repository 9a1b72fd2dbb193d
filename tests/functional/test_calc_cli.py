"""``zct calc`` end to end in a subprocess, on SQLite and PostgreSQL, with the documented example profile."""

from __future__ import annotations

import json
from pathlib import Path

from tests.functional.test_ingest_cli import zct
from zhengcetong.samples import sample_path

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "profile_equipment.yaml"


def correct(url: str, key: str) -> None:
    """A reviewer corrects the published item (back to draft) and publishes it again: 第 2 版."""
    from sqlalchemy import select

    from zhengcetong.db.engine import make_engine, session_scope
    from zhengcetong.library import PolicyItem
    from zhengcetong.library import items as policy_items

    engine = make_engine(url)
    with session_scope(engine) as session:
        item = session.scalars(select(PolicyItem).where(PolicyItem.key == key)).one()
        policy_items.edit_item(
            db_session=session, item=item, changes={"time_limit_days": 20}, actor="user:wang"
        )
        policy_items.publish_items(db_session=session, items=[item], actor="user:wang")
    engine.dispose()


def test_calc_with_the_example_profile(database_url):
    env = {"ZCT_DATABASE_URL": database_url}
    assert zct("ingest", str(sample_path()), env=env).returncode == 0
    items = json.loads(zct("items", "list", "--json", env=env).stdout)["items"]
    award = next(i for i in items if i["clause"] == "一/（一）" and "省级" in i["name"])
    equipment = next(i for i in items if i["clause"] == "二" and i["rate"] == 0.1)

    text = zct("calc", "--item", award["key"], "--profile", str(EXAMPLE), "--on", "2026-05-01", env=env)
    assert text.returncode == 0, text.stderr
    assert "结论：符合" in text.stdout and "金额：最高 100,000 元" in text.stdout
    assert "满足：" in text.stdout and "依据：青政办发〔2026〕8号 一/（一）" in text.stdout

    assert zct("items", "publish", "--doc", "青政办发〔2026〕8号", env=env).returncode == 0
    published = json.loads(zct("items", "show", equipment["key"], "--json", env=env).stdout)
    assert published["version"] == 1  # extracted and published unchanged: 第 1 版
    correct(database_url, equipment["key"])
    data = json.loads(
        zct(
            "calc",
            "--item",
            equipment["key"],
            "--profile",
            str(EXAMPLE),
            "--on",
            "2026-05-01",
            "--json",
            env=env,
        ).stdout
    )
    assert data["amount"] == "350000.00" and data["version"] == 2 and data["warnings"] == []
    earlier = json.loads(
        zct(
            "calc", "--item", equipment["key"], "--profile", str(EXAMPLE), "--version", "1", "--json", env=env
        ).stdout
    )
    assert earlier["version"] == 1 and "按第 1 版规则计算（现行为第 2 版）" in earlier["warnings"]


def test_calc_errors_are_one_chinese_line(database_url, tmp_path):
    env = {"ZCT_DATABASE_URL": database_url}
    assert zct("ingest", str(sample_path()), env=env).returncode == 0
    bad = tmp_path / "画像.yaml"
    bad.write_text("revnue:\n  2025: 1\n", encoding="utf-8")
    result = zct("calc", "--item", "1", "--profile", str(bad), env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "画像.yaml: 企业画像有误：revnue：未知的事实名称“revnue”，是否应为 “revenue”？" in result.stderr


def test_the_readme_example_runs(database_url):
    readme = (EXAMPLE.parents[2] / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("zct calc --item "))
    args = line.split("#")[0].split()[1:]
    assert "docs/examples/profile_equipment.yaml" in args
    args[args.index("docs/examples/profile_equipment.yaml")] = str(EXAMPLE)
    env = {"ZCT_DATABASE_URL": database_url}
    assert zct("ingest", str(sample_path()), env=env).returncode == 0
    result = zct(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert "金额：最高 350,000 元" in result.stdout and "依据：青政办发〔2026〕8号 二" in result.stdout
