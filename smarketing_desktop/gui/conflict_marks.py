"""Conflict marks for the calendar views: one look and one set of calls for every view.

The month, week, quarter-timeline and agenda views call these; the window owns one
``ConflictMarks`` (``window.conflict_marks``) over its ``ConflictMonitor``.

* ``marks.conflicts_for(uid, day)`` – the conflicts of the occurrence of ``uid`` that
  starts on ``day`` (what a view has for each bar). The conflicts are indexed by uid and
  start day once per check (on first ask), so each call is two dictionary lookups.
* ``marks.mark(uid, day)`` – the badge to draw for it: ``Mark(severity, acknowledged)``
  (worst unacknowledged severity; grey when every conflict there is acknowledged) or None.
* ``paint_badge(painter, rect, severity, acknowledged)`` – draws that badge (red for
  error, amber for warning, grey when acknowledged) in ``rect``; views pick the rect
  (e.g. 14×14 px at the bar's right end) so the look is the same everywhere.
* ``tooltip_text(conflicts, acknowledgement=...)`` – the hover text: one sentence per
  conflict naming the other item(s), as safe rich text (titles are escaped).
* ``marks.preview_move(uid, new_start, new_end, new_start_time=None,
  new_end_time=None, occurrence=None)`` – the conflicts the item would be part of if
  it were dropped there, for a red ghost and its tooltip during a drag. Nothing is
  stored; it runs the engine's incremental update and undoes it (well under a
  millisecond to a few ms on a 10,000-item plan). Dates are the new first and last
  local days (inclusive); for a timed item also pass the new times. ``occurrence``
  (the original start day of one occurrence of a series) moves only that occurrence,
  as a "this one only" edit would; without it the whole series moves. An unscheduled
  item dropped on the calendar is previewed too; ideas and cancelled items never conflict.

Connect ``monitor.updated`` to a repaint of the visible view.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from smarketing_desktop.conflicts import Conflict, ItemFacts, OverrideFacts
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.conflict_monitor import ConflictMonitor
from smarketing_desktop.services.conflicts import Acknowledgement, item_facts

SEVERITY_COLOURS = {"error": "#e03131", "warning": "#f08c00"}
ACKNOWLEDGED_COLOUR = "#adb5bd"


class Mark(NamedTuple):
    """What to draw on one occurrence: its worst severity, and whether all is accepted."""

    severity: str
    acknowledged: bool


def badge_colour(severity: str, acknowledged: bool) -> QColor:
    return QColor(
        ACKNOWLEDGED_COLOUR if acknowledged else SEVERITY_COLOURS.get(severity, "#e03131")
    )


def paint_badge(painter: QPainter, rect: QRectF, severity: str, acknowledged: bool) -> None:
    """A round badge with an exclamation mark, coloured by severity (grey: acknowledged).

    The painter's state is saved and restored; the badge fits the largest circle in
    ``rect``, with a white ring so it reads on any bar colour.
    """
    side = min(rect.width(), rect.height())
    if side <= 2:
        return
    circle = QRectF(0, 0, side, side)
    circle.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("white"), max(1.0, side / 12)))
    painter.setBrush(badge_colour(severity, acknowledged))
    painter.drawEllipse(circle.adjusted(0.5, 0.5, -0.5, -0.5))
    # The mark itself: a stroke and a dot, drawn (not a glyph) so it is centred in any font.
    mark = QPen(QColor("white"), max(1.4, side / 7), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(mark)
    centre = circle.center()
    painter.drawLine(
        QPointF(centre.x(), circle.top() + side * 0.26),
        QPointF(centre.x(), circle.top() + side * 0.56),
    )
    painter.drawPoint(QPointF(centre.x(), circle.top() + side * 0.76))
    painter.restore()


def tooltip_text(
    conflicts: Sequence[Conflict],
    acknowledgement: dict[str, Acknowledgement | None] | None = None,
) -> str:
    """Rich text for a tooltip: each conflict's sentence, acknowledged ones with their note.

    Args:
        conflicts: the conflicts of one occurrence (or of a drag preview).
        acknowledgement: by conflict key, the acknowledgement that holds (if any).
    """
    if not conflicts:
        return ""
    acknowledgement = acknowledgement or {}
    lines = []
    for conflict in conflicts:
        colour = SEVERITY_COLOURS.get(conflict.severity, "#e03131")
        word = conflict.severity.capitalize()
        text = html.escape(conflict.message)
        ack = acknowledgement.get(conflict.key)
        if ack is not None:
            colour = ACKNOWLEDGED_COLOUR
            word = "Acknowledged"
            text += f"<br><i>{html.escape(ack.note)}</i>"
        lines.append(
            f"<p style='margin:0 0 4px 0'><b style='color:{colour}'>{word}:</b> {text}</p>"
        )
    return "<qt>" + "".join(lines) + "</qt>"


@dataclass(frozen=True, slots=True)
class Move:
    """A hypothetical move of an item (or of one occurrence of a series)."""

    start: dt.date
    end: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    occurrence: dt.date | None = None


def moved_facts(facts: ItemFacts, move: Move) -> ItemFacts:
    """``facts`` as they would be after ``move``."""
    timed = facts.start_time is not None
    start_time = move.start_time if move.start_time is not None else facts.start_time
    end_time = move.end_time if move.end_time is not None else facts.end_time
    if not timed:
        start_time = end_time = None
    if move.occurrence is not None and facts.rrule:
        recurrence_id = move.occurrence.isoformat()
        if timed and facts.start_time is not None:
            recurrence_id = dt.datetime.combine(move.occurrence, facts.start_time).isoformat()
        others = tuple(o for o in facts.overrides if o.recurrence_id[:10] != recurrence_id[:10])
        override = OverrideFacts(recurrence_id, move.start, move.end, start_time, end_time)
        return replace(facts, overrides=(*others, override))
    if facts.rrule and facts.start_date is not None:
        # The whole series moves: its exceptions move with it.
        shift = move.start - facts.start_date

        def shifted(value: str) -> str:
            return (dt.date.fromisoformat(value[:10]) + shift).isoformat() + value[10:]

        return replace(
            facts,
            start_date=move.start,
            end_date=move.end,
            start_time=start_time,
            end_time=end_time,
            exdates=tuple(shifted(v) for v in facts.exdates),
            rdates=tuple(shifted(v) for v in facts.rdates),
        )
    return replace(
        facts, start_date=move.start, end_date=move.end, start_time=start_time, end_time=end_time
    )


class ConflictMarks:
    """The calls the calendar views make (see the module docstring)."""

    def __init__(self, monitor: ConflictMonitor) -> None:
        self.monitor = monitor
        # The facts of an item being dragged that the check leaves out (an unscheduled
        # backlog item, say): read once per drag, not on every mouse move.
        self._outside: tuple[str, ItemFacts | None] | None = None
        # uid -> start day -> its conflicts (worst first), filled per uid on first ask and
        # dropped whenever the checker reports: every painted bar asks.
        self._by_day: dict[str, dict[dt.date, list[Conflict]]] = {}
        monitor.updated.connect(self._forget)

    def _forget(self) -> None:
        self._outside = None
        self._by_day = {}

    def _facts(self, uid: str) -> ItemFacts | None:
        dataset = self.monitor.dataset
        if dataset is None:
            return None
        facts = dataset.facts.get(uid)
        if facts is not None:
            return facts
        if self._outside is None or self._outside[0] != uid:
            try:
                found = item_facts(self.monitor.context.plan, uid)
            except UserError:
                found = None
            self._outside = (uid, found)
        return self._outside[1]

    def conflicts_for(self, uid: str, day: dt.date) -> list[Conflict]:
        """The conflicts of ``uid``'s occurrence starting on ``day``, worst first."""
        days = self._by_day.get(uid)
        if days is None:
            days = {}
            for conflict in self.monitor.involving(uid):
                for moment in conflict.moments:
                    if moment[0] == uid:
                        found = days.setdefault(dt.date.fromordinal(moment[1]), [])
                        if not found or found[-1] is not conflict:
                            found.append(conflict)
            for found in days.values():
                found.sort(key=lambda c: (-c.rank, c.first, c.rule))
            self._by_day[uid] = days
        return list(days.get(day, ()))

    def mark(self, uid: str, day: dt.date) -> Mark | None:
        """The badge of that occurrence, or None when it has no conflict."""
        conflicts = self.conflicts_for(uid, day)
        if not conflicts:
            return None
        open_ones = [c for c in conflicts if self.monitor.acknowledgement(c) is None]
        if not open_ones:
            return Mark(conflicts[0].severity, True)
        return Mark(open_ones[0].severity, False)

    def tooltip(self, uid: str, day: dt.date) -> str:
        """The hover text of that occurrence ("" when it has no conflict)."""
        conflicts = self.conflicts_for(uid, day)
        return tooltip_text(conflicts, {c.key: self.monitor.acknowledgement(c) for c in conflicts})

    def preview_move(
        self,
        uid: str,
        new_start: dt.date,
        new_end: dt.date,
        new_start_time: dt.time | None = None,
        new_end_time: dt.time | None = None,
        occurrence: dt.date | None = None,
    ) -> list[Conflict]:
        """The conflicts ``uid`` would be part of after the move (worst first); the
        plan and the shown conflicts stay as they are."""
        facts = self._facts(uid)
        if facts is None:  # no such item, or the plan is still being checked
            return []
        move = Move(new_start, new_end, new_start_time, new_end_time, occurrence)
        found = self.monitor.preview(uid, moved_facts(facts, move))
        found.sort(key=lambda c: (-c.rank, c.first, c.rule))
        return found
