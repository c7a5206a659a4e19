"""What every printed calendar page has: item bars in their kind's colour, the legend,
and the page itself (title, subtitle, legend at the foot, a body drawn by hand)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.words import KIND_COLOURS, Kind
from smarketing_desktop.exchange import pdf

PAGE = landscape(A4)
MARGIN = 12 * mm
# The legend's own band at the foot of the body: two lines of 7 pt and a gap above it.
LEGEND = 11 * mm


def item_colour(kind: str) -> colors.Color:
    """The colour of a kind, as the calendar views show it."""
    return colors.HexColor(
        KIND_COLOURS.get(Kind(kind) if kind in Kind._value2member_map_ else Kind.OTHER, "#5c7cfa")
    )


def fit(text: str, width: float, size: float, font: str = pdf.FONT) -> str:
    """``text`` cut to ``width`` points with "…" (paper cannot scroll)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…" if text else ""


def label(o: Occurrence) -> str:
    """What a bar says: a star for big impact, the start time, the title."""
    prefix = "★ " if o.impact == "big" else ""
    time = f"{o.start_time:%H:%M} " if o.start_time is not None else ""
    return f"{prefix}{time}{o.title}"


def draw_bar(
    canvas: Canvas,
    o: Occurrence,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    cut_before: bool = False,
    cut_after: bool = False,
    beside: float = 0,
    before: float = 0,
) -> None:
    """One item as a bar: filled in its kind's colour, hollow for ideas, struck if cancelled.

    A title the bar is too short for is written after it in ``beside`` points, or before
    it in ``before`` points (given for a bar at the end of a timeline).
    """
    colour = item_colour(o.kind)
    idea, cancelled = o.status == "idea", o.status == "cancelled"
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.setStrokeColor(colour)
    if idea or cancelled:
        canvas.setFillColor(colors.white)
        if idea:
            canvas.setDash(2, 1.5)
    else:
        canvas.setFillColor(colour)
    radius = 0 if (cut_before or cut_after) else 1.2
    canvas.roundRect(x, y, width, height, radius, stroke=1, fill=1)
    canvas.setDash()
    text_colour = colour if (idea or cancelled) else colors.white
    canvas.setFillColor(text_colour)
    size = min(7.2, height * 0.62)
    text = ("◀ " if cut_before else "") + label(o)
    canvas.setFont(pdf.FONT, size)
    if before and stringWidth(text, pdf.FONT, size) > width - 3:
        canvas.setFillColor(pdf.INK)
        canvas.drawRightString(x - 1.5, y + height * 0.28, fit(text, before, size))
        canvas.restoreState()
        return
    if beside and stringWidth(text, pdf.FONT, size) > width - 3:
        # A short bar on the timeline: its lane left room for the title after it.
        canvas.setFillColor(pdf.INK)
        shown = fit(text, beside, size)
        canvas.drawString(x + width + 1.5, y + height * 0.28, shown)
        canvas.restoreState()
        return
    shown = fit(text, width - 3, size)
    canvas.drawString(x + 1.5, y + height * 0.28, shown)
    if cancelled:
        canvas.setStrokeColor(text_colour)
        canvas.setLineWidth(0.6)
        middle = y + height * 0.5
        canvas.line(x + 1.5, middle, x + 1.5 + stringWidth(shown, pdf.FONT, size), middle)
    canvas.restoreState()


LEGEND_NOTE = "★ big impact · dashed: idea · struck: cancelled"


def draw_legend(canvas: Canvas, x: float, y: float, width: float) -> None:
    """Every kind's colour, and what the marks mean; the marks go to a second line when
    the kinds fill the first (every kind is always listed)."""
    canvas.saveState()
    canvas.setFont(pdf.FONT, 7)
    labels = [(kind, kind.label) for kind in Kind]
    widths = [4 * mm + stringWidth(label, pdf.FONT, 7) + 3 * mm for _, label in labels]
    note_width = stringWidth(LEGEND_NOTE, pdf.FONT, 7)
    one_line = sum(widths) + 6 * mm + note_width <= width
    row = y + (0 if one_line else 4.2 * mm)
    cursor = x
    for (kind, label), needed in zip(labels, widths, strict=True):
        canvas.setFillColor(item_colour(kind))
        canvas.roundRect(cursor, row, 3 * mm, 3 * mm, 0.6, stroke=0, fill=1)
        canvas.setFillColor(pdf.INK)
        canvas.drawString(cursor + 4 * mm, row + 0.7 * mm, label)
        cursor += needed
    canvas.setFillColor(pdf.MUTED)
    if one_line:
        canvas.drawRightString(x + width, y + 0.7 * mm, LEGEND_NOTE)
    else:
        canvas.drawString(x, y + 0.2 * mm, LEGEND_NOTE)
    canvas.restoreState()


class CalendarPage(Flowable):
    """A whole page drawn by hand: the calendar is a picture, not flowing text."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.title, self.subtitle = title, subtitle
        self.width, self.height = PAGE[0] - 2 * MARGIN, PAGE[1] - 2 * MARGIN - 8 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # The page fills whatever the frame offers.
        self.width, self.height = available_width, available_height - 1
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFont(pdf.FONT_BOLD, 16)
        canvas.setFillColor(pdf.INK)
        canvas.drawString(0, self.height - 14, self.title)
        canvas.setFont(pdf.FONT, 9)
        canvas.setFillColor(pdf.MUTED)
        room = self.width - stringWidth(self.title, pdf.FONT_BOLD, 16) - 12 * mm
        canvas.drawRightString(self.width, self.height - 12, fit(self.subtitle, room, 9))
        draw_legend(canvas, 0, 0, self.width)
        canvas.saveState()
        # Nothing the body draws may reach the legend, the header or past the margin.
        body = canvas.beginPath()
        body.rect(-0.5, LEGEND, self.width + 1, self.height - 24 - LEGEND + 1)
        canvas.clipPath(body, stroke=0, fill=0)
        self.body(canvas, 0, LEGEND, self.width, self.height - 24 - LEGEND)
        canvas.restoreState()

    def body(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        raise NotImplementedError
