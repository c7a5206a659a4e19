"""Big plans for the benchmarks, built through the public plan JSON format."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from smarketing_desktop.domain.words import Impact, Kind, Status, Team
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.store.planfile import Plan, create_plan


def big_document(items: int, *, seed: int = 7, around: dt.date | None = None) -> dict[str, Any]:
    """``items`` items over two years around ``around``; about one in 25 recurs weekly."""
    rng = random.Random(seed)
    around = around or dt.date.today()
    people = [
        {"id": f"p{n}", "name": f"Person {n}", "team": rng.choice(["marketing", "sales"])}
        for n in range(40)
    ]
    personas = [{"id": f"persona{n}", "name": f"Persona {n}"} for n in range(6)]
    kinds = [k.value for k in Kind]
    result = []
    for n in range(items):
        start = around + dt.timedelta(days=rng.randint(-365, 365))
        item: dict[str, Any] = {
            "uid": f"item-{n:06d}@bench.example",
            "title": f"Campaign {n} " + rng.choice(["launch", "blast", "promo", "show", "post"]),
            "kind": rng.choice(kinds),
            "team": rng.choice([t.value for t in Team]),
            "impact": rng.choice([i.value for i in Impact]),
            "status": rng.choice([s.value for s in Status]),
            "owner": rng.choice(people)["id"],
            "personas": rng.sample([p["id"] for p in personas], rng.randint(0, 2)),
            "description": "Benchmark item " * rng.randint(0, 6),
        }
        if rng.random() < 0.3:
            hour = rng.randint(8, 17)
            item["start"] = f"{start.isoformat()}T{hour:02d}:00:00"
            item["end"] = f"{start.isoformat()}T{hour + 1:02d}:00:00"
            item["tz"] = "Europe/Berlin"
        else:
            item["start"] = start.isoformat()
            item["end"] = (start + dt.timedelta(days=rng.choice([0, 0, 1, 2, 4, 13]))).isoformat()
        if rng.random() < 0.04:
            item["rrule"] = "FREQ=WEEKLY;COUNT=12"
        if rng.random() < 0.3:
            item["goals"] = [
                {"team": "marketing", "metric": "MQLs", "target": rng.randint(10, 500)}
            ]
        result.append(item)
    return {
        "format": "smarketing-plan",
        "version": 1,
        "people": people,
        "personas": personas,
        "items": result,
    }


def make_plan(path: Path, items: int) -> Plan:
    plan = create_plan(path)
    if items:
        plan_json.import_plan(plan, json.dumps(big_document(items)))
    return plan
