"""Which recurrence rules a plan takes (every way a rule comes in), and the review rule of
an SLA's meetings."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smarketing_desktop.domain.recurrence import series_end, series_rule
from smarketing_desktop.domain.repeat import describe_recurrence, recurrence_phrase
from smarketing_desktop.domain.rule_check import (
    MAX_COUNT,
    RuleProblem,
    check_rule,
    local_until,
    review_rule,
)
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.ical_read import read_ics
from smarketing_desktop.store.planfile import Plan, create_plan

START = dt.datetime(2026, 3, 2, 9, 0)  # a Monday


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "plan.smplan")
    yield plan
    plan.close()


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MINUTELY", "(FREQ=MINUTELY)"),
        ("FREQ=HOURLY;COUNT=3", "(FREQ=HOURLY)"),
        ("RRULE:FREQ=SECONDLY;UNTIL=20260303T000000", "(FREQ=SECONDLY)"),
        ("FREQ=WEEKLY;COUNT=0", "never occurs"),
        ("FREQ=DAILY;UNTIL=20260301", "UNTIL is before the first occurrence"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31", "none of its months"),
        ("FREQ=DAILY;BYMONTH=4,6;BYMONTHDAY=31", "none of its months"),
        ("FREQ=DAILY;INTERVAL=14;BYDAY=TU,WE", "weekdays"),
        ("FREQ=DAILY;INTERVAL=0;BYDAY=TU", "INTERVAL must be from 1"),
        ("FREQ=DAILY;INTERVAL=-1", "INTERVAL must be from 1"),
        (f"FREQ=DAILY;COUNT={MAX_COUNT + 1}", f"more than {MAX_COUNT} times"),
        ("FREQ=DAILY;COUNT=99999999999999999999", "more than"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "both COUNT and UNTIL"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "UTC"),
        ("FREQ=FORTNIGHTLY", "unknown frequency"),
        ("BYDAY=MO", "expected FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "not a valid recurrence rule"),
        ("FREQ=WEEKLY\x00", "NUL"),
    ],
)
def test_rules_a_plan_cannot_take_are_refused_with_a_reason(rule: str, words: str) -> None:
    with pytest.raises(RuleProblem, match=words):
        check_rule(rule, START)


def test_good_rules_come_back_without_their_prefix() -> None:
    assert check_rule(" RRULE:FREQ=WEEKLY;BYDAY=MO ", START) == "FREQ=WEEKLY;BYDAY=MO"
    assert check_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", START).startswith("FREQ")
    assert check_rule(f"FREQ=DAILY;COUNT={MAX_COUNT}", START)


def test_a_utc_until_becomes_the_items_own_wall_clock() -> None:
    rule = "FREQ=WEEKLY;UNTIL=20260331T220000Z;BYDAY=MO"
    assert local_until(rule, "Europe/Berlin", all_day=False) == (
        "FREQ=WEEKLY;UNTIL=20260401T000000;BYDAY=MO"
    )
    assert local_until(rule, "America/Chicago", all_day=True) == (
        "FREQ=WEEKLY;UNTIL=20260331;BYDAY=MO"
    )
    assert check_rule(local_until(rule, "UTC", all_day=False), START)
    assert local_until("FREQ=DAILY;UNTIL=20260331", None, all_day=True) == (
        "FREQ=DAILY;UNTIL=20260331"
    )


def test_series_end_of_a_long_daily_series_is_its_until_without_expanding_it() -> None:
    day = dt.date(2026, 3, 2)
    rule = "FREQ=DAILY;UNTIL=99991230"
    assert series_end(day, None, day, rule) == dt.date(9999, 12, 30)
    assert series_end(day, None, day + dt.timedelta(days=1), "FREQ=WEEKLY;COUNT=3") == (
        dt.date(2026, 3, 17)
    )
    # A count larger than the check takes now (an old plan): treated as without end.
    assert series_end(day, None, day, "FREQ=DAILY;COUNT=10000000") is None


FREQS = st.sampled_from(["SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"])


@st.composite
def rules(draw: st.DrawFn) -> str:
    parts = [f"FREQ={draw(FREQS)}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(0, 30))}")
    if draw(st.booleans()):
        days = draw(
            st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), min_size=1)
        )
        parts.append("BYDAY=" + ",".join(dict.fromkeys(days)))
    if draw(st.booleans()):
        days = draw(st.lists(st.integers(-31, 31).filter(bool), min_size=1, max_size=3))
        parts.append("BYMONTHDAY=" + ",".join(map(str, dict.fromkeys(days))))
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3))
        parts.append("BYMONTH=" + ",".join(map(str, dict.fromkeys(months))))
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(-1, MAX_COUNT * 2))}")
    if draw(st.booleans()):
        day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31)))
        parts.append(f"UNTIL={day:%Y%m%d}" + draw(st.sampled_from(["", "T235959", "T120000Z"])))
    return ";".join(draw(st.permutations(parts)))


@settings(max_examples=300, deadline=None)
@given(rules(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
@example("FREQ=DAILY;BYMONTHDAY=1;COUNT=1", dt.date(2020, 1, 2))  # the start is the one
def test_any_rule_the_check_takes_is_daily_or_slower_occurs_and_reads_as_words(
    rule: str, day: dt.date
) -> None:
    start = dt.datetime.combine(day, dt.time(9))
    try:
        checked = check_rule(rule, start)
    except RuleProblem as problem:
        assert str(problem)
        return
    upper = checked.upper()
    assert not any(f"FREQ={f}" in upper for f in ("SECONDLY", "MINUTELY", "HOURLY"))
    assert not ("COUNT=" in upper and "UNTIL=" in upper)
    # As the app expands series (RFC 5545: the start is the first occurrence, and counts
    # in COUNT); plain dateutil would drop a start the rule does not match.
    expanded = series_rule(checked, start)
    first = expanded.after(start, inc=True)
    assert first is not None
    end = series_end(day, dt.time(9), day, checked)
    assert end is None or end >= first.date()
    assert describe_recurrence(checked, day)
    assert recurrence_phrase(checked, day)


def test_plan_json_refuses_an_hourly_rule_naming_where() -> None:
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "items": [
            {
                "uid": "a@x",
                "title": "Standup",
                "kind": "meeting",
                "team": "joint",
                "start": "2026-03-02T09:00:00",
                "end": "2026-03-02T09:15:00",
                "rrule": "FREQ=HOURLY",
            }
        ],
    }
    with pytest.raises(ValidationError) as caught:
        plan_json.read_document(json.dumps(document))
    assert "items[0].rrule" in str(caught.value)
    assert "at most daily" in str(caught.value)


def _event(rule: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\n"
        "UID:u1@x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Ping\r\n"
        "DTSTART:20260302T090000\r\nDTEND:20260302T093000\r\n"
        f"RRULE:{rule}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MINUTELY;INTERVAL=5", "(FREQ=MINUTELY)"),
        ("FREQ=MONTHLY;COUNT=0", "never occurs"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "none of its months"),
    ],
)
def test_an_imported_event_with_such_a_rule_comes_in_once_with_a_note(
    rule: str, words: str
) -> None:
    [event] = read_ics(_event(rule), "x.ics").events
    assert event.record["rrule"] is None
    assert any(words in note and "single event" in note for note in event.notes)


@pytest.mark.parametrize(
    ("rule", "ends", "expected"),
    [
        ("FREQ=MONTHLY", dt.date(2027, 1, 31), "FREQ=MONTHLY;UNTIL=20270131T235959"),
        ("FREQ=MONTHLY;COUNT=6", dt.date(2027, 1, 31), "FREQ=MONTHLY;COUNT=6"),
        ("FREQ=MONTHLY;UNTIL=20261231T235959", dt.date(2027, 1, 31), None),
        ("FREQ=MONTHLY", None, "FREQ=MONTHLY"),
        (None, dt.date(2027, 1, 31), None),
    ],
)
def test_the_review_rule_never_has_both_ends_and_icalendar_and_dateutil_take_it(
    rule: str | None, ends: dt.date | None, expected: str | None
) -> None:
    result = review_rule(rule, ends)
    assert result == (expected if expected is not None or rule is None else rule)
    if result:
        assert not ("COUNT=" in result and "UNTIL=" in result)
        icalendar.vRecur.from_ical(result)
        assert check_rule(result, START) == result


def test_an_slas_meetings_with_a_count_keep_only_the_count(plan: Plan) -> None:
    from smarketing_desktop.services import slas
    from smarketing_desktop.store import models

    sla = slas.create_from_template(plan, "standard-b2b", today=dt.date(2027, 1, 10))
    assert sla["ends"]
    sla = slas.save_sla(
        plan,
        dict(
            sla,
            reviews=dict(sla["reviews"], start="2027-02-16T09:00:00", rrule="FREQ=MONTHLY;COUNT=4"),
        ),
    )
    with plan.read() as session:
        rules = [r for r in session.query(models.Item.rrule) if r[0]]
    assert rules == [("FREQ=MONTHLY;COUNT=4",)]
