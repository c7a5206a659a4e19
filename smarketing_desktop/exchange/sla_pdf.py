"""An SLA as a PDF a VP would sign.

Header with parties and dates, numbered sections, the commitments as a table that splits
across pages with its header repeated, a signature block per signatory kept on one page,
"Page N of M" with version and status in the footer, and a DRAFT watermark until signed.
The sections and their wording come from ``domain.sla_outline``, which the live preview
in the app follows too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from smarketing_desktop.domain import sla_outline as outline
from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.exchange import pdf

Document = dict[str, Any]
HEADER_FILL = colors.HexColor("#eef2f7")
# Share of the text width per commitments column (Team, Metric, Target, Period, …).
_COMMITMENT_WIDTHS = (0.125, 0.22, 0.12, 0.09, 0.2, 0.245)


def _style(commands: list[Any]) -> TableStyle:
    # Tables set a font for every cell, even one holding a paragraph; without this it
    # would be Helvetica, referenced (not embedded) in the file.
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), *commands])


def _table(rows: list[list[Flowable]], widths: list[float]) -> Table:
    # splitInRow: a cell longer than a page (a pasted essay) continues on the next page
    # instead of failing the whole document.
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, pdf.RULE),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.INK),
            ]
        )
    )
    return table


def _header(document: Document) -> list[Flowable]:
    facts = [
        ("Parties", outline.parties_text(document)),
        ("In force", outline.term_text(document)),
        ("Version", outline.version_text(document)),
    ]
    rows = [[pdf.para(label, "Label"), pdf.para(value)] for label, value in facts]
    table = Table(rows, colWidths=[28 * mm, None], hAlign="LEFT")
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, pdf.INK),
                ("LINEBELOW", (0, -1), (-1, -1), 0.4, pdf.RULE),
            ]
        )
    )
    return [
        pdf.para(outline.SUBTITLE, "Subtitle"),
        pdf.para(document["title"], "Title"),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 2 * mm),
    ]


def _commitments(document: Document, width: float) -> list[Flowable]:
    if not document["commitments"]:
        return [pdf.para("No commitments yet.", "Small")]
    rows: list[list[Flowable]] = [[pdf.para(h, "CellBold") for h in outline.COMMITMENT_COLUMNS]]
    for c in document["commitments"]:
        rows.append(
            [
                pdf.para(outline.team_label(c["team"]), "Cell"),
                pdf.para(c["metric"], "CellBold"),
                pdf.para(outline.target_text(c), "Cell"),
                pdf.para(c["period"], "Cell"),
                pdf.para(c["source"], "Cell"),
                pdf.para(c["on_miss"], "Cell"),
            ]
        )
    return [_table(rows, [width * f for f in _COMMITMENT_WIDTHS])]


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


def _signature_cell(signatory: dict[str, Any], width: float) -> Table:
    signed = signatory.get("signed_on")
    rows: list[list[Any]] = [
        [pdf.para(signatory["name"] or "Name: ______________________", "CellBold")],
        [pdf.para(outline.signatory_caption(signatory) or " ", "Cell")],
        [Spacer(1, 14 * mm)],
        [pdf.para("Signature", "Label")],
        [Spacer(1, 9 * mm)],
        [pdf.para(f"Signed on {outline.long_date(signed)}" if signed else "Date", "Label")],
    ]
    cell = Table(rows, colWidths=[width], hAlign="LEFT")
    cell.setStyle(
        _style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LINEABOVE", (0, 3), (0, 3), 0.8, pdf.INK),
                ("LINEABOVE", (0, 5), (0, 5), 0.8, pdf.INK),
                ("TOPPADDING", (0, 3), (0, 3), 2),
                ("TOPPADDING", (0, 5), (0, 5), 2),
            ]
        )
    )
    return cell


def _signatures(document: Document, width: float) -> list[Flowable]:
    """The signature blocks two by two; a block (and its row) never splits over pages."""
    signatories = document["signatories"]
    if not signatories:
        return [pdf.para("No signatories yet.", "Small")]
    gap = 12 * mm
    column = (width - gap) / 2
    blocks: list[Flowable] = []
    for start in range(0, len(signatories), 2):
        pair: list[Flowable] = [_signature_cell(s, column) for s in signatories[start : start + 2]]
        # Empty cells hold a flowable, not text: text cells would bring in a standard font.
        pair += [Spacer(0, 0)] * (2 - len(pair))
        row = Table(
            [[pair[0], Spacer(0, 0), pair[1]]], colWidths=[column, gap, column], hAlign="LEFT"
        )
        row.setStyle(
            _style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6 * mm),
                ]
            )
        )
        # A one-row table never splits: the pair moves to the next page whole.
        blocks.append(row)
    return blocks


def _part_body(document: Document, part: outline.Part, width: float) -> list[Flowable]:
    if part.kind == "section":
        assert part.index is not None
        return [pdf.para(document["sections"][part.index]["body"])]
    if part.kind == "lead_definitions":
        return _definitions(document, width)
    if part.kind == "commitments":
        return _commitments(document, width)
    if part.kind == "reviews":
        return [pdf.para(line) for line in outline.review_lines(document)]
    if part.kind == "escalation":
        return [pdf.para(document["escalation"] or "Not agreed yet.")]
    return [
        pdf.para(outline.SIGNATURE_NOTE, "Small"),
        Spacer(1, 5 * mm),
        *_signatures(document, width),
    ]


def sla_flowables(document: Document, *, width: float = 174 * mm) -> list[Flowable]:
    """The whole agreement as platypus flowables (numbered sections in reading order)."""
    story: list[Flowable] = _header(document)
    for part in outline.outline(document):
        heading = pdf.para(f"{part.number}. {part.heading}", "Heading")
        body = _part_body(document, part, width)
        if part.kind == "signatures":
            # The heading and its note travel with the first row of signature blocks.
            story.append(KeepTogether([heading, *body[:3]]))
            story.extend(body[3:])
            continue
        # A heading never ends a page alone: it moves on with the start of its body.
        story.append(CondPageBreak(30 * mm))
        story.append(heading)
        story.extend(body)
    return story


def decor(document: Document) -> pdf.PageDecor:
    """Footer and watermark: DRAFT until signed; an expired agreement says so instead."""
    status = document["status"]
    title = " ".join(str(document["title"]).split())
    if len(title) > 60:  # the version and status must stay readable in the footer
        title = title[:59] + "…"
    watermark = {SlaStatus.SIGNED.value: "", SlaStatus.EXPIRED.value: "EXPIRED"}
    return pdf.PageDecor(
        title=document["title"],
        footer=f"{title} · Version {outline.version_text(document)}",
        watermark=watermark.get(status, "DRAFT"),
    )


def render_sla(document: Document) -> bytes:
    """The SLA as PDF bytes."""
    return pdf.render(sla_flowables(document), decor(document))


def write_sla_pdf(document: Document, path: Path) -> None:
    """Write the SLA to ``path`` atomically."""
    pdf.write_pdf(path, sla_flowables(document), decor(document))
