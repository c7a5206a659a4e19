"""The read-only preview of one SLA under the SLA list: who signs, what each team owes.

The SLA arrives as its plan-exchange document (see ``services.slas.get_sla``); every
piece of user text is escaped before it goes into the rich-text view.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from smarketing_desktop.domain.words import SlaStatus

STATUS_COLOURS = {
    SlaStatus.DRAFT.value: "#7b8794",
    SlaStatus.OUT_FOR_SIGNATURE.value: "#d9480f",
    SlaStatus.SIGNED.value: "#2b8a3e",
    SlaStatus.EXPIRED.value: "#c92a2a",
}
_FREQUENCY = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_TEAM_COLOURS = {"marketing": "#2f6fde", "sales": "#d9480f"}


def status_label(status: str) -> str:
    return SlaStatus(status).label if status in SlaStatus._value2member_map_ else status


def day(value: Any) -> str:
    """``16 Oct 2026`` from a date or an ISO date text; ``—`` for none."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    return f"{value.day} {value:%b %Y}"


def _target(commitment: dict[str, Any]) -> str:
    target = commitment.get("target")
    number = f"{target:g}" if isinstance(target, int | float) else str(target or "")
    unit = str(commitment.get("unit") or "")
    amount = f"{number}{unit}" if unit == "%" else f"{number} {unit}".strip()
    period = str(commitment.get("period") or "")
    return f"{amount} per {period}" if period else amount


def _cadence(reviews: dict[str, Any]) -> str:
    rule = dict(
        part.split("=", 1) for part in str(reviews.get("rrule") or "").split(";") if "=" in part
    )
    unit = _FREQUENCY.get(rule.get("FREQ", ""))
    interval = int(rule["INTERVAL"]) if rule.get("INTERVAL", "").isdigit() else 1
    parts = []
    if unit:
        parts.append(f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s")
    if reviews.get("start"):
        parts.append(f"from {day(reviews['start'])}")
    if reviews.get("duration_minutes"):
        parts.append(f"{reviews['duration_minutes']} minutes")
    if reviews.get("location"):
        parts.append(str(reviews["location"]))
    return escape(", ".join(parts))


def _section(title: str, body: str) -> str:
    return f'<h3 style="color:#3e4c59; margin-top:14px; margin-bottom:4px">{title}</h3>{body}'


def sla_html(document: dict[str, Any]) -> str:
    """The preview of ``document`` as rich text (all user text escaped)."""
    status = str(document.get("status", ""))
    colour = STATUS_COLOURS.get(status, "#52606d")
    parts = [
        f'<h2 style="margin-bottom:2px">{escape(str(document.get("title", "")))}</h2>',
        f'<p style="color:#52606d; margin-top:0">'
        f'<span style="color:{colour}; font-weight:600">{escape(status_label(status))}</span>'
        f" · version {escape(str(document.get('version', '')))}"
        f" · in force {day(document.get('effective'))} – {day(document.get('ends'))}</p>",
    ]

    rows = []
    for signatory in document.get("signatories", []):
        signed = signatory.get("signed_on")
        state = (
            f'<span style="color:#2b8a3e">✓ Signed {day(signed)}</span>'
            if signed
            else '<span style="color:#d9480f">Awaiting signature</span>'
        )
        team = str(signatory.get("team") or "")
        rows.append(
            f"<tr><td><b>{escape(str(signatory.get('name') or '—'))}</b></td>"
            f"<td>{escape(str(signatory.get('title') or ''))}</td>"
            f'<td style="color:{_TEAM_COLOURS.get(team, "#52606d")}">'
            f"{escape(team.capitalize())}</td><td>{state}</td></tr>"
        )
    if rows:
        parts.append(_section("Signatories", _table(rows)))

    by_team: dict[str, list[str]] = {}
    for commitment in document.get("commitments", []):
        team = str(commitment.get("team") or "")
        by_team.setdefault(team, []).append(
            f"<tr><td>{escape(str(commitment.get('metric') or ''))}</td>"
            f"<td><b>{escape(_target(commitment))}</b></td>"
            f'<td style="color:#7b8794">{escape(str(commitment.get("on_miss") or ""))}</td></tr>'
        )
    for team, team_rows in by_team.items():
        parts.append(
            _section(
                f'<span style="color:{_TEAM_COLOURS.get(team, "#3e4c59")}">'
                f"{escape(team.capitalize())} commits to</span>",
                _table(team_rows),
            )
        )

    definitions = [
        f"<tr><td><b>{escape(str(d.get('term') or ''))}</b></td>"
        f"<td>{escape(str(d.get('definition') or ''))}</td></tr>"
        for d in document.get("lead_definitions", [])
    ]
    if definitions:
        parts.append(_section("Lead definitions", _table(definitions)))
    reviews = document.get("reviews") or {}
    if reviews:
        parts.append(_section("Reviews together", f"<p>{_cadence(reviews)}</p>"))
    if document.get("escalation"):
        parts.append(_section("Escalation", f"<p>{escape(str(document['escalation']))}</p>"))
    return "".join(parts)


def _table(rows: list[str]) -> str:
    return f'<table cellspacing="0" cellpadding="4">{"".join(rows)}</table>'
