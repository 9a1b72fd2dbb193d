"""Jinja2 templates (autoescaped) with the filters the pages share."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

KIND_NAMES = {
    "notice": "通知",
    "opinion": "意见",
    "decision": "决定",
    "appointment": "任免",
    "chronicle": "大事记",
    "other": "其他",
}
STATUS_CLASSES = {"现行有效": "ok", "已修改": "warn", "未生效": "info", "已失效": "off", "已废止": "off"}


def cn_date(value) -> str:
    """2023-05-05 -> 2023年5月5日."""
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


templates.env.filters["cn_date"] = cn_date
templates.env.globals["KIND_NAMES"] = KIND_NAMES
templates.env.globals["STATUS_CLASSES"] = STATUS_CLASSES
