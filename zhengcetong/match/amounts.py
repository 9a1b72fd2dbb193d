"""Formulas that an item's amount fields imply (rate, cap, maximum, per, months): what extraction writes
for a measure, and what a reviewer's edit of those fields turns the formula into."""

from __future__ import annotations

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


def formula_for(item: AmountFields, base_fact: str | None = None) -> dict | None:
    """The benefit formula: a constant cap, min(rate × base, cap), or per-period amount × periods."""
    if item.rate is not None:
        product = {"*": [plain(item.rate), {"fact": base_fact or "project.eligible_cost"}]}
        return {"min": [product, plain(item.cap_yuan)]} if item.cap_yuan is not None else product
    if item.amount_max_yuan is None:
        return None
    if item.per == "month" and item.months_max:
        return {"*": [plain(item.amount_max_yuan), {"min": [{"fact": "months"}, item.months_max]}]}
    if item.per == "person" and item.cap_yuan is not None:
        return {
            "min": [{"*": [plain(item.amount_max_yuan), {"fact": "persons.count"}]}, plain(item.cap_yuan)]
        }
    return {"up_to": plain(item.amount_max_yuan)}


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
    formula = formula_for(fields, fact_in(current))
    wrapped = isinstance(current, dict) and "up_to" in current and isinstance(current["up_to"], dict)
    return as_ceiling(formula) if wrapped else formula
