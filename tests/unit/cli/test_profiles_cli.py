"""``zct profiles import / show / list`` and ``zct users add --enterprise``."""

from __future__ import annotations

import io
import json
import sys

from argon2 import PasswordHasher

from tests.unit.cli.test_cli import run
from zhengcetong.library import users

A = "91330100799655058B"
B = "91350100M000100Y43"


def test_import_show_list_and_bind_an_account(database_url, tmp_path, monkeypatch, capsys):
    path = tmp_path / "e.csv"
    path.write_text(f"name,credit_code,region\n甲公司,{A},青禾高新区\n乙公司,{B},\n", encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "profiles", "import", str(path))
    assert code == 0, err
    assert "共 2 行：新增 2 份画像，更新 0 份，未改变 0 份" in out
    code, out, _ = run(monkeypatch, capsys, "profiles", "import", str(path), "--source", "exchange")
    assert "新增 0 份画像，更新 0 份，未改变 2 份" in out

    code, out, _ = run(monkeypatch, capsys, "profiles", "show", A.lower(), "--json")
    data = json.loads(out)
    assert data["document"]["region"] == "青禾高新区" and data["provenance"]["region"]["source"] == "staff"
    code, out, _ = run(monkeypatch, capsys, "profiles", "show", A)
    assert "青禾高新区" in out and "工作人员导入" in out
    code, out, _ = run(monkeypatch, capsys, "profiles", "list", "--json")
    assert json.loads(out)["total"] == 2
    code, out, _ = run(monkeypatch, capsys, "profiles", "list")
    assert "甲公司" in out and "乙公司" in out

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(users, "_hasher", lambda: cheap)
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    code, out, err = run(
        monkeypatch,
        capsys,
        "users",
        "add",
        "acme",
        "--role",
        "enterprise",
        "--enterprise",
        A,
        "--password-stdin",
    )
    assert code == 0, err
    assert f"代表 甲公司（{A}）" in out
    code, _, err = run(monkeypatch, capsys, "users", "add", "wang", "--enterprise", A, "--password-stdin")
    assert code == 2 and "--role enterprise" in err
    code, _, err = run(
        monkeypatch, capsys, "users", "add", "x", "--role", "enterprise", "--enterprise", "91440300708461136T"
    )
    assert code == 2 and "没有统一社会信用代码为" in err


def test_a_bad_import_exits_2_and_writes_nothing(database_url, tmp_path, monkeypatch, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{"name": "甲", "credit_code": A}]), encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"name,credit_code,scale\n乙,{B},巨型\n", encoding="utf-8")
    code, _, err = run(monkeypatch, capsys, "profiles", "import", str(good), str(bad))
    assert code == 2
    assert f"{bad} 第 2 行，列 scale：企业规模：应为" in err and "未写入任何内容" in err
    assert "Traceback" not in err
    code, out, _ = run(monkeypatch, capsys, "profiles", "list", "--json")
    assert json.loads(out)["total"] == 0
    code, _, err = run(monkeypatch, capsys, "profiles", "import", str(good), "--source", "enterprise")
    assert code == 2 and "来源" in err
