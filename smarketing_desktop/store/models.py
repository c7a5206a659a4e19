"""SQLAlchemy 2.x typed models of a plan.

Kept dialect-neutral (a coming capability serves plans from PostgreSQL): plain SQLAlchemy
types, timestamps in UTC, and an optimistic version counter on every row users edit, so a
stale edit from a second window fails instead of silently overwriting.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    event,
)
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    UOWTransaction,
    mapped_column,
    relationship,
)

from smarketing_desktop.domain.recurrence import series_end

# Explicit constraint names keep Alembic migrations (and SQLite batch mode) deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores aware datetimes as naive UTC, returns them aware (SQLite has no zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PlanInfo(Base):
    """Key/value facts about the plan file itself; ``format`` marks a file as a plan."""

    __tablename__ = "plan_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Person(Timestamped, Base):
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    team: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class Persona(Timestamped, Base):
    __tablename__ = "personas"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    role: Mapped[str] = mapped_column(String(500), default="")
    company_size: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(500), default="")
    buying_role: Mapped[str] = mapped_column(String(50), default="")
    buying_stage: Mapped[str] = mapped_column(String(50), default="")
    goals: Mapped[list[Any]] = mapped_column(default=list)
    challenges: Mapped[list[Any]] = mapped_column(default=list)
    information_sources: Mapped[list[Any]] = mapped_column(default=list)
    channels: Mapped[list[Any]] = mapped_column(default=list)
    objections: Mapped[list[Any]] = mapped_column(default=list)
    customers: Mapped[list[Any]] = mapped_column(default=list)
    # Each insight is {"who": ..., "text": ...}: who said what matters to both teams.
    insights_sales: Mapped[list[Any]] = mapped_column(default=list)
    insights_marketing: Mapped[list[Any]] = mapped_column(default=list)
    quote: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    picture: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ItemPersona(Base):
    __tablename__ = "item_personas"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    persona_id: Mapped[str] = mapped_column(
        ForeignKey("personas.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class Item(Timestamped, Base):
    """Anything on the calendar.

    Dates are kept as the user sees them: ``start_date``/``end_date`` are the first and last
    (inclusive) local days, which is what range queries and the calendar need. A timed item
    also has wall-clock times and ``tz``: an IANA zone name, a fixed offset such as
    ``+01:00``, or ``None`` for floating time.
    """

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(20), default="marketing")
    owner_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    end_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    tz: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The last day any occurrence touches (None: a series without end); kept up to date on
    # every write so a date range is one indexed query (see domain.recurrence).
    series_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    impact: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    channels: Mapped[list[Any]] = mapped_column(default=list)
    rrule: Mapped[str | None] = mapped_column(Text, nullable=True)
    exdates: Mapped[list[Any]] = mapped_column(default=list)
    rdates: Mapped[list[Any]] = mapped_column(default=list)
    # The buying stage the item serves; None means "the default stage of its kind".
    stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The VEVENT an item was imported from, so properties the app does not model (ATTENDEE,
    # VALARM, X- properties) survive to the next export.
    source_ical: Mapped[str | None] = mapped_column(Text, nullable=True)
    signoff_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    signoff_sales: Mapped[bool] = mapped_column(Boolean, default=False)
    # Grows with every change: the iCalendar SEQUENCE that tells Outlook an event changed.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    goals: Mapped[list[ItemGoal]] = relationship(
        back_populates="item",
        order_by="ItemGoal.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    persona_links: Mapped[list[ItemPersona]] = relationship(
        order_by="ItemPersona.position", cascade="all, delete-orphan", passive_deletes=True
    )
    retrospectives: Mapped[list[ItemRetrospective]] = relationship(
        order_by="ItemRetrospective.team", cascade="all, delete-orphan", passive_deletes=True
    )
    overrides: Mapped[list[ItemOverride]] = relationship(
        back_populates="item",
        order_by="ItemOverride.recurrence_id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_items_span", "start_date", "end_date"),
        Index("ix_items_series", "start_date", "series_end"),
    )

    @property
    def all_day(self) -> bool:
        return self.start_time is None


@event.listens_for(Item, "before_insert")
@event.listens_for(Item, "before_update")
def _keep_series_end(_mapper: Any, _connection: Any, item: Item) -> None:
    item.series_end = series_end(
        item.start_date, item.start_time, item.end_date, item.rrule, item.rdates or ()
    )


class ItemGoal(Base):
    __tablename__ = "item_goals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    team: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(Text)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    actual: Mapped[float | None] = mapped_column(Float, nullable=True)
    better: Mapped[str] = mapped_column(String(10), default="higher")
    # Who entered the actual, and on which day: results are reviewed by both teams.
    results_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    results_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    item: Mapped[Item] = relationship(back_populates="goals")


class ItemRetrospective(Base):
    """A team's look back at a campaign: what went well, what to change next time."""

    __tablename__ = "item_retrospectives"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    team: Mapped[str] = mapped_column(String(20), primary_key=True)
    went_well: Mapped[str] = mapped_column(Text, default="")
    to_change: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")


class ItemOverride(Base):
    """One occurrence of a recurring item moved or changed ("this one only")."""

    __tablename__ = "item_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    # The original start of the occurrence, ISO date or date-time as in the series.
    recurrence_id: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    end_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    item: Mapped[Item] = relationship(back_populates="overrides")


class Sla(Timestamped, Base):
    """A service level agreement between the teams, as its current version."""

    __tablename__ = "slas"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30), default="draft")
    sla_version: Mapped[int] = mapped_column(Integer, default=1)
    effective: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ends: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    escalation: Mapped[str] = mapped_column(Text, default="")
    # Review schedule: the first meeting's wall-clock start, its zone, length and recurrence.
    review_start: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    review_tz: Mapped[str | None] = mapped_column(String(100), nullable=True)
    review_duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    review_rrule: Mapped[str | None] = mapped_column(Text, nullable=True)
    review_location: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    parties: Mapped[list[SlaParty]] = relationship(
        order_by="SlaParty.position", cascade="all, delete-orphan", passive_deletes=True
    )
    signatories: Mapped[list[SlaSignatory]] = relationship(
        order_by="SlaSignatory.position", cascade="all, delete-orphan", passive_deletes=True
    )
    lead_definitions: Mapped[list[SlaLeadDefinition]] = relationship(
        order_by="SlaLeadDefinition.position", cascade="all, delete-orphan", passive_deletes=True
    )
    commitments: Mapped[list[SlaCommitment]] = relationship(
        order_by="SlaCommitment.position", cascade="all, delete-orphan", passive_deletes=True
    )
    sections: Mapped[list[SlaSection]] = relationship(
        order_by="SlaSection.position", cascade="all, delete-orphan", passive_deletes=True
    )
    history: Mapped[list[SlaVersion]] = relationship(
        order_by="SlaVersion.number", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class SlaParty(Base):
    """One side of the agreement: the leader of marketing or of sales, as printed."""

    __tablename__ = "sla_parties"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    team: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")


class SlaSignatory(Base):
    __tablename__ = "sla_signatories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(String(20), default="")
    signed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class SlaLeadDefinition(Base):
    __tablename__ = "sla_lead_definitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    term: Mapped[str] = mapped_column(Text)
    definition: Mapped[str] = mapped_column(Text, default="")


class SlaCommitment(Base):
    __tablename__ = "sla_commitments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    team: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(Text)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(Text, default="")
    period: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    on_miss: Mapped[str] = mapped_column(Text, default="")


class SlaSection(Base):
    __tablename__ = "sla_sections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")


class SlaVersion(Base):
    """A frozen earlier version of an SLA (its exchange document), kept readable forever."""

    __tablename__ = "sla_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sla_id: Mapped[str] = mapped_column(ForeignKey("slas.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30))
    snapshot: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# Columns that say nothing about the event itself: changing them is no change for a
# calendar that subscribed to an export.
_BOOKKEEPING = frozenset({"sequence", "version", "created_at", "updated_at", "series_end"})
# What an exported event shows besides the item's own columns (DESCRIPTION lists goals and
# personas; moved occurrences are VEVENTs of their own).
_EVENT_CHILDREN = ("goals", "persona_links", "overrides")


def _event_changed(item: Item) -> bool:
    state = orm_inspect(item)
    for attr in state.mapper.column_attrs:
        if attr.key not in _BOOKKEEPING and state.attrs[attr.key].history.has_changes():
            return True
    return any(state.attrs[name].history.has_changes() for name in _EVENT_CHILDREN)


def _parent_item(session: Session, child: object) -> Item | None:
    item_id = getattr(child, "item_id", None)
    if item_id is None:
        parent = getattr(child, "item", None)
        return parent if isinstance(parent, Item) else None
    return session.get(Item, item_id)


@event.listens_for(Session, "before_flush")
def _grow_sequence(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Grow ``Item.sequence`` with every change of what the item's VEVENT shows.

    Outlook and Google take an event with an unchanged SEQUENCE for the one they have,
    so every write path (item dialog, drag, import, undo) must bump it. Done here once
    rather than in each service; a service that sets the sequence itself is left alone.
    """
    changed: set[Item] = set()
    with session.no_autoflush:
        for obj in session.dirty:
            if isinstance(obj, Item):
                if _event_changed(obj):
                    changed.add(obj)
            elif isinstance(obj, ItemGoal | ItemPersona | ItemOverride):
                parent = _parent_item(session, obj)
                if parent is not None:
                    changed.add(parent)
        for obj in (*session.new, *session.deleted):
            if isinstance(obj, ItemGoal | ItemPersona | ItemOverride):
                parent = _parent_item(session, obj)
                if parent is not None and parent not in session.new:
                    changed.add(parent)
    for item in changed:
        if item in session.deleted or orm_inspect(item).attrs.sequence.history.has_changes():
            continue
        item.sequence = (item.sequence or 0) + 1


class RuleSetting(Base):
    """Per-plan settings of a conflict rule: built-in (by id) or user-defined."""

    __tablename__ = "rule_settings"
    rule_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    severity: Mapped[str | None] = mapped_column(String(10), nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # True for "kind A must not overlap kind B" rules the team wrote themselves.
    user_defined: Mapped[bool] = mapped_column(Boolean, default=False)


class ConflictAcknowledgement(Base):
    """ "We know, it is fine": a conflict the teams accepted, and why.

    It names the conflict by its rule, persona and each item's occurrence (start and end)
    as they were, so it lapses by itself when one of the items moves; ``digest`` is the
    hash of that identity (``domain.conflict_rules.conflict_key``).
    """

    __tablename__ = "conflict_acknowledgements"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(200))
    persona_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # [{"uid": ..., "start": ..., "end": ...}] local ISO dates or date-times, by uid.
    occurrences: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
