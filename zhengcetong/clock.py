"""The platform's clock: moments are stored in UTC, dates are Beijing dates.

A policy takes effect, expires and is reviewed on dates in China, so "today" is the date in
Beijing whatever time zone the server runs in; stored moments stay aware UTC datetimes and
are shown in Beijing time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated

from pydantic import BeforeValidator

from zhengcetong.errors import InputError

CHINA = timezone(timedelta(hours=8), "CST")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def iso_date(value: object) -> date:
    """A date written YYYY-MM-DD (or already a date); ValueError for anything else, so that a number is
    not read as seconds since 1970, which pydantic does by default.

    Examples:
        >>> iso_date("2026-03-20")
        datetime.date(2026, 3, 20)
        >>> iso_date(0)
        Traceback (most recent call last):
        ...
        ValueError: 应为 YYYY-MM-DD 格式的日期，如 2026-03-20
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("应为 YYYY-MM-DD 格式的日期，如 2026-03-20")


IsoDate = Annotated[date, BeforeValidator(iso_date)]
"""A date field or query parameter that accepts only YYYY-MM-DD (documented as ``format: date``)."""


def now() -> datetime:
    """The current moment, aware, in UTC (what the database stores)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Beijing (what validity, deadlines and publication dates use)."""
    return datetime.now(CHINA).date()


def china_date(moment: datetime) -> date:
    """The date in Beijing of an aware datetime.

    Examples:
        >>> china_date(datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
        datetime.date(2026, 3, 2)
    """
    return moment.astimezone(CHINA).date()


def china_time(moment: datetime | None) -> str:
    """An aware datetime as Beijing wall-clock time to the minute (naive values count as UTC).

    Examples:
        >>> china_time(datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
        '2026-03-02 01:30'
        >>> china_time(None)
        ''
    """
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def parse_date(text: str | None, source: str) -> date | None:
    """An ISO date typed by a user (an option, a query parameter); blank is None, anything else
    unreadable is an InputError naming ``source``.

    Examples:
        >>> parse_date("2026-03-20", "--on"), parse_date(" ", "--on"), parse_date(None, "--on")
        (datetime.date(2026, 3, 20), None, None)
        >>> parse_date("2026-13-01", "valid_on")
        Traceback (most recent call last):
        ...
        zhengcetong.errors.InputError: valid_on: 日期“2026-13-01”无法识别，应为 YYYY-MM-DD，如 2026-03-20
    """
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"日期“{text}”无法识别，应为 YYYY-MM-DD，如 2026-03-20", source=source) from exc
