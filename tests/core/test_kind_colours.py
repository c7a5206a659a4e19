"""Kinds are told apart by colour in the views, the legend and the printout."""

from __future__ import annotations

import itertools
import math

from smarketing_desktop.domain.words import KIND_COLOURS, Kind


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _distance(a: str, b: str) -> float:
    """The "redmean" colour distance: cheap and close to how far apart people see them."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(a), _rgb(b)
    mean = (r1 + r2) / 2
    return math.sqrt(
        (2 + mean / 256) * (r1 - r2) ** 2
        + 4 * (g1 - g2) ** 2
        + (2 + (255 - mean) / 256) * (b1 - b2) ** 2
    )


def _contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_kind_has_a_colour_of_its_own() -> None:
    assert set(KIND_COLOURS) == set(Kind)
    closest = min(
        (_distance(KIND_COLOURS[a], KIND_COLOURS[b]), a.value, b.value)
        for a, b in itertools.combinations(Kind, 2)
    )
    assert closest[0] >= 100, closest


def test_white_titles_read_on_every_kind() -> None:
    assert all(_contrast_with_white(c) >= 3.0 for c in KIND_COLOURS.values())
