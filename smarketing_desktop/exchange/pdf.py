"""Shared PDF building blocks (reportlab platypus) for every printout the app makes.

- One embedded font family (DejaVu Sans, shipped in ``resources/fonts``) with Latin,
  Cyrillic and Greek glyphs, so whatever script a user typed prints.
- User text is always shown literally: reportlab's paragraph markup is escaped, line
  breaks kept, and words longer than a line are split instead of overflowing.
- "Page N of M" footers, an optional diagonal watermark (DRAFT), and atomic writing:
  the PDF is built in memory and only then replaces the target file.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from smarketing_desktop import APP_NAME, __version__, paths
from smarketing_desktop.exchange.files import write_atomically

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
ACCENT = colors.HexColor("#2f6fde")


@cache
def register_fonts() -> str:
    """Register the embedded font family once; returns its name."""
    for name, filename in _FONT_FILES.items():
        with as_file(paths.asset(f"fonts/{filename}")) as font_path:
            pdfmetrics.registerFont(TTFont(name, str(font_path)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=FONT_BOLD,
        italic="DejaVuSans-Oblique",
        boldItalic="DejaVuSans-BoldOblique",
    )
    return FONT


@cache
def styles() -> StyleSheet1:
    """Paragraph styles of every printout (the embedded font, split long words)."""
    register_fonts()
    sheet = StyleSheet1()

    def add(name: str, **kw: Any) -> None:
        base: dict[str, Any] = dict(
            fontName=FONT,
            fontSize=10,
            leading=13.5,
            textColor=INK,
            alignment=TA_LEFT,
            splitLongWords=1,
            wordWrap=None,
        )
        base.update(kw)
        sheet.add(ParagraphStyle(name=name, **base))

    add("Body")
    add("Small", fontSize=8.5, leading=11, textColor=MUTED)
    add("Cell", fontSize=8.5, leading=11)
    add("CellBold", fontSize=8.5, leading=11, fontName=FONT_BOLD)
    add("Title", fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=4)
    add("Subtitle", fontSize=11, leading=15, textColor=MUTED, spaceAfter=10)
    add("Heading", fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=12, spaceAfter=5)
    add("Heading2", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3)
    add("Label", fontName=FONT_BOLD, fontSize=8, leading=10, textColor=MUTED)
    return sheet


def literal(text: str) -> str:
    """User text as paragraph markup that shows exactly that text."""
    cleaned = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return escape(cleaned).replace("\n", "<br/>")


def para(text: str, style: str = "Body") -> Paragraph:
    """A paragraph of user text, shown literally."""
    return Paragraph(literal(text), styles()[style])


def markup(text: str, style: str = "Body") -> Paragraph:
    """A paragraph of the app's own markup (never user text)."""
    return Paragraph(text, styles()[style])


@dataclass(frozen=True, slots=True)
class PageDecor:
    """What every page carries besides its content."""

    title: str
    footer: str = ""
    watermark: str = ""


def _numbered_canvas(decor: PageDecor) -> type[Canvas]:
    """A canvas that knows the page count when it draws footers ("Page N of M")."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize  # type: ignore[attr-defined]
            if decor.watermark:
                self.saveState()
                self.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.09))
                self.setFont(FONT_BOLD, 110)
                self.translate(width / 2, height / 2)
                self.rotate(40)
                self.drawCentredString(0, -35, decor.watermark)
                self.restoreState()
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(18 * mm, 14 * mm, width - 18 * mm, 14 * mm)
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            number = f"Page {self.getPageNumber()} of {total}"
            # The left text ends well before the page number (wide letters once ran into it).
            room = width - 36 * mm - pdfmetrics.stringWidth(number, FONT, 7.5) - 6 * mm
            self.drawString(18 * mm, 9.5 * mm, _fit(decor.footer or decor.title, room, 7.5))
            self.drawRightString(width - 18 * mm, 9.5 * mm, number)
            self.restoreState()

    return NumberedCanvas


def _fit(text: str, room: float, size: float) -> str:
    """``text`` on one line, elided with "…" to at most ``room`` points wide."""
    text = " ".join(text.split())
    if pdfmetrics.stringWidth(text, FONT, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def render(
    flowables: Sequence[Flowable],
    decor: PageDecor,
    *,
    pagesize: tuple[float, float] = A4,
    margins_mm: tuple[float, float, float, float] = (18, 18, 18, 20),
    on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
) -> bytes:
    """Lay out ``flowables`` into PDF bytes."""
    register_fonts()
    buffer = io.BytesIO()
    left, right, top, bottom = (value * mm for value in margins_mm)
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=decor.title,
        author=APP_NAME,
        creator=f"{APP_NAME} {__version__}",
        # Identical input gives identical bytes (no creation-time or random document id).
        invariant=1,
        # Pages start in the embedded font: no unembedded standard font is referenced.
        initialFontName=FONT,
    )
    frame = Frame(left, bottom, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    kwargs: dict[str, Any] = {"onPage": on_page} if on_page else {}
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], **kwargs)])
    doc.build(list(flowables), canvasmaker=_numbered_canvas(decor))
    return buffer.getvalue()


def write_pdf(path: Path, flowables: Sequence[Flowable], decor: PageDecor, **kw: Any) -> None:
    """Build the PDF fully in memory, then replace ``path`` atomically."""
    write_atomically(path, render(flowables, decor, **kw))
