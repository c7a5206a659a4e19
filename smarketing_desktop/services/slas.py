"""SLAs: list, create from a template, duplicate, edit with versions, sign, expire.

An SLA travels between the services and their callers in the plan-exchange shape (a
plain dict, see docs/plan-format.md), which is also what earlier versions are frozen as.
Editing the text of a signed agreement never changes what was signed: the signed text
is kept as an earlier version and the edit becomes a new draft version.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop import paths
from smarketing_desktop.domain.people import slugify
from smarketing_desktop.domain.rule_check import review_rule
from smarketing_desktop.domain.sla_text import describe_changes
from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.errors import NotFoundError, ValidationError
from smarketing_desktop.exchange.plan_json import export_sla, read_sla_document, write_sla_record
from smarketing_desktop.services.common import check_version
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

Document = dict[str, Any]
TEMPLATES = {"standard-b2b": "Standard B2B SLA", "one-page": "One-page SLA"}
# What a version consists of: the text both teams sign. Status, signatures and history
# are about a version, not part of it.
_NOT_CONTENT = ("status", "version", "history", "row_version")


@dataclass(frozen=True, slots=True)
class SlaSummary:
    id: str
    title: str
    status: str
    version: int
    effective: dt.date | None
    ends: dt.date | None
    signatories: tuple[str, ...]
    commitments: int


def _load(session: Session, sla_id: str) -> models.Sla:
    row = session.scalar(
        select(models.Sla)
        .where(models.Sla.id == sla_id)
        .options(
            selectinload(models.Sla.signatories),
            selectinload(models.Sla.lead_definitions),
            selectinload(models.Sla.commitments),
            selectinload(models.Sla.sections),
            selectinload(models.Sla.history),
        )
    )
    if row is None:
        raise NotFoundError(f"There is no SLA with id {sla_id!r}.")
    return row


def list_sla_summaries(plan: Plan) -> list[SlaSummary]:
    with plan.read() as session:
        rows = session.scalars(
            select(models.Sla)
            .options(selectinload(models.Sla.signatories), selectinload(models.Sla.commitments))
            .order_by(func.lower(models.Sla.title))
        )
        return [
            SlaSummary(
                id=row.id,
                title=row.title,
                status=row.status,
                version=row.sla_version,
                effective=row.effective,
                ends=row.ends,
                signatories=tuple(s.name for s in row.signatories),
                commitments=len(row.commitments),
            )
            for row in rows
        ]


def get_sla(plan: Plan, sla_id: str) -> Document:
    """The SLA as a document, with ``row_version`` for the optimistic check on save."""
    with plan.read() as session:
        row = _load(session, sla_id)
        return {**export_sla(row), "row_version": row.version}


def content(document: Document) -> Document:
    """The signed text of a version: everything but status, signatures and history."""
    result = {k: copy.deepcopy(v) for k, v in document.items() if k not in _NOT_CONTENT}
    result["signatories"] = [
        {k: v for k, v in s.items() if k != "signed_on"} for s in result.get("signatories", [])
    ]
    return result


def review_item_uid(sla_id: str) -> str:
    """The stable uid of the calendar item that carries an SLA's review meetings."""
    return f"sla-review-{sla_id}@smarketing.local"


def _review_description(row: models.Sla) -> str:
    lines = [f"Joint review of the SLA “{row.title}”.", "", "Commitments to review:"]
    for c in row.commitments:
        target = "" if c.target is None else f": {c.target:g}{' ' + c.unit if c.unit else ''}"
        period = f" per {c.period}" if c.period else ""
        lines.append(f"- {c.team.capitalize()}: {c.metric}{target}{period}")
    return "\n".join(lines)


def sync_review_item(session: Session, sla_id: str) -> None:
    """Keep the SLA's review meetings on the calendar as one recurring joint meeting.

    The item follows the SLA: created, updated, or removed when the SLA has no review
    schedule any more (or is gone). Its SEQUENCE grows when it changes, so calendars that
    subscribed to an export see the change.
    """
    uid = review_item_uid(sla_id)
    item = session.scalar(select(models.Item).where(models.Item.uid == uid))
    row = session.get(models.Sla, sla_id)
    if row is None or row.review_start is None:
        if item is not None:
            session.delete(item)
        return
    start = row.review_start
    end = start + dt.timedelta(minutes=row.review_duration_minutes or 60)
    values: dict[str, Any] = {
        "title": f"SLA review: {row.title}",
        "kind": "meeting",
        "team": "joint",
        "start_date": start.date(),
        "start_time": start.time(),
        "end_date": end.date(),
        "end_time": end.time(),
        "tz": row.review_tz,
        # The meetings end with the agreement.
        "rrule": review_rule(row.review_rrule, row.ends),
        "location": row.review_location,
        "description": _review_description(row),
        "status": "approved" if row.status == SlaStatus.SIGNED else "planned",
    }
    if item is None:
        session.add(models.Item(uid=uid, impact="medium", **values))
        return
    for key, value in values.items():
        if getattr(item, key) != value:  # SEQUENCE grows (the store's hook) only on a change
            setattr(item, key, value)


def _free_id(session: Session, wanted: str) -> str:
    taken = set(session.scalars(select(models.Sla.id).where(models.Sla.id.startswith(wanted))))
    candidate, number = wanted, 2
    while candidate in taken:
        candidate = f"{wanted}-{number}"
        number += 1
    return candidate


def _write_new(plan: Plan, document: Document) -> Document:
    with plan.write() as session:
        document["id"] = _free_id(session, slugify(document["title"], "sla"))
        write_sla_record(session, read_sla_document(document))
        session.flush()
        sync_review_item(session, document["id"])
        row = _load(session, document["id"])
        return {**export_sla(row), "row_version": row.version}


def template(template_id: str, *, today: dt.date | None = None, tz: str | None = None) -> Document:
    """A shipped template as a new draft starting next month and running a year."""
    if template_id not in TEMPLATES:
        raise NotFoundError(f"There is no SLA template {template_id!r}.")
    text = paths.asset(f"templates/{template_id}.json").read_text("utf-8")
    document: Document = json.loads(text)
    today = today or dt.date.today()
    first = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    document["effective"] = first.isoformat()
    document["ends"] = first.replace(year=first.year + 1) - dt.timedelta(days=1)
    document["ends"] = document["ends"].isoformat()
    review = first + dt.timedelta(days=14)
    while review.weekday() >= 5:  # the first review falls on a working day
        review += dt.timedelta(days=1)
    document["reviews"]["start"] = f"{review.isoformat()}T10:00:00"
    document["reviews"]["tz"] = tz
    document["history"] = []
    return document


def create_from_template(
    plan: Plan, template_id: str, *, today: dt.date | None = None, tz: str | None = None
) -> Document:
    """Store a new draft SLA made from a shipped template."""
    return _write_new(plan, template(template_id, today=today, tz=tz))


def duplicate_sla(plan: Plan, sla_id: str) -> Document:
    """A new draft (version 1, unsigned) with the text of an existing SLA."""
    source = get_sla(plan, sla_id)
    document = content(source)
    document.update(
        title=f"{source['title']} (copy)", status=SlaStatus.DRAFT.value, version=1, history=[]
    )
    return _write_new(plan, document)


def check_sla(document: Document) -> None:
    """Check an edited SLA as ``save_sla`` would, without touching the plan.

    Raises:
        ValidationError: naming the first bad field (``sla.reviews.rrule``).
    """
    read_sla_document(document)


def save_sla(plan: Plan, document: Document) -> Document:
    """Save the edited text of an SLA.

    The status, version and history of ``document`` are ignored: they change only through
    the signature flow. Changing the text of a signed (or expired) SLA freezes the signed
    version in the history and makes the edit a new draft version; changing an SLA that is
    out for signature voids the signatures collected so far.

    Raises:
        ConcurrentEditError: the SLA changed since ``document['row_version']`` was read.
        ValidationError: naming the bad field (``sla.commitments[2].target``).
    """
    with plan.write() as session:
        row = _load(session, document["id"])
        check_version(row.version, int(document.get("row_version", row.version)))
        current = export_sla(row)
        if content(current) == content(document):
            return {**current, "row_version": row.version}
        updated = {**content(document), "history": current["history"]}
        updated["signatories"] = [dict(s, signed_on=None) for s in updated["signatories"]]
        status = current["status"]
        if status in (SlaStatus.SIGNED, SlaStatus.EXPIRED):
            frozen = {k: v for k, v in current.items() if k != "history"}
            updated["history"] = [
                *current["history"],
                {"version": current["version"], "status": status, "snapshot": frozen},
            ]
            updated.update(version=current["version"] + 1, status=SlaStatus.DRAFT.value)
        else:
            updated.update(version=current["version"], status=SlaStatus.DRAFT.value)
        write_sla_record(session, read_sla_document(updated))
        session.flush()
        sync_review_item(session, row.id)
        return {**export_sla(row), "row_version": row.version}


def _transition(plan: Plan, sla_id: str, row_version: int, change: Any) -> Document:
    with plan.write() as session:
        row = _load(session, sla_id)
        check_version(row.version, row_version)
        change(row)
        row.updated_at = models.utcnow()
        session.flush()
        sync_review_item(session, sla_id)
        return {**export_sla(row), "row_version": row.version}


def send_for_signature(plan: Plan, sla_id: str, *, row_version: int) -> Document:
    """Draft → out for signature; every signatory needs a name first."""

    def change(row: models.Sla) -> None:
        if row.status != SlaStatus.DRAFT:
            raise ValidationError(
                "",
                "Only a draft can be sent out for signature; this agreement is "
                f"{SlaStatus(row.status).label.lower()}.",
            )
        if not row.signatories or any(not s.name.strip() for s in row.signatories):
            raise ValidationError(
                "",
                "Every signatory needs a name before the agreement is sent out: fill them in "
                "on the Signatories page.",
            )
        row.status = SlaStatus.OUT_FOR_SIGNATURE.value

    return _transition(plan, sla_id, row_version, change)


def record_signature(
    plan: Plan, sla_id: str, signatory: int, *, on: dt.date, row_version: int
) -> Document:
    """One party signed on ``on``; when all have signed, the SLA is signed."""

    def change(row: models.Sla) -> None:
        if row.status != SlaStatus.OUT_FOR_SIGNATURE:
            raise ValidationError("", "Send the agreement out for signature before signing it.")
        if not 0 <= signatory < len(row.signatories):
            raise ValidationError(f"signatories[{signatory}]", "there is no such signatory")
        row.signatories[signatory].signed_on = on
        if all(s.signed_on for s in row.signatories):
            row.status = SlaStatus.SIGNED.value

    return _transition(plan, sla_id, row_version, change)


def expire_sla(plan: Plan, sla_id: str, *, row_version: int) -> Document:
    """Signed → expired (the agreement no longer applies; it stays readable)."""

    def change(row: models.Sla) -> None:
        if row.status != SlaStatus.SIGNED:
            raise ValidationError("", "Only a signed agreement can be marked expired.")
        row.status = SlaStatus.EXPIRED.value

    return _transition(plan, sla_id, row_version, change)


def restore_sla(plan: Plan, document: Document) -> Document:
    """Put an SLA back exactly as ``document`` (status, version, history): the undo of
    any change above, and of a deletion."""
    with plan.write() as session:
        write_sla_record(session, read_sla_document(document))
        session.flush()
        sync_review_item(session, document["id"])
        row = _load(session, document["id"])
        return {**export_sla(row), "row_version": row.version}


def delete_sla(plan: Plan, sla_id: str) -> Document:
    """Delete an SLA; returns it whole so the deletion can be undone."""
    with plan.write() as session:
        row = _load(session, sla_id)
        removed = export_sla(row)
        session.delete(row)
        session.flush()
        sync_review_item(session, sla_id)
        return removed


_EMPTY_VERSION: Document = {
    "title": "",
    "effective": None,
    "ends": None,
    "parties": [],
    "signatories": [],
    "lead_definitions": [],
    "commitments": [],
    "reviews": None,
    "escalation": "",
    "sections": [],
}


def _snapshot(sla_id: str, entry: Document) -> Document:
    """A frozen version as a whole document; parts an older snapshot lacks read as empty."""
    snapshot = entry["snapshot"] if isinstance(entry.get("snapshot"), dict) else {}
    return {
        **_EMPTY_VERSION,
        **copy.deepcopy(snapshot),
        "id": sla_id,
        "version": entry["version"],
        "status": entry["status"],
        "history": [],
    }


def version_document(plan: Plan, sla_id: str, number: int) -> Document:
    """Version ``number`` of an SLA as it was (the current one, or a frozen earlier one)."""
    current = get_sla(plan, sla_id)
    if number == current["version"]:
        return current
    for entry in current["history"]:
        if entry["version"] == number:
            return _snapshot(sla_id, entry)
    raise NotFoundError(f"SLA {sla_id!r} has no version {number}.")


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One version of an SLA in its history.

    Attributes:
        version: The version number.
        status: Its status (frozen versions keep the status they had: signed or expired).
        signed_on: The day its last signature was given, if every signatory signed.
        current: Whether this is the version being edited now.
        changes: What changed compared with the version before (empty for the first).
    """

    version: int
    status: str
    signed_on: dt.date | None
    current: bool
    changes: tuple[str, ...]


def _signed_on(document: Document) -> dt.date | None:
    days = [s.get("signed_on") for s in document.get("signatories") or []]
    if not days or not all(isinstance(day, str) and day for day in days):
        return None
    return max(dt.date.fromisoformat(str(day)) for day in days)


def version_history(plan: Plan, sla_id: str) -> list[VersionEntry]:
    """Every version of an SLA, newest first, each with what changed since the one before."""
    current = get_sla(plan, sla_id)
    versions = [_snapshot(sla_id, entry) for entry in current["history"]]
    versions.append(current)
    entries = []
    for position, document in enumerate(versions):
        before = versions[position - 1] if position else None
        entries.append(
            VersionEntry(
                version=int(document["version"]),
                status=str(document["status"]),
                signed_on=_signed_on(document),
                current=document is current,
                changes=tuple(describe_changes(before, document)) if before else (),
            )
        )
    return entries[::-1]
