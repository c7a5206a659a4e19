"""What a finished gesture on the calendar does: item commands, one undo step each.

A move of several items, a resize, a drop of ideas from the backlog: the views work out
where things go, this turns it into the item commands (asking "this one or the whole
series?" for a repeating item) and runs them as one step on the undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QWidget

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.gui import calendar_actions, item_commands, zones
from smarketing_desktop.gui.calendar_shapes import Key, key
from smarketing_desktop.gui.context import PlanContext, undo_text
from smarketing_desktop.gui.item_commands import ItemsCommand
from smarketing_desktop.gui.sla_managed import refuse_managed
from smarketing_desktop.services import item_edits

ScopeQuestion = Callable[[QWidget, str, str], str | None]


def ask_series_scope(parent: QWidget, title: str, verb: str) -> str | None:
    """The editing actions' question "only this one or the whole series?" (looked up when
    asked, so the one place that words it is the actions module)."""
    return calendar_actions.ask_series_scope(parent, title, verb)


def shifted_id(recurrence_id: str, days: int, minutes: int) -> str:
    """Where a series' occurrence id goes when the whole series moves."""
    if "T" in recurrence_id:
        moment = dt.datetime.fromisoformat(recurrence_id) + dt.timedelta(days=days, minutes=minutes)
        return moment.isoformat()
    return (dt.date.fromisoformat(recurrence_id) + dt.timedelta(days=days)).isoformat()


class CalendarEdits:
    """Item commands for the gestures of one view (``parent``: where questions appear)."""

    def __init__(self, context: PlanContext, parent: QWidget) -> None:
        self.context = context
        self.parent = parent
        self.ask_scope: ScopeQuestion = ask_series_scope

    def move(
        self,
        occurrences: Sequence[Occurrence],
        days: int,
        minutes: int = 0,
        expected: dict[Key, Key] | None = None,
    ) -> bool:
        """Move occurrences by the same amount: one undo step.

        Args:
            occurrences: What was dragged (or nudged with Ctrl+arrow).
            days: Whole days to move by.
            minutes: Minutes to move timed items by (all-day items ignore them).
            expected: Filled, before anything runs, with where each moved occurrence of a
                whole series will be afterwards, so the view can keep it selected.

        Returns:
            Whether the items moved (False: nothing to do, cancelled, or refused).
        """
        moved = [o for o in occurrences if Span.of(o).moved(days, minutes) != Span.of(o)]
        if not moved or self._managed(moved):
            return False
        scope = self._scope(moved, "Move")
        if scope is None:
            return False
        one = [o for o in moved if o.recurring and o.recurrence_id and scope == "one"]
        whole = [o for o in moved if o not in one]
        commands: list[ItemsCommand] = []
        if whole:
            titles = {o.uid: f"“{o.title}”" for o in whole}
            uids = list(dict.fromkeys(o.uid for o in whole))
            commands.append(
                item_commands.shift_items(
                    self.context, uids, days=days, minutes=minutes, titles=titles
                )
            )
        for occurrence in one:
            span = zones.stored(occurrence, Span.of(occurrence).moved(days, minutes))
            commands.append(
                item_commands.move_occurrence(
                    self.context,
                    occurrence.uid,
                    str(occurrence.recurrence_id),
                    span.start,
                    span.end,
                    span.start_time,
                    span.end_time,
                    title=occurrence.title,
                )
            )
        if expected is not None:
            for occurrence in whole:
                if occurrence.recurrence_id:
                    expected[key(occurrence)] = (
                        occurrence.uid,
                        shifted_id(occurrence.recurrence_id, days, minutes),
                    )
        text = commands[0].text() if len(commands) == 1 else f"Move {len(moved)} items"
        return self._run(commands, text)

    def resize(self, occurrence: Occurrence, span: Span) -> bool:
        """Give one occurrence new dates or times (for a whole series: its own span
        changed by as much as this occurrence's)."""
        if span == Span.of(occurrence) or self._managed([occurrence]):
            return False
        scope = self._scope([occurrence], "Change")
        if scope is None:
            return False
        span = zones.stored(occurrence, span)  # chosen at the user's clock times
        if occurrence.recurring and occurrence.recurrence_id and scope == "one":
            command = item_commands.move_occurrence(
                self.context,
                occurrence.uid,
                occurrence.recurrence_id,
                span.start,
                span.end,
                span.start_time,
                span.end_time,
                title=occurrence.title,
            )
        else:
            target = span
            if occurrence.recurring:
                document = item_edits.get_item(self.context.plan, occurrence.uid)
                before = zones.stored(occurrence, Span.of(occurrence))
                target = Span.from_document(document).shifted_like(before, span)
            command = item_commands.set_span(
                self.context,
                occurrence.uid,
                target.start,
                target.end,
                target.start_time,
                target.end_time,
                text=f"Change the dates of “{occurrence.title}”",
            )
        return self._run([command], command.text())

    def schedule(self, uids: Sequence[str], span: Span) -> bool:
        """Put ideas from the backlog on ``span`` (the day or hour they were dropped on)."""
        if not uids:
            return False
        command = item_commands.schedule(
            self.context, uids, span.start, span.end, span.start_time, span.end_time
        )
        return self._run([command], command.text())

    def _managed(self, occurrences: Sequence[Occurrence]) -> bool:
        return refuse_managed(self.context, (o.uid for o in occurrences))

    def _scope(self, occurrences: Sequence[Occurrence], verb: str) -> str | None:
        series = [o for o in occurrences if o.recurring and o.recurrence_id]
        if not series:
            return "series"
        title = series[0].title if len(series) == 1 else f"{len(series)} repeating items"
        return self.ask_scope(self.parent, title, verb)

    def _run(self, commands: list[ItemsCommand], text: str) -> bool:
        """Run the commands as one undo step; if one is refused, none stays done."""
        if len(commands) == 1:
            return self.context.execute(commands[0])
        stack = self.context.undo_stack
        stack.beginMacro(undo_text(text))
        done = False
        try:
            done = all(self.context.execute(command) for command in commands)
        finally:
            # Also when a command raised: an open macro would swallow every later step.
            stack.endMacro()
            if not done:
                # Take the half-done step back, then drop it from the stack altogether.
                stack.undo()
                macro = stack.command(stack.index())
                if macro is not None:
                    macro.setObsolete(True)
                    stack.redo()
        return done
