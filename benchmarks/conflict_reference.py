"""A plainly written, all-pairs conflict check: the yardstick for the fast engine.

Every pair of occurrences is compared for every overlap rule, and persona fatigue is
found by counting the window from every item's start day. Slow (quadratic) on purpose,
so that it is easy to read and hard to get wrong; tests check the fast engine gives exactly the same
conflicts, and the benchmark reports both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from smarketing_desktop.conflicts.data import Entry, Occ
from smarketing_desktop.conflicts.model import (
    Conflict,
    Ident,
    Names,
    fatigue_conflict,
    pair_conflict,
    signoff_conflict,
)
from smarketing_desktop.conflicts.rules import (
    NEEDS_SIGNOFF,
    OUTBOUND,
    FatigueRule,
    OverlapRule,
    RuleSet,
    SignoffRule,
)


def _overlaps_in_time(a: Occ, b: Occ) -> bool:
    return a.u0 < b.u1 and b.u0 < a.u1


def _a_against_b(rule: OverlapRule, a: Occ, b: Occ) -> bool:
    """The rule read literally, with ``a`` as kind A and ``b`` as kind B."""
    if a.entry.uid == b.entry.uid:
        return False
    if a.entry.kind not in rule.kinds_a or b.entry.kind not in rule.kinds_b:
        return False
    if a.entry.impact < rule.min_impact:
        return False
    if rule.same_owner and (a.entry.owner is None or a.entry.owner != b.entry.owner):
        return False
    if rule.shared_persona:
        everyone = not a.entry.personas or not b.entry.personas
        if not everyone and not (a.entry.personas & b.entry.personas):
            return False
    both_timed = a.lm0 >= 0 and b.lm0 >= 0
    if both_timed and not rule.day_level and rule.before == 0 and rule.after == 0:
        return _overlaps_in_time(a, b)
    extended_first = b.d0 - rule.before
    extended_last = b.d1 + rule.after
    return a.d0 <= extended_last and a.d1 >= extended_first


def _pairs(rule: OverlapRule, occs: list[Occ], names: Names) -> list[Conflict]:
    result = []
    for i, x in enumerate(occs):
        for y in occs[i + 1 :]:
            x_first = _a_against_b(rule, x, y)
            y_first = _a_against_b(rule, y, x)
            if x_first and y_first:
                a, b = (x, y) if x.entry.uid < y.entry.uid else (y, x)
            elif x_first:
                a, b = x, y
            elif y_first:
                a, b = y, x
            else:
                continue
            result.append(pair_conflict(rule, a, b, names))
    return result


def _fatigue(
    rule: FatigueRule, occs: list[Occ], groups: tuple[str | None, ...], names: Names
) -> list[Conflict]:
    outbound = {kind.value for kind in OUTBOUND}
    result = []
    for group in groups:
        mine = [
            o
            for o in occs
            if o.entry.kind in outbound and (not o.entry.personas or group in o.entry.personas)
        ]
        if not mine:
            continue
        # Every window starting on an item's day; the over-full ones are grouped by the
        # block of W days (ordinal 1 is a Monday) they start in.
        width = rule.window_days
        blocks: dict[int, set[int]] = {}
        for start in sorted({o.d0 for o in mine}):
            window = [i for i, o in enumerate(mine) if start <= o.d0 <= start + width - 1]
            if len(window) > rule.max_items:
                blocks.setdefault((start - 1) // width, set()).update(window)
        for block in sorted(blocks):
            members = sorted((mine[i] for i in blocks[block]), key=lambda o: o.d0)
            result.append(fatigue_conflict(rule, group, members, names))
    return result


def _signoff(rule: SignoffRule, entries: list[Entry], today: dt.date) -> list[Conflict]:
    kinds = {kind.value for kind in NEEDS_SIGNOFF}
    result = []
    for entry in entries:
        if entry.kind not in kinds or (entry.signed_marketing and entry.signed_sales):
            continue
        soon = [o for o in entry.occs if today <= o.start <= today + dt.timedelta(days=rule.days)]
        if soon:
            first = min(soon, key=lambda o: (o.d0, o.lm0, o.d1, o.lm1))
            result.append(signoff_conflict(rule, first, today))
    return result


def reference_check(
    entries: Iterable[Entry],
    rules: RuleSet,
    *,
    today: dt.date,
    names: Names | None = None,
    personas: Iterable[str] = (),
) -> dict[Ident, Conflict]:
    """Every conflict among ``entries``, by identity (same arguments as ``Engine``)."""
    names = names or Names()
    entries = list(entries)
    occs = [o for e in entries for o in e.occs]
    groups: tuple[str | None, ...] = tuple(sorted(set(personas))) or (None,)
    found: list[Conflict] = []
    for rule in rules.overlaps:
        found += _pairs(rule, occs, names)
    if rules.fatigue is not None:
        found += _fatigue(rules.fatigue, occs, groups, names)
    if rules.signoff is not None:
        found += _signoff(rules.signoff, entries, today)
    return {c.ident: c for c in found}
