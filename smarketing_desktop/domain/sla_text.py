"""Words about SLAs for people: recurrence in plain language, and what changed between versions."""

from __future__ import annotations

from typing import Any

from smarketing_desktop.domain.repeat import recurrence_phrase


def _number(value: Any, limit: int = 60) -> str:
    """A value as the history shows it: whole floats without ``.0``, long text shortened."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None or value == "":
        return "—"
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keyed(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        name = str(row.get(key) or f"#{index + 1}")
        while name in result:
            name += " (again)"
        result[name] = row
    return result


def _list_changes(
    label: str, old: list[dict[str, Any]], new: list[dict[str, Any]], key: str
) -> list[str]:
    changes: list[str] = []
    before, after = _keyed(old, key), _keyed(new, key)
    for name in before.keys() - after.keys():
        changes.append(f"{label} “{name}” removed")
    for name in after.keys() - before.keys():
        changes.append(f"{label} “{name}” added")
    for name in before.keys() & after.keys():
        for field, value in after[name].items():
            if field != key and before[name].get(field) != value:
                changes.append(
                    f"{label} “{name}”: {field.replace('_', ' ')} "
                    f"{_number(before[name].get(field))} → {_number(value)}"
                )
    if not changes and [r.get(key) for r in old] != [r.get(key) for r in new]:
        changes.append(f"{label}s reordered")
    return sorted(changes)


_FIELDS = {
    "title": "Title",
    "effective": "Effective date",
    "ends": "End date",
    "escalation": "Escalation path",
}
_REVIEW_FIELDS = {
    "start": "first meeting",
    "tz": "time zone",
    "duration_minutes": "length in minutes",
    "rrule": "recurrence",
    "location": "location",
}


def _review_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    if (old or {}) == (new or {}):
        return []
    if not old or not old.get("start"):
        return ["Review meetings scheduled"]
    if not new or not new.get("start"):
        return ["Review meetings cancelled"]
    return [
        f"Reviews: {label} {_review_value(key, old.get(key))} → {_review_value(key, new.get(key))}"
        for key, label in _REVIEW_FIELDS.items()
        if old.get(key) != new.get(key)
    ]


def _review_value(key: str, value: Any) -> str:
    if key == "rrule":
        return recurrence_phrase(value)
    if key == "start" and isinstance(value, str):
        return value.replace("T", " ")[:16]
    return "—" if value in (None, "") else str(value)


def _rows(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = document.get(key)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per change between two versions of an SLA document, for the history.

    Snapshots are read leniently: a part missing from an older one counts as empty.
    """
    changes = [
        f"{label}: {_number(old.get(field))} → {_number(new.get(field))}"
        for field, label in _FIELDS.items()
        if old.get(field) != new.get(field)
    ]
    changes += _list_changes("Party", _rows(old, "parties"), _rows(new, "parties"), "team")
    changes += _list_changes(
        "Lead definition", _rows(old, "lead_definitions"), _rows(new, "lead_definitions"), "term"
    )
    changes += _list_changes(
        "Commitment", _rows(old, "commitments"), _rows(new, "commitments"), "metric"
    )
    changes += _list_changes("Section", _rows(old, "sections"), _rows(new, "sections"), "heading")
    signers_old = [
        {k: v for k, v in s.items() if k != "signed_on"} for s in _rows(old, "signatories")
    ]
    signers_new = [
        {k: v for k, v in s.items() if k != "signed_on"} for s in _rows(new, "signatories")
    ]
    changes += _list_changes("Signatory", signers_old, signers_new, "name")
    changes += _review_changes(old.get("reviews"), new.get("reviews"))
    return changes
