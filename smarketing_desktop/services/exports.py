"""Writing the plan's documents to files: plan JSON, the campaign review, SLA PDFs.

One function per export the user starts (menu or command line). Every file is written
atomically, so a failure leaves no half-written file and an existing one untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from smarketing_desktop.domain.review import GoalRow
from smarketing_desktop.exchange.files import write_atomically
from smarketing_desktop.exchange.plan_json import export_plan
from smarketing_desktop.exchange.review_csv import write_review_csv
from smarketing_desktop.exchange.review_pdf import render_review_pdf
from smarketing_desktop.exchange.sla_pdf import write_sla_pdf
from smarketing_desktop.services.review import review_campaigns
from smarketing_desktop.store.planfile import Plan


def export_plan_json(plan: Plan, out: Path) -> None:
    """Write the whole plan as plan JSON (docs/plan-format.md).

    Raises:
        UserError: the file cannot be written.
    """
    write_atomically(out, export_plan(plan).encode("utf-8"))


def export_review_pdf(
    plan: Plan,
    first: dt.date,
    last: dt.date,
    period: str,
    out: Path,
    *,
    compare: Sequence[str] = (),
    on_page: Callable[[int], None] | None = None,
) -> None:
    """Write the campaign review of ``first``..``last`` as a PDF.

    Args:
        plan: the plan.
        first: the period's first day.
        last: the period's last day.
        period: the period as people name it (``2027 Q1``), for the title.
        out: the PDF file.
        compare: uids of the campaigns compared side by side.
        on_page: called with each page number as it is laid out; whatever it raises
            stops the export, and nothing is written.

    Raises:
        UserError: the plan cannot be read or the file cannot be written.
    """
    campaigns = review_campaigns(plan, first, last)
    write_atomically(out, render_review_pdf(campaigns, period, compare, on_page=on_page))


def export_review_csv(rows: Sequence[GoalRow], out: Path) -> None:
    """Write goal rows (as the review table shows them) as CSV for spreadsheets."""
    write_review_csv(list(rows), out)


def export_sla_pdf(document: dict[str, Any], out: Path) -> None:
    """Write one version of an SLA (the service's document shape) as a PDF."""
    write_sla_pdf(document, out)
