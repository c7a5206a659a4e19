"""Persona sheets: one page per persona (flowing on when the text is long)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from smarketing_desktop.exchange import pdf

Document = dict[str, Any]
AVATAR = 34 * mm
_AVATAR_COLOURS = ["#2f6fde", "#c2255c", "#2b8a3e", "#e67700", "#7048e8", "#0c8599"]
_LISTS = [
    ("goals", "Goals"),
    ("challenges", "Challenges"),
    ("objections", "Objections"),
    ("information_sources", "Information sources they trust"),
    ("channels", "Preferred channels"),
    ("customers", "Based on these customers"),
]
_ROLES = {
    "decision_maker": "Decision maker",
    "influencer": "Influencer",
    "user": "User",
    "gatekeeper": "Gatekeeper",
}


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def _avatar(document: Document) -> Flowable:
    picture = document.get("picture")
    if picture:
        data = base64.b64decode(picture)
        try:
            reader = ImageReader(io.BytesIO(data))
            width, height = reader.getSize()
            scale = AVATAR / max(width, height)
            return Image(io.BytesIO(data), width=width * scale, height=height * scale)
        except Exception:
            pass
    drawing = Drawing(AVATAR, AVATAR)
    colour = _AVATAR_COLOURS[sum(map(ord, document["name"])) % len(_AVATAR_COLOURS)]
    drawing.add(
        Circle(
            AVATAR / 2, AVATAR / 2, AVATAR / 2, fillColor=colors.HexColor(colour), strokeColor=None
        )
    )
    drawing.add(
        String(
            AVATAR / 2,
            AVATAR / 2 - 11,
            initials(document["name"]),
            fontName=pdf.FONT_BOLD,
            fontSize=30,
            fillColor=colors.white,
            textAnchor="middle",
        )
    )
    return drawing


def _bullets(values: Sequence[str]) -> Flowable:
    if not values:
        return pdf.para("—", "Small")
    items: list[Any] = [ListItem(pdf.para(v), leftIndent=10, value="•") for v in values]
    return ListFlowable(
        items,
        bulletType="bullet",
        start="•",
        leftIndent=10,
        bulletFontName=pdf.FONT,
    )


def _facts(document: Document) -> Table:
    facts = [
        ("Company size", document["company_size"]),
        ("Industry", document["industry"]),
        ("Buying role", _ROLES.get(document["buying_role"], document["buying_role"])),
        ("Buying stage", document["buying_stage"].capitalize()),
    ]
    rows = [[pdf.para(label, "Label"), pdf.para(value or "—", "Cell")] for label, value in facts]
    table = Table(rows, colWidths=[26 * mm, 60 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def persona_flowables(document: Document, width: float = 174 * mm) -> list[Flowable]:
    heading: list[Flowable] = [
        pdf.para(document["name"], "Title"),
        pdf.para(document["role"] or "Role not set", "Subtitle"),
    ]
    if document["quote"]:
        heading.append(pdf.markup(f"<i>“{pdf.literal(document['quote'])}”</i>", "Body"))
    heading += [Spacer(1, 3 * mm), _facts(document)]
    top = Table(
        [[_avatar(document), heading]],
        colWidths=[AVATAR + 8 * mm, width - AVATAR - 8 * mm],
        hAlign="LEFT",
    )
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story: list[Flowable] = [top, Spacer(1, 4 * mm)]
    for key, label in _LISTS:
        story.append(KeepTogether([pdf.para(label, "Heading2"), _bullets(document[key])]))
    for key, label in (
        ("insights_sales", "What sales hears"),
        ("insights_marketing", "What marketing sees"),
    ):
        story.append(pdf.para(label, "Heading2"))
        insights = document[key]
        if not insights:
            story.append(pdf.para("—", "Small"))
        for insight in insights:
            who = f" — {pdf.literal(insight['who'])}" if insight["who"] else ""
            story.append(
                pdf.markup(f"{pdf.literal(insight['text'])}<font color='#616e7c'>{who}</font>")
            )
    if document["notes"]:
        story += [pdf.para("Notes", "Heading2"), pdf.para(document["notes"])]
    return story


def write_persona_pdf(documents: Sequence[Document], path: Path) -> None:
    """One sheet per persona, each starting on a new page; written atomically."""
    story: list[Flowable] = []
    for index, document in enumerate(documents):
        if index:
            story.append(PageBreak())
        story += persona_flowables(document)
    if not story:
        story.append(pdf.para("This plan has no personas yet."))
    title = documents[0]["name"] if len(documents) == 1 else "Buyer personas"
    pdf.write_pdf(path, story, pdf.PageDecor(title=title, footer=f"{title} · buyer persona"))
