"""Personas: cards, the editor's load and save, templates, guarded delete, coverage.

A persona travels between the services and their callers in the plan-exchange shape (a
plain dict with ``row_version`` for the optimistic check), like SLAs do.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select

from smarketing_desktop import paths
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.journey import stage_of
from smarketing_desktop.domain.people import slugify
from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.errors import NotFoundError
from smarketing_desktop.exchange.persona_pdf import write_persona_pdf
from smarketing_desktop.exchange.pictures import read_picture_file
from smarketing_desktop.exchange.plan_json import export_persona, read_persona_document
from smarketing_desktop.services.common import check_version
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

Document = dict[str, Any]
TEMPLATES = {
    "decision-maker": "Decision maker",
    "technical-gatekeeper": "Technical gatekeeper",
    "end-user": "End user",
}


@dataclass(frozen=True, slots=True)
class PersonaCard:
    id: str
    name: str
    role: str
    summary: str
    buying_stage: str
    picture: bytes | None


def _summary(row: models.Persona) -> str:
    if row.quote:
        return f"“{row.quote}”"
    if row.goals:
        return f"Wants to {str(row.goals[0])[:1].lower()}{str(row.goals[0])[1:]}"
    return ", ".join(part for part in (row.industry, row.company_size) if part)


def list_persona_cards(plan: Plan, search: str = "") -> list[PersonaCard]:
    """Persona cards by name; ``search`` matches any text of the persona, any case."""
    needle = search.casefold().strip()
    with plan.read() as session:
        rows = session.scalars(select(models.Persona).order_by(func.lower(models.Persona.name)))
        return [
            PersonaCard(
                id=row.id,
                name=row.name,
                role=row.role,
                summary=_summary(row),
                buying_stage=row.buying_stage,
                picture=row.picture,
            )
            for row in rows
            if not needle or needle in _haystack(row)
        ]


def _haystack(row: models.Persona) -> str:
    """Every text the user wrote into the persona, one per line (field names, the id and
    the picture are no text of the persona: "name" must not match every persona)."""
    document = export_persona(row)
    for hidden in ("id", "picture"):
        document.pop(hidden, None)
    return "\n".join(_texts(document)).casefold()


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _texts(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _texts(inner)]
    return [str(value)] if value not in (None, "") else []


def _row(session: Any, persona_id: str) -> models.Persona:
    row = session.get(models.Persona, persona_id)
    if row is None:
        raise NotFoundError(f"There is no persona with id {persona_id!r}.")
    assert isinstance(row, models.Persona)
    return row


def get_persona(plan: Plan, persona_id: str) -> Document:
    with plan.read() as session:
        row = _row(session, persona_id)
        return {**export_persona(row), "row_version": row.version}


def template(template_id: str) -> Document:
    if template_id not in TEMPLATES:
        raise NotFoundError(f"There is no persona template {template_id!r}.")
    document: Document = json.loads(
        paths.asset(f"templates/persona-{template_id}.json").read_text("utf-8")
    )
    return {**document, "picture": None}


def _free_id(session: Any, wanted: str) -> str:
    taken = set(
        session.scalars(select(models.Persona.id).where(models.Persona.id.startswith(wanted)))
    )
    candidate, number = wanted, 2
    while candidate in taken:
        candidate = f"{wanted}-{number}"
        number += 1
    return candidate


def add_persona(plan: Plan, document: Document) -> Document:
    """Store a new persona (an empty or missing ``id`` gets one from the name)."""
    with plan.write() as session:
        wanted = document.get("id") or slugify(document.get("name") or "", "persona")
        record = read_persona_document({**document, "id": _free_id(session, wanted)})
        row = models.Persona(**record)
        session.add(row)
        session.flush()
        return {**export_persona(row), "row_version": row.version}


def new_from_template(plan: Plan, template_id: str) -> Document:
    return add_persona(plan, template(template_id))


def duplicate_persona(plan: Plan, persona_id: str) -> Document:
    source = get_persona(plan, persona_id)
    source.pop("row_version")
    return add_persona(plan, {**source, "id": "", "name": f"{source['name']} (copy)"})


def save_persona(plan: Plan, document: Document) -> Document:
    """Save every field of an edited persona; refuses a stale copy.

    Raises:
        ValidationError: naming the bad field (``persona.goals[2]``).
        ConcurrentEditError: changed elsewhere since ``row_version``.
    """
    record = read_persona_document(document)
    with plan.write() as session:
        row = _row(session, record["id"])
        check_version(row.version, int(document.get("row_version", row.version)))
        for key, value in record.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        session.flush()
        return {**export_persona(row), "row_version": row.version}


# The fields an editor changes one at a time (everything but the id).
FIELDS = (
    "name",
    "picture",
    "role",
    "company_size",
    "industry",
    "buying_role",
    "buying_stage",
    "goals",
    "challenges",
    "information_sources",
    "channels",
    "objections",
    "quote",
    "customers",
    "insights_sales",
    "insights_marketing",
    "notes",
)


def edit_persona_field(
    plan: Plan, persona_id: str, field: str, value: Any, *, version: int
) -> Document:
    """Change one field of a persona (one edit in the editor); refuses a stale copy.

    Args:
        plan: The open plan.
        persona_id: Whose field.
        field: One of ``FIELDS``; the value in the exchange shape (a picture as base64).
        value: The new value.
        version: The ``row_version`` the editor last saw.

    Raises:
        ValidationError: naming the bad value (``persona.goals[2]: must not be empty``).
        ConcurrentEditError: the persona changed elsewhere since ``version``.
        NotFoundError: the persona was deleted meanwhile.
    """
    if field not in FIELDS:
        raise ValueError(f"not a persona field: {field!r}")
    with plan.write() as session:
        row = _row(session, persona_id)
        check_version(row.version, version)
        record = read_persona_document({**export_persona(row), field: value})
        if getattr(row, field) != record[field]:
            setattr(row, field, record[field])
        session.flush()
        return {**export_persona(row), "row_version": row.version}


def picture_from_file(path: Path) -> str:
    """A picture file, checked and scaled down, as the ``picture`` value of a persona.

    Raises:
        PictureError: the file cannot be read, is too large or is not an image.
    """
    return base64.b64encode(read_picture_file(path)).decode("ascii")


def write_persona_sheets(plan: Plan, path: Path, persona_id: str | None = None) -> int:
    """Write the sheet of ``persona_id`` (None: of every persona) as a PDF at ``path``.

    Written atomically: a failure leaves no file and an existing one untouched.
    Returns the number of sheets.
    """
    ids = [persona_id] if persona_id else [card.id for card in list_persona_cards(plan)]
    write_persona_pdf([get_persona(plan, pid) for pid in ids], path)
    return len(ids)


@dataclass(frozen=True, slots=True)
class Removed:
    """A deleted persona and the items that targeted it (at which position), for undo.

    Items are named by uid: an item deleted and restored in the meantime comes back with
    a new row id but the same uid.
    """

    persona: Document
    links: tuple[tuple[str, int], ...]


def linked_items(plan: Plan, persona_id: str) -> list[str]:
    """Titles of the items that target the persona: shown before deleting it."""
    with plan.read() as session:
        return list(
            session.scalars(
                select(models.Item.title)
                .join(models.ItemPersona, models.ItemPersona.item_id == models.Item.id)
                .where(models.ItemPersona.persona_id == persona_id)
                .order_by(models.Item.start_date, models.Item.title)
            )
        )


def delete_persona(plan: Plan, persona_id: str) -> Removed:
    """Delete a persona and its links from items (the caller showed ``linked_items``)."""
    with plan.write() as session:
        row = _row(session, persona_id)
        links = session.execute(
            select(models.Item.uid, models.ItemPersona.position)
            .join(models.Item, models.Item.id == models.ItemPersona.item_id)
            .where(models.ItemPersona.persona_id == persona_id)
            .order_by(models.Item.uid)
        ).all()
        removed = Removed(export_persona(row), tuple((a, b) for a, b in links))
        session.query(models.ItemPersona).filter_by(persona_id=persona_id).delete()
        session.delete(row)
        return removed


def restore_persona(plan: Plan, removed: Removed) -> Document:
    """The undo of ``delete_persona``: the persona and its links come back.

    Links to items deleted since are left out (there is nothing to link); items deleted
    and restored since are found again by uid.
    """
    with plan.write() as session:
        row = models.Persona(**read_persona_document(removed.persona))
        session.add(row)
        session.flush()
        uids = [uid for uid, _ in removed.links]
        ids = {
            uid: item_id
            for uid, item_id in session.execute(
                select(models.Item.uid, models.Item.id).where(models.Item.uid.in_(uids))
            )
        }
        for uid, position in removed.links:
            if uid in ids:
                session.add(
                    models.ItemPersona(item_id=ids[uid], persona_id=row.id, position=position)
                )
        session.flush()
        return {**export_persona(row), "row_version": row.version}


def items_for_persona(
    plan: Plan, persona_id: str, first: dt.date, last: dt.date
) -> list[Occurrence]:
    """The occurrences between ``first`` and ``last`` of items targeting the persona."""
    with plan.read() as session:
        uids = set(
            session.scalars(
                select(models.Item.uid)
                .join(models.ItemPersona, models.ItemPersona.item_id == models.Item.id)
                .where(models.ItemPersona.persona_id == persona_id)
            )
        )
    return [o for o in occurrences_between(plan, first, last) if o.uid in uids]


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    """One item in a journey-coverage cell (for the cell's tooltip)."""

    uid: str
    title: str
    kind: str
    start: dt.date


def journey_items(
    plan: Plan, first: dt.date, last: dt.date
) -> dict[str, dict[BuyingStage, list[CoverageEntry]]]:
    """Persona id → buying stage → the items that target that persona at that stage.

    Takes scheduled items (not ideas, not cancelled) that touch ``first``..``last`` and
    name the persona; items for "everyone" fill no persona's gap. Every persona and every
    stage has an entry, so empty cells show as empty lists.
    """
    query = (
        select(
            models.ItemPersona.persona_id,
            models.Item.uid,
            models.Item.title,
            models.Item.kind,
            models.Item.stage,
            models.Item.start_date,
        )
        .join(models.Item, models.Item.id == models.ItemPersona.item_id)
        .where(models.Item.status.not_in(["idea", "cancelled"]))
        .where(models.Item.start_date.is_not(None))
        .where(models.Item.start_date <= last)
        # series_end is the last day any occurrence touches (None: a series without end).
        .where(or_(models.Item.series_end >= first, models.Item.series_end.is_(None)))
        .order_by(models.Item.start_date, models.Item.title)
    )
    with plan.read() as session:
        persona_ids = list(session.scalars(select(models.Persona.id)))
        cells: dict[str, dict[BuyingStage, list[CoverageEntry]]] = {
            pid: {stage: [] for stage in BuyingStage} for pid in persona_ids
        }
        for persona_id, uid, title, kind, stage, start in session.execute(query):
            served = stage_of(kind, stage)
            if served is not None and start is not None:
                cells[persona_id][served].append(CoverageEntry(uid, title, kind, start))
    return cells


def journey_coverage(
    plan: Plan, first: dt.date, last: dt.date
) -> dict[str, dict[BuyingStage, int]]:
    """Persona id → buying stage → how many items target that persona at that stage.

    The counts of :func:`journey_items`; zero marks a gap.
    """
    return {
        pid: {stage: len(entries) for stage, entries in stages.items()}
        for pid, stages in journey_items(plan, first, last).items()
    }
