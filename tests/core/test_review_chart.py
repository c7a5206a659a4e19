"""The review chart's layout: panels per metric, bars, axes and labels (the geometry, not pixels)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.review import Campaign, GoalRow
from smarketing_desktop.domain.review_chart import (
    MAX_CHARTED,
    Rect,
    Text,
    charted,
    compact_number,
    elide,
    layout_chart,
    metric_groups,
    nice_ticks,
)
from smarketing_desktop.exchange.chart_pdf import chart_drawing, chart_drawings, measure


def fixed(text: str, size: float, bold: bool) -> float:
    """A monospace stand-in for a font: every character is 0.6 em wide."""
    return len(text) * size * 0.6


def campaign(uid: str, *goals: tuple[str, str, float | None, float | None, str]) -> Campaign:
    rows = tuple(
        GoalRow(
            uid=uid,
            title=f"Campaign {uid}",
            kind="tradeshow",
            start=dt.date(2027, 2, 2),
            end=dt.date(2027, 2, 4),
            personas=(),
            team=team,
            metric=metric,
            target=target,
            actual=actual,
            better=better,
            position=n,
        )
        for n, (team, metric, target, actual, better) in enumerate(goals)
    )
    return Campaign(uid, f"Campaign {uid}", "tradeshow", rows[0].start, rows[0].end, (), 1, rows)


EXPO = campaign(
    "expo",
    ("sales", "Qualified leads", 60, 71, "higher"),
    ("sales", "hours to follow-up", 24, 30, "lower"),
)
SPRING = campaign(
    "spring",
    ("sales", "qualified  LEADS", 150, None, "higher"),
    ("marketing", "booth scans", 600, 640, "higher"),
    ("marketing", "Qualified leads", 10, 12, "higher"),  # another team's goal: its own panel
)


def test_same_metrics_of_different_campaigns_share_a_panel() -> None:
    groups = metric_groups([EXPO, SPRING])
    assert [(g.metric, g.team, [e.campaign for e in g.entries]) for g in groups] == [
        ("Qualified leads", "sales", [1, 2]),
        ("hours to follow-up", "sales", [1]),
        ("booth scans", "marketing", [2]),
        ("Qualified leads", "marketing", [2]),
    ]
    assert groups[0].cell(2) is SPRING.goals[0] and groups[1].cell(2) is None
    shared = metric_groups([EXPO, SPRING], shared_only=True)
    assert [g.metric for g in shared] == ["Qualified leads"]


def test_every_target_and_actual_is_one_bar_with_a_height_true_to_its_value() -> None:
    layout = layout_chart([EXPO, SPRING], 900, fixed)
    bars = layout.bars
    # 5 goals with a target, 4 with an actual (spring's leads are still open).
    assert [b.role for b in bars].count("target") == 5
    assert [b.role for b in bars].count("actual") == 4
    assert len(layout.panels) == 4
    leads = layout.panels[0]
    assert [(b.campaign, b.role, b.value) for b in leads.bars] == [
        (1, "target", 60),
        (1, "actual", 71),
        (2, "target", 150),
    ]
    zero = leads.bars[0].y + leads.bars[0].height
    assert all(b.y + b.height == pytest.approx(zero) for b in leads.bars)  # a common baseline
    per_unit = leads.bars[2].height / 150
    assert leads.bars[0].height == pytest.approx(60 * per_unit)
    assert leads.bars[1].height == pytest.approx(71 * per_unit)
    assert leads.ticks[0] == 0 and leads.ticks[-1] >= 150
    # Bars of one campaign sit side by side, target first, and inside their panel.
    assert leads.bars[0].x + leads.bars[0].width < leads.bars[1].x
    for panel in layout.panels:
        for bar in panel.bars:
            assert panel.x <= bar.x and bar.x + bar.width <= panel.x + panel.width
            assert panel.y <= bar.y and bar.y + bar.height <= panel.y + panel.height


def test_outcomes_colour_the_actual_bars_and_carry_a_symbol() -> None:
    layout = layout_chart([EXPO], 600, fixed)
    shapes = [s for band in layout.bands for s in band.shapes]
    fills = {s.fill for s in shapes if isinstance(s, Rect)}
    assert {"#2b8a3e", "#c92a2a"} <= fills  # met green, missed red
    texts = [s.text for s in shapes if isinstance(s, Text)]
    assert texts.count("✓") == 1 and texts.count("✗") == 1
    assert "Actual, met ✓" in texts and "Actual, missed ✗" in texts and "Target" in texts


def test_lower_is_better_metrics_are_marked_on_their_panel() -> None:
    layout = layout_chart([EXPO], 600, fixed)
    hours = layout.panels[1]
    marks = [
        s
        for s in layout.rows[0].shapes
        if isinstance(s, Text) and s.text.startswith("↓") and s.x >= hours.x
    ]
    assert len(marks) == 1 and marks[0].x < hours.x + hours.width
    leads = layout.panels[0]
    assert not any(
        isinstance(s, Text) and s.text.startswith("↓") and s.x < leads.x + leads.width
        for s in layout.rows[0].shapes
    )


def test_campaigns_are_numbered_under_their_bars_and_named_in_the_legend() -> None:
    layout = layout_chart([EXPO, SPRING], 900, fixed)
    legend = [
        (s.text, s.bold) for band in layout.legend for s in band.shapes if isinstance(s, Text)
    ]
    assert legend[-4:] == [
        ("1", True),
        ("Campaign expo", False),
        ("2", True),
        ("Campaign spring", False),
    ]
    numbers = [
        s.text for band in layout.rows for s in band.shapes if isinstance(s, Text) and s.bold
    ]
    assert numbers.count("1") == 2 and numbers.count("2") == 3
    single = layout_chart([EXPO], 900, fixed)
    assert not any(
        isinstance(s, Text) and s.text == "1" for band in single.bands for s in band.shapes
    )


def test_panels_flow_into_rows_and_stay_within_the_width() -> None:
    wide = layout_chart([EXPO, SPRING], 2000, fixed)
    narrow = layout_chart([EXPO, SPRING], 200, fixed)
    assert len(wide.legend) == 1 and len(wide.rows) == 1  # all four panels in one row
    assert len(narrow.rows) == 4  # one panel per row
    assert len(narrow.legend) > 1  # the legend wraps, a band per line (pages break there)
    assert narrow.height > wide.height
    for layout in (wide, narrow):
        for panel in layout.panels:
            assert panel.x >= 0 and panel.x + panel.width <= layout.width + 1e-6
        assert list(layout.band_tops) == [
            sum(b.height for b in layout.bands[:n]) for n in range(len(layout.bands))
        ]


def test_long_and_hostile_titles_are_elided_inside_their_panel() -> None:
    long = campaign("long", ("marketing", "<b>&" + "W" * 300, 10, 5, "higher"))
    layout = layout_chart([long], 400, fixed)
    panel = layout.panels[0]
    assert panel.title.startswith("<b>&W") and panel.title.endswith("…")
    assert fixed(panel.title, 8.5, True) <= panel.width
    title = next(s for s in layout.rows[0].shapes if isinstance(s, Text) and s.text == panel.title)
    assert title.x + fixed(title.text, title.size, True) <= panel.x + panel.width


def test_nothing_to_chart_is_an_empty_layout() -> None:
    empty = layout_chart([], 500, fixed)
    assert empty.bands == () and empty.bars == [] and empty.height == 0


def test_negative_values_hang_below_the_zero_line() -> None:
    margin = campaign("m", ("sales", "margin %", -5, -8, "higher"))
    panel = layout_chart([margin], 400, fixed).panels[0]
    assert panel.ticks[0] <= -8 and 0 in panel.ticks
    target, actual = panel.bars
    assert target.y == pytest.approx(actual.y)  # both hang from zero
    assert actual.height == pytest.approx(target.height * 8 / 5)


def test_the_same_layout_becomes_reportlab_drawings(tmp_path) -> None:
    layout = layout_chart([EXPO, SPRING], 700, measure)
    drawings = chart_drawings(layout)
    assert len(drawings) == len(layout.bands)
    assert [d.height for d in drawings] == [b.height for b in layout.bands]
    whole = chart_drawing(layout)
    assert whole.height == pytest.approx(layout.height) and whole.width == 700


@given(
    st.floats(-1e9, 1e9, allow_nan=False),
    st.floats(-1e9, 1e9, allow_nan=False),
)
def test_nice_ticks_cover_the_range_evenly(low: float, high: float) -> None:
    ticks = nice_ticks(min(low, high), max(low, high))
    assert ticks[0] <= min(low, high) and ticks[-1] >= max(low, high)
    assert 2 <= len(ticks) <= 12
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1 or max(steps) - min(steps) <= 1e-6 * max(abs(ticks[0]), abs(ticks[-1]))
    if low <= 0 <= high or high <= 0 <= low:
        assert 0 in ticks


def test_numbers_are_shortened_for_axes() -> None:
    assert [compact_number(v) for v in (0, 950, 1000, 4630, 46300, 1_250_000, -2000, 2.5)] == [
        "0",
        "950",
        "1k",
        "4.6k",
        "46k",
        "1.2M",
        "-2k",
        "2.5",
    ]


def test_elide_never_overflows() -> None:
    assert elide("short", 10, 100, fixed) == "short"
    cut = elide("a rather long campaign title", 10, 60, fixed)
    assert cut.endswith("…") and fixed(cut, 10, False) <= 60
    assert elide("anything", 10, 1, fixed) == "…"


def test_a_long_legend_wraps_line_by_line_and_charts_stop_at_twelve_campaigns() -> None:
    many = [campaign(f"c{n}", ("sales", "leads", 10, n, "higher")) for n in range(30)]
    shown, left_out = charted(many)
    assert len(shown) == MAX_CHARTED == 12 and left_out == 18
    layout = layout_chart(shown, 500, fixed)
    assert len(layout.legend) == 3 and all(band.height <= 20 for band in layout.legend)
    # Numbers and marks are left out where the bars are too narrow for them.
    squeezed = layout_chart(many, 300, fixed)
    texts = [s for band in squeezed.rows for s in band.shapes if isinstance(s, Text)]
    numbers = [s for s in texts if s.bold and s.text.isdigit()]
    marks = [s for s in texts if s.text in ("✓", "✗")]
    assert len(numbers) < 30  # "10" and up no longer fit under their pair
    xs = sorted(mark.x for mark in marks)
    assert all(b - a >= fixed("✗", 7.5, True) for a, b in itertools.pairwise(xs))
    assert len(squeezed.bars) == 60 and all(b.width >= 2 for b in squeezed.bars)
