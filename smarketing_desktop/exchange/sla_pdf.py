"""An SLA as a PDF a VP would sign.

Header with parties and dates, numbered sections, the commitments as a table that splits
across pages with its header repeated, a signature block per signatory kept on one page,
"Page N of M" with version and status in the footer, and a DRAFT watermark until signed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from smarketing_desktop.domain.sla_text import describe_rrule
from smarketing_desktop.domain.words import SlaStatus, Team
from smarketing_desktop.exchange import pdf

Document = dict[str, Any]


def _date(value: str | None) -> str:
    if not value:
        return "not set"
    day = dt.date.fromisoformat(value[:10])
    return f"{day.day} {day:%B %Y}"


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _team(value: str) -> str:
    return Team(value).label if value in Team._value2member_map_ else value


def _status(value: str) -> str:
    return SlaStatus(value).label if value in SlaStatus._value2member_map_ else value


def _table(rows: list[list[Flowable]], widths: list[float], *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, pdf.RULE),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.INK),
        ]
    table.setStyle(TableStyle(style))
    return table


def _header(document: Document) -> list[Flowable]:
    parties = [s for s in document["signatories"] if s["name"].strip()]
    party_text = " and ".join(
        f"{s['name']}"
        + (f", {s['title']}" if s["title"] else "")
        + (f" ({_team(s['team'])})" if s["team"] else "")
        for s in parties
    )
    facts = [
        ["Parties", party_text or "to be named"],
        ["Effective", f"{_date(document['effective'])} to {_date(document['ends'])}"],
        ["Version", f"{document['version']} · {_status(document['status'])}"],
    ]
    rows = [[pdf.para(label, "Label"), pdf.para(value)] for label, value in facts]
    table = Table(rows, colWidths=[28 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [
        pdf.para("Service level agreement between sales and marketing", "Subtitle"),
        pdf.para(document["title"], "Title"),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 2 * mm),
    ]


def _commitments(document: Document, width: float) -> list[Flowable]:
    head = ["Team", "Metric", "Target", "Period", "Measured by", "If missed"]
    rows: list[list[Flowable]] = [[pdf.para(h, "CellBold") for h in head]]
    for c in document["commitments"]:
        target = _number(c["target"]) + (f" {c['unit']}" if c["unit"] else "")
        rows.append(
            [
                pdf.para(_team(c["team"]), "Cell"),
                pdf.para(c["metric"], "Cell"),
                pdf.para(target, "Cell"),
                pdf.para(c["period"], "Cell"),
                pdf.para(c["source"], "Cell"),
                pdf.para(c["on_miss"], "Cell"),
            ]
        )
    fractions = [0.11, 0.24, 0.12, 0.1, 0.19, 0.24]
    if len(rows) == 1:
        return [pdf.para("No commitments yet.", "Small")]
    return [_table(rows, [width * f for f in fractions])]


def _definitions(document: Document, width: float) -> list[Flowable]:
    if not document["lead_definitions"]:
        return [pdf.para("No lead definitions yet.", "Small")]
    rows: list[list[Flowable]] = [
        [pdf.para("Term", "CellBold"), pdf.para("Definition", "CellBold")]
    ]
    rows += [
        [pdf.para(d["term"], "CellBold"), pdf.para(d["definition"], "Cell")]
        for d in document["lead_definitions"]
    ]
    return [_table(rows, [width * 0.28, width * 0.72])]


def _reviews(document: Document) -> list[Flowable]:
    reviews = document.get("reviews")
    if not reviews:
        return [pdf.para("No review meetings are scheduled.")]
    start = dt.datetime.fromisoformat(reviews["start"])
    zone = f" ({reviews['tz']})" if reviews.get("tz") else ""
    lines = [
        f"First review: {start.day} {start:%B %Y} at {start:%H:%M}{zone}, "
        f"{reviews['duration_minutes']} minutes.",
        f"Then {describe_rrule(reviews.get('rrule'))}.",
    ]
    if reviews.get("location"):
        lines.append(f"Where: {reviews['location']}")
    lines.append("Each review goes through every commitment above, with both teams present.")
    return [pdf.para(line) for line in lines]


def _signature_block(signatory: dict[str, Any], width: float) -> Flowable:
    signed = signatory.get("signed_on")
    rows: list[list[Any]] = [
        [pdf.para(signatory["name"] or "Name: ____________________", "CellBold")],
        [
            pdf.para(
                ", ".join(
                    p
                    for p in (
                        signatory["title"],
                        _team(signatory["team"]) if signatory["team"] else "",
                    )
                    if p
                ),
                "Cell",
            )
        ],
        [Spacer(1, 12 * mm)],
        [pdf.para("Signature", "Label")],
        [Spacer(1, 8 * mm)],
        [pdf.para(f"Signed on {_date(signed)}" if signed else "Date", "Label")],
    ]
    block = Table(rows, colWidths=[width], hAlign="LEFT")
    block.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEABOVE", (0, 3), (0, 3), 0.8, pdf.INK),
                ("LINEABOVE", (0, 5), (0, 5), 0.8, pdf.INK),
                ("TOPPADDING", (0, 3), (0, 3), 2),
                ("TOPPADDING", (0, 5), (0, 5), 2),
            ]
        )
    )
    return KeepTogether([block, Spacer(1, 8 * mm)])


def sla_flowables(document: Document, *, width: float = 174 * mm) -> list[Flowable]:
    """The whole agreement as platypus flowables (numbered sections in reading order)."""
    story: list[Flowable] = _header(document)
    sections: list[tuple[str, list[Flowable]]] = [
        (s["heading"], [pdf.para(s["body"])]) for s in document["sections"]
    ]
    sections += [
        ("Lead definitions", _definitions(document, width)),
        ("Commitments", _commitments(document, width)),
        ("Reviews", _reviews(document)),
        ("Escalation", [pdf.para(document["escalation"] or "Not agreed yet.")]),
    ]
    for number, (heading, body) in enumerate(sections, start=1):
        story.append(CondPageBreak(30 * mm))
        story.append(pdf.para(f"{number}. {heading}", "Heading"))
        story.extend(body)
    story.append(CondPageBreak(60 * mm))
    story.append(pdf.para(f"{len(sections) + 1}. Signatures", "Heading"))
    story.append(pdf.para("By signing, each party agrees to the commitments above.", "Small"))
    story.append(Spacer(1, 6 * mm))
    for signatory in document["signatories"]:
        story.append(_signature_block(signatory, width * 0.6))
    return story


def decor(document: Document) -> pdf.PageDecor:
    status = document["status"]
    return pdf.PageDecor(
        title=document["title"],
        footer=f"{document['title']} · Version {document['version']} · {_status(status)}",
        watermark="" if status == SlaStatus.SIGNED else "DRAFT",
    )


def render_sla(document: Document) -> bytes:
    return pdf.render(sla_flowables(document), decor(document))


def write_sla_pdf(document: Document, path: Path) -> None:
    """Write the SLA to ``path`` atomically."""
    pdf.write_pdf(path, sla_flowables(document), decor(document))
