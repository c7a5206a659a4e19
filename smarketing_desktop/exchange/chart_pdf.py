"""Draws the review chart's display list (``domain.review_chart``) with reportlab graphics.

The layout runs down from the top; a reportlab drawing runs up from the bottom, so every
y is flipped within its band. One drawing per band lets a long chart break across pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from smarketing_desktop.domain.review import Campaign
from smarketing_desktop.domain.review_chart import (
    Band,
    ChartLayout,
    ChartStyle,
    Shape,
    layout_chart,
)
from smarketing_desktop.domain.review_chart import Line as LineShape
from smarketing_desktop.domain.review_chart import Rect as RectShape
from smarketing_desktop.exchange import pdf


def measure(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in points in the PDF's embedded font."""
    pdf.register_fonts()
    return float(stringWidth(text, pdf.FONT_BOLD if bold else pdf.FONT, size))


def _colour(value: str | None) -> colors.Color | None:
    return colors.HexColor(value) if value else None


def _shape(shape: Shape, height: float) -> Rect | Line | String:
    if isinstance(shape, RectShape):
        rect = Rect(shape.x, height - shape.y - shape.height, shape.width, shape.height)
        # Set after construction: the stubs type Rect's keyword arguments wrongly.
        rect.fillColor = _colour(shape.fill)
        rect.strokeColor = _colour(shape.stroke)
        rect.strokeWidth = 0.6 if shape.stroke else 0
        return rect
    if isinstance(shape, LineShape):
        return Line(
            shape.x1,
            height - shape.y1,
            shape.x2,
            height - shape.y2,
            strokeColor=_colour(shape.colour),
            strokeWidth=shape.width * 0.75,
        )
    return String(
        shape.x,
        height - shape.y,
        shape.text,
        fontName=pdf.FONT_BOLD if shape.bold else pdf.FONT,
        fontSize=shape.size,
        fillColor=_colour(shape.colour),
        textAnchor=shape.anchor,
    )


def band_drawing(band: Band, width: float) -> Drawing:
    drawing = Drawing(width, band.height)
    group = Group()
    for shape in band.shapes:
        group.add(_shape(shape, band.height))
    drawing.add(group)
    return drawing


def chart_drawings(layout: ChartLayout) -> list[Drawing]:
    """One drawing per band of ``layout`` (legend first), ready to add to a story."""
    return [band_drawing(band, layout.width) for band in layout.bands]


def chart_drawing(layout: ChartLayout) -> Drawing:
    """The whole chart as one drawing (for small charts that stay on one page)."""
    drawing = Drawing(layout.width, layout.height)
    for band, top in zip(layout.bands, layout.band_tops, strict=True):
        group = Group()
        for shape in band.shapes:
            group.add(_shape(shape, band.height))
        group.translate(0, layout.height - top - band.height)
        drawing.add(group)
    return drawing


def pdf_layout(
    campaigns: Sequence[Campaign],
    width: float,
    *,
    shared_only: bool = False,
    panel_height: float | None = None,
) -> ChartLayout:
    """The chart of ``campaigns`` laid out in points for a page ``width`` wide."""
    style = ChartStyle()
    if panel_height is not None:
        style = replace(style, panel_height=panel_height)
    return layout_chart(campaigns, width, measure, style, shared_only=shared_only)
