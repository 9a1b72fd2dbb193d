"""The structured rule editor of the staff console: an item's conditions and formula as form fields, and
the form fields back into the very same rule data.

Conditions are rows, one per part of the top-level ``all``: a fact of the vocabulary
(``vocabulary.fact_choices``), an operator and a value, with the policy's wording as its label. A part
the rows cannot show (``any``, ``not``, a claim, a value that is another fact…) is *kept*: shown in
words, carried verbatim, and deleted or kept as a whole (the JSON editor changes it). The amount is
the item's amount fields (给予 or 最高, amount, rate of a base, cap, 每人/每月…), turned into a formula
by ``amounts.formula_for``, the function extraction uses; a formula it cannot produce stays as it is.

Both directions are checked against each other: a part or a formula is offered as fields only when the
fields give it back exactly (:func:`form_of`), so saving an unchanged form changes nothing, and what a
form gives is checked by the same ``service.rule_problems`` as the JSON editor's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from zhengcetong import jsonsafe
from zhengcetong.decimals import plain
from zhengcetong.errors import InputError
from zhengcetong.library import items as policy_items
from zhengcetong.match import vocabulary
from zhengcetong.match.amounts import as_ceiling, fact_in, formula_for, is_ceiling
from zhengcetong.match.conditions import to_text
from zhengcetong.match.profile import FACTS, FactSpec

LEAF_EXTRAS = ("source", "note", "question")  # kept with a row as they were; ``label`` is a field
TOP_EXTRAS = ("label", "source", "note")
MAX_ROWS = 200  # condition rows a form may post; more is refused, never silently dropped
PERS = {"once": "一次性", "year": "每年", "month": "每月", "person": "每人", "person_month": "每人每月"}
MODES = {"fixed": "给予（固定金额）", "ceiling": "最高（不超过）"}
BASE_UNITS = ("yuan",)
_FIELD = re.compile(r"cond-(\d{1,3})-([a-z]+)")


@dataclass
class ConditionRow:
    """One condition as the form shows it: a fact, an operator and a value, or a kept part."""

    fact: str = ""
    op: str = "=="
    value: str = ""
    label: str = ""
    extra: str = ""  # JSON of the leaf's source, note and question, carried as they were
    kept: str = ""  # JSON of a part the fields cannot show, carried verbatim
    group: str = ""  # rows of one group are about the same element of a list ("the same recognition")
    title: str = ""  # on a group's first row: what the group is about, in words
    text: str = ""  # a kept part in words
    delete: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        """Whether nothing was typed into the row (it is left out)."""
        return not (self.kept or self.fact or self.value.strip() or self.label.strip())


@dataclass
class AmountForm:
    """The amount as fields (strings as typed)."""

    mode: str = "ceiling"
    amount: str = ""
    rate: str = ""
    base: str = ""
    cap: str = ""
    per: str = "once"
    months_max: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class RuleForm:
    """An item's rule as the structured editor shows it."""

    rows: list[ConditionRow]
    shape: str = "all"  # how the rows are joined: "all", or one "leaf"
    top: str = ""  # JSON of the top-level all's label/source/note
    amount: AmountForm | None = None  # None: the formula is beyond the fields (kept)
    formula_kept: str = ""  # JSON of a kept formula
    errors: list[str] = field(default_factory=list)  # problems of the rule as a whole


# --- choices for the form ------------------------------------------------------------------------


def _group_of(choice: str) -> str:
    head = re.split(r"[.\[]", choice, maxsplit=1)[0]
    spec = FACTS[head]
    if spec.type in ("records", "record"):
        return spec.label
    if spec.type == "by_year":
        return "经营数据（按年度）"
    return "基本情况"


def fact_widget(choice: str) -> dict:
    """How a fact's value is typed: its type (bool, number, enum, date, text), unit and its choices
    ([code, label] pairs, in order: a yes/no fact's yes first).

    Examples:
        >>> fact_widget("in_industrial_park")["type"], fact_widget("revenue.last_year")["unit"]
        ('bool', '元')
        >>> dict(fact_widget("recognitions[].level")["choices"])["provincial"]
        '省级'
    """
    spec = _spec(choice)
    kind = {"int": "number", "number": "number", "by_year": "number", "bool": "bool", "enum": "enum"}.get(
        spec.type, "date" if spec.type == "date" else "text"
    )
    unit = {"yuan": "元", "ratio": "比例（0.15 即 15%）", "person": "人", "month": "个月", "year": "年"}.get(
        spec.unit or "", spec.unit or ""
    )
    widget: dict = {"type": kind, "unit": unit, "ops": list(_operators(spec))}
    if kind == "enum":
        widget["choices"] = [[code, label] for code, label in (spec.enum or {}).items()]
    if kind == "bool":
        widget["choices"] = [["true", spec.yes or "是"], ["false", spec.no or "否"]]
    return widget


ORDERED = ("==", "!=", ">", ">=", "<", "<=")


def _operators(spec: FactSpec) -> tuple[str, ...]:
    """The comparisons that make sense for a fact of this kind (the rule check refuses the others)."""
    if spec.type == "bool":
        return ("==", "!=")
    if spec.type in ("int", "number", "by_year", "date"):
        return ORDERED
    if spec.type == "enum":
        return ("==", "!=", "in", "not_in")
    if spec.type == "str_list":
        return ("contains", "contains_any")
    if spec.type == "str":
        return ("==", "!=", "contains", "in", "not_in")
    return tuple(vocabulary.OPERATORS)


def _spec(choice: str) -> FactSpec:
    m = re.fullmatch(r"([a-z_]+)\[\]\.([a-z_]+)", choice)
    if m:
        return FACTS[m.group(1)].field_specs[m.group(2)]
    head, _, rest = choice.partition(".")
    spec = FACTS[head]
    return spec.field_specs[rest] if spec.type == "record" else spec


def fact_groups() -> list[tuple[str, list[tuple[str, str, dict]]]]:
    """The vocabulary's facts grouped for a ``<select>``: (group, [(choice, Chinese label, widget)])."""
    groups: dict[str, list[tuple[str, str, dict]]] = {}
    for choice, label in vocabulary.fact_choices():
        groups.setdefault(_group_of(choice), []).append((choice, label, fact_widget(choice)))
    return list(groups.items())


def base_choices(current: str = "") -> list[tuple[str, str]]:
    """Amounts in yuan a rate can apply to (a project's costs, a year's figures), ``current`` included."""
    out = [
        (choice, label)
        for choice, label in vocabulary.fact_choices()
        if "[]" not in choice and _spec(choice).unit in BASE_UNITS
    ]
    if current and current not in dict(out):
        out.insert(0, (current, current))
    return out


# --- rule → form -----------------------------------------------------------------------------------


def _value_text(value: Any) -> str | None:
    """A literal value as typed into the form; None for a value the fields cannot show."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return plain(Decimal(str(value)))
    if isinstance(value, str):
        return value
    if (
        isinstance(value, list)
        and value
        and all(_value_text(v) is not None and not isinstance(v, list) for v in value)
    ):
        return "、".join(str(_value_text(v)) for v in value)
    return None


def _rows_of(node: Any, group: str) -> list[ConditionRow]:
    """A part of the conditions as rows of fields (several, sharing ``group``, for "some element of a
    list whose fields …"), or one kept row when the fields would not give it back."""
    rows = _group_rows(node, group)
    if rows is None:
        row = _simple_row(node)
        rows = [row] if row is not None else None
    if rows is not None:
        try:
            if _join([(r, _condition_of_row(r)) for r in rows]) == [node]:
                return rows
        except InputError:
            pass
    kept = json.dumps(node, ensure_ascii=False)
    return [ConditionRow(kept=kept, text=_kept_text(kept), op="")]


def _group_rows(node: Any, group: str) -> list[ConditionRow] | None:
    """``{"has": LIST, "where": {"all": [leaf, …]}}`` as one row per leaf, or None for another shape."""
    if not (
        isinstance(node, dict) and isinstance(node.get("has"), str) and isinstance(node.get("where"), dict)
    ):
        return None
    where = node["where"]
    if set(where) != {"all"} or not isinstance(where["all"], list) or not where["all"]:
        return None
    if set(node) - {"has", "where", "label", *LEAF_EXTRAS}:
        return None
    rows = []
    for leaf in where["all"]:
        row = _simple_row({"has": node["has"], "where": leaf})
        if row is None:
            return None
        row.group = group
        rows.append(row)
    first = rows[0]
    first.label = node.get("label", "") if isinstance(node.get("label", ""), str) else ""
    extras = {k: node[k] for k in LEAF_EXTRAS if k in node}
    first.extra = json.dumps(extras, ensure_ascii=False) if extras else ""
    spec = FACTS.get(node["has"])
    first.title = f"{spec.label}中的同一{spec.item}，以下各行同时满足" if spec is not None else ""
    return rows


def _join(read: list[tuple[ConditionRow, Any]]) -> list[Any]:
    """The parts of the conditions from rows and the condition each gives: the rows of one group become
    one ``{"has": LIST, "where": {"all": […]}}`` where its first row stood, with that row's label."""
    parts: list[Any] = []
    groups: dict[str, dict] = {}
    for row, condition in read:
        if not row.group:
            parts.append(condition)
            continue
        leaf = condition["where"]
        joined = groups.get(row.group)
        if joined is None:
            joined = {k: v for k, v in condition.items() if k != "where"}
            joined["where"] = {"all": [leaf]}
            groups[row.group] = joined
            parts.append(joined)
        else:
            joined["where"]["all"].append(leaf)
    return parts


def _kept_text(kept: str) -> str:
    """A kept part in words (its JSON when it does not compile: the JSON editor says why)."""
    try:
        return to_text(jsonsafe.loads(kept, source="条件"))
    except Exception:
        return kept


def _simple_row(node: Any) -> ConditionRow | None:
    if not isinstance(node, dict):
        return None
    extras = {k: node[k] for k in LEAF_EXTRAS if k in node}
    label = node.get("label", "")
    if "has" in node:
        where = node.get("where")
        if set(node) - {"has", "where", "label", *LEAF_EXTRAS} or not isinstance(where, dict):
            return None
        if set(where) != {"fact", "op", "value"} or not isinstance(where["fact"], str):
            return None
        choice, leaf = f"{node['has']}[].{where['fact']}", where
    else:
        if set(node) - {"fact", "op", "value", "label", *LEAF_EXTRAS} or not isinstance(
            node.get("fact"), str
        ):
            return None
        choice, leaf = node["fact"], node
    if choice not in dict(vocabulary.fact_choices()) or leaf.get("op") not in vocabulary.OPERATORS:
        return None
    value = _value_text(leaf.get("value"))
    if value is None or not isinstance(label, str):
        return None
    return ConditionRow(
        fact=choice,
        op=leaf["op"],
        value=value,
        label=label,
        extra=json.dumps(extras, ensure_ascii=False) if extras else "",
    )


def _amount_of(item: Any) -> AmountForm:
    """The amount fields of an item (its stored columns) and the form of its formula."""
    per = item.per or "once"
    if per == "month" and "per_person" in json.dumps(item.formula or {}):
        per = "person_month"
    return AmountForm(
        mode="ceiling" if is_ceiling(item.formula) or item.formula is None else "fixed",
        amount=plain(Decimal(str(item.amount_max_yuan))) if item.amount_max_yuan is not None else "",
        rate=plain(Decimal(str(item.rate))) if item.rate is not None else "",
        base=(fact_in(item.formula) or "") if item.rate is not None else "",
        cap=plain(Decimal(str(item.cap_yuan))) if item.cap_yuan is not None else "",
        per=per if per in PERS else "once",
        months_max=str(item.months_max) if item.months_max is not None else "",
    )


def form_of(item: Any) -> RuleForm:
    """The structured form of an item's rule (``conditions``, ``formula`` and the amount columns)."""
    conditions = item.conditions
    if conditions is True or conditions in ({}, None):
        form = RuleForm(rows=[], shape="all")
    elif (
        isinstance(conditions, dict)
        and isinstance(conditions.get("all"), list)
        and not (set(conditions) - {"all", *TOP_EXTRAS})
    ):
        top = {k: conditions[k] for k in TOP_EXTRAS if k in conditions}
        form = RuleForm(
            rows=[row for n, part in enumerate(conditions["all"]) for row in _rows_of(part, str(n))],
            shape="all",
            top=json.dumps(top, ensure_ascii=False) if top else "",
        )
    else:
        form = RuleForm(rows=_rows_of(conditions, "0"), shape="leaf")
    amount = _amount_of(item)
    try:
        same = _formula_of(amount, item)[0] == item.formula
    except InputError:
        same = False
    if same:
        form.amount = amount
    else:
        form.formula_kept = json.dumps(item.formula, ensure_ascii=False) if item.formula is not None else ""
    return form


# --- form → rule -----------------------------------------------------------------------------------


def _condition_of_row(row: ConditionRow) -> Any:
    """The condition a row of fields describes (InputError in Chinese when it cannot be read)."""
    condition = vocabulary.condition_of(row.fact, row.op, row.value)
    if row.label.strip():
        condition["label"] = row.label.strip()
    if row.extra.strip():
        extra = _json_object(row.extra, "该条件的出处")
        condition.update({k: v for k, v in extra.items() if k in LEAF_EXTRAS})
    return condition


def _json_object(text: str, what: str) -> dict:
    try:
        value = jsonsafe.loads(text, source=what)
    except (json.JSONDecodeError, InputError) as exc:
        raise InputError(f"{what}无法读取，请刷新页面后重试", source=what) from exc
    if not isinstance(value, dict):
        raise InputError(f"{what}无法读取，请刷新页面后重试", source=what)
    return value


def _decimal(text: str, what: str, *, percent: bool = False) -> Decimal | None:
    """A non-negative number as typed ("200,000", "10%" for a rate); None when empty."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    scale = Decimal(1)
    if percent and text.endswith(("%", "％")):
        text, scale = text[:-1].strip(), Decimal("0.01")
    try:
        value = Decimal(text) * scale
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        example = "0.1 或 10%" if percent else "200000"
        raise InputError(f"{what}应为非负数字，如 {example}，实际为“{text}”", source=what)
    return value


def _formula_of(amount: AmountForm, current: Any = None, conditions: Any = None) -> tuple[dict | None, dict]:
    """(formula, the item's amount columns) of the amount fields; InputError naming the first bad field.
    Amount fields of the item the form does not show (``items.FORMULA_FIELDS``) keep ``current``'s values;
    a per-person amount counts the persons ``conditions`` (default: ``current``'s) are about."""
    rate = _decimal(amount.rate, "比例", percent=True)
    if rate is not None and rate > 1:
        raise InputError(f"比例应在 0 到 1 之间（如 0.1 或 10%），实际为“{amount.rate}”", source="比例")
    months = amount.months_max.strip()
    if months and not (months.isascii() and months.isdigit()):
        raise InputError(f"月数上限应为整数，实际为“{amount.months_max}”", source="月数上限")
    per = amount.per if amount.per in PERS else "once"
    columns = {
        "amount_max_yuan": _decimal(amount.amount, "金额"),
        "rate": rate,
        "cap_yuan": _decimal(amount.cap, "封顶金额"),
        "per": "month" if per == "person_month" else per,
        "months_max": int(months) if months else None,
    }
    kept = {name: getattr(current, name, None) for name in policy_items.FORMULA_FIELDS}
    if conditions is None:
        conditions = getattr(current, "conditions", None)
    fields = SimpleNamespace(**{**kept, **columns}, per_person=per == "person_month", conditions=conditions)
    ceiling = amount.mode != "fixed"
    formula = formula_for(fields, amount.base.strip() or None, ceiling=ceiling)
    if rate is not None and ceiling:
        formula = as_ceiling(formula)
    return formula, columns


def _in_row(problem: str) -> str:
    """A problem of one row's condition without its place in the JSON ("条件 value：…" → "…"): the row
    is the place.

    Examples:
        >>> _in_row("条件 where.value：级别应为以下之一"), _in_row("条件：不能为空")
        ('级别应为以下之一', '不能为空')
    """
    return problem.split("：", 1)[1] if problem.startswith("条件") and "：" in problem else problem


def read_form(data: Mapping[str, str]) -> RuleForm:
    """The rule form as posted (``cond-<n>-<field>`` rows, the ``amt-*`` amount fields)."""
    rows: dict[int, ConditionRow] = {}
    errors: list[str] = []
    for name, value in data.items():
        m = _FIELD.fullmatch(name)
        if not m:
            continue
        if int(m.group(1)) >= MAX_ROWS:
            errors = [f"条件最多 {MAX_ROWS} 行，请在专家模式（JSON）中编辑"]
            continue
        row = rows.setdefault(int(m.group(1)), ConditionRow(op=""))
        key = m.group(2)
        if key == "delete":
            row.delete = bool(value)
        elif key in ("fact", "op", "value", "label", "extra", "kept", "group"):
            setattr(row, key, str(value))
    for row in rows.values():
        if row.kept:
            row.text = _kept_text(row.kept)
    amount = None
    if data.get("amt-structured"):
        amount = AmountForm(
            mode=str(data.get("amt-mode", "ceiling")),
            amount=str(data.get("amount_max_yuan", "")),
            rate=str(data.get("rate", "")),
            base=str(data.get("amt-base", "")),
            cap=str(data.get("cap_yuan", "")),
            per=str(data.get("amt-per", "once")),
            months_max=str(data.get("months_max", "")),
        )
    return RuleForm(
        rows=[rows[i] for i in sorted(rows)],
        shape="leaf" if data.get("cond-shape") == "leaf" else "all",
        top=str(data.get("cond-top", "")),
        amount=amount,
        formula_kept=str(data.get("formula-kept", "")),
        errors=errors,
    )


def rule_of(form: RuleForm, problems_of, current: Any = None) -> tuple[Any, dict | None, dict]:
    """(conditions, formula, amount columns) of a posted form for the item ``current``. Every row is read
    and checked by ``problems_of`` (``service.rule_problems``); a row's errors are set on the row, the
    amount's on the amount, and InputError is raised when any was found. Blank rows and deleted ones are
    left out."""
    read: list[tuple[ConditionRow, Any]] = []
    lists: dict[str, str] = {}  # group → the list its rows are about
    failed = bool(form.errors)  # the form as a whole could not be read (read_form says why)
    for row in form.rows:
        row.errors = []
        if row.delete:
            continue
        if row.kept:
            try:
                read.append((ConditionRow(), jsonsafe.loads(row.kept, source="条件")))
            except (json.JSONDecodeError, InputError):
                row.errors.append("保留的条件无法读取，请刷新页面后重试")
                failed = True
            continue
        if row.blank:
            continue
        if not row.fact:
            row.errors.append("请选择事实")
            failed = True
            continue
        try:
            condition = _condition_of_row(row)
        except InputError as exc:
            row.errors.append(exc.detail)
            failed = True
            continue
        if row.group:
            about = lists.setdefault(row.group, str(condition.get("has", "")))
            if condition.get("has") != about:
                spec = FACTS.get(about)
                what = spec.label if spec is not None else about
                row.errors.append(
                    f"这一行与上面几行说的是{what}中的同一项，请选择“{what}”的字段，或删除这一行"
                )
                failed = True
                continue
        found = [_in_row(p) for p in problems_of("conditions", condition)]
        if found:
            row.errors.extend(found)
            failed = True
            continue
        read.append((row, condition))
    parts = _join(read)
    conditions: Any
    if not parts:
        conditions = True  # no condition a machine can check
    elif form.shape == "leaf" and len(parts) == 1:
        conditions = parts[0]
    else:
        conditions = {"all": parts}
        if form.top.strip():
            try:
                top = _json_object(form.top, "条件的出处")
            except InputError as exc:
                form.errors.append(exc.detail)
                failed = True
            else:
                conditions.update({k: v for k, v in top.items() if k in TOP_EXTRAS})
    formula: dict | None
    columns: dict = {}
    if form.amount is not None:
        form.amount.errors = []
        try:
            formula, columns = _formula_of(form.amount, current, conditions)
        except InputError as exc:
            form.amount.errors.append(exc.detail)
            failed, formula = True, None
        else:
            found = problems_of("formula", formula)
            if found:
                form.amount.errors.extend(found)
                failed = True
    elif form.formula_kept.strip():
        try:
            formula = jsonsafe.loads(form.formula_kept, source="公式")
        except (json.JSONDecodeError, InputError):
            form.errors.append("保留的计算公式无法读取，请刷新页面后重试")
            failed, formula = True, None
    else:
        formula = None
    if failed:
        raise InputError("规则有误，请按各行的提示修改", source="规则")
    whole = problems_of("conditions", conditions)
    if whole:
        form.errors.extend(whole)
        raise InputError("规则有误：" + "；".join(whole), source="规则")
    return conditions, formula, columns


__all__ = [
    "MODES",
    "PERS",
    "AmountForm",
    "ConditionRow",
    "RuleForm",
    "base_choices",
    "fact_groups",
    "fact_widget",
    "form_of",
    "read_form",
    "rule_of",
]
