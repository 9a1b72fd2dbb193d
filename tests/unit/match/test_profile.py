"""Fact paths, resolution on a date, and profile checking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhengcetong.match.errors import FactError
from zhengcetong.match.profile import (
    MISSING,
    CountRange,
    Facts,
    check_path,
    check_profile,
    fact_label,
    generic,
    locations,
    parse_path,
    resolve,
    validate_profile,
)

ON = date(2026, 5, 1)
PROFILE = {
    "name": "青禾示例电子有限公司",
    "founded": "2018-07-20",
    "revenue": {"2024": 180000000, 2025: 230000000},
    "recognitions": [
        {"name": "专精特新中小企业", "level": "provincial", "year": 2025, "first_time": True},
        {"name": "高新技术企业", "level": "national", "year": 2024},
    ],
    "projects": [
        {"kind": "技术改造", "investment": 6000000, "equipment_cost": 3000000},
        {"kind": "设备更新", "equipment_cost": 1000000},
        {"kind": "设备更新", "equipment_cost": 500000},
    ],
    "persons": [
        {"name": "甲", "role": "博士后", "birth_date": "1992-03-10", "monthly_salary": 18000},
        {"name": "乙", "role": "博士后"},
        {"name": "丙", "role": "高校毕业生", "birth_date": date(2001, 6, 30), "monthly_salary": 6000},
    ],
}


def get(path: str, profile=PROFILE, on=ON):
    return resolve(parse_path(path), profile, on)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("name", ("青禾示例电子有限公司", ())),
        ("revenue.2024", (180000000, ())),
        ("revenue.2025", (230000000, ())),  # integer year keys (YAML) work too
        ("revenue.last_year", (230000000, ())),
        ("revenue.year_before_last", (180000000, ())),
        ("revenue.this_year", (MISSING, ("revenue.2026",))),
        ("revenue.year-3", (MISSING, ("revenue.2023",))),
        ("years_established", (7, ())),
        ("recognitions.count", (2, ())),
        ("recognitions[level=national].count", (1, ())),
        ("recognitions[level!=national].count", (1, ())),
        ("projects[kind=技术改造].equipment_cost", (3000000, ())),
        ("projects[kind=设备更新].equipment_cost", (Decimal(1500000), ())),  # several numbers add up
        (
            "projects[kind=绿色化改造].equipment_cost",
            (MISSING, ("projects[kind=绿色化改造]",)),
        ),  # no such project
        ("projects.sum(equipment_cost)", (Decimal(4500000), ())),
        ("persons[role=博士后].count", (2, ())),
        ("persons[role=高校毕业生].monthly_salary", (6000, ())),
        ("persons.max(monthly_salary)", (MISSING, ("persons[1].monthly_salary",))),
        ("persons[role=博士后].monthly_salary", (MISSING, ("persons[1].monthly_salary",))),
        ("persons[role=高校毕业生].age", (24, ())),
        ("persons[role=博士后].age", (MISSING, ("persons[1].birth_date",))),
        ("mu_chan_grade", (MISSING, ("mu_chan_grade",))),
        ("rd_expense.last_year", (MISSING, ("rd_expense.2025",))),
        ("extra.anything", (MISSING, ("extra",))),
    ],
)
def test_resolve(path, expected):
    assert get(path) == expected


def test_selector_on_a_field_some_element_lacks_is_unknown():
    profile = {"recognitions": [{"name": "A", "level": "national"}, {"name": "B"}]}
    assert get("recognitions[level=national].count", profile) == (
        CountRange(1, 2),
        ("recognitions[1].level",),
    )
    profile = {"recognitions": [{"name": "A"}, {"name": "B"}]}
    assert get("recognitions[level=national].count", profile) == (
        CountRange(0, 2),
        ("recognitions[0].level", "recognitions[1].level"),
    )
    # a second selector can rule an element out even when the first cannot tell
    profile = {"recognitions": [{"level": "national", "first_time": True}, {"first_time": False}]}
    assert get("recognitions[level=national][first_time=true].count", profile) == (1, ())
    # a field of the selection needs the unknown selectors settled, and the field of every candidate
    profile = {"projects": [{"kind": "技术改造", "equipment_cost": 5}, {"equipment_cost": 7}, {}]}
    assert get("projects[kind=技术改造].equipment_cost", profile) == (
        MISSING,
        ("projects[1].kind", "projects[2].kind", "projects[2].equipment_cost"),
    )


def test_selectors_compare_numbers_and_booleans():
    assert get("recognitions[year=2025].count") == (1, ())
    assert get("recognitions[first_time=true].count") == (CountRange(1, 2), ("recognitions[1].first_time",))
    flags = {"recognitions": [{"first_time": True}, {"first_time": False}, {"first_time": True}]}
    assert get("recognitions[first_time=true].count", flags) == (2, ())
    assert get("recognitions[first_time!=true].count", flags) == (1, ())


def test_empty_list_is_known():
    assert get("recognitions.count", {"recognitions": []}) == (0, ())
    assert get("projects.sum(equipment_cost)", {"projects": []}) == (0, ())


def test_age_is_in_full_years_at_the_evaluation_date():
    profile = {"persons": [{"birth_date": "1990-07-01"}]}
    assert get("persons.max(age)", profile, date(2026, 6, 30)) == (Decimal(35), ())
    assert get("persons.max(age)", profile, date(2026, 7, 1)) == (Decimal(36), ())


def test_facts_caches_per_profile_and_date():
    facts = Facts(PROFILE, ON)
    path = parse_path("revenue.last_year")
    assert facts.get(path) == (230000000, ())
    assert facts.get(path) is facts.get(path)


def test_unknown_fact_names_suggest_the_closest():
    with pytest.raises(FactError) as exc:
        check_path("recognition[level=national].count")
    assert "recognitions" in str(exc.value)
    with pytest.raises(FactError, match="persons 没有|has no field 'rol'"):
        check_path("persons[rol=博士后].count")
    with pytest.raises(FactError, match="did you mean 'monthly_salary'"):
        check_path("persons.sum(monthly_salery)")


@pytest.mark.parametrize(
    "path",
    [
        "revenue.twenty",
        "region.foo",
        "persons[role]",
        "1revenue",
        "revenue..2025",
        "recognitions.sum(name)",
        "",
    ],
)
def test_malformed_paths_are_rejected(path):
    with pytest.raises(FactError):
        check_path(path)


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("revenue.2025", "2025年度营业收入"),
        ("revenue.last_year", "上一年度营业收入"),
        ("revenue_growth.year_before_last", "上上年度营业收入增幅"),
        ("recognitions[level=national].count", "企业获得的认定（级别为国家级）数量"),
        ("recognitions[first_time=true].count", "企业获得的认定（首次获得）数量"),
        ("projects[kind=技术改造].equipment_cost", "项目（项目类型为技术改造）的设备（含软件）购置金额"),
        ("persons.sum(monthly_salary)", "人员月工资合计"),
        ("extra.registered_in_city", "extra.registered_in_city"),
    ],
)
def test_labels(path, label):
    assert check_path(path).label == label


def test_units_follow_the_schema():
    assert check_path("revenue.2025").unit == "yuan"
    assert check_path("persons[role=博士后].count").unit == "person"
    assert check_path("recognitions.count").unit == "count"


def test_fact_label_names_missing_locations():
    assert fact_label("insurance[0].insured_amount") == "保险第1笔的投保金额"
    assert fact_label("founded") == "成立日期"
    assert fact_label("no_such_fact") == "no_such_fact"


def test_locations_and_generic():
    assert generic("persons[12].birth_date") == "persons[].birth_date"
    assert locations("years_established") == {"years_established", "founded"}
    assert locations("persons.sum(monthly_salary)") == {"persons", "persons[].monthly_salary"}
    assert locations("persons[role=博士后].count") == {"persons", "persons[].role", "persons[role=博士后]"}
    assert "revenue.year-1" in locations("revenue.last_year")


def test_check_profile_finds_typos_and_wrong_types():
    problems = check_profile(
        {
            "reveune": {"2025": 1},
            "employees": "many",
            "mu_chan_grade": "E",
            "revenue": {"25": 3, "2025": "lots"},
            "recognitions": [{"name": "x", "levle": "national", "first_time": "yes"}],
            "founded": "not a date",
            "industries": "软件业",
            "extra": {"anything": 1},
            "_comment": "ignored",
        }
    )
    text = "\n".join(str(p) for p in problems)
    assert "did you mean 'revenue'" in text
    assert "$.employees" in text and "应为整数" in text
    assert "$.mu_chan_grade" in text
    assert "$.revenue.25" in text and "$.revenue.2025" in text
    assert "did you mean 'level'" in text
    assert "$.recognitions[0].first_time" in text
    assert "$.founded" in text
    assert "$.industries" in text
    assert len(problems) == 9


def test_validate_profile():
    assert validate_profile(PROFILE) is PROFILE
    with pytest.raises(FactError, match="企业画像事实有误"):
        validate_profile({"revnue": {}})
    assert check_profile([]) and check_profile({}) == []


@pytest.mark.parametrize(
    "profile",
    [
        {"revenue": {"2025": float("nan")}},
        {"revenue": {"2025": float("inf")}},
        {"revenue": {"2025": "1e30"}},
        {"projects": [{"kind": "技术改造", "equipment_cost": 1e400}]},
        {"employees": 10**20},
    ],
)
def test_numbers_no_enterprise_can_have_are_refused(profile):
    """Infinite, NaN or absurdly large figures are input errors, never an overflow inside a formula."""
    (problem,) = check_profile(profile)
    assert "应为" in str(problem) or "超出合理范围" in str(problem)


def test_only_amounts_add_up_across_matching_elements():
    """Two 设备更新 projects: their costs add up, their years do not (2026 + 2026 is no year)."""
    same_year = {"projects": [{"kind": "设备更新", "equipment_cost": 100, "year": 2026}] * 2}
    assert get("projects[kind=设备更新].equipment_cost", same_year) == (Decimal(200), ())
    assert get("projects[kind=设备更新].year", same_year) == (2026, ())
    two_years = {"projects": [{"kind": "设备更新", "year": 2025}, {"kind": "设备更新", "year": 2026}]}
    assert get("projects[kind=设备更新].year", two_years) == ([2025, 2026], ())
