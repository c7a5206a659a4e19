"""Puts the conflict engine into the main window: the monitor, the calendar marks, the
Conflicts dock (View menu), Plan → Conflict rules…, and the count in the status bar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton

from smarketing_desktop.conflicts import Conflict
from smarketing_desktop.conflicts.model import day_text
from smarketing_desktop.conflicts.rules import PERSONA_FATIGUE
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui import zones
from smarketing_desktop.gui.conflict_marks import ConflictMarks
from smarketing_desktop.gui.conflict_monitor import ConflictMonitor
from smarketing_desktop.gui.conflict_rules import RulesDialog, open_rules_dialog
from smarketing_desktop.gui.conflicts_dock import ConflictsDock, badge_icon
from smarketing_desktop.gui.resources import icon

if TYPE_CHECKING:
    from smarketing_desktop.gui.mainwindow import MainWindow


class CalendarMarks:
    """The conflict marks in the shape the calendar views ask for (``calendar_shapes``)."""

    def __init__(self, marks: ConflictMarks) -> None:
        self.marks = marks

    def badge(self, occurrence: Occurrence) -> str | None:
        mark = self.marks.mark(occurrence.uid, occurrence.start)
        if mark is None:
            return None
        return "acknowledged" if mark.acknowledged else mark.severity

    def explain(self, occurrence: Occurrence) -> str:
        monitor = self.marks.monitor
        lines = []
        for conflict in self.marks.conflicts_for(occurrence.uid, occurrence.start):
            ack = monitor.acknowledgement(conflict)
            if ack is None:
                lines.append(conflict.message)
            else:
                lines.append(f"Acknowledged: {conflict.message} ({ack.note})")
        return "\n".join(lines)

    def preview(
        self,
        occurrence: Occurrence,
        start: dt.date,
        end: dt.date,
        start_time: dt.time | None,
        end_time: dt.time | None,
    ) -> list[str]:
        original = (
            dt.date.fromisoformat(occurrence.recurrence_id[:10])
            if occurrence.recurrence_id
            else None
        )
        # The calendar shows the user's clock times; the item's facts are in its own zone.
        own = zones.stored(occurrence, Span(start, end, start_time, end_time))
        found = self.marks.preview_move(
            occurrence.uid, own.start, own.end, own.start_time, own.end_time, occurrence=original
        )
        # Only what the dropped occurrence itself would meet (a series' other occurrences
        # keep their own conflicts), and only what it does not already have: the ghost
        # turns red for a conflict the drop would make, not one the user knows of.
        before = self.marks.conflicts_for(occurrence.uid, occurrence.start)
        known = {_same(c, occurrence.uid) for c in before}
        return [
            c.message
            for c in found
            if start in c.days_of(occurrence.uid) and _same(c, occurrence.uid) not in known
        ]


def _same(conflict: Conflict, uid: str) -> tuple[str, str | None, frozenset[str]]:
    """What makes a conflict of ``uid`` "the same one" after a move: its rule, and the
    other items (for persona fatigue, the persona: its items come and go)."""
    if conflict.rule == PERSONA_FATIGUE:
        return conflict.rule, conflict.persona, frozenset()
    return conflict.rule, conflict.persona, frozenset(conflict.items) - {uid}


@dataclass(slots=True)
class ConflictsUi:
    """What the window holds for conflicts (``window.conflicts``)."""

    monitor: ConflictMonitor
    marks: ConflictMarks
    dock: ConflictsDock
    count: QToolButton
    rules_action: QAction
    dock_action: QAction
    rules_dialog: RulesDialog | None = None


def install_conflicts(window: MainWindow) -> ConflictsUi:
    """Build the conflict parts of ``window``; call before its state is restored."""
    monitor = ConflictMonitor(window.context, window)
    dock = ConflictsDock(window.context, monitor, window)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.resizeDocks([dock], [170], Qt.Orientation.Vertical)
    # The calendar gets the height at first: badges and the status-bar count say there are
    # conflicts, and a click on the count opens the list (then remembered with the window).
    dock.hide()

    dock_action = dock.toggleViewAction()
    dock_action.setText("&Conflicts")
    dock_action.setIcon(icon("conflicts"))
    dock_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
    dock_action.setStatusTip("Show or hide the list of conflicts")
    window.view_menu.addSeparator()
    window.view_menu.addAction(dock_action)

    rules_action = QAction(icon("conflicts"), "Conflict &rules…", window)
    rules_action.setStatusTip("Choose which conflicts the plan is checked for")
    window.plan_menu.addSeparator()
    window.plan_menu.addAction(rules_action)

    count = QToolButton()
    count.setObjectName("conflictCount")
    count.setAutoRaise(True)
    count.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    count.setIconSize(QSize(14, 14))
    count.setToolTip("Open conflicts (click to show the list)")
    window.statusBar().insertPermanentWidget(0, count)

    ui = ConflictsUi(monitor, ConflictMarks(monitor), dock, count, rules_action, dock_action)
    window.calendar.set_marks(CalendarMarks(ui.marks))
    monitor.updated.connect(window.calendar.refresh_marks)

    def open_rules() -> None:
        ui.rules_dialog = open_rules_dialog(window.context, window)

    def show_dock() -> None:
        dock.show()
        dock.raise_()

    def show_items(uids: list[str], day: dt.date) -> None:
        titles = ", ".join(monitor.title_of(uid) for uid in uids)
        window.statusBar().showMessage(f"Conflict on {day_text(day)}: {titles}", 8000)
        window.tabs.setCurrentWidget(window.calendar)
        window.calendar.show_day(day)
        window.calendar.select_uids(uids)

    def update_count() -> None:
        if monitor.checking:
            count.setText("Checking conflicts…")
            count.setIcon(icon("conflicts"))
            return
        counts = monitor.counts()
        parts = [
            f"{counts[s]} {s}{'' if counts[s] == 1 else 's'}"
            for s in ("error", "warning")
            if counts.get(s)
        ]
        count.setText(" · ".join(parts) or "No open conflicts")
        if counts.get("error"):
            count.setIcon(badge_icon("error", False))
        elif counts.get("warning"):
            count.setIcon(badge_icon("warning", False))
        else:
            count.setIcon(icon("all-clear"))

    rules_action.triggered.connect(open_rules)
    dock.rules_button.clicked.connect(rules_action.trigger)
    count.clicked.connect(show_dock)
    dock.show_items.connect(show_items)
    monitor.updated.connect(update_count)
    update_count()
    return ui
