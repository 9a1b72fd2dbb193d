"""Jinja2 templates (autoescaped) with the filters and names the pages share."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from fastapi.templating import Jinja2Templates

from zhengcetong import clock
from zhengcetong.library import BENEFIT_NAMES, DOCUMENT_KIND_NAMES, PER_NAMES
from zhengcetong.search import KIND_NAMES as SEARCH_KIND_NAMES
from zhengcetong.web.caching import static_url

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

KIND_NAMES = DOCUMENT_KIND_NAMES
STATUS_CLASSES = {"现行有效": "ok", "已修改": "warn", "未生效": "info", "已失效": "off", "已废止": "off"}
NO_AMOUNT = {"奖补": "金额以文件和申报通知为准", "减免": "税费减免", "权益": "便利措施", "资质": "资格认定"}
ENTRY_KIND_NAMES = SEARCH_KIND_NAMES
NAV = (
    ("/", "首页"),
    ("/search", "政策检索"),
    ("/documents", "政策文件库"),
    ("/items", "政策事项"),
    ("/interpretations", "政策解读"),
    ("/normative", "规范性文件"),
)
TEXT_COOKIE = "zct_text"


def cn_date(value) -> str:
    """A date (or an aware moment, taken in Beijing) the way Chinese documents write it.

    Examples:
        >>> cn_date(datetime(2023, 5, 5).date()), cn_date(datetime(2023, 5, 4, 16, 30, tzinfo=UTC)), cn_date(None)
        ('2023年5月5日', '2023年5月5日', '—')
    """
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = clock.china_date(value if value.tzinfo else value.replace(tzinfo=UTC))
    return f"{value.year}年{value.month}月{value.day}日"


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


def up_to(item) -> bool:
    """Whether an item's amount is a ceiling (最高X, 不超过X) rather than the amount itself (给予X): its
    ``up_to`` when it has one (a summary), else whether its formula says ``{"up_to": …}``; an item with
    an amount and no formula counts as a ceiling.

    Examples:
        >>> up_to({"formula": {"const": "200000"}}), up_to({"formula": {"up_to": "200000"}}), up_to({})
        (False, True, True)
    """
    get = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    if get("up_to") is not None:
        return bool(get("up_to"))
    formula = get("formula")
    return formula is None or (isinstance(formula, dict) and "up_to" in formula)


def benefit_line(item) -> str:
    """What an item gives, in one line: "给予20万元，一次性", "最高50万元，一次性", "按10%，最高200万元",
    "每人每月3,000元，最多36个月".

    Examples:
        >>> benefit_line({"amount_max_yuan": 200000, "per": "once", "formula": {"const": "200000"}})
        '给予20万元，一次性'
        >>> benefit_line({"amount_max_yuan": 200000, "per": "once", "formula": {"up_to": "200000"}})
        '最高20万元，一次性'
    """
    get = item.get if isinstance(item, dict) else lambda k, d=None: getattr(item, k, d)
    parts = []
    per = get("per")
    if get("rate") is not None:
        text = f"按{percent(get('rate'))}"
        cap = get("cap_yuan") if get("cap_yuan") is not None else get("amount_max_yuan")
        parts.append(text + (f"，最高{money(cap)}" if cap is not None else ""))
    elif get("amount_max_yuan") is not None:
        prefix = PER_NAMES.get(per, "") if per in ("month", "year", "person") else ""
        per_person = get("per_person")
        if per_person is None:
            per_person = '"per_person"' in json.dumps(get("formula") or {})
        if per in ("month", "year") and per_person:
            prefix = "每人" + prefix
        word = "最高" if up_to(item) else ("" if prefix else "给予")
        parts.append(f"{prefix}{word}{money(get('amount_max_yuan'))}")
    if get("months_max"):
        parts.append(f"最多{get('months_max')}个月")
    if per == "once" and parts:
        parts.append("一次性")
    if parts:
        return "，".join(parts)
    return NO_AMOUNT.get(get("category"), "详见政策原文")


def text_size_url(request, size: str) -> str:
    """The link that switches the text size and comes back to this page."""
    from urllib.parse import urlencode

    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/prefs/text?" + urlencode({"size": size, "next": back})


def role_name(role: str) -> str:
    """An account's role as staff read it.

    Examples:
        >>> role_name("admin"), role_name("reviewer"), role_name("robot")
        ('管理员', '审核人员', 'robot')
    """
    from zhengcetong.library import users

    return users.ROLE_NAMES.get(role, role)


templates.env.filters["cn_date"] = cn_date
templates.env.filters["china_time"] = clock.china_time
templates.env.filters["money"] = money
templates.env.filters["percent"] = percent
templates.env.filters["benefit_line"] = benefit_line
templates.env.filters["role_name"] = role_name
templates.env.globals.update(
    KIND_NAMES=KIND_NAMES,
    STATUS_CLASSES=STATUS_CLASSES,
    BENEFIT_NAMES=BENEFIT_NAMES,
    ENTRY_KIND_NAMES=ENTRY_KIND_NAMES,
    NAV=NAV,
    TEXT_COOKIE=TEXT_COOKIE,
    static_url=static_url,
    text_size_url=text_size_url,
)
