"""Repeat rules as the item dialog sets them, their sentences, and light link checks."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.links import normalise_link
from smarketing_desktop.domain.repeat import (
    FREQUENCIES,
    WEEKDAYS,
    RepeatSpec,
    build_rrule,
    describe_recurrence,
    parse_rrule,
)
from smarketing_desktop.errors import UserError


@st.composite
def specs(draw: st.DrawFn) -> RepeatSpec:
    freq = draw(st.sampled_from(FREQUENCIES))
    weekdays: tuple[str, ...] = ()
    if freq == "WEEKLY":
        chosen = draw(st.sets(st.sampled_from(WEEKDAYS)))
        weekdays = tuple(d for d in WEEKDAYS if d in chosen)
    ending = draw(st.sampled_from(("never", "count", "until")))
    return RepeatSpec(
        freq=freq,
        interval=draw(st.integers(1, 52)),
        weekdays=weekdays,
        count=draw(st.integers(1, 500)) if ending == "count" else None,
        until=draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
        if ending == "until"
        else None,
    )


@given(specs(), st.booleans())
def test_simple_choices_survive_the_round_trip_through_rrule_text(spec, timed) -> None:
    rule = build_rrule(spec, timed=timed)
    assert parse_rrule(rule) == spec
    # dateutil, which expands series everywhere in the app, reads every rule we write.
    start = dt.datetime(2027, 3, 10, 9, 30) if timed else dt.datetime(2027, 3, 10)
    rrulestr(rule, dtstart=start)
    assert not describe_recurrence(rule, start.date()).startswith("Custom rule")


@given(st.text(max_size=80))
def test_any_text_gets_a_sentence_and_never_an_exception(text) -> None:
    assert describe_recurrence(text, dt.date(2027, 3, 10))
    parse_rrule(text)  # None or a spec, never an error


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        (None, "Does not repeat"),
        ("FREQ=DAILY", "Every day"),
        ("FREQ=WEEKLY;BYDAY=MO", "Every week on Monday"),
        ("FREQ=WEEKLY", "Every week on Wednesday"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10",
            "Every 2 weeks on Monday and Wednesday, 10 times",
        ),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"),
        ("FREQ=MONTHLY", "Every month on the 10th"),
        ("FREQ=MONTHLY;BYDAY=-1WE", "Every month on the last Wednesday"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "Every month on the second Tuesday"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Every month on the 1st and 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Every month on the last day"),
        ("FREQ=MONTHLY;INTERVAL=3", "Every quarter on the 10th"),
        ("FREQ=YEARLY", "Every year on 10 March"),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "Every year in November on the fourth Thursday"),
        ("RRULE:FREQ=WEEKLY;UNTIL=20270630T235959", "Every week on Wednesday, until 30 Jun 2027"),
        ("FREQ=DAILY;COUNT=1", "Every day, once"),
        ("FREQ=HOURLY", "Custom rule: FREQ=HOURLY"),
        ("FREQ=WEEKLY;BYHOUR=9", "Custom rule: FREQ=WEEKLY;BYHOUR=9"),
        ("FREQ=WEEKLY;BYDAY=XX", "Custom rule: FREQ=WEEKLY;BYDAY=XX"),
        ("FREQ=MONTHLY;UNTIL=tomorrow", "Custom rule: FREQ=MONTHLY;UNTIL=tomorrow"),
    ],
)
def test_rules_read_as_plain_sentences(rule, sentence) -> None:
    assert describe_recurrence(rule, dt.date(2027, 3, 10)) == sentence


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=-1WE",  # needs the custom field
        "FREQ=WEEKLY;COUNT=3;UNTIL=20270101",  # both ends: not a simple choice
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=DAILY;BYDAY=MO",  # weekdays only for weekly in the simple choices
        "FREQ=SECONDLY",
        "BYDAY=MO",
    ],
)
def test_rules_beyond_the_simple_choices_are_custom(rule) -> None:
    assert parse_rrule(rule) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", ""),
        ("  https://example.com/x?a=1#b  ", "https://example.com/x?a=1#b"),
        ("example.com/spring", "https://example.com/spring"),
        ("www.example.co.uk", "https://www.example.co.uk"),
        ("http://localhost:8080/board", "http://localhost:8080/board"),
        ("mailto:martha@example.com", "mailto:martha@example.com"),
    ],
)
def test_links_are_made_clickable(typed, stored) -> None:
    assert normalise_link(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "not a link",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://",
        "https://nodot",
        "https://example.com:port",
        "mailto:nobody",
        "example",
        "https://exa\x00mple.com",
    ],
)
def test_what_is_not_a_link_is_refused(typed) -> None:
    with pytest.raises(UserError):
        normalise_link(typed)
