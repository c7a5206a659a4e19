"""What the painted calendar views are made of: shapes, slots, gestures and tooltips.

Plain records computed when a view is laid out (so the painter only paints), and the
hook through which the conflict checker marks items.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.spans import Span
from smarketing_desktop.domain.words import Kind
from smarketing_desktop.gui import zones

Key = tuple[str, str | None]


class ConflictMarks(Protocol):
    """What the conflict checker tells the views (the conflicts feature provides it)."""

    def badge(self, occurrence: Occurrence) -> str | None:
        """``"error"`` or ``"warning"`` (the worst open conflict), ``"acknowledged"`` when
        every conflict there is acknowledged (a grey badge), or None when there is none."""

    def explain(self, occurrence: Occurrence) -> str:
        """One sentence for the tooltip."""

    def preview(
        self,
        occurrence: Occurrence,
        start: dt.date,
        end: dt.date,
        start_time: dt.time | None,
        end_time: dt.time | None,
    ) -> list[str]:
        """The conflicts that dropping this occurrence on the span would make.

        For an occurrence of a series, only that occurrence moves ("this one only", the
        answer the drop's question offers first).
        """


def key(occurrence: Occurrence) -> Key:
    """What identifies one occurrence on the calendar (a series has many)."""
    return occurrence.uid, occurrence.recurrence_id


@dataclass(eq=False, slots=True)
class Shape:
    """One painted piece of an occurrence, in the content coordinates of its layer.

    A multi-day item is several shapes in the month (one per week row); only the piece
    that holds its first (last) day has a start (end) edge to drag.
    """

    occurrence: Occurrence
    rect: QRectF
    layer: int = 0
    style: str = "bar"  # "bar", "chip" (timed, in a day cell) or "block" (hour grid)
    starts_here: bool = False
    ends_here: bool = False
    cut_before: bool = False
    cut_after: bool = False
    text_outside: bool = False
    outside_room: float = 0.0  # how wide a title beside the bar may be (0: as wide as it is)
    times: str = ""
    lane: int = 0  # the row of bars it sits in (a ghost keeps it)
    path: QPainterPath | None = None  # the outline, kept from the first paint

    @property
    def key(self) -> Key:
        return key(self.occurrence)


@dataclass(frozen=True, slots=True)
class Slot:
    """The place under the pointer: a day and, on the hour grid, minutes after midnight."""

    day: dt.date
    minutes: float | None = None


@dataclass(frozen=True, slots=True)
class MoreMark:
    """A "+N more" label: the day it belongs to and how many items it hides."""

    rect: QRectF
    day: dt.date
    count: int
    layer: int = 0


@dataclass(slots=True)
class Drag:
    """A gesture in progress: from the press until the release (or Escape)."""

    mode: str  # "move", "start", "end" (edges) or "create"
    press: QPointF
    origin: Slot
    shape: Shape | None
    items: list[Occurrence]
    active: bool = False
    slot: Slot | None = None
    spans: dict[Key, Span] = field(default_factory=dict)
    create: Span | None = None
    messages: list[str] = field(default_factory=list)
    delta: tuple[int, int] = (0, 0)  # days, minutes of a move


def kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind._value2member_map_ else kind


def describe(occurrence: Occurrence) -> str:
    return Span.of(occurrence).describe()


def tooltip_html(occurrence: Occurrence, explanation: str = "") -> str:
    """Title, when, kind, team, owner and status; user text shown literally."""
    facts = [kind_label(occurrence.kind), occurrence.team.capitalize()]
    if occurrence.owner_name:
        facts.append(occurrence.owner_name)
    status = [f"Status: {occurrence.status.capitalize()}"]
    if occurrence.impact == "big":
        status.append("★ Big impact")
    if occurrence.recurring:
        status.append("↻ Repeats")
    lines = [
        f"<b>{html.escape(occurrence.title)}</b>",
        html.escape(describe(occurrence)),
    ]
    own = zones.own_zone_text(occurrence)
    if own:
        lines.append(html.escape(own))
    lines += [
        html.escape(" · ".join(facts)),
        html.escape(" · ".join(status)),
    ]
    if explanation:
        lines.append(f"<span style='color:#c92a2a'>⚠ {html.escape(explanation)}</span>")
    return "<p style='white-space:pre'>" + "<br>".join(lines) + "</p>"
