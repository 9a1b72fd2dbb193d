"""What an item gives, in the words of the text: 给予X for a fixed amount, 最高X for a ceiling, 按X% for a
rate, 每人/每月/每年/每平方米… for amounts multiplied by the applicant's count, months, years or quantity.
One wording for the portal's pages, the search results and the API's text."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from zhengcetong.library.labels import PER_NAMES

NO_AMOUNT = {"奖补": "金额以文件和申报通知为准", "减免": "税费减免", "权益": "便利措施", "资质": "资格认定"}
PER_UNIT_WORDS = {  # the quantities.* facts a per-unit amount multiplies by (zhengcetong.match.profile)
    "area": "每平方米",
    "volume": "每立方米",
    "households": "每户",
    "tonnes": "每吨",
    "kwh": "每千瓦时",
    "mu": "每亩",
}


def money(value) -> str:
    """Yuan in the way policies write them.

    Examples:
        >>> money(500000), money(12345), money(Decimal("20000000")), money(1500.5), money(None)
        ('50万元', '12,345元', '2,000万元', '1,500.5元', '—')
    """
    if value is None:
        return "—"
    amount = Decimal(str(value))
    if amount >= 10000 and amount % 10000 == 0:
        wan = amount / 10000
        return f"{int(wan):,}万元" if wan == wan.to_integral() else f"{wan}万元"
    if amount == amount.to_integral():
        return f"{int(amount):,}元"
    return f"{amount.normalize():,}元"


def percent(value) -> str:
    """0.1 -> 10%, 0.075 -> 7.5%."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)) * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _getter(item):
    return item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)


def up_to(item) -> bool:
    """Whether an item's amount is a ceiling (最高X, 不超过X) rather than the amount itself (给予X): its
    ``up_to`` when it has one (a summary), else whether its formula says ``{"up_to": …}``; an item with
    an amount and no formula counts as a ceiling.

    Examples:
        >>> up_to({"formula": {"const": "200000"}}), up_to({"formula": {"up_to": "200000"}}), up_to({})
        (False, True, True)
    """
    get = _getter(item)
    if get("up_to") is not None:
        return bool(get("up_to"))
    formula = get("formula")
    return formula is None or (isinstance(formula, dict) and "up_to" in formula)


def per_unit(formula: Any) -> tuple[str, Any] | None:
    """(每吨, the amount per unit) of a per-unit formula ("按每吨10元…"), else None.

    Examples:
        >>> per_unit({"min": [{"per": "10", "times": {"fact": "quantities.tonnes"}}, "1000000"]})
        ('每吨', '10')
        >>> per_unit({"const": "200000"}) is None
        True
    """
    if isinstance(formula, dict):
        times = formula.get("times")
        fact = str(times.get("fact", "")) if isinstance(times, dict) else ""
        if "per" in formula and fact.startswith("quantities."):
            word = PER_UNIT_WORDS.get(fact.removeprefix("quantities."), "每单位")
            inner = formula["per"]
            return word, inner.get("per_month", inner) if isinstance(inner, dict) else inner
        for value in formula.values():
            if (found := per_unit(value)) is not None:
                return found
    if isinstance(formula, list):
        for value in formula:
            if (found := per_unit(value)) is not None:
                return found
    return None


def benefit_line(item) -> str:
    """What an item gives, in one line: "给予20万元，一次性", "最高50万元，一次性", "按10%，最高200万元",
    "每人每月3,000元，最多36个月", "每吨10元，最高100万元", "每年10万元，最多3年".

    Examples:
        >>> benefit_line({"amount_max_yuan": 200000, "per": "once", "formula": {"const": "200000"}})
        '给予20万元，一次性'
        >>> benefit_line({"amount_max_yuan": 200000, "per": "once", "formula": {"up_to": "200000"}})
        '最高20万元，一次性'
        >>> benefit_line({"amount_max_yuan": 1000000, "cap_yuan": 1000000, "per": "once",
        ...     "formula": {"min": [{"per": "10", "times": {"fact": "quantities.tonnes"}}, "1000000"]}})
        '每吨10元，最高100万元，一次性'
        >>> benefit_line({"amount_max_yuan": 100000, "per": "year", "months_max": 36,
        ...     "formula": {"per_year": "100000", "years": {"fact": "years"}, "max_years": 3}})
        '每年10万元，最多3年'
    """
    get = _getter(item)
    parts = []
    per = get("per")
    formula = get("formula")
    unit = per_unit(formula)
    if get("rate") is not None:
        text = f"按{percent(get('rate'))}"
        cap = get("cap_yuan") if get("cap_yuan") is not None else get("amount_max_yuan")
        parts.append(text + (f"，最高{money(cap)}" if cap is not None else ""))
    elif unit is not None:
        word, each = unit
        month = "每月" if per == "month" else ""
        parts.append(f"{word}{month}{'最高' if up_to(item) else ''}{money(each)}")
        if get("cap_yuan") is not None:
            parts.append(f"最高{money(get('cap_yuan'))}")
    elif get("amount_max_yuan") is not None:
        prefix = PER_NAMES.get(per, "") if per in ("month", "year", "person") else ""
        per_person = get("per_person")
        if per_person is None:
            per_person = '"per_person"' in json.dumps(formula or {})
        if per in ("month", "year") and per_person:
            prefix = "每人" + prefix
        word = "最高" if up_to(item) else ("" if prefix else "给予")
        parts.append(f"{prefix}{word}{money(get('amount_max_yuan'))}")
    months = get("months_max")
    if months and per == "year" and months % 12 == 0:
        parts.append(f"最多{months // 12}年")
    elif months:
        parts.append(f"最多{months}个月")
    if per == "once" and parts:
        parts.append("一次性")
    if parts:
        return "，".join(parts)
    return NO_AMOUNT.get(get("category"), "详见政策原文")
