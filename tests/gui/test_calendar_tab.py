"""The Calendar tab in the main window: switching views, navigating, opening and creating
items, filters across views, and items dragged between the calendar and the backlog."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QMessageBox, QTableView

from smarketing_desktop.domain.words import Kind
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.calendar_legend import Legend
from smarketing_desktop.gui.calendar_mime import decode_uids
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.month_view import MonthView
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.items import backlog
from smarketing_desktop.store.planfile import Plan
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import DAY, day, drag, drop, point, shapes, stored

calendar_plan = helpers.calendar_plan


def open_window(qtbot, plan: Plan) -> MainWindow:
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts go to the active window
    window.tabs.setCurrentWidget(window.calendar)
    window.calendar.show_day(DAY)
    return window


@pytest.fixture
def window(qtbot, calendar_plan) -> MainWindow:
    return open_window(qtbot, calendar_plan)


def cell(view: MonthView, when: dt.date) -> QPoint:
    rect = view.cell_rect(when)
    return QPoint(int(rect.center().x()), int(rect.bottom() - 6))


def test_views_switch_by_buttons_and_keys_and_are_remembered(qtbot, window, calendar_plan) -> None:
    tab = window.calendar
    assert tab.pages.currentWidget() is tab.month_view
    assert tab.title.text() == "January 2030"
    qtbot.mouseClick(tab.view_button["week"], Qt.MouseButton.LeftButton)
    assert tab.pages.currentWidget() is tab.week_view
    assert tab.title.text() == "14 – 20 January 2030"
    assert not tab.timeline_tools.isVisible()
    qtbot.keyClick(tab.week_view, Qt.Key.Key_Q)
    assert tab.pages.currentWidget() is tab.timeline_view and tab.timeline_tools.isVisible()
    assert tab.title.text() == "Q1 2030 · Jan – Mar"
    tab.lanes_combo.setCurrentIndex(tab.lanes_combo.findData("persona"))
    assert tab.timeline_view.grouping == "persona"
    qtbot.mouseClick(tab.zoom_in_button, Qt.MouseButton.LeftButton)
    zoom = tab.timeline_view.ppd
    qtbot.keyClick(tab.timeline_view, Qt.Key.Key_A)
    assert tab.pages.currentWidget() is tab.agenda
    assert tab.agenda.visible_range() == (DAY, DAY + dt.timedelta(days=89))
    qtbot.mouseClick(tab.view_button["quarter"], Qt.MouseButton.LeftButton)
    window.close()
    # A new window opens where the user left: the timeline, by persona, at that zoom.
    again = open_window(qtbot, calendar_plan)
    assert again.calendar.pages.currentWidget() is again.calendar.timeline_view
    assert again.calendar.timeline_view.grouping == "persona"
    assert again.calendar.lanes_combo.currentData() == "persona"
    assert again.calendar.timeline_view.ppd == pytest.approx(zoom)
    assert settings.CALENDAR_VIEW.get() == "quarter"


def test_the_heading_follows_the_arrow_keys_into_the_next_month(qtbot, window) -> None:
    tab = window.calendar
    view = tab.month_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(29)))
    qtbot.keyClick(view, Qt.Key.Key_Down)  # 5 February: past the grid
    assert view.anchor_day() == dt.date(2030, 2, 5)
    assert tab.title.text() == view.period_title() == "February 2030"
    tab.set_view("week")
    for _ in range(6):  # Tuesday to the next Monday
        qtbot.keyClick(tab.week_view, Qt.Key.Key_Right)
    assert tab.week_view.anchor_day() == dt.date(2030, 2, 11)
    assert tab.title.text() == tab.week_view.period_title() == "11 – 17 February 2030"


def test_the_agenda_starts_today_when_today_was_in_view(qtbot, window) -> None:
    tab = window.calendar
    today = dt.date.today()
    tab.show_day(today)
    tab.set_view("quarter")
    first, last = tab.timeline_view.visible_range()
    tab.timeline_view.focus_day = first if first != today else last  # a click elsewhere
    tab.set_view("agenda")
    assert tab.agenda.visible_range()[0] == today
    # Looking at another period, the agenda lists from where the user was.
    tab.set_view("month")
    tab.show_day(DAY)
    tab.set_view("agenda")
    assert tab.agenda.visible_range()[0] == DAY


def test_previous_next_today_and_jump_to_a_date(qtbot, window) -> None:
    tab = window.calendar
    assert tab.month_view.hasFocus()  # the calendar has the keyboard when its tab is shown
    qtbot.keyClick(tab.month_view, Qt.Key.Key_PageDown)
    assert tab.title.text() == "February 2030"
    qtbot.keyClick(tab.month_view, Qt.Key.Key_PageUp)
    qtbot.keyClick(tab.month_view, Qt.Key.Key_PageUp)
    assert tab.title.text() == "December 2029"
    qtbot.keyClick(tab.month_view, Qt.Key.Key_T)
    assert tab.title.text() == f"{dt.date.today():%B %Y}"
    tab.open_date_picker()
    assert tab.date_menu.isVisible()
    tab.date_picker.setSelectedDate(QDate(2030, 3, 12))
    qtbot.keyClick(tab.date_picker.findChild(QTableView), Qt.Key.Key_Return)
    assert not tab.date_menu.isVisible()
    assert tab.title.text() == "March 2030" and tab.anchor_day() == dt.date(2030, 3, 12)
    # In the week view the same keys step by weeks, and the focused day carries over.
    tab.set_view("week")
    assert tab.title.text() == "11 – 17 March 2030"
    qtbot.keyClick(tab.week_view, Qt.Key.Key_PageDown)
    assert tab.title.text() == "18 – 24 March 2030" and tab.anchor_day() == dt.date(2030, 3, 19)
    qtbot.mouseClick(tab.previous_button, Qt.MouseButton.LeftButton)
    assert tab.anchor_day() == dt.date(2030, 3, 12)


def test_a_day_number_opens_that_week(qtbot, window) -> None:
    tab = window.calendar
    view = tab.month_view
    number = view._number_rect(view.cell_rect(day(22)), day(22)).center().toPoint()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=number)
    assert tab.pages.currentWidget() is tab.week_view
    assert tab.week_view.visible_range() == (day(21), day(27))


def test_double_click_opens_the_item_dialog_and_a_new_item_on_an_empty_day(
    qtbot, window, calendar_plan
) -> None:
    tab = window.calendar
    view = tab.month_view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "expo@t"))
    form = tab.dialog
    assert form is not None and form.dialog.isVisible()
    assert form.title.text() == "Regional expo"
    form.dialog.reject()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell(view, day(29)))
    form = tab.dialog
    assert form.dialog.isVisible() and form.title.text() == ""
    assert form.start_date.date() == QDate(2030, 1, 29)
    assert form.end_date.date() == QDate(2030, 1, 29)
    form.dialog.reject()
    assert window.context.undo_stack.count() == 0


def test_dragging_over_empty_days_opens_the_dialog_for_that_span_and_ok_adds_it(
    qtbot, window, calendar_plan
) -> None:
    tab = window.calendar
    view = tab.month_view
    drag(qtbot, view, cell(view, day(30)), cell(view, day(28)))
    form = tab.dialog
    assert form is not None and form.dialog.isVisible()
    assert (form.start_date.date(), form.end_date.date()) == (
        QDate(2030, 1, 28),
        QDate(2030, 1, 30),
    )
    qtbot.keyClicks(form.title, "Winter webinar series")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    assert not form.dialog.isVisible()
    uid = form.saved_uid
    assert stored(calendar_plan, uid) == ("2030-01-28", "2030-01-30")
    assert window.context.undo_stack.count() == 1
    assert tab.selected_uids() == [uid]  # the new item is selected where it was made
    assert len(shapes(view, uid)) == 1


def test_the_filter_bar_filters_every_view(qtbot, window) -> None:
    tab = window.calendar
    search = tab.findChild(type(tab.filter_bar.search), "calendarSearch")
    qtbot.keyClicks(search, "expo")
    assert {s.occurrence.uid for s in tab.month_view.shapes} == {"expo@t"}
    for name in ("week", "quarter"):
        tab.set_view(name)
        assert {s.occurrence.uid for s in tab.current_canvas().shapes} == {"expo@t"}
    tab.set_view("agenda")
    assert [tab.agenda.proxy.index(n, 1).data() for n in range(tab.agenda.proxy.rowCount())] == [
        "Regional expo"
    ]
    search.clear()
    tab.set_view("month")
    assert len({s.occurrence.uid for s in tab.month_view.shapes}) == 4


def test_selection_is_shared_with_the_editing_actions(qtbot, window) -> None:
    tab = window.calendar
    view = tab.month_view
    with qtbot.waitSignal(tab.selection_changed):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "email@t"))
    assert tab.selected_uids() == ["email@t"]
    assert [o.start for o in tab.selected_occurrences()] == [day(17)]
    assert tab.anchor_day() == day(17)
    assert window.calendar_actions.delete_action.isEnabled()
    tab.select_uids(["expo@t", "call@t"])
    assert sorted(tab.selected_uids()) == ["call@t", "expo@t"]


def test_enter_edits_and_delete_deletes_through_the_actions(
    qtbot, window, calendar_plan, boxes
) -> None:
    tab = window.calendar
    view = tab.month_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "email@t"))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    form = window.calendar_actions.dialog
    assert form is not None and form.dialog.isVisible() and form.title.text() == "Launch email"
    form.dialog.reject()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "Launch email" in boxes.texts()
    assert "email@t" not in {o.uid for o in view.occurrences}
    window.context.undo_stack.undo()
    assert stored(calendar_plan, "email@t") == ("2030-01-17", "2030-01-17")
    # Ctrl+Right moves the selection by a day, one undo step.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, "email@t"))
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert stored(calendar_plan, "email@t") == ("2030-01-18", "2030-01-18")


def test_moving_a_series_asks_the_real_question(qtbot, window, calendar_plan, boxes) -> None:
    view = window.calendar.month_view
    monday = next(s for s in shapes(view, "sync@t") if s.occurrence.start == day(21))
    boxes.answer = QMessageBox.StandardButton.YesToAll  # "Whole series"
    drag(qtbot, view, view.view_rect(monday).center().toPoint(), cell(view, day(22)))
    assert boxes.shown[-1][1] == "Move a repeating item"
    assert stored(calendar_plan, "sync@t") == ("2030-01-08T09:00:00", "2030-01-08T09:30:00")
    boxes.answer = QMessageBox.StandardButton.Cancel
    tuesday = next(s for s in shapes(view, "sync@t") if s.occurrence.start == day(22))
    drag(qtbot, view, view.view_rect(tuesday).center().toPoint(), cell(view, day(24)))
    assert stored(calendar_plan, "sync@t") == ("2030-01-08T09:00:00", "2030-01-08T09:30:00")
    assert window.context.undo_stack.count() == 1


def test_an_idea_dragged_from_the_backlog_onto_a_day_is_scheduled(
    qtbot, window, calendar_plan
) -> None:
    dock = window.backlog
    view = window.calendar.month_view
    # What the backlog's list drags (Qt's own item-view drag asks its model for this)...
    index = dock.list.model().index(0, 0)
    mime = dock.list.model().mimeData([index])
    assert decode_uids(mime) == (["idea@t"], "backlog")
    # ...dropped on the 24th, as the platform delivers a drop.
    assert drop(view.viewport(), cell(view, day(24)), mime)
    assert stored(calendar_plan, "idea@t") == ("2030-01-24", "2030-01-24")
    assert backlog(calendar_plan) == []
    assert view.selected_uids() == ["idea@t"]
    window.context.undo_stack.undo()
    assert [idea.uid for idea in backlog(calendar_plan)] == ["idea@t"]


def test_an_item_dragged_out_of_the_month_onto_the_backlog_is_unscheduled(
    qtbot, window, calendar_plan, monkeypatch
) -> None:
    dock = window.backlog
    view = window.calendar.month_view
    list_view = dock.list

    def platform_drag(self, *args):  # the user lets go over the backlog list
        where = list_view.viewport().rect().center()
        drop(list_view.viewport(), where, self.mimeData())
        return Qt.DropAction.MoveAction

    monkeypatch.setattr(QDrag, "exec", platform_drag)
    start = point(view, "email@t")
    # Real mouse moves: out of the month's right edge, towards the dock.
    drag(qtbot, view, start, QPoint(view.viewport().width() + 30, start.y()))
    assert stored(calendar_plan, "email@t") == (None, None)
    assert "email@t" in {idea.uid for idea in backlog(calendar_plan)}
    assert "email@t" not in {o.uid for o in view.occurrences}
    assert window.context.undo_stack.count() == 1
    window.context.undo_stack.undo()
    assert stored(calendar_plan, "email@t") == ("2030-01-17", "2030-01-17")
    assert item_edits.get_item(calendar_plan, "email@t")["title"] == "Launch email"


def test_the_legend_names_every_kind_and_wraps_on_a_narrow_window(qtbot) -> None:
    legend = Legend()
    qtbot.addWidget(legend)
    texts = [entry.text for entry in legend.entries]
    assert texts[: len(Kind)] == [kind.label for kind in Kind]
    assert {"★ big impact", "↻ repeats", "idea", "cancelled"} <= set(texts)
    assert legend.heightForWidth(2000) < legend.heightForWidth(400)
    for entry, at in legend.places(400.0):
        assert at.x() + legend._width_of(entry) <= 400


def test_a_right_click_offers_the_editing_actions_for_that_item(qtbot, window) -> None:
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    view = window.calendar.month_view
    where = point(view, "expo@t")
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, where, view.viewport().mapToGlobal(where)
    )
    QApplication.sendEvent(view.viewport(), event)
    assert window.calendar.selected_uids() == ["expo@t"]
    menu = window.calendar.menu
    assert menu.isVisible()
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert "Edit item…" in texts and "Delete" in texts and "Move to backlog" in texts
    menu.close()
