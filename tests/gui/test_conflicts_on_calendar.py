"""The conflict engine seen in the calendar: badges, explanations, the dock and live drags."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, Qt

from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import item_edits
from tests.gui.calendar_helpers import drag, point

EMAIL, EXPO = "spring-email@demo.smarketing", "spring-expo@demo.smarketing"


def start_of(window: MainWindow, uid: str) -> dt.date:
    return dt.date.fromisoformat(item_edits.get_item(window.plan, uid)["start"][:10])


def month_on(qtbot, window: MainWindow, day: dt.date, view_name: str = "month"):
    # The docks leave the small offscreen screen too little room for a month of bars.
    window.conflicts.dock.close()
    window.backlog.close()
    window.tabs.setCurrentWidget(window.calendar)
    window.calendar.set_view(view_name)
    window.calendar.show_day(day)
    view = window.calendar.current_canvas()
    assert view is not None
    qtbot.waitUntil(lambda: window.conflicts.monitor.ready)
    window.calendar.refresh_marks()
    return view


def test_the_email_during_the_expo_carries_a_red_badge_that_explains_it(
    qtbot, window: MainWindow
) -> None:
    # The week: the month around the show is too busy to show every bar on a small screen.
    view = month_on(qtbot, window, start_of(window, EMAIL), "week")
    badges = {uid: badge for (uid, _), badge in view.badges.items()}
    assert badges[EMAIL] == "error" and badges[EXPO] == "error"
    text = view.tooltip_at(QPointF(point(view, EMAIL)))
    expo_title = item_edits.get_item(window.plan, EXPO)["title"]
    assert "⚠" in text and expo_title in text


def test_clicking_a_conflict_in_the_dock_shows_its_items_on_the_calendar(
    qtbot, window: MainWindow
) -> None:
    window.tabs.setCurrentWidget(window.team)
    dock = window.conflicts.dock
    dock.show()
    qtbot.waitUntil(lambda: window.conflicts.monitor.ready)
    model = dock.model
    row = next(r for r in range(model.rowCount()) if EMAIL in model.conflict_at(r)[0].items)
    index = dock.table.model().index(row, 1)
    dock.table.setCurrentIndex(index)
    assert window.tabs.currentWidget() is window.calendar
    assert set(window.calendar.selected_uids()) >= {EMAIL}


def test_dragging_an_email_onto_the_expo_turns_the_ghost_red_before_the_drop(
    qtbot, window: MainWindow
) -> None:
    expo = start_of(window, EXPO)
    uid = "webinar-invite@demo.smarketing"
    document = item_edits.get_item(window.plan, uid)
    # Put the invitation two weeks before the show, in the same month view as the show.
    day = expo - dt.timedelta(days=14)
    item_edits.set_span(window.plan, uid, day, day)
    window.context.changed.emit("items")
    view = month_on(qtbot, window, expo)
    qtbot.waitUntil(lambda: any(s.occurrence.uid == uid for s in view.shapes))
    assert document["kind"] == "email_campaign"
    source = point(view, uid)
    target = point(view, EXPO)
    drag(qtbot, view, source, target, release=False)
    assert view.ghost_is_conflict()
    assert "Expo" in view.drag_tip
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert start_of(window, uid) == day


def test_the_ghost_stays_calm_for_a_conflict_that_was_already_there(
    qtbot, window: MainWindow
) -> None:
    view = month_on(qtbot, window, start_of(window, EMAIL), "week")
    assert {uid: b for (uid, _), b in view.badges.items()}[EMAIL] == "error"
    # A day later it still goes out during the expo: nothing new to warn about.
    source = point(view, EMAIL)
    target = source + QPointF(view.col_w, 0).toPoint()
    drag(qtbot, view, source, target, release=False)
    assert view.drag is not None
    (span,) = view.drag.spans.values()
    assert span.start == start_of(window, EMAIL) + dt.timedelta(days=1)
    assert not view.ghost_is_conflict() and "⚠" not in view.drag_tip
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
