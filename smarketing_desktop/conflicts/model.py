"""Conflict records and their one-sentence messages.

Both engines (the fast one and the all-pairs reference) decide *which* conflicts exist;
this module turns each into the same record, so the two can be compared exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from smarketing_desktop.conflicts.data import Occ
from smarketing_desktop.conflicts.rules import (
    BLACKOUT,
    EMAIL_DURING_TRADESHOW,
    MISSING_SIGNOFF,
    OWNER_DOUBLE_BOOKED,
    PERSONA_FATIGUE,
    PROMOTION_OVERLAP,
    FatigueRule,
    OverlapRule,
    Severity,
    SignoffRule,
)
from smarketing_desktop.domain.conflict_rules import conflict_key

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TITLE_LIMIT = 80
_LISTED = 4


@dataclass(frozen=True, slots=True)
class OccurrenceRef:
    """Which occurrence of an item a conflict is about: its local start and end."""

    uid: str
    start: str
    end: str

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.start[:10])


@dataclass(frozen=True, slots=True)
class Conflict:
    """A rule violation: rule id, severity, a one-sentence message and the items."""

    rule: str
    severity: str
    message: str
    # The uids of the items, the one the message is about first.
    items: tuple[str, ...]
    start: dt.date
    end: dt.date
    occurrences: tuple[OccurrenceRef, ...]
    # The persona a persona-fatigue conflict is about (None: everyone, or other rules).
    persona: str | None = None
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            moments = ((o.uid, o.start, o.end) for o in self.occurrences)
            object.__setattr__(self, "key", conflict_key(self.rule, self.persona, moments))

    def days_of(self, uid: str) -> list[dt.date]:
        """The start days of ``uid``'s occurrences this conflict is about."""
        return [o.day for o in self.occurrences if o.uid == uid]

    @property
    def rank(self) -> int:
        return Severity(self.severity).rank


@dataclass(frozen=True, slots=True)
class Names:
    """Display names of people and personas, for messages."""

    people: Mapping[str, str] = field(default_factory=dict)
    personas: Mapping[str, str] = field(default_factory=dict)

    def person(self, person_id: str | None) -> str:
        if person_id is None:
            return "Nobody"
        return self.people.get(person_id, person_id)

    def persona(self, persona_id: str | None) -> str:
        if persona_id is None:
            return "Everyone"
        return self.personas.get(persona_id, persona_id)


def day_text(day: dt.date) -> str:
    """``11 Mar 2027`` (the same in every locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def span_text(first: dt.date, last: dt.date) -> str:
    """``11 Mar 2027``, ``10–12 Mar 2027``, ``28 Feb – 2 Mar 2027``."""
    if first == last:
        return day_text(first)
    if first.year != last.year:
        return f"{day_text(first)} – {day_text(last)}"
    if first.month != last.month:
        return f"{first.day} {_MONTHS[first.month - 1]} – {day_text(last)}"
    return f"{first.day}–{day_text(last)}"


def quoted(title: str) -> str:
    """A title in quotes, shortened when very long so the sentence stays readable."""
    text = " ".join(title.split())
    if len(text) > _TITLE_LIMIT:
        text = text[: _TITLE_LIMIT - 1].rstrip() + "…"
    return f"“{text}”"


def _item(occ: Occ) -> str:
    """A title, with the occurrence's date for recurring items."""
    title = quoted(occ.entry.title)
    return f"{title} on {day_text(occ.start)}" if occ.entry.recurring else title


def _times(occ: Occ) -> str:
    if occ.lm0 < 0:
        return span_text(occ.start, occ.end)
    return f"{day_text(occ.start)}, {occ.lm0 // 60:02d}:{occ.lm0 % 60:02d}"


def _ref(occ: Occ) -> OccurrenceRef:
    return OccurrenceRef(occ.entry.uid, occ.moment(), occ.moment(last=True))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _listing(titles: Sequence[str]) -> str:
    shown = list(titles[:_LISTED])
    if len(titles) > _LISTED:
        shown.append(f"{len(titles) - _LISTED} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _relation(rule: OverlapRule, a: Occ, b: Occ) -> str:
    """How A sits against B: during it, or within the buffer before or after it."""
    if a.d0 <= b.d1 and a.d1 >= b.d0:
        return "during"
    if a.d0 > b.d1:
        return f"{_plural(a.d0 - b.d1, 'day')} after"
    return f"{_plural(b.d0 - a.d1, 'day')} before"


def pair_conflict(rule: OverlapRule, a: Occ, b: Occ, names: Names) -> Conflict:
    """The conflict of occurrence ``a`` (kind A) against ``b`` (kind B) under ``rule``."""
    first = max(a.d0, b.d0 - rule.before)
    last = min(a.d1, b.d1 + rule.after)
    if first > last:  # timed items in different zones: the instants overlap, not the days
        first, last = a.d0, a.d1
    start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
    severity = rule.severity_for(a.entry.impact)
    when = span_text(b.start, b.end)
    relation = _relation(rule, a, b)
    if rule.id == EMAIL_DURING_TRADESHOW:
        if relation == "during":
            text = f"{_item(a)} goes out during {_item(b)} ({when})"
        elif a.d0 > b.d1:
            text = (
                f"{_item(a)} goes out {relation} {_item(b)} ({when}), within its "
                f"{_plural(rule.after, 'follow-up day')}"
            )
        else:
            text = f"{_item(a)} goes out {relation} {_item(b)} ({when}) starts"
        message = f"{text}, so sales cannot follow up the leads."
    elif rule.id == PROMOTION_OVERLAP:
        shared = sorted(a.entry.personas & b.entry.personas) or sorted(
            a.entry.personas | b.entry.personas
        )
        audience = _listing([names.persona(p) for p in shared]) if shared else "everyone"
        message = (
            f"{_item(a)} and {_item(b)} run at the same time for {audience} "
            f"({span_text(start, end)}): mixed messages, and the discounts stack."
        )
    elif rule.id == BLACKOUT:
        message = f"{_item(a)} falls on the holiday {_item(b)} ({when})."
    elif rule.id == OWNER_DOUBLE_BOOKED:
        message = (
            f"{names.person(a.entry.owner)} owns both {_item(a)} ({_times(a)}) and "
            f"{_item(b)} ({_times(b)}) at the same time."
        )
    else:
        buffer = ""
        if relation != "during":
            buffer = (
                f", within the rule's {_plural(rule.before if a.d1 < b.d0 else rule.after, 'day')}"
            )
        verb = "overlaps" if relation == "during" else f"is {relation}"
        message = f"{_item(a)} {verb} {_item(b)} ({when}){buffer}: the rule “{rule.name}”."
    return Conflict(
        rule.id,
        severity.value,
        message,
        (a.entry.uid, b.entry.uid),
        start,
        end,
        (_ref(a), _ref(b)),
    )


def fatigue_conflict(
    rule: FatigueRule, persona: str | None, occs: Sequence[Occ], names: Names
) -> Conflict:
    """Too many outbound items for ``persona`` (None: everyone) in one stretch."""
    occs = sorted(occs, key=lambda o: (o.d0, o.lm0, o.entry.uid, o.d1, o.lm1))
    uids: dict[str, None] = {}
    titles: dict[str, None] = {}
    for occ in occs:
        uids[occ.entry.uid] = None
        titles[_item(occ)] = None
    first, last = occs[0].start, occs[-1].start
    message = (
        f"{names.persona(persona)} gets {len(occs)} outbound items starting "
        f"{span_text(first, last)}, more than {rule.max_items} in "
        f"{_plural(rule.window_days, 'day')}: {_listing(list(titles))}."
    )
    return Conflict(
        PERSONA_FATIGUE,
        rule.severity.value,
        message,
        tuple(uids),
        first,
        last,
        tuple(_ref(o) for o in occs),
        persona,
    )


def signoff_conflict(rule: SignoffRule, occ: Occ, today: dt.date) -> Conflict:
    """``occ`` starts within the rule's days without both teams' sign-off."""
    entry = occ.entry
    missing = [
        team
        for team, signed in (("marketing", entry.signed_marketing), ("sales", entry.signed_sales))
        if not signed
    ]
    days = occ.d0 - today.toordinal()
    soon = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    message = (
        f"{_item(occ)} starts {soon} ({day_text(occ.start)}) without sign-off from "
        f"{' and '.join(missing)}."
    )
    return Conflict(
        MISSING_SIGNOFF,
        rule.severity.value,
        message,
        (entry.uid,),
        occ.start,
        occ.end,
        (_ref(occ),),
    )


def sort_key(conflict: Conflict) -> tuple[int, dt.date, str, str]:
    """Worst first, then by date: the order lists and the command line show."""
    return (-conflict.rank, conflict.start, conflict.rule, conflict.key)
