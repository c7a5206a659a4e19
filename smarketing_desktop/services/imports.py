"""Importing files into a plan from the command line: plan JSON and calendars together.

Every file is read and checked before the plan is touched, and everything is written in
one transaction: a problem in any file (even one found only while writing, such as an
owner nobody has) leaves the plan exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.ical_import import IcsImportReport, write_events
from smarketing_desktop.exchange.ical_read import IcsFiles
from smarketing_desktop.exchange.plan_json import (
    ImportReport,
    PlanDocument,
    read_document,
    write_records,
)
from smarketing_desktop.store.planfile import Plan


def read_plan_file(path: Path) -> PlanDocument:
    """Read and check a plan JSON file (nothing is written).

    Raises:
        UserError: the file cannot be read or is not a valid plan document (the message
            names the file).
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"Cannot read “{path}”: {error.strerror}.") from error
    try:
        return read_document(data)
    except UserError as error:
        raise UserError(f"{path.name}: {error} (nothing was imported)") from error


_CONTENTS = (
    ("people", "person", "people"),
    ("personas", "persona", "personas"),
    ("items", "calendar item", "calendar items"),
    ("slas", "SLA", "SLAs"),
    ("rules", "conflict rule", "conflict rules"),
    ("acknowledgements", "acknowledged conflict", "acknowledged conflicts"),
)


def describe_document(document: PlanDocument) -> str:
    """What a checked document holds, in words (``3 people, 12 calendar items``)."""
    parts = []
    for attribute, one, many in _CONTENTS:
        count = len(getattr(document, attribute))
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) or "nothing"


@dataclass(slots=True)
class FilesImported:
    """What an import did: one report per plan document, and one for the calendars."""

    documents: list[ImportReport] = field(default_factory=list)
    calendars: IcsImportReport | None = None


def import_files(
    plan: Plan, documents: Sequence[tuple[str, PlanDocument]], calendars: IcsFiles | None
) -> FilesImported:
    """Import checked plan documents (by file name) and read calendars, all or nothing.

    Raises:
        UserError: something could not be written (the message names the file); the plan
            is unchanged.
    """
    done = FilesImported()
    with plan.write() as session:
        for name, document in documents:
            try:
                done.documents.append(write_records(session, document))
            except UserError as error:
                raise UserError(f"{name}: {error} (nothing was imported)") from error
        if calendars is not None:
            done.calendars = write_events(session, calendars)
    return done
