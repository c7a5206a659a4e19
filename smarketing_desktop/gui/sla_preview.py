"""The live preview of an SLA: rich text that follows the PDF section by section.

The numbered parts, their order and their wording come from ``domain.sla_outline``, as
in the PDF. The SLA arrives as its plan-exchange document (see ``services.slas.get_sla``,
or the editor's unsaved form); every piece of user text is escaped before it goes into
the rich-text view, so ``<b>`` shows as typed.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from smarketing_desktop.domain import sla_outline as outline
from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.gui.rich import literal

STATUS_COLOURS = {
    SlaStatus.DRAFT.value: "#7b8794",
    SlaStatus.OUT_FOR_SIGNATURE.value: "#d9480f",
    SlaStatus.SIGNED.value: "#2b8a3e",
    SlaStatus.EXPIRED.value: "#c92a2a",
}
_INK, _MUTED, _RULE, _FILL = "#1f2933", "#616e7c", "#cbd2d9", "#eef2f7"


def status_label(status: str) -> str:
    return outline.status_label(status)


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


def _text(value: Any) -> str:
    """User text for rich text: escaped, NULs dropped, line breaks kept."""
    return literal(str(value or ""))


def _table(head: list[str], rows: list[list[str]], widths: list[int]) -> str:
    cells = "".join(
        f'<th width="{w}%" align="left" bgcolor="{_FILL}">{h}</th>'
        for h, w in zip(head, widths, strict=True)
    )
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    # Tables are set smaller than the text, as in the PDF (8.5 pt cells under 10 pt text).
    return (
        f'<table width="99%" cellspacing="0" cellpadding="3" border="0" '
        f'style="font-size: 9pt">'
        f"<tr>{cells}</tr>{body}</table>"
    )


def _header(document: dict[str, Any], watermark: str) -> str:
    status = str(document.get("status", ""))
    colour = STATUS_COLOURS.get(status, _MUTED)
    mark = (
        f'<span style="color:#c92a2a; font-weight:600; letter-spacing:2px">{watermark}</span>'
        f" &nbsp;"
        if watermark
        else ""
    )
    facts = [
        ("Parties", _text(outline.parties_text(document))),
        ("In force", _text(outline.term_text(document))),
        (
            "Version",
            f"{escape(str(document.get('version', 1)))} · "
            f'<span style="color:{colour}; font-weight:600">{escape(status_label(status))}</span>',
        ),
    ]
    rows = "".join(
        f'<tr><td width="90" style="color:{_MUTED}; font-size:small; font-weight:600">{label}'
        f"</td><td>{value}</td></tr>"
        for label, value in facts
    )
    return (
        f'<p style="color:{_MUTED}; margin-bottom:0">{mark}{escape(outline.SUBTITLE)}</p>'
        f'<h1 style="margin-top:2px; margin-bottom:6px">'
        f"{_text(document.get('title')) or '<i>Untitled</i>'}</h1>"
        f'<table cellspacing="0" cellpadding="3">{rows}</table>'
    )


def _commitments(document: dict[str, Any]) -> str:
    rows = [
        [
            _text(outline.team_label(str(c.get("team") or ""))),
            f"<b>{_text(c.get('metric'))}</b>",
            _text(outline.target_text(c)),
            _text(c.get("period")),
            _text(c.get("source")),
            _text(c.get("on_miss")),
        ]
        for c in document.get("commitments") or []
    ]
    if not rows:
        return f'<p style="color:{_MUTED}">No commitments yet.</p>'
    return _table(list(outline.COMMITMENT_COLUMNS), rows, [14, 21, 12, 10, 20, 23])


def _definitions(document: dict[str, Any]) -> str:
    rows = [
        [f"<b>{_text(d.get('term'))}</b>", _text(d.get("definition"))]
        for d in document.get("lead_definitions") or []
    ]
    if not rows:
        return f'<p style="color:{_MUTED}">No lead definitions yet.</p>'
    return _table(["Term", "Definition"], rows, [28, 72])


def _signatures(document: dict[str, Any]) -> str:
    signatories = document.get("signatories") or []
    if not signatories:
        return f'<p style="color:{_MUTED}">No signatories yet.</p>'
    rows = []
    for signatory in signatories:
        signed = signatory.get("signed_on")
        state = (
            f'<span style="color:#2b8a3e">✓ Signed {day(signed)}</span>'
            if signed
            else '<span style="color:#d9480f">Awaiting signature</span>'
        )
        rows.append(
            f"<tr><td><b>{_text(signatory.get('name')) or '<i>Name to be given</i>'}</b><br/>"
            f'<span style="color:{_MUTED}">{_text(outline.signatory_caption(signatory))}</span>'
            f"</td><td>{state}</td></tr>"
        )
    return (
        f'<p style="color:{_MUTED}">{escape(outline.SIGNATURE_NOTE)}</p>'
        f'<table cellspacing="0" cellpadding="5">{"".join(rows)}</table>'
    )


def _body(document: dict[str, Any], part: outline.Part) -> str:
    if part.kind == "section":
        sections = document.get("sections") or []
        body = sections[part.index].get("body") if part.index is not None else ""
        return f"<p>{_text(body)}</p>"
    if part.kind == "lead_definitions":
        return _definitions(document)
    if part.kind == "commitments":
        return _commitments(document)
    if part.kind == "reviews":
        try:
            lines = outline.review_lines(document)
        except (TypeError, ValueError):  # a half-typed schedule in the editor
            lines = ["The review schedule is not complete yet."]
        return "<p>" + "<br/>".join(_text(line) for line in lines) + "</p>"
    if part.kind == "escalation":
        return f"<p>{_text(document.get('escalation')) or 'Not agreed yet.'}</p>"
    return _signatures(document)


def sla_html(document: dict[str, Any]) -> str:
    """The preview of ``document`` as rich text (all user text escaped)."""
    status = str(document.get("status", ""))
    watermark = {SlaStatus.SIGNED.value: "", SlaStatus.EXPIRED.value: "EXPIRED"}.get(
        status, "DRAFT"
    )
    parts = [_header(document, watermark)]
    for part in outline.outline(document):
        parts.append(
            f'<h3 style="margin-top:16px; margin-bottom:4px; color:{_INK}">'
            f"{part.number}. {_text(part.heading)}</h3>{_body(document, part)}"
        )
    return f'<div style="color:{_INK}">{"".join(parts)}</div>'
