"""The calendar printout and the lane layout it shares with the calendar views."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smarketing_desktop.cli import main
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.layout import hidden_per_day, month_weeks, stack
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import create_plan

DAY0 = dt.date(2027, 3, 1)


def occurrence(n: int, start: int, length: int, **kw: object) -> Occurrence:
    fields = dict(
        uid=f"u{n}",
        title=f"Item {n}",
        kind="promotion",
        team="marketing",
        status="planned",
        impact="medium",
    )
    fields.update(kw)
    return Occurrence(
        start=DAY0 + dt.timedelta(days=start),
        end=DAY0 + dt.timedelta(days=start + length),
        **fields,
    )  # type: ignore[arg-type]


spans = st.lists(st.tuples(st.integers(-10, 40), st.integers(0, 12)), max_size=40)


@settings(max_examples=200)
@given(spans=spans, extra=st.integers(0, 5))
def test_stacked_bars_never_overlap_and_none_is_lost(spans, extra) -> None:
    items = [occurrence(n, start, length) for n, (start, length) in enumerate(spans)]
    bars = stack(items, DAY0, 31, extent=lambda o: o.days + extra)
    visible = {o.uid for o in items if o.end >= DAY0 and o.start <= DAY0 + dt.timedelta(days=30)}
    assert {b.occurrence.uid for b in bars} == visible
    for bar in bars:
        assert 0 <= bar.first <= bar.last <= 30
        assert bar.cut_before == (bar.occurrence.start < DAY0)
    by_lane: dict[int, list] = {}
    for bar in bars:
        by_lane.setdefault(bar.lane, []).append(bar)
    for lane_bars in by_lane.values():
        lane_bars.sort(key=lambda b: b.first)
        for before, after in itertools.pairwise(lane_bars):
            taken = max(before.last, before.first + before.occurrence.days + extra - 1)
            assert after.first > taken
    # Lanes are used from the top: no lane is skipped.
    assert sorted(by_lane) == list(range(len(by_lane)))


def test_more_counts_hidden_bars_per_day() -> None:
    items = [occurrence(n, 2, 0) for n in range(5)] + [occurrence(9, 1, 3)]
    bars = stack(items, DAY0, 7)
    hidden = hidden_per_day(bars, 3, 7)
    assert hidden[2] == 3 and hidden[1] == 0 and hidden[3] == 0


def test_month_weeks() -> None:
    weeks = month_weeks(2027, 3)
    assert weeks[0] == dt.date(2027, 3, 1) and weeks[-1] == dt.date(2027, 3, 29) and len(weeks) == 5
    assert month_weeks(2026, 11)[0] == dt.date(2026, 10, 26)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.smplan"
    with create_plan(path) as plan:
        write_demo(plan, today=dt.date(2027, 2, 10))
    return path


def test_month_pdf_has_a_page_per_month_with_the_titles(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "calendar.pdf"
    code = main(
        ["export", "--db", str(db), "--out", str(out), "--from", "2027-01-01", "--to", "2027-03-31"]
    )
    assert code == 0 and "3 pages for 3 months" in capsys.readouterr().out
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 3
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    for index, month in enumerate(("January 2027", "February 2027", "March 2027")):
        assert month in texts[index] and "Email campaign" in texts[index]  # the legend
    assert "Logistics World Summit" in texts[1]


def test_quarter_pdf_has_one_page_per_quarter(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "timeline.pdf"
    code = main(
        [
            "export",
            "--db",
            str(db),
            "--out",
            str(out),
            "--view",
            "quarter",
            "--from",
            "2027-01-01",
            "--to",
            "2027-06-30",
        ]
    )
    assert code == 0
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    for part in (
        "Q1 2027",
        "Marketing",
        "Sales",
        "Joint",
        "January",
        "February",
        "March",
        "Industrial Automation Expo",
        "Upgrade offer: 20% off Line Monitor",
    ):
        assert part in first, part


def test_each_page_loads_only_its_own_days(db: Path, tmp_path: Path) -> None:
    from smarketing_desktop.exchange.calendar_pdf import write_calendar_pdf

    asked: list[tuple[dt.date, dt.date]] = []
    with create_plan(tmp_path / "empty.smplan") as plan:

        def fetch(first: dt.date, last: dt.date) -> list[Occurrence]:
            asked.append((first, last))
            return occurrences_between(plan, first, last)

        write_calendar_pdf(
            fetch, dt.date(2027, 1, 15), dt.date(2027, 2, 2), "month", "P", tmp_path / "c.pdf"
        )
    assert asked == [
        (dt.date(2026, 12, 28), dt.date(2027, 1, 31)),
        (dt.date(2027, 2, 1), dt.date(2027, 2, 28)),
    ]


def test_occurrences_of_series_with_exceptions(tmp_path: Path) -> None:
    import json

    from smarketing_desktop.exchange import plan_json

    with create_plan(tmp_path / "s.smplan") as plan:
        document = {
            "format": "smarketing-plan",
            "version": 1,
            "items": [
                {
                    "uid": "weekly@x",
                    "title": "Weekly",
                    "kind": "meeting",
                    "start": "2027-03-01T09:00:00",
                    "end": "2027-03-01T10:00:00",
                    "rrule": "FREQ=WEEKLY;COUNT=6",
                    "exdates": ["2027-03-15"],
                    "rdates": ["2027-03-18T09:00:00"],
                    "overrides": [
                        {
                            "recurrence_id": "2027-03-22T09:00:00",
                            "start": "2027-03-23T14:00:00",
                            "end": "2027-03-23T15:00:00",
                            "title": "Weekly (moved)",
                        }
                    ],
                },
                {
                    "uid": "old@x",
                    "title": "Ended long ago",
                    "kind": "meeting",
                    "start": "2020-01-06",
                    "rrule": "FREQ=WEEKLY;COUNT=3",
                },
                {
                    "uid": "forever@x",
                    "title": "Forever",
                    "kind": "blog_post",
                    "start": "2020-01-01",
                    "rrule": "FREQ=MONTHLY",
                },
            ],
        }
        plan_json.import_plan(plan, json.dumps(document))
        found = occurrences_between(plan, dt.date(2027, 3, 1), dt.date(2027, 3, 31))
        weekly = [(o.start, o.start_time, o.title) for o in found if o.uid == "weekly@x"]
        assert weekly == [
            (dt.date(2027, 3, 1), dt.time(9), "Weekly"),
            (dt.date(2027, 3, 8), dt.time(9), "Weekly"),
            (dt.date(2027, 3, 18), dt.time(9), "Weekly"),  # an extra date
            (dt.date(2027, 3, 23), dt.time(14), "Weekly (moved)"),  # moved from the 22nd
            (dt.date(2027, 3, 29), dt.time(9), "Weekly"),
        ]
        assert [o.start for o in found if o.uid == "forever@x"] == [dt.date(2027, 3, 1)]
        assert not [o for o in found if o.uid == "old@x"]
        with plan.read() as session:
            from smarketing_desktop.store import models

            ends = dict(session.query(models.Item.uid, models.Item.series_end))
        assert ends == {
            "weekly@x": dt.date(2027, 4, 5),
            "old@x": dt.date(2020, 1, 20),
            "forever@x": None,
        }
