"""The platform's clock: moments are stored in UTC, dates are Beijing dates.

A policy takes effect, expires and is reviewed on dates in China, so "today" is the date in
Beijing whatever time zone the server runs in; stored moments stay aware UTC datetimes and
are shown in Beijing time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from zhengcetong.errors import InputError

CHINA = timezone(timedelta(hours=8), "CST")


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
