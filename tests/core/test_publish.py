"""Publishing: where the plan's calendar is re-written after each change, kept in the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.errors import UserError
from smarketing_desktop.services.publish import (
    PublishSettings,
    get_publish_settings,
    publish,
    set_publish_settings,
)
from smarketing_desktop.store.planfile import Plan, open_plan
from tests.core.ical_support import events, make_plan, record_publish_writes

ITEMS = [
    {"uid": "a@x", "title": "A", "kind": "tradeshow", "team": "sales", "start": "2027-03-01"},
    {"uid": "b@x", "title": "B", "kind": "blog_post", "start": "2027-03-02"},
]


@pytest.fixture
def plan(tmp_path: Path) -> Iterator[Plan]:
    plan = make_plan(tmp_path / "plan.smplan", *ITEMS)
    yield plan
    plan.close()


def test_settings_are_kept_in_the_plan(plan: Plan, tmp_path: Path) -> None:
    assert get_publish_settings(plan) is None
    chosen = ItemFilter(teams=frozenset({"sales"}), first=dt.date(2027, 1, 1))
    (tmp_path / "sync").mkdir()
    set_publish_settings(plan, PublishSettings(tmp_path / "sync" / "cal.ics", chosen))
    with open_plan(plan.path) as again:  # another window, or the command line
        settings = get_publish_settings(again)
    assert settings == PublishSettings((tmp_path / "sync" / "cal.ics").absolute(), chosen, True)
    set_publish_settings(plan, None)
    assert get_publish_settings(plan) is None


def test_publish_writes_the_chosen_items_and_rewrites_after_a_change(
    plan: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "sync" / "cal.ics"
    out.parent.mkdir()
    set_publish_settings(plan, PublishSettings(out, ItemFilter(teams=frozenset({"sales"}))))
    result = publish(plan)
    assert result is not None and (result.path, result.events) == (out.absolute(), 1)
    assert set(events(out.read_bytes())) == {"a@x"}
    set_publish_settings(plan, PublishSettings(out, ItemFilter()))
    publish(plan)
    assert set(events(out.read_bytes())) == {"a@x", "b@x"}
    assert [p.name for p in out.parent.iterdir()] == ["cal.ics"]  # no temporary files left


def test_publishing_switched_off_writes_nothing(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "cal.ics"
    set_publish_settings(plan, PublishSettings(out, ItemFilter(), enabled=False))
    assert publish(plan) is None and not out.exists()
    assert get_publish_settings(plan) == PublishSettings(out.absolute(), ItemFilter(), False)


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (PublishSettings(Path("cal.txt")), "Publish to an .ics file"),
        (PublishSettings(Path("cal.ics"), ItemFilter(kinds=frozenset({"party"}))), "Unknown kind"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(
    plan: Plan, settings: PublishSettings, words: str
) -> None:
    with pytest.raises(UserError, match=words):
        set_publish_settings(plan, settings)
    assert get_publish_settings(plan) is None


def test_a_place_that_cannot_be_written_is_a_clear_error_and_the_old_file_stays(
    plan: Plan, tmp_path: Path
) -> None:
    out = tmp_path / "cal.ics"
    set_publish_settings(plan, PublishSettings(out))
    publish(plan)
    before = out.read_bytes()
    # The synced folder went away and a file took its name: the write cannot happen.
    blocked = tmp_path / "gone"
    blocked.mkdir()
    set_publish_settings(plan, PublishSettings(blocked / "cal.ics"))
    blocked.rmdir()
    blocked.write_text("not a folder")
    with pytest.raises(UserError, match="Cannot write"):
        publish(plan)
    assert out.read_bytes() == before and blocked.read_text() == "not a folder"


def test_a_path_that_is_a_folder_is_a_clear_error(plan: Plan, tmp_path: Path) -> None:
    folder = tmp_path / "cal.ics"
    folder.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        set_publish_settings(plan, PublishSettings(folder))
    # A folder that took the file's name later: publishing says so.
    folder.rmdir()
    set_publish_settings(plan, PublishSettings(folder))
    folder.mkdir()
    with pytest.raises(UserError, match="is a folder"):
        publish(plan)


def test_an_unchanged_calendar_is_not_written_again(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "sync" / "cal.ics"
    out.parent.mkdir()
    set_publish_settings(plan, PublishSettings(out, ItemFilter()))
    first = publish(plan)
    assert first is not None and first.written
    before = out.stat()
    writes = record_publish_writes(monkeypatch)
    # Later (another DTSTAMP) and again: the events are the same, so the file stays.
    again = publish(plan)
    assert again is not None and (again.written, again.events) == (False, 2)
    after = out.stat()
    assert writes == [] and (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # A change of what is published is written.
    set_publish_settings(plan, PublishSettings(out, ItemFilter(teams=frozenset({"sales"}))))
    changed = publish(plan)
    assert changed is not None and changed.written and [w[0] for w in writes] == [out.absolute()]
    assert set(events(out.read_bytes())) == {"a@x"}


def test_a_file_changed_by_someone_else_is_put_right(plan: Plan, tmp_path: Path) -> None:
    out = tmp_path / "cal.ics"
    set_publish_settings(plan, PublishSettings(out, ItemFilter()))
    publish(plan)
    good = out.read_bytes()
    out.write_bytes(good.replace(b"SUMMARY:A", b"SUMMARY:Tampered"))
    result = publish(plan)
    assert result is not None and result.written
    assert set(events(out.read_bytes())) == {"a@x", "b@x"} and b"Tampered" not in out.read_bytes()


def test_a_relative_path_is_beside_the_plan_not_in_the_working_folder(
    plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    set_publish_settings(plan, PublishSettings(Path("team.ics")))
    settings = get_publish_settings(plan)
    assert settings is not None and settings.path == plan.path.parent / "team.ics"
    publish(plan)
    assert (plan.path.parent / "team.ics").exists() and list(elsewhere.iterdir()) == []


def test_a_missing_folder_is_refused_when_publishing_is_switched_on(
    plan: Plan, tmp_path: Path
) -> None:
    missing = tmp_path / "deep" / "a" / "cal.ics"
    with pytest.raises(UserError, match="does not exist"):
        set_publish_settings(plan, PublishSettings(missing))
    assert get_publish_settings(plan) is None and not (tmp_path / "deep").exists()
    # Kept while off (the synced folder may come back); publishing writes nothing then.
    set_publish_settings(plan, PublishSettings(missing, enabled=False))
    assert publish(plan) is None and not (tmp_path / "deep").exists()


def test_publishing_onto_the_plan_file_is_refused(plan: Plan, tmp_path: Path) -> None:
    link = tmp_path / "plan.ics"
    link.symlink_to(plan.path)
    with pytest.raises(UserError, match="belongs to the plan"):
        set_publish_settings(plan, PublishSettings(link))
