"""Undo steps for personas: edit one field, add (new, template, duplicate), delete.

Each step is a small record that calls the personas service and knows its own inverse.
Consecutive edits of the same field in one typing session merge into one step (Orange3's
``mergeWith``), so typing a name is one undo, not one per key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from smarketing_desktop.errors import ConcurrentEditError
from smarketing_desktop.gui.context import ITEMS, PERSONAS, PlanCommand, PlanContext
from smarketing_desktop.gui.labels import short
from smarketing_desktop.services import personas as service

Document = dict[str, Any]
Focus = Callable[[str | None], None]
_EDIT_ID = 0x5E6A

LABELS = {
    "name": "name",
    "picture": "picture",
    "role": "role",
    "company_size": "company size",
    "industry": "industry",
    "buying_role": "buying role",
    "buying_stage": "buying stage",
    "goals": "goals",
    "challenges": "challenges",
    "information_sources": "information sources",
    "channels": "preferred channels",
    "objections": "objections",
    "quote": "quote",
    "customers": "customers",
    "insights_sales": "insights from sales",
    "insights_marketing": "insights from marketing",
    "notes": "notes",
}


def _no_focus(_persona_id: str | None) -> None:
    return None


class EditPersona(PlanCommand):
    """One field of one persona set to a new value.

    Args:
        context: The window's plan context.
        persona_id: Whose field.
        field: Which field (``services.personas.FIELDS``).
        before: The value the editor showed.
        after: The new value.
        version: The persona's ``row_version`` the editor showed: a change made elsewhere
            since then is refused, and so is an undo after one.
        session: Edits with the same session (a field being typed in) merge.
        text: The undo text, if not "Edit <field>".
        focus: Called with the persona's id after each do and undo (to show it).
    """

    topic = PERSONAS

    def __init__(
        self,
        context: PlanContext,
        persona_id: str,
        field: str,
        before: Any,
        after: Any,
        *,
        version: int,
        session: object = None,
        text: str = "",
        focus: Focus = _no_focus,
    ) -> None:
        super().__init__(context, text or f"Edit {LABELS.get(field, field)}")
        self.persona_id, self.field = persona_id, field
        self.before, self.after = before, after
        self.version: int | None = version  # checked on the first do only
        self.session = session
        self.focus = focus
        self.saved: Document | None = None

    def _save(self, value: Any, expected: Any, version: int | None) -> None:
        """Store ``value`` if the field still holds ``expected`` (what this step left).

        The first do checks the version the editor saw (any change elsewhere refuses it).
        Undo and redo run after other steps have moved the version on, so they check that
        the field still holds what this step left, then write against the version read.
        """
        self.focus(self.persona_id)
        plan = self.context.plan
        if version is None:
            current = service.get_persona(plan, self.persona_id)
            if current[self.field] != expected:
                raise ConcurrentEditError(
                    f"The {LABELS.get(self.field, self.field)} of this persona was changed in "
                    "another window or by another command in the meantime."
                )
            version = int(current["row_version"])
        self.saved = service.edit_persona_field(
            plan, self.persona_id, self.field, value, version=version
        )

    def apply(self) -> None:
        first, self.version = self.version, None
        self._save(self.after, self.before, first)

    def revert(self) -> None:
        self._save(self.before, self.after, None)

    def id(self) -> int:
        return _EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, EditPersona)
            and self.session is not None
            and other.session == self.session
            and other.persona_id == self.persona_id
            and other.field == self.field
        ):
            return False
        self.after, self.saved = other.after, other.saved
        return True


class AddPersona(PlanCommand):
    """A new persona (blank, from a template, or a copy); undo deletes it, redo restores it.

    Args:
        context: The window's plan context.
        text: The undo text.
        create: Makes the persona the first time (a service call); returns it.
        focus: Called with the new persona's id after each do (None after undo).
    """

    topic = PERSONAS

    def __init__(
        self,
        context: PlanContext,
        text: str,
        create: Callable[[], Document],
        focus: Focus = _no_focus,
    ) -> None:
        super().__init__(context, text)
        self.create = create
        self.focus = focus
        self.removed: service.Removed | None = None
        self.persona: Document | None = None

    def apply(self) -> None:
        if self.removed is None:
            self.persona = self.create()
        else:
            self.persona = service.restore_persona(self.context.plan, self.removed)
        self.focus(self.persona["id"])

    def revert(self) -> None:
        assert self.persona is not None
        self.removed = service.delete_persona(self.context.plan, self.persona["id"])
        self.focus(None)


class DeletePersona(PlanCommand):
    """A persona deleted and unlinked from its items; undo brings both back exactly."""

    topic = PERSONAS

    def __init__(
        self, context: PlanContext, persona_id: str, name: str, focus: Focus = _no_focus
    ) -> None:
        super().__init__(context, f"Delete {short(name)}")
        self.persona_id = persona_id
        self.focus = focus
        self.removed: service.Removed | None = None

    def apply(self) -> None:
        self.removed = service.delete_persona(self.context.plan, self.persona_id)
        self.focus(None)
        if self.removed.links:
            self._items_changed()

    def revert(self) -> None:
        assert self.removed is not None
        service.restore_persona(self.context.plan, self.removed)
        self.focus(self.persona_id)
        if self.removed.links:
            self._items_changed()

    def _items_changed(self) -> None:
        # Calendar filters and badges name personas. The conflict check need not compare
        # every item for it: the PERSONAS change that follows re-checks the whole plan.
        self.context.items_touched.emit([])
        self.context.changed.emit(ITEMS)
