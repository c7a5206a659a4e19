"""Conflict findings as text for the command line: a readable table, or JSON for scripts."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence

from smarketing_desktop.services.conflicts import Finding

_ITEMS_WIDTH = 48


def _plain(text: str) -> str:
    """Text safe for a terminal: control characters (escape codes, NUL, newlines) shown
    as a replacement mark instead of acting on the terminal."""
    return "".join(
        " " if ch in "\n\t" else "\ufffd" if unicodedata.category(ch) == "Cc" else ch for ch in text
    )


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _dates(finding: Finding) -> str:
    start, end = finding.conflict.start, finding.conflict.end
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


def conflicts_table(findings: Sequence[Finding]) -> str:
    """A table (severity, rule, dates, items, message) and a one-line summary."""
    if not findings:
        return "No conflicts.\n"
    rows = [("SEVERITY", "RULE", "DATES", "ITEMS", "MESSAGE")]
    for finding in findings:
        conflict = finding.conflict
        message = conflict.message
        if finding.acknowledgement is not None:
            message += f" Acknowledged: {finding.acknowledgement.note}"
        rows.append(
            (
                conflict.severity,
                _plain(conflict.rule),
                _dates(finding),
                _shorten(_plain(" / ".join(finding.titles)), _ITEMS_WIDTH),
                _plain(message),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        for row in rows
    ]
    return "\n".join(lines) + "\n\n" + summary(findings) + "\n"


def summary(findings: Sequence[Finding]) -> str:
    """``3 conflicts: 1 error, 2 warnings (1 acknowledged).``"""
    errors = sum(1 for f in findings if f.conflict.severity == "error")
    warnings = len(findings) - errors
    acknowledged = sum(1 for f in findings if f.acknowledgement is not None)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    total = len(findings)
    text = f"{total} conflict{'s' if total != 1 else ''}: {', '.join(parts)}"
    if acknowledged:
        text += f" ({acknowledged} acknowledged)"
    return text + "."


def conflicts_json(findings: Sequence[Finding]) -> str:
    """A JSON array, one object per conflict: rule, severity, message, items (uids),
    titles, start, end (ISO dates), persona, acknowledged and note."""
    records = [
        {
            "rule": f.conflict.rule,
            "severity": f.conflict.severity,
            "message": f.conflict.message,
            "items": list(f.conflict.items),
            "titles": list(f.titles),
            "start": f.conflict.start.isoformat(),
            "end": f.conflict.end.isoformat(),
            "persona": f.conflict.persona,
            "acknowledged": f.acknowledgement is not None,
            "note": f.acknowledgement.note if f.acknowledgement is not None else None,
        }
        for f in findings
    ]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
