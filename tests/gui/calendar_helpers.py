"""What the calendar view tests share: a small plan in January 2030 and real mouse gestures.

January 2030 starts on a Tuesday; its month grid runs from Monday 31 December 2029 to
Sunday 3 February 2030 (five weeks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.gui import calendar_actions
from smarketing_desktop.gui.calendar_canvas import CalendarCanvas, Shape
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.personas import add_persona
from smarketing_desktop.store.planfile import Plan, create_plan

DAY = dt.date(2030, 1, 15)  # a Tuesday


def day(n: int) -> dt.date:
    """A day of January 2030."""
    return dt.date(2030, 1, n)


def add(
    plan: Plan, uid: str, title: str, start: str | None, end: str | None = None, **more: Any
) -> None:
    document = {
        "uid": uid,
        "title": title,
        "kind": more.pop("kind", "other"),
        "team": more.pop("team", "marketing"),
        "start": start,
        "end": end or start,
        **more,
    }
    item_edits.create_item(plan, document)


@pytest.fixture
def calendar_plan(tmp_path: Path) -> Iterator[Plan]:
    plan = create_plan(tmp_path / "January.smplan", name="January")
    add_persona(plan, {"id": "olga", "name": "Olga Operations"})
    add_persona(plan, {"id": "ivan", "name": "Ivan IT"})
    add(
        plan,
        "expo@t",
        "Regional expo",
        "2030-01-14",
        "2030-01-16",
        kind="tradeshow",
        team="sales",
        impact="big",
        personas=["olga", "ivan"],
    )
    add(plan, "email@t", "Launch email", "2030-01-17", kind="email_campaign")
    add(
        plan,
        "call@t",
        "Partner call",
        "2030-01-16T14:00:00",
        "2030-01-16T15:00:00",
        kind="meeting",
        team="joint",
    )
    add(
        plan,
        "sync@t",
        "Pipeline sync",
        "2030-01-07T09:00:00",
        "2030-01-07T09:30:00",
        kind="meeting",
        team="joint",
        rrule="FREQ=WEEKLY;BYDAY=MO;COUNT=8",
    )
    add(plan, "far@t", "Next year's launch", "2031-06-02", kind="product_launch")
    add(plan, "idea@t", "Blog idea", None, status="idea", kind="blog_post")
    yield plan
    plan.close()


@pytest.fixture
def context(calendar_plan: Plan) -> PlanContext:
    return PlanContext(calendar_plan)


def show(qtbot: Any, view: CalendarCanvas, size: tuple[int, int] = (980, 720)) -> CalendarCanvas:
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.show_day(DAY)
    return view


def shapes(view: CalendarCanvas, uid: str) -> list[Shape]:
    return [s for s in view.shapes if s.occurrence.uid == uid]


def point(view: CalendarCanvas, uid: str, where: str = "middle", index: int = 0) -> QPoint:
    """A viewport point on an item: its middle, or just inside its start or end edge."""
    shape = shapes(view, uid)[index]
    rect = view.view_rect(shape)
    if where == "start":
        found = (
            QPointF(rect.left() + 2, rect.center().y())
            if shape.style != "block"
            else QPointF(rect.center().x(), rect.top() + 2)
        )
    elif where == "end":
        found = (
            QPointF(rect.right() - 2, rect.center().y())
            if shape.style != "block"
            else QPointF(rect.center().x(), rect.bottom() - 2)
        )
    else:
        found = rect.center()
    return found.toPoint()


def drag(
    qtbot: Any,
    view: CalendarCanvas,
    start: QPoint,
    end: QPoint,
    *,
    steps: int = 6,
    release: bool = True,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press, move in steps and release, as a hand on a mouse does."""
    target = view.viewport()
    qtbot.mousePress(target, Qt.MouseButton.LeftButton, modifier, start)
    for n in range(1, steps + 1):
        x = start.x() + (end.x() - start.x()) * n // steps
        y = start.y() + (end.y() - start.y()) * n // steps
        qtbot.mouseMove(target, QPoint(x, y))
    if release:
        qtbot.mouseRelease(target, Qt.MouseButton.LeftButton, modifier, end)


def stored(plan: Plan, uid: str) -> tuple[str, str]:
    item = item_edits.get_item(plan, uid)
    return item["start"], item["end"]


@dataclass
class ScopeAnswers:
    """Answers the "this one or the whole series?" question and records that it was asked."""

    answer: str | None = "one"
    asked: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, parent: QWidget | None, title: str, verb: str) -> str | None:
        self.asked.append((title, verb))
        return self.answer


@pytest.fixture
def scope(monkeypatch: pytest.MonkeyPatch) -> ScopeAnswers:
    answers = ScopeAnswers()
    monkeypatch.setattr(calendar_actions, "ask_series_scope", answers)
    return answers


def drop(widget: QWidget, where: QPoint, mime: QMimeData) -> bool:
    """A drop from elsewhere (the ideas backlog): enter, move, drop, as the platform does."""
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    at = QPointF(where)
    enter = QDragEnterEvent(at.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(at.toPoint(), actions, mime, buttons, mods)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    event = QDropEvent(at, actions, mime, buttons, mods)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


class FakeMarks:
    """A stand-in for the conflict checker: flags some items and predicts a conflict."""

    def __init__(self, flagged: dict[str, str], *, acknowledged: set[str] | None = None) -> None:
        self.flagged = flagged
        self.ack = acknowledged or set()
        self.previews: list[tuple[str, dt.date, dt.date]] = []

    def badge(self, occurrence: Occurrence) -> str | None:
        severity = self.flagged.get(occurrence.uid)
        if severity is None:
            return None
        return "acknowledged" if occurrence.uid in self.ack else severity

    def explain(self, occurrence: Occurrence) -> str:
        return f"{occurrence.title} clashes with the sales kick-off"

    def preview(
        self,
        occurrence: Occurrence,
        start: dt.date,
        end: dt.date,
        start_time: dt.time | None,
        end_time: dt.time | None,
    ) -> list[str]:
        self.previews.append((occurrence.uid, start, end))
        return ["Overlaps the company holiday"] if start <= day(21) <= end else []
