"""Persona figures (issue 6 names no speed target; these keep the work honest):

* journey coverage of a quarter in a 10,000-item plan (what the coverage view and the
  editor read on every change to the items) against the calendar's own range query of the
  same quarter (``occurrences_between``), the baseline for "one indexed range query";
* the persona sheets of the plan as PDF against the same text laid out as plain
  paragraphs by the same PDF foundation (the cost of the sheet's layout over bare text);
* the Personas tab's refresh after a persona edit (cards and editor; the items of the
  coming quarter are read only when another persona is shown or items change) on the big
  plan against the same on a plan with only the personas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from benchmarks.plans import make_plan
from benchmarks.timing import median_ms
from smarketing_desktop.exchange import pdf
from smarketing_desktop.exchange.persona_pdf import write_persona_pdf
from smarketing_desktop.services import personas
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan


def _quarter() -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return first, first + relativedelta(months=3, days=-1)


def _tab_refresh_ms(plan: Plan, repeat: int) -> float | str:
    try:
        from PySide6.QtWidgets import QApplication

        from smarketing_desktop.gui.context import PlanContext
        from smarketing_desktop.gui.personas_tab import PersonasTab
    except ImportError as error:  # a core-only install has no Qt
        return f"skipped: {error}"
    app = QApplication.instance() or QApplication([])
    tab = PersonasTab(PlanContext(plan))
    tab.resize(1280, 760)
    tab.show()
    app.processEvents()

    def refresh() -> None:
        tab.refresh()
        app.processEvents()

    result = median_ms(refresh, repeat)
    tab.close()
    tab.deleteLater()
    app.processEvents()
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    first, last = _quarter()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        big = make_plan(root / "big.smplan", args.items)
        small = make_plan(root / "small.smplan", 0)
        for persona_id in (f"persona{n}" for n in range(6)):
            personas.add_persona(small, {"id": persona_id, "name": f"Persona {persona_id}"})

        coverage_ms = median_ms(lambda: personas.journey_items(big, first, last), args.repeat)
        range_ms = median_ms(lambda: occurrences_between(big, first, last), args.repeat)

        documents = [
            personas.get_persona(big, card.id) for card in personas.list_persona_cards(big)
        ]
        sheets_ms = median_ms(
            lambda: write_persona_pdf(documents, root / "sheets.pdf"), max(3, args.repeat // 2)
        )

        def plain() -> None:
            story = [
                pdf.para(str(value))
                for document in documents
                for value in document.values()
                if value
            ]
            pdf.write_pdf(root / "plain.pdf", story, pdf.PageDecor(title="plain"))

        plain_ms = median_ms(plain, max(3, args.repeat // 2))
        big_tab = _tab_refresh_ms(big, args.repeat)
        small_tab = _tab_refresh_ms(small, args.repeat)
        big.close()
        small.close()
    results: dict[str, Any] = {
        "items": args.items,
        "journey_coverage": {
            "quarter_ms": coverage_ms,
            "baseline_occurrences_between_ms": range_ms,
            "ratio": round(coverage_ms / range_ms, 2),
        },
        "persona_sheets_pdf": {
            "personas": len(documents),
            "sheets_ms": sheets_ms,
            "baseline_plain_paragraphs_ms": plain_ms,
            "ratio": round(sheets_ms / plain_ms, 2),
        },
        "personas_tab_refresh": {"big_plan_ms": big_tab, "personas_only_ms": small_tab},
    }
    if isinstance(big_tab, float) and isinstance(small_tab, float):
        results["personas_tab_refresh"]["ratio"] = round(big_tab / small_tab, 2)
    return results
