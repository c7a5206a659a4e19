"""The reading order of an SLA document, shared by the PDF and the live preview.

Both renderings number the same sections in the same order and word the parties, dates
and review schedule the same way, so what the user sees while editing is what prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from smarketing_desktop.domain.repeat import recurrence_phrase
from smarketing_desktop.domain.words import SlaStatus, Team

Document = dict[str, Any]

SUBTITLE = "Service level agreement between sales and marketing"
SIGNATURE_NOTE = "By signing, each party agrees to the commitments above."
REVIEW_NOTE = "Each review goes through every commitment above, with both teams present."
COMMITMENT_COLUMNS = ("Team", "Metric", "Target", "Period", "Measured by", "If missed")


@dataclass(frozen=True, slots=True)
class Part:
    """One numbered section of the document.

    Attributes:
        number: Its number as printed (1, 2, …).
        heading: Its heading (user text for free sections).
        kind: ``section`` (a free section), ``lead_definitions``, ``commitments``,
            ``reviews``, ``escalation`` or ``signatures``.
        index: For a free section, its position in ``document["sections"]``.
    """

    number: int
    heading: str
    kind: str
    index: int | None = None


_FIXED = (
    ("Lead definitions", "lead_definitions"),
    ("Commitments", "commitments"),
    ("Reviews", "reviews"),
    ("Escalation", "escalation"),
    ("Signatures", "signatures"),
)


def outline(document: Document) -> list[Part]:
    """The numbered sections of ``document``: its free sections, then the fixed ones."""
    parts = [
        Part(number, str(section.get("heading") or ""), "section", number - 1)
        for number, section in enumerate(document.get("sections") or [], start=1)
    ]
    for heading, kind in _FIXED:
        parts.append(Part(len(parts) + 1, heading, kind))
    return parts


def long_date(value: str | dt.date | None) -> str:
    """``16 October 2026`` from an ISO date (or date-time) text or a date; ``not set``."""
    if not value:
        return "not set"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])
    return f"{day.day} {day:%B %Y}"


def team_label(value: str) -> str:
    return Team(value).label if value in Team._value2member_map_ else value


def status_label(value: str) -> str:
    return SlaStatus(value).label if value in SlaStatus._value2member_map_ else value


def _team_note(title: str, team: str) -> str:
    """`` (Sales)`` unless the title already says the team (``VP Sales``)."""
    label = team_label(team) if team else ""
    return f" ({label})" if label and label.lower() not in title.lower() else ""


def _person(name: str, title: str, team: str) -> str:
    name, title = name.strip(), title.strip()
    if not name:
        return f"{title} (to be named)" if title else ""
    return name + (f", {title}" if title else "") + _team_note(title, team)


def parties_text(document: Document) -> str:
    """``Martha Diaz, VP Marketing (Marketing) and Ted Okafor, VP Sales (Sales)``.

    Versions saved before parties existed name their signatories instead.
    """
    people = document.get("parties") or [
        s for s in document.get("signatories") or [] if str(s.get("name", "")).strip()
    ]
    names = [
        _person(str(p.get("name") or ""), str(p.get("title") or ""), str(p.get("team") or ""))
        for p in people
    ]
    names = [n for n in names if n]
    if not names:
        return "to be named"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def term_text(document: Document) -> str:
    """``16 October 2026 to 15 October 2027`` (either end may be ``not set``)."""
    return f"{long_date(document.get('effective'))} to {long_date(document.get('ends'))}"


def version_text(document: Document) -> str:
    return f"{document.get('version', 1)} · {status_label(str(document.get('status', '')))}"


def number_text(value: Any) -> str:
    """``1,200``, ``2.5`` or ``—`` for a commitment's target."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def target_text(commitment: dict[str, Any]) -> str:
    """``120 leads``, ``25 %``: the target with its unit."""
    unit = str(commitment.get("unit") or "")
    number = number_text(commitment.get("target"))
    return f"{number} {unit}" if unit else number


def review_lines(document: Document) -> list[str]:
    """The review schedule in sentences; one line when no meetings are scheduled."""
    reviews = document.get("reviews")
    if not reviews or not reviews.get("start"):
        return ["No review meetings are scheduled."]
    start = dt.datetime.fromisoformat(str(reviews["start"]))
    zone = f" ({reviews['tz']})" if reviews.get("tz") else ""
    minutes = reviews.get("duration_minutes") or 60
    lines = [f"First review: {long_date(start.date())} at {start:%H:%M}{zone}, {minutes} minutes."]
    rule = reviews.get("rrule")
    if rule:
        then = f"Then {recurrence_phrase(rule, start.date())}"
        bounded = any(part in str(rule).upper() for part in ("UNTIL=", "COUNT="))
        if document.get("ends") and not bounded:
            then += f", until the agreement ends on {long_date(document['ends'])}"
        lines.append(then + ".")
    else:
        lines.append("A single review meeting.")
    if reviews.get("location"):
        lines.append(f"Where: {reviews['location']}")
    lines.append(REVIEW_NOTE)
    return lines


def signatory_caption(signatory: dict[str, Any]) -> str:
    """``VP Marketing, Marketing``: the line under a signatory's name."""
    title = str(signatory.get("title") or "").strip()
    team = str(signatory.get("team") or "")
    note = _team_note(title, team).strip(" ()")
    return ", ".join(p for p in (title, note) if p)
