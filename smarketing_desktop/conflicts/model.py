"""Conflict records and their one-sentence messages.

Both engines (the fast one and the all-pairs reference) decide *which* conflicts exist;
this module turns each into the same record, so the two can be compared exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
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

_RANKS = {severity.value: severity.rank for severity in Severity}
# ``Severity.value`` is a descriptor call; a dict is quicker in the pair loops.
_SEVERITY_TEXT = {severity: severity.value for severity in Severity}
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


# One occurrence inside a conflict: (uid, first day, start minute, last day, end minute);
# days are ordinals, minutes local minutes of the day (-1: all-day).
Moment = tuple[str, int, int, int, int]
# A conflict's identity: rule, persona (fatigue only) and its occurrences, sorted.
Ident = tuple[str, str | None, tuple[Moment, ...]]


def moment_text(day: int, minute: int) -> str:
    """A local ISO date, or date-time without zone for a timed occurrence."""
    text = dt.date.fromordinal(day).isoformat()
    return text if minute < 0 else f"{text}T{minute // 60:02d}:{minute % 60:02d}:00"


class Conflict:
    """A rule violation: rule id, severity, a one-sentence message and the items.

    Made in bulk by the engine, so the message and the text key are only written when
    someone reads them; ``ident`` (rule, persona, occurrences) is its identity.
    """

    __slots__ = (
        "_args",
        "_describe",
        "_key",
        "_message",
        "first",
        "ident",
        "items",
        "last",
        "moments",
        "persona",
        "rule",
        "severity",
    )

    def __init__(
        self,
        rule: str,
        severity: str,
        items: tuple[str, ...],
        first: int,
        last: int,
        moments: tuple[Moment, ...],
        persona: str | None = None,
        describe: Callable[..., str] | None = None,
        args: tuple[object, ...] = (),
        message: str | None = None,
    ) -> None:
        self.rule = rule
        self.severity = severity
        # The uids of the items, the one the message is about first.
        self.items = items
        self.first = first
        self.last = last
        # Sorted by the callers (a pair costs one comparison; sorting is a tenth of a check).
        self.moments = moments
        # The persona a persona-fatigue conflict is about (None: everyone, other rules).
        self.persona = persona
        self.ident: Ident = (rule, persona, self.moments)
        # ``describe(*args)`` writes the message; not a ``partial``, which would be one
        # more object per conflict for the collector to scan after a full check.
        self._describe = describe
        self._args = args
        self._message = message
        self._key: str | None = None

    @property
    def message(self) -> str:
        """One sentence naming the other item(s), and the date of a recurring one."""
        if self._message is None:
            assert self._describe is not None
            self._message = self._describe(*self._args)
            self._describe = None
            self._args = ()  # let go of the occurrences it described
        return self._message

    @property
    def start(self) -> dt.date:
        return dt.date.fromordinal(self.first)

    @property
    def end(self) -> dt.date:
        return dt.date.fromordinal(self.last)

    @property
    def occurrences(self) -> tuple[OccurrenceRef, ...]:
        """Each item's occurrence the conflict is about, as local ISO text."""
        return tuple(
            OccurrenceRef(uid, moment_text(d0, m0), moment_text(d1, m1))
            for uid, d0, m0, d1, m1 in self.moments
        )

    @property
    def key(self) -> str:
        """The text identity acknowledgements store (see ``conflict_key``)."""
        if self._key is None:
            self._key = conflict_key(
                self.rule, self.persona, ((o.uid, o.start, o.end) for o in self.occurrences)
            )
        return self._key

    def days_of(self, uid: str) -> list[dt.date]:
        """The start days of ``uid``'s occurrences this conflict is about."""
        return [dt.date.fromordinal(m[1]) for m in self.moments if m[0] == uid]

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings: higher is worse."""
        return _RANKS[self.severity]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Conflict):
            return NotImplemented
        return (self.ident, self.severity, self.items, self.first, self.last, self.message) == (
            other.ident,
            other.severity,
            other.items,
            other.first,
            other.last,
            other.message,
        )

    def __hash__(self) -> int:
        return hash(self.ident)

    def __repr__(self) -> str:
        return (
            f"Conflict({self.rule!r}, {self.severity!r}, {self.items!r}, {self.start}..{self.end})"
        )


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


def _moment(occ: Occ) -> Moment:
    return (occ.entry.uid, occ.d0, occ.lm0, occ.d1, occ.lm1)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _listing(titles: Sequence[str]) -> str:
    shown = list(titles[:_LISTED])
    if len(titles) > _LISTED:
        shown.append(f"{len(titles) - _LISTED} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _relation(a: Occ, b: Occ) -> str:
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
    ea, eb = a.entry, b.entry
    # ``_moment`` inlined: tens of thousands of pairs per full check.
    ma = (ea.uid, a.d0, a.lm0, a.d1, a.lm1)
    mb = (eb.uid, b.d0, b.lm0, b.d1, b.lm1)
    return Conflict(
        rule.id,
        _SEVERITY_TEXT[rule.severity_for(ea.impact)],
        (ea.uid, eb.uid),
        first,
        last,
        (ma, mb) if ma <= mb else (mb, ma),
        describe=_pair_message,
        args=(rule, a, b, first, last, names),
    )


def _pair_message(rule: OverlapRule, a: Occ, b: Occ, first: int, last: int, names: Names) -> str:
    when = span_text(b.start, b.end)
    relation = _relation(a, b)
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
        return f"{text}, so sales cannot follow up the leads."
    if rule.id == PROMOTION_OVERLAP:
        shared = sorted(a.entry.personas & b.entry.personas) or sorted(
            a.entry.personas | b.entry.personas
        )
        audience = _listing([names.persona(p) for p in shared]) if shared else "everyone"
        overlap = span_text(dt.date.fromordinal(first), dt.date.fromordinal(last))
        return (
            f"{_item(a)} and {_item(b)} run at the same time for {audience} "
            f"({overlap}): mixed messages, and the discounts stack."
        )
    if rule.id == BLACKOUT:
        return f"{_item(a)} falls on the holiday {_item(b)} ({when})."
    if rule.id == OWNER_DOUBLE_BOOKED:
        return (
            f"{names.person(a.entry.owner)} owns both {_item(a)} ({_times(a)}) and "
            f"{_item(b)} ({_times(b)}) at the same time."
        )
    if relation == "during":
        return f"{_item(a)} overlaps {_item(b)} ({when}), against the rule “{rule.name}”."
    buffer = rule.before if a.d1 < b.d0 else rule.after
    return (
        f"{_item(a)} is {relation} {_item(b)} ({when}), within the "
        f"{_plural(buffer, 'day')} of the rule “{rule.name}”."
    )


def fatigue_conflict(
    rule: FatigueRule, persona: str | None, occs: Sequence[Occ], names: Names
) -> Conflict:
    """Too many outbound items for ``persona`` (None: everyone) in one block of W days
    (the over-full windows that start in it; see ``Engine._block_items``).

    ``occs`` come by start day. The items are listed by uid (the message lists them by
    date), so both engines make the same record whatever order ties came in.
    """
    moments = sorted([(o.entry.uid, o.d0, o.lm0, o.d1, o.lm1) for o in occs])
    return Conflict(
        PERSONA_FATIGUE,
        rule.severity.value,
        tuple(dict.fromkeys(m[0] for m in moments)),
        occs[0].d0,
        occs[-1].d0,
        tuple(moments),
        persona,
        describe=_fatigue_message,
        args=(rule, persona, occs, names),
    )


def _fatigue_message(
    rule: FatigueRule, persona: str | None, occs: Sequence[Occ], names: Names
) -> str:
    ordered = sorted(occs, key=lambda o: (o.d0, o.lm0, o.entry.uid, o.d1, o.lm1))
    titles = list(dict.fromkeys(_item(o) for o in ordered))
    return (
        f"{names.persona(persona)} gets {len(ordered)} outbound items starting "
        f"{span_text(ordered[0].start, ordered[-1].start)}, more than {rule.max_items} in "
        f"{_plural(rule.window_days, 'day')}: {_listing(titles)}."
    )


def signoff_conflict(rule: SignoffRule, occ: Occ, today: dt.date) -> Conflict:
    """``occ`` starts within the rule's days without both teams' sign-off."""
    return Conflict(
        MISSING_SIGNOFF,
        rule.severity.value,
        (occ.entry.uid,),
        occ.d0,
        occ.d1,
        (_moment(occ),),
        describe=_signoff_message,
        args=(occ, today),
    )


def _signoff_message(occ: Occ, today: dt.date) -> str:
    entry = occ.entry
    missing = [
        team
        for team, signed in (("marketing", entry.signed_marketing), ("sales", entry.signed_sales))
        if not signed
    ]
    days = occ.d0 - today.toordinal()
    soon = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return (
        f"{_item(occ)} starts {soon} ({day_text(occ.start)}) without sign-off from "
        f"{' and '.join(missing)}."
    )


def sort_key(conflict: Conflict) -> tuple[int, int, str, str, tuple[Moment, ...]]:
    """Worst first, then by date: the order lists and the command line show."""
    return (-conflict.rank, conflict.first, conflict.rule, conflict.persona or "", conflict.moments)
