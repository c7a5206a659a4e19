"""Calendar-editing figures, each for a 10,000-item plan beside the same for a 50-item plan:

* the agenda's refresh of its 90 days (read, model, sort, first paint): it reads only its
  period, so a big plan should cost in proportion to what those 90 days hold;
* applying a filter change to that agenda (no reading, the proxy refilters);
* opening the item dialog on an item (construct and show; it reads one item, the people
  and the personas, never the rest of the plan);
* the ideas backlog's refresh.

The issue names no target for these; the 50-item plan is the baseline.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.plans import make_plan
from benchmarks.timing import median_ms
from smarketing_desktop.store.planfile import Plan


def _figures(plan: Plan, repeat: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QWidget

    from smarketing_desktop.domain.filters import ItemFilter
    from smarketing_desktop.gui.agenda import AgendaView
    from smarketing_desktop.gui.backlog import BacklogDock
    from smarketing_desktop.gui.context import PlanContext
    from smarketing_desktop.gui.item_dialog import ItemDialog
    from smarketing_desktop.services.items import occurrences_between

    app = QApplication.instance() or QApplication([])
    host = QWidget()
    context = PlanContext(plan, host)
    context.window = host
    agenda = AgendaView(context)
    agenda.resize(1200, 700)
    agenda.show()
    app.processEvents()

    def refresh() -> None:
        agenda.refresh()
        agenda.table.viewport().repaint()

    refresh_ms = median_ms(refresh, repeat)
    filters = [ItemFilter(kinds=frozenset({"webinar", "promotion"})), ItemFilter(text="launch")]
    state = {"n": 0}

    def refilter() -> None:
        state["n"] += 1
        agenda.set_filter(filters[state["n"] % 2])
        agenda.table.viewport().repaint()

    filter_ms = median_ms(refilter, repeat)
    first, last = agenda.visible_range()
    uid = occurrences_between(plan, first, last)[0].uid

    def open_dialog() -> None:
        form = ItemDialog(host, context, uid)
        form.dialog.show()
        app.processEvents()
        form.dialog.close()
        form.dialog.deleteLater()
        app.processEvents()

    dialog_ms = median_ms(open_dialog, repeat)
    dock = BacklogDock(context)
    backlog_ms = median_ms(dock.refresh, repeat)
    rows = agenda.model.rowCount()
    agenda.close()
    host.deleteLater()
    app.processEvents()
    return {
        "agenda_rows": rows,
        "agenda_refresh_ms": refresh_ms,
        "agenda_filter_ms": filter_ms,
        "item_dialog_open_ms": dialog_ms,
        "backlog_refresh_ms": backlog_ms,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        small = make_plan(root / "small.smplan", 50)
        big = make_plan(root / "big.smplan", args.items)
        try:
            _figures(small, 1)  # warm-up: first-use costs (fonts, styles) belong to neither
            baseline = _figures(small, args.repeat)
            figures = _figures(big, args.repeat)
        finally:
            small.close()
            big.close()
    return {
        "items": args.items,
        "method": "median wall-clock ms of the call plus a synchronous repaint, offscreen",
        "big_plan": figures,
        "baseline_50_items": baseline,
    }
