"""Validity phrases of a document: when it takes effect, until when, and what it repeals or amends."""

from __future__ import annotations

import re
from datetime import date, timedelta

from zhengcetong.chinese import (
    DOC_NUMBER_RE,
    cn_to_int,
    normalise_doc_number,
    parse_date,
    to_halfwidth_digits,
)

_DATE = r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
FROM_RE = re.compile(rf"自\s*({_DATE})\s*起\s*(?:施行|实施|执行|生效|试行)")
FROM_ISSUE_RE = re.compile(r"自(?:印发|发布|公布|下发|发文)之日起(?:施行|实施|执行|生效|试行)")
UNTIL_RE = re.compile(rf"有效期(?:至|到|截至)\s*({_DATE})")
YEARS_RE = re.compile(r"有效期(?:为)?\s*([一二两三四五六七八九十\d]{1,3})\s*年")
_REPEAL_RE = re.compile(r"(?:同时|予以|一并)?(?:废止|停止执行|不再执行)")
_AMEND_RE = re.compile(r"作(?:如下|以下)修改|予以修改|修改为")


def add_years(start: date, years: int) -> date:
    """The last day of a term of ``years`` years starting on ``start``: the day before its anniversary.

    A term from 29 February whose anniversary falls in a common year reaches that anniversary on
    1 March, so it ends on 28 February, as a term from 1 March does.

    Examples:
        >>> add_years(date(2023, 6, 10), 5)
        datetime.date(2028, 6, 9)
        >>> add_years(date(2024, 2, 29), 1), add_years(date(2024, 3, 1), 1)
        (datetime.date(2025, 2, 28), datetime.date(2025, 2, 28))
    """
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February, and no 29 February in the anniversary's year
        anniversary = date(start.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def effective_dates(body: str, issued: date | None) -> tuple[date | None, date | None]:
    """(effective_from, effective_until) from the last validity phrase of ``body``.

    Examples:
        >>> effective_dates("第三十条 本办法自2023年6月10日起施行，有效期至2028年6月9日。", None)
        (datetime.date(2023, 6, 10), datetime.date(2028, 6, 9))
        >>> effective_dates("本意见自印发之日起施行，有效期5年。", date(2023, 5, 17))
        (datetime.date(2023, 5, 17), datetime.date(2028, 5, 16))
    """
    text = to_halfwidth_digits(body)
    start: date | None = None
    until: date | None = None
    from_match = _last(FROM_RE, text)
    issue_match = _last(FROM_ISSUE_RE, text)
    if from_match and (not issue_match or from_match.start() > issue_match.start()):
        start = parse_date(from_match.group(1))
        anchor = from_match.start()
    elif issue_match:
        start = issued
        anchor = issue_match.start()
    else:
        anchor = 0
    until_match = _last(UNTIL_RE, text[anchor:]) or _last(UNTIL_RE, text)
    if until_match:
        until = parse_date(until_match.group(1))
    else:
        years_match = _last(YEARS_RE, text[anchor:])
        if years_match and (start or issued):
            years = cn_to_int(years_match.group(1))
            if years:
                until = add_years(start or issued, years)  # type: ignore[arg-type]
    return start, until


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007
        pass
    return last


def repeals(body: str, own_number: str | None = None) -> list[dict]:
    """Documents this body repeals or amends: [{"target", "doc_number", "title", "action", "quote"}].

    Examples:
        >>> repeals("本办法自2023年6月10日起施行。《某市储备粮管理办法》（某政发〔2015〕8号）同时废止。")[0]["target"]
        '某政发〔2015〕8号'
    """
    found: list[dict] = []
    for sentence in re.split(r"(?<=[。；])", body):
        repeal = _REPEAL_RE.search(sentence)
        amend = _AMEND_RE.search(sentence)
        if not repeal and not amend:
            continue
        action = "repeal" if repeal else "amend"
        cut = (repeal or amend).start()  # type: ignore[union-attr]
        head = sentence[:cut]
        titles = [(m.start(), m.group(1)) for m in re.finditer(r"《([^《》]+)》", head)]
        numbers = [(m.start(), normalise_doc_number(m.group(0))) for m in DOC_NUMBER_RE.finditer(head)]
        numbers = [(pos, n) for pos, n in numbers if n != own_number]
        if not titles and not numbers:
            continue
        used_numbers: set[int] = set()
        for pos, title in titles:
            # a 文号 printed right after the title, in parentheses, names the same document
            follow = [(p, n) for p, n in numbers if 0 < p - pos - len(title) - 2 <= 3]
            number = follow[0][1] if follow else None
            if follow:
                used_numbers.add(follow[0][0])
            found.append(_relation(number, title, action, sentence))
        for pos, number in numbers:
            if pos not in used_numbers:
                found.append(_relation(number, None, action, sentence))
    return found


def _relation(number: str | None, title: str | None, action: str, quote: str) -> dict:
    return {
        "target": number or title,
        "doc_number": number,
        "title": title,
        "action": action,
        "quote": quote.strip(),
    }
