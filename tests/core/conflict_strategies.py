"""Hypothesis strategies for the conflict engine: random items, moves and rule settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from smarketing_desktop.conflicts import ItemFacts, OverrideFacts, RuleConfig
from smarketing_desktop.domain.conflict_rules import BUILTIN_RULES

BASE = dt.date(2027, 3, 1)
PEOPLE = ("ted", "lena")
PERSONAS = ("ian", "olivia", "sam")
# The kinds the rules look at, plus one they do not.
KINDS = (
    "email_campaign",
    "tradeshow",
    "promotion",
    "webinar",
    "meeting",
    "holiday",
    "product_launch",
    "social_post",
    "ad_campaign",
    "blog_post",
)
OUTBOUND_HEAVY = ("email_campaign", "social_post", "promotion", "webinar", "tradeshow", "meeting")
ZONES = (None, "Europe/Berlin", "America/Chicago", "Asia/Tokyo", "+05:30")
SERIES = ("FREQ=WEEKLY;COUNT=3", "FREQ=DAILY;COUNT=4", "FREQ=WEEKLY", "FREQ=DAILY;INTERVAL=3")


@st.composite
def timing(draw: st.DrawFn, uid: str, days: int = 30) -> dict[str, Any]:
    start = BASE + dt.timedelta(days=draw(st.integers(0, days)))
    end = start + dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 2, 4])))
    values: dict[str, Any] = {"start_date": start, "end_date": end}
    if draw(st.integers(0, 3)) == 0:
        hour = draw(st.integers(0, 22))
        minutes = draw(st.sampled_from([0, 30, 45]))
        values["start_time"] = dt.time(hour, minutes)
        values["end_time"] = dt.time(min(23, hour + draw(st.integers(0, 2))), minutes)
        values["end_date"] = start
        values["tz"] = draw(st.sampled_from(ZONES))
    if draw(st.integers(0, 3)) == 0:
        rule = draw(st.sampled_from(SERIES))
        values["rrule"] = rule
        offsets = draw(st.lists(st.integers(0, 21), max_size=2, unique=True))
        values["exdates"] = tuple(
            (start + dt.timedelta(days=o)).isoformat() for o in sorted(offsets)
        )
        if draw(st.booleans()):
            moved = start + dt.timedelta(days=7 if "WEEKLY" in rule else 1)
            to = moved + dt.timedelta(days=draw(st.integers(-3, 3)))
            values["overrides"] = (
                OverrideFacts(
                    moved.isoformat(),
                    to,
                    to + (end - start),
                    values.get("start_time"),
                    values.get("end_time"),
                ),
            )
    return values


@st.composite
def item_facts(
    draw: st.DrawFn, uid: str, days: int = 30, kinds: tuple[str, ...] = KINDS
) -> ItemFacts:
    return ItemFacts(
        uid=uid,
        title=draw(st.sampled_from(["Expo", "Blast <b>&", "Sale", "نشرة", "Call 📞"])) + uid,
        kind=draw(st.sampled_from(kinds)),
        impact=draw(st.sampled_from(["small", "medium", "big"])),
        status=draw(st.sampled_from(["planned", "planned", "approved", "idea", "cancelled"])),
        owner=draw(st.sampled_from((None, *PEOPLE))),
        personas=tuple(draw(st.lists(st.sampled_from(PERSONAS), unique=True, max_size=2))),
        signoff_marketing=draw(st.booleans()),
        signoff_sales=draw(st.booleans()),
        **draw(timing(uid, days)),
    )


@st.composite
def plans(draw: st.DrawFn, max_items: int = 14) -> list[ItemFacts]:
    """Sparse plans over a month, or crowded ones (many outbound items in three weeks,
    where fatigue windows pile up across blocks)."""
    if not draw(st.booleans()):
        count = draw(st.integers(0, max_items))
        return [draw(item_facts(f"i{n}")) for n in range(count)]
    count = draw(st.integers(10, 40))
    return [draw(item_facts(f"i{n}", 20, OUTBOUND_HEAVY)) for n in range(count)]


@st.composite
def rule_configs(draw: st.DrawFn) -> list[RuleConfig]:
    """Settings for some built-in rules (changed parameters, off, other severity) and
    a few user-defined rules."""
    configs = []
    for rule in BUILTIN_RULES:
        if not draw(st.booleans()):
            continue
        params: dict[str, Any] = {}
        for param in rule.params:
            if param.kind == "impact":
                params[param.name] = draw(st.sampled_from([None, "small", "medium", "big"]))
            else:
                params[param.name] = draw(st.integers(param.minimum, min(param.maximum, 6)))
        configs.append(
            RuleConfig(
                rule.id,
                enabled=draw(st.booleans()),
                severity=draw(st.sampled_from([None, "error", "warning"])),
                params=params,
            )
        )
    for n in range(draw(st.integers(0, 2))):
        configs.append(
            RuleConfig(
                f"user-{n}",
                severity=draw(st.sampled_from([None, "error", "warning"])),
                params={
                    "name": f"My rule {n}",
                    "kind_a": draw(st.sampled_from(KINDS)),
                    "kind_b": draw(st.sampled_from(KINDS)),
                    "buffer_before": draw(st.integers(0, 3)),
                    "buffer_after": draw(st.integers(0, 3)),
                    "min_impact": draw(st.sampled_from([None, "medium", "big"])),
                },
                user_defined=True,
            )
        )
    return configs


@st.composite
def changes(draw: st.DrawFn, plan: list[ItemFacts]) -> list[tuple[str, ItemFacts | None]]:
    """A few edits: moves (by days or minutes), other kinds/personas/owners, removals,
    additions."""
    result: list[tuple[str, ItemFacts | None]] = []
    current = {f.uid: f for f in plan}
    for step in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["move", "move", "edit", "rename", "remove", "add"]))
        if action == "add" or not current:
            uid = f"new{step}"
            facts = draw(item_facts(uid))
        else:
            uid = draw(st.sampled_from(sorted(current)))
            old = current[uid]
            if action == "remove":
                result.append((uid, None))
                current.pop(uid)
                continue
            if action == "rename":
                facts = replace(old, title=old.title + " (new)")
            elif action == "move" and old.start_date is not None:
                shift = dt.timedelta(days=draw(st.integers(-6, 6)))
                facts = replace(
                    old,
                    start_date=old.start_date + shift,
                    end_date=(old.end_date or old.start_date) + shift,
                )
                if old.start_time is not None and draw(st.booleans()):
                    facts = replace(facts, start_time=dt.time(draw(st.integers(0, 12))))
            else:
                facts = replace(
                    old,
                    kind=draw(st.sampled_from(KINDS)),
                    owner=draw(st.sampled_from((None, *PEOPLE))),
                    personas=tuple(
                        draw(st.lists(st.sampled_from(PERSONAS), unique=True, max_size=2))
                    ),
                    status=draw(st.sampled_from(["planned", "cancelled", "idea"])),
                    title=old.title + "!",
                )
        current[uid] = facts
        result.append((uid, facts))
    return result
