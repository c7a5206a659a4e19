"""The review table as CSV for spreadsheets, safe against formula injection."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from pathlib import Path

from smarketing_desktop.domain.review import GoalRow
from smarketing_desktop.domain.words import Kind, Team
from smarketing_desktop.exchange.files import write_atomically

HEADER = [
    "Campaign",
    "Kind",
    "Start",
    "End",
    "Personas",
    "Team",
    "Metric",
    "Target",
    "Actual",
    "Better",
    "Result",
    "Entered by",
    "Entered on",
]
# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage
# return too, per OWASP's CSV injection advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain negative number ("-3", "-12.5") cannot call anything; left alone it stays a
# number that sums and sorts in the spreadsheet.
_PLAIN_NEGATIVE = re.compile(r"-[0-9]+(\.[0-9]+)?")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula start."""
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NEGATIVE.fullmatch(text):
        return "'" + text
    return text


def _cell(text: str) -> str:
    # NUL cannot be typed or imported, but a spreadsheet would cut the row at one.
    return neutralise(text.replace("\x00", ""))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _label(value: str, words: type[Kind] | type[Team]) -> str:
    return words(value).label if value in words._value2member_map_ else value


def review_csv(rows: Iterable[GoalRow]) -> str:
    """CSV text (RFC 4180 quoting, CRLF line ends) of the review rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        text = [
            row.title,
            _label(row.kind, Kind),
            row.start.isoformat(),
            row.end.isoformat(),
            "; ".join(row.personas),
            _label(row.team, Team),
            row.metric,
        ]
        numbers = [_number(row.target), _number(row.actual)]
        entered = [_cell(row.results_by or ""), _iso(row.results_on)]
        writer.writerow([*map(_cell, text), *numbers, row.better, row.outcome.label, *entered])
    return buffer.getvalue()


def write_review_csv(rows: Iterable[GoalRow], path: Path) -> None:
    # A BOM lets Excel detect UTF-8; other spreadsheets ignore it.
    write_atomically(path, ("\ufeff" + review_csv(rows)).encode("utf-8"))
