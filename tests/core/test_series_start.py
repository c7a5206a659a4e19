"""A series' start is its first occurrence (RFC 5545), as Outlook, Google and
recurring-ical-events have it, even when the rule itself does not match that day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from smarketing_desktop.conflicts.data import Horizon, ItemFacts, build_entry
from smarketing_desktop.domain.recurrence import series_end, series_rule
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.exchange.ical_export import export_ics_bytes
from smarketing_desktop.exchange.ical_read import read_ics
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.demo import demo_document
from smarketing_desktop.services.ical import import_calendars
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan
from tests.core.ical_support import make_plan, one, parse

UID = "series@acme.example"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plan]:
    plan = make_plan(tmp_path_factory.mktemp("series") / "series.smplan")
    yield plan
    plan.close()


def _days(plan: Plan, first: dt.date, last: dt.date) -> list[dt.datetime]:
    return sorted(
        dt.datetime.combine(o.start, o.start_time or dt.time.min)
        for o in occurrences_between(plan, first, last)
        if o.uid == UID
    )


def test_the_start_is_the_first_meeting_though_the_rule_does_not_match_it(plan: Plan) -> None:
    # Wed 11 Nov 2026 is not a last Wednesday; the 25th is.
    item_edits.create_item(
        plan,
        {
            "uid": UID,
            "title": "Customer newsletter",
            "kind": "email_campaign",
            "start": "2026-11-11",
            "end": "2026-11-11",
            "rrule": "FREQ=MONTHLY;BYDAY=-1WE",
        },
    )
    try:
        assert _days(plan, dt.date(2026, 11, 1), dt.date(2027, 1, 31)) == [
            dt.datetime(2026, 11, 11),
            dt.datetime(2026, 11, 25),
            dt.datetime(2026, 12, 30),
            dt.datetime(2027, 1, 27),
        ]
    finally:
        item_edits.delete_items(plan, [UID])


def test_the_start_counts_as_the_first_of_count() -> None:
    moments = list(series_rule("FREQ=MONTHLY;BYDAY=-1WE;COUNT=3", dt.datetime(2026, 12, 2)))
    assert moments == [
        dt.datetime(2026, 12, 2),
        dt.datetime(2026, 12, 30),
        dt.datetime(2027, 1, 27),
    ]
    assert list(series_rule("FREQ=WEEKLY;BYDAY=FR;COUNT=1", dt.datetime(2026, 12, 2))) == [
        dt.datetime(2026, 12, 2)
    ]
    # A start the rule matches is counted once.
    assert len(list(series_rule("FREQ=MONTHLY;BYDAY=-1WE;COUNT=3", dt.datetime(2026, 12, 30)))) == 3
    assert series_end(
        dt.date(2026, 12, 2), None, dt.date(2026, 12, 3), "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3"
    ) == dt.date(2027, 1, 28)


def test_the_conflict_engine_sees_the_start_too() -> None:
    facts = ItemFacts(
        uid=UID,
        title="Newsletter",
        kind="email_campaign",
        status="planned",
        impact="big",
        start_date=dt.date(2026, 11, 11),
        end_date=dt.date(2026, 11, 11),
        rrule="FREQ=MONTHLY;BYDAY=-1WE;COUNT=2",
    )
    entry = build_entry(facts, Horizon(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
    assert entry is not None
    assert [o.d0 for o in entry.occs] == [
        dt.date(2026, 11, 11).toordinal(),
        dt.date(2026, 11, 25).toordinal(),
    ]


def test_an_imported_series_keeps_its_start_on_a_day_the_rule_does_not_match(
    tmp_path: Path,
) -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//QA//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:mismatch-1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261202\r\n"
        b"DTEND;VALUE=DATE:20261203\r\nRRULE:FREQ=MONTHLY;BYDAY=-1WE;COUNT=3\r\n"
        b"SUMMARY:Month-end webinar\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    plan = make_plan(tmp_path / "p.smplan")
    try:
        import_calendars(plan, read_ics(data, "mismatch.ics"))
        shown = [
            o.start
            for o in occurrences_between(plan, dt.date(2026, 11, 1), dt.date(2027, 3, 31))
            if o.uid == "mismatch-1"
        ]
        expanded = recurring_ical_events.of(parse(data)).between(
            dt.date(2026, 11, 1), dt.date(2027, 4, 1)
        )
        outlook = sorted(e.decoded("DTSTART") for e in expanded)
        # recurring-ical-events adds the start on top of COUNT; RFC 5545 counts it in.
        assert (
            shown
            == outlook[:3]
            == [
                dt.date(2026, 12, 2),
                dt.date(2026, 12, 30),
                dt.date(2027, 1, 27),
            ]
        )
        exported, _ = export_ics_bytes(plan)
        assert one(exported, "mismatch-1").decoded("DTSTART") == dt.date(2026, 12, 2)
    finally:
        plan.close()


@st.composite
def series(draw: st.DrawFn) -> tuple[dt.datetime, bool, str, list[int]]:
    """A start, whether it is all-day, a rule and which occurrences to skip."""
    day = draw(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31)))
    all_day = draw(st.booleans())
    time = dt.time.min if all_day else draw(st.sampled_from([dt.time(9), dt.time(16, 30)]))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 3))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq == "WEEKLY" and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    elif freq == "MONTHLY":
        shape = draw(st.sampled_from(["none", "position", "monthday"]))
        if shape == "position":
            position = draw(st.sampled_from(["1", "2", "3", "4", "-1"]))
            parts.append(f"BYDAY={position}{draw(st.sampled_from(WEEKDAYS))}")
        elif shape == "monthday":
            parts.append(f"BYMONTHDAY={draw(st.integers(1, 28))}")
    end = draw(st.sampled_from(["count", "until", "none"]))
    if end == "count":
        parts.append(f"COUNT={draw(st.integers(1, 8))}")
    elif end == "until":
        until = day + dt.timedelta(days=draw(st.integers(0, 500)))
        parts.append(f"UNTIL={until:%Y%m%d}" + ("" if all_day else "T235959"))
    skips = draw(st.lists(st.integers(0, 5), max_size=2, unique=True))
    return dt.datetime.combine(day, time), all_day, ";".join(parts), skips


def _independent(data: bytes, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """The starts recurring-ical-events gives, with COUNT read as RFC 5545 writes it.

    recurring-ical-events adds DTSTART on top of COUNT when the rule does not match it;
    the RFC counts DTSTART as the first of COUNT, so the expansion without exceptions is
    cut to COUNT before EXDATEs are taken out.
    """
    calendar = parse(data)
    event = next(c for c in calendar.walk("VEVENT") if str(c["UID"]) == UID)
    count = event["RRULE"].get("COUNT")
    skipped: set[dt.datetime] = set()
    if count:
        exdates = event.pop("EXDATE", None)
        if exdates is not None:
            for group in exdates if isinstance(exdates, list) else [exdates]:
                skipped |= {_naive(d.dt) for d in group.dts}
    found = sorted(
        _naive(o.decoded("DTSTART"))
        for o in recurring_ical_events.of(calendar).between(
            dt.date(2025, 1, 1), dt.date(2060, 1, 1)
        )
        if str(o["UID"]) == UID
    )
    if count:
        found = [m for m in found[: int(count[0])] if m not in skipped]
    return [m for m in found if first <= m.date() <= last]


def _naive(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.min)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(series())
def test_the_app_expands_a_series_as_recurring_ical_events_expands_its_export(
    plan: Plan, drawn: tuple[dt.datetime, bool, str, list[int]]
) -> None:
    start, all_day, rule, skips = drawn
    first_moments = list(series_rule(rule, start).xafter(start, count=6, inc=True))
    exdates = sorted(
        {
            (m.date().isoformat() if all_day else m.isoformat())
            for index, m in enumerate(first_moments)
            if index in skips
        }
    )
    item = {
        "uid": UID,
        "title": "Series",
        "kind": "meeting",
        "start": start.date().isoformat() if all_day else start.isoformat(),
        "end": start.date().isoformat()
        if all_day
        else (start + dt.timedelta(minutes=30)).isoformat(),
        "rrule": rule,
        "exdates": exdates,
    }
    try:
        item_edits.create_item(plan, item)
    except ValidationError:
        reject()
    try:
        first, last = start.date() - dt.timedelta(days=3), start.date() + dt.timedelta(days=800)
        data, _ = export_ics_bytes(plan)
        assert _days(plan, first, last) == _independent(data, first, last)
    finally:
        item_edits.delete_items(plan, [UID])


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_the_demo_never_starts_a_series_on_a_day_its_rule_does_not_match(today: dt.date) -> None:
    for item in demo_document(today)["items"]:
        if not item.get("rrule"):
            continue
        for value in [item["start"], *item.get("exdates", [])]:
            moment = dt.datetime.fromisoformat(value)
            assert rrulestr(item["rrule"], dtstart=moment).after(moment, inc=True) == moment
        assert item["end"] >= item["start"]


def test_the_demo_newsletter_moves_to_the_last_wednesday() -> None:
    # Moved by whole weeks it would start on Wed 11 Nov 2026, not a last Wednesday.
    items = {i["title"]: i for i in demo_document(dt.date(2026, 11, 23))["items"]}
    assert items["Customer newsletter"]["start"] == "2026-11-25T15:00:00"
    assert items["Customer newsletter"]["end"] == "2026-11-25T15:30:00"
    assert items["Pipeline sync (sales + marketing)"]["start"] == "2026-10-19T09:30:00"
