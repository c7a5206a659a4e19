"""Item-editing figures:

* ``series_end`` of a daily series with a far UNTIL (what every save of such an item
  computes) against expanding the rule to its end, which is what it used to do (target:
  no expansion, so well under 1 ms whatever the UNTIL);
* the rule check of a saved item (``check_rule``) against dateutil merely parsing the
  same rule (target: within 3x: the check adds only the first occurrence);
* a move of 200 items as one drag (one transaction) against reading those items' states,
  the smallest work an undoable move does anyway.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from dateutil.rrule import rrulestr

from benchmarks.timing import median_ms
from smarketing_desktop.domain.recurrence import series_end
from smarketing_desktop.domain.rule_check import check_rule
from smarketing_desktop.services import item_edits
from smarketing_desktop.store.planfile import create_plan

RULE = "FREQ=DAILY;UNTIL=20991231T235959"
CHECKED = "FREQ=MONTHLY;BYDAY=-1WE;COUNT=24"
START = dt.datetime(2026, 1, 5, 9)


def _expanded_end() -> dt.date:
    last = START.date()
    for moment in rrulestr(RULE, dtstart=START):
        last = moment.date()
    return last


def run(args: argparse.Namespace) -> dict[str, Any]:
    day = START.date()
    figures: dict[str, Any] = {
        "series_end_daily_to_2099_ms": median_ms(
            lambda: series_end(day, START.time(), day, RULE), args.repeat
        ),
        "baseline_expanding_that_series_ms": median_ms(_expanded_end, 1),
        "check_rule_ms": median_ms(lambda: check_rule(CHECKED, START), args.repeat * 20),
        "baseline_dateutil_parse_ms": median_ms(
            lambda: rrulestr(CHECKED, dtstart=START), args.repeat * 20
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        plan = create_plan(Path(folder) / "items.smplan")
        try:
            uids = []
            for n in range(200):
                start = dt.datetime(2026, 3, 2, 9) + dt.timedelta(days=n % 60)
                uids.append(
                    item_edits.create_item(
                        plan,
                        {
                            "title": f"Item {n}",
                            "kind": "meeting",
                            "team": "joint",
                            "start": start.isoformat(),
                            "end": (start + dt.timedelta(minutes=30)).isoformat(),
                            "rrule": "FREQ=WEEKLY;COUNT=10" if n % 4 == 0 else None,
                        },
                    )["uid"]
                )
            figures["move_200_items_ms"] = median_ms(
                lambda: item_edits.shift_items(plan, uids, days=1, minutes=-30), args.repeat
            )
            figures["baseline_read_200_item_states_ms"] = median_ms(
                lambda: item_edits.item_states(plan, uids), args.repeat
            )
        finally:
            plan.close()
    figures["method"] = "median wall-clock ms; the expansion baseline runs once (it is slow)"
    return figures
