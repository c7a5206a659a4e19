"""Keeps the plan's conflicts current while the user works, without blocking the window.

On plan open (and after the rules, people or personas change) the whole plan is
checked: on the GUI thread for ordinary plans, in a worker thread for big ones, so the
window paints and answers at once. After item changes only the changed items are
re-checked with the engine's incremental update (a few milliseconds), unless so many
changed at once (an import, its undo) that one full check is cheaper: the plan's facts
are read again and compared (in the worker for big plans), or, more cheaply, callers
that know which items they changed call ``items_changed(uids)``.

``updated`` is emitted after every change of the conflicts or their acknowledgements;
the Conflicts dock, the status bar count and the calendar marks all read from here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop, QObject, QTimer, Signal

from smarketing_desktop.collector import collector_paused
from smarketing_desktop.conflicts import (
    Conflict,
    Delta,
    Engine,
    Entry,
    ItemFacts,
    build_entry,
    sort_key,
)
from smarketing_desktop.conflicts.model import Ident
from smarketing_desktop.domain.conflict_rules import BUILTIN, RuleConfig
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.background import Job
from smarketing_desktop.gui.context import CONFLICTS, ITEMS, PEOPLE, PERSONAS, SLAS, PlanContext
from smarketing_desktop.services import conflicts as service
from smarketing_desktop.services.items import count_items
from smarketing_desktop.store.planfile import Plan

log = logging.getLogger("smarketing.gui.conflicts")

# Plans with more items than this are checked in a worker thread.
SYNC_LIMIT = 5000
# A big plan's first check starts this long after the window opens, so it first paints.
START_DELAY_MS = 200
# A change of more items than this (or than 1% of the plan) is checked by one full check
# instead of item by item. Measured (benchmarks/bench_conflicts.py, undo_big_import, 150
# personas): taking 1,000 imported webinars out of a 2,000-item plan cost 57 s one by one,
# 2.1 s in one batch update, 8 ms as a full check; 200 cost 2.6 s, 0.27 s and 8 ms. A full
# check costs about 10 µs an item (1 s for 100,000), a batched update about 1 ms an item.
BULK_LIMIT = 50


@dataclass(slots=True)
class _Checked:
    """What a full check produced, handed from the worker to the GUI thread."""

    generation: int
    dataset: service.Dataset
    entries: dict[str, Entry]
    engine: Engine
    acknowledgements: dict[str, service.Acknowledgement]


@dataclass(slots=True)
class _Changed:
    """Items whose facts differ from the last check (None: gone or cannot conflict)."""

    generation: int
    facts: dict[str, ItemFacts | None]


def _full_check(
    plan: Plan, generation: int, today: dt.date, zone: dt.tzinfo, known: service.Dataset | None
) -> _Checked:
    """Read the plan (or, when only the rules changed, just the rules) and check it all.

    Entries are always built afresh: the engine still in use keeps its own.
    """
    with collector_paused():
        return _check_all(plan, generation, today, zone, known)


def _check_all(
    plan: Plan, generation: int, today: dt.date, zone: dt.tzinfo, known: service.Dataset | None
) -> _Checked:
    if known is None:
        dataset = service.load_dataset(plan)
    else:
        dataset = replace(known, facts=dict(known.facts), settings=service.rule_settings(plan))
    entries = {
        uid: entry
        for uid, facts in dataset.facts.items()
        if (entry := build_entry(facts, dataset.horizon, zone)) is not None
    }
    engine = Engine(dataset.rules, today=today, names=dataset.names, personas=dataset.personas)
    engine.check(entries.values())
    engine.prepare_updates()
    return _Checked(generation, dataset, entries, engine, service.acknowledgements(plan))


def _changed_facts(plan: Plan, generation: int, known: dict[str, ItemFacts]) -> _Changed:
    current = service.load_facts(plan)
    changed: dict[str, ItemFacts | None] = {
        uid: facts for uid, facts in current.items() if known.get(uid) != facts
    }
    changed.update((uid, None) for uid in known.keys() - current.keys())
    return _Changed(generation, changed)


class ConflictMonitor(QObject):
    """The conflicts of the open plan, kept up to date.

    Args:
        context: the window's plan context (its ``changed`` signal drives updates).
        threaded: check big plans in a worker thread (tests may say False).
    """

    updated = Signal()

    def __init__(
        self, context: PlanContext, parent: QObject | None = None, *, threaded: bool = True
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.threaded = threaded
        self.zone = service.floating_zone()
        self.today = dt.date.today()
        self.dataset: service.Dataset | None = None
        self.engine: Engine | None = None
        self.entries: dict[str, Entry] = {}
        self.acks: dict[str, service.Acknowledgement] = {}
        self._ack_of: dict[Ident, service.Acknowledgement | None] = {}
        self._acked_uids: set[str] = set()
        self._counts: dict[str, int] | None = None
        # While ``updated`` is emitted after an item change: what changed (else None).
        self.delta: Delta | None = None
        self._generation = 0
        self._busy = False
        # Items changed while a full check ran: compare them once it is done.
        self._resync = False
        # The items an item command reported it touched, for the ITEMS change that follows.
        self._touched: set[str] | None = None
        context.items_touched.connect(self._on_touched)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.recheck)
        self.recheck()

    # --- reading ------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """False while the first check of a big plan is still running."""
        return self.engine is not None and not self._busy

    @property
    def checking(self) -> bool:
        return self._busy

    def conflicts(self) -> list[Conflict]:
        """Every conflict, worst first, then by date."""
        return sorted(self.engine, key=sort_key) if self.engine is not None else []

    def involving(self, uid: str) -> list[Conflict]:
        return self.engine.involving(uid) if self.engine is not None else []

    def acknowledgement(self, conflict: Conflict) -> service.Acknowledgement | None:
        """The acknowledgement that still holds for ``conflict``, if any."""
        ident = conflict.ident
        if ident in self._ack_of:
            return self._ack_of[ident]
        # Most conflicts share no item with any acknowledgement: no digest to compute.
        found = None
        if not self._acked_uids.isdisjoint(conflict.items):
            found = self.acks.get(service.digest_of(conflict))
        self._ack_of[ident] = found
        return found

    def counts(self) -> dict[str, int]:
        """Unacknowledged conflicts by severity (``{"error": 1, "warning": 2}``)."""
        if self._counts is None:
            counts = {"error": 0, "warning": 0}
            for conflict in self.engine or ():
                if self.acknowledgement(conflict) is None:
                    counts[conflict.severity] += 1
            self._counts = counts
        return dict(self._counts)

    def _emit(self, delta: Delta | None = None) -> None:
        """Tell the views; ``delta`` says what changed when only some conflicts did."""
        if delta is None:
            self._counts = None
        elif self._counts is not None:
            for change, conflicts in ((-1, delta.removed), (1, delta.added)):
                for conflict in conflicts.values():
                    if self.acknowledgement(conflict) is None:
                        self._counts[conflict.severity] += change
        self.delta = delta
        try:
            self.updated.emit()
        finally:
            self.delta = None

    def title_of(self, uid: str) -> str:
        facts = self.dataset.facts.get(uid) if self.dataset else None
        return facts.title if facts else uid

    def rule_title(self, rule_id: str) -> str:
        """A rule's name for people: the built-in title or the user's own name."""
        if rule_id in BUILTIN:
            return BUILTIN[rule_id].title
        for config in self.settings():
            if config.rule_id == rule_id:
                return str(config.params.get("name", rule_id))
        return rule_id

    def settings(self) -> list[RuleConfig]:
        return list(self.dataset.settings) if self.dataset else []

    # --- checking -----------------------------------------------------------------

    def _big(self) -> bool:
        if self.dataset is not None:
            return len(self.dataset.facts) > SYNC_LIMIT
        return count_items(self.context.plan) > SYNC_LIMIT

    def recheck(self, *, rules_only: bool = False) -> None:
        """Check the whole plan again (after open, or when rules, people or personas change).

        Args:
            rules_only: the items are unchanged (only the rules are), so their facts are
                not read again.
        """
        self._check_with(self.dataset if rules_only else None)

    def _check_with(self, reuse: service.Dataset | None) -> None:
        """Check everything; ``reuse``: facts known to be current (read the plan if None)."""
        self._generation += 1
        self.today = dt.date.today()
        plan, generation = self.context.plan, self._generation
        big = self._big() or (reuse is not None and len(reuse.facts) > SYNC_LIMIT)
        if self.threaded and big:
            self._busy = True
            self._emit()  # "checking…"
            if self.engine is None:
                # The plan just opened: let the window paint first, then start.
                QTimer.singleShot(START_DELAY_MS, self, lambda: self._start_check(reuse))
            else:
                self._start_check(reuse)
            return
        try:
            self._on_finished(_full_check(plan, generation, self.today, self.zone, reuse))
        except UserError as error:
            log.warning("conflict check failed: %s", error)

    def _start_check(self, reuse: service.Dataset | None) -> None:
        plan, generation, today, zone = self.context.plan, self._generation, self.today, self.zone
        self._run("conflict-check", lambda: _full_check(plan, generation, today, zone, reuse))

    def _run(self, name: str, work: Callable[[], _Checked | _Changed]) -> None:
        """Run ``work`` off the GUI thread; its result comes back to ``_on_finished``."""
        job = Job(lambda _task: work(), self, name, bugs="fail")
        job.done.connect(self._on_finished)
        job.failed.connect(self._not_finished)
        job.start()

    def _not_finished(self, message: str) -> None:
        # The plan was closed or replaced meanwhile: the result would be moot anyway.
        log.info("a background conflict check did not finish: %s", message)
        self._on_finished(None)

    def _on_finished(self, result: _Checked | _Changed | None) -> None:
        if result is None or result.generation != self._generation:
            if result is None:
                self._busy = False
            return
        if isinstance(result, _Checked):
            self.dataset, self.engine, self.entries = result.dataset, result.engine, result.entries
            self._set_acks(result.acknowledgements)
            self._busy = False
            self._emit()
            if self._resync:
                self._resync = False
                self._sync_items()
            return
        self._busy = False
        self._apply(result.facts)

    def _set_acks(self, acks: dict[str, service.Acknowledgement]) -> None:
        self.acks = acks
        self._acked_uids = {uid for ack in acks.values() for uid, _, _ in ack.occurrences}
        self._ack_of.clear()

    # --- changes ------------------------------------------------------------------

    def _on_touched(self, uids: list[str]) -> None:
        self._touched = (self._touched or set()) | set(uids)

    def _on_changed(self, topic: str) -> None:
        if topic == ITEMS:
            touched, self._touched = self._touched, None
            if touched is not None:
                self.items_changed(touched)
            else:
                self._sync_items()
        elif topic == SLAS:
            self._sync_items()  # an SLA edit moves or removes its review meeting item
        elif topic in (PEOPLE, PERSONAS):
            self.recheck()
        elif topic == CONFLICTS:
            self._reload_rules_and_acks()

    def _reload_rules_and_acks(self) -> None:
        plan = self.context.plan
        try:
            settings = service.rule_settings(plan)
            acks = service.acknowledgements(plan)
        except UserError as error:
            log.warning("cannot read conflict settings: %s", error)
            return
        if self.dataset is not None and settings != self.dataset.settings:
            self._set_acks(acks)
            self.recheck(rules_only=True)
            return
        self._set_acks(acks)
        self._emit()

    def _sync_items(self) -> None:
        """Find the items that changed since the last check and re-check only those."""
        if self.dataset is None or self._busy:
            self._resync = True
            return
        self._generation += 1
        known = dict(self.dataset.facts)
        if self.threaded and self._big():
            self._busy = True
            plan, generation = self.context.plan, self._generation
            self._run("conflict-sync", lambda: _changed_facts(plan, generation, known))
            return
        try:
            self._apply(_changed_facts(self.context.plan, self._generation, known).facts)
        except UserError as error:
            log.warning("conflict re-check failed: %s", error)

    def items_changed(self, uids: Iterable[str]) -> None:
        """Re-check just these items (cheaper than the comparison a plain ITEMS change
        makes); for commands that know what they changed."""
        wanted = set(uids)
        if not wanted:  # a change of nothing the rules read (a goal's result)
            return
        if self.dataset is None or self._busy:
            self._resync = True
            return
        try:
            current = service.load_facts(self.context.plan, wanted)
        except UserError as error:
            log.warning("conflict re-check failed: %s", error)
            return
        self._apply({uid: current.get(uid) for uid in wanted})

    def _apply(self, changed: dict[str, ItemFacts | None]) -> None:
        assert self.dataset is not None and self.engine is not None
        horizon = self.dataset.horizon
        if any(f is not None and not horizon.covers(f) for f in changed.values()):
            # The plan's range grew: open-ended series must be expanded further.
            self.recheck()
            return
        if len(changed) > max(BULK_LIMIT, len(self.dataset.facts) // 100):
            # An import, its undo, a bulk edit: one full check (in the worker for big
            # plans) costs far less than updating item by item.
            current = dict(self.dataset.facts)
            for uid, item in changed.items():
                if item is None:
                    current.pop(uid, None)
                else:
                    current[uid] = item
            self._check_with(replace(self.dataset, facts=current))
            return
        updates: dict[str, Entry | None] = {}
        for uid, facts in changed.items():
            if facts is None:
                if self.dataset.facts.pop(uid, None) is None:
                    continue
                self.entries.pop(uid, None)
                updates[uid] = None
            else:
                entry = build_entry(facts, horizon, self.zone)
                self.dataset.facts[uid] = facts
                if entry is None:
                    self.entries.pop(uid, None)
                else:
                    self.entries[uid] = entry
                updates[uid] = entry
        if updates:
            # Titles live in the facts too: a rename changes rows without changing conflicts.
            self._emit(self.engine.update_many(updates))

    def preview(self, uid: str, facts: ItemFacts) -> list[Conflict]:
        """The conflicts ``uid`` would be part of as ``facts``; nothing is stored."""
        if self.engine is None or self.dataset is None:
            return []
        entry = build_entry(facts, self.dataset.horizon, self.zone)
        return self.engine.preview(uid, entry)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Process events until a running background check is done (tests, shutdown)."""
        deadline = QDeadlineTimer(timeout_ms)
        while self._busy and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return not self._busy
