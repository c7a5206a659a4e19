"""The calendar as a PDF: month pages or quarter timelines of a period (GUI and CLI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.periods import page_count
from smarketing_desktop.domain.zones import shown_between, zone_name
from smarketing_desktop.exchange.calendar_pdf import View, write_calendar_pdf
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan

__all__ = ["Progress", "View", "export_calendar_pdf"]

# Told how far the work got: a note ("Reading March 2027…"), steps done, steps in all (a
# page is read, then laid out); it may raise to stop the export.
Progress = Callable[[str, int, int], None]


def export_calendar_pdf(
    plan: Plan,
    first: dt.date,
    last: dt.date,
    view: View,
    path: Path,
    *,
    item_filter: ItemFilter | None = None,
    progress: Progress | None = None,
    zone: dt.tzinfo | None = None,
) -> int:
    """Write the printout of ``first``..``last`` to ``path`` atomically.

    Args:
        plan: the plan to print.
        first: the first day of the period (its month or quarter is printed whole).
        last: the last day of the period.
        view: ``"month"`` pages or ``"quarter"`` timelines.
        path: the PDF file; replaced only once the whole PDF is laid out.
        item_filter: only the items that match it (None: everything).
        progress: called as pages are read and laid out (see ``Progress``); whatever it
            raises stops the export, and nothing is written.
        zone: print times at this zone's clock, as the calendar shows them (None: each
            item's own clock).

    Returns:
        The number of pages: at least one per month (or quarter), more where a month's
        items are listed on pages after its grid or a quarter's lanes go on.

    Raises:
        UserError: the file cannot be written.
    """
    chosen = item_filter if item_filter is not None and not item_filter.is_empty else None
    pages = page_count(first, last, view)
    read = 0

    def fetch(a: dt.date, b: dt.date) -> list[Occurrence]:
        nonlocal read
        if progress is not None:
            progress(f"Reading {max(a, first):%B %Y}…", read, 2 * pages)
        read += 1
        if zone is None:
            found = occurrences_between(plan, a, b)
        else:
            found = shown_between(lambda c, d: occurrences_between(plan, c, d), a, b, zone)
        return found if chosen is None else [o for o in found if chosen.matches(o)]

    def laid_out(page: int) -> None:
        assert progress is not None
        if page <= pages:
            progress(f"Laying out page {page} of {pages}…", pages + page - 1, 2 * pages)
        else:
            # Lists of what a month's grid had no room for, or more rows of a quarter.
            progress(f"Laying out page {page}…", 2 * pages - 1, 2 * pages)

    on_page = None if progress is None else laid_out
    times = "Times in each item's own zone" if zone is None else f"Times in {zone_name(zone)}"
    return write_calendar_pdf(
        fetch, first, last, view, plan.name, path, on_page=on_page, times=times
    )
