"""One item filter for the calendar, the iCal export and publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Idea, Occurrence
from smarketing_desktop.errors import UserError


def occurrence(start: dt.date, end: dt.date) -> Occurrence:
    return Occurrence("u@x", "Expo", "tradeshow", "sales", "approved", "big", start, end)


IDEA = Idea("i@x", "Later", "blog_post", "marketing", "idea", "small")


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (dt.date(2027, 3, 30), dt.date(2027, 4, 1), True),  # ends on the first day
        (dt.date(2027, 4, 30), dt.date(2027, 5, 3), True),  # starts on the last day
        (dt.date(2027, 3, 1), dt.date(2027, 3, 31), False),
        (dt.date(2027, 5, 1), dt.date(2027, 5, 1), False),
        (dt.date(2027, 3, 1), dt.date(2027, 6, 1), True),  # spans the whole range
    ],
)
def test_a_date_range_keeps_what_touches_it(start: dt.date, end: dt.date, shown: bool) -> None:
    chosen = ItemFilter(first=dt.date(2027, 4, 1), last=dt.date(2027, 4, 30))
    assert chosen.matches(occurrence(start, end)) is shown
    assert not chosen.matches(IDEA)  # an idea has no days
    assert not chosen.is_empty and ItemFilter().matches(IDEA)


NAMES = st.frozensets(st.text(max_size=8), max_size=3)
DAYS = st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))


@given(NAMES, NAMES, NAMES, NAMES, NAMES, st.text(max_size=20), DAYS, DAYS)
def test_the_settings_form_reads_back_as_it_was(
    teams, kinds, personas, owners, statuses, text, first, last
) -> None:
    chosen = ItemFilter(teams, kinds, personas, owners, statuses, text, first, last)
    assert ItemFilter.from_json(chosen.to_json()) == chosen


def test_a_published_filter_stored_before_the_merge_reads_the_same() -> None:
    stored = {
        "teams": ["sales"],
        "kinds": [],
        "statuses": ["approved"],
        "personas": ["olivia"],
        "owners": [],
        "from": "2027-01-01",
        "to": None,
    }
    assert ItemFilter.from_json(stored) == ItemFilter(
        teams=frozenset({"sales"}),
        statuses=frozenset({"approved"}),
        personas=frozenset({"olivia"}),
        first=dt.date(2027, 1, 1),
    )
    assert ItemFilter.from_json({"from": "not a day", "to": 5}) == ItemFilter()


def test_check_refuses_unknown_words_and_upside_down_ranges() -> None:
    # Unknown teams, people and personas are refused by the export itself (its tests).
    with pytest.raises(UserError, match="Unknown kind '<b>x</b>'"):
        ItemFilter(kinds=frozenset({"<b>x</b>"})).check()
    with pytest.raises(UserError, match="Unknown status 'finished'"):
        ItemFilter(statuses=frozenset({"finished"})).check()
    with pytest.raises(UserError, match="before its start"):
        ItemFilter(first=dt.date(2027, 5, 1), last=dt.date(2027, 4, 1)).check()
    ItemFilter(teams=frozenset({"sales"}), first=dt.date(2027, 1, 1)).check()
