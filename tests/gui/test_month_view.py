"""The month view driven with a real mouse and keyboard: what is shown and what is stored."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDrag, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui.calendar_mime import decode_uids, encode_uids
from smarketing_desktop.gui.day_popup import DayPopup
from smarketing_desktop.gui.month_view import MonthView
from smarketing_desktop.services import item_edits
from smarketing_desktop.services import items as item_service
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import FakeMarks, add, day, drag, drop, point, shapes, show, stored

# The plan of January 2030 and its context, and the answers to the series question.
calendar_plan, context, scope = helpers.calendar_plan, helpers.context, helpers.scope


def month(qtbot, context, size=(980, 720)) -> MonthView:
    view = MonthView(context)
    show(qtbot, view, size)
    return view


def cell(view: MonthView, when: dt.date) -> QPoint:
    """Low in a day cell, below its bars: an empty place of that day."""
    rect = view.cell_rect(when)
    return QPointF(rect.center().x(), rect.bottom() - 6).toPoint()


def test_the_month_grid_shows_the_month_from_monday(qtbot, context) -> None:
    view = month(qtbot, context)
    assert view.visible_range() == (dt.date(2029, 12, 31), dt.date(2030, 2, 3))
    assert view.period_title() == "January 2030"
    # The three-day expo is one continuous bar within its week; the call is a timed chip.
    (expo,) = shapes(view, "expo@t")
    assert expo.style == "bar" and expo.starts_here and expo.ends_here
    assert view.view_rect(expo).left() < view.cell_rect(day(14)).left() + 10
    assert view.view_rect(expo).right() > view.cell_rect(day(16)).right() - 10
    (call,) = shapes(view, "call@t")
    assert call.style == "chip"
    # The weekly sync (from the 7th) shows each Monday.
    assert [s.occurrence.start for s in shapes(view, "sync@t")] == [
        day(7),
        day(14),
        day(21),
        day(28),
    ]


def test_a_bar_crosses_week_rows(qtbot, context, calendar_plan) -> None:
    add(calendar_plan, "promo@t", "Winter promo", "2030-01-09", "2030-01-22", kind="promotion")
    view = month(qtbot, context)
    pieces = shapes(view, "promo@t")
    assert len(pieces) == 3  # Wed–Sun, the whole next week, Mon–Tue
    assert [p.starts_here for p in pieces] == [True, False, False]
    assert [p.ends_here for p in pieces] == [False, False, True]
    assert pieces[1].cut_before and pieces[1].cut_after
    rows = [view.view_rect(p).top() for p in pieces]
    assert rows == sorted(rows) and len(set(rows)) == 3


def test_drag_moves_an_item_keeping_its_length_in_one_undo_step(
    qtbot, context, calendar_plan
) -> None:
    view = month(qtbot, context)
    start = point(view, "expo@t")  # on the bar, over the 15th
    target = cell(view, day(22))  # a week later
    drag(qtbot, view, start, target, release=False)
    assert view.drag is not None and view.drag.active
    assert "Mon 21 – Wed 23 Jan" in view.drag_tip  # the new dates, while dragging
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(calendar_plan, "expo@t") == ("2030-01-21", "2030-01-23")
    stack = context.undo_stack
    assert stack.count() == 1
    # The view shows it at once, still selected.
    assert view.selected_uids() == ["expo@t"]
    assert shapes(view, "expo@t")[0].occurrence.start == day(21)
    stack.undo()
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")
    assert shapes(view, "expo@t")[0].occurrence.start == day(14)


def test_dragging_an_edge_resizes_and_the_cursor_says_so(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    end = point(view, "expo@t", "end")
    qtbot.mouseMove(view.viewport(), end)
    assert view.viewport().cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(view.viewport(), point(view, "expo@t"))
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
    drag(qtbot, view, end, cell(view, day(18)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-18")
    drag(qtbot, view, point(view, "expo@t", "start"), cell(view, day(13)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-13", "2030-01-18")
    # The start cannot pass the end: dragged beyond, the item keeps its last day.
    drag(qtbot, view, point(view, "expo@t", "start"), cell(view, day(25)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-18", "2030-01-18")
    assert context.undo_stack.count() == 3
    for _ in range(3):
        context.undo_stack.undo()
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")


def test_escape_cancels_a_drag_and_changes_nothing(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    target = cell(view, day(24))
    drag(qtbot, view, point(view, "expo@t"), target, release=False)
    assert view.drag is not None and view.drag.active
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.drag is None and view.drag_tip == ""
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")
    assert context.undo_stack.count() == 0


def test_a_timed_item_moves_by_whole_days_keeping_its_time(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    drag(qtbot, view, point(view, "call@t"), cell(view, day(18)))
    assert stored(calendar_plan, "call@t") == ("2030-01-18T14:00:00", "2030-01-18T15:00:00")


def test_double_click_or_drag_on_empty_days_asks_for_a_new_item(qtbot, context) -> None:
    view = month(qtbot, context)
    with qtbot.waitSignal(view.create_requested) as asked:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(29)))
    assert asked.args == [{"start": "2030-01-29", "end": "2030-01-29"}]
    with qtbot.waitSignal(view.create_requested) as asked:
        drag(qtbot, view, cell(view, day(30)), cell(view, day(28)))
    assert asked.args == [{"start": "2030-01-28", "end": "2030-01-30"}]
    assert context.undo_stack.count() == 0  # the dialog makes the item, not the gesture


def test_double_click_on_an_item_asks_to_open_it(qtbot, context) -> None:
    view = month(qtbot, context)
    with qtbot.waitSignal(view.item_activated) as opened:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "email@t"))
    assert opened.args[0].uid == "email@t"


def test_several_selected_items_move_together_in_one_step(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "expo@t"))
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        point(view, "email@t"),
    )
    assert sorted(view.selected_uids()) == ["email@t", "expo@t"]
    drag(qtbot, view, point(view, "email@t"), cell(view, day(19)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-16", "2030-01-18")
    assert stored(calendar_plan, "email@t") == ("2030-01-19", "2030-01-19")
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")
    assert stored(calendar_plan, "email@t") == ("2030-01-17", "2030-01-17")
    # A plain click on one of them picks just that one again.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "expo@t"))
    assert view.selected_uids() == ["expo@t"]


def test_keyboard_moves_the_focus_and_the_selected_item(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(13)))
    assert view.anchor_day() == day(13) and view.selected_uids() == []
    qtbot.keyClick(view, Qt.Key.Key_Right)  # Monday 14th: the expo comes first
    assert view.anchor_day() == day(14) and view.selected_uids() == ["expo@t"]
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert stored(calendar_plan, "expo@t") == ("2030-01-15", "2030-01-17")
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert stored(calendar_plan, "expo@t") == ("2030-01-22", "2030-01-24")
    assert context.undo_stack.count() == 2 and view.selected_uids() == ["expo@t"]
    qtbot.keyClick(view, Qt.Key.Key_Down)  # a week on: the 21st
    assert view.anchor_day() == day(21)
    with qtbot.waitSignal(view.item_activated):
        qtbot.keyClick(view, Qt.Key.Key_Return)
    with qtbot.waitSignal(view.delete_requested):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    # Past the grid the next month is shown.
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.anchor_day() == day(21) + dt.timedelta(weeks=3)
    assert view.period_title() == "February 2030"


def test_moving_one_occurrence_of_a_series(qtbot, context, calendar_plan, scope) -> None:
    view = month(qtbot, context)
    monday = [s for s in shapes(view, "sync@t") if s.occurrence.start == day(14)]
    start = view.view_rect(monday[0]).center().toPoint()
    scope.answer = "one"
    drag(qtbot, view, start, cell(view, day(15)))
    assert scope.asked == [("Pipeline sync", "Move")]
    item = item_edits.get_item(calendar_plan, "sync@t")
    assert item["start"] == "2030-01-07T09:00:00"  # the series itself stays
    (moved,) = item["overrides"]
    assert moved["recurrence_id"] == "2030-01-14T09:00:00"
    assert moved["start"] == "2030-01-15T09:00:00"
    starts = sorted(
        o.start
        for o in item_service.occurrences_between(calendar_plan, day(1), day(31))
        if o.uid == "sync@t"
    )
    assert starts == [day(7), day(15), day(21), day(28)]
    context.undo_stack.undo()
    assert item_edits.get_item(calendar_plan, "sync@t")["overrides"] == []


def test_moving_the_whole_series_or_cancelling(qtbot, context, calendar_plan, scope) -> None:
    view = month(qtbot, context)
    monday = [s for s in shapes(view, "sync@t") if s.occurrence.start == day(14)]
    scope.answer = None  # Cancel: nothing happens
    drag(qtbot, view, view.view_rect(monday[0]).center().toPoint(), cell(view, day(16)))
    assert stored(calendar_plan, "sync@t")[0] == "2030-01-07T09:00:00"
    assert context.undo_stack.count() == 0
    scope.answer = "series"
    monday = [s for s in shapes(view, "sync@t") if s.occurrence.start == day(14)]
    drag(qtbot, view, view.view_rect(monday[0]).center().toPoint(), cell(view, day(16)))
    assert stored(calendar_plan, "sync@t") == ("2030-01-09T09:00:00", "2030-01-09T09:30:00")
    assert context.undo_stack.count() == 1
    # The Monday meeting became a Wednesday meeting, every week.
    assert item_edits.get_item(calendar_plan, "sync@t")["rrule"] == "FREQ=WEEKLY;BYDAY=WE;COUNT=8"
    assert [s.occurrence.start for s in shapes(view, "sync@t")] == [
        day(9),
        day(16),
        day(23),
        day(30),
    ]
    # The moved occurrence stays selected through the refresh.
    assert [o.start for o in view.selected_occurrences()] == [day(16)]


def test_more_than_fits_shows_plus_n_more_and_lists_them(qtbot, context, calendar_plan) -> None:
    for n in range(9):
        add(calendar_plan, f"busy{n}@t", f"Busy task {n}", "2030-01-23", kind="social_post")
    view = month(qtbot, context, size=(900, 560))
    (mark,) = [m for m in view.more if m.day == day(23)]
    shown = [s for s in view.shapes if s.occurrence.start == day(23)]
    assert mark.count == 9 - len(shown) and mark.count > 0
    rect = mark.rect.center().toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect)
    popup = view.popup
    assert isinstance(popup, DayPopup) and popup.isVisible()
    assert popup.title.text() == "Wednesday 23 January"
    assert len(popup.occurrences()) == 9
    where = popup.list.visualItemRect(popup.list.item(4)).center()
    with qtbot.waitSignal(view.item_activated) as opened:
        # A double-click is a click and then a double-click event, as the platform sends.
        qtbot.mouseClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(popup.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened.args[0].uid == popup.list.item(4).data(Qt.ItemDataRole.UserRole).uid


def test_an_item_dragged_out_of_the_popup_moves_to_the_day_it_lands_on(
    qtbot, context, calendar_plan, monkeypatch
) -> None:
    for n in range(9):
        add(calendar_plan, f"busy{n}@t", f"Busy task {n}", "2030-01-23", kind="social_post")
    view = month(qtbot, context, size=(900, 560))
    (mark,) = [m for m in view.more if m.day == day(23)]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=mark.rect.center().toPoint())
    popup = view.popup
    carried = []

    def platform_drag(self, *args):  # the platform's drag loop: the user drops on the 25th
        carried.append(decode_uids(self.mimeData()))
        drop(view.viewport(), cell(view, day(25)), self.mimeData())
        return Qt.DropAction.MoveAction

    monkeypatch.setattr(QDrag, "exec", platform_drag)
    popup.list.setCurrentRow(0)
    uid = popup.list.item(0).data(Qt.ItemDataRole.UserRole).uid
    popup.list.startDrag(Qt.DropAction.MoveAction)
    assert carried == [([uid], "calendar")]
    assert stored(calendar_plan, uid) == ("2030-01-25", "2030-01-25")
    assert context.undo_stack.count() == 1


def test_filters_hide_items_and_keep_the_selection(qtbot, context) -> None:
    view = month(qtbot, context)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "expo@t"))
    view.set_filter(ItemFilter(kinds=frozenset({"tradeshow", "email_campaign"})))
    assert {s.occurrence.uid for s in view.shapes} == {"expo@t", "email@t"}
    assert view.selected_uids() == ["expo@t"]
    view.set_filter(ItemFilter(text="launch"))
    assert {s.occurrence.uid for s in view.shapes} == {"email@t"}
    assert view.selected_uids() == []
    view.set_filter(ItemFilter())
    assert len({s.occurrence.uid for s in view.shapes}) == 4


def test_only_the_visible_range_is_read(qtbot, context, monkeypatch) -> None:
    asked = []
    real = item_service.occurrences_between

    def spy(plan, first, last):
        asked.append((first, last))
        return real(plan, first, last)

    monkeypatch.setattr(item_service, "occurrences_between", spy)
    view = month(qtbot, context)
    # The six weeks shown, and one day each side (a timed item in another zone can cross
    # midnight at the user's clock).
    assert asked[-1] == (dt.date(2029, 12, 30), dt.date(2030, 2, 4))
    first, last = dt.date(2029, 12, 31), dt.date(2030, 2, 3)
    assert all(o.end >= first and o.start <= last for o in view.loaded)
    assert "far@t" not in {o.uid for o in view.loaded}  # next year's launch is never read
    view.step(1)
    assert asked[-1] == (dt.date(2030, 1, 27), dt.date(2030, 3, 4))


def test_dropping_an_idea_from_the_backlog_schedules_it(qtbot, context, calendar_plan) -> None:
    view = month(qtbot, context)
    assert drop(view.viewport(), cell(view, day(24)), encode_uids(["idea@t"], "backlog"))
    assert stored(calendar_plan, "idea@t") == ("2030-01-24", "2030-01-24")
    assert context.undo_stack.count() == 1
    assert view.selected_uids() == ["idea@t"]
    context.undo_stack.undo()
    assert stored(calendar_plan, "idea@t") == (None, None)
    # Something that is not items is refused.
    junk = QMimeData()
    junk.setText("<b>not an item</b>")
    assert not drop(view.viewport(), cell(view, day(24)), junk)


def test_dragging_items_out_of_the_view_carries_them_as_a_real_drag(
    qtbot, context, monkeypatch
) -> None:
    view = month(qtbot, context)
    carried = []
    monkeypatch.setattr(
        QDrag, "exec", lambda self, *a: carried.append(decode_uids(self.mimeData())) or 0
    )
    start = point(view, "expo@t")
    outside = QPoint(view.viewport().width() + 40, start.y())
    drag(qtbot, view, start, outside)
    assert carried == [(["expo@t"], "calendar")]
    assert view.drag is None  # the view's own gesture ended when the real drag began


def test_conflict_marks_badge_tooltip_and_red_ghost(qtbot, context) -> None:
    view = month(qtbot, context)
    marks = FakeMarks({"expo@t": "error", "email@t": "warning"}, acknowledged={"email@t"})
    view.set_marks(marks)
    assert view.badges == {("expo@t", None): "error", ("email@t", None): "acknowledged"}
    where = point(view, "expo@t")
    text = view.tooltip_at(QPointF(where))
    assert "Regional expo clashes with the sales kick-off" in text and "Tradeshow" in text
    QApplication.sendEvent(
        view.viewport(), QHelpEvent(QEvent.Type.ToolTip, where, view.viewport().mapToGlobal(where))
    )
    assert "clashes with the sales kick-off" in QToolTip.text()
    # Dragging onto the holiday: the ghost turns red and the tooltip says why.
    target = cell(view, day(21))
    drag(qtbot, view, where, target, release=False)
    assert view.ghost_is_conflict()
    assert "Overlaps the company holiday" in view.drag_tip
    image = view.viewport().grab().toImage()
    ghost = view.ghost_rects(None, view.drag.spans[("expo@t", None)], shapes(view, "expo@t")[0])
    sample = image.pixelColor(ghost[0][1].center().toPoint() + QPoint(0, 0))
    assert sample.red() > sample.green() + 40 and sample.red() > sample.blue() + 40
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    view.set_marks(None)
    assert view.badges == {}


def test_hostile_titles_are_shown_literally(qtbot, context, calendar_plan) -> None:
    title = "<b>Bold</b> & <img src=x> שלום 🎉 " + "Donaudampfschifffahrt" * 12
    add(calendar_plan, "odd@t", title, "2030-01-22")
    view = month(qtbot, context)
    text = view.tooltip_at(QPointF(point(view, "odd@t")))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;img src=x&gt;" in text and "<img" not in text
    assert not view.grab().isNull()


def test_a_move_refused_in_part_leaves_nothing_done(
    qtbot, context, calendar_plan, scope, boxes
) -> None:
    view = month(qtbot, context)
    monday = next(s for s in shapes(view, "sync@t") if s.occurrence.start == day(14))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "email@t"))
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        view.view_rect(monday).center().toPoint(),
    )
    assert sorted(view.selected_uids()) == ["email@t", "sync@t"]
    # Meanwhile another window deletes the series.
    item_edits.delete_items(calendar_plan, ["sync@t"])
    scope.answer = "one"
    drag(qtbot, view, point(view, "email@t"), cell(view, day(18)))
    assert "no longer exists" in boxes.texts()
    assert stored(calendar_plan, "email@t") == ("2030-01-17", "2030-01-17")
    assert context.undo_stack.count() == 0 and not context.undo_stack.canRedo()


def test_up_and_down_go_through_a_days_items_before_leaving_the_day(qtbot, context) -> None:
    view = month(qtbot, context)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(15)))
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the 16th: the expo's last day, then the call
    assert view.anchor_day() == day(16) and view.selected_uids() == ["expo@t"]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.anchor_day() == day(16) and view.selected_uids() == ["call@t"]
    qtbot.keyClick(view, Qt.Key.Key_Down)  # past the last item: a week on
    assert view.anchor_day() == day(23) and view.selected_uids() == []
    qtbot.keyClick(view, Qt.Key.Key_Up)  # back up lands on the day's last item
    assert view.anchor_day() == day(16) and view.selected_uids() == ["call@t"]
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.anchor_day() == day(16) and view.selected_uids() == ["expo@t"]
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.anchor_day() == day(9)


def test_a_short_month_scrolls_its_weeks_instead_of_hiding_every_item(qtbot, context) -> None:
    from smarketing_desktop.gui.month_view import MIN_ROW

    view = month(qtbot, context, size=(980, 320))  # a window with the Conflicts dock open
    assert view.row_h == MIN_ROW and view.fit >= 3
    assert view.verticalScrollBar().maximum() > 0
    # The 14th holds the expo (all-day bar) and nothing is hidden behind "+N more".
    assert shapes(view, "expo@t") and not [m for m in view.more if m.day == day(14)]
    # The keyboard scrolls to the focused day; a click there lands on that day.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(15)))
    for _ in range(2):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.anchor_day() == day(29)
    rect = view.cell_rect(day(29))
    assert view.verticalScrollBar().value() > 0
    assert rect.top() >= 30 and rect.bottom() <= view.viewport().height()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(30)))
    assert view.anchor_day() == day(30)
    # Bars scroll with their days.
    (sync,) = [s for s in shapes(view, "sync@t") if s.occurrence.start == day(28)]
    assert view.cell_rect(day(28)).contains(view.view_rect(sync).center())
