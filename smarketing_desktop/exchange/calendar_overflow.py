"""What a printed month grid has no room for: listed under the grid or on pages after it.

Paper cannot open a "+3 more", so every item the grid leaves out is printed as one line
of a list ("Also on the calendar"), by day, in columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import last_day
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.calendar_marks import fit, item_colour, label

LINE = 4.2 * mm
HEADING = 7 * mm
SIZE = 7.2
COLUMN_GAP = 6 * mm


def overflow_order(occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """The listed items by day and time, each occurrence once."""
    seen: set[tuple[str, dt.date, dt.time | None]] = set()
    result = []
    for o in sorted(
        occurrences, key=lambda o: (o.start, o.start_time or dt.time.min, o.title.casefold())
    ):
        key = (o.uid, o.start, o.start_time)
        if key not in seen:
            seen.add(key)
            result.append(o)
    return result


def day_span(o: Occurrence) -> str:
    """``Tue 9`` or ``Tue 9 – Fri 12`` (with the month when the span leaves it)."""
    end = last_day(o)
    first = f"{o.start:%a} {o.start.day}"
    if end <= o.start:
        return first
    if end.month != o.start.month:
        return f"{first} {o.start:%b} – {end:%a} {end.day} {end:%b}"
    return f"{first} – {end:%a} {end.day}"


def rows_for(count: int, columns: int) -> int:
    return -(-count // columns)


def draw_list(
    canvas: Canvas,
    entries: Sequence[Occurrence],
    x: float,
    top: float,
    width: float,
    columns: int,
    heading: str,
) -> None:
    """The entries under ``heading``, filled column by column from ``top`` down."""
    canvas.saveState()
    canvas.setFont(pdf.FONT_BOLD, 9)
    canvas.setFillColor(pdf.INK)
    canvas.drawString(x, top - 9, heading)
    rows = rows_for(len(entries), columns)
    column_width = (width - (columns - 1) * COLUMN_GAP) / columns
    date_width = (
        max((stringWidth(day_span(o), pdf.FONT, SIZE) for o in entries), default=0.0) + 2 * mm
    )
    date_width = min(date_width, column_width * 0.45)
    for index, o in enumerate(entries):
        column, row = divmod(index, rows)
        left = x + column * (column_width + COLUMN_GAP)
        baseline = top - HEADING - row * LINE - SIZE
        canvas.setFont(pdf.FONT, SIZE)
        canvas.setFillColor(pdf.MUTED)
        canvas.drawString(left, baseline, fit(day_span(o), date_width - 2 * mm, SIZE))
        canvas.setFillColor(item_colour(o.kind))
        canvas.roundRect(left + date_width, baseline - 0.3 * mm, 2.6 * mm, 2.6 * mm, 0.5, 0, 1)
        canvas.setFillColor(pdf.INK)
        text_left = left + date_width + 4 * mm
        canvas.drawString(text_left, baseline, fit(label(o), left + column_width - text_left, SIZE))
    canvas.restoreState()


def list_height(count: int, columns: int) -> float:
    return HEADING + rows_for(count, columns) * LINE + 2 * mm
