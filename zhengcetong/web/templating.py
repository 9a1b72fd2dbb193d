"""Jinja2 templates (autoescaped) with the filters and names the pages share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates

from zhengcetong import clock
from zhengcetong.library import (
    BENEFIT_NAMES,
    DOCUMENT_KIND_NAMES,
    benefit_line,
    money,
    percent,
)
from zhengcetong.search import KIND_NAMES as SEARCH_KIND_NAMES
from zhengcetong.web.caching import static_url

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

KIND_NAMES = DOCUMENT_KIND_NAMES
STATUS_CLASSES = {"现行有效": "ok", "已修改": "warn", "未生效": "info", "已失效": "off", "已废止": "off"}
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
