"""Hypothesis strategies for plan documents in canonical (exported) form."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from hypothesis import strategies as st

from smarketing_desktop.domain.conflict_rules import BUILTIN, BUILTIN_RULES
from smarketing_desktop.domain.words import BuyingStage, Impact, Kind, SlaStatus, Status, Team

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
NAME = TEXT.filter(lambda s: s.strip() != "")
IDENT = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
ZONES = st.sampled_from(
    ["Europe/Berlin", "America/Chicago", "Asia/Kolkata", "UTC", "Australia/Lord_Howe"]
)
OFFSETS = st.sampled_from(["+01:00", "-05:00", "+05:30", "+00:00", "-09:30"])
RULES = st.sampled_from(
    ["FREQ=WEEKLY;BYDAY=TU", "FREQ=DAILY;COUNT=5", "FREQ=MONTHLY;INTERVAL=3", "FREQ=YEARLY"]
)
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
TIMES = st.times().map(lambda t: t.replace(tzinfo=None))
NUMBER = st.one_of(
    st.none(),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: not f.is_integer()),
)
TINY_PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8).decode("ascii")
# Links as the item dialog stores them (others are refused on import).
LINKS = st.sampled_from(
    [
        "",
        "https://example.com/expo?a=1&b=<2>",
        "mailto:sales@example.com",
        "http://localhost:8080/x",
    ]
)


def unique_list(
    strategy: st.SearchStrategy[str], max_size: int = 4
) -> st.SearchStrategy[list[str]]:
    return st.lists(strategy, unique=True, max_size=max_size)


@st.composite
def people(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(unique_list(IDENT))
    return [
        {
            "id": person_id,
            "name": draw(NAME),
            "team": draw(st.sampled_from(["marketing", "sales"])),
            "role": draw(TEXT),
            "email": draw(TEXT),
            "phone": draw(TEXT),
        }
        for person_id in sorted(ids)
    ]


@st.composite
def personas(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(unique_list(IDENT, 3))
    insight = st.fixed_dictionaries({"who": TEXT, "text": NAME})
    return [
        {
            "id": persona_id,
            "name": draw(NAME),
            "role": draw(TEXT),
            "company_size": draw(TEXT),
            "industry": draw(TEXT),
            "buying_role": draw(
                st.sampled_from(["", "decision_maker", "influencer", "user", "gatekeeper"])
            ),
            "buying_stage": draw(st.sampled_from(["", *[s.value for s in BuyingStage]])),
            **{
                key: draw(st.lists(NAME, max_size=3))
                for key in (
                    "goals",
                    "challenges",
                    "information_sources",
                    "channels",
                    "objections",
                    "customers",
                )
            },
            "insights_sales": draw(st.lists(insight, max_size=2)),
            "insights_marketing": draw(st.lists(insight, max_size=2)),
            "quote": draw(TEXT),
            "notes": draw(TEXT),
            "picture": draw(st.sampled_from([None, TINY_PNG])),
        }
        for persona_id in sorted(ids)
    ]


def _iso(day: dt.date, time: dt.time | None, suffix: str = "") -> str:
    if time is None:
        return day.isoformat()
    return dt.datetime.combine(day, time).isoformat() + suffix


@st.composite
def timing(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(st.sampled_from(["all-day", "zoned", "offset", "floating", "unscheduled"]))
    empty = {"rrule": None, "exdates": [], "rdates": [], "overrides": []}
    if shape == "unscheduled":
        return {"start": None, "end": None, "tz": None, **empty}
    start_day = draw(DAYS)
    end_day = start_day + dt.timedelta(days=draw(st.integers(0, 20)))
    start_time = end_time = None
    if shape != "all-day":
        start_time = draw(TIMES)
        end_time = draw(TIMES)
        if end_day == start_day and end_time < start_time:
            start_time, end_time = end_time, start_time
    suffix = draw(OFFSETS) if shape == "offset" else ""
    tz = draw(ZONES) if shape == "zoned" else None
    result: dict[str, Any] = {
        "start": _iso(start_day, start_time, suffix),
        "end": _iso(end_day, end_time, suffix),
        "tz": tz,
        **empty,
    }
    if draw(st.booleans()):
        result["rrule"] = draw(RULES)
        moments = st.builds(
            lambda d, t: _iso(d, t if start_time is not None else None), DAYS, TIMES
        )
        result["exdates"] = draw(
            st.lists(st.one_of(DAYS.map(dt.date.isoformat), moments), max_size=3)
        )
        result["rdates"] = draw(st.lists(moments, max_size=2))
        override_ids = draw(st.lists(moments, unique=True, max_size=2))
        result["overrides"] = [
            {
                "recurrence_id": rid,
                "start": _iso(start_day, start_time, suffix),
                "end": _iso(end_day, end_time, suffix),
                "title": draw(st.one_of(st.none(), NAME)),
            }
            for rid in sorted(override_ids)
        ]
    return result


def _some(draw: st.DrawFn, values: list[str]) -> list[str]:
    shuffled = draw(st.permutations(values))
    return list(shuffled[: draw(st.integers(0, len(values)))])


@st.composite
def items(draw: st.DrawFn, person_ids: list[str], persona_ids: list[str]) -> list[dict[str, Any]]:
    uids = draw(unique_list(st.from_regex(r"[a-z0-9]{1,8}@[a-z]{1,5}\.example", fullmatch=True), 6))
    goal = st.fixed_dictionaries(
        {
            "team": st.sampled_from([t.value for t in Team]),
            "metric": NAME,
            "target": NUMBER,
            "actual": NUMBER,
            "better": st.sampled_from(["higher", "lower"]),
            "results_by": st.one_of(st.none(), NAME),
            "results_on": st.one_of(st.none(), DAYS.map(dt.date.isoformat)),
        }
    )
    retro = st.fixed_dictionaries({"went_well": TEXT, "to_change": TEXT, "author": TEXT})
    result = []
    for uid in sorted(uids):
        item = {
            "uid": uid,
            "title": draw(NAME),
            "kind": draw(st.sampled_from([k.value for k in Kind])),
            "team": draw(st.sampled_from([t.value for t in Team])),
            "impact": draw(st.sampled_from([i.value for i in Impact])),
            "status": draw(st.sampled_from([s.value for s in Status])),
            "owner": draw(st.one_of(st.none(), st.sampled_from(person_ids)))
            if person_ids
            else None,
            "personas": _some(draw, persona_ids),
            "channels": draw(st.lists(NAME, max_size=3)),
            "description": draw(TEXT),
            "location": draw(TEXT),
            "url": draw(LINKS),
            "stage": draw(st.one_of(st.none(), st.sampled_from([s.value for s in BuyingStage]))),
            "source_ical": draw(st.one_of(st.none(), NAME)),
            "signoff": {"marketing": draw(st.booleans()), "sales": draw(st.booleans())},
            "goals": draw(st.lists(goal, max_size=3)),
            "retrospectives": [
                {"team": team, **draw(retro)}
                for team in sorted(draw(st.sets(st.sampled_from(["joint", "marketing", "sales"]))))
            ],
        }
        item.update(draw(timing()))
        result.append(item)
    return result


@st.composite
def slas(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(unique_list(IDENT, 2))
    result = []
    for sla_id in sorted(ids):
        effective = draw(st.one_of(st.none(), DAYS))
        ends = None
        if draw(st.booleans()):
            ends = (effective or dt.date(2000, 1, 1)) + dt.timedelta(days=draw(st.integers(0, 900)))
        reviews = None
        if draw(st.booleans()):
            reviews = {
                "start": dt.datetime.combine(draw(DAYS), draw(TIMES)).isoformat(),
                "tz": draw(st.one_of(st.none(), ZONES)),
                "duration_minutes": draw(st.integers(1, 600)),
                "rrule": draw(st.one_of(st.none(), RULES)),
                "location": draw(TEXT),
            }
        result.append(
            {
                "id": sla_id,
                "title": draw(NAME),
                "status": draw(st.sampled_from([s.value for s in SlaStatus])),
                "version": draw(st.integers(1, 50)),
                "effective": effective.isoformat() if effective else None,
                "ends": ends.isoformat() if ends else None,
                "parties": [
                    {"team": team, "name": draw(TEXT), "title": draw(TEXT)}
                    for team in draw(
                        st.lists(st.sampled_from(["marketing", "sales"]), unique=True, max_size=2)
                    )
                ],
                "signatories": [
                    {
                        "name": draw(NAME),
                        "title": draw(TEXT),
                        "team": draw(st.sampled_from(["", "marketing", "sales", "joint"])),
                        "signed_on": draw(st.one_of(st.none(), DAYS.map(dt.date.isoformat))),
                    }
                    for _ in range(draw(st.integers(0, 3)))
                ],
                "lead_definitions": draw(
                    st.lists(st.fixed_dictionaries({"term": NAME, "definition": TEXT}), max_size=3)
                ),
                "commitments": draw(
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "team": st.sampled_from([t.value for t in Team]),
                                "metric": NAME,
                                "target": NUMBER,
                                "unit": TEXT,
                                "period": TEXT,
                                "source": TEXT,
                                "on_miss": TEXT,
                            }
                        ),
                        max_size=3,
                    )
                ),
                "reviews": reviews,
                "escalation": draw(TEXT),
                "sections": draw(
                    st.lists(st.fixed_dictionaries({"heading": NAME, "body": TEXT}), max_size=3)
                ),
                "history": [
                    {
                        "version": number,
                        "status": draw(st.sampled_from([s.value for s in SlaStatus])),
                        "snapshot": {"title": draw(TEXT), "version": number},
                    }
                    for number in sorted(draw(st.sets(st.integers(1, 9), max_size=2)))
                ],
            }
        )
    return result


JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), TEXT)


@st.composite
def rules(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Settings of built-in rules, user-defined rules (canonical: every parameter), and
    rules of a newer app (unknown ids, kept as they are)."""
    result = []
    for rule in draw(st.lists(st.sampled_from(BUILTIN_RULES), unique=True, max_size=2)):
        params = {
            p.name: draw(
                st.sampled_from([None, "small", "big"])
                if p.kind == "impact"
                else st.integers(p.minimum, p.maximum)
            )
            for p in rule.params
            if draw(st.booleans())
        }
        result.append({"id": rule.id, "params": params, "user_defined": False})
    for rule_id in draw(unique_list(IDENT.filter(lambda i: i not in BUILTIN), 2)):
        if draw(st.booleans()):
            params = {
                "name": draw(NAME.filter(lambda n: len(n) <= 200)),
                "kind_a": draw(st.sampled_from([k.value for k in Kind])),
                "kind_b": draw(st.sampled_from([k.value for k in Kind])),
                "buffer_before": draw(st.integers(0, 365)),
                "buffer_after": draw(st.integers(0, 365)),
                "min_impact": draw(st.sampled_from([None, "small", "medium", "big"])),
            }
            result.append({"id": rule_id, "params": params, "user_defined": True})
        else:
            params = draw(st.dictionaries(IDENT, JSON_LEAF, max_size=3))
            result.append({"id": rule_id, "params": params, "user_defined": False})
    for rule in result:
        rule["enabled"] = draw(st.booleans())
        rule["severity"] = draw(st.sampled_from([None, "error", "warning"]))
    return sorted(result, key=lambda r: r["id"])


@st.composite
def acknowledgements(draw: st.DrawFn, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Acknowledged conflicts between the document's items, in export order."""
    uids = [item["uid"] for item in items]
    if not uids:
        return []
    moment = st.one_of(
        DAYS.map(dt.date.isoformat),
        st.builds(
            lambda d, t: dt.datetime.combine(d, t.replace(microsecond=0)).isoformat(), DAYS, TIMES
        ),
    )
    result: dict[str, dict[str, Any]] = {}
    for _ in range(draw(st.integers(0, 3))):
        chosen = sorted(draw(st.lists(st.sampled_from(uids), min_size=1, max_size=3, unique=True)))
        occurrences = [{"uid": uid, "start": draw(moment), "end": draw(moment)} for uid in chosen]
        occurrences.sort(key=lambda o: (o["uid"], o["start"], o["end"]))
        ack = {
            "rule": draw(st.sampled_from([r.id for r in BUILTIN_RULES])),
            "persona": draw(st.one_of(st.none(), IDENT)),
            "items": occurrences,
            "note": draw(TEXT),
            "acknowledged_at": draw(
                st.datetimes(
                    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1)
                ).map(lambda d: d.replace(tzinfo=dt.UTC).isoformat())
            ),
        }
        result[json.dumps([ack["rule"], ack["persona"], occurrences])] = ack
    return sorted(
        result.values(),
        key=lambda a: (
            a["rule"],
            a["items"][0]["start"],
            a["persona"] or "",
            json.dumps(a["items"]),
        ),
    )


@st.composite
def plan_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid plan document, exactly as the app exports it."""
    the_people = draw(people())
    the_personas = draw(personas())
    the_items = draw(items([p["id"] for p in the_people], [p["id"] for p in the_personas]))
    return {
        "format": "smarketing-plan",
        "version": 1,
        "people": the_people,
        "personas": the_personas,
        "items": the_items,
        "slas": draw(slas()),
        "rules": draw(rules()),
        "acknowledgements": draw(acknowledgements(the_items)),
    }
