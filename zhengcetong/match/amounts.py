"""Formulas that an item's amount fields imply (rate, cap, maximum, per, months): what extraction writes
for a measure, and what a reviewer's edit of those fields turns the formula into."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any, Protocol

from zhengcetong.decimals import plain


class AmountFields(Protocol):
    """The amount fields of an extracted or stored policy item."""

    amount_max_yuan: Any
    rate: Any
    per: str
    cap_yuan: Any
    months_max: int | None


def as_ceiling(formula: dict | None) -> dict | None:
    """The formula as a ceiling (“最高”): the agency grants up to what it computes.

    Examples:
        >>> as_ceiling({"*": ["0.1", {"fact": "project.eligible_cost"}]})
        {'up_to': {'*': ['0.1', {'fact': 'project.eligible_cost'}]}}
        >>> as_ceiling({"up_to": "500000"}), as_ceiling(None)
        ({'up_to': '500000'}, None)
    """
    if formula is None or "up_to" in formula:
        return formula
    return {"up_to": formula}


def is_ceiling(formula: Any) -> bool:
    """Whether a formula is a ceiling (“最高…”, “不超过…”) rather than the amount itself (“给予…”).

    Examples:
        >>> is_ceiling({"up_to": "200000"}), is_ceiling({"const": "200000"}), is_ceiling(None)
        (True, False, False)
    """
    return isinstance(formula, dict) and "up_to" in formula


def formula_for(
    item: AmountFields, base_fact: str | None = None, *, ceiling: bool | None = None
) -> dict | None:
    """The benefit formula: min(rate × base, cap), or the amount (per person × 人数, per month × 月数),
    as a ceiling (``{"up_to": …}``) when the text said 最高 / 不超过 and as the amount itself when it said
    给予X. ``ceiling`` defaults to the item's own ``ceiling`` (True when it has none).

    Examples:
        >>> from decimal import Decimal as D
        >>> from types import SimpleNamespace as N
        >>> fixed = N(amount_max_yuan=D(200000), rate=None, per="once", cap_yuan=None, months_max=None)
        >>> formula_for(fixed, ceiling=False), formula_for(fixed, ceiling=True)
        ({'const': '200000'}, {'up_to': '200000'})
        >>> formula_for(N(amount_max_yuan=D(1000), rate=None, per="person", cap_yuan=None, months_max=None), ceiling=False)
        {'per_person': '1000', 'persons': {'fact': 'persons.count'}}
    """
    if ceiling is None:
        ceiling = getattr(item, "ceiling", True)
    if item.rate is not None:
        product = {"*": [plain(item.rate), {"fact": base_fact or "project.eligible_cost"}]}
        return {"min": [product, plain(item.cap_yuan)]} if item.cap_yuan is not None else product
    if item.amount_max_yuan is None:
        return None
    per_unit = getattr(item, "per_unit", None)
    unit_yuan = getattr(item, "unit_yuan", None) if per_unit else None
    amount: Any = plain(unit_yuan if unit_yuan is not None else item.amount_max_yuan)
    if item.per == "month" and item.months_max:
        amount = {"per_month": amount, "months": {"fact": "months"}, "max_months": item.months_max}
    elif item.per == "month":
        amount = {"per_month": amount, "months": {"fact": "months"}}
    if per_unit:  # "每平方米（每月）20元": × the quantity
        amount = {"per": amount, "times": {"fact": f"quantities.{per_unit}"}}
    if item.per == "person" or getattr(item, "per_person", False):
        amount = {"per_person": amount, "persons": persons_counted(getattr(item, "conditions", None))}
        if item.cap_yuan is not None and item.per != "month":  # "每站不超过5人": at most 5 × the amount
            amount = {"min": [amount, plain(item.cap_yuan)]}
    if item.per == "year" and item.months_max and item.months_max % 12 == 0:  # "连续3年每年…"
        amount = {"per_year": amount, "years": {"fact": "years"}, "max_years": item.months_max // 12}
    if per_unit and item.cap_yuan is not None:  # "…最高100万元": the quantity's amount up to the cap
        amount = {"min": [amount, plain(item.cap_yuan)]}
    if ceiling:
        return {"up_to": amount}
    return {"const": amount} if isinstance(amount, str) else amount


def persons_counted(conditions: Any) -> dict:
    """Who a per-person amount counts: the persons the conditions are about ("新引进的全职博士", a
    ``{"has": "persons", …}`` of the conditions), else every person of the profile.

    Examples:
        >>> persons_counted({"has": "persons", "where": {"fact": "degree", "op": "==", "value": "博士"},
        ...                  "label": "人员：全职博士"})
        {'count': 'persons', 'where': {'fact': 'degree', 'op': '==', 'value': '博士'}, 'label': '全职博士'}
        >>> persons_counted({"fact": "employees", "op": ">", "value": 10})
        {'fact': 'persons.count'}
    """
    found = _persons_condition(conditions)
    if found is None:
        return {"fact": "persons.count"}
    label = str(found.get("label") or "").removeprefix("人员：").replace("，", "")
    counted: dict = {"count": "persons", "where": found["where"]}
    if label:
        counted["label"] = label
    return counted


def _persons_condition(conditions: Any) -> dict | None:
    """The one ``{"has": "persons", …}`` an item's conditions require (directly or under "all")."""
    if not isinstance(conditions, dict):
        return None
    if conditions.get("has") == "persons" and "where" in conditions:
        return conditions
    found = [c for c in conditions.get("all", []) if isinstance(c, dict) and c.get("has") == "persons"]
    return found[0] if len(found) == 1 and "where" in found[0] else None


def _persons_in(formula: Any) -> Any:
    """The persons node of a per-person formula (None when it has none)."""
    if isinstance(formula, dict):
        if "per_person" in formula:
            return formula.get("persons")
        for value in formula.values():
            found = _persons_in(value)
            if found is not None:
                return found
    if isinstance(formula, list):
        for value in formula:
            found = _persons_in(value)
            if found is not None:
                return found
    return None


def _per_unit_in(formula: Any) -> tuple[str | None, Any]:
    """(quantity field, amount per unit) of a per-unit formula ("每吨10元"), else (None, None)."""
    if isinstance(formula, dict):
        times = formula.get("times")
        if (
            "per" in formula
            and isinstance(times, dict)
            and str(times.get("fact", "")).startswith("quantities.")
        ):
            return times["fact"].removeprefix("quantities."), formula["per"]
        for value in formula.values():
            found = _per_unit_in(value)
            if found[0]:
                return found
    if isinstance(formula, list):
        for value in formula:
            found = _per_unit_in(value)
            if found[0]:
                return found
    return None, None


def fact_in(formula) -> str | None:
    """The first fact a formula reads (the base of a rate).

    Examples:
        >>> fact_in({"min": [{"*": ["0.1", {"fact": "project.equipment_cost"}]}, "2000000"]})
        'project.equipment_cost'
    """
    if isinstance(formula, dict):
        if "fact" in formula:
            return formula["fact"]
        for value in formula.values():
            found = fact_in(value)
            if found:
                return found
    if isinstance(formula, list):
        for value in formula:
            found = fact_in(value)
            if found:
                return found
    return None


def implied_formula(fields: AmountFields, current: Any) -> dict | None:
    """The formula ``fields`` imply, on the base fact of ``current`` and as a ceiling when ``current`` is
    one: extraction's formula for these amounts, whatever a reviewer changed them to."""
    if fields.rate is not None:
        formula = formula_for(fields, fact_in(current))
        return as_ceiling(formula) if is_ceiling(current) else formula
    per_person = isinstance(current, dict) and "per_person" in json.dumps(current)
    unit = _per_unit_in(current)
    shaped = (
        SimpleNamespace(
            **{**vars(fields), "per_person": per_person, "per_unit": unit[0], "unit_yuan": unit[1]}
        )
        if hasattr(fields, "__dict__")
        else fields
    )
    formula = formula_for(shaped, fact_in(current), ceiling=current is None or is_ceiling(current))
    counted = _persons_in(current)
    if counted is not None and _persons_in(formula) is not None:  # keep whom the reviewer's item counts
        formula = json.loads(json.dumps(formula).replace('{"fact": "persons.count"}', json.dumps(counted), 1))
    return formula
