"""Items kept in another time zone sit at the user's clock time on the calendar, the
agenda and the printout; edits made there go back in the item's own zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from PySide6.QtCore import Qt

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.domain.zones import in_zone, to_item_zone, zone_of
from smarketing_desktop.gui import zones
from smarketing_desktop.gui.agenda import AgendaView
from smarketing_desktop.gui.calendar_shapes import tooltip_html
from smarketing_desktop.gui.week_view import HOUR, WeekView
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import add, day, drag, point, shapes, show, stored

calendar_plan, context = helpers.calendar_plan, helpers.context
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def in_berlin(monkeypatch) -> None:
    """The user works in Berlin, whatever zone the test machine has."""
    monkeypatch.setattr(zones, "local_zone_name", lambda: "Europe/Berlin")


def call(start: str, end: str, tz: str | None) -> Occurrence:
    s, e = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
    return Occurrence(
        "c@t", "Call", "meeting", "sales", "planned", "small",
        s.date(), e.date(), s.time(), e.time(), tz=tz,
    )  # fmt: skip


def test_an_item_in_another_zone_is_shown_at_the_users_clock_time() -> None:
    shown = in_zone(call("2030-01-16T09:00", "2030-01-16T10:00", "America/New_York"), BERLIN)
    assert (shown.start, shown.start_time, shown.end_time) == (day(16), dt.time(15), dt.time(16))
    assert shown.tz == "America/New_York"  # still its own zone, for the tooltip and edits
    late = in_zone(call("2030-01-16T19:00", "2030-01-16T20:00", "America/New_York"), BERLIN)
    assert (late.start, late.end, late.start_time) == (day(17), day(17), dt.time(1))
    offset = in_zone(call("2030-01-16T09:00", "2030-01-16T10:00", "+05:30"), BERLIN)
    assert offset.start_time == dt.time(4, 30)
    for same in ("Europe/Berlin", None, "Nowhere/Atlantis"):  # unchanged
        original = call("2030-01-16T09:00", "2030-01-16T10:00", same)
        assert in_zone(original, BERLIN) is original
    assert zone_of("Nowhere/Atlantis") is None and zone_of("+99:99") is None
    back = to_item_zone(Span.of(shown), "America/New_York", BERLIN)
    assert back == Span(day(16), day(16), dt.time(9), dt.time(10))


def test_the_week_view_places_and_edits_it_at_local_time(qtbot, context, calendar_plan) -> None:
    add(
        calendar_plan,
        "ny@t",
        "New York call",
        "2030-01-16T09:00:00",
        "2030-01-16T10:00:00",
        kind="meeting",
        tz="America/New_York",
    )
    view = WeekView(context)
    show(qtbot, view)
    (block,) = shapes(view, "ny@t")
    assert block.rect.top() == 15 * HOUR + 1 and block.times == "15:00 – 16:00"
    tip = tooltip_html(block.occurrence)
    assert "Wed 16 Jan, 15:00 – 16:00" in tip
    assert "In America/New_York: Wed 16 Jan, 09:00 – 10:00" in tip
    # Its end dragged to 17:00 on the local grid is 11:00 in New York.
    end = view.slot_center(day(16), 17 * 60).toPoint()
    drag(qtbot, view, point(view, "ny@t", "end"), end)
    assert stored(calendar_plan, "ny@t") == ("2030-01-16T09:00:00", "2030-01-16T11:00:00")
    context.undo_stack.undo()
    assert stored(calendar_plan, "ny@t") == ("2030-01-16T09:00:00", "2030-01-16T10:00:00")
    # A floating item stays where its clock says.
    (floating,) = shapes(view, "call@t")
    assert floating.times == "14:00 – 15:00"


def test_a_new_item_from_the_hour_grid_gets_the_users_zone(qtbot, context) -> None:
    view = WeekView(context)
    show(qtbot, view)
    where = view.slot_center(day(17), 600).toPoint()
    with qtbot.waitSignal(view.create_requested) as asked:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert asked.args == [
        {"start": "2030-01-17T10:00:00", "end": "2030-01-17T11:00:00", "tz": "Europe/Berlin"}
    ]
    # A day in the month stays all-day (Ctrl+N's item, too, only gets a zone once timed).
    assert "tz" not in view.creation_defaults(Span(day(17), day(17)))


def test_the_agenda_lists_it_at_local_time(qtbot, context, calendar_plan) -> None:
    today = dt.date.today()
    add(
        calendar_plan,
        "ny@t",
        "New York call",
        f"{today + dt.timedelta(days=2)}T09:00:00",
        f"{today + dt.timedelta(days=2)}T10:00:00",
        kind="meeting",
        tz="America/New_York",
    )
    agenda = AgendaView(context)
    qtbot.addWidget(agenda)
    agenda.show()
    rows = {o.uid: o for o in agenda.model.rows}
    shown = rows["ny@t"]
    expected = dt.datetime.combine(
        today + dt.timedelta(days=2), dt.time(9), zoneinfo.ZoneInfo("America/New_York")
    ).astimezone(BERLIN)
    assert shown.start_time == expected.time().replace(tzinfo=None)


def test_an_item_stored_the_day_after_the_range_is_shown_inside_it(qtbot, context) -> None:
    """01:00 in Tokyo is the evening before in Berlin: a view that ends on that evening must
    read the next stored day too, else the call is missing from it (and the printout)."""
    plan = context.plan
    today = dt.date.today()
    stored_day = today + dt.timedelta(days=10)
    add(
        plan,
        "tokyo@t",
        "Tokyo call",
        f"{stored_day}T01:00:00",
        f"{stored_day}T02:00:00",
        kind="meeting",
        tz="Asia/Tokyo",
    )
    evening = stored_day - dt.timedelta(days=1)
    agenda = AgendaView(context)
    qtbot.addWidget(agenda)
    agenda.show()
    agenda.set_range(today, evening)
    rows = {o.uid: o for o in agenda.model.rows}
    assert "tokyo@t" in rows and rows["tokyo@t"].start == evening
    # The day it is stored on, at Berlin's clock, no longer holds it.
    agenda.set_range(stored_day, stored_day + dt.timedelta(days=5))
    assert "tokyo@t" not in {o.uid for o in agenda.model.rows}


ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "UTC", "+05:45")


def _exists(moment: dt.datetime, zone: dt.tzinfo) -> bool:
    """Not in a DST gap nor a repeated hour (those have no single clock reading)."""
    there = moment.replace(tzinfo=zone)
    again = there.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    other = moment.replace(tzinfo=zone, fold=1).utcoffset()
    return again == moment and other == there.utcoffset()


@given(
    st.sampled_from(ZONES),
    st.sampled_from(ZONES),
    st.datetimes(dt.datetime(2029, 1, 1), dt.datetime(2031, 12, 31)),
    st.integers(15, 3 * 24 * 60),
)
def test_shown_and_stored_times_round_trip(own: str, user: str, start, minutes: int) -> None:
    source, target = zone_of(own), zone_of(user)
    assert source is not None and target is not None
    start = start.replace(second=0, microsecond=0, fold=0)
    end = start + dt.timedelta(minutes=minutes)
    assume(_exists(start, source) and _exists(end, source))
    shown = in_zone(call(start.isoformat(), end.isoformat(), own), target)
    begin, finish = Span.of(shown).begin, Span.of(shown).finish
    assume(_exists(begin, target) and _exists(finish, target))
    # The same instants, and back in the item's zone exactly as stored.
    assert begin.replace(tzinfo=target) == start.replace(tzinfo=source)
    assert finish.replace(tzinfo=target) == end.replace(tzinfo=source)
    assert to_item_zone(Span.of(shown), own, target) == Span.of(
        call(start.isoformat(), end.isoformat(), own)
    )
