"""Importing profiles from JSON, JSON Lines, CSV and XLSX: every problem with file, row and column; all or
nothing; duplicates; counts."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from zhengcetong.errors import InputError
from zhengcetong.match import profile_import, profiles

A = "91330100799655058B"
B = "91350100M000100Y43"
C = "91440300708461136T"
REC = '[{"name": "高新技术企业", "level": "national", "year": 2025}]'


def write_csv(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def run(db_session, *paths, source="staff", max_bytes=None):
    return profile_import.import_files(
        db_session=db_session, paths=[str(p) for p in paths], source=source, actor="cli", max_bytes=max_bytes
    )


def test_csv_columns_become_the_document(db_session, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["name", "credit_code", "region", "scale", "employees", "industries"]
        + ["revenue_yuan.2024", "revenue_yuan.2025", "recognitions"]
    )
    writer.writerow(
        [
            "甲公司",
            A.lower(),
            "青禾高新区",
            "中型",
            "420",
            "电子信息制造业、软件业",
            "1,460,000,000",
            "560000000",
            REC,
        ]
    )
    writer.writerow(["乙公司", B, "", "", "", "", "", "", ""])
    path = write_csv(tmp_path / "a.csv", out.getvalue())
    report = run(db_session, path)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    a = profiles.get(db_session=db_session, credit_code=A)
    assert a.profile == {
        "name": "甲公司",
        "credit_code": A,
        "region": "青禾高新区",
        "scale": "中型",
        "employees": 420,
        "industries": ["电子信息制造业", "软件业"],
        "revenue_yuan": {"2024": 1460000000, "2025": 560000000},
        "recognitions": [{"name": "高新技术企业", "level": "national", "year": 2025}],
    }
    assert profiles.get(db_session=db_session, credit_code=B).profile == {"name": "乙公司", "credit_code": B}


def test_gb18030_csv_with_chinese_headers(db_session, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", f"企业名称,统一社会信用代码,从业人数\n甲公司,{A},12\n", "gb18030")
    run(db_session, path)
    assert profiles.get(db_session=db_session, credit_code=A).profile["employees"] == 12


def test_reimport_updates_and_counts_unchanged(db_session, tmp_path):
    first = write_csv(tmp_path / "1.csv", f"name,credit_code,employees\n甲,{A},1\n乙,{B},2\n")
    run(db_session, first)
    second = tmp_path / "2.jsonl"
    second.write_text(
        json.dumps({"credit_code": A, "employees": 5})
        + "\n\n"
        + json.dumps({"credit_code": B, "employees": 2}),
        encoding="utf-8",
    )
    report = run(db_session, second, source="exchange")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    a = profiles.get(db_session=db_session, credit_code=A)
    assert a.profile["name"] == "甲" and a.version == 2  # fields a row leaves out are kept
    assert a.provenance["employees"]["source"] == "exchange" and a.provenance["name"]["source"] == "staff"


def test_json_object_or_list(db_session, tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"name": "甲", "credit_code": A}, ensure_ascii=False), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"name": "乙", "credit_code": B}, {"name": "丙", "credit_code": C}]), "utf-8")
    assert run(db_session, one, many).created == 3


def test_every_bad_value_is_reported_with_file_row_and_column_and_nothing_is_written(db_session, tmp_path):
    good = write_csv(tmp_path / "good.csv", f"name,credit_code\n甲,{C}\n")
    bad = write_csv(
        tmp_path / "bad.csv",
        "name,credit_code,scale,employees,revenue_yuan.2025,projects\n"
        f"甲,{A},巨型,4.5,,\n"
        f",{B},,,很多,[{{\n"
        f"丙,91330100799655058C,,,,\n",
    )
    with pytest.raises(profile_import.ImportProblems) as caught:
        run(db_session, good, bad)
    lines = caught.value.lines
    assert f"{bad} 第 2 行，列 scale：企业规模：应为" in lines[0]
    assert lines[1].startswith(f"{bad} 第 2 行，列 employees：") and "应为整数" in lines[1]
    assert any(line.startswith(f"{bad} 第 3 行，列 projects：不是有效的 JSON") for line in lines)
    assert not any(
        "第 3 行，列 revenue" in line for line in lines
    )  # a row with an unreadable cell stops there
    assert any(
        line.startswith(f"{bad} 第 4 行，列 credit_code：统一社会信用代码校验码错误") for line in lines
    )
    assert "未写入任何内容" in str(caught.value)
    db_session.rollback()
    assert profiles.list_enterprises(db_session=db_session)[1] == 0  # the good file was not written either


def test_missing_name_and_bad_by_year_name_the_column(db_session, tmp_path):
    bad = write_csv(tmp_path / "b.csv", f"name,credit_code,revenue_yuan.2025\n,{B},很多\n")
    with pytest.raises(profile_import.ImportProblems) as caught:
        run(db_session, bad)
    assert sorted(caught.value.lines) == sorted(
        [
            f"{bad} 第 2 行，列 revenue_yuan.2025：应为数值，实际为 '很多'",
            f"{bad} 第 2 行，列 name：缺少企业名称",
        ]
    )


def test_xlsx_reports_column_letters(db_session, tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["name", "credit_code", "employees", "mu_efficiency_grade", "revenue_yuan.2025"],
            ["甲公司", A, 420, "B", 560000000],
            [None, None, None, None, None],
            ["乙公司", B, "很多", "E", None],
        ],
    )
    with pytest.raises(profile_import.ImportProblems) as caught:
        run(db_session, path)
    assert [line.split("：")[0] for line in caught.value.lines] == [
        f"{path} 第 4 行，列 C（employees）",
        f"{path} 第 4 行，列 D（mu_efficiency_grade）",
    ]
    db_session.rollback()
    fixed = write_xlsx(tmp_path / "b.xlsx", [["name", "credit_code", "employees"], ["甲公司", A, 420.0]])
    assert run(db_session, fixed).created == 1
    assert profiles.get(db_session=db_session, credit_code=A).profile["employees"] == 420


def test_duplicate_codes_name_both_rows(db_session, tmp_path):
    one = write_csv(tmp_path / "1.csv", f"name,credit_code\n甲,{A}\n")
    two = tmp_path / "2.jsonl"
    two.write_text(json.dumps({"name": "乙", "credit_code": A.lower()}) + "\n", encoding="utf-8")
    with pytest.raises(profile_import.ImportProblems) as caught:
        run(db_session, one, two)
    assert caught.value.lines == [f"{two} 第 1 行：统一社会信用代码 {A} 与 {one} 第 2 行重复"]


def test_headers_size_and_types_are_checked_before_anything(db_session, tmp_path):
    bad_header = write_csv(tmp_path / "h.csv", "name,credit_cod,revenue_yuan\n")
    with pytest.raises(profile_import.ImportProblems) as caught:
        run(db_session, bad_header)
    text = "\n".join(caught.value.lines)
    assert "不认识的列名“credit_cod”，是否应为 “credit_code”？" in text
    assert "revenue_yuan.2025" in text and "缺少 credit_code" in text
    big = write_csv(tmp_path / "big.csv", "name,credit_code\n" + "甲,x\n" * 100)
    with pytest.raises(InputError, match="超过上限"):
        run(db_session, big, max_bytes=100)
    with pytest.raises(InputError, match="不认识的文件类型"):
        run(db_session, tmp_path / "a.txt")
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 JSON"):
        run(db_session, broken)
    not_xlsx = write_csv(tmp_path / "x.xlsx", "name")
    with pytest.raises(InputError, match="不是有效的 .xlsx"):
        run(db_session, not_xlsx)
