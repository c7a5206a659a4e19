"""The plan exchange format, version 1 (see docs/plan-format.md).

Import reads the whole document into checked records first, then writes them in one
transaction: a document with any error changes nothing, and the error names the path of
the bad value (``items[3].start: not a date``). Export is deterministic (sorted keys,
stable order), so the same plan always gives the same bytes.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from smarketing_desktop.domain.conflict_rules import (
    RuleConfig,
    check_config,
    conflict_key,
    key_digest,
)
from smarketing_desktop.domain.links import normalise_link
from smarketing_desktop.domain.recurrence import series_end
from smarketing_desktop.domain.rule_check import RuleProblem, check_rule
from smarketing_desktop.domain.words import (
    PERSON_TEAMS,
    Better,
    BuyingStage,
    Impact,
    Kind,
    SlaStatus,
    Status,
    Team,
    words,
)
from smarketing_desktop.errors import UserError, ValidationError
from smarketing_desktop.exchange.reader import (
    Reader,
    check_zone,
    format_offset,
    is_offset,
    offset_zone,
    parse_moment,
)
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

FORMAT = "smarketing-plan"
FORMAT_VERSION = 1
BUYING_ROLES = ("decision_maker", "influencer", "user", "gatekeeper")
SEVERITIES = ("error", "warning")
_PERSON_TEAMS = ("marketing", "sales")
_ONE_HOUR = dt.timedelta(hours=1)
_CHUNK = 500

Record = dict[str, Any]
T = TypeVar("T")


@dataclass(slots=True)
class ImportReport:
    """How many objects of each list were added and updated."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, *, added: bool) -> None:
        target = self.added if added else self.updated
        target[kind] = target.get(kind, 0) + 1

    def summary(self) -> str:
        parts = []
        for kind in ("people", "personas", "items", "slas", "rules", "acknowledgements"):
            added, updated = self.added.get(kind, 0), self.updated.get(kind, 0)
            if added or updated:
                parts.append(f"{kind}: {added} added, {updated} updated")
        return "; ".join(parts) or "nothing to import"


# ---------------------------------------------------------------------------------------
# Reading a document


def _moment_span(
    reader: Reader, tz: str | None
) -> tuple[dt.date, dt.time | None, dt.date, dt.time | None, str | None]:
    """Read ``start``/``end`` (and the zone) into local days, times and a zone.

    ``tz`` is an IANA name the document gave or None; an offset in ``start`` becomes the
    zone of a timed item (``+01:00``) unless an IANA name is given, which it must match.
    """
    start = parse_moment(reader.raw("start"), reader.at("start"))
    end_raw = reader.raw("end")
    if not isinstance(start, dt.datetime):
        end = start if end_raw is None else parse_moment(end_raw, reader.at("end"))
        if isinstance(end, dt.datetime):
            raise ValidationError(reader.at("end"), "must be a date like start (start is all-day)")
        if end < start:
            raise ValidationError(reader.at("end"), "is before start")
        return start, None, end, None, None

    zone: dt.tzinfo | None = ZoneInfo(tz) if tz else None
    if start.tzinfo is not None:
        offset = start.utcoffset()
        assert offset is not None
        if tz is None:
            tz = format_offset(offset)
            zone = offset_zone(tz)
        elif start.astimezone(zone).utcoffset() != offset or (
            start.astimezone(zone).replace(tzinfo=None) != start.replace(tzinfo=None)
        ):
            raise ValidationError(
                reader.at("start"), f"its offset does not match the time zone {tz}"
            )
        start = start.replace(tzinfo=None)
    if end_raw is None:
        end = start + _ONE_HOUR
    else:
        end = parse_moment(end_raw, reader.at("end"))
        if not isinstance(end, dt.datetime):
            raise ValidationError(reader.at("end"), "must be a date-time like start")
        if end.tzinfo is not None:
            if zone is None:
                raise ValidationError(reader.at("end"), "has an offset but start does not")
            end = end.astimezone(zone).replace(tzinfo=None)
    if end < start:
        raise ValidationError(reader.at("end"), "is before start")
    return start.date(), start.time(), end.date(), end.time(), tz


def _check_rrule(text: str, start: dt.datetime, path: str) -> str:
    try:
        return check_rule(text, start)
    except RuleProblem as problem:
        raise ValidationError(path, str(problem)) from None


def _moments(reader: Reader, key: str) -> list[str]:
    values = []
    for index, raw in enumerate(reader.values(key)):
        moment = parse_moment(raw, f"{reader.at(key)}[{index}]")
        values.append(moment.isoformat())
    return values


def _read_link(r: Reader, key: str) -> str:
    """A link as the item dialog stores it; a ``javascript:`` or other link a browser
    should not open refuses the whole file rather than reaching a clickable label."""
    text = r.text(key, "")
    try:
        return normalise_link(text)
    except UserError as problem:
        raise ValidationError(r.at(key), str(problem)) from None


def _unique(records: Iterable[Record], key: str, list_path: str) -> None:
    seen: set[str] = set()
    for index, record in enumerate(records):
        value = record[key]
        if value in seen:
            raise ValidationError(f"{list_path}[{index}].{key}", f"{value!r} appears twice")
        seen.add(value)


def _read_person(r: Reader) -> Record:
    return {
        "id": r.text("id", required=True),
        "name": r.text("name", required=True),
        "team": r.choice("team", _PERSON_TEAMS),
        "role": r.text("role", ""),
        "email": r.text("email", ""),
        "phone": r.text("phone", ""),
    }


def _read_picture(r: Reader) -> bytes | None:
    value = r.optional_text("picture")
    if value is None:
        return None
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(r.at("picture"), "not base64 image data") from None
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise ValidationError(r.at("picture"), "not a PNG or JPEG image")
    return data


def _read_insights(r: Reader, key: str) -> list[dict[str, str]]:
    return [
        {"who": entry.text("who", ""), "text": entry.text("text", required=True)}
        for entry in r.objects(key)
    ]


def _read_persona(r: Reader) -> Record:
    return {
        "id": r.text("id", required=True),
        "name": r.text("name", required=True),
        "role": r.text("role", ""),
        "company_size": r.text("company_size", ""),
        "industry": r.text("industry", ""),
        "buying_role": r.choice("buying_role", ("", *BUYING_ROLES), ""),
        "buying_stage": r.choice("buying_stage", ("", *words(BuyingStage)), ""),
        "goals": r.texts("goals"),
        "challenges": r.texts("challenges"),
        "information_sources": r.texts("information_sources"),
        "channels": r.texts("channels"),
        "objections": r.texts("objections"),
        "customers": r.texts("customers"),
        "insights_sales": _read_insights(r, "insights_sales"),
        "insights_marketing": _read_insights(r, "insights_marketing"),
        "quote": r.text("quote", ""),
        "notes": r.text("notes", ""),
        "picture": _read_picture(r),
    }


def _read_goal(r: Reader) -> Record:
    return {
        "team": r.choice("team", words(Team)),
        "metric": r.text("metric", required=True),
        "target": r.number("target"),
        "actual": r.number("actual"),
        "better": r.choice("better", words(Better), Better.HIGHER.value),
        "results_by": r.optional_text("results_by"),
        "results_on": r.date("results_on"),
    }


def _read_retrospective(r: Reader) -> Record:
    return {
        "team": r.choice("team", words(Team)),
        "went_well": r.text("went_well", ""),
        "to_change": r.text("to_change", ""),
        "author": r.text("author", ""),
    }


def _read_override(r: Reader, item: Record) -> Record:
    recurrence_id = parse_moment(r.raw("recurrence_id"), r.at("recurrence_id")).isoformat()
    start_date, start_time, end_date, end_time, _ = _moment_span(r, None)
    if (start_time is None) != (item["start_time"] is None):
        kind = "dates" if item["start_time"] is None else "date-times"
        raise ValidationError(r.at("start"), f"must be {kind} like the series")
    return {
        "recurrence_id": recurrence_id,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "title": r.optional_text("title"),
    }


def _read_item(r: Reader) -> Record:
    record: Record = {
        "uid": r.text("uid", required=True),
        "title": r.text("title", required=True),
        "kind": r.choice("kind", words(Kind)),
        "team": r.choice("team", words(Team), Team.MARKETING.value),
        "impact": r.choice("impact", words(Impact), Impact.MEDIUM.value),
        "status": r.choice("status", words(Status), Status.PLANNED.value),
        "owner_id": r.optional_text("owner"),
        "personas": r.texts("personas"),
        "channels": r.texts("channels"),
        "description": r.text("description", ""),
        "location": r.text("location", ""),
        "url": _read_link(r, "url"),
        "stage": r.optional_choice("stage", words(BuyingStage)),
        "source_ical": r.optional_text("source_ical"),
        "goals": [_read_goal(goal) for goal in r.objects("goals")],
        "retrospectives": sorted(
            (_read_retrospective(entry) for entry in r.objects("retrospectives")),
            key=lambda entry: str(entry["team"]),
        ),
    }
    _unique(record["retrospectives"], "team", r.at("retrospectives"))
    if len(set(record["personas"])) != len(record["personas"]):
        raise ValidationError(r.at("personas"), "names a persona twice")
    signoff = Reader(r.raw("signoff") or {}, r.at("signoff"))
    record["signoff_marketing"] = signoff.boolean("marketing")
    record["signoff_sales"] = signoff.boolean("sales")

    tz = r.optional_text("tz")
    if tz is not None:
        tz = check_zone(tz, r.at("tz"))
    if r.raw("start") is None:
        if r.raw("end") is not None:
            raise ValidationError(r.at("end"), "an unscheduled item (no start) has no end")
        for key in ("rrule", "exdates", "rdates", "overrides"):
            if r.raw(key):
                raise ValidationError(r.at(key), "an unscheduled item (no start) cannot recur")
        record.update(
            start_date=None,
            start_time=None,
            end_date=None,
            end_time=None,
            tz=None,
            rrule=None,
            exdates=[],
            rdates=[],
            overrides=[],
        )
        return record
    start_date, start_time, end_date, end_time, tz = _moment_span(r, tz)
    record.update(
        start_date=start_date, start_time=start_time, end_date=end_date, end_time=end_time, tz=tz
    )
    rule = r.optional_text("rrule")
    first = dt.datetime.combine(start_date, start_time or dt.time.min)
    record["rrule"] = _check_rrule(rule, first, r.at("rrule")) if rule else None
    record["exdates"] = _moments(r, "exdates")
    record["rdates"] = _moments(r, "rdates")
    record["overrides"] = [_read_override(o, record) for o in r.objects("overrides")]
    if (record["exdates"] or record["rdates"] or record["overrides"]) and not record["rrule"]:
        raise ValidationError(r.at("rrule"), "exceptions need a recurrence rule")
    _unique(record["overrides"], "recurrence_id", r.at("overrides"))
    return record


def _read_reviews(r: Reader) -> Record:
    if r.raw("reviews") is None:
        return {
            "review_start": None,
            "review_tz": None,
            "review_duration_minutes": None,
            "review_rrule": None,
            "review_location": "",
        }
    reviews = Reader(r.raw("reviews"), r.at("reviews"))
    tz = reviews.optional_text("tz")
    if tz is not None:
        tz = check_zone(tz, reviews.at("tz"))
    start = parse_moment(reviews.raw("start"), reviews.at("start"))
    if not isinstance(start, dt.datetime):
        raise ValidationError(reviews.at("start"), "must be a date-time (the first meeting)")
    if start.tzinfo is not None:
        if tz is None:
            raise ValidationError(reviews.at("start"), "give the time without offset and a tz")
        start = start.astimezone(ZoneInfo(tz))
        start = start.replace(tzinfo=None)
    rule = reviews.optional_text("rrule")
    return {
        "review_start": start,
        "review_tz": tz,
        "review_duration_minutes": reviews.integer("duration_minutes", minimum=1) or 60,
        "review_rrule": _check_rrule(rule, start, reviews.at("rrule")) if rule else None,
        "review_location": reviews.text("location", ""),
    }


def _read_sla(r: Reader) -> Record:
    record: Record = {
        "id": r.text("id", required=True),
        "title": r.text("title", required=True),
        "status": r.choice("status", words(SlaStatus), SlaStatus.DRAFT.value),
        "sla_version": r.integer("version", minimum=1) or 1,
        "effective": r.date("effective"),
        "ends": r.date("ends"),
        "escalation": r.text("escalation", ""),
        "parties": [
            {
                # The leaders of the two teams; a draft may name a role before a person.
                "team": p.choice("team", [t.value for t in PERSON_TEAMS]),
                "name": p.text("name", ""),
                "title": p.text("title", ""),
            }
            for p in r.objects("parties")
        ],
        "signatories": [
            {
                # A draft may leave a signatory's name open ("VP Sales, to be named").
                "name": s.text("name", ""),
                "title": s.text("title", ""),
                "team": s.choice("team", ("", *words(Team)), ""),
                "signed_on": s.date("signed_on"),
            }
            for s in r.objects("signatories")
        ],
        "lead_definitions": [
            {"term": d.text("term", required=True), "definition": d.text("definition", "")}
            for d in r.objects("lead_definitions")
        ],
        "commitments": [
            {
                "team": c.choice("team", words(Team)),
                "metric": c.text("metric", required=True),
                "target": c.number("target"),
                "unit": c.text("unit", ""),
                "period": c.text("period", ""),
                "source": c.text("source", ""),
                "on_miss": c.text("on_miss", ""),
            }
            for c in r.objects("commitments")
        ],
        "sections": [
            {"heading": s.text("heading", required=True), "body": s.text("body", "")}
            for s in r.objects("sections")
        ],
        "history": [
            {
                "number": h.integer("version", minimum=1) or 1,
                "status": h.choice("status", words(SlaStatus)),
                "snapshot": Reader(h.raw("snapshot"), h.at("snapshot")).data,
            }
            for h in r.objects("history")
        ],
    }
    if record["effective"] and record["ends"] and record["ends"] < record["effective"]:
        raise ValidationError(r.at("ends"), "is before effective")
    _unique(record["history"], "number", r.at("history"))
    _unique(record["parties"], "team", r.at("parties"))
    record.update(_read_reviews(r))
    return record


def _read_rule(r: Reader) -> Record:
    params = r.raw("params")
    if params is None:
        params = {}
    elif not isinstance(params, dict):
        raise ValidationError(r.at("params"), "must be an object")
    config = check_config(
        RuleConfig(
            rule_id=r.text("id", required=True),
            enabled=r.boolean("enabled", True),
            severity=r.optional_choice("severity", SEVERITIES),
            params=params,
            user_defined=r.boolean("user_defined"),
        ),
        r.path,
    )
    return {
        "rule_id": config.rule_id,
        "enabled": config.enabled,
        "severity": config.severity,
        "params": dict(config.params),
        "user_defined": config.user_defined,
    }


def _local_moment(r: Reader, key: str) -> str:
    """A local date or date-time (no offset), as an acknowledged occurrence's start/end."""
    moment = parse_moment(r.raw(key), r.at(key))
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        raise ValidationError(r.at(key), "give the local time of the item, without offset")
    return moment.isoformat()


def _read_acknowledgement(r: Reader) -> Record:
    occurrences = []
    for entry in r.objects("items"):
        occurrences.append(
            {
                "uid": entry.text("uid", required=True),
                "start": _local_moment(entry, "start"),
                "end": _local_moment(entry, "end"),
            }
        )
    if not occurrences:
        raise ValidationError(r.at("items"), "must name at least one item")
    occurrences.sort(key=lambda o: (o["uid"], o["start"], o["end"]))
    at = r.raw("acknowledged_at")
    if at is None:
        created = models.utcnow()
    else:
        moment = parse_moment(at, r.at("acknowledged_at"))
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            raise ValidationError(r.at("acknowledged_at"), "must be a date-time with offset")
        created = moment.astimezone(dt.UTC)
    rule = r.text("rule", required=True)
    persona = r.optional_text("persona")
    key = conflict_key(rule, persona, ((o["uid"], o["start"], o["end"]) for o in occurrences))
    return {
        "digest": key_digest(key),
        "rule_id": rule,
        "persona_id": persona,
        "occurrences": occurrences,
        "note": r.text("note", ""),
        "created_at": created,
    }


@dataclass(slots=True)
class PlanDocument:
    """A checked document: records ready to write."""

    people: list[Record]
    personas: list[Record]
    items: list[Record]
    slas: list[Record]
    rules: list[Record]
    acknowledgements: list[Record] = field(default_factory=list)


def read_document(text: str | bytes) -> PlanDocument:
    """Parse and check a plan document without touching any plan.

    Raises:
        ValidationError: naming the path of the first bad value.
    """
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        raise ValidationError("document", "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            "document", f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise ValidationError("document", "nested too deeply") from None
    top = Reader(data, "")
    if top.raw("format") != FORMAT:
        raise ValidationError(
            "format", f"must be {FORMAT!r}: this is not a Smarketing plan document"
        )
    version = top.raw("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("version", "must be a whole number")
    if version > FORMAT_VERSION:
        raise ValidationError(
            "version",
            f"this document is format version {version}, newer than this app reads "
            f"({FORMAT_VERSION}); update Smarketing Desktop",
        )
    if version < 1:
        raise ValidationError("version", "must be at least 1")
    document = PlanDocument(
        people=[_read_person(r) for r in top.objects("people")],
        personas=[_read_persona(r) for r in top.objects("personas")],
        items=[_read_item(r) for r in top.objects("items")],
        slas=[_read_sla(r) for r in top.objects("slas")],
        rules=[_read_rule(r) for r in top.objects("rules")],
        acknowledgements=[_read_acknowledgement(r) for r in top.objects("acknowledgements")],
    )
    _unique(document.people, "id", "people")
    _unique(document.personas, "id", "personas")
    _unique(document.items, "uid", "items")
    _unique(document.slas, "id", "slas")
    _unique(document.rules, "rule_id", "rules")
    for index, ack in enumerate(document.acknowledgements):
        if any(ack["digest"] == other["digest"] for other in document.acknowledgements[:index]):
            raise ValidationError(
                f"acknowledgements[{index}]", "acknowledges the same conflict as an earlier one"
            )
    return document


# ---------------------------------------------------------------------------------------
# Writing a document into a plan


def _chunks(values: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing_ids(session: Session, column: Any, wanted: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(wanted)):
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _check_references(session: Session, document: PlanDocument) -> None:
    people = {p["id"] for p in document.people}
    personas = {p["id"] for p in document.personas}
    owners = {i["owner_id"] for i in document.items if i["owner_id"]} - people
    targeted = {p for i in document.items for p in i["personas"]} - personas
    acknowledged = {o["uid"] for ack in document.acknowledgements for o in ack["occurrences"]} - {
        i["uid"] for i in document.items
    }
    missing_people = owners - _existing_ids(session, models.Person.id, owners)
    missing_personas = targeted - _existing_ids(session, models.Persona.id, targeted)
    missing_items = acknowledged - _existing_ids(session, models.Item.uid, acknowledged)
    for index, ack in enumerate(document.acknowledgements):
        for position, occurrence in enumerate(ack["occurrences"]):
            if occurrence["uid"] in missing_items:
                raise ValidationError(
                    f"acknowledgements[{index}].items[{position}].uid",
                    f"no item has the uid {occurrence['uid']!r}",
                )
    for index, item in enumerate(document.items):
        if item["owner_id"] in missing_people:
            raise ValidationError(
                f"items[{index}].owner", f"no person has the id {item['owner_id']!r}"
            )
        for position, persona in enumerate(item["personas"]):
            if persona in missing_personas:
                raise ValidationError(
                    f"items[{index}].personas[{position}]", f"no persona has the id {persona!r}"
                )


def _assign(row: Any, values: Record) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _upsert_simple(
    session: Session, model: Any, key: str, records: list[Record], label: str, report: ImportReport
) -> None:
    column = getattr(model, key)
    existing: dict[str, Any] = {}
    for chunk in _chunks([r[key] for r in records]):
        existing.update(
            (getattr(row, key), row)
            for row in session.scalars(select(model).where(column.in_(chunk)))
        )
    for record in records:
        row = existing.get(record[key])
        if row is None:
            session.add(model(**record))
            report.count(label, added=True)
        elif _assign(row, record):
            report.count(label, added=False)


def _item_children_equal(row: models.Item, record: Record) -> bool:
    goals = [{k: getattr(g, k) for k in _GOAL_KEYS} for g in row.goals]
    retrospectives = [{k: getattr(x, k) for k in _RETRO_KEYS} for x in row.retrospectives]
    overrides = [
        {
            k: getattr(o, k)
            for k in ("recurrence_id", "start_date", "start_time", "end_date", "end_time", "title")
        }
        for o in row.overrides
    ]
    personas = [link.persona_id for link in row.persona_links]
    return (
        goals == record["goals"]
        and sorted(overrides, key=lambda o: o["recurrence_id"])
        == sorted(record["overrides"], key=lambda o: o["recurrence_id"])
        and personas == record["personas"]
        and retrospectives == record["retrospectives"]
    )


def _set_item_children(row: models.Item, record: Record) -> None:
    row.goals = [models.ItemGoal(position=i, **goal) for i, goal in enumerate(record["goals"])]
    row.overrides = [models.ItemOverride(**override) for override in record["overrides"]]
    row.persona_links = [
        models.ItemPersona(persona_id=persona, position=i)
        for i, persona in enumerate(record["personas"])
    ]
    row.retrospectives = [models.ItemRetrospective(**x) for x in record["retrospectives"]]


_ITEM_CHILDREN = ("goals", "overrides", "personas", "retrospectives")
_GOAL_KEYS = ("team", "metric", "target", "actual", "better", "results_by", "results_on")
_RETRO_KEYS = ("team", "went_well", "to_change", "author")


def _insert_new_items(session: Session, records: list[Record]) -> None:
    """Insert items that do not exist yet in bulk: a unit of work per row costs 5x more."""
    now = models.utcnow()
    rows = [
        {
            **{k: v for k, v in record.items() if k not in _ITEM_CHILDREN},
            # Bulk inserts skip ORM events, so the derived column is filled here.
            "series_end": series_end(
                record["start_date"],
                record["start_time"],
                record["end_date"],
                record["rrule"],
                record["rdates"],
            ),
            "version": 1,
            "sequence": 0,
            "created_at": now,
            "updated_at": now,
        }
        for record in records
    ]
    ids: dict[str, int] = {}
    for chunk in _chunks(rows):
        result = session.execute(
            insert(models.Item).returning(
                models.Item.uid, models.Item.id, sort_by_parameter_order=True
            ),
            chunk,
        )
        ids.update((uid, item_id) for uid, item_id in result)
    goals, links, overrides, retrospectives = [], [], [], []
    for record in records:
        item_id = ids[record["uid"]]
        goals += [{"item_id": item_id, "position": n, **g} for n, g in enumerate(record["goals"])]
        links += [
            {"item_id": item_id, "persona_id": persona, "position": n}
            for n, persona in enumerate(record["personas"])
        ]
        overrides += [{"item_id": item_id, **o} for o in record["overrides"]]
        retrospectives += [{"item_id": item_id, **x} for x in record["retrospectives"]]
    for model, values in (
        (models.ItemGoal, goals),
        (models.ItemPersona, links),
        (models.ItemOverride, overrides),
        (models.ItemRetrospective, retrospectives),
    ):
        for chunk in _chunks(values):
            session.execute(insert(model), chunk)


def _upsert_items(session: Session, records: list[Record], report: ImportReport) -> None:
    existing: dict[str, models.Item] = {}
    for chunk in _chunks([r["uid"] for r in records]):
        rows = session.scalars(
            select(models.Item)
            .where(models.Item.uid.in_(chunk))
            .options(
                selectinload(models.Item.goals),
                selectinload(models.Item.overrides),
                selectinload(models.Item.persona_links),
                selectinload(models.Item.retrospectives),
            )
        )
        existing.update((row.uid, row) for row in rows)
    new = [record for record in records if record["uid"] not in existing]
    _insert_new_items(session, new)
    for _ in new:
        report.count("items", added=True)
    for record in records:
        row = existing.get(record["uid"])
        if row is None:
            continue
        changed = _assign(row, {k: v for k, v in record.items() if k not in _ITEM_CHILDREN})
        if not _item_children_equal(row, record):
            _set_item_children(row, record)
            changed = True
        if changed:  # the store's hook grows SEQUENCE
            report.count("items", added=False)


_SLA_CHILDREN = {
    "parties": models.SlaParty,
    "signatories": models.SlaSignatory,
    "lead_definitions": models.SlaLeadDefinition,
    "commitments": models.SlaCommitment,
    "sections": models.SlaSection,
}


def _sla_children(row: models.Sla) -> dict[str, list[Record]]:
    children: dict[str, list[Record]] = {}
    for name, model in _SLA_CHILDREN.items():
        keys = [c.key for c in model.__table__.columns if c.key not in ("id", "sla_id", "position")]
        children[name] = [{k: getattr(child, k) for k in keys} for child in getattr(row, name)]
    children["history"] = [
        {"number": h.number, "status": h.status, "snapshot": h.snapshot} for h in row.history
    ]
    return children


def _upsert_slas(session: Session, records: list[Record], report: ImportReport) -> None:
    for record in records:
        columns = {k: v for k, v in record.items() if k not in (*_SLA_CHILDREN, "history")}
        row = session.get(models.Sla, record["id"])
        added = row is None
        if row is None:
            row = models.Sla(**columns)
            session.add(row)
            changed = True
        else:
            changed = _assign(row, columns)
        current = {} if added else _sla_children(row)
        for name, model in _SLA_CHILDREN.items():
            if added or current[name] != record[name]:
                setattr(row, name, [model(position=i, **v) for i, v in enumerate(record[name])])
                changed = True
        if added or current["history"] != record["history"]:
            row.history = [models.SlaVersion(**h) for h in record["history"]]
            changed = True
        if changed:
            report.count("slas", added=added)


def write_records(session: Session, document: PlanDocument) -> ImportReport:
    """Add or update everything in ``document`` within the caller's transaction."""
    report = ImportReport()
    _check_references(session, document)
    _upsert_simple(session, models.Person, "id", document.people, "people", report)
    _upsert_simple(session, models.Persona, "id", document.personas, "personas", report)
    session.flush()
    _upsert_items(session, document.items, report)
    _upsert_slas(session, document.slas, report)
    _upsert_simple(session, models.RuleSetting, "rule_id", document.rules, "rules", report)
    _upsert_simple(
        session,
        models.ConflictAcknowledgement,
        "digest",
        document.acknowledgements,
        "acknowledgements",
        report,
    )
    return report


def write_document(plan: Plan, document: PlanDocument) -> ImportReport:
    """Add or update everything in ``document``, in one transaction."""
    with plan.write() as session:
        return write_records(session, document)


def import_plan(plan: Plan, text: str | bytes) -> ImportReport:
    """Read and check ``text`` as a plan document, then merge it into ``plan``."""
    return write_document(plan, read_document(text))


# ---------------------------------------------------------------------------------------
# Export


def _num(value: float | None) -> float | int | None:
    if value is not None and value.is_integer():
        return int(value)
    return value


def _moment(day: dt.date, time: dt.time | None, tz: str | None) -> str:
    if time is None:
        return day.isoformat()
    text = dt.datetime.combine(day, time).isoformat()
    return text + tz if tz is not None and is_offset(tz) else text


def _export_item(row: models.Item) -> Record:
    if row.start_date is None or row.end_date is None:
        start = end = None
    else:
        start = _moment(row.start_date, row.start_time, row.tz)
        end = _moment(row.end_date, row.end_time, row.tz)
    return {
        "uid": row.uid,
        "title": row.title,
        "kind": row.kind,
        "team": row.team,
        "start": start,
        "end": end,
        "tz": None if is_offset(row.tz) else row.tz,
        "impact": row.impact,
        "status": row.status,
        "owner": row.owner_id,
        "personas": [link.persona_id for link in row.persona_links],
        "channels": list(row.channels),
        "description": row.description,
        "location": row.location,
        "url": row.url,
        "stage": row.stage,
        "source_ical": row.source_ical,
        "rrule": row.rrule,
        "exdates": list(row.exdates),
        "rdates": list(row.rdates),
        "overrides": [
            {
                "recurrence_id": o.recurrence_id,
                "start": _moment(o.start_date, o.start_time, row.tz),
                "end": _moment(o.end_date, o.end_time, row.tz),
                "title": o.title,
            }
            for o in sorted(row.overrides, key=lambda o: o.recurrence_id)
        ],
        "signoff": {"marketing": row.signoff_marketing, "sales": row.signoff_sales},
        "goals": [
            {
                "team": g.team,
                "metric": g.metric,
                "target": _num(g.target),
                "actual": _num(g.actual),
                "better": g.better,
                "results_by": g.results_by,
                "results_on": _iso(g.results_on),
            }
            for g in row.goals
        ],
        "retrospectives": [{k: getattr(x, k) for k in _RETRO_KEYS} for x in row.retrospectives],
    }


def _export_persona(row: models.Persona) -> Record:
    return {
        "id": row.id,
        "name": row.name,
        "role": row.role,
        "company_size": row.company_size,
        "industry": row.industry,
        "buying_role": row.buying_role,
        "buying_stage": row.buying_stage,
        "goals": list(row.goals),
        "challenges": list(row.challenges),
        "information_sources": list(row.information_sources),
        "channels": list(row.channels),
        "objections": list(row.objections),
        "customers": list(row.customers),
        "insights_sales": list(row.insights_sales),
        "insights_marketing": list(row.insights_marketing),
        "quote": row.quote,
        "notes": row.notes,
        "picture": base64.b64encode(row.picture).decode("ascii") if row.picture else None,
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def export_sla(row: models.Sla) -> Record:
    """An SLA in the exchange shape (also the frozen snapshot of an SLA version)."""
    reviews = None
    if row.review_start is not None:
        reviews = {
            "start": row.review_start.isoformat(),
            "tz": row.review_tz,
            "duration_minutes": row.review_duration_minutes,
            "rrule": row.review_rrule,
            "location": row.review_location,
        }
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status,
        "version": row.sla_version,
        "effective": _iso(row.effective),
        "ends": _iso(row.ends),
        "parties": [{"team": p.team, "name": p.name, "title": p.title} for p in row.parties],
        "signatories": [
            {"name": s.name, "title": s.title, "team": s.team, "signed_on": _iso(s.signed_on)}
            for s in row.signatories
        ],
        "lead_definitions": [
            {"term": d.term, "definition": d.definition} for d in row.lead_definitions
        ],
        "commitments": [
            {
                "team": c.team,
                "metric": c.metric,
                "target": _num(c.target),
                "unit": c.unit,
                "period": c.period,
                "source": c.source,
                "on_miss": c.on_miss,
            }
            for c in row.commitments
        ],
        "reviews": reviews,
        "escalation": row.escalation,
        "sections": [{"heading": s.heading, "body": s.body} for s in row.sections],
        "history": [
            {"version": h.number, "status": h.status, "snapshot": h.snapshot} for h in row.history
        ],
    }


def _acknowledgement_order(ack: Record) -> tuple[str, str, str, str]:
    items: list[Record] = ack["items"]
    return (ack["rule"], items[0]["start"], ack["persona"] or "", json.dumps(items))


def _export_acknowledgements(session: Session) -> list[Record]:
    """Acknowledged conflicts whose items all still exist, in a stable order.

    One whose item was deleted stays in the plan (an undo may bring the item back) but
    is left out of the document, whose references must all resolve.
    """
    uids = set(session.scalars(select(models.Item.uid)))
    result = []
    for row in session.scalars(select(models.ConflictAcknowledgement)):
        if not all(o["uid"] in uids for o in row.occurrences):
            continue
        result.append(
            {
                "rule": row.rule_id,
                "persona": row.persona_id,
                "items": [dict(o) for o in row.occurrences],
                "note": row.note,
                "acknowledged_at": row.created_at.isoformat(),
            }
        )
    result.sort(key=_acknowledgement_order)
    return result


def export_document(plan: Plan) -> Record:
    with plan.read() as session:
        people = session.scalars(select(models.Person).order_by(models.Person.id))
        personas = session.scalars(select(models.Persona).order_by(models.Persona.id))
        items = session.scalars(
            select(models.Item)
            .order_by(models.Item.uid)
            .options(
                selectinload(models.Item.goals),
                selectinload(models.Item.overrides),
                selectinload(models.Item.persona_links),
                selectinload(models.Item.retrospectives),
            )
        )
        slas = session.scalars(
            select(models.Sla)
            .order_by(models.Sla.id)
            .options(
                *(selectinload(getattr(models.Sla, name)) for name in (*_SLA_CHILDREN, "history"))
            )
        )
        rules = session.scalars(select(models.RuleSetting).order_by(models.RuleSetting.rule_id))
        acknowledgements = _export_acknowledgements(session)
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "people": [
                {k: getattr(p, k) for k in ("id", "name", "team", "role", "email", "phone")}
                for p in people
            ],
            "personas": [_export_persona(p) for p in personas],
            "items": [_export_item(i) for i in items],
            "slas": [export_sla(s) for s in slas],
            "rules": [
                {
                    "id": r.rule_id,
                    "enabled": r.enabled,
                    "severity": r.severity,
                    "params": r.params,
                    "user_defined": r.user_defined,
                }
                for r in rules
            ],
            "acknowledgements": acknowledgements,
        }


def dumps(document: Record) -> str:
    """The canonical text of a document: sorted keys, two-space indent, final newline."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def export_plan(plan: Plan) -> str:
    """The whole plan as canonical plan-format JSON text."""
    return dumps(export_document(plan))


def read_sla_document(data: Any, path: str = "sla") -> Record:
    """Check one SLA in the exchange shape; returns the record ``write_sla_record`` takes."""
    return _read_sla(Reader(data, path))


def write_sla_record(session: Session, record: Record) -> None:
    """Add or replace one SLA (with its children and history) in the caller's transaction."""
    _upsert_slas(session, [record], ImportReport())


def read_persona_document(data: Any, path: str = "persona") -> Record:
    """Check one persona in the exchange shape; returns a record of its columns."""
    return _read_persona(Reader(data, path))


def export_persona(row: models.Persona) -> Record:
    """One persona in the exchange shape."""
    return _export_persona(row)


def read_item_document(data: Any, path: str = "item") -> Record:
    """Check one item in the exchange shape; returns the record ``write_item_records`` takes."""
    return _read_item(Reader(data, path))


def export_item(row: models.Item) -> Record:
    """One item in the exchange shape (its goals, overrides and personas included)."""
    return _export_item(row)


def write_item_records(session: Session, records: list[Record]) -> None:
    """Add or update items in the caller's transaction; owners and personas must exist.

    Raises:
        ValidationError: an owner or persona the plan does not have (``items[0].owner``).
    """
    _check_references(session, PlanDocument([], [], records, [], []))
    _upsert_items(session, records, ImportReport())
