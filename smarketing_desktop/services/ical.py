"""The calendar exchange as the window uses it: export, import, SLA meetings.

One function per thing a user does. Reading files is separate from importing them, so
the window can read big files off the GUI thread, show a preview, and then import what it
read in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.exchange.ical_export import count_events, export_ics
from smarketing_desktop.exchange.ical_import import (
    IcsImportReport,
    ImportPreview,
    apply,
    preview_parsed,
)
from smarketing_desktop.exchange.ical_read import IcsFiles, Progress, read_ics_files
from smarketing_desktop.services.people import list_people
from smarketing_desktop.services.personas import list_persona_cards
from smarketing_desktop.services.sla_ical import export_sla_ics, sla_events
from smarketing_desktop.services.slas import SlaSummary, list_sla_summaries
from smarketing_desktop.store.planfile import Plan

# The value types the window and the command line hand to these functions.
__all__ = [
    "FilterChoices",
    "IcsFiles",
    "IcsImportReport",
    "ImportPreview",
    "events_to_export",
    "export_calendar",
    "export_sla_meetings",
    "filter_choices",
    "import_calendars",
    "preview_import",
    "read_calendars",
    "sla_choices",
    "sla_meeting_count",
]


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The people and personas an export can be limited to, as (id, name) pairs."""

    owners: tuple[tuple[str, str], ...]
    personas: tuple[tuple[str, str], ...]


def filter_choices(plan: Plan) -> FilterChoices:
    """Who and whom the plan's items can be filtered by."""
    return FilterChoices(
        owners=tuple((p.id, p.name) for p in list_people(plan)),
        personas=tuple((p.id, p.name) for p in list_persona_cards(plan)),
    )


def events_to_export(plan: Plan, chosen: ItemFilter) -> int:
    """How many events an export with ``chosen`` writes."""
    return count_events(plan, chosen)


def export_calendar(plan: Plan, chosen: ItemFilter, out: Path) -> int:
    """Write the chosen items to ``out`` atomically; returns how many events."""
    return export_ics(plan, out, chosen)


def read_calendars(
    paths: Iterable[Path], *, kind: str, team: str, progress: Progress | None = None
) -> IcsFiles:
    """Read ``.ics`` files (no plan involved: safe off the GUI thread)."""
    return read_ics_files(paths, kind=kind, team=team, progress=progress)


def preview_import(plan: Plan, parsed: IcsFiles) -> ImportPreview:
    """What importing ``parsed`` would add, update and skip, without writing anything."""
    return preview_parsed(plan, parsed)


def import_calendars(plan: Plan, parsed: IcsFiles) -> IcsImportReport:
    """Import what :func:`read_calendars` read, in one transaction."""
    return apply(plan, parsed)


def sla_choices(plan: Plan) -> list[SlaSummary]:
    """The plan's SLAs, for choosing whose review meetings to export."""
    return list_sla_summaries(plan)


def sla_meeting_count(plan: Plan, sla_id: str) -> int:
    """How many events an SLA's calendar holds (meetings series, effective and end day)."""
    return len(sla_events(plan, sla_id)[0])


def export_sla_meetings(plan: Plan, sla_id: str, out: Path) -> int:
    """Write an SLA's review meetings and dates to ``out`` atomically."""
    return export_sla_ics(plan, sla_id, out)
