"""The structured rule editor: condition rows from the fact vocabulary and the amount fields give the same
rule data as the JSON of the expert mode, checked by the same rules; errors sit at their row."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select

from tests.functional.forms import form_fields
from tests.functional.test_staff import build_staff_site, login
from zhengcetong.config import Settings
from zhengcetong.db.engine import make_engine, session_scope
from zhengcetong.library import AuditEvent, PolicyItem
from zhengcetong.match import service as match_service
from zhengcetong.web import create_app

ON = date(2026, 5, 1)


@pytest.fixture
def editor_site(prepared_library):
    url = prepared_library("staff", build_staff_site)
    with TestClient(create_app(Settings(database_url=url))) as client:
        login(client, "wang")
        yield client, url


def _item(url, **where):
    """(id, version, conditions, formula, amount_max_yuan) of the item matching ``where``."""
    engine = make_engine(url)
    with session_scope(engine) as session:
        query = select(PolicyItem)
        for name, value in where.items():
            query = query.where(getattr(PolicyItem, name) == value)
        item = session.scalars(query).one()
        row = (item.id, item.version, item.conditions, item.formula, item.amount_max_yuan)
    engine.dispose()
    return row


def _calculate(url, item_id, profile):
    engine = make_engine(url)
    with session_scope(engine) as session:
        result = match_service.calculate(
            db_session=session, item_ref=item_id, profile=profile, on=ON
        ).to_dict()
    engine.dispose()
    return result["eligible"], result["amount"], result["steps"]


def _editor(client, item_id):
    """The item page and its edit form as a browser without JavaScript would submit it."""
    page = client.get(f"/staff/items/{item_id}").text
    return page, form_fields(page, f'action="/staff/items/{item_id}#item-{item_id}"')


def test_the_editor_shows_the_rule_as_rows_and_fields(editor_site):
    client, url = editor_site
    item_id, *_ = _item(url, clause_path="二")  # 10% of the equipment, 最高200万元
    page, form = _editor(client, item_id)
    assert form["editor"] == "structured"  # the default, JSON is the expert's choice
    assert (form["cond-0-fact"], form["cond-0-op"], form["cond-0-value"]) == (
        "projects[].kind",
        "==",
        "设备更新",
    )
    assert (form["cond-1-fact"], form["cond-1-value"], form["cond-1-label"]) == (
        "recognitions[].name",
        "专精特新",
        "专精特新企业",
    )
    assert [form[f"cond-{i}-fact"] for i in (2, 3, 4)] == [
        "",
        "",
        "",
    ]  # blank rows to add conditions without JS
    assert (form["amt-mode"], form["rate"], form["amt-base"], form["cap_yuan"]) == (
        "ceiling",
        "0.1",
        "project.equipment_cost",
        "2000000",
    )
    assert (
        '<optgroup label="企业获得的认定">' in page
        and '<option value="revenue.last_year">营业收入（上一年度）</option>' in page
    )
    assert "专家模式（JSON）" in page and 'name="conditions"' in page
    giant, *_ = _item(url, clause_path="一/（一）", amount_max_yuan=500000)  # 首次认定为国家级“小巨人”
    page, form = _editor(client, giant)
    assert "企业获得的认定中的同一项，以下各行同时满足：" in page
    assert [form[f"cond-{i}-group"] for i in range(3)] == ["0", "0", "0"]
    assert (form["cond-1-fact"], form["cond-1-value"]) == ("recognitions[].level", "national")
    assert '<option value="national" selected>国家级</option>' in page
    assert 'src="/static/rule_editor.js' in page


def test_saving_the_unchanged_form_changes_nothing(editor_site):
    client, url = editor_site
    for where in ({"clause_path": "二"}, {"clause_path": "三"}, {"clause_path": "二/（二）/2"}):
        item_id, version, conditions, formula, _ = _item(url, **where)
        _, form = _editor(client, item_id)
        response = client.post(f"/staff/items/{item_id}", data=form, follow_redirects=False)
        assert response.status_code == 303, response.text[-2000:]
        assert _item(url, **where)[1:4] == (version, conditions, formula)  # no new version: the same rule


def test_the_structured_form_gives_the_rule_the_json_would_and_it_calculates_alike(editor_site):
    client, url = editor_site
    where = {"clause_path": "一/（二）", "amount_max_yuan": 80000}  # 营业收入≥1亿元的专精特新企业研发补助
    item_id, version, *_ = _item(url, **where)
    _, form = _editor(client, item_id)
    form.update(
        {
            "cond-0-value": "200,000,000",  # 2亿元 now
            "cond-2-fact": "employees",  # a blank row filled in
            "cond-2-op": ">=",
            "cond-2-value": "50",
            "cond-2-label": "从业人数50人以上",
            "cond-3-fact": "scale",
            "cond-3-op": "in",
            "cond-3-value": "中型、小型",
            "amt-mode": "fixed",  # 给予6万元, not 最高
            "amount_max_yuan": "60000",
            "note": "结构化编辑",
        }
    )
    saved = client.post(f"/staff/items/{item_id}", data=form, follow_redirects=False)
    assert (
        saved.status_code == 303
        and saved.headers["location"] == f"/staff/items/{item_id}?saved={item_id}#item-{item_id}"
    )
    expected_conditions = {
        "all": [
            {
                "fact": "revenue.last_year",
                "op": ">=",
                "value": 200000000,
                "label": "上一年度营业收入超过1亿元",
            },
            {
                "has": "recognitions",
                "where": {"fact": "name", "op": "contains", "value": "专精特新"},
                "label": "专精特新企业",
            },
            {"fact": "employees", "op": ">=", "value": 50, "label": "从业人数50人以上"},
            {"fact": "scale", "op": "in", "value": ["中型", "小型"]},
        ]
    }
    item_id, new_version, conditions, formula, amount = _item(
        url, **{"clause_path": "一/（二）", "amount_max_yuan": 60000}
    )
    assert (new_version, conditions, formula, amount) == (
        version + 1,
        expected_conditions,
        {"const": "60000"},
        60000,
    )
    engine = make_engine(url)
    with session_scope(engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "item.edit")).one()
        assert event.actor == "user:wang" and {"conditions", "formula", "amount_max_yuan"} <= set(
            event.data["changed"]
        )
    engine.dispose()

    # The expert mode's JSON of the same rule is the same rule: saving it makes no new version.
    page, form = _editor(client, item_id)
    as_json = {
        **form,
        "editor": "json",
        "conditions": json.dumps(expected_conditions, ensure_ascii=False),
        "formula": '{"const": "60000"}',
    }
    assert client.post(f"/staff/items/{item_id}", data=as_json, follow_redirects=False).status_code == 303
    assert _item(url, id=item_id)[1:3] == (new_version, expected_conditions)
    profile = {
        "revenue": {"2025": 250000000},
        "employees": 60,
        "scale": "中型",
        "recognitions": [{"name": "专精特新中小企业"}],
    }
    eligible, amount, steps = _calculate(url, item_id, profile)
    assert (eligible, amount) == ("eligible", "60000.00")
    assert not any("最高" in s for s in steps)  # a fixed amount, not a ceiling
    assert _calculate(url, item_id, {**profile, "employees": 20})[0] == "ineligible"


def test_per_person_per_month_and_a_rate_are_fields_too(editor_site):
    client, url = editor_site
    item_id, version, _, formula, _ = _item(url, clause_path="三")  # 每人每月3000元，最长36个月
    _, form = _editor(client, item_id)
    assert (form["amt-per"], form["amount_max_yuan"], form["months_max"], form["amt-mode"]) == (
        "person_month",
        "3000",
        "36",
        "fixed",
    )
    form.update({"months_max": "24", "amount_max_yuan": "2500"})
    assert client.post(f"/staff/items/{item_id}", data=form, follow_redirects=False).status_code == 303
    assert _item(url, id=item_id)[3] == {
        "per_person": {"per_month": "2500", "months": {"fact": "months"}, "max_months": 24},
        "persons": formula["persons"],  # still the persons the conditions are about (新引进全职博士)
    }
    assert formula["persons"]["count"] == "persons" and formula["persons"]["label"] == "新引进全职博士"
    item_id, *_ = _item(url, clause_path="二")
    _, form = _editor(client, item_id)
    form.update({"rate": "8%", "amt-base": "project.investment"})
    assert client.post(f"/staff/items/{item_id}", data=form, follow_redirects=False).status_code == 303
    assert _item(url, id=item_id)[3] == {
        "up_to": {"min": [{"*": ["0.08", {"fact": "project.investment"}]}, "2000000"]}
    }


def test_errors_are_said_in_chinese_at_the_offending_row_and_nothing_is_saved(editor_site):
    client, url = editor_site
    where = {"clause_path": "二"}
    before = _item(url, **where)
    item_id = before[0]
    _, form = _editor(client, item_id)
    form.update(
        {
            "cond-2-fact": "employees",
            "cond-2-op": ">=",
            "cond-2-value": "五十人",
            "cond-3-fact": "",
            "cond-3-value": "专精特新",
            "cond-4-fact": "in_industrial_park",
            "cond-4-op": "==",
            "cond-4-value": "",
            "cap_yuan": "两百万",
        }
    )
    response = client.post(f"/staff/items/{item_id}", data=form)
    assert response.status_code == 400
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'<div class="cond-row invalid"[^>]*id="c-\d+-(\d+)">(.*?)</div>', response.text, re.S
        )
    }
    assert set(rows) == {"2", "3", "4"}  # the good rows are not marked
    assert 'value="五十人"' in rows["2"] and "employees" in rows["2"] and 'role="alert"' in rows["2"]
    assert "请选择事实" in rows["3"] and 'value="专精特新"' in rows["3"]
    assert "请填写要比较的值" in rows["4"]
    assert "封顶金额应为非负数字" in response.text and 'value="两百万"' in response.text
    assert "规则未保存" in response.text
    assert (
        len(re.findall(r'<div class="cond-row[^"]*" data-row id="c-\d', response.text)) == 5 + 3
    )  # typed rows kept, 3 blank
    assert _item(url, **where) == before
    problems = match_service.rule_problems("conditions", {"fact": "employees", "op": ">=", "value": "五十人"})
    assert (
        problems and str(escape(problems[0].split("：", 1)[1])) in rows["2"]
    )  # the JSON path's own check, said at the row


def test_every_save_needs_the_csrf_token(editor_site):
    client, url = editor_site
    item_id, version, *_ = _item(url, clause_path="二")
    _, form = _editor(client, item_id)
    response = client.post(f"/staff/items/{item_id}", data={**form, "csrf": "forged", "amount_max_yuan": "1"})
    assert response.status_code == 403 and _item(url, id=item_id)[1] == version


def test_a_formula_the_fields_cannot_give_is_kept_and_edited_as_json(editor_site):
    client, url = editor_site
    item_id, *_ = _item(url, clause_path="一/（二）", amount_max_yuan=80000)
    graded = {
        "cases": [{"when": {"fact": "employees", "op": ">=", "value": 100}, "then": "80000"}],
        "else": "50000",
    }
    _, form = _editor(client, item_id)
    as_json = {**form, "editor": "json", "formula": json.dumps(graded)}
    assert client.post(f"/staff/items/{item_id}", data=as_json, follow_redirects=False).status_code == 303
    page, form = _editor(client, item_id)
    assert "amt-structured" not in form and json.loads(form["formula-kept"]) == graded
    assert "该公式不是由金额栏生成的，请在专家模式中修改" in page
    form.update(
        {"cond-2-fact": "employees", "cond-2-op": ">=", "cond-2-value": "10", "amount_max_yuan": "90000"}
    )
    assert client.post(f"/staff/items/{item_id}", data=form, follow_redirects=False).status_code == 303
    _, version, conditions, formula, amount = _item(url, id=item_id)
    assert formula == graded and amount == 90000  # the formula kept, the amount field as typed
    assert conditions["all"][-1] == {"fact": "employees", "op": ">=", "value": 10}
