"""The calendar printed: landscape pages per month (a grid of weeks) or per quarter (a
timeline with a swim lane per team), with a legend of kinds on every page.

A month is at least one page: what its grid has no room for is listed under it or on
pages right after it. A quarter is at least one page: its lanes go on over further pages
when full. Nothing on the calendar is left out of the printout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import month_weeks
from smarketing_desktop.domain.periods import quarter_start
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.calendar_marks import LEGEND, PAGE, draw_bar, draw_legend
from smarketing_desktop.exchange.calendar_month_pdf import MonthPage, overflow_pages
from smarketing_desktop.exchange.calendar_quarter_pdf import (
    QuarterPage,
    quarter_end,
    quarter_pages,
)

__all__ = [
    "Fetch",
    "MonthPage",
    "QuarterPage",
    "View",
    "calendar_flowables",
    "draw_bar",
    "draw_legend",
    "write_calendar_pdf",
]

View = Literal["month", "quarter"]
Fetch = Callable[[dt.date, dt.date], Sequence[Occurrence]]
# Page margins (left, right, top, bottom) and the frame's own padding above and below.
MARGINS_MM = (12.0, 12.0, 12.0, 18.0)
_FRAME_PADDING = 12
BODY_WIDTH = PAGE[0] - MARGINS_MM[0] * mm - MARGINS_MM[1] * mm
# What CalendarPage leaves for its body: the frame less the title line and the legend.
BODY_HEIGHT = PAGE[1] - (MARGINS_MM[2] + MARGINS_MM[3]) * mm - _FRAME_PADDING - 1 - 24 - LEGEND


def calendar_flowables(
    fetch: Fetch,
    first: dt.date,
    last: dt.date,
    view: View,
    subtitle: str,
    today: dt.date | None = None,
) -> list[Flowable]:
    """Pages from the month (or quarter) of ``first`` to that of ``last``.

    ``fetch(first, last)`` returns the occurrences of a page's days: only what a page
    shows is ever loaded.
    """
    # Laying out measures text in the embedded font, before any page is drawn.
    pdf.register_fonts()
    today = today or dt.date.today()
    pages: list[Flowable] = []
    if view == "month":
        cursor = first.replace(day=1)
        while cursor <= last:
            weeks = month_weeks(cursor.year, cursor.month)
            shown = fetch(weeks[0], weeks[-1] + dt.timedelta(days=6))
            page = MonthPage(cursor.year, cursor.month, shown, subtitle, today)
            page.plan(BODY_HEIGHT)
            pages += [page, *overflow_pages(page, BODY_HEIGHT)]
            cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    else:
        cursor = quarter_start(first)
        while cursor <= last:
            end = quarter_end(cursor)
            found = fetch(cursor, end)
            pages += quarter_pages(cursor, found, subtitle, today, BODY_WIDTH, BODY_HEIGHT)
            cursor = end + dt.timedelta(days=1)
    story: list[Flowable] = []
    for flowable in pages:
        story += [flowable, PageBreak()]
    return story[:-1]


def write_calendar_pdf(
    fetch: Fetch,
    first: dt.date,
    last: dt.date,
    view: View,
    plan_name: str,
    path: Path,
    today: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
    times: str = "",
) -> int:
    """Write the printout atomically; returns the number of pages.

    ``times`` says which clock the times are printed at ("Times in Europe/Berlin"); it
    goes in every page's header beside the plan's name.

    ``on_page`` is called with each page number as it is laid out (progress; whatever
    it raises stops the layout, and nothing is written).
    """
    subtitle = plan_name if not times else f"{plan_name} · {times}"
    story = calendar_flowables(fetch, first, last, view, subtitle, today)
    decor = pdf.PageDecor(title=f"{plan_name} calendar", footer=f"{plan_name} · calendar")
    hook = (lambda _canvas, doc: on_page(doc.page)) if on_page else None
    pdf.write_pdf(path, story, decor, pagesize=PAGE, margins_mm=MARGINS_MM, on_page=hook)
    return (len(story) + 1) // 2
