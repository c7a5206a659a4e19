"""The review table as CSV for spreadsheets, safe against formula injection."""

from __future__ import annotations

import csv
import io
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
]
# A spreadsheet runs a cell that starts with one of these as a formula (tab and carriage
# return too, per OWASP's CSV injection advice).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula start."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


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
        writer.writerow([*map(neutralise, text), *numbers, row.better, row.outcome.label])
    return buffer.getvalue()


def write_review_csv(rows: Iterable[GoalRow], path: Path) -> None:
    # A BOM lets Excel detect UTF-8; other spreadsheets ignore it.
    write_atomically(path, ("\ufeff" + review_csv(rows)).encode("utf-8"))
