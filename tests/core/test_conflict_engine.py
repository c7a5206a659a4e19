"""The fast engine against the plainly written all-pairs reference, on random plans.

Full checks must agree exactly (same keys, severities, messages, dates); so must an
engine kept up to date by incremental updates after random moves, and a preview of a
move must give what the move would give without changing anything.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.conflict_reference import reference_check
from smarketing_desktop.conflicts import (
    DEFAULT_RULES,
    Delta,
    Engine,
    Horizon,
    ItemFacts,
    Names,
    RuleSet,
    build_entry,
    resolve,
)
from tests.core.conflict_strategies import BASE, PERSONAS, changes, plans, rule_configs

TODAY = BASE + dt.timedelta(days=5)
NAMES = Names({"ted": "Ted Okafor", "lena": "Lena Novak"}, {"ian": "IT Ian"})
RUNS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def entries(facts: list[ItemFacts], horizon: Horizon) -> list:
    return [e for f in facts if (e := build_entry(f, horizon)) is not None]


def fast(
    facts: list[ItemFacts], rules: RuleSet, horizon: Horizon, personas: tuple[str, ...]
) -> Engine:
    engine = Engine(rules, today=TODAY, names=NAMES, personas=personas)
    engine.check(entries(facts, horizon))
    return engine


def reference(
    facts: list[ItemFacts], rules: RuleSet, horizon: Horizon, personas: tuple[str, ...]
) -> dict:
    return reference_check(
        entries(facts, horizon), rules, today=TODAY, names=NAMES, personas=personas
    )


def assert_same(engine: Engine, expected: dict) -> None:
    assert sorted(engine.conflicts, key=repr) == sorted(expected, key=repr)
    for key, conflict in expected.items():
        assert engine.conflicts[key] == conflict  # severity, items, dates and message too


PERSONA_SETS = st.sampled_from([PERSONAS, (), ("olivia",)])


@RUNS
@given(facts=plans(), configs=rule_configs(), personas=PERSONA_SETS)
def test_the_fast_engine_equals_the_all_pairs_reference(facts, configs, personas) -> None:
    rules = resolve(configs)
    horizon = Horizon.of(facts)
    assert_same(fast(facts, rules, horizon, personas), reference(facts, rules, horizon, personas))


@RUNS
@given(data=st.data(), configs=rule_configs(), personas=PERSONA_SETS)
def test_incremental_rechecks_equal_a_full_check(data, configs, personas) -> None:
    facts = data.draw(plans())
    edits = data.draw(changes(facts))
    rules = resolve(configs)
    # The horizon is kept through edits (the caller checks afresh when it must grow).
    horizon = Horizon.of(facts)
    engine = fast(facts, rules, horizon, personas)
    if data.draw(st.booleans()):
        engine.prepare_updates()  # as the app does after a full check
    start = dict(engine.conflicts)
    folded = Delta()
    current = {f.uid: f for f in facts}
    for uid, new in edits:
        before = dict(engine.conflicts)
        entry = build_entry(new, horizon) if new is not None else None
        delta = engine.update(uid, entry)
        folded.then(delta)
        if new is None:
            current.pop(uid, None)
        else:
            current[uid] = new
        # The delta says exactly what changed (an identity in both was replaced).
        assert_applies(before, delta, engine)
        assert_same(engine, reference(list(current.values()), rules, horizon, personas))
    # Deltas of several updates fold into one that says what changed overall.
    assert_applies(start, folded, engine)


@RUNS
@given(data=st.data(), configs=rule_configs(), personas=PERSONA_SETS)
def test_a_batch_of_changes_equals_a_full_check(data, configs, personas) -> None:
    """``update_many`` (an import, its undo) ends where a fresh check does, and its delta
    says what changed."""
    facts = data.draw(plans())
    edits = data.draw(changes(facts))
    rules = resolve(configs)
    horizon = Horizon.of(facts)
    engine = fast(facts, rules, horizon, personas)
    before = dict(engine.conflicts)
    current = {f.uid: f for f in facts}
    batch = {}
    for uid, new in edits:
        batch[uid] = build_entry(new, horizon) if new is not None else None
        if new is None:
            current.pop(uid, None)
        else:
            current[uid] = new
    delta = engine.update_many(batch)
    assert_same(engine, reference(list(current.values()), rules, horizon, personas))
    assert_applies(before, delta, engine)


def assert_applies(before: dict, delta: Delta, engine: Engine) -> None:
    assert set(delta.added) & set(before) <= set(delta.removed)
    after = {k: v for k, v in before.items() if k not in delta.removed}
    after.update(delta.added)
    assert sorted(after, key=repr) == sorted(engine.conflicts, key=repr)
    for key, conflict in after.items():
        assert engine.conflicts[key] == conflict


@RUNS
@given(data=st.data())
def test_a_preview_gives_what_the_move_would_and_changes_nothing(data) -> None:
    facts = data.draw(plans())
    edits = data.draw(changes(facts))
    uid, new = edits[0]
    horizon = Horizon.of(facts)
    engine = fast(facts, DEFAULT_RULES, horizon, PERSONAS)
    before = dict(engine.conflicts)
    preview = engine.preview(uid, build_entry(new, horizon) if new else None)
    assert engine.conflicts == before
    moved = fast(facts, DEFAULT_RULES, horizon, PERSONAS)
    moved.update(uid, build_entry(new, horizon) if new else None)
    assert sorted(c.ident for c in preview) == sorted(c.ident for c in moved.involving(uid))
    # The engine still works incrementally after a preview.
    engine.update(uid, build_entry(new, horizon) if new else None)
    assert sorted(engine.conflicts, key=repr) == sorted(moved.conflicts, key=repr)
