"""An SLA's review meetings and dates as an ``.ics`` file both teams can put in their calendars.

The file follows the calendar export's rules (it is written by the same code): the review
meetings as one recurring event with its zone's VTIMEZONE, location and a description of
the commitments to review, and the days the agreement takes effect and ends as all-day
events. UIDs are stable, so sending the file again after a change updates the meetings
people already have instead of adding them twice; the meeting has the UID of the review
meeting on the plan's calendar, so a calendar that holds both shows it once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from smarketing_desktop.domain.rule_check import review_rule
from smarketing_desktop.domain.words import SlaStatus, Team
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.files import write_atomically
from smarketing_desktop.exchange.ical_export import CalendarEvent, calendar_for
from smarketing_desktop.services.slas import get_sla, review_item_uid
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

_STATUS = {
    SlaStatus.SIGNED.value: "CONFIRMED",
    SlaStatus.EXPIRED.value: "CANCELLED",
}
Document = dict[str, Any]


def milestone_uid(sla_id: str, which: str) -> str:
    """The stable uid of the all-day event for an SLA's ``effective`` or ``ends`` day."""
    return f"sla-{which}-{sla_id}@smarketing.local"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _label(enum: type[Team] | type[SlaStatus], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _commitment(c: Document) -> str:
    what = f"{_label(Team, c['team'])}: {c['metric']}"
    target = _number(c.get("target"))
    if target:
        what += f" — target {target}{' ' + c['unit'] if c.get('unit') else ''}"
    if c.get("period"):
        what += f" per {c['period']}"
    if c.get("source"):
        what += f" (measured by: {c['source']})"
    return f"- {what}"


def review_description(sla: Document) -> str:
    """The meeting's agenda: the agreement, its version and the commitments to review."""
    status = _label(SlaStatus, sla["status"]).lower()
    lines = [f"Joint review of the SLA “{sla['title']}” (version {sla['version']}, {status}).", ""]
    if sla["commitments"]:
        lines.append("Commitments to review:")
        lines += [_commitment(c) for c in sla["commitments"]]
    else:
        lines.append("The agreement has no commitments yet.")
    if sla.get("escalation", "").strip():
        lines += ["", f"Escalation: {sla['escalation'].strip()}"]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the SLA document does not say: when the row was made and last changed."""

    created: dt.datetime | None
    modified: dt.datetime | None
    sequence: int
    meeting_sequence: int | None


def _meeting(sla: Document, facts: _Facts) -> CalendarEvent | None:
    reviews = sla.get("reviews")
    if not reviews or not reviews.get("start"):
        return None
    start = dt.datetime.fromisoformat(reviews["start"]).replace(tzinfo=None, microsecond=0)
    end = start + dt.timedelta(minutes=reviews.get("duration_minutes") or 60)
    ends = sla.get("ends")
    # The meetings end with the agreement.
    rrule = review_rule(reviews.get("rrule") or None, dt.date.fromisoformat(ends) if ends else None)
    sequence = facts.meeting_sequence if facts.meeting_sequence is not None else facts.sequence
    return CalendarEvent(
        uid=review_item_uid(sla["id"]),
        summary=f"SLA review: {sla['title']}",
        start=start,
        end=end,
        tz=reviews.get("tz"),
        description=review_description(sla),
        location=reviews.get("location") or "",
        categories=("Meeting", "Joint", "SLA"),
        status=_STATUS.get(sla["status"], "TENTATIVE"),
        transparent=False,
        rrule=rrule,
        sequence=sequence,
        created=facts.created,
        last_modified=facts.modified,
    )


def _milestone(sla: Document, which: str, facts: _Facts) -> CalendarEvent | None:
    day = sla.get(which)
    if not day:
        return None
    words = "takes effect" if which == "effective" else "ends"
    return CalendarEvent(
        uid=milestone_uid(sla["id"], which),
        summary=f"SLA “{sla['title']}” {words}",
        start=dt.date.fromisoformat(day),
        end=dt.date.fromisoformat(day),
        description=f"The service level agreement “{sla['title']}” {words} on this day.",
        categories=("SLA", "Joint"),
        status=_STATUS.get(sla["status"], "TENTATIVE"),
        transparent=True,
        sequence=facts.sequence,
        created=facts.created,
        last_modified=facts.modified,
    )


def sla_events(plan: Plan, sla_id: str) -> tuple[list[CalendarEvent], str]:
    """The events of an SLA's calendar and the calendar's name.

    Raises:
        NotFoundError: there is no SLA ``sla_id``.
        UserError: the SLA has neither review meetings nor dates.
    """
    sla = get_sla(plan, sla_id)
    with plan.read() as session:
        created, modified = session.execute(
            select(models.Sla.created_at, models.Sla.updated_at).where(models.Sla.id == sla_id)
        ).one()
        # The meeting's SEQUENCE is the calendar item's, which grows with every change.
        meeting_sequence = session.scalar(
            select(models.Item.sequence).where(models.Item.uid == review_item_uid(sla_id))
        )
    # The row's version counter grows with every saved change of the agreement.
    facts = _Facts(created, modified, max(0, int(sla.get("row_version", 1)) - 1), meeting_sequence)
    found = [
        _meeting(sla, facts),
        _milestone(sla, "effective", facts),
        _milestone(sla, "ends", facts),
    ]
    events = [event for event in found if event is not None]
    if not events:
        raise UserError(
            f"The SLA “{sla['title']}” has no review meetings and no dates yet: there is "
            "nothing to put in a calendar."
        )
    return events, f"SLA review meetings: {sla['title']}"


def export_sla_ics(plan: Plan, sla_id: str, out: Path) -> int:
    """Write an SLA's review meetings and dates to ``out`` atomically; returns how many events."""
    events, name = sla_events(plan, sla_id)
    write_atomically(out, calendar_for(events, name=name))
    return len(events)
