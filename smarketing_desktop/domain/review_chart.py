"""The target-against-actual chart of the campaign review, laid out once for every renderer.

The screen (QPainter) and the PDF (reportlab) draw the same display list, so the chart in
the quarterly meeting's PDF is the picture people saw in the app. Metrics differ in scale
(4,000 opens, 25 meetings), so every metric gets a panel with its own axis; inside a panel
each campaign has a target bar and an actual bar side by side, numbered when several
campaigns are compared. Coordinates run right and down from the top left of each band
(a row of panels, or the legend), in the renderer's unit (pixels, points).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from smarketing_desktop.domain.review import (
    OUTCOME_COLOURS,
    Campaign,
    GoalRow,
    Outcome,
    format_number,
    metric_key,
    team_label,
)
from smarketing_desktop.domain.words import Better

# text, size, bold -> width in the renderer's unit.
Measure = Callable[[str, float, bool], float]
Anchor = Literal["start", "middle", "end"]

INK = "#1f2933"
MUTED = "#616e7c"
FRAME = "#dde3ea"
GRID = "#eef2f7"
AXIS = "#9aa5b1"
TARGET_FILL = "#dde3ea"
TARGET_STROKE = "#7b8794"
NO_TARGET_FILL = "#52606d"
LOWER_MARK = "#9c36b5"


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str | None
    stroke: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Text:
    """A line of text; ``y`` is its baseline, ``x`` its start, middle or end."""

    x: float
    y: float
    text: str
    size: float
    colour: str = INK
    anchor: Anchor = "start"
    bold: bool = False


Shape = Rect | Line | Text


@dataclass(frozen=True, slots=True)
class Entry:
    """One campaign's goal in a metric panel."""

    campaign: int  # 1-based, in the order the campaigns were given
    goal: GoalRow


@dataclass(frozen=True, slots=True)
class MetricGroup:
    """The goals of the compared campaigns that measure one thing (one panel)."""

    metric: str
    team: str
    better: str
    entries: tuple[Entry, ...]

    @property
    def lower_is_better(self) -> bool:
        return self.better == Better.LOWER

    def cell(self, campaign: int) -> GoalRow | None:
        """The goal of campaign number ``campaign`` here (its first, should it have two)."""
        return next((entry.goal for entry in self.entries if entry.campaign == campaign), None)


# More campaigns than this make bars too thin to read; the table still lists them all.
MAX_CHARTED = 12


def charted(campaigns: Sequence[Campaign]) -> tuple[list[Campaign], int]:
    """The campaigns a chart shows (the first ``MAX_CHARTED``) and how many it leaves out."""
    return list(campaigns[:MAX_CHARTED]), max(0, len(campaigns) - MAX_CHARTED)


def metric_groups(campaigns: Sequence[Campaign], *, shared_only: bool = False) -> list[MetricGroup]:
    """The panels of a comparison, in the order the metrics first appear.

    Args:
        campaigns: the campaigns compared; their position gives their number (from 1).
        shared_only: keep only metrics that two or more of the campaigns measure.
    """
    grouped: dict[tuple[str, str, str], list[Entry]] = {}
    for number, campaign in enumerate(campaigns, start=1):
        for goal in campaign.goals:
            grouped.setdefault(metric_key(goal), []).append(Entry(number, goal))
    result = []
    for entries in grouped.values():
        if shared_only and len({entry.campaign for entry in entries}) < 2:
            continue
        first = entries[0].goal
        result.append(MetricGroup(first.metric, first.team, first.better, tuple(entries)))
    return result


@dataclass(frozen=True, slots=True)
class Bar:
    """A drawn bar, kept for tests, tooltips and hit-testing (absolute coordinates)."""

    campaign: int
    goal: GoalRow
    role: Literal["target", "actual"]
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def outcome(self) -> Outcome:
        return self.goal.outcome


@dataclass(frozen=True, slots=True)
class Panel:
    group: MetricGroup
    x: float
    y: float
    width: float
    height: float
    ticks: tuple[float, ...]
    bars: tuple[Bar, ...]
    title: str  # as drawn (elided to the panel's width)


@dataclass(frozen=True, slots=True)
class Band:
    """A horizontal strip of the chart: the legend, or one row of panels."""

    height: float
    shapes: tuple[Shape, ...]


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """Sizes in the renderer's unit; the PDF uses these as points, the screen scales them."""

    title_size: float = 8.5
    label_size: float = 7.0
    value_size: float = 6.5
    panel_height: float = 150.0
    min_panel_width: float = 150.0
    bar_width: float = 15.0
    bar_gap: float = 3.0
    group_padding: float = 12.0
    padding: float = 8.0
    gap: float = 10.0
    legend_line: float = 15.0

    def scaled(self, factor: float) -> ChartStyle:
        return ChartStyle(**{name: getattr(self, name) * factor for name in _STYLE_FIELDS})


_STYLE_FIELDS = tuple(ChartStyle.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ChartLayout:
    width: float
    bands: tuple[Band, ...]
    panels: tuple[Panel, ...]
    campaigns: tuple[str, ...]
    band_tops: tuple[float, ...]  # where each band starts, from the top of the chart
    legend_bands: int  # the first bands are the legend's lines; panel rows follow

    @property
    def legend(self) -> tuple[Band, ...]:
        return self.bands[: self.legend_bands]

    @property
    def rows(self) -> tuple[Band, ...]:
        return self.bands[self.legend_bands :]

    @property
    def height(self) -> float:
        return sum(band.height for band in self.bands)

    @property
    def bars(self) -> list[Bar]:
        return [bar for panel in self.panels for bar in panel.bars]

    def bar_at(self, x: float, y: float) -> Bar | None:
        """The bar under a point (for tooltips), if any."""
        return next(
            (
                bar
                for bar in self.bars
                if bar.x <= x <= bar.x + bar.width and bar.y <= y <= bar.y + bar.height
            ),
            None,
        )


def nice_ticks(low: float, high: float, count: int = 4) -> tuple[float, ...]:
    """Evenly spaced round values (1, 2, 2.5 or 5 times a power of ten) covering the range.

    The ticks always include zero when the range does, so bars grow from a drawn line.
    """
    if high < low:
        low, high = high, low
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):  # one value: give it room
        high = low + max(abs(low), 1.0)
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    digits = max(0, 1 - math.floor(math.log10(step)))
    first = round(math.floor(low / step + 1e-9) * step, digits)
    if first > low:  # the tolerance above rounded a value just below a tick onto it
        first = round(first - step, digits)
    ticks = [first]
    while ticks[-1] < high:
        ticks.append(round(first + len(ticks) * step, digits))
    return tuple(t + 0.0 for t in ticks)  # + 0.0 turns -0.0 into 0.0


def compact_number(value: float) -> str:
    """``4.6k``, ``12k``, ``1.2M``: short labels for axes and narrow bars."""
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            scaled = value / limit
            text = f"{scaled:.1f}" if abs(scaled) < 10 else f"{scaled:.0f}"
            return text.removesuffix(".0") + suffix
    return format_number(value)


def elide(text: str, size: float, width: float, measure: Measure, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` (one line, spaces collapsed)."""
    text = " ".join(text.split())
    if measure(text, size, bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if measure(text[:middle] + "…", size, bold) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else "…"


def _legend(
    layout_width: float,
    campaigns: Sequence[str],
    groups: Sequence[MetricGroup],
    measure: Measure,
    style: ChartStyle,
) -> list[Band]:
    goals = [entry.goal for group in groups for entry in group.entries]
    outcomes = {goal.outcome for goal in goals if goal.actual is not None}
    keys: list[tuple[Rect | None, str, bool]] = [
        (Rect(0, 0, 0, 0, TARGET_FILL, TARGET_STROKE), "Target", False)
    ]
    if Outcome.MET in outcomes:
        keys.append((Rect(0, 0, 0, 0, OUTCOME_COLOURS[Outcome.MET]), "Actual, met ✓", False))
    if Outcome.MISSED in outcomes:
        keys.append((Rect(0, 0, 0, 0, OUTCOME_COLOURS[Outcome.MISSED]), "Actual, missed ✗", False))
    if Outcome.NO_TARGET in outcomes:
        keys.append((Rect(0, 0, 0, 0, NO_TARGET_FILL), "Actual (no target)", False))
    if any(goal.actual is None and goal.target is not None for goal in goals):
        keys.append((None, "… no result yet", False))
    if any(group.lower_is_better for group in groups):
        keys.append((None, "↓ lower is better", False))
    if len(campaigns) > 1:
        keys += [(None, f"{n}\t{title}", True) for n, title in enumerate(campaigns, start=1)]
    lines: list[list[Shape]] = [[]]
    size, line = style.label_size, style.legend_line
    swatch = size * 1.3
    x, y = 0.0, 0.0
    for rect, label, numbered in keys:
        # A campaign's key is its number (bold, as under its bars) and its title.
        number, _, label = label.partition("\t") if numbered else ("", "", label)
        lead = measure(number, size, True) + size * 0.5 if number else 0.0
        room = layout_width - (swatch + 4 if rect else 0) - lead
        text = elide(label, size, min(room, layout_width * 0.48), measure)
        width = (swatch + 4 if rect else 0) + lead + measure(text, size, False)
        if x > 0 and x + width > layout_width:
            x = 0.0
            lines.append([])
        shapes = lines[-1]
        baseline = y + line / 2 + size * 0.35 - 1
        if rect is not None:
            top = y + (line - swatch) / 2 - 1
            shapes.append(replace(rect, x=x, y=top, width=swatch, height=swatch))
            x += swatch + 4
        if number:
            shapes.append(Text(x, baseline, number, size, INK, bold=True))
            x += lead
        colour = LOWER_MARK if label.startswith("↓") else (INK if numbered else MUTED)
        shapes.append(Text(x, baseline, text, size, colour))
        x += measure(text, size, False) + size * 2
    # A band per line: a long list of campaigns can break across pages between lines.
    bands = [Band(line, tuple(shapes)) for shapes in lines]
    bands[-1] = replace(bands[-1], height=line + style.padding / 2)
    return bands


def _panel_width(group: MetricGroup, measure: Measure, style: ChartStyle) -> float:
    ticks = _ticks(group)
    axis = max(measure(compact_number(t), style.label_size, False) for t in ticks) + 6
    slot = 2 * style.bar_width + style.bar_gap + style.group_padding
    return max(style.min_panel_width, 2 * style.padding + axis + slot * len(group.entries))


def _ticks(group: MetricGroup) -> tuple[float, ...]:
    values = [0.0]
    for entry in group.entries:
        values += [v for v in (entry.goal.target, entry.goal.actual) if v is not None]
    return nice_ticks(min(values), max(values))


def _value_label(value: float, room: float, measure: Measure, size: float) -> str:
    for text in (format_number(value), compact_number(value)):
        if measure(text, size, False) <= room:
            return text
    return ""


def _panel(
    group: MetricGroup,
    x0: float,
    width: float,
    numbered: bool,
    measure: Measure,
    style: ChartStyle,
) -> tuple[list[Shape], list[Bar], tuple[float, ...], str]:
    """Shapes of one panel (band coordinates) and its bars (band coordinates too)."""
    pad, height = style.padding, style.panel_height
    shapes: list[Shape] = [Rect(x0, 0, width, height, "#ffffff", FRAME)]
    title = elide(group.metric, style.title_size, width - 2 * pad, measure, bold=True)
    shapes.append(Text(x0 + pad, pad + style.title_size, title, style.title_size, INK, bold=True))
    subtitle_y = pad + style.title_size + style.label_size + 4
    team = team_label(group.team)
    shapes.append(Text(x0 + pad, subtitle_y, team, style.label_size, MUTED))
    if group.lower_is_better:
        shapes.append(
            Text(
                x0 + pad + measure(team, style.label_size, False) + 6,
                subtitle_y,
                elide("↓ lower is better", style.label_size, width / 2, measure),
                style.label_size,
                LOWER_MARK,
                bold=True,
            )
        )
    ticks = _ticks(group)
    axis = max(measure(compact_number(t), style.label_size, False) for t in ticks) + 6
    # Room above the plot for a bar's value and its ✓/✗, below it for campaign numbers.
    top = subtitle_y + 6 + style.value_size * 2 + 6
    bottom = height - pad - (style.label_size + 4 if numbered else 0)
    left, right = x0 + pad + axis, x0 + width - pad
    low, high = ticks[0], ticks[-1]

    def at(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    for tick in ticks:
        y = at(tick)
        shapes.append(Line(left, y, right, y, AXIS if tick == 0 else GRID, 0.8 if tick else 1.0))
        shapes.append(
            Text(
                left - 4,
                y + style.label_size * 0.35,
                compact_number(tick),
                style.label_size,
                MUTED,
                "end",
            )
        )
    slot = (right - left) / len(group.entries)
    bar = min(style.bar_width, max(2.0, (slot - style.group_padding - style.bar_gap) / 2))
    bars: list[Bar] = []
    zero = at(0.0)
    for index, entry in enumerate(group.entries):
        goal = entry.goal
        middle = left + slot * (index + 0.5)
        starts = (middle - bar - style.bar_gap / 2, middle + style.bar_gap / 2)
        room = bar + style.bar_gap + min(style.group_padding, slot - 2 * bar - style.bar_gap) / 2
        roles: tuple[tuple[Literal["target", "actual"], float | None, float], ...] = (
            ("target", goal.target, starts[0]),
            ("actual", goal.actual, starts[1]),
        )
        for role, value, start in roles:
            centre = start + bar / 2
            if value is None:
                if role == "actual" and goal.target is not None:
                    shapes.append(
                        Text(
                            centre,
                            zero - 3,
                            Outcome.PENDING.symbol,
                            style.title_size,
                            MUTED,
                            "middle",
                            bold=True,
                        )
                    )
                continue
            y_top, y_bottom = sorted((at(value), zero))
            if y_bottom - y_top < 1:  # a zero still shows as a line on the axis
                y_top = zero - 1 if value >= 0 else zero
                y_bottom = y_top + 1
            if role == "target":
                fill, stroke, colour = TARGET_FILL, TARGET_STROKE, MUTED
            else:
                fill = (
                    NO_TARGET_FILL
                    if goal.outcome is Outcome.NO_TARGET
                    else OUTCOME_COLOURS[goal.outcome]
                )
                stroke, colour = None, INK
            shapes.append(Rect(start, y_top, bar, y_bottom - y_top, fill, stroke))
            bars.append(Bar(entry.campaign, goal, role, value, start, y_top, bar, y_bottom - y_top))
            label = _value_label(value, room, measure, style.value_size)
            label_y = y_top - 3 if value >= 0 else y_bottom + style.value_size + 2
            if label:
                shapes.append(Text(centre, label_y, label, style.value_size, colour, "middle"))
            symbol_fits = measure(goal.outcome.symbol, style.value_size + 1, True) <= room
            if role == "actual" and goal.outcome in (Outcome.MET, Outcome.MISSED) and symbol_fits:
                mark_y = label_y - style.value_size - 2 if value >= 0 else y_top - 3
                shapes.append(
                    Text(
                        centre,
                        mark_y,
                        goal.outcome.symbol,
                        style.value_size + 1,
                        OUTCOME_COLOURS[goal.outcome],
                        "middle",
                        bold=True,
                    )
                )
        if numbered and measure(str(entry.campaign), style.label_size, True) + 2 <= slot:
            shapes.append(
                Text(
                    middle,
                    height - pad,
                    str(entry.campaign),
                    style.label_size,
                    INK,
                    "middle",
                    bold=True,
                )
            )
    return shapes, bars, ticks, title


def layout_chart(
    campaigns: Sequence[Campaign],
    width: float,
    measure: Measure,
    style: ChartStyle | None = None,
    *,
    shared_only: bool = False,
) -> ChartLayout:
    """Lay out the chart of ``campaigns`` in ``width`` (legend first, then rows of panels).

    Panels keep the width their bars need and flow into rows; a row's spare width is
    shared out (up to a limit) so the panels fill it. Text is measured with ``measure``
    and shortened with an ellipsis where it would not fit, so any title prints inside its
    panel.
    """
    style = style or ChartStyle()
    groups = metric_groups(campaigns, shared_only=shared_only)
    titles = tuple(campaign.title for campaign in campaigns)
    if not groups:
        return ChartLayout(width, (), (), titles, (), 0)
    numbered = len(campaigns) > 1
    legend = _legend(width, titles, groups, measure, style)
    rows: list[list[tuple[MetricGroup, float]]] = [[]]
    used = 0.0
    for group in groups:
        natural = min(width, _panel_width(group, measure, style))
        if rows[-1] and used + style.gap + natural > width:
            rows.append([])
            used = 0.0
        used += (style.gap if rows[-1] else 0) + natural
        rows[-1].append((group, natural))
    bands: list[Band] = []
    tops: list[float] = []
    panels: list[Panel] = []
    top = 0.0
    for band in legend:
        bands.append(band)
        tops.append(top)
        top += band.height
    for row in rows:
        natural_total = sum(w for _, w in row)
        spare = width - natural_total - style.gap * (len(row) - 1)
        shapes: list[Shape] = []
        x = 0.0
        for group, natural in row:
            # Share out the row's spare width, but only so far: two bars in a page-wide
            # panel would read as two unrelated marks.
            panel_width = natural + min(spare * natural / natural_total, natural * 0.6)
            drawn, bars, ticks, title = _panel(group, x, panel_width, numbered, measure, style)
            shapes += drawn
            panels.append(
                Panel(
                    group,
                    x,
                    top,
                    panel_width,
                    style.panel_height,
                    ticks,
                    tuple(replace(b, y=b.y + top) for b in bars),
                    title,
                )
            )
            x += panel_width + style.gap
        band = Band(style.panel_height + style.gap, tuple(shapes))
        bands.append(band)
        tops.append(top)
        top += band.height
    return ChartLayout(width, tuple(bands), tuple(panels), titles, tuple(tops), len(legend))
