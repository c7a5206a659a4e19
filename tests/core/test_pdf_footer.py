"""PDF footers: the title on the left never runs into "Page N of M" on the right."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from smarketing_desktop.exchange.pdf import FONT, _fit, styles


def test_a_short_title_is_kept_whole() -> None:
    styles()  # registers the embedded font
    assert _fit("Sales and  marketing\nSLA", 400, 7.5) == "Sales and marketing SLA"


@given(st.text(min_size=1, max_size=300), st.floats(min_value=40, max_value=500))
def test_a_long_title_is_elided_to_the_room_left(text: str, room: float) -> None:
    styles()
    fitted = _fit(text, room, 7.5)
    assert pdfmetrics.stringWidth(fitted, FONT, 7.5) <= room
    assert fitted == " ".join(text.split()) or fitted.endswith("…")


def test_wide_letters_are_measured_not_counted() -> None:
    styles()
    fitted = _fit("W" * 95 + " · Version 1 · Out for signature", 450, 7.5)
    assert fitted.endswith("…") and pdfmetrics.stringWidth(fitted, FONT, 7.5) <= 450
