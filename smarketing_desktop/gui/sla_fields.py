"""Small pieces the pages of the SLA editor share: finding form widgets, dates, the way a
page reports an edit, and problems said in the form's words."""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol, TypeVar

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import QWidget

from smarketing_desktop.errors import ValidationError

W = TypeVar("W", bound=QObject)
NOT_SET = QDate(1900, 1, 1)


class Edits(Protocol):
    """How a page of the editor reports what the user did (see ``SlaEditor``)."""

    loading: bool

    def typing(self, key: str, text: str) -> None:
        """Typing in the field ``key``: saved at the next pause, merged with more typing."""

    def now(self, text: str, merge_key: str | None = None) -> None:
        """A discrete change: saved at once as the undo step ``text``."""

    def flush(self) -> None:
        """Save typing that waits for its pause."""


def find(form: QWidget, kind: type[W], name: str) -> W:
    """The widget ``name`` of a Designer form (a missing one is a broken form)."""
    widget = form.findChild(kind, name)
    if widget is None:
        raise RuntimeError(f"The form has no {kind.__name__} named {name!r}.")
    return widget


def to_qdate(value: str | None) -> QDate:
    """An ISO date as a QDate; ``NOT_SET`` (shown as "Not set") for none."""
    if not value:
        return NOT_SET
    day = dt.date.fromisoformat(value[:10])
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> str | None:
    if value == NOT_SET or not value.isValid():
        return None
    return dt.date(value.year(), value.month(), value.day()).isoformat()


_PATH_PART = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")
_LABELS = {
    "title": "Title",
    "effective": "Effective date",
    "ends": "End date",
    "escalation": "Escalation path",
    "reviews.start": "First meeting",
    "reviews.tz": "Time zone",
    "reviews.rrule": "Custom rule",
    "reviews.location": "Location",
    "reviews.duration_minutes": "Length",
}
_LIST_NOUNS = {
    "commitments": "Commitment",
    "lead_definitions": "Lead definition",
    "sections": "Section",
    "signatories": "Signatory",
    "parties": "Party",
}


def problem_text(error: ValidationError) -> str:
    """``sla.commitments[2].metric`` → ``Commitment 3, metric: …`` for the form."""
    path = error.path.removeprefix("sla.")
    label = _LABELS.get(path)
    match = _PATH_PART.match(path)
    if label is None and match:
        noun = _LIST_NOUNS.get(match[1], match[1])
        label = f"{noun} {int(match[2]) + 1}, {match[3].replace('_', ' ')}"
    label = label or path.replace("_", " ").replace(".", ", ").capitalize()
    problem = f"{label}: {error.problem}" if label else error.problem
    return f"{problem.rstrip('.')}. This change is not saved until it is fixed."
