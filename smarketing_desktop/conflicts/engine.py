"""The fast conflict engine: interval indexes, a full check and incremental re-checks.

Occurrences sit in day-bucket indexes (per kind, and per owner for bookings) and, for
persona fatigue, in sorted start lists per persona. A full check asks, for each
occurrence of the rarer side of a rule, only the bucket range it can touch. After one
item changes, ``update`` drops only the conflicts that involve it and the fatigue
blocks near its old and new days, and asks the indexes about it again: the cost
depends on its neighbours in time, not on the size of the plan.

``reference.py`` holds a plainly written all-pairs version; tests check that both agree.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from smarketing_desktop.collector import collector_paused
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
    PERSONA_FATIGUE,
    OverlapRule,
    RuleSet,
)

_SHIFT = 3  # buckets of 8 days
_OUTBOUND = frozenset(k.value for k in OUTBOUND)
_NEEDS_SIGNOFF = frozenset(k.value for k in NEEDS_SIGNOFF)
# Local days of one instant differ by at most a day between zones (offsets stay < 24 h).
_ZONE_SLACK = 1


def _by_start(occ: Occ) -> int:
    return occ.d0


def _start_order(occ: Occ) -> tuple[int, int]:
    return occ.d0, occ.n


class DayIndex:
    """Occurrences by the 8-day buckets their days touch; finds overlaps of a day range."""

    __slots__ = ("buckets",)

    def __init__(self) -> None:
        self.buckets: dict[int, list[Occ]] = {}

    def add(self, occ: Occ) -> None:
        buckets = self.buckets
        for bucket in range(occ.d0 >> _SHIFT, (occ.d1 >> _SHIFT) + 1):
            found = buckets.get(bucket)
            if found is None:
                buckets[bucket] = [occ]
            else:
                found.append(occ)

    def add_all(self, occs: Iterable[Occ]) -> None:
        """Add many at once (a full check): most occurrences sit in one bucket."""
        buckets = self.buckets
        for occ in occs:
            first, last = occ.d0 >> _SHIFT, occ.d1 >> _SHIFT
            if first == last:
                found = buckets.get(first)
                if found is None:
                    buckets[first] = [occ]
                else:
                    found.append(occ)
            else:
                for bucket in range(first, last + 1):
                    buckets.setdefault(bucket, []).append(occ)

    def remove(self, occ: Occ) -> None:
        buckets = self.buckets
        for bucket in range(occ.d0 >> _SHIFT, (occ.d1 >> _SHIFT) + 1):
            found = buckets[bucket]
            found.remove(occ)
            if not found:
                del buckets[bucket]

    def query(self, first: int, last: int) -> list[Occ]:
        """Every occurrence whose days touch ``first``..``last`` (ordinals), once."""
        low = first >> _SHIFT
        result = []
        get = self.buckets.get
        for bucket in range(low, (last >> _SHIFT) + 1):
            found = get(bucket)
            if not found:
                continue
            for occ in found:
                if occ.d0 <= last and occ.d1 >= first:
                    # Report a long occurrence only from the first bucket both share.
                    home = occ.d0 >> _SHIFT
                    if (home if home > low else low) == bucket:
                        result.append(occ)
        return result


def fires(rule: OverlapRule, a: Occ, b: Occ) -> bool:
    """Does occurrence ``a`` (as kind A) conflict with ``b`` (as kind B) under ``rule``?"""
    ea, eb = a.entry, b.entry
    if ea is eb or ea.kind not in rule.kinds_a or eb.kind not in rule.kinds_b:
        return False
    if ea.impact < rule.min_impact:
        return False
    if rule.same_owner and (ea.owner is None or ea.owner != eb.owner):
        return False
    if rule.shared_persona and ea.personas and eb.personas and ea.personas.isdisjoint(eb.personas):
        return False
    if not rule.day_level and not rule.before and not rule.after and a.lm0 >= 0 and b.lm0 >= 0:
        return a.u0 < b.u1 and b.u0 < a.u1
    return a.d0 <= b.d1 + rule.after and a.d1 >= b.d0 - rule.before


@dataclass(slots=True)
class Delta:
    """What updates changed: the old conflicts that went away, then the new ones.

    An identity in both was replaced (same occurrences, new message: a renamed item).
    """

    added: dict[Ident, Conflict] = field(default_factory=dict)
    removed: dict[Ident, Conflict] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def then(self, later: Delta) -> None:
        """Fold ``later`` (which happened after this) into this delta."""
        for key, conflict in later.removed.items():
            # Gone again after appearing here: forget it (a replaced original stays removed).
            if self.added.pop(key, None) is None:
                self.removed.setdefault(key, conflict)
        self.added.update(later.added)


class Engine:
    """All conflicts of a set of entries, kept up to date as entries change.

    Args:
        rules: the rules to run.
        today: the day ``missing-signoff`` counts from.
        names: people and persona names for messages.
        personas: the plan's personas; fatigue is counted per persona, an item without
            personas counting for every one. With none, everything counts for
            "everyone". Items' personas outside this list are not counted.
    """

    def __init__(
        self,
        rules: RuleSet,
        *,
        today: dt.date,
        names: Names | None = None,
        personas: Iterable[str] = (),
    ) -> None:
        self.rules = rules
        self.today = today
        self.names = names or Names()
        groups: tuple[str | None, ...] = tuple(sorted(set(personas)))
        self.groups = groups or (None,)
        self._owner_kinds = frozenset(
            kind for rule in rules.overlaps if rule.same_owner for kind in rule.kinds_a
        )
        self._pair_kinds = frozenset(
            kind
            for rule in rules.overlaps
            if not rule.same_owner
            for kind in rule.kinds_a | rule.kinds_b
        )
        self._delta: Delta | None = None
        self._reset()

    def _reset(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.conflicts: dict[Ident, Conflict] = {}
        self._by_uid: dict[str, set[Ident]] = {}
        self._kinds: dict[str, DayIndex] = {}
        # Built on first need: a full check sweeps each owner's bookings instead.
        self._owners: dict[str, DayIndex] | None = {}
        # Per persona group: its outbound occurrences by (start day, ``n``). Occurrences
        # themselves, not (day, n, occ) tuples: a plan's worth of tuples is a tenth of a
        # full check in the collector's scan alone.
        self._starts: dict[str | None, list[Occ]] = {g: [] for g in self.groups}
        # Per persona group: block number -> its fatigue conflict.
        self._fatigue_of: dict[str | None, dict[int, Ident]] = {g: {} for g in self.groups}
        self._seq = 0

    # --- reading ------------------------------------------------------------------

    def __iter__(self) -> Iterator[Conflict]:
        return iter(self.conflicts.values())

    def __len__(self) -> int:
        return len(self.conflicts)

    def involving(self, uid: str) -> list[Conflict]:
        """The conflicts ``uid`` is part of."""
        return [self.conflicts[key] for key in self._by_uid.get(uid, ())]

    # --- bookkeeping --------------------------------------------------------------

    def _add(self, conflict: Conflict) -> None:
        key = conflict.ident
        if key in self.conflicts:
            return
        self._add_all((conflict,))
        delta = self._delta
        if delta is not None:
            old = delta.removed.get(key)
            if old is not None and old == conflict:
                del delta.removed[key]  # dropped and found again, unchanged
            else:
                delta.added[key] = conflict  # new, or replacing one (a renamed item)

    def _drop(self, key: Ident) -> None:
        conflict = self.conflicts.pop(key)
        for uid in conflict.items:
            keys = self._by_uid[uid]
            keys.discard(key)
            if not keys:
                del self._by_uid[uid]
        if self._delta is not None and self._delta.added.pop(key, None) is None:
            self._delta.removed[key] = conflict

    def _fatigue_groups(self, entry: Entry) -> Iterable[str | None]:
        if self.rules.fatigue is None or entry.kind not in _OUTBOUND:
            return ()
        if not entry.personas:
            return self.groups
        return [p for p in entry.personas if p in self._starts]

    def _index(self, entry: Entry) -> None:
        kind = entry.kind
        in_pairs = kind in self._pair_kinds
        owner = entry.owner if kind in self._owner_kinds else None
        groups = self._fatigue_groups(entry)
        for occ in entry.occs:
            self._seq += 1
            occ.n = self._seq
            if in_pairs:
                self._kinds.setdefault(kind, DayIndex()).add(occ)
            if owner is not None:
                self._owner_indexes().setdefault(owner, DayIndex()).add(occ)
            for group in groups:
                bisect.insort(self._starts[group], occ, key=_start_order)

    def prepare_updates(self) -> None:
        """Build now what the first ``update`` after a full check would build: the
        per-owner indexes (the check sweeps each owner's bookings and does not need
        them). The app calls this in the worker that ran the check, so the first drag
        after a check is as quick as the others."""
        self._owner_indexes()

    def _owner_indexes(self) -> dict[str, DayIndex]:
        if self._owners is None:
            self._owners = {}
            for entry in self.entries.values():
                if entry.owner is not None and entry.kind in self._owner_kinds:
                    self._owners.setdefault(entry.owner, DayIndex()).add_all(entry.occs)
        return self._owners

    def _index_all(
        self, entries: Iterable[Entry]
    ) -> tuple[dict[str, list[Occ]], dict[str, list[Occ]]]:
        """``_index`` for a whole plan at once: lists sorted once instead of kept sorted."""
        by_kind: dict[str, list[Occ]] = {}
        by_owner: dict[str, list[Occ]] = {}
        starts = self._starts
        seq = self._seq
        fatigue = self.rules.fatigue is not None
        owner_kinds = self._owner_kinds
        everyone = self.groups
        for entry in entries:
            self.entries[entry.uid] = entry
            occs = entry.occs
            kind = entry.kind
            by_kind.setdefault(kind, []).extend(occs)
            if entry.owner is not None and kind in owner_kinds:
                by_owner.setdefault(entry.owner, []).extend(occs)
            if not fatigue or kind not in _OUTBOUND:
                continue
            groups = [p for p in entry.personas if p in starts] if entry.personas else everyone
            for occ in occs:
                seq += 1
                occ.n = seq  # orders equal start days in the fatigue lists
                for group in groups:
                    starts[group].append(occ)
        self._seq = seq
        for group_starts in starts.values():
            # Appended in ``n`` order, so a stable sort by day orders by (day, n).
            group_starts.sort(key=_by_start)
        for kind, of_kind in by_kind.items():
            if kind in self._pair_kinds:
                self._kinds.setdefault(kind, DayIndex()).add_all(of_kind)
        self._owners = None
        return by_kind, by_owner

    def _unindex(self, entry: Entry) -> None:
        kind = entry.kind
        in_pairs = kind in self._pair_kinds
        owner = entry.owner if kind in self._owner_kinds else None
        groups = self._fatigue_groups(entry)
        for occ in entry.occs:
            if in_pairs:
                self._kinds[kind].remove(occ)
            if owner is not None:
                self._owner_indexes()[owner].remove(occ)
            for group in groups:
                starts = self._starts[group]
                del starts[bisect.bisect_left(starts, (occ.d0, occ.n), key=_start_order)]

    def _candidates(
        self, rule: OverlapRule, occ: Occ, kinds: frozenset[str], first: int, last: int
    ) -> list[Occ]:
        if rule.same_owner:
            owner = occ.entry.owner
            index = self._owner_indexes().get(owner) if owner is not None else None
            return index.query(first, last) if index is not None else []
        found: list[Occ] = []
        for kind in kinds:
            index = self._kinds.get(kind)
            if index is not None:
                found += index.query(first, last)
        return found

    @staticmethod
    def _slack(rule: OverlapRule) -> int:
        return 0 if rule.day_level or rule.before or rule.after else _ZONE_SLACK

    # --- pairs --------------------------------------------------------------------

    def _pair(self, rule: OverlapRule, x: Occ, y: Occ) -> Conflict | None:
        """The conflict between ``x`` and ``y`` (either way round for symmetric rules)."""
        forward = fires(rule, x, y)
        backward = forward if rule.either_way else rule.symmetric and fires(rule, y, x)
        if forward and backward:
            a, b = (x, y) if x.entry.uid < y.entry.uid else (y, x)
        elif forward:
            a, b = x, y
        elif backward:
            a, b = y, x
        else:
            return None
        return pair_conflict(rule, a, b, self.names)

    def _pairs_of(self, entry: Entry, sink: list[Conflict]) -> None:
        """Every pair conflict ``entry`` is part of, on either side."""
        kind = entry.kind
        for rule in self.rules.overlaps:
            slack = self._slack(rule)
            if rule.symmetric:
                if kind not in rule.kinds_a:
                    continue
                reach = max(rule.before, rule.after) + slack
                for x in entry.occs:
                    for y in self._candidates(rule, x, rule.kinds_b, x.d0 - reach, x.d1 + reach):
                        if y.entry is not entry:
                            found = self._pair(rule, x, y)
                            if found is not None:
                                sink.append(found)
                continue
            if kind in rule.kinds_a:
                for a in entry.occs:
                    first, last = a.d0 - rule.after - slack, a.d1 + rule.before + slack
                    for b in self._candidates(rule, a, rule.kinds_b, first, last):
                        if fires(rule, a, b):
                            sink.append(pair_conflict(rule, a, b, self.names))
            if kind in rule.kinds_b:
                for b in entry.occs:
                    first, last = b.d0 - rule.before - slack, b.d1 + rule.after + slack
                    for a in self._candidates(rule, b, rule.kinds_a, first, last):
                        if fires(rule, a, b):
                            sink.append(pair_conflict(rule, a, b, self.names))

    def _all_pairs(
        self,
        by_kind: dict[str, list[Occ]],
        by_owner: dict[str, list[Occ]],
        sink: list[Conflict],
    ) -> None:
        """Every pair conflict in the plan, asking from the rarer side of each rule."""
        for rule in self.rules.overlaps:
            slack = self._slack(rule)
            side_a = [o for kind in rule.kinds_a for o in by_kind.get(kind, ())]
            if rule.symmetric:
                if rule.same_owner:
                    # Each owner's bookings (the only same-owner rule is over them all).
                    self._sweep(rule, by_owner.values(), sink)
                else:
                    self._sweep(rule, [side_a], sink)
                continue
            side_b = [o for kind in rule.kinds_b for o in by_kind.get(kind, ())]
            if rule.same_owner or rule.shared_persona:
                for a in side_a:
                    first, last = a.d0 - rule.after - slack, a.d1 + rule.before + slack
                    for b in self._candidates(rule, a, rule.kinds_b, first, last):
                        if fires(rule, a, b):
                            sink.append(pair_conflict(rule, a, b, self.names))
            else:
                self._plain_pairs(rule, side_a, side_b, sink)

    def _sweep(self, rule: OverlapRule, groups: Iterable[list[Occ]], sink: list[Conflict]) -> None:
        """Pairs within each group (one owner's bookings; all promotions) by a sweep over
        start days: each occurrence meets only those still running within reach."""
        reach = max(rule.before, rule.after) + self._slack(rule)
        # Most pairs a sweep meets share a day but not the hours (one owner's meetings):
        # ``fires`` needs an overlap of the instants then, so test that first, here.
        in_time = not rule.day_level and not rule.before and not rule.after
        for occs in groups:
            occs.sort(key=_by_start)
            running: list[Occ] = []
            for y in occs:
                horizon = y.d0 - reach
                if running and (running[0].d1 < horizon or len(running) > 64):
                    running = [x for x in running if x.d1 >= horizon]
                timed = in_time and y.lm0 >= 0
                for x in running:
                    if timed and x.lm0 >= 0 and (x.u0 >= y.u1 or y.u0 >= x.u1):
                        continue
                    found = self._pair(rule, x, y)
                    if found is not None:
                        sink.append(found)
                running.append(y)

    def _plain_pairs(
        self, rule: OverlapRule, side_a: list[Occ], side_b: list[Occ], sink: list[Conflict]
    ) -> None:
        """``fires`` unrolled for the common rules (kind A against kind B, no owner or
        persona test), asking the index of the larger side from each of the smaller."""
        before, after, least = rule.before, rule.after, rule.min_impact
        in_time = not rule.day_level and not before and not after
        slack = self._slack(rule)
        names = self.names
        indexes_a = [self._kinds[k] for k in rule.kinds_a if k in self._kinds]
        indexes_b = [self._kinds[k] for k in rule.kinds_b if k in self._kinds]
        from_a = len(side_a) <= len(side_b)
        for occ in side_a if from_a else side_b:
            if from_a:
                if occ.entry.impact < least:
                    continue
                first, last = occ.d0 - after - slack, occ.d1 + before + slack
                indexes = indexes_b
            else:
                first, last = occ.d0 - before - slack, occ.d1 + after + slack
                indexes = indexes_a
            for index in indexes:
                for other in index.query(first, last):
                    a, b = (occ, other) if from_a else (other, occ)
                    ea = a.entry
                    if ea is b.entry or ea.impact < least:
                        continue
                    if in_time and a.lm0 >= 0 and b.lm0 >= 0:
                        if a.u0 >= b.u1 or b.u0 >= a.u1:
                            continue
                    elif a.d0 > b.d1 + after or a.d1 < b.d0 - before:
                        continue
                    sink.append(pair_conflict(rule, a, b, names))

    # --- single items -------------------------------------------------------------

    def _signoff(self, entry: Entry) -> Conflict | None:
        rule = self.rules.signoff
        if (
            rule is None
            or entry.kind not in _NEEDS_SIGNOFF
            or (entry.signed_marketing and entry.signed_sales)
        ):
            return None
        first = self.today.toordinal()
        last = first + rule.days
        for occ in entry.occs:
            if first <= occ.d0 <= last:
                return signoff_conflict(rule, occ, self.today)
        return None

    # --- persona fatigue ----------------------------------------------------------

    def _block(self, day: int) -> int:
        """The block of ``window_days`` days that ``day`` falls in (Monday-aligned weeks
        for the default 7: ordinal 1 is a Monday)."""
        rule = self.rules.fatigue
        assert rule is not None
        return (day - 1) // rule.window_days

    def _block_items(self, group: str | None, block: int) -> list[Occ]:
        """The occurrences of ``group``'s over-full windows that start in ``block``.

        A window of W days starting on an item's day is over-full when it holds more than
        N starts. One conflict per block keeps a long busy season as a row of week-sized
        conflicts rather than one chain across the year, and a change only touches the
        blocks whose windows can reach it.
        """
        rule = self.rules.fatigue
        assert rule is not None
        starts = self._starts[group]
        count = len(starts)
        width = rule.window_days - 1
        first = block * rule.window_days + 1
        last = first + width
        i = bisect.bisect_left(starts, first, key=_by_start)
        lo = hi = end = -1
        # Every later window starting in the block lies inside the first over-full one's
        # reach or extends it, so the union is one run of the start list.
        while i < count and starts[i].d0 <= last:
            day = starts[i].d0
            end = max(end, i)
            while end + 1 < count and starts[end + 1].d0 <= day + width:
                end += 1
            if end - i + 1 > rule.max_items:
                if lo < 0:
                    lo = i
                hi = end
            i += 1
            while i < count and starts[i].d0 == day:
                i += 1
        return starts[lo : hi + 1] if lo >= 0 else []

    def _overfull_runs(self, group: str | None) -> dict[int, tuple[int, int]]:
        """Every block's run of ``group``'s start list, as ``_block_items`` finds it one
        block at a time, in one pass over the list (for a full check: 150 personas'
        blocks one by one cost a third of the check)."""
        rule = self.rules.fatigue
        assert rule is not None
        starts = self._starts[group]
        count = len(starts)
        width = rule.window_days - 1
        runs: dict[int, tuple[int, int]] = {}
        i = 0
        end = -1
        days = [occ.d0 for occ in starts]
        window = rule.window_days
        most = rule.max_items
        while i < count:
            day = days[i]
            if end < i:
                end = i
            while end + 1 < count and days[end + 1] <= day + width:
                end += 1
            if end - i + 1 > most:
                block = (day - 1) // window  # ``_block``, inlined in this hot loop
                found = runs.get(block)
                runs[block] = (i if found is None else found[0], end)
            i += 1
            while i < count and days[i] == day:
                i += 1
        return runs

    def _refresh_blocks(self, group: str | None, blocks: Iterable[int]) -> None:
        rule = self.rules.fatigue
        assert rule is not None
        stored = self._fatigue_of[group]
        for block in sorted(set(blocks)):
            old = stored.pop(block, None)
            if old is not None:
                self._drop(old)
            occs = self._block_items(group, block)
            if occs:
                conflict = fatigue_conflict(rule, group, occs, self.names)
                stored[block] = conflict.ident
                self._add(conflict)

    def _refresh_fatigue(self, group: str | None, days: list[int]) -> None:
        """Recompute the blocks whose windows can hold any of ``days``."""
        rule = self.rules.fatigue
        assert rule is not None
        width = rule.window_days - 1
        blocks: set[int] = set()
        for day in days:
            blocks.update(range(self._block(day - width), self._block(day) + 1))
        self._refresh_blocks(group, blocks)

    # --- checks -------------------------------------------------------------------

    def check(self, entries: Iterable[Entry]) -> None:
        """Forget everything and check ``entries`` from scratch."""
        with collector_paused():
            self._check(entries)

    def _check(self, entries: Iterable[Entry]) -> None:
        self._reset()
        by_kind, by_owner = self._index_all(entries)
        found: list[Conflict] = []
        self._all_pairs(by_kind, by_owner, found)
        for entry in self.entries.values():
            conflict = self._signoff(entry)
            if conflict is not None:
                found.append(conflict)
        rule = self.rules.fatigue
        if rule is not None:
            for group in self.groups:
                starts, stored = self._starts[group], self._fatigue_of[group]
                for block, (lo, hi) in self._overfull_runs(group).items():
                    conflict = fatigue_conflict(rule, group, starts[lo : hi + 1], self.names)
                    stored[block] = conflict.ident
                    found.append(conflict)
        self._add_all(found)

    def _add_all(self, found: Iterable[Conflict]) -> None:
        """Store and index conflicts not yet known, keeping no delta: a full check adds
        tens of thousands in this one loop; ``_add`` keeps the delta around it."""
        conflicts = self.conflicts
        by_uid = self._by_uid
        for conflict in found:
            key = conflict.ident
            if key in conflicts:
                continue
            conflicts[key] = conflict
            for uid in conflict.items:
                keys = by_uid.get(uid)
                if keys is None:
                    by_uid[uid] = {key}
                else:
                    keys.add(key)

    def update(self, uid: str, entry: Entry | None) -> Delta:
        """Replace the item ``uid`` by ``entry`` (None: it is gone or cannot conflict).

        Returns what changed; only conflicts that involve the item, and fatigue
        blocks near its old and new days, are looked at.
        """
        self._delta = Delta()
        try:
            self._replace(uid, entry)
            return self._delta
        finally:
            self._delta = None

    def update_many(self, changes: Mapping[str, Entry | None]) -> Delta:
        """``update`` for many items at once (an import, its undo, a bulk edit).

        Fatigue blocks are recomputed once after all items changed, not after each: a
        busy block's conflict holds hundreds of items and would otherwise be rebuilt
        for every one of them.
        """
        self._delta = Delta()
        try:
            touched: dict[str | None, list[int]] = {}
            for uid, entry in changes.items():
                self._swap(uid, entry, touched)
            for group, days in touched.items():
                self._refresh_fatigue(group, days)
            return self._delta
        finally:
            self._delta = None

    def _replace(self, uid: str, entry: Entry | None) -> None:
        touched: dict[str | None, list[int]] = {}
        self._swap(uid, entry, touched)
        for group, days in touched.items():
            self._refresh_fatigue(group, days)

    def _swap(self, uid: str, entry: Entry | None, touched: dict[str | None, list[int]]) -> None:
        """Replace the item and its pair and sign-off conflicts; note the fatigue days
        (old and new) in ``touched`` for the caller to refresh."""
        self._owner_indexes()  # built from the entries as they are, before any changes
        old = self.entries.pop(uid, None)
        for key in list(self._by_uid.get(uid, ())):
            if self.conflicts[key].rule != PERSONA_FATIGUE:
                self._drop(key)
        if old is not None:
            self._unindex(old)
            for group in self._fatigue_groups(old):
                touched.setdefault(group, []).extend(o.d0 for o in old.occs)
        if entry is not None:
            self.entries[uid] = entry
            self._index(entry)
            for group in self._fatigue_groups(entry):
                touched.setdefault(group, []).extend(o.d0 for o in entry.occs)
            found: list[Conflict] = []
            self._pairs_of(entry, found)
            signoff = self._signoff(entry)
            if signoff is not None:
                found.append(signoff)
            for conflict in found:
                self._add(conflict)

    def preview(self, uid: str, entry: Entry | None) -> list[Conflict]:
        """The conflicts ``uid`` would be part of if it were ``entry``; changes nothing.

        The change is made and undone on the indexes (both incremental), so the answer
        is exactly what ``update`` would give.
        """
        old = self.entries.get(uid)
        saved = self._delta
        self._delta = Delta()
        try:
            self._replace(uid, entry)
            result = self.involving(uid)
            self._replace(uid, old)
        finally:
            self._delta = saved
        return result
