"""Undoable review edits: a goal's result, a team's retrospective."""

from __future__ import annotations

from smarketing_desktop.domain.review import GoalResult, GoalRow, Retrospective, team_label
from smarketing_desktop.gui.context import ITEMS, PlanCommand, PlanContext
from smarketing_desktop.gui.labels import short
from smarketing_desktop.services.review import enter_result, save_retrospective


def _touched_nothing_checked(context: PlanContext) -> None:
    # Results and retrospectives are nothing the conflict rules read: the ITEMS change
    # that follows needs no conflict re-check (a whole-plan comparison on big plans).
    context.items_touched.emit([])


class EnterResult(PlanCommand):
    """Enter, change or clear the actual of one goal (with who and when)."""

    topic = ITEMS

    def __init__(self, context: PlanContext, row: GoalRow, result: GoalResult) -> None:
        verb = "Clear result of" if result.actual is None else "Enter result of"
        super().__init__(context, f"{verb} “{short(row.metric)}”")
        self.row = row
        self.before = row.result
        self.after = result
        # The view's version is checked once, for the entry the user typed; undo and redo
        # check that the result is still the one they replace instead.
        self.version: int | None = row.item_version

    def _store(self, result: GoalResult, previous: GoalResult) -> GoalResult:
        _, stored = enter_result(
            self.context.plan,
            uid=self.row.uid,
            position=self.row.position,
            metric=self.row.metric,
            result=result,
            previous=previous,
            version=self.version,
        )
        self.version = None
        _touched_nothing_checked(self.context)
        return stored

    def apply(self) -> None:
        self.after = self._store(self.after, self.before)

    def revert(self) -> None:
        self.before = self._store(self.before, self.after)


class EditRetrospective(PlanCommand):
    """Change one team's retrospective of a campaign (an all-empty note removes it)."""

    topic = ITEMS

    def __init__(
        self,
        context: PlanContext,
        *,
        uid: str,
        title: str,
        before: Retrospective,
        after: Retrospective,
        version: int,
    ) -> None:
        super().__init__(
            context, f"Edit {team_label(before.team).lower()} retrospective of “{short(title)}”"
        )
        self.uid = uid
        self.before, self.after = before, after
        self.version: int | None = version

    def _store(self, note: Retrospective, previous: Retrospective) -> Retrospective:
        _, stored = save_retrospective(
            self.context.plan, uid=self.uid, note=note, previous=previous, version=self.version
        )
        self.version = None
        _touched_nothing_checked(self.context)
        return stored

    def apply(self) -> None:
        self.after = self._store(self.after, self.before)

    def revert(self) -> None:
        self.before = self._store(self.before, self.after)
