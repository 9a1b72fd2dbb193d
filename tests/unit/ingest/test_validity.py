"""Validity phrases: a term of N years ends the day before its anniversary, 29 February included."""

from __future__ import annotations

from datetime import date

import pytest

from zhengcetong.ingest.validity import add_years, effective_dates


@pytest.mark.parametrize(
    ("start", "years", "end"),
    [
        (date(2023, 6, 10), 5, date(2028, 6, 9)),
        (date(2024, 3, 1), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),  # no 29 February in 2025: the anniversary is 1 March
        (date(2024, 2, 29), 4, date(2028, 2, 28)),  # 2028 has a 29 February: the day before it
        (date(2024, 2, 28), 1, date(2025, 2, 27)),
        (date(2023, 3, 1), 1, date(2024, 2, 29)),
    ],
)
def test_a_term_ends_the_day_before_its_anniversary(start, years, end):
    assert add_years(start, years) == end


def test_a_one_year_term_from_29_february():
    assert effective_dates("本办法自2024年2月29日起施行，有效期1年。", None) == (
        date(2024, 2, 29),
        date(2025, 2, 28),
    )
