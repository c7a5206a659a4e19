"""What every part of the window shares: the open plan, the one undo stack, and the
signal that tells views which part of the plan changed (so they refresh only that)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import labels
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.store.planfile import Plan

# Topics of ``PlanContext.changed``.
PEOPLE, ITEMS, PERSONAS, SLAS, PLAN = "people", "items", "personas", "slas", "plan"
# Conflict rules and acknowledgements.
CONFLICTS = "conflicts"


# Undo texts name items by their titles; the Edit menu shows them shortened to this.
_MENU_TEXT = 50


def undo_text(text: str) -> str:
    """``text`` as QUndoCommand.setText takes it: whole for the undo history, and after the
    newline shortened, with '&' doubled, for the Edit menu (where a single '&' would mark
    a shortcut letter and vanish)."""
    text = " ".join(text.split())
    return f"{text}\n{labels.short(text, _MENU_TEXT).replace('&', '&&')}"


class PlanContext(QObject):
    changed = Signal(str)
    # The uids an item command just changed (before ``changed`` says ITEMS), so listeners
    # with work per item (the conflict check) need not look for what changed.
    items_touched = Signal(list)
    plan_replaced = Signal()
    # Just before the window's Undo or Redo: editors save typing that waits for a pause,
    # so it becomes its own undo step instead of being dropped by the reload after undo.
    before_undo = Signal()

    def __init__(self, plan: Plan, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.undo_stack = QUndoStack(self)
        self.window: QWidget | None = None

    def replace_plan(self, plan: Plan) -> None:
        old = self.plan
        self.plan = plan
        # Undo steps belong to the plan they were made in.
        self.undo_stack.clear()
        old.close()
        self.plan_replaced.emit()

    def undo(self) -> None:
        """The window's Undo: pending typing is saved first, then the last step undone."""
        self.before_undo.emit()
        self.undo_stack.undo()

    def redo(self) -> None:
        """The window's Redo (typing saved first: it may end what can be redone)."""
        self.before_undo.emit()
        self.undo_stack.redo()

    def report(self, error: UserError, title: str = "That did not work") -> None:
        show_error(self.window, title, str(error))

    def execute(self, command: PlanCommand) -> bool:
        """Do ``command`` now and, if it worked, put it on the undo stack."""
        try:
            command.apply()
        except UserError as error:
            self.report(error)
            return False
        command.applied_before_push = True
        self.undo_stack.push(command)
        return True


class PlanCommand(QUndoCommand):
    """An undoable change made through the services.

    ``apply`` and ``revert`` call service functions; each is one transaction. The first
    apply happens before the command is pushed, so a refused change never enters the
    stack. If a later redo or undo is refused (someone changed the plan in between), the
    user is told and the command is dropped from the stack.
    """

    topic = PLAN

    def __init__(self, context: PlanContext, text: str) -> None:
        super().__init__(undo_text(text))
        self.context = context
        self.applied_before_push = False

    def setText(self, text: str) -> None:
        super().setText(undo_text(text))

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.applied_before_push:
            self.applied_before_push = False
        else:
            self._run(self.apply)
            return
        self.context.changed.emit(self.topic)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, action: Callable[[], None]) -> None:
        try:
            action()
        except UserError as error:
            self.setObsolete(True)
            self.context.report(error, "Cannot undo or redo that")
        self.context.changed.emit(self.topic)
