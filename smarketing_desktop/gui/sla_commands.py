"""Undo steps of the SLA builder; each calls the SLA service.

Every command remembers whole SLA documents (the service's exchange shape): the undo of
any change is ``restore_sla`` of the document before it, and a redo restores the document
the first run produced, so status, version and history come back exactly as they were.
Undo and redo first check that the stored SLA is still what the step left
(``gui.undo_guard``): a change made meanwhile elsewhere is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from smarketing_desktop.gui.context import SLAS, PlanCommand, PlanContext
from smarketing_desktop.gui.labels import short
from smarketing_desktop.gui.undo_guard import check_unchanged, read_or_none
from smarketing_desktop.services import slas as sla_service

Document = dict[str, Any]
# QUndoStack merges commands with equal ids; all SLA text edits share one.
MERGE_ID = 7007


def _plain(document: Document) -> Document:
    """A document without the optimistic counter (which ``restore_sla`` does not take)."""
    return {k: v for k, v in document.items() if k != "row_version"}


def _stored(context: PlanContext, sla_id: str) -> Document | None:
    """The SLA as stored now (None if there is none), to compare with what a step left."""
    document = read_or_none(lambda: sla_service.get_sla(context.plan, sla_id))
    return None if document is None else _plain(document)


def _check(context: PlanContext, sla_id: str, left: Document | None, title: str) -> None:
    check_unchanged(_stored(context, sla_id), left, f"The agreement “{title}”")


class SaveSla(PlanCommand):
    """An edit of an SLA's text; consecutive typing in one field merges into one step."""

    topic = SLAS

    def __init__(
        self,
        context: PlanContext,
        before: Document,
        after: Document,
        text: str,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(context, text)
        self.before = before
        self.after = after
        self.result: Document | None = None
        self.merge_key = merge_key
        # What the plan held after the last do (left_after) and undo (left_before).
        self.left_after: Document | None = None
        self.left_before: Document | None = None

    @property
    def sla_id(self) -> str:
        return str(self.before["id"])

    def apply(self) -> None:
        if self.result is None:
            self.result = sla_service.save_sla(self.context.plan, self.after)
        else:
            _check(self.context, self.sla_id, self.left_before, str(self.before["title"]))
            self.result = sla_service.restore_sla(self.context.plan, _plain(self.result))
        self.left_after = _stored(self.context, self.sla_id)

    def revert(self) -> None:
        assert self.result is not None
        _check(self.context, self.sla_id, self.left_after, str(self.result["title"]))
        sla_service.restore_sla(self.context.plan, _plain(self.before))
        self.left_before = _stored(self.context, self.sla_id)

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, SaveSla)
            and other.merge_key == self.merge_key
            and other.sla_id == self.sla_id
            and other.result is not None
        ):
            return False
        self.result, self.left_after = other.result, other.left_after
        # Typing that ends where it began leaves nothing to undo.
        self.setObsolete(_plain(self.result) == _plain(self.before))
        return True


class CreateSla(PlanCommand):
    """A new SLA from a template or as a copy; undo deletes it again."""

    topic = SLAS

    def __init__(self, context: PlanContext, text: str, create: Callable[[], Document]) -> None:
        super().__init__(context, text)
        self.create = create
        self.result: Document | None = None
        self.left: Document | None = None

    def apply(self) -> None:
        if self.result is None:
            self.result = self.create()
        else:
            _check(self.context, str(self.result["id"]), None, str(self.result["title"]))
            self.result = sla_service.restore_sla(self.context.plan, _plain(self.result))
        self.left = _stored(self.context, str(self.result["id"]))

    def revert(self) -> None:
        assert self.result is not None
        _check(self.context, str(self.result["id"]), self.left, str(self.result["title"]))
        sla_service.delete_sla(self.context.plan, str(self.result["id"]))


class DeleteSla(PlanCommand):
    topic = SLAS

    def __init__(self, context: PlanContext, document: Document) -> None:
        super().__init__(context, f"Delete {short(document['title'])}")
        self.document = document
        self.left: Document | None = None  # what the undo put back

    def apply(self) -> None:
        sla_id = str(self.document["id"])
        if self.left is not None:
            _check(self.context, sla_id, self.left, str(self.document["title"]))
        self.document = sla_service.delete_sla(self.context.plan, sla_id)

    def revert(self) -> None:
        sla_id = str(self.document["id"])
        _check(self.context, sla_id, None, str(self.document["title"]))
        sla_service.restore_sla(self.context.plan, _plain(self.document))
        self.left = _stored(self.context, sla_id)


class SlaTransition(PlanCommand):
    """A step of the signature flow: send out, record a signature, expire."""

    topic = SLAS

    def __init__(
        self,
        context: PlanContext,
        text: str,
        before: Document,
        step: Callable[[Document], Document],
    ) -> None:
        super().__init__(context, text)
        self.before = before
        self.step = step
        self.result: Document | None = None
        self.left_after: Document | None = None
        self.left_before: Document | None = None

    def apply(self) -> None:
        sla_id, title = str(self.before["id"]), str(self.before["title"])
        if self.result is None:
            self.result = self.step(self.before)
        else:
            _check(self.context, sla_id, self.left_before, title)
            self.result = sla_service.restore_sla(self.context.plan, _plain(self.result))
        self.left_after = _stored(self.context, sla_id)

    def revert(self) -> None:
        sla_id, title = str(self.before["id"]), str(self.before["title"])
        _check(self.context, sla_id, self.left_after, title)
        sla_service.restore_sla(self.context.plan, _plain(self.before))
        self.left_before = _stored(self.context, sla_id)


def send_out(context: PlanContext, before: Document) -> SlaTransition:
    return SlaTransition(
        context,
        f"Send {short(before['title'])} for signature",
        before,
        lambda doc: sla_service.send_for_signature(
            context.plan, doc["id"], row_version=doc["row_version"]
        ),
    )


def record_signature(
    context: PlanContext, before: Document, signatory: int, on: dt.date
) -> SlaTransition:
    name = before["signatories"][signatory]["name"] or f"signatory {signatory + 1}"
    return SlaTransition(
        context,
        f"Record the signature of {short(name)}",
        before,
        lambda doc: sla_service.record_signature(
            context.plan, doc["id"], signatory, on=on, row_version=doc["row_version"]
        ),
    )


def expire(context: PlanContext, before: Document) -> SlaTransition:
    return SlaTransition(
        context,
        f"Mark {short(before['title'])} expired",
        before,
        lambda doc: sla_service.expire_sla(context.plan, doc["id"], row_version=doc["row_version"]),
    )
