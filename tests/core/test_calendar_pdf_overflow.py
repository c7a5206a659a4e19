"""The printed calendar leaves nothing out: busy weeks get room, the rest is listed, a
full quarter goes on over pages, and no text runs past the margin."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from smarketing_desktop.cli import main
from smarketing_desktop.domain.words import Team
from smarketing_desktop.exchange import pdf, plan_json
from smarketing_desktop.exchange.calendar_month_pdf import lay_out_month
from smarketing_desktop.exchange.calendar_quarter_pdf import (
    LANE_LABEL,
    MIN_BAR,
    _lane_height,
    paginate,
)
from smarketing_desktop.services.calendar_print import export_calendar_pdf
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan, create_plan

MARCH = dt.date(2027, 3, 1)


def _item(uid: str, title: str, day: dt.date, days: int = 1, **more: Any) -> dict[str, Any]:
    return {
        "uid": uid,
        "title": title,
        "kind": more.pop("kind", "blog_post"),
        "team": more.pop("team", "marketing"),
        "start": day.isoformat(),
        "end": (day + dt.timedelta(days=days - 1)).isoformat(),
        **more,
    }


def _plan(path: Path, items: list[dict[str, Any]], name: str = "Acme spring plan") -> Plan:
    plan = create_plan(path, name=name)
    document = {"format": "smarketing-plan", "version": 1, "items": items}
    plan_json.import_plan(plan, json.dumps(document))
    return plan


def _text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]


@pytest.fixture
def crowded(tmp_path: Path) -> Iterator[Plan]:
    # Fourteen posts on Tuesday 9 March, one a day in another week: a busy week and quiet ones.
    items = [_item(f"busy{n}@x", f"Post {n:02d}", dt.date(2027, 3, 9)) for n in range(14)]
    items.append(_item("quiet@x", "Quiet one", dt.date(2027, 3, 23)))
    plan = _plan(tmp_path / "crowded.smplan", items)
    yield plan
    plan.close()


def test_a_busy_week_gets_the_room_it_needs(crowded: Plan) -> None:
    shown = occurrences_between(crowded, dt.date(2027, 3, 1), dt.date(2027, 4, 4))
    layout = lay_out_month(2027, 3, shown, 150 * mm)
    busy = layout.weeks.index(dt.date(2027, 3, 8))
    quiet = layout.weeks.index(dt.date(2027, 3, 22))
    assert layout.heights[busy] > layout.heights[quiet]
    assert layout.lanes[busy] == 14 and layout.left_out == []
    assert sum(layout.heights) == pytest.approx(150 * mm)


def test_every_item_is_printed_and_none_is_a_bare_more(crowded: Plan, tmp_path: Path) -> None:
    out = tmp_path / "march.pdf"
    pages = export_calendar_pdf(crowded, MARCH, dt.date(2027, 3, 31), "month", out)
    assert pages == 1 and len(pypdf.PdfReader(out).pages) == 1
    text = _text(out)[0]
    for n in range(14):
        assert f"Post {n:02d}" in text
    assert "Quiet one" in text
    assert " more" not in text


@settings(max_examples=25, deadline=None)
@given(
    per_day=st.lists(st.integers(0, 40), min_size=31, max_size=31),
    long_items=st.integers(0, 6),
)
def test_what_a_month_grid_leaves_out_is_listed_once(per_day: list[int], long_items: int) -> None:
    from smarketing_desktop.domain.items import Occurrence

    occurrences = [
        Occurrence(
            uid=f"u{day}-{n}",
            title=f"T{day}-{n}",
            kind="blog_post",
            team="sales",
            status="planned",
            impact="medium",
            start=MARCH + dt.timedelta(days=day),
            end=MARCH + dt.timedelta(days=day),
        )
        for day, count in enumerate(per_day)
        for n in range(count)
    ]
    occurrences += [
        Occurrence(
            uid=f"long{n}",
            title=f"Long {n}",
            kind="promotion",
            team="sales",
            status="planned",
            impact="medium",
            start=MARCH + dt.timedelta(days=3 * n),
            end=MARCH + dt.timedelta(days=3 * n + 12),
        )
        for n in range(long_items)
    ]
    layout = lay_out_month(2027, 3, occurrences, 150 * mm)
    shown = {
        b.occurrence.uid
        for week, lanes in zip(layout.bars, layout.lanes, strict=True)
        for b in week
        if b.lane < lanes
    }
    listed = [o.uid for o in layout.left_out]
    assert len(listed) == len(set(listed))
    assert shown | set(listed) >= {o.uid for o in occurrences}
    assert sum(layout.heights) == pytest.approx(150 * mm)


def test_a_month_too_full_for_its_page_goes_on_to_list_pages(tmp_path: Path, capsys) -> None:
    items = [
        _item(f"i{n}@x", f"Webinar {n:03d}", MARCH + dt.timedelta(days=n % 31), kind="webinar")
        for n in range(400)
    ]
    path = tmp_path / "full.smplan"
    _plan(path, items).close()
    out = tmp_path / "full.pdf"
    code = main(
        ["export", "--db", str(path), "--out", str(out), "--from", "2027-03-01", "--to",
         "2027-03-31"]
    )  # fmt: skip
    reader = pypdf.PdfReader(out)
    assert code == 0
    assert f"{len(reader.pages)} pages for 1 month," in capsys.readouterr().out
    assert len(reader.pages) > 1
    texts = _text(out)
    assert "March 2027" in texts[0] and "on the next page" in texts[0]
    assert "March 2027: also on the calendar" in texts[1]
    everything = " ".join(texts)
    missing = [n for n in range(400) if f"Webinar {n:03d}" not in everything]
    assert missing == []


def test_the_header_says_which_clock_times_are_in_and_names_the_plan(
    crowded: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "z.pdf"
    export_calendar_pdf(crowded, MARCH, MARCH, "month", out, zone=ZoneInfo("America/Chicago"))
    text = _text(out)[0]
    assert "Acme spring plan · Times in America/Chicago" in text
    export_calendar_pdf(crowded, MARCH, MARCH, "quarter", out)
    assert "Times in each item's own zone" in _text(out)[0]


def _team_rows() -> st.SearchStrategy[dict[Team, int]]:
    return st.fixed_dictionaries({team: st.integers(0, 400) for team in Team})


@settings(max_examples=200)
@given(rows=_team_rows(), room=st.floats(60 * mm, 200 * mm))
def test_quarter_lanes_fill_pages_without_overlap_or_loss(
    rows: dict[Team, int], room: float
) -> None:
    bar, pages = paginate(rows, dict.fromkeys(Team, 1), room)
    assert bar >= MIN_BAR
    for page in pages:
        assert sum(_lane_height(s.rows, bar) for s in page) <= room + 1e-6
    for team, total in rows.items():
        segments = [s for page in pages for s in page if s.team == team]
        assert segments, team  # every team has its lane, even an empty one
        covered = [r for s in segments for r in range(s.first_row, s.first_row + s.rows)]
        assert covered == list(range(total))
    assert room >= LANE_LABEL


def test_a_full_quarter_prints_every_item_on_further_pages(tmp_path: Path) -> None:
    teams = [t.value for t in Team]
    items = [
        _item(
            f"q{n}@x",
            f"Event {n:03d}",
            dt.date(2027, 1, 1) + dt.timedelta(days=n % 90),
            team=teams[n % 3],
            kind="tradeshow",
        )
        for n in range(600)
    ]
    plan = _plan(tmp_path / "q.smplan", items)
    out = tmp_path / "q.pdf"
    pages = export_calendar_pdf(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31), "quarter", out)
    plan.close()
    texts = _text(out)
    assert pages == len(texts) > 1
    assert f"Q1 2027: timeline (1 of {pages})" in texts[0]
    assert " more" not in " ".join(texts)
    everything = " ".join(texts)
    assert [n for n in range(600) if f"Event {n:03d}" not in everything] == []


def test_no_text_runs_past_the_right_margin(tmp_path: Path) -> None:
    word = "Supercalifragilisticexpialidocious" * 4
    items = [
        _item("end@x", f"Launch {word}", dt.date(2027, 3, 30), kind="product_launch"),
        _item("long@x", f"Promo {word}", dt.date(2027, 3, 20), days=12, kind="promotion"),
        _item("mid@x", f"Post {word}", dt.date(2027, 2, 10)),
    ]
    plan = _plan(tmp_path / "m.smplan", items, name=f"Plan {word}")
    for view in ("quarter", "month"):
        out = tmp_path / f"{view}.pdf"
        export_calendar_pdf(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31), view, out)  # type: ignore[arg-type]
        for page in pypdf.PdfReader(out).pages:
            right = float(page.mediabox.width) - 12 * mm
            ends: list[tuple[float, str]] = []

            def visit(
                text: str,
                cm: list[float],
                tm: list[float],
                font: Any,
                size: float,
                ends: list[tuple[float, str]] = ends,
            ) -> None:
                text = text.strip("\n")
                if not text.strip():
                    return
                scale = cm[0] if cm[0] else 1.0
                x = tm[4] * scale + cm[4]
                name = str((font or {}).get("/BaseFont", ""))
                face = pdf.FONT_BOLD if "Bold" in name else pdf.FONT
                ends.append((x + stringWidth(text, face, size * tm[0] * scale), text))

            page.extract_text(visitor_text=visit)
            over = [(round(end - right, 1), text) for end, text in ends if end > right + 1]
            assert over == [], view
        text = " ".join(_text(out))
        assert "…" in text
    plan.close()


@settings(max_examples=150)
@given(
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3)), max_size=40),
    before=st.integers(0, 6),
)
def test_a_title_written_before_its_bar_has_its_room(spans, before) -> None:
    from smarketing_desktop.domain.items import Occurrence
    from smarketing_desktop.domain.layout import stack

    items = [
        Occurrence(
            uid=f"u{n}",
            title=f"T{n}",
            kind="meeting",
            team="joint",
            status="planned",
            impact="medium",
            start=MARCH + dt.timedelta(days=start),
            end=MARCH + dt.timedelta(days=start + length),
        )
        for n, (start, length) in enumerate(spans)
    ]
    # The last week's bars want their titles before them.
    bars = stack(items, MARCH, 31, lead=lambda o, column: before if column >= 24 else 0)
    assert len(bars) == len(items)
    for bar in bars:
        assert bar.title_before == (before > 0 and bar.first >= 24)
        taken = [
            (other.first - (before if other.title_before else 0), other.last)
            for other in bars
            if other.lane == bar.lane and other is not bar
        ]
        start = bar.first - (before if bar.title_before else 0)
        assert all(last < start or first > bar.last for first, last in taken)
