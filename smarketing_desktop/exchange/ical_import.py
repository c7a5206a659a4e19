"""iCalendar import into a plan: add new events, update known ones, leave the rest.

Reading (``ical_read``) and writing are separate steps, so the app can show what an
import will do before anything is written (:func:`preview`) and then do it
(:func:`apply`) in one transaction: all files or none. Re-importing a file updates
instead of duplicating, and an item's SEQUENCE grows only when its event really changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop.collector import collector_paused
from smarketing_desktop.domain.recurrence import series_end
from smarketing_desktop.domain.words import Impact, Kind, Status, Team
from smarketing_desktop.exchange.ical_export import GOAL_KEYS, ICAL_STATUS
from smarketing_desktop.exchange.ical_read import (
    IcsEvent,
    IcsFiles,
    Moment,
    Progress,
    Record,
    SkippedEvent,
    canonical_rrule,
    read_ics_files,
)
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

_CHUNK = 500
_DTSTAMP_LINE = re.compile(r"^DTSTAMP[;:][^\r\n]*(\r\n|\n|\r)?", re.IGNORECASE | re.MULTILINE)
_LAST_MODIFIED = re.compile(
    r"^LAST-MODIFIED[^:\r\n]*:(\d{8}T\d{6}Z)\s*$", re.IGNORECASE | re.MULTILINE
)
KEPT = "kept: changed here since this file was written"


@dataclass(frozen=True, slots=True)
class Decision:
    """What an import does with one event: ``added``, ``updated``, ``unchanged`` or
    ``kept`` (the item was changed here since the file was written)."""

    uid: str
    title: str
    action: str
    file: str
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class IcsImportReport:
    """How many events an import adds, updates, leaves unchanged and skips (and why)."""

    decisions: list[Decision] = field(default_factory=list)
    skipped: list[SkippedEvent] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for d in self.decisions if d.action == action)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def kept(self) -> int:
        return self._count("kept")

    @property
    def skipped_count(self) -> int:
        """Events left out: unreadable ones, and those changed here since (``kept``)."""
        return len(self.skipped) + self.kept

    @property
    def notes(self) -> list[str]:
        return [f"{d.file}: “{d.title}”: {note}" for d in self.decisions for note in d.notes]

    @property
    def empty_files(self) -> list[str]:
        """The files that hold no event at all."""
        seen = {d.file for d in self.decisions} | {s.file for s in self.skipped}
        return [name for name in self.files if name not in seen]

    def reasons(self) -> list[str]:
        """Every skipped event and every remark on an imported one, one line each, and
        each file without events."""
        empty = [f"{name}: there are no events in this file" for name in self.empty_files]
        return [str(s) for s in self.skipped] + self.notes + empty

    def summary(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.skipped_count} skipped"
        )
        remarks = len(self.reasons())
        if remarks:
            text += f" ({remarks} remark{'s' if remarks != 1 else ''})"
        return text


# The GUI's preview is the report of an import that has not been written yet.
ImportPreview = IcsImportReport

# ---------------------------------------------------------------------------------------
# Writing: add, update or leave alone


def _strip_stamp(text: str | None) -> str | None:
    return None if text is None else _DTSTAMP_LINE.sub("", text)


def _canonical_moments(values: Iterable[Any], start: Moment) -> list[str]:
    result = set()
    for value in values:
        text = str(value)
        try:
            moment: Moment = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            result.add(text)
            continue
        if isinstance(start, dt.datetime):
            if not isinstance(moment, dt.datetime):
                moment = dt.datetime.combine(moment, start.time())
            moment = moment.replace(tzinfo=None)
        elif isinstance(moment, dt.datetime):
            moment = moment.date()
        result.add(moment.isoformat())
    return sorted(result)


def _start_of(record: Record | models.Item) -> Moment | None:
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k)
    day, time = get("start_date"), get("start_time")
    if day is None:
        return None
    return day if time is None else dt.datetime.combine(day, time)


def _safe_rrule(text: str | None, start: Moment | None) -> str | None:
    if not text or start is None:
        return text
    try:
        return canonical_rrule(text, start)
    except Exception:  # a rule that does not parse compares as its text
        return text


def _overrides_of(values: Iterable[Record], title: str) -> list[tuple[Any, ...]]:
    return sorted(
        (
            str(o["recurrence_id"]),
            o["start_date"],
            o["start_time"],
            o["end_date"],
            o["end_time"],
            None if o["title"] == title else o["title"],
        )
        for o in values
    )


_OVERRIDE_KEYS = ("recurrence_id", "start_date", "start_time", "end_date", "end_time", "title")
_SIMPLE = ("title", "description", "location", "url", "start_date", "start_time", "end_date",
           "end_time", "tz")  # fmt: skip


_LINK_COLUMNS = ("owner_id", "channels")


def _goals_of(row: models.Item) -> list[Record]:
    return [{k: getattr(g, k) for k in GOAL_KEYS} for g in row.goals]


def _changes(row: models.Item, event: IcsEvent) -> dict[str, Any]:
    """What ``event`` changes on ``row``: columns, and "overrides"/"personas"/"goals"."""
    record = event.record
    changes: dict[str, Any] = {k: record[k] for k in _SIMPLE if getattr(row, k) != record[k]}
    if row.start_time is None and record["start_time"] is None:
        changes.pop("tz", None)  # all-day items have no zone
    if event.kind and row.kind != event.kind:
        changes["kind"] = event.kind
    if event.team and row.team != event.team:
        changes["team"] = event.team
    if event.impact and row.impact != event.impact:
        changes["impact"] = event.impact
    # TENTATIVE is "idea" or "planned": only a different iCalendar status is a change.
    if (
        event.status
        and row.status != event.status
        and (event.own or ICAL_STATUS.get(row.status) != ICAL_STATUS.get(event.status))
    ):
        changes["status"] = event.status
    new_start, old_start = _start_of(record), _start_of(row)
    if _safe_rrule(row.rrule, old_start) != _safe_rrule(record["rrule"], new_start):
        changes["rrule"] = record["rrule"]
    for key in ("exdates", "rdates"):
        old = _canonical_moments(getattr(row, key) or [], old_start) if old_start else []
        new = _canonical_moments(record[key], new_start) if new_start else []
        if old != new:
            changes[key] = record[key]
    stored = [{k: getattr(o, k) for k in _OVERRIDE_KEYS} for o in row.overrides]
    if _overrides_of(stored, row.title) != _overrides_of(record["overrides"], record["title"]):
        changes["overrides"] = record["overrides"]
    if not event.own and _strip_stamp(row.source_ical) != _strip_stamp(record["source_ical"]):
        changes["source_ical"] = record["source_ical"]
    links = event.links
    if links:
        # Only the app's own exports say who owns an item and whom it targets; another
        # program's event leaves what the user set here alone.
        for key in _LINK_COLUMNS:
            if getattr(row, key) != links[key]:
                changes[key] = links[key]
        if [link.persona_id for link in row.persona_links] != links["personas"]:
            changes["personas"] = links["personas"]
        if _goals_of(row) != links["goals"]:
            changes["goals"] = links["goals"]
    return changes


def _last_modified(text: str | None) -> str | None:
    """The first LAST-MODIFIED of a VEVENT's text, as ``YYYYMMDDTHHMMSSZ`` (sorts as time)."""
    found = _LAST_MODIFIED.search(text) if text else None
    return found.group(1) if found else None


def _older(event: IcsEvent, row: models.Item) -> bool:
    """True when ``event`` is an older version than the item: the item was changed here
    (every change grows its SEQUENCE) since the file was written.

    Another calendar may edit an event without growing its SEQUENCE (Google does for a new
    title) while each import that changes the item grows the item's: such an event still
    counts as newer when its LAST-MODIFIED is later than that of the copy imported last.
    """
    if event.sequence >= row.sequence:
        return False
    if event.own:
        return True
    new, old = _last_modified(event.record["source_ical"]), _last_modified(row.source_ical)
    return new is None or old is None or new <= old


def _set(row: models.Item, values: Record) -> None:
    children = {k: values[k] for k in ("overrides", "personas", "goals") if k in values}
    for key, value in values.items():
        if key not in children:
            setattr(row, key, value)
    if "overrides" in children:
        row.overrides = [models.ItemOverride(**o) for o in children["overrides"]]
    if "personas" in children:
        row.persona_links = [
            models.ItemPersona(persona_id=persona, position=n)
            for n, persona in enumerate(children["personas"])
        ]
    if "goals" in children:
        row.goals = [models.ItemGoal(position=n, **g) for n, g in enumerate(children["goals"])]


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing(session: Session, uids: list[str], *, full: bool) -> dict[str, models.Item]:
    options = [selectinload(models.Item.overrides)]
    if full:
        options += [selectinload(models.Item.persona_links), selectinload(models.Item.goals)]
    found: dict[str, models.Item] = {}
    for chunk in _chunks(uids):
        rows = session.scalars(
            select(models.Item).where(models.Item.uid.in_(chunk)).options(*options)
        )
        found.update((row.uid, row) for row in rows)
    return found


def _known(session: Session, column: Any, wanted: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _effective_links(session: Session, events: list[IcsEvent]) -> dict[str, Record]:
    """The links of own events, without people and personas this plan does not have."""
    own = [e for e in events if e.links]
    if not own:
        return {}
    people = _known(session, models.Person.id, {e.links["owner_id"] for e in own} - {None})
    personas = _known(session, models.Persona.id, {p for e in own for p in e.links["personas"]})
    result = {}
    for event in own:
        links = dict(event.links)
        owner = links["owner_id"]
        if owner is not None and owner not in people:
            links["owner_id"] = None
            event.notes.append(f"its owner (id “{owner}”) is not in this plan; left without one")
        missing = [p for p in links["personas"] if p not in personas]
        if missing:
            links["personas"] = [p for p in links["personas"] if p in personas]
            event.notes.append(f"personas not in this plan were left out: {', '.join(missing)}")
        result[event.uid] = links
    return result


def _new_row(event: IcsEvent, parsed: IcsFiles, links: Record, now: dt.datetime) -> Record:
    record = event.record
    return {
        **{k: v for k, v in record.items() if k != "overrides"},
        "kind": event.kind or parsed.kind,
        "team": event.team or parsed.team,
        "impact": event.impact or Impact.MEDIUM.value,
        "status": event.status or Status.PLANNED.value,
        "owner_id": links.get("owner_id"),
        "channels": links.get("channels", []),
        "stage": None,
        "signoff_marketing": False,
        "signoff_sales": False,
        # Bulk inserts skip ORM events, so the derived column is filled here.
        "series_end": series_end(
            record["start_date"],
            record["start_time"],
            record["end_date"],
            record["rrule"],
            record["rdates"],
        ),
        "sequence": event.sequence,
        "version": 1,
        "created_at": event.created or now,
        "updated_at": now,
    }


def _insert(
    session: Session, events: list[IcsEvent], parsed: IcsFiles, links: dict[str, Record]
) -> None:
    """Insert new items in bulk (a unit of work per row costs several times more)."""
    now = models.utcnow()
    rows = [_new_row(event, parsed, links.get(event.uid, {}), now) for event in events]
    # Plain executemany on the tables, then the ids in a few queries: RETURNING in
    # parameter order makes SQLAlchemy insert row by row on SQLite, several times slower,
    # and the ORM's bulk path took a tenth of a 10,000-event import for nothing it adds
    # here (the rows are complete; bulk inserts skip ORM events anyway).
    for chunk in _chunks(rows):
        session.execute(insert(cast(Table, models.Item.__table__)), chunk)
    ids: dict[str, int] = {}
    for uids in _chunks([event.uid for event in events]):
        query = select(models.Item.uid, models.Item.id).where(models.Item.uid.in_(uids))
        ids.update({uid: item_id for uid, item_id in session.execute(query)})
    children: list[tuple[Any, list[Record]]] = [
        (models.ItemOverride, []),
        (models.ItemPersona, []),
        (models.ItemGoal, []),
    ]
    for event in events:
        item_id = ids[event.uid]
        own = links.get(event.uid, {})
        children[0][1].extend({"item_id": item_id, **o} for o in event.record["overrides"])
        children[1][1].extend(
            {"item_id": item_id, "persona_id": p, "position": n}
            for n, p in enumerate(own.get("personas", []))
        )
        children[2][1].extend(
            {"item_id": item_id, "position": n, **g} for n, g in enumerate(own.get("goals", []))
        )
    for model, values in children:
        for chunk in _chunks(values):
            session.execute(insert(model.__table__), chunk)


def write_events(session: Session, parsed: IcsFiles, *, dry_run: bool = False) -> IcsImportReport:
    """Add or update the items of ``parsed`` within the caller's transaction.

    With ``dry_run`` nothing is changed: the report says what an import would do.
    """
    report = IcsImportReport(skipped=list(parsed.skipped), files=list(parsed.files))
    links = _effective_links(session, parsed.events)
    existing = _existing(session, [event.uid for event in parsed.events], full=True)
    new: list[IcsEvent] = []
    for event in parsed.events:
        row = existing.get(event.uid)
        notes = tuple(dict.fromkeys(event.notes))
        if row is None:
            new.append(event)
            report.decisions.append(Decision(event.uid, event.title, "added", event.file, notes))
            continue
        if event.links:
            event = replace(event, links=links[event.uid])
        changes = _changes(row, event)
        if changes and _older(event, row):
            report.decisions.append(
                Decision(event.uid, event.title, "kept", event.file, (*notes, KEPT))
            )
            continue
        action = "updated" if changes else "unchanged"
        report.decisions.append(Decision(event.uid, event.title, action, event.file, notes))
        if dry_run or not changes:
            continue
        _set(row, changes)
        if event.sequence > row.sequence + 1:
            # The calendar it came from counted further: take its count over (the
            # store's hook grows SEQUENCE by one otherwise).
            row.sequence = event.sequence
    if dry_run:
        return report
    session.flush()
    if new:
        _insert(session, new, parsed, links)
    return report


def preview(
    plan: Plan,
    files: Iterable[Path],
    *,
    kind: str = Kind.OTHER.value,
    team: str = Team.MARKETING.value,
    progress: Progress | None = None,
) -> tuple[IcsFiles, ImportPreview]:
    """Read ``files`` and say what importing them would do, without writing anything.

    Returns the files' content (hand it to :func:`apply`) and the preview report.

    Raises:
        UserError: a file cannot be read (nothing would be imported).
    """
    parsed = read_ics_files(files, kind=kind, team=team, progress=progress)
    return parsed, preview_parsed(plan, parsed)


def preview_parsed(plan: Plan, parsed: IcsFiles) -> ImportPreview:
    """What importing ``parsed`` would do now, without writing anything."""
    with plan.read() as session:
        return write_events(session, parsed, dry_run=True)


def apply(plan: Plan, parsed: IcsFiles) -> IcsImportReport:
    """Import what :func:`preview` read, in one transaction (all or nothing)."""
    with plan.write() as session, collector_paused():
        return write_events(session, parsed)


def import_ics(
    plan: Plan,
    files: Iterable[Path],
    *,
    kind: str = Kind.OTHER.value,
    team: str = Team.MARKETING.value,
) -> IcsImportReport:
    """Read ``files`` and import them into ``plan`` in one transaction."""
    return apply(plan, read_ics_files(files, kind=kind, team=team))


__all__ = [
    "Decision",
    "IcsFiles",
    "IcsImportReport",
    "ImportPreview",
    "apply",
    "import_ics",
    "preview",
    "preview_parsed",
    "read_ics_files",
    "write_events",
]
