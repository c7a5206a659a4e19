"""Conflicts as users meet them: check the plan, change the rules, acknowledge conflicts.

The plan is read once into compact facts (only the columns the rules need, exceptions
and personas only where there are any); the engine in ``smarketing_desktop.conflicts``
does the rest. Each change is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from dateutil.tz import tzlocal
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from smarketing_desktop.collector import collector_paused
from smarketing_desktop.conflicts import (
    Conflict,
    Engine,
    Horizon,
    ItemFacts,
    Names,
    OverrideFacts,
    RuleSet,
    build_entry,
    resolve,
    sort_key,
)
from smarketing_desktop.conflicts.data import INACTIVE
from smarketing_desktop.domain.conflict_rules import (
    BUILTIN,
    RuleConfig,
    Severity,
    check_config,
    conflict_key,
    is_default,
    key_digest,
)
from smarketing_desktop.errors import NotFoundError, ValidationError
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

MAX_NOTE = 2000
_CHUNK = 500


# --- rules --------------------------------------------------------------------------


def _config(row: models.RuleSetting) -> RuleConfig:
    return RuleConfig(row.rule_id, row.enabled, row.severity, dict(row.params), row.user_defined)


def rule_settings(plan: Plan) -> list[RuleConfig]:
    """The plan's rule settings as stored (built-in rules it changed, and the user's)."""
    with plan.read() as session:
        rows = session.scalars(select(models.RuleSetting).order_by(models.RuleSetting.rule_id))
        return [_config(row) for row in rows]


def rules_of(settings: Iterable[RuleConfig]) -> RuleSet:
    """The rules to run for ``settings``; settings this app cannot use are skipped.

    A plan only holds checked settings, but one written by hand into the file must not
    stop the check: a broken setting falls back to the rule's defaults.
    """
    usable = []
    for config in settings:
        try:
            usable.append(check_config(config, config.rule_id))
        except ValidationError:
            continue
    return resolve(usable)


def check_rule_settings(settings: Sequence[RuleConfig]) -> list[RuleConfig]:
    """Check settings as the rules dialog saves them; errors name the rule and field.

    Returns the settings worth storing: a built-in rule left at its defaults is dropped.

    Raises:
        ValidationError: ``persona-fatigue.params.max_items: must be at least 1``.
    """
    checked = []
    names: dict[str, str] = {}
    for config in settings:
        config = check_config(config, config.rule_id)
        if config.user_defined:
            name = " ".join(str(config.params["name"]).split()).casefold()
            if name in names:
                raise ValidationError(
                    f"{config.rule_id}.params.name",
                    f"another rule is already called “{config.params['name']}”",
                )
            names[name] = config.rule_id
        if not is_default(config):
            checked.append(config)
    ids = [c.rule_id for c in checked]
    if len(set(ids)) != len(ids):
        raise ValidationError("rules", "a rule appears twice")
    return checked


def save_rule_settings(plan: Plan, settings: Sequence[RuleConfig]) -> list[RuleConfig]:
    """Replace the plan's rule settings with ``settings``, in one transaction.

    Settings of rules this app does not know (from a newer app) are kept.
    """
    checked = check_rule_settings(settings)
    with plan.write() as session:
        unknown = {
            row.rule_id
            for row in session.scalars(select(models.RuleSetting))
            if row.rule_id not in BUILTIN and not row.user_defined
        }
        session.execute(
            delete(models.RuleSetting).where(models.RuleSetting.rule_id.not_in(unknown))
        )
        for config in checked:
            if config.rule_id in unknown:
                continue
            session.add(
                models.RuleSetting(
                    rule_id=config.rule_id,
                    enabled=config.enabled,
                    severity=config.severity,
                    params=dict(config.params),
                    user_defined=config.user_defined,
                )
            )
    return checked


# --- reading the plan -----------------------------------------------------------------


@dataclass(slots=True)
class Dataset:
    """What a check needs from the plan, read in one go."""

    facts: dict[str, ItemFacts]
    names: Names
    personas: tuple[str, ...]
    horizon: Horizon
    settings: list[RuleConfig] = field(default_factory=list)

    @property
    def rules(self) -> RuleSet:
        return rules_of(self.settings)


_COLUMNS = (
    models.Item.id,
    models.Item.uid,
    models.Item.title,
    models.Item.kind,
    models.Item.impact,
    models.Item.status,
    models.Item.owner_id,
    models.Item.signoff_marketing,
    models.Item.signoff_sales,
    models.Item.start_date,
    models.Item.end_date,
    models.Item.start_time,
    models.Item.end_time,
    models.Item.tz,
    models.Item.rrule,
)


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _read_facts(
    session: Session, uids: Collection[str] | None = None, *, active_only: bool = True
) -> dict[str, ItemFacts]:
    query = select(*_COLUMNS)
    if active_only:
        query = query.where(
            models.Item.start_date.is_not(None), models.Item.status.not_in(INACTIVE)
        )
    rows = []
    if uids is None:
        rows = list(session.execute(query))
    else:
        wanted = sorted(uids)
        for start in range(0, len(wanted), _CHUNK):
            rows += session.execute(
                query.where(models.Item.uid.in_(wanted[start : start + _CHUNK]))
            )
    ids = {row.id: row.uid for row in rows}
    personas: dict[int, list[str]] = {}
    links = select(models.ItemPersona.item_id, models.ItemPersona.persona_id).order_by(
        models.ItemPersona.item_id, models.ItemPersona.position
    )
    series = [row.id for row in rows if row.rrule]
    exceptions: dict[int, tuple[list[str], list[str]]] = {}
    moved: dict[int, list[OverrideFacts]] = {}
    if uids is None:
        link_rows = list(session.execute(links))
    else:
        link_rows = []
        for chunk in _chunks(list(ids)):
            link_rows += session.execute(links.where(models.ItemPersona.item_id.in_(chunk)))
    for item_id, persona_id in link_rows:
        personas.setdefault(item_id, []).append(persona_id)
    for chunk in _chunks(series):
        # Exceptions are read for series only: most items have none to decode.
        for item_id, exdates, rdates in session.execute(
            select(models.Item.id, models.Item.exdates, models.Item.rdates).where(
                models.Item.id.in_(chunk)
            )
        ):
            exceptions[item_id] = (exdates, rdates)
        for override in session.scalars(
            select(models.ItemOverride).where(models.ItemOverride.item_id.in_(chunk))
        ):
            moved.setdefault(override.item_id, []).append(
                OverrideFacts(
                    override.recurrence_id,
                    override.start_date,
                    override.end_date,
                    override.start_time,
                    override.end_time,
                )
            )
    result = {}
    for row in rows:
        exdates, rdates = exceptions.get(row.id, ([], []))
        result[row.uid] = ItemFacts(
            uid=row.uid,
            title=row.title,
            kind=row.kind,
            impact=row.impact,
            status=row.status,
            owner=row.owner_id,
            personas=tuple(personas.get(row.id, ())),
            signoff_marketing=row.signoff_marketing,
            signoff_sales=row.signoff_sales,
            start_date=row.start_date,
            end_date=row.end_date,
            start_time=row.start_time,
            end_time=row.end_time,
            tz=row.tz,
            rrule=row.rrule,
            exdates=tuple(str(v) for v in exdates),
            rdates=tuple(str(v) for v in rdates),
            overrides=tuple(moved.get(row.id, ())),
        )
    return result


def _horizon(session: Session) -> Horizon:
    """The plan's range from the stored series ends (no series is expanded for it)."""
    active = (models.Item.start_date.is_not(None), models.Item.status.not_in(INACTIVE))
    first, last = session.execute(
        select(
            func.min(models.Item.start_date),
            func.max(func.coalesce(models.Item.series_end, models.Item.start_date)),
        ).where(*active)
    ).one()
    moved = session.scalar(
        select(func.max(models.ItemOverride.end_date))
        .join(models.Item, models.Item.id == models.ItemOverride.item_id)
        .where(*active)
    )
    today = dt.date.today()
    first = first or today
    last = max(d for d in (last, moved, first) if d is not None)
    return Horizon(first, last)


def load_dataset(plan: Plan) -> Dataset:
    """Everything a check needs, read in one snapshot of the plan."""
    with plan.read() as session, collector_paused():
        people = {k: v for k, v in session.execute(select(models.Person.id, models.Person.name))}
        personas = {
            k: v for k, v in session.execute(select(models.Persona.id, models.Persona.name))
        }
        settings = [
            _config(row)
            for row in session.scalars(
                select(models.RuleSetting).order_by(models.RuleSetting.rule_id)
            )
        ]
        return Dataset(
            facts=_read_facts(session),
            names=Names(people, personas),
            personas=tuple(sorted(personas)),
            horizon=_horizon(session),
            settings=settings,
        )


def load_facts(plan: Plan, uids: Collection[str] | None = None) -> dict[str, ItemFacts]:
    """The facts of the items that can conflict: all, or those among ``uids``."""
    with plan.read() as session:
        return _read_facts(session, uids)


def item_facts(plan: Plan, uid: str) -> ItemFacts | None:
    """One item's facts whatever its state (unscheduled, idea, …); None if there is none."""
    with plan.read() as session:
        return _read_facts(session, [uid], active_only=False).get(uid)


def floating_zone() -> dt.tzinfo:
    """The zone floating times are read in: the user's, as the calendar shows them."""
    return tzlocal()


def new_engine(
    dataset: Dataset, *, today: dt.date | None = None, floating: dt.tzinfo | None = None
) -> Engine:
    """An engine over ``dataset``, fully checked."""
    engine = Engine(
        dataset.rules,
        today=today or dt.date.today(),
        names=dataset.names,
        personas=dataset.personas,
    )
    zone = floating or floating_zone()
    engine.check(
        entry
        for facts in dataset.facts.values()
        if (entry := build_entry(facts, dataset.horizon, zone)) is not None
    )
    return engine


# --- acknowledgements -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """ "We know, it is fine": a conflict accepted with a note."""

    digest: str
    rule: str
    persona: str | None
    occurrences: tuple[tuple[str, str, str], ...]
    note: str
    created_at: dt.datetime


def digest_of(conflict: Conflict) -> str:
    """The stored identity of ``conflict`` (changes when one of its items moves)."""
    return key_digest(conflict.key)


def _ack(row: models.ConflictAcknowledgement) -> Acknowledgement:
    return Acknowledgement(
        row.digest,
        row.rule_id,
        row.persona_id,
        tuple((o["uid"], o["start"], o["end"]) for o in row.occurrences),
        row.note,
        row.created_at,
    )


def acknowledgements(plan: Plan) -> dict[str, Acknowledgement]:
    """Every acknowledgement in the plan, by digest (stale ones included)."""
    with plan.read() as session:
        return {
            row.digest: _ack(row) for row in session.scalars(select(models.ConflictAcknowledgement))
        }


def check_note(note: str) -> str:
    """A note as it is stored; says what is wrong with a bad one."""
    if "\x00" in note:
        raise ValidationError("note", "contains a NUL character")
    if not note.strip():
        raise ValidationError("note", "say why this is fine, so the other team knows")
    if len(note) > MAX_NOTE:
        raise ValidationError("note", f"is longer than {MAX_NOTE} characters")
    return note.strip()


def acknowledge(plan: Plan, conflict: Conflict, note: str) -> Acknowledgement:
    """Accept ``conflict`` with ``note``; acknowledging again replaces the note."""
    note = check_note(note)
    occurrences = sorted((o.uid, o.start, o.end) for o in conflict.occurrences)
    ack = Acknowledgement(
        digest_of(conflict),
        conflict.rule,
        conflict.persona,
        tuple(occurrences),
        note,
        models.utcnow(),
    )
    return restore_acknowledgement(plan, ack)


def restore_acknowledgement(plan: Plan, ack: Acknowledgement) -> Acknowledgement:
    """Store ``ack`` as it is (the undo of ``unacknowledge``, the redo of ``acknowledge``)."""
    key = conflict_key(ack.rule, ack.persona, ack.occurrences)
    if key_digest(key) != ack.digest:
        raise ValidationError("acknowledgement", "does not match its conflict")
    with plan.write() as session:
        row = session.get(models.ConflictAcknowledgement, ack.digest)
        if row is None:
            row = models.ConflictAcknowledgement(digest=ack.digest)
            session.add(row)
        row.rule_id = ack.rule
        row.persona_id = ack.persona
        row.occurrences = [{"uid": u, "start": s, "end": e} for u, s, e in ack.occurrences]
        row.note = ack.note
        row.created_at = ack.created_at
    return ack


def unacknowledge(plan: Plan, digest: str) -> Acknowledgement:
    """Take an acknowledgement back; returns it (for undo).

    Raises:
        NotFoundError: it is not (or no longer) in the plan.
    """
    with plan.write() as session:
        row = session.get(models.ConflictAcknowledgement, digest)
        if row is None:
            raise NotFoundError("That conflict is not acknowledged (any more).")
        ack = _ack(row)
        session.delete(row)
        return ack


# --- checking -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """A conflict as a report shows it, with its acknowledgement if any."""

    conflict: Conflict
    titles: tuple[str, ...]
    acknowledgement: Acknowledgement | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None


def check_plan(
    plan: Plan,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    today: dt.date | None = None,
    floating: dt.tzinfo | None = None,
) -> list[Finding]:
    """Every conflict in the plan (or touching ``first``..``last``), worst first.

    Args:
        plan: the plan.
        first: only conflicts ending on or after this day.
        last: only conflicts starting on or before this day.
        today: the day ``missing-signoff`` counts from (default: today).
        floating: the zone of floating times (default: this computer's).
    """
    dataset = load_dataset(plan)
    engine = new_engine(dataset, today=today, floating=floating)
    acked = acknowledgements(plan)
    findings = []
    for conflict in sorted(engine, key=sort_key):
        if first is not None and conflict.end < first:
            continue
        if last is not None and conflict.start > last:
            continue
        titles = tuple(dataset.facts[uid].title for uid in conflict.items)
        findings.append(Finding(conflict, titles, acked.get(digest_of(conflict))))
    return findings


def worst_unacknowledged(findings: Iterable[Finding]) -> Severity | None:
    """The worst severity among conflicts nobody acknowledged, or None."""
    ranks = [Severity(f.conflict.severity) for f in findings if not f.acknowledged]
    return max(ranks, key=lambda s: s.rank, default=None)


__all__ = [
    "Acknowledgement",
    "Dataset",
    "Finding",
    "acknowledge",
    "acknowledgements",
    "check_plan",
    "check_rule_settings",
    "digest_of",
    "load_dataset",
    "load_facts",
    "new_engine",
    "restore_acknowledgement",
    "rule_settings",
    "rules_of",
    "save_rule_settings",
    "unacknowledge",
    "worst_unacknowledged",
]
