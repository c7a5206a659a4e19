"""The importer against the real-world calendars other projects test with.

icalendar and recurring-ical-events ship the files their users reported (Google and
Thunderbird exports, fuzzer finds, broken zones, odd recurrences) with their test suites.
Each must import, or be refused with one clear message that changes nothing; a second
import of the same file must change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange import ical_import, plan_json
from smarketing_desktop.store.planfile import Plan, create_plan

FOLDERS = [
    Path(icalendar.__file__).parent / "tests" / "calendars",
    Path(recurring_ical_events.__file__).parent / "test" / "calendars",
]
FILES = sorted(p for folder in FOLDERS if folder.is_dir() for p in folder.glob("*.ics"))


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plan]:
    plan = create_plan(tmp_path_factory.mktemp("corpus") / "corpus.smplan")
    yield plan
    plan.close()


def test_the_corpus_is_there() -> None:
    # Without the files the test below would pass by testing nothing.
    assert len(FILES) > 100


@pytest.mark.slow
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.parent.name}/{p.name}" for p in FILES])
def test_a_real_world_file_imports_or_is_refused_cleanly(plan: Plan, path: Path) -> None:
    before = plan_json.export_plan(plan)
    try:
        first = ical_import.import_ics(plan, [path])
    except UserError as error:
        assert path.name in str(error) and "\n" not in str(error)
        assert plan_json.export_plan(plan) == before
        return
    again = ical_import.import_ics(plan, [path])
    assert (again.added, again.updated) == (0, 0), [
        d.title for d in again.decisions if d.action != "unchanged"
    ]
    assert again.unchanged == first.added + first.updated + first.unchanged
