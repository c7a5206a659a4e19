"""One reading of typed numbers for every number field (actuals, targets, SLA tables)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smarketing_desktop.domain.numbers import parse_number
from smarketing_desktop.errors import ValidationError


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("12.5", ".", 12.5),
        ("12,5", ".", 12.5),
        ("12,5", ",", 12.5),
        ("12.5", ",", 12.5),
        ("4,630", ".", 4630),
        ("4,630", ",", 4.63),  # ambiguous: the locale's decimal mark decides
        ("4.630", ",", 4630),
        ("4.630", ".", 4.63),
        ("1,234,567", ",", 1234567),
        ("1.234.567", ".", 1234567),
        ("1,234.5", ",", 1234.5),
        ("1.234,5", ".", 1234.5),
        ("4 630", ".", 4630),
        ("4\u202f630,5", ",", 4630.5),
        ("-3", ".", -3),
        ("+7", ".", 7),
        (".5", ".", 0.5),
        ("1e3", ".", 1000),
        ("", ".", None),
        ("   ", ",", None),
    ],
)
def test_numbers_read_as_people_type_them(text: str, decimal: str, value: float | None) -> None:
    assert parse_number(text, decimal=decimal) == value


@pytest.mark.parametrize(
    "text",
    ["1,2,3", "1.2.3", "1,23.4,5", "1.2,3.4", "abc", "--1", "nan", "inf", "12 %", "\x00", "=1+1"],
)
def test_what_is_not_a_number_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(ValidationError, match="is not a number") as error:
        parse_number(text, what="Target")
    assert error.value.path == "Target"


def test_a_number_too_large_is_refused() -> None:
    with pytest.raises(ValidationError, match="too large"):
        parse_number("1e999")


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.sampled_from([".", ","]),
)
def test_a_number_written_in_either_locale_reads_back(value: float, decimal: str) -> None:
    text = f"{value:.4f}"
    typed = text.replace(".", decimal)
    assert parse_number(typed, decimal=decimal) == pytest.approx(float(text))


@given(st.text(max_size=30), st.sampled_from([".", ","]))
def test_any_text_is_a_number_nothing_or_refused(text: str, decimal: str) -> None:
    try:
        value = parse_number(text, decimal=decimal)
    except ValidationError:
        return
    assert value is None or math.isfinite(value)
