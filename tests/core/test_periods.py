"""Periods: quarters, the coming three months, and the pages of a calendar printout."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.periods import (
    coming_months,
    describe_period,
    page_count,
    quarter_name,
    quarter_span,
    quarter_start,
)

DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        (dt.date(2027, 1, 15), dt.date(2027, 4, 14)),
        # The month three on is shorter: its last day still belongs to the period.
        (dt.date(2027, 1, 31), dt.date(2027, 4, 30)),
        (dt.date(2027, 3, 31), dt.date(2027, 6, 30)),
        (dt.date(2027, 11, 30), dt.date(2028, 2, 29)),
        (dt.date(2027, 12, 31), dt.date(2028, 3, 30)),
    ],
)
def test_the_coming_quarter_loses_no_day(today: dt.date, last: dt.date) -> None:
    assert coming_months(today) == (today, last)


@given(DAYS)
def test_the_coming_quarter_ends_the_day_before_the_same_day_three_months_on(
    today: dt.date,
) -> None:
    first, last = coming_months(today)
    index = today.year * 12 + today.month - 1 + 3
    year, month = divmod(index, 12)
    length = calendar.monthrange(year, month + 1)[1]
    if today.day <= length:  # that day exists: the period stops just before it
        assert last + dt.timedelta(days=1) == dt.date(year, month + 1, today.day)
    else:  # it does not: the period runs to the end of that (shorter) month
        assert last == dt.date(year, month + 1, length)
    assert first == today and 88 <= (last - first).days <= 91


@given(DAYS, st.integers(-8, 8))
def test_quarters_tile_the_calendar(day: dt.date, shift: int) -> None:
    first, last = quarter_span(day, shift)
    assert first == quarter_start(first) and first.month in (1, 4, 7, 10)
    assert quarter_start(last) == first
    assert quarter_span(last + dt.timedelta(days=1))[0] == last + dt.timedelta(days=1)
    if shift == 0:
        assert first <= day <= last and quarter_start(day) == first


def test_quarter_names_and_described_periods() -> None:
    assert quarter_name(dt.date(2027, 8, 9)) == "2027 Q3"
    assert describe_period(dt.date(2027, 7, 1), dt.date(2027, 9, 30)) == "2027 Q3"
    assert describe_period(dt.date(2027, 7, 2), dt.date(2027, 9, 30)) == (
        "2027-07-02 to 2027-09-30"
    )


@pytest.mark.parametrize(
    ("first", "last", "months", "quarters"),
    [
        (dt.date(2030, 1, 10), dt.date(2030, 3, 5), 3, 1),
        (dt.date(2030, 3, 31), dt.date(2030, 4, 1), 2, 2),
        (dt.date(2030, 12, 1), dt.date(2031, 1, 31), 2, 2),
    ],
)
def test_page_count(first: dt.date, last: dt.date, months: int, quarters: int) -> None:
    assert page_count(first, last, "month") == months
    assert page_count(first, last, "quarter") == quarters
