"""Changing items: create, edit, move, resize, schedule, delete, duplicate, paste.

Items travel between these services and their callers in the plan-exchange shape (a plain
dict, see docs/plan-format.md) with ``row_version`` for the optimistic check, as personas
and SLAs do. Each function is one transaction.

Undo works on whole-item states: :func:`item_states` reads the exact state of some items
(``None`` for one that does not exist) and :func:`restore_states` puts such states back,
refusing if an item was changed elsewhere in between. A GUI command takes the states
before and after its change and swaps between them, whatever the change was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop.domain.recurrence import shift_rule
from smarketing_desktop.errors import (
    ConcurrentEditError,
    NotFoundError,
    UserError,
    ValidationError,
)
from smarketing_desktop.exchange.plan_json import (
    export_item,
    read_item_document,
    write_item_records,
)
from smarketing_desktop.services.common import check_version
from smarketing_desktop.services.slas import review_item_uid
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

Document = dict[str, Any]
UID_DOMAIN = "smarketing.app"


def new_uid() -> str:
    """A globally unique, stable item uid (it becomes the iCalendar UID)."""
    return f"{uuid.uuid4()}@{UID_DOMAIN}"


def _load(session: Session, uids: Iterable[str]) -> dict[str, models.Item]:
    wanted = list(dict.fromkeys(uids))
    rows: dict[str, models.Item] = {}
    for start in range(0, len(wanted), 500):
        found = session.scalars(
            select(models.Item)
            .where(models.Item.uid.in_(wanted[start : start + 500]))
            .options(
                selectinload(models.Item.goals),
                selectinload(models.Item.overrides),
                selectinload(models.Item.persona_links),
                selectinload(models.Item.retrospectives),
            )
        )
        rows.update((row.uid, row) for row in found)
    return rows


def _row(session: Session, uid: str) -> models.Item:
    row = _load(session, [uid]).get(uid)
    if row is None:
        raise NotFoundError("This item no longer exists; it was deleted in the meantime.")
    return row


def _document(row: models.Item) -> Document:
    return {**export_item(row), "row_version": row.version}


def get_item(plan: Plan, uid: str) -> Document:
    """One item in the exchange shape, with ``row_version``."""
    with plan.read() as session:
        return _document(_row(session, uid))


@dataclass(frozen=True, slots=True)
class Manager:
    """The SLA whose review meetings an item is: the app keeps that item in step with the
    agreement, so it is edited there, not on the calendar."""

    sla_id: str
    sla_title: str


def managed_by(plan: Plan, uid: str) -> Manager | None:
    """The SLA that keeps item ``uid`` (its review meetings), or None for a user's item."""
    prefix, _, suffix = review_item_uid("\x00").partition("\x00")
    if not (uid.startswith(prefix) and uid.endswith(suffix)):
        return None
    sla_id = uid[len(prefix) : len(uid) - len(suffix)]
    with plan.read() as session:
        title = session.scalar(select(models.Sla.title).where(models.Sla.id == sla_id))
    return Manager(sla_id, title) if title is not None else None


# --- whole-item states, for undo ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemState:
    """An item exactly as stored (``document`` None: it does not exist).

    ``sequence`` is its iCalendar SEQUENCE then, which a restore never lowers.
    """

    document: Document | None
    sequence: int = 0


def item_states(plan: Plan, uids: Iterable[str]) -> dict[str, ItemState]:
    """The current state of each item of ``uids`` (missing ones as ``ItemState(None)``)."""
    uids = list(dict.fromkeys(uids))
    with plan.read() as session:
        rows = _load(session, uids)
        return {
            uid: ItemState(export_item(row), row.sequence)
            if (row := rows.get(uid))
            else ItemState(None)
            for uid in uids
        }


def restore_states(
    plan: Plan, states: Mapping[str, ItemState], expected: Mapping[str, ItemState]
) -> None:
    """Put items back into ``states`` (deleting those whose document is None).

    Args:
        states: The states to restore, by uid.
        expected: The state each item must be in now, so an undo never overwrites a
            change made in another window in between. Content is compared, not version
            counters: an undone item is the same item again, while its counter only grows.

    Raises:
        ConcurrentEditError: an item changed elsewhere since.
        ValidationError: an owner or persona the state refers to was deleted since.
    """
    with plan.write() as session:
        rows = _load(session, states)
        for uid in states:
            row = rows.get(uid)
            now = export_item(row) if row is not None else None
            if now != expected[uid].document:
                raise ConcurrentEditError(
                    "This was changed in another window or by another command in the "
                    "meantime, so it cannot be undone or redone."
                )
        sequences = {uid: row.sequence for uid, row in rows.items()}
        for uid, state in states.items():
            row = rows.get(uid)
            if state.document is None and row is not None:
                session.delete(row)
        session.flush()
        records = [
            read_item_document(state.document, f"items[{n}]")
            for n, state in enumerate(states.values())
            if state.document is not None
        ]
        write_item_records(session, records)
        session.flush()
        for uid, row in _load(session, [r["uid"] for r in records]).items():
            # SEQUENCE only ever grows, so calendars that subscribed see every undo too.
            row.sequence = max(states[uid].sequence, sequences.get(uid, 0)) + 1


# --- creating and editing --------------------------------------------------------------


def check_item(document: Document) -> None:
    """Check an item as the dialog holds it, before anything is stored.

    Raises:
        ValidationError: naming the bad field (``item.end: is before its start``).
    """
    # A new item gets its uid when stored; any uid will do for the check.
    read_item_document({**document, "uid": document.get("uid") or "new@check"})


def create_item(plan: Plan, document: Document) -> Document:
    """Store a new item (an empty or missing ``uid`` gets a new one).

    Raises:
        ValidationError: naming the bad field (``item.title: must not be empty``).
    """
    document = {**document, "uid": document.get("uid") or new_uid()}
    document.pop("row_version", None)
    record = read_item_document(document)
    with plan.write() as session:
        if session.scalar(select(models.Item.id).where(models.Item.uid == record["uid"])):
            raise ValidationError("item.uid", f"{record['uid']!r} is already taken")
        write_item_records(session, [record])
        session.flush()
        return _document(_row(session, record["uid"]))


def save_item(plan: Plan, document: Document) -> Document:
    """Save every field of an edited item; refuses a stale copy.

    Raises:
        ValidationError: naming the bad field.
        ConcurrentEditError: changed elsewhere since ``row_version``.
    """
    record = read_item_document({k: v for k, v in document.items() if k != "row_version"})
    with plan.write() as session:
        row = _row(session, record["uid"])
        check_version(row.version, int(document.get("row_version", row.version)))
        write_item_records(session, [record])
        session.flush()
        return _document(row)


# --- moving and resizing --------------------------------------------------------------


def _naive(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=None)


def shift_document(document: Document, *, days: int = 0, minutes: int = 0) -> Document:
    """A copy of an item (exchange shape) moved by ``days`` and ``minutes``, series included.

    Timed moments move by both; days without a time by whole days only (``minutes`` is
    ignored for an all-day item, so a drag of 1 day and -30 minutes still moves it a day).
    A series' rule moves along (its weekdays, days of the month and UNTIL, see
    :func:`~smarketing_desktop.domain.recurrence.shift_rule`), as do its skipped, extra
    and moved dates, so every exception stays on an occurrence the series still has.
    """
    start = document.get("start")
    if not start or not (days or minutes):
        return dict(document)
    timed = "T" in str(start)
    delta = dt.timedelta(days=days, minutes=minutes) if timed else dt.timedelta(days=days)
    old_start = _naive(str(start))
    new_start = old_start + delta
    # Dates without a time in a timed series follow the day the start lands on.
    day_delta = dt.timedelta(days=(new_start.date() - old_start.date()).days)

    def move(text: str) -> str:
        if "T" in text:
            return (dt.datetime.fromisoformat(text) + delta).isoformat()
        return (dt.date.fromisoformat(text) + day_delta).isoformat()

    result = dict(document)
    for key in ("start", "end"):
        if result.get(key):
            result[key] = move(str(result[key]))
    if result.get("rrule"):
        result["rrule"] = shift_rule(str(result["rrule"]), old_start, new_start)
    result["exdates"] = [move(str(v)) for v in result.get("exdates") or []]
    result["rdates"] = [move(str(v)) for v in result.get("rdates") or []]
    result["overrides"] = [
        {
            **o,
            "recurrence_id": move(str(o["recurrence_id"])),
            "start": move(str(o["start"])),
            "end": move(str(o["end"])),
        }
        for o in result.get("overrides") or []
    ]
    return result


def shift_items(plan: Plan, uids: Sequence[str], *, days: int = 0, minutes: int = 0) -> None:
    """Move items (whole series included) by the same amount, keeping their durations.

    All-day items move by whole days (``minutes`` is ignored for them).

    Raises:
        UserError: an item is not on the calendar.
        NotFoundError: an item was deleted in the meantime.
    """
    if not (days or minutes):
        return
    with plan.write() as session:
        rows = _load(session, uids)
        records = []
        for n, uid in enumerate(dict.fromkeys(uids)):
            row = rows.get(uid)
            if row is None:
                raise NotFoundError("An item no longer exists; it was deleted in the meantime.")
            if row.start_date is None:
                raise UserError(f"“{row.title}” is not on the calendar yet; schedule it first.")
            moved = shift_document(export_item(row), days=days, minutes=minutes)
            records.append(read_item_document(moved, f"items[{n}]"))
        # Writing the moved records raises each item's SEQUENCE.
        write_item_records(session, records)


def _combine(day: dt.date, time: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time.min)


def _check_span(
    start: dt.date, end: dt.date, start_time: dt.time | None, end_time: dt.time | None
) -> None:
    if (start_time is None) != (end_time is None):
        raise ValidationError("item.end", "start and end must both have a time, or neither")
    if _combine(end, end_time) < _combine(start, start_time):
        raise ValidationError("item.end", "is before start")


def set_span(
    plan: Plan,
    uid: str,
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> None:
    """Give an item new days (and times): a resize, a move to a date, or scheduling an idea.

    An item without times stays all-day and one with times keeps its zone; passing times
    to an all-day item (or none to a timed one) changes what it is.
    """
    schedule_items(plan, [uid], start, end, start_time, end_time)


def schedule_items(
    plan: Plan,
    uids: Sequence[str],
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> None:
    """Give several items the same days (and times) in one transaction, as :func:`set_span`
    does for one: ideas dropped together from the backlog."""
    _check_span(start, end, start_time, end_time)
    with plan.write() as session:
        rows = _load(session, uids)
        for uid in dict.fromkeys(uids):
            if uid not in rows:
                raise NotFoundError("This item no longer exists; it was deleted in the meantime.")
            _set_span(session, rows[uid], start, end, start_time, end_time)


def _set_span(
    session: Session,
    row: models.Item,
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None,
    end_time: dt.time | None,
) -> None:
    sequence = row.sequence
    if row.rrule and row.start_date is not None:
        # Resizing a series changes every occurrence: its rule and exceptions move along.
        moved = _combine(start, start_time) - _combine(row.start_date, row.start_time)
        if moved:
            shifted = shift_document(export_item(row), days=moved.days, minutes=moved.seconds // 60)
            write_item_records(session, [read_item_document(shifted)])
    row.start_date, row.end_date = start, end
    row.start_time, row.end_time = start_time, end_time
    if start_time is None:
        row.tz = None
    # One change, one SEQUENCE step (writing the shifted series counted one already).
    row.sequence = sequence + 1


def unschedule(plan: Plan, uid: str) -> None:
    """Take an item off the calendar into the ideas backlog (see :func:`unschedule_items`)."""
    unschedule_items(plan, [uid])


def unschedule_items(plan: Plan, uids: Sequence[str]) -> None:
    """Take items off the calendar into the ideas backlog, all or none (one transaction).

    Raises:
        UserError: an item recurs (a backlog idea has no dates to repeat).
        NotFoundError: an item was deleted in the meantime.
    """
    with plan.write() as session:
        rows = _load(session, uids)
        for uid in dict.fromkeys(uids):
            row = rows.get(uid)
            if row is None:
                raise NotFoundError("This item no longer exists; it was deleted in the meantime.")
            if row.rrule:
                raise UserError(
                    f"“{row.title}” repeats, so it cannot go back to the backlog. "
                    "Remove its repetition first, or delete it."
                )
            row.start_date = row.end_date = None
            row.start_time = row.end_time = None
            row.tz = None


def move_occurrence(
    plan: Plan,
    uid: str,
    recurrence_id: str,
    start: dt.date,
    end: dt.date,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> None:
    """Move one occurrence of a series ("this one only"), stored as an exception."""
    _check_span(start, end, start_time, end_time)
    with plan.write() as session:
        row = _row(session, uid)
        if not row.rrule:
            raise UserError(f"“{row.title}” does not repeat.")
        if (start_time is None) != (row.start_time is None):
            raise ValidationError(
                "item.start", "an occurrence keeps the series' kind of time (all-day or timed)"
            )
        override = next((o for o in row.overrides if o.recurrence_id == recurrence_id), None)
        if override is None:
            override = models.ItemOverride(recurrence_id=recurrence_id)
            row.overrides.append(override)
        override.start_date, override.end_date = start, end
        override.start_time, override.end_time = start_time, end_time


def skip_occurrence(plan: Plan, uid: str, recurrence_id: str) -> None:
    """Delete one occurrence of a series ("this one only"): an EXDATE."""
    with plan.write() as session:
        row = _row(session, uid)
        if not row.rrule:
            raise UserError(f"“{row.title}” does not repeat.")
        row.overrides = [o for o in row.overrides if o.recurrence_id != recurrence_id]
        if recurrence_id not in row.exdates:
            row.exdates = sorted([*row.exdates, recurrence_id])


# --- deleting, duplicating, pasting ---------------------------------------------------


def delete_items(plan: Plan, uids: Sequence[str]) -> None:
    """Delete items with everything that belongs to them (undo: :func:`restore_states`)."""
    with plan.write() as session:
        rows = _load(session, uids)
        for uid in uids:
            if uid in rows:
                session.delete(rows[uid])


def copy_documents(plan: Plan, uids: Sequence[str]) -> list[Document]:
    """The items in the exchange shape, ready for the clipboard (in the order given)."""
    with plan.read() as session:
        rows = _load(session, uids)
        return [export_item(rows[uid]) for uid in uids if uid in rows]


@dataclass(frozen=True, slots=True)
class Pasted:
    """The uids of the new items, and what could not come along (another plan's people)."""

    uids: list[str]
    notes: list[str]


def _first_day(document: Document) -> dt.date | None:
    start = document.get("start")
    return dt.date.fromisoformat(str(start)[:10]) if start else None


def paste_documents(
    plan: Plan,
    documents: Sequence[Document],
    *,
    start: dt.date | None = None,
    days: int = 0,
    title_suffix: str = "",
) -> Pasted:
    """Add copies of items as new items (new uids, no imported iCalendar source).

    Args:
        documents: Items in the exchange shape (from :func:`copy_documents` or the clipboard).
        start: Move the copies so the earliest of them starts on this day (None: keep dates).
        days: Then move them by this many days (a duplicate a week later).
        title_suffix: Appended to each title (" (copy)").

    Owners and personas this plan does not have are left out, and said so in ``notes``.
    """
    firsts = [day for d in documents if (day := _first_day(d)) is not None]
    offset = dt.timedelta(days=days)
    if start is not None and firsts:
        offset += start - min(firsts)
    with plan.write() as session:
        people = set(session.scalars(select(models.Person.id)))
        personas = set(session.scalars(select(models.Persona.id)))
        records, notes = [], []
        for n, original in enumerate(documents):
            document = shift_document(original, days=offset.days)
            document.pop("row_version", None)
            document["uid"] = new_uid()
            document["source_ical"] = None
            document["title"] = f"{document.get('title', '')}{title_suffix}"
            title = document["title"]
            if document.get("owner") and document["owner"] not in people:
                notes.append(f"“{title}”: its owner is not in this plan and was left out")
                document["owner"] = None
            kept = [p for p in document.get("personas") or [] if p in personas]
            if len(kept) != len(document.get("personas") or []):
                notes.append(f"“{title}”: personas this plan does not have were left out")
            document["personas"] = kept
            records.append(read_item_document(document, f"items[{n}]"))
        write_item_records(session, records)
        return Pasted([r["uid"] for r in records], notes)


def duplicate_items(plan: Plan, uids: Sequence[str], *, days: int = 0) -> Pasted:
    """Copies of the items as new items, ``days`` later, titled "… (copy)" when on the same day."""
    documents = copy_documents(plan, uids)
    return paste_documents(plan, documents, days=days, title_suffix=" (copy)" if days == 0 else "")
