"""The week view: timed items on the hour grid (15-minute snaps), all-day bars on top."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from smarketing_desktop.gui import zones
from smarketing_desktop.gui.calendar_mime import encode_uids
from smarketing_desktop.gui.week_view import GRID, HOUR, WeekView
from smarketing_desktop.services import item_edits
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import FakeMarks, add, day, drag, drop, point, shapes, show, stored

calendar_plan, context, scope = helpers.calendar_plan, helpers.context, helpers.scope


def week(qtbot, context) -> WeekView:
    view = WeekView(context)
    show(qtbot, view)
    return view


def at(view: WeekView, when, minutes=None):
    return view.slot_center(when, minutes).toPoint()


def test_the_week_opens_at_eight_with_items_where_they_belong(qtbot, context) -> None:
    view = week(qtbot, context)
    assert view.visible_range() == (day(14), day(20))
    assert view.period_title() == "14 – 20 January 2030"
    first_hour = view.verticalScrollBar().value() / HOUR
    assert 7.5 <= first_hour <= 8  # the working day, with the 08:00 label in view
    (call,) = shapes(view, "call@t")
    assert call.style == "block" and call.layer == GRID
    assert call.rect.top() == 14 * HOUR + 1 and call.times == "14:00 – 15:00"
    (expo,) = shapes(view, "expo@t")  # all-day: a bar in the band on top
    assert expo.style == "bar" and expo.layer != GRID


def test_dragging_a_timed_item_snaps_to_quarter_hours(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    drag(qtbot, view, point(view, "call@t"), at(view, day(17), 16 * 60), release=False)
    assert "Thu 17 Jan, 15:30 – 16:30" in view.drag_tip
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, day(17), 960))
    assert stored(calendar_plan, "call@t") == ("2030-01-17T15:30:00", "2030-01-17T16:30:00")
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert stored(calendar_plan, "call@t") == ("2030-01-16T14:00:00", "2030-01-16T15:00:00")


def test_dragging_the_top_or_bottom_edge_changes_the_times(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    qtbot.mouseMove(view.viewport(), point(view, "call@t", "end"))
    assert view.viewport().cursor().shape() == Qt.CursorShape.SizeVerCursor
    drag(qtbot, view, point(view, "call@t", "end"), at(view, day(16), 16 * 60 + 15))
    assert stored(calendar_plan, "call@t") == ("2030-01-16T14:00:00", "2030-01-16T16:15:00")
    drag(qtbot, view, point(view, "call@t", "start"), at(view, day(16), 13 * 60 + 30))
    assert stored(calendar_plan, "call@t") == ("2030-01-16T13:30:00", "2030-01-16T16:15:00")
    # Dragged past the end, the start stops a quarter of an hour before it.
    drag(qtbot, view, point(view, "call@t", "start"), at(view, day(16), 18 * 60))
    assert stored(calendar_plan, "call@t") == ("2030-01-16T16:00:00", "2030-01-16T16:15:00")
    assert context.undo_stack.count() == 3


def test_escape_cancels(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    drag(qtbot, view, point(view, "call@t"), at(view, day(18), 600), release=False)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, day(18), 600))
    assert stored(calendar_plan, "call@t") == ("2030-01-16T14:00:00", "2030-01-16T15:00:00")
    assert context.undo_stack.count() == 0


def test_all_day_bars_move_by_days_in_the_band(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    drag(qtbot, view, point(view, "expo@t"), at(view, day(17)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-16", "2030-01-18")
    drag(qtbot, view, point(view, "expo@t", "end"), at(view, day(19)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-16", "2030-01-19")


def test_overlapping_timed_items_sit_side_by_side(qtbot, context, calendar_plan) -> None:
    add(calendar_plan, "call2@t", "Budget review", "2030-01-16T14:30:00", "2030-01-16T15:30:00")
    view = week(qtbot, context)
    (first,) = shapes(view, "call@t")
    (second,) = shapes(view, "call2@t")
    assert not first.rect.intersects(second.rect)
    assert abs(first.rect.width() - second.rect.width()) < 1
    assert first.rect.width() < view.col_w / 2


def test_creating_by_double_click_or_by_dragging_a_time_range(qtbot, context) -> None:
    view = week(qtbot, context)
    with qtbot.waitSignal(view.create_requested) as asked:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, day(17), 600))
    zone = zones.local_zone_name()  # a timed item gets the user's zone, as Ctrl+N's does
    assert asked.args == [
        {"start": "2030-01-17T10:00:00", "end": "2030-01-17T11:00:00", "tz": zone}
    ]
    with qtbot.waitSignal(view.create_requested) as asked:
        drag(qtbot, view, at(view, day(17), 600), at(view, day(17), 11 * 60 + 30))
    assert asked.args == [
        {"start": "2030-01-17T10:00:00", "end": "2030-01-17T11:45:00", "tz": zone}
    ]


def test_keyboard_moves_timed_items_by_a_quarter_hour(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "call@t"))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert stored(calendar_plan, "call@t") == ("2030-01-16T14:15:00", "2030-01-16T15:15:00")
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert stored(calendar_plan, "call@t") == ("2030-01-15T14:15:00", "2030-01-15T15:15:00")
    assert context.undo_stack.count() == 2
    # Up and down walk through the focused day's items.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, day(14), 20 * 60))
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_uids() == ["expo@t"]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_uids() == ["sync@t"]


def test_one_occurrence_of_a_series_moves_to_another_time(
    qtbot, context, calendar_plan, scope
) -> None:
    view = week(qtbot, context)
    # Grabbed in its middle (09:15) and let go at 10:15: an hour later, a day later.
    drag(qtbot, view, point(view, "sync@t"), at(view, day(15), 10 * 60 + 15))
    item = item_edits.get_item(calendar_plan, "sync@t")
    assert scope.asked == [("Pipeline sync", "Move")]
    assert item["start"] == "2030-01-07T09:00:00"
    assert [(o["recurrence_id"], o["start"], o["end"]) for o in item["overrides"]] == [
        ("2030-01-14T09:00:00", "2030-01-15T10:00:00", "2030-01-15T10:30:00")
    ]


def test_ideas_dropped_on_the_grid_get_that_hour(qtbot, context, calendar_plan) -> None:
    view = week(qtbot, context)
    assert drop(view.viewport(), at(view, day(18), 11 * 60), encode_uids(["idea@t"], "backlog"))
    assert stored(calendar_plan, "idea@t") == ("2030-01-18T11:00:00", "2030-01-18T12:00:00")
    context.undo_stack.undo()
    assert drop(view.viewport(), at(view, day(19)), encode_uids(["idea@t"], "backlog"))
    assert stored(calendar_plan, "idea@t") == ("2030-01-19", "2030-01-19")


def test_a_conflicting_drop_is_previewed(qtbot, context) -> None:
    view = week(qtbot, context)
    marks = FakeMarks({})
    view.set_marks(marks)
    drag(qtbot, view, point(view, "expo@t"), at(view, day(20)), release=False)
    assert view.ghost_is_conflict() and "Overlaps the company holiday" in view.drag_tip
    assert marks.previews[-1] == ("expo@t", day(19), day(21))  # grabbed on the 15th
    qtbot.keyClick(view, Qt.Key.Key_Escape)


def test_a_crowded_all_day_band_says_how_many_more(qtbot, context, calendar_plan) -> None:
    for n in range(6):
        add(calendar_plan, f"fair{n}@t", f"Fair {n}", "2030-01-17", kind="tradeshow")
    view = week(qtbot, context)
    (mark,) = [m for m in view.more if m.day == day(17)]
    shown = [
        s
        for s in view.shapes
        if s.layer != GRID and s.occurrence.start <= day(17) <= s.occurrence.end
    ]
    assert mark.count + len(shown) == 7  # six fairs and the launch email
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=mark.rect.center().toPoint())
    assert view.popup.isVisible() and len(view.popup.occurrences()) == 7


def test_many_parallel_meetings_keep_readable_columns_and_say_how_many_more(
    qtbot, context, calendar_plan
) -> None:
    for n in range(9):
        add(
            calendar_plan,
            f"m{n}@t",
            f"Parallel meeting {n}",
            "2030-01-15T10:00:00",
            "2030-01-15T11:00:00",
            kind="meeting",
        )
    view = week(qtbot, context)
    blocks = [s for s in view.shapes if s.occurrence.uid.startswith("m") and s.style == "block"]
    assert blocks and len(blocks) < 9
    assert min(s.rect.width() for s in blocks) >= 40
    (more,) = [m for m in view.more if m.day == day(15) and m.layer == GRID]
    assert more.count == 9 - len(blocks)
    # "+N" opens the day's list with every one of them.
    where = more.rect.translated(view.layer_offset(GRID)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where.toPoint())
    assert view.popup is not None
    assert len([o for o in view.popup.occurrences() if o.uid.startswith("m")]) == 9


def test_a_drag_held_still_at_the_bottom_edge_keeps_scrolling(
    qtbot, context, calendar_plan
) -> None:
    view = WeekView(context)
    show(qtbot, view, size=(980, 420))  # a laptop window: the day does not fit
    bar = view.verticalScrollBar()
    bottom = QPoint(at(view, day(16), 14 * 60).x(), view.viewport().height() - 4)
    drag(qtbot, view, point(view, "call@t"), bottom, release=False)
    assert view.drag is not None
    (first_span,) = view.drag.spans.values()
    assert 0 < bar.value() < bar.maximum()
    # The hand stops; the view goes on scrolling to the end of the day, and the dragged
    # time goes with it.
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=3000)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=bottom)
    start, _end = stored(calendar_plan, "call@t")
    assert first_span.start_time is not None
    assert start > f"2030-01-16T{first_span.start_time.isoformat()}"
    assert context.undo_stack.count() == 1
    # The timer stops with the drag: nothing scrolls after the drop.
    bar.setValue(bar.minimum())
    qtbot.wait(200)
    assert bar.value() == bar.minimum()
