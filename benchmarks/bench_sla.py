"""SLA figures:

* the PDF of a 20-page SLA with 200 commitments (target: under 1 s), beside a bare
  reportlab document of the same text (standard font, plain paragraphs, one table with
  a repeated header, no page decoration) built in the same run;
* the live preview of the same SLA (rich text for the editor's preview pane), which is
  re-rendered when the user pauses typing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from benchmarks.timing import median_ms
from smarketing_desktop.domain import sla_outline
from smarketing_desktop.exchange.sla_pdf import render_sla
from smarketing_desktop.services import slas

TARGET_MS = 1000.0
COMMITMENTS = 200


def big_sla(commitments: int = COMMITMENTS) -> dict[str, Any]:
    """The standard template grown to ``commitments`` commitments with realistic text."""
    document = slas.template("standard-b2b", today=dt.date(2027, 1, 20), tz="Europe/Berlin")
    document.update(id="bench", status="draft", version=3)
    document["parties"] = [
        {"team": "marketing", "name": "Martha Diaz", "title": "VP Marketing"},
        {"team": "sales", "name": "Ted Okafor", "title": "VP Sales"},
    ]
    document["signatories"] = [
        {"name": n, "title": t, "team": team, "signed_on": None}
        for n, t, team in (
            ("Martha Diaz", "VP Marketing", "marketing"),
            ("Ted Okafor", "VP Sales", "sales"),
            ("Ana Souza", "Head of SDRs", "sales"),
            ("Lena Novak", "Demand generation lead", "marketing"),
        )
    ]
    regions = ("North America", "DACH", "Nordics", "Benelux", "UK and Ireland")
    document["commitments"] = [
        {
            "team": "marketing" if n % 2 else "sales",
            "metric": f"{('MQLs delivered', 'Hours to first follow-up', 'Demos booked')[n % 3]} "
            f"in {regions[n % len(regions)]} (line {n + 1})",
            "target": 20 + n,
            "unit": ("leads", "hours", "demos")[n % 3],
            "period": ("month", "lead", "quarter")[n % 3],
            "source": "CRM report reviewed by both operations leads",
            "on_miss": "Raised at the next joint review with a recovery plan; two misses in "
            "a row go to both VPs, who agree a fix within one week.",
        }
        for n in range(commitments)
    ]
    return document


def bare_reportlab(document: dict[str, Any]) -> bytes:
    """The same text with reportlab alone: no embedded font, decoration or escaping rules."""
    styles = getSampleStyleSheet()
    body, cell = styles["BodyText"], styles["BodyText"].clone("cell", fontSize=8, leading=10)
    story: list[Any] = [Paragraph(escape(document["title"]), styles["Title"])]
    for section in document["sections"]:
        story.append(Paragraph(escape(section["heading"]), styles["Heading2"]))
        story.append(Paragraph(escape(section["body"]), body))
    rows = [[Paragraph(h, cell) for h in sla_outline.COMMITMENT_COLUMNS]]
    for c in document["commitments"]:
        values = (c["team"], c["metric"], sla_outline.target_text(c), c["period"])
        rows.append([Paragraph(escape(str(v)), cell) for v in (*values, c["source"], c["on_miss"])])
    width = 174 * mm
    story.append(
        Table(
            rows, colWidths=[width * f for f in (0.12, 0.22, 0.12, 0.09, 0.2, 0.25)], repeatRows=1
        )
    )
    for signatory in document["signatories"]:
        story.append(Paragraph(escape(f"{signatory['name']}, {signatory['title']}"), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def preview_ms(document: dict[str, Any], repeat: int) -> dict[str, Any]:
    """Building the preview's rich text and laying it out in a Qt text document."""
    try:
        from PySide6.QtGui import QGuiApplication, QTextDocument

        from smarketing_desktop.gui.sla_preview import sla_html
    except ImportError as error:  # a core-only install has no Qt
        return {"skipped": str(error)}
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841

    def render() -> None:
        text = QTextDocument()
        text.setTextWidth(540)
        text.setHtml(sla_html(document))
        text.size()  # forces the layout

    render()
    return {
        "ms": median_ms(render, repeat),
        "note": "rebuilt when typing pauses (250 ms after the last key), not per key",
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    document = big_sla()
    pages = render_sla(document).count(b"/Type /Page\n")
    pdf_ms = median_ms(lambda: render_sla(document), max(3, args.repeat))
    bare_ms = median_ms(lambda: bare_reportlab(document), max(3, args.repeat))
    return {
        "pdf": {
            "commitments": len(document["commitments"]),
            "pages": pages,
            "sla_pdf_ms": pdf_ms,
            "bare_reportlab_ms": bare_ms,
            "ratio": round(pdf_ms / bare_ms, 2),
            "target_ms": TARGET_MS,
            "meets_target": pdf_ms < TARGET_MS,
        },
        "preview": preview_ms(document, max(3, args.repeat)),
    }
