"""Formulas implied by amount fields: a fixed amount (给予X) stays one when a reviewer edits it."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from zhengcetong.match.amounts import implied_formula


def fields(amount, per="once", cap=None, months=None):
    return SimpleNamespace(
        amount_max_yuan=Decimal(amount), rate=None, per=per, cap_yuan=cap, months_max=months
    )


def test_an_edited_amount_keeps_fixed_or_ceiling_and_per_person():
    assert implied_formula(fields(300000), {"const": "200000"}) == {"const": "300000"}
    assert implied_formula(fields(300000), {"up_to": "200000"}) == {"up_to": "300000"}
    assert implied_formula(fields(300000), None) == {"up_to": "300000"}
    per_person = {
        "per_person": {"per_month": "3000", "months": {"fact": "months"}},
        "persons": {"fact": "persons.count"},
    }
    assert implied_formula(fields(4000, per="month"), per_person) == {
        "per_person": {"per_month": "4000", "months": {"fact": "months"}},
        "persons": {"fact": "persons.count"},
    }
