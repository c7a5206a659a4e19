"""The quarter timeline: swim lanes, zoom, and the same direct manipulation as the month."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui.calendar_mime import encode_uids
from smarketing_desktop.gui.timeline_view import BODY, TimelineView
from smarketing_desktop.services import items as item_service
from tests.gui import calendar_helpers as helpers
from tests.gui.calendar_helpers import add, day, drag, drop, point, shapes, show, stored

calendar_plan, context, scope = helpers.calendar_plan, helpers.context, helpers.scope


def timeline(qtbot, context, grouping="team", zoom=0.0) -> TimelineView:
    view = TimelineView(context, grouping=grouping, zoom=zoom)
    show(qtbot, view)
    return view


def on_day(view: TimelineView, uid: str, when: dt.date) -> QPoint:
    """The point over ``when`` in the row of an item's bar."""
    y = point(view, uid).y()
    return QPoint(int(view.day_center(when).x()), y)


def lane_of(view: TimelineView, uid: str) -> str:
    (shape,) = shapes(view, uid)
    entry = view.group_at(shape.rect.center().y())
    assert entry is not None
    return entry[0].key


def test_a_quarter_in_swim_lanes_per_team(qtbot, context) -> None:
    view = timeline(qtbot, context)
    assert view.visible_range() == (dt.date(2030, 1, 1), dt.date(2030, 3, 31))
    assert view.period_title() == "Q1 2030 · Jan – Mar"
    assert [group.key for group, _, _ in view.groups] == ["marketing", "sales", "joint"]
    assert lane_of(view, "expo@t") == "sales"
    assert lane_of(view, "email@t") == "marketing"
    assert {s.occurrence.start for s in shapes(view, "sync@t")} == {
        day(7) + dt.timedelta(weeks=n) for n in range(8)
    }
    # The quarter fits the width until the user zooms.
    assert abs(view.content_w - (view.viewport().width() - 200)) < 1
    assert view.horizontalScrollBar().maximum() == 0


def test_lanes_per_kind_and_per_persona(qtbot, context) -> None:
    view = timeline(qtbot, context, grouping="kind")
    assert [group.label for group, _, _ in view.groups] == [
        "Email campaign",
        "Tradeshow",
        "Meeting",
    ]
    view.set_grouping("persona")
    assert [group.label for group, _, _ in view.groups] == [
        "Ivan IT",
        "Olga Operations",
        "Everyone",
    ]
    # The expo targets both personas: it is in both lanes.
    lanes = {view.group_at(s.rect.center().y())[0].key for s in shapes(view, "expo@t")}
    assert lanes == {"ivan", "olga"}


def test_drag_moves_and_an_edge_resizes_each_one_undo_step(qtbot, context, calendar_plan) -> None:
    view = timeline(qtbot, context, zoom=20)
    drag(qtbot, view, point(view, "expo@t"), on_day(view, "expo@t", day(22)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-21", "2030-01-23")
    drag(qtbot, view, point(view, "expo@t", "end"), on_day(view, "expo@t", day(26)))
    assert stored(calendar_plan, "expo@t") == ("2030-01-21", "2030-01-26")
    assert context.undo_stack.count() == 2
    context.undo_stack.undo()
    context.undo_stack.undo()
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")
    # A timed item moves by whole days, keeping its time.
    drag(qtbot, view, point(view, "call@t"), on_day(view, "call@t", day(20)))
    assert stored(calendar_plan, "call@t") == ("2030-01-20T14:00:00", "2030-01-20T15:00:00")


def test_escape_cancels(qtbot, context, calendar_plan) -> None:
    view = timeline(qtbot, context, zoom=20)
    target = on_day(view, "expo@t", day(28))
    drag(qtbot, view, point(view, "expo@t"), target, release=False)
    assert view.drag.active
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert stored(calendar_plan, "expo@t") == ("2030-01-14", "2030-01-16")
    assert context.undo_stack.count() == 0


def test_ctrl_wheel_zooms_around_the_pointer(qtbot, context) -> None:
    view = timeline(qtbot, context)
    fitted = view.ppd
    where = QPointF(view.day_center(day(20)).x(), 100)
    zooms = []
    view.zoom_changed.connect(zooms.append)
    wheel = QWheelEvent(
        where,
        view.viewport().mapToGlobal(where),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.ppd == fitted * 1.25**2 and zooms == [view.ppd]
    assert view.horizontalScrollBar().maximum() > 0
    # The day under the pointer stayed under the pointer.
    assert abs(view.day_center(day(20)).x() - where.x()) < view.ppd
    view.set_zoom(0)
    assert view.ppd == fitted and zooms[-1] == 0.0


def test_a_new_item_made_in_a_lane_belongs_to_it(qtbot, context) -> None:
    view = timeline(qtbot, context)
    joint = next(entry for entry in view.groups if entry[0].key == "joint")
    y = joint[1] + joint[2] - 4 + view.layer_offset(BODY).y()
    with qtbot.waitSignal(view.create_requested) as asked:
        qtbot.mouseDClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=QPoint(int(view.day_center(day(24)).x()), int(y)),
        )
    assert asked.args == [{"start": "2030-01-24", "end": "2030-01-24", "team": "joint"}]


def test_filters_and_the_visible_range(qtbot, context, calendar_plan, monkeypatch) -> None:
    add(calendar_plan, "april@t", "April fair", "2030-04-02", kind="tradeshow")
    asked = []
    real = item_service.occurrences_between
    monkeypatch.setattr(
        item_service,
        "occurrences_between",
        lambda plan, first, last: asked.append((first, last)) or real(plan, first, last),
    )
    view = timeline(qtbot, context)
    assert asked == [(dt.date(2029, 12, 31), dt.date(2030, 4, 1))]  # a day's margin for zones
    assert {o.uid for o in view.loaded} >= {"expo@t", "sync@t"}
    assert not {"april@t", "far@t"} & {o.uid for o in view.loaded}
    view.set_filter(ItemFilter(teams=frozenset({"sales"})))
    assert {s.occurrence.uid for s in view.shapes} == {"expo@t"}
    assert len(asked) == 1  # filtering does not read the plan again


def test_an_idea_dropped_on_the_timeline_is_scheduled(qtbot, context, calendar_plan) -> None:
    view = timeline(qtbot, context)
    where = QPoint(int(view.day_center(day(9)).x()), int(view.day_center(day(9)).y()))
    assert drop(view.viewport(), where, encode_uids(["idea@t"], "backlog"))
    assert stored(calendar_plan, "idea@t") == ("2030-01-09", "2030-01-09")


def test_a_zoomed_quarter_scrolls_to_the_day_shown(qtbot, context) -> None:
    view = timeline(qtbot, context, zoom=40)
    view.show_day(dt.date(2030, 3, 20))
    bar = view.horizontalScrollBar()
    x = view.x_of(dt.date(2030, 3, 20))
    assert bar.value() <= x <= bar.value() + view.viewport().width() - 200
    view.show_day(day(3))
    assert bar.value() <= view.x_of(day(3)) <= bar.value() + view.viewport().width() - 200


def test_a_drag_at_the_edge_scrolls_a_zoomed_timeline(qtbot, context, calendar_plan) -> None:
    view = timeline(qtbot, context, zoom=40.0)
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(int(view.x_of(day(10))))
    start = point(view, "email@t")
    before = bar.value()
    edge = QPoint(view.viewport().width() - 4, start.y())
    drag(qtbot, view, start, edge, release=False)
    for _ in range(3):
        qtbot.mouseMove(view.viewport(), edge - QPoint(2, 0))
        qtbot.mouseMove(view.viewport(), edge)
    assert bar.value() > before
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=edge)
    assert stored(calendar_plan, "email@t") == ("2030-01-17", "2030-01-17")


def test_a_title_beside_a_bar_near_the_quarters_end_stops_at_the_edge(qtbot, context) -> None:
    add(context.plan, "late@t", "A very long title for the last days of the quarter", "2030-03-27")
    view = timeline(qtbot, context)
    context.changed.emit("items")
    (late,) = shapes(view, "late@t")
    assert late.text_outside
    assert late.rect.right() + 5 + late.outside_room <= view.content_w


def test_up_and_down_reach_every_item_of_the_focused_day(qtbot, context) -> None:
    view = timeline(qtbot, context)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=on_day(view, "expo@t", day(16))
    )
    assert view.selected_uids() == ["expo@t"] and view.anchor_day() == day(16)
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the call on the 16th, in the joint lane
    assert view.selected_uids() == ["call@t"] and view.anchor_day() == day(16)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.anchor_day() == day(23)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.selected_uids() == ["call@t"] and view.anchor_day() == day(16)
