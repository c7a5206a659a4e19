"""Campaign review figures (issue 8), for one quarter of a 10,000-item plan in which about
a third of the items carry goals with results and some have retrospectives:

* reading the quarter's review (campaigns, goals, retrospectives) against the calendar's
  range query of the same days (``occurrences_between``);
* refreshing the Review tab (table, summaries) against its own service read, which shows
  what the Qt side adds;
* the review PDF of the quarter against the calendar PDF (quarter timeline) of the same
  days, the app's other printout of that quarter;
* the review CSV against writing the same cells with bare ``csv.writer``.

The issue names no speed target; the figures show where the time goes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.plans import big_document
from benchmarks.timing import median_ms
from smarketing_desktop.domain.periods import quarter_span
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.calendar_pdf import write_calendar_pdf
from smarketing_desktop.exchange.review_csv import review_csv
from smarketing_desktop.exchange.review_pdf import write_review_pdf
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.services.review import goal_rows, review_campaigns
from smarketing_desktop.store.planfile import Plan, create_plan


def review_document(items: int) -> dict[str, Any]:
    """The benchmark plan with results entered and retrospectives written."""
    document = big_document(items)
    rng = random.Random(8)
    for item in document["items"]:
        for goal in item.get("goals", []):
            goal["actual"] = rng.randint(0, 600)
            goal["results_by"] = "Person 1"
            goal["results_on"] = item["start"][:10]
        if item.get("goals"):
            item["goals"].append(
                {
                    "team": "sales",
                    "metric": "hours to follow-up",
                    "target": 24,
                    "actual": rng.randint(2, 60),
                    "better": "lower",
                }
            )
            if rng.random() < 0.5:
                item["retrospectives"] = [
                    {
                        "team": "marketing",
                        "went_well": "Subject line " * 8,
                        "to_change": "Send earlier " * 6,
                        "author": "Person 2",
                    },
                    {
                        "team": "sales",
                        "went_well": "Calls landed " * 8,
                        "to_change": "Faster follow-up " * 6,
                        "author": "Person 3",
                    },
                ]
    return document


def _tab_refresh_ms(plan: Plan, first: dt.date, last: dt.date, repeat: int) -> float:
    from PySide6.QtWidgets import QApplication

    from smarketing_desktop.gui.context import PlanContext
    from smarketing_desktop.gui.review_tab import ReviewTab

    app = QApplication.instance() or QApplication([])
    context = PlanContext(plan)
    tab = ReviewTab(context)
    tab.resize(1280, 700)
    tab.period.set_range(first, last)
    tab.show()
    app.processEvents()
    result = median_ms(lambda: (tab.refresh(), app.processEvents()), repeat)
    tab.close()
    tab.deleteLater()
    app.processEvents()
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    repeat = max(3, args.repeat // 2)
    first, last = quarter_span(dt.date.today())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        plan = create_plan(root / "review.smplan")
        plan_json.import_plan(plan, json.dumps(review_document(args.items)))
        campaigns = review_campaigns(plan, first, last)
        rows = goal_rows(plan, first, last)
        results: dict[str, Any] = {
            "items": args.items,
            "quarter": f"{first} to {last}",
            "campaigns_in_quarter": len(campaigns),
            "goals_in_quarter": len(rows),
            "target": "none named by the issue",
        }

        read_ms = median_ms(lambda: review_campaigns(plan, first, last), args.repeat)
        calendar_ms = median_ms(lambda: occurrences_between(plan, first, last), args.repeat)
        results["read_quarter"] = {
            "review_ms": read_ms,
            "calendar_range_query_ms": calendar_ms,
            "ratio": round(read_ms / calendar_ms, 3),
        }

        tab_ms = _tab_refresh_ms(plan, first, last, repeat)
        results["tab_refresh"] = {
            "review_tab_ms": tab_ms,
            "service_read_ms": read_ms,
            "ratio": round(tab_ms / read_ms, 3),
        }

        review_pdf_ms = median_ms(
            lambda: write_review_pdf(campaigns, "bench", root / "review.pdf"), repeat
        )
        calendar_pdf_ms = median_ms(
            lambda: write_calendar_pdf(
                lambda a, b: occurrences_between(plan, a, b),
                first,
                last,
                "quarter",
                "bench",
                root / "calendar.pdf",
            ),
            repeat,
        )
        results["pdf_quarter"] = {
            "review_pdf_ms": review_pdf_ms,
            "calendar_pdf_ms": calendar_pdf_ms,
            "ratio": round(review_pdf_ms / calendar_pdf_ms, 3),
        }

        def bare_csv() -> str:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            for row in rows:
                writer.writerow(
                    [
                        row.title,
                        row.kind,
                        row.start,
                        row.end,
                        "; ".join(row.personas),
                        row.team,
                        row.metric,
                        row.target,
                        row.actual,
                        row.better,
                        row.outcome.label,
                        row.results_by,
                        row.results_on,
                    ]
                )
            return buffer.getvalue()

        csv_ms = median_ms(lambda: review_csv(rows), args.repeat)
        bare_ms = median_ms(bare_csv, args.repeat)
        results["csv_quarter"] = {
            "review_csv_ms": csv_ms,
            "bare_csv_writer_ms": bare_ms,
            "ratio": round(csv_ms / bare_ms, 3),
        }
        plan.close()
    return results
