"""The calendar as a PDF: month pages or quarter timelines of a period (GUI and CLI)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.exchange.calendar_pdf import View, write_calendar_pdf
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan

__all__ = ["Progress", "View", "export_calendar_pdf"]

# Told how far the work got: ("Reading March 2027…" or "Page 3…"); it may raise to stop.
Progress = Callable[[str], None]


def export_calendar_pdf(
    plan: Plan,
    first: dt.date,
    last: dt.date,
    view: View,
    path: Path,
    *,
    item_filter: ItemFilter | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the printout of ``first``..``last`` to ``path`` atomically.

    Args:
        plan: the plan to print.
        first: the first day of the period (its month or quarter is printed whole).
        last: the last day of the period.
        view: ``"month"`` pages or ``"quarter"`` timelines.
        path: the PDF file; replaced only once the whole PDF is laid out.
        item_filter: only the items that match it (None: everything).
        progress: called as pages are read and laid out; whatever it raises stops the
            export, and nothing is written.

    Returns:
        The number of pages.

    Raises:
        UserError: the file cannot be written.
    """
    chosen = item_filter if item_filter is not None and not item_filter.is_empty else None

    def fetch(a: dt.date, b: dt.date) -> list[Occurrence]:
        if progress is not None:
            progress(f"Reading {max(a, first):%B %Y}…")
        found = occurrences_between(plan, a, b)
        return found if chosen is None else [o for o in found if chosen.matches(o)]

    on_page = None if progress is None else (lambda page: progress(f"Page {page}…"))
    return write_calendar_pdf(fetch, first, last, view, plan.name, path, on_page=on_page)
