"""Persona sheets: one page per persona (flowing on when the text is long)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    PageBreak,
    Paragraph,
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


@cache
def _quote_style() -> ParagraphStyle:
    return ParagraphStyle(
        "PersonaQuote",
        parent=pdf.styles()["Body"],
        fontSize=11.5,
        leading=16,
        leftIndent=4 * mm,
        textColor=colors.HexColor("#3e4c59"),
    )


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


def _bullets(values: Sequence[str]) -> list[Flowable]:
    if not values:
        return [pdf.para("—", "Small")]
    return [Paragraph(pdf.literal(v), _bullet_style(), bulletText="•") for v in values]


@cache
def _bullet_style() -> ParagraphStyle:
    return ParagraphStyle(
        "PersonaBullet",
        parent=pdf.styles()["Body"],
        leftIndent=4 * mm,
        bulletIndent=0.5 * mm,
        bulletFontName=pdf.FONT,
        spaceAfter=1.5,
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
    """The sheet of one persona: picture and facts on top, then every section.

    Nothing sits in a table cell that can grow without bound (the quote, lists, notes
    flow in the page), so long text moves on to the next page instead of failing.
    """
    heading: list[Flowable] = [
        pdf.para(document["name"], "Title"),
        pdf.para(document["role"] or "Role not set", "Subtitle"),
        Spacer(1, 2 * mm),
        _facts(document),
    ]
    top = Table(
        [[_avatar(document), heading]],
        colWidths=[AVATAR + 8 * mm, width - AVATAR - 8 * mm],
        hAlign="LEFT",
        splitInRow=1,
    )
    top.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    quote: list[Flowable] = []
    if document["quote"]:
        quote = [
            Spacer(1, 3 * mm),
            Paragraph(f"<i>“{pdf.literal(document['quote'])}”</i>", _quote_style()),
        ]
    story: list[Flowable] = [top, *quote, Spacer(1, 2 * mm), _rule(width)]
    # The lists in pairs side by side; a long pair splits across pages inside its row.
    cells = [[pdf.para(label, "Heading2"), *_bullets(document[key])] for key, label in _LISTS]
    story.append(_two_columns([cells[n : n + 2] for n in range(0, len(cells), 2)], width))
    story += [Spacer(1, 2 * mm), _rule(width), _insights(document, width)]
    if document["notes"]:
        story += [pdf.para("Notes", "Heading2"), pdf.para(document["notes"])]
    return story


def _rule(width: float) -> Flowable:
    return HRFlowable(width=width, thickness=0.5, color=pdf.RULE, spaceBefore=2, spaceAfter=2)


def _insights(document: Document, width: float) -> Table:
    """Who said what, sales beside marketing."""
    columns: list[list[Flowable]] = []
    for key, label in (
        ("insights_sales", "What sales hears"),
        ("insights_marketing", "What marketing sees"),
    ):
        cell: list[Flowable] = [pdf.para(label, "Heading2")]
        for insight in document[key]:
            cell.append(pdf.para(insight["text"]))
            if insight["who"]:
                cell.append(pdf.markup(f"— {pdf.literal(insight['who'])}", "Small"))
            cell.append(Spacer(1, 2 * mm))
        if not document[key]:
            cell.append(pdf.para("—", "Small"))
        columns.append(cell)
    return _two_columns([columns], width)


def _two_columns(rows: list[list[list[Flowable]]], width: float) -> Table:
    table = Table(rows, colWidths=[width / 2, width / 2], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("LEFTPADDING", (1, 0), (1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (0, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return table


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
    # The footer shares its line with "Page N of M": a long name is shortened there.
    short = " ".join(title.split())
    short = short if len(short) <= 48 else short[:47] + "…"
    footer = f"{short} · buyer persona" if len(documents) == 1 else title
    pdf.write_pdf(path, story, pdf.PageDecor(title=title, footer=footer))
