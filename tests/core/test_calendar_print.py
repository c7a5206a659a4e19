"""The calendar printout as a service: filtered pages, progress, and a clean stop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.services.calendar_print import export_calendar_pdf
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = dt.date(2027, 3, 10)


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    with create_plan(tmp_path / "Demo plan.smplan", name="Demo plan") as plan:
        write_demo(plan, today=TODAY)
        yield plan


def test_progress_counts_every_page_read_and_laid_out(plan: Plan, tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    out = tmp_path / "q.pdf"
    pages = export_calendar_pdf(
        plan,
        dt.date(2027, 1, 1),
        dt.date(2027, 6, 30),
        "month",
        out,
        progress=lambda note, done, total: steps.append((note, done, total)),
    )
    assert pages == 6 and len(pypdf.PdfReader(str(out)).pages) == 6
    assert [note for note, _, _ in steps[:2]] == ["Reading January 2027…", "Reading February 2027…"]
    assert steps[-1] == ("Laying out page 6 of 6…", 11, 12)
    assert [done for _, done, _ in steps] == sorted(done for _, done, _ in steps)
    assert {total for _, _, total in steps} == {12}


def test_only_what_the_filter_shows_is_printed(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "holidays.pdf"
    chosen = ItemFilter(kinds=frozenset({"holiday"}))
    export_calendar_pdf(
        plan, TODAY, TODAY + dt.timedelta(days=90), "quarter", out, item_filter=chosen
    )
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(out)).pages)
    assert "Company holiday" in text and "Pipeline sync" not in text


def test_stopping_in_progress_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    class Stop(Exception):
        pass

    def stop_at_layout(note: str, done: int, total: int) -> None:
        if note.startswith("Laying out"):
            raise Stop

    out = tmp_path / "kept.pdf"
    out.write_bytes(b"the old printout")
    with pytest.raises(Stop):
        export_calendar_pdf(
            plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31), "month", out, progress=stop_at_layout
        )
    assert out.read_bytes() == b"the old printout"
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("Demo plan"))
    assert left == ["kept.pdf"]  # no temporary file beside it
