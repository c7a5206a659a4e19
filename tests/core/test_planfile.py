"""Plan files: the storage round trip, bad files left untouched, migrations, concurrency,
and the services that sit right on the store (people, the demo plan, occurrences)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import selectinload

from smarketing_desktop.domain.people import Person
from smarketing_desktop.domain.recurrence import first_rule_day
from smarketing_desktop.errors import (
    ConcurrentEditError,
    InUseError,
    NotAPlanError,
    NotFoundError,
    PlanBusyError,
    PlanFileError,
    PlanReadOnlyError,
    PlanTooNewError,
    UserError,
    ValidationError,
)
from smarketing_desktop.services import people
from smarketing_desktop.services.demo import REFERENCE_DAY, demo_document, write_demo
from smarketing_desktop.services.items import count_items, occurrences_between
from smarketing_desktop.store import models, planfile
from smarketing_desktop.store.planfile import Plan, create_plan, head_revision, open_plan


@pytest.fixture(autouse=True)
def no_real_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing in here may touch the developer's own data folder, even by accident."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    made = create_plan(tmp_path / "plan.smplan")
    yield made
    made.close()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def fill(plan: Plan) -> None:
    """Rows of every kind: a person, a persona, a series with goals, links and an override,
    an SLA with all its children, and a rule setting."""
    with plan.write() as session:
        session.add(models.Person(id="ted", name="Ted", team="sales", email="ted@x.example"))
        session.add(models.Persona(id="olivia", name="Olivia", goals=["Less downtime"]))
        session.flush()
        item = models.Item(
            uid="expo@x",
            title="Expo <b>&</b> 🚀 مرحبا",
            kind="tradeshow",
            team="sales",
            owner_id="ted",
            start_date=dt.date(2027, 3, 10),
            end_date=dt.date(2027, 3, 12),
            channels=["events"],
            rrule="FREQ=YEARLY;COUNT=3",
            exdates=["2028-03-10"],
        )
        item.goals = [
            models.ItemGoal(team="sales", metric="leads", target=150.0, actual=None),
            models.ItemGoal(
                team="marketing", metric="visits", target=900.0, actual=1.5, position=1
            ),
        ]
        item.persona_links = [models.ItemPersona(persona_id="olivia")]
        item.overrides = [
            models.ItemOverride(
                recurrence_id="2029-03-10",
                start_date=dt.date(2029, 3, 11),
                end_date=dt.date(2029, 3, 13),
                title="Expo (moved)",
            )
        ]
        session.add(item)
        session.add(
            models.Item(
                uid="call@x",
                title="Call",
                kind="meeting",
                team="joint",
                start_date=dt.date(2027, 3, 1),
                end_date=dt.date(2027, 3, 1),
                start_time=dt.time(9, 30),
                end_time=dt.time(10, 0),
                tz="Europe/Berlin",
            )
        )
        sla = models.Sla(id="sla", title="SLA", effective=dt.date(2027, 1, 1))
        sla.commitments = [
            models.SlaCommitment(team="sales", metric="follow-up hours", target=24.0)
        ]
        sla.signatories = [models.SlaSignatory(name="Ted", signed_on=dt.date(2027, 1, 5))]
        sla.sections = [models.SlaSection(heading="Purpose", body="Together.")]
        sla.lead_definitions = [models.SlaLeadDefinition(term="MQL", definition="Scored 60+")]
        session.add(sla)
        session.add(models.RuleSetting(rule_id="persona-fatigue", params={"n": 4, "days": 7}))


# ---------------------------------------------------------------------------------------
# The storage round trip


def test_storage_round_trip_through_the_file(tmp_path: Path, plan: Plan) -> None:
    fill(plan)
    plan.close()
    # A closed plan is one file: nothing beside it to forget when it is copied or mailed.
    assert listing(tmp_path) == ["plan.smplan"]
    with open_plan(tmp_path / "plan.smplan") as again, again.read() as session:
        item = session.scalar(
            select(models.Item)
            .where(models.Item.uid == "expo@x")
            .options(
                selectinload(models.Item.goals),
                selectinload(models.Item.persona_links),
                selectinload(models.Item.overrides),
            )
        )
        assert (item.title, item.owner_id, item.start_date, item.end_date) == (
            "Expo <b>&</b> 🚀 مرحبا",
            "ted",
            dt.date(2027, 3, 10),
            dt.date(2027, 3, 12),
        )
        assert item.all_day and item.channels == ["events"] and item.exdates == ["2028-03-10"]
        assert item.series_end == dt.date(2029, 3, 12)
        assert [(g.team, g.metric, g.target, g.actual) for g in item.goals] == [
            ("sales", "leads", 150.0, None),
            ("marketing", "visits", 900.0, 1.5),
        ]
        assert [link.persona_id for link in item.persona_links] == ["olivia"]
        assert [(o.recurrence_id, o.start_date, o.end_date, o.title) for o in item.overrides] == [
            ("2029-03-10", dt.date(2029, 3, 11), dt.date(2029, 3, 13), "Expo (moved)")
        ]
        assert item.created_at.tzinfo is not None and item.version == 1
        call = session.scalar(select(models.Item).where(models.Item.uid == "call@x"))
        assert (call.start_time, call.end_time, call.tz, call.all_day) == (
            dt.time(9, 30),
            dt.time(10, 0),
            "Europe/Berlin",
            False,
        )
        assert session.get(models.Person, "ted").email == "ted@x.example"
        assert session.get(models.Persona, "olivia").goals == ["Less downtime"]
        sla = session.get(models.Sla, "sla")
        assert [(c.team, c.metric, c.target) for c in sla.commitments] == [
            ("sales", "follow-up hours", 24.0)
        ]
        assert [(s.name, s.signed_on) for s in sla.signatories] == [("Ted", dt.date(2027, 1, 5))]
        assert [(s.heading, s.body) for s in sla.sections] == [("Purpose", "Together.")]
        assert [(d.term, d.definition) for d in sla.lead_definitions] == [("MQL", "Scored 60+")]
        assert session.get(models.RuleSetting, "persona-fatigue").params == {"n": 4, "days": 7}


def test_wal_and_foreign_keys_on_every_connection(plan: Plan) -> None:
    for session_of in (plan.read, plan.write):
        with session_of() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA busy_timeout")).scalar() == planfile.BUSY_TIMEOUT_MS
    with pytest.raises(Exception, match="FOREIGN KEY"), plan.write() as session:
        session.add(
            models.Item(
                uid="x",
                title="x",
                kind="other",
                owner_id="nobody",
                start_date=dt.date(2027, 1, 1),
                end_date=dt.date(2027, 1, 1),
            )
        )
    assert count_items(plan) == 0


def test_deleting_an_item_deletes_its_children_but_a_used_persona_stays(plan: Plan) -> None:
    fill(plan)
    with pytest.raises(Exception, match="FOREIGN KEY"), plan.write() as session:
        session.execute(text("DELETE FROM personas WHERE id = 'olivia'"))
    with plan.write() as session:
        session.execute(text("DELETE FROM items WHERE uid = 'expo@x'"))
    with plan.read() as session:
        for table in ("item_goals", "item_personas", "item_overrides"):
            assert session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        assert session.get(models.Persona, "olivia") is not None


def test_create_plan_never_overwrites_and_fails_cleanly(tmp_path: Path) -> None:
    existing = tmp_path / "mine.smplan"
    existing.write_text("my notes")
    with pytest.raises(PlanFileError, match="already exists") as caught:
        create_plan(existing)
    assert str(existing) in str(caught.value) and existing.read_text() == "my notes"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(PlanFileError, match="Cannot create the plan") as caught:
        create_plan(blocker / "inside.smplan")
    assert str(blocker / "inside.smplan") in str(caught.value)
    assert listing(tmp_path) == ["a-file", "mine.smplan"]


# ---------------------------------------------------------------------------------------
# Files that are not plans (or not ours to change) are refused and left exactly as they were


def sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('my shopping list')")
    conn.commit()
    conn.close()


def sqlite_file_with_plan_info(path: Path) -> None:
    """Looks a bit like a plan (both tables), but is no plan of ours."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE plan_info (key TEXT, value TEXT)")
    conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
    conn.execute("INSERT INTO plan_info VALUES ('format', 'someone-else')")
    conn.execute("INSERT INTO alembic_version VALUES ('0001')")
    conn.commit()
    conn.close()


def closed_plan(path: Path) -> None:
    with create_plan(path) as made:
        fill(made)
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def truncated_plan(path: Path) -> None:
    source = path.with_name("full.smplan")
    closed_plan(source)
    data = source.read_bytes()
    source.unlink()
    path.write_bytes(data[:2048])


def read_only_plan(path: Path) -> None:
    closed_plan(path)
    path.chmod(0o444)


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda p: p.write_bytes(os.urandom(4096)), NotAPlanError, "not an SQLite database"),
        (lambda p: p.write_bytes(b""), NotAPlanError, "empty file"),
        (sqlite_file, NotAPlanError, "not a Smarketing plan"),
        (sqlite_file_with_plan_info, NotAPlanError, "not a Smarketing plan"),
        (truncated_plan, NotAPlanError, "not a Smarketing plan"),
        (
            lambda p: p.write_bytes(planfile.SQLITE_HEADER + os.urandom(4000)),
            NotAPlanError,
            "not a Smarketing plan",
        ),
        (
            lambda p: p.write_text("format: smarketing-plan\n"),
            NotAPlanError,
            "not an SQLite database",
        ),
        # Tests run as root, who may write anyway: no write bits at all means read-only.
        (read_only_plan, PlanReadOnlyError, "is read-only"),
    ],
    ids=[
        "random-bytes",
        "empty",
        "other-sqlite-database",
        "lookalike-sqlite-database",
        "truncated-plan",
        "sqlite-header-then-garbage",
        "text",
        "read-only-plan",
    ],
)
def test_bad_files_are_refused_and_left_untouched(tmp_path: Path, make, error, words) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    path = folder / "thing.smplan"
    make(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)
    names = listing(folder)
    try:
        for create in (False, True):  # create=True never "repairs" an existing file either
            with pytest.raises(error) as caught:
                open_plan(path, create=create)
            message = str(caught.value)
            assert words in message and str(path) in message and "\n" not in message
            assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode) == before
            assert listing(folder) == names  # no -wal, no -shm, no backup, no temp file
    finally:
        path.chmod(0o644)


def test_a_folder_and_a_missing_path_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "a folder.smplan"
    folder.mkdir()
    with pytest.raises(NotAPlanError, match="is a folder, not a plan file") as caught:
        open_plan(folder)
    assert str(folder) in str(caught.value) and listing(folder) == []
    missing = tmp_path / "missing.smplan"
    with pytest.raises(NotAPlanError, match="There is no plan at") as caught:
        open_plan(missing)
    assert str(missing) in str(caught.value)
    assert listing(tmp_path) == ["a folder.smplan"]
    # With create=True a missing plan is made (folders too), and it is a real, empty plan.
    with open_plan(tmp_path / "new" / "made.smplan", create=True) as created:
        assert created.path.is_file() and created.name == "made" and created.backup is None
        assert planfile.inspect_plan_file(created.path).revision == head_revision()
        assert people.list_people(created) == []


# ---------------------------------------------------------------------------------------
# Migrations

PEOPLE_0001 = (
    "INSERT INTO people (id, name, team, role, email, phone, version, created_at, updated_at) "
    "VALUES (:id, :name, :team, '', :email, '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)
ITEMS_0001 = (
    "INSERT INTO items (uid, title, kind, team, owner_id, start_date, end_date, impact, status, "
    "description, location, url, channels, rrule, exdates, rdates, signoff_marketing, "
    "signoff_sales, sequence, version, created_at, updated_at) VALUES (:uid, :title, :kind, "
    "'joint', :owner, :start, :end, 'small', 'planned', '', '', '', '[\"email\"]', :rrule, "
    ":exdates, '[]', 0, 0, 0, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)
ITEMS_AT_0001 = [
    {
        "uid": "w@x",
        "title": "Weekly",
        "kind": "meeting",
        "owner": "ted",
        "start": "2027-01-04",
        "end": "2027-01-04",
        "rrule": "FREQ=WEEKLY;COUNT=4",
        "exdates": '["2027-01-11"]',
    },
    {
        "uid": "expo@x",
        "title": "Expo",
        "kind": "tradeshow",
        "owner": "martha",
        "start": "2027-03-10",
        "end": "2027-03-12",
        "rrule": None,
        "exdates": "[]",
    },
]


def plan_at_first_schema(path: Path, items: list[dict] = ITEMS_AT_0001) -> None:
    """A plan exactly as the first version of the app wrote it (schema revision 0001)."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(planfile._alembic_config(connection), "0001")
        connection.execute(
            text(
                "INSERT INTO plan_info (key, value) VALUES ('format', 'smarketing-plan'), "
                "('name', 'Old plan'), ('app_version', '0.0.1')"
            )
        )
        connection.execute(
            text(PEOPLE_0001),
            [
                {"id": "ted", "name": "Ted", "team": "sales", "email": "ted@x.example"},
                {"id": "martha", "name": "Martha Díaz", "team": "marketing", "email": ""},
            ],
        )
        connection.execute(text(ITEMS_0001), items)
    engine.dispose()
    assert listing(path.parent) == [path.name]


def dump(path: Path, tables: tuple[str, ...] = ("plan_info", "people", "items")) -> dict:
    """The rows of a plan file, read without changing it; columns of revision 0001 only."""
    columns_0001 = {
        "plan_info": "key, value",
        "people": "id, name, team, email, version",
        "items": "uid, title, kind, owner_id, start_date, end_date, rrule, exdates, channels",
    }
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {
            table: sorted(conn.execute(f"SELECT {columns_0001[table]} FROM {table}").fetchall())
            for table in tables
        }
    finally:
        conn.close()


def item_columns(path: Path) -> set[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {row[1] for row in conn.execute("PRAGMA table_info(items)")}
    finally:
        conn.close()


def test_a_plan_from_the_first_schema_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "plans" / "old.smplan"
    path.parent.mkdir()
    plan_at_first_schema(path)
    before = dump(path)
    assert "stage" not in item_columns(path)
    with open_plan(path) as plan:
        backup = plan.backup
        assert backup is not None and backup.parent == path.parent
        assert "backup-0001" in backup.name and backup.suffix == ".smplan"
        # The backup is the plan as it was: revision 0001, the same rows, and still openable.
        assert planfile.inspect_plan_file(backup).revision == "0001"
        assert dump(backup) == before
        assert "stage" not in item_columns(backup)
        # The plan itself is now at the newest revision, with every row kept.
        assert planfile.inspect_plan_file(path).revision == head_revision()
        after = dump(path)
        app_version = dict(after["plan_info"])["app_version"]
        assert app_version != "0.0.1"
        assert {k: v for k, v in after.items() if k != "plan_info"} == {
            k: v for k, v in before.items() if k != "plan_info"
        }
        assert {"stage", "source_ical", "series_end"} <= item_columns(path)
        with plan.read() as session:
            weekly = session.scalar(select(models.Item).where(models.Item.uid == "w@x"))
            assert (weekly.title, weekly.owner_id, weekly.stage, weekly.source_ical) == (
                "Weekly",
                "ted",
                None,
                None,
            )
            assert weekly.series_end == dt.date(2027, 1, 25)  # filled in by a migration
        assert plan.name == "Old plan"
        assert [p.id for p in people.list_people(plan)] == ["martha", "ted"]
        # The migrated plan takes new rows in the new columns.
        with plan.write() as session:
            weekly = session.scalar(select(models.Item).where(models.Item.uid == "w@x"))
            weekly.stage = "awareness"
    # The backup can be opened (and migrated) like any plan, as a user would restore it.
    restored = tmp_path / "restored.smplan"
    restored.write_bytes(backup.read_bytes())
    with open_plan(restored) as again:
        assert again.backup is not None
        assert sorted(p.id for p in people.list_people(again)) == ["martha", "ted"]
    # Opening the migrated plan again needs no migration and makes no second backup.
    with open_plan(path) as again:
        assert again.backup is None
    assert len(list(path.parent.glob("*backup*"))) == 1


def test_opening_a_plan_at_head_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "plan.smplan"
    closed_plan(path)
    with open_plan(path) as plan:
        assert plan.backup is None
    assert listing(tmp_path) == ["plan.smplan"]


def test_a_migration_that_fails_leaves_the_plan_at_its_old_revision(tmp_path: Path) -> None:
    path = tmp_path / "old.smplan"
    broken = [{**ITEMS_AT_0001[0], "rrule": "FREQ=SOMETIMES;COUNT=2"}]  # 0003 reads rules
    plan_at_first_schema(path, broken)
    before = dump(path)
    with pytest.raises(Exception, match="SOMETIMES"):
        open_plan(path)
    # One transaction: no half-migrated plan, the rows as they were, the backup beside it.
    assert planfile.inspect_plan_file(path).revision == "0001"
    assert dump(path) == before and "stage" not in item_columns(path)
    assert [p.name for p in tmp_path.glob("old.backup-0001-*.smplan")] != []


def test_a_plan_from_a_newer_app_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.smplan"
    with create_plan(path) as plan, plan.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        session.execute(text("UPDATE plan_info SET value = '7.0.0' WHERE key = 'app_version'"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(PlanTooNewError, match="newer") as caught:
        open_plan(path)
    assert str(path) in str(caught.value) and "7.0.0" in str(caught.value)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert listing(tmp_path) == ["new.smplan"]


# ---------------------------------------------------------------------------------------
# Concurrency: two windows, or a window and a command, on one plan


def test_two_writers_wait_for_each_other(tmp_path: Path) -> None:
    path = tmp_path / "plan.smplan"
    create_plan(path).close()
    first, second = open_plan(path), open_plan(path)
    holding = threading.Event()

    def slow_writer() -> None:
        with first.write() as session:
            session.add(models.Person(id="a", name="A", team="sales"))
            holding.set()
            time.sleep(0.5)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert holding.wait(5)
    # A reader is never blocked by the writer (WAL) and sees the last commit only.
    begin = time.perf_counter()
    assert people.list_people(second) == []
    assert time.perf_counter() - begin < 0.3
    begin = time.perf_counter()
    with second.write() as session:  # waits for the first writer, then goes ahead
        session.add(models.Person(id="b", name="B", team="sales"))
    assert time.perf_counter() - begin > 0.3
    thread.join()
    with second.read() as session:
        assert sorted(session.scalars(select(models.Person.id))) == ["a", "b"]
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    first.close()
    second.close()


def test_a_writer_that_waits_too_long_gets_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.smplan"
    create_plan(path).close()
    first = open_plan(path)
    monkeypatch.setattr(planfile, "BUSY_TIMEOUT_MS", 100)
    second = Plan(path)
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with first.write() as session:
            session.add(models.Person(id="a", name="A", team="sales"))
            holding.set()
            done.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(5)
    begin = time.perf_counter()
    try:
        with pytest.raises(PlanBusyError) as caught, second.write() as s:
            s.add(models.Person(id="b", name="B", team="sales"))
    finally:
        waited = time.perf_counter() - begin
        done.set()
        thread.join()
    assert "busy with another window or command" in str(caught.value)
    assert str(path) in str(caught.value)
    assert waited < 3  # the short timeout was honoured, not SQLite's default
    with first.read() as session:
        assert list(session.scalars(select(models.Person.id))) == ["a"]
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    first.close()
    second.close()


def cli_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
    }


def test_a_window_and_two_commands_write_at_once_without_damage(tmp_path: Path) -> None:
    path = tmp_path / "plan.smplan"
    create_plan(path).close()
    documents = []
    for batch in ("a", "b"):
        document = {
            "format": "smarketing-plan",
            "version": 1,
            "items": [
                {
                    "uid": f"{batch}{n}@x",
                    "title": f"Item {batch}{n}",
                    "kind": "blog_post",
                    "start": (dt.date(2027, 1, 1) + dt.timedelta(days=n)).isoformat(),
                }
                for n in range(150)
            ],
        }
        documents.append(tmp_path / f"{batch}.json")
        documents[-1].write_text(json.dumps(document))
    window = open_plan(path)
    with window.write() as session:  # the commands start while this window holds the lock
        session.add(models.Person(id="held", name="Held", team="sales"))
        commands = [
            subprocess.Popen(
                [sys.executable, "-m", "smarketing_desktop", "import", str(doc), "--db", str(path)],
                env=cli_env(tmp_path),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for doc in documents
        ]
        time.sleep(0.3)
    for n in range(20):  # the window keeps editing while the commands import
        people.add_person(window, Person(id="", name=f"Person {n}", team="marketing"))
    results = [proc.communicate(timeout=60) for proc in commands]
    assert [proc.returncode for proc in commands] == [0, 0], results
    assert all("items: 150 added" in out for out, _ in results)
    with window.read() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert session.scalar(select(func.count()).select_from(models.Person)) == 21
        uids = set(session.scalars(select(models.Item.uid)))
    assert len(uids) == 300 and {"a0@x", "a149@x", "b0@x", "b149@x"} <= uids
    window.close()


def test_a_stale_edit_is_refused_and_changes_nothing(plan: Plan) -> None:
    mine = people.add_person(plan, Person(id="", name="Martha", team="marketing"))
    other_window = open_plan(plan.path)
    theirs = people.update_person(
        other_window, Person(mine.id, "Martha Díaz", "marketing", version=mine.version)
    )
    assert theirs.version == mine.version + 1
    with pytest.raises(ConcurrentEditError, match="changed in another window"):
        people.update_person(plan, Person(mine.id, "Stale", "sales", version=mine.version))
    assert people.get_person(plan, mine.id) == theirs
    other_window.close()


def test_a_stale_row_caught_by_the_orm_is_a_concurrent_edit(plan: Plan) -> None:
    people.add_person(plan, Person(id="ted", name="Ted", team="sales"))
    with pytest.raises(ConcurrentEditError), plan.write() as session:
        row = session.get(models.Person, "ted")
        # Someone bumped the row behind this session's back.
        session.execute(text("UPDATE people SET version = version + 1, name = 'Theirs'"))
        row.name = "Mine"
        session.flush()
    assert people.get_person(plan, "ted").name == "Ted"  # the whole transaction rolled back


# ---------------------------------------------------------------------------------------
# Copies


def test_copy_to_writes_a_consistent_plan_atomically(tmp_path: Path, plan: Plan) -> None:
    fill(plan)
    holding, done = threading.Event(), threading.Event()

    def uncommitted_writer() -> None:
        with plan.write() as session:
            session.add(models.Person(id="pending", name="Pending", team="sales"))
            session.flush()
            holding.set()
            done.wait(5)

    thread = threading.Thread(target=uncommitted_writer)
    thread.start()
    assert holding.wait(5)
    target = tmp_path / "copies" / "copy.smplan"
    try:
        plan.copy_to(target)
    finally:
        done.set()
        thread.join()
    assert listing(target.parent) == ["copy.smplan"]  # no temp file, no journal
    with open_plan(target) as copy, copy.read() as session:
        assert copy.backup is None
        assert sorted(session.scalars(select(models.Item.uid))) == ["call@x", "expo@x"]
        assert session.get(models.Person, "pending") is None  # only committed data
        assert session.get(models.Sla, "sla").sections[0].body == "Together."
    # Copying over an older copy replaces it whole.
    people.add_person(plan, Person(id="", name="Later", team="sales"))
    plan.copy_to(target)
    with open_plan(target) as copy:
        assert "later" in {p.id for p in people.list_people(copy)}
    # A copy that cannot be written leaves nothing behind.
    (tmp_path / "taken").mkdir()
    with pytest.raises(OSError):
        plan.copy_to(tmp_path / "taken")
    assert listing(tmp_path / "taken") == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ---------------------------------------------------------------------------------------
# People


def test_adding_people_makes_readable_unique_ids(plan: Plan) -> None:
    first = people.add_person(
        plan, Person(id="", name="  Martha Díaz ", team="marketing", email=" m@x.example ")
    )
    second = people.add_person(plan, Person(id="", name="Martha Diaz", team="sales"))
    third = people.add_person(plan, Person(id="", name="MARTHA diaz!", team="sales"))
    script = people.add_person(plan, Person(id="", name="李雷", team="sales"))
    assert (first.id, second.id, third.id, script.id) == (
        "martha-diaz",
        "martha-diaz-2",
        "martha-diaz-3",
        "person",
    )
    assert (first.name, first.email, first.version) == ("Martha Díaz", "m@x.example", 1)
    chosen = people.add_person(plan, Person(id="boss", name="Boss", team="sales"))
    assert chosen.id == "boss"
    with pytest.raises(ValidationError, match="already taken") as caught:
        people.add_person(plan, Person(id="boss", name="Other", team="sales"))
    assert caught.value.path == "id"
    assert len(people.list_people(plan)) == 5
    assert people.get_person(plan, "boss").name == "Boss"


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        (Person("", " ", "sales"), "name", "needs a name"),
        (Person("", "X", "joint"), "team", "must be"),
        (Person("", "X", "Sales "), "team", "must be"),
        (Person("", "X", "sales", email="nope"), "email", "not an e-mail address"),
        (Person("", "X", "sales", email="a@b"), "email", "not an e-mail address"),
        (Person("", "X\x00Y", "sales"), "name", "NUL"),
    ],
)
def test_bad_people_are_refused_with_the_field_named(plan: Plan, bad, field, words) -> None:
    with pytest.raises(ValidationError, match=words) as caught:
        people.add_person(plan, bad)
    assert caught.value.path == field and str(caught.value).startswith(f"{field}: ")
    assert people.list_people(plan) == []


def test_remove_refuses_an_owner_and_restore_undoes_a_remove(plan: Plan) -> None:
    owner = people.add_person(plan, Person(id="", name="Martha", team="marketing"))
    helper = people.add_person(
        plan, Person(id="", name="Sam", team="sales", role="SDR", phone="+1 555")
    )
    with plan.write() as session:
        for n, title in enumerate(["Launch", "Webinar"]):
            session.add(
                models.Item(
                    uid=f"i{n}",
                    title=title,
                    kind="product_launch",
                    owner_id=owner.id,
                    start_date=dt.date(2027, 1, 1 + n),
                    end_date=dt.date(2027, 1, 1 + n),
                )
            )
    with pytest.raises(InUseError, match="Martha owns 2 items: “Launch”, “Webinar”") as caught:
        people.remove_person(plan, owner.id)
    assert caught.value.users == ["Launch", "Webinar"]
    assert people.get_person(plan, owner.id) == owner and count_items(plan) == 2
    removed = people.remove_person(plan, helper.id)
    assert removed == helper
    assert [p.id for p in people.list_people(plan)] == [owner.id]
    with pytest.raises(NotFoundError, match="no person"):
        people.update_person(plan, removed)
    back = people.restore_person(plan, removed)
    assert (back.id, back.name, back.role, back.phone) == ("sam", "Sam", "SDR", "+1 555")
    assert {p.id for p in people.list_people(plan)} == {owner.id, helper.id}
    with pytest.raises(ValidationError, match="already taken"):
        people.restore_person(plan, removed)


# ---------------------------------------------------------------------------------------
# The demo plan

MONDAY = 0


def demo_counts(plan: Plan) -> dict[str, int]:
    with plan.read() as session:
        kinds = dict(
            session.execute(select(models.Item.kind, func.count()).group_by(models.Item.kind)).all()
        )
        return {
            "people": session.scalar(select(func.count()).select_from(models.Person)),
            "personas": session.scalar(select(func.count()).select_from(models.Persona)),
            "slas": session.scalar(select(func.count()).select_from(models.Sla)),
            "items": session.scalar(select(func.count()).select_from(models.Item)),
            "tradeshows": kinds.get("tradeshow", 0),
            "holidays": kinds.get("holiday", 0),
        }


def test_the_demo_fills_a_new_plan_with_a_busy_quarter(plan: Plan) -> None:
    write_demo(plan, today=REFERENCE_DAY)
    counts = demo_counts(plan)
    assert counts["people"] >= 3 and counts["personas"] == 2 and counts["slas"] == 1
    assert counts["tradeshows"] == 2 and counts["holidays"] >= 1
    quarter = occurrences_between(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    for month in (1, 2, 3):
        starting = {o.uid for o in quarter if o.start.month == month}
        assert len(starting) >= 4, month
    weeks = {o.start.isocalendar()[1] for o in quarter}
    assert len(weeks) >= 12  # every week of the quarter has something on it
    # Owners are real people of the plan.
    ids = {p.id for p in people.list_people(plan)}
    assert {o.owner_id for o in quarter if o.owner_id} <= ids


def test_the_demo_refuses_a_plan_with_data_and_replace_replaces_it(plan: Plan) -> None:
    people.add_person(plan, Person(id="", name="Real Person", team="sales"))
    with pytest.raises(UserError, match="already has data") as caught:
        write_demo(plan, today=REFERENCE_DAY)
    assert "--force" in str(caught.value) and str(plan.path) in str(caught.value)
    assert [p.id for p in people.list_people(plan)] == ["real-person"] and count_items(plan) == 0
    write_demo(plan, today=REFERENCE_DAY, replace=True)
    first = demo_counts(plan)
    assert "real-person" not in {p.id for p in people.list_people(plan)}
    write_demo(plan, today=REFERENCE_DAY, replace=True)  # again: replaced, not doubled
    assert demo_counts(plan) == first


@pytest.mark.parametrize(
    "today",
    [dt.date(2027, 2, 10), dt.date(2030, 7, 4), dt.date(2024, 2, 29), dt.date(1999, 12, 31)],
)
def test_the_demo_keeps_weekdays_wherever_today_is(tmp_path: Path, today: dt.date) -> None:
    with create_plan(tmp_path / f"demo-{today}.smplan") as plan:
        write_demo(plan, today=today)
        around = occurrences_between(
            plan, today - dt.timedelta(days=60), today + dt.timedelta(days=60)
        )
    weekly = [o for o in around if o.uid == "pipeline-sync@demo.smarketing"]
    assert len(weekly) >= 10 and {o.start.weekday() for o in weekly} == {MONDAY}
    assert {o.start_time for o in weekly} == {dt.time(9, 30)}
    assert any(o.start < today for o in around) and any(o.start > today for o in around)


def dated_starts(document: dict) -> dict[str, dt.date]:
    return {
        item["uid"]: dt.date.fromisoformat(item["start"][:10])
        for item in document["items"]
        if item.get("start")
    }


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_the_demo_moves_by_whole_weeks_around_today(today: dt.date) -> None:
    reference = dated_starts(demo_document(REFERENCE_DAY))
    document = demo_document(today)
    moved = dated_starts(document)
    assert moved.keys() == reference.keys()
    rules = {
        item["uid"]: (item["rrule"], dt.datetime.fromisoformat(item["start"]))
        for item in document["items"]
        if item.get("rrule")
    }
    singles = [uid for uid in reference if uid not in rules]
    shifts = {(moved[uid] - reference[uid]).days for uid in singles}
    assert len(shifts) == 1  # one move of the whole plan...
    shift = shifts.pop()
    assert shift % 7 == 0  # ...by whole weeks
    for uid in singles:
        assert moved[uid].weekday() == reference[uid].weekday()
        assert today - dt.timedelta(days=45) <= moved[uid] <= today + dt.timedelta(days=56)
    for uid, (rule, start) in rules.items():
        # A series starts on its rule's first day on or after the moved start (a "last
        # Wednesday" series moved by weeks would otherwise start on a day it skips).
        assert first_rule_day(rule, start) == start
        assert 0 <= (moved[uid] - reference[uid]).days - shift < 40
    exdates = [
        dt.date.fromisoformat(value[:10])
        for item in demo_document(today)["items"]
        for value in item.get("exdates", [])
    ]
    assert exdates and all(day.weekday() == MONDAY for day in exdates)


# ---------------------------------------------------------------------------------------
# Occurrences in a date range

MARCH = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))  # 2027-03-01 is a Monday


def add_items(plan: Plan, *items: dict) -> None:
    with plan.write() as session:
        for values in items:
            values = {"kind": "other", "title": values["uid"], **values}
            values.setdefault("end_date", values["start_date"])
            overrides = values.pop("overrides", [])
            item = models.Item(**values)
            item.overrides = overrides
            session.add(item)


def spans(found: list, uid: str) -> list[tuple[dt.date, dt.date]]:
    return [(o.start, o.end) for o in found if o.uid == uid]


def test_occurrences_between_keeps_what_touches_the_range(plan: Plan) -> None:
    d = dt.date
    add_items(
        plan,
        {"uid": "inside", "start_date": d(2027, 3, 10)},
        {"uid": "before", "start_date": d(2027, 2, 27), "end_date": d(2027, 2, 28)},
        {"uid": "after", "start_date": d(2027, 4, 1)},
        {"uid": "over-first", "start_date": d(2027, 2, 25), "end_date": d(2027, 3, 1)},
        {"uid": "over-last", "start_date": d(2027, 3, 31), "end_date": d(2027, 4, 2)},
        {"uid": "around", "start_date": d(2027, 2, 1), "end_date": d(2027, 4, 30)},
        {"uid": "undated", "start_date": None, "end_date": None},
        {
            "uid": "timed",
            "start_date": d(2027, 3, 5),
            "start_time": dt.time(16, 0),
            "end_time": dt.time(17, 0),
            "tz": "Europe/Berlin",
        },
    )
    found = occurrences_between(plan, *MARCH)
    assert [o.uid for o in found] == ["around", "over-first", "timed", "inside", "over-last"]
    assert spans(found, "over-first") == [(d(2027, 2, 25), d(2027, 3, 1))]
    assert spans(found, "over-last") == [(d(2027, 3, 31), d(2027, 4, 2))]
    timed = next(o for o in found if o.uid == "timed")
    assert (timed.start_time, timed.tz, timed.all_day, timed.recurring) == (
        dt.time(16, 0),
        "Europe/Berlin",
        False,
        False,
    )
    # One day is a range too, and both ends are inclusive.
    assert [o.uid for o in occurrences_between(plan, d(2027, 3, 1), d(2027, 3, 1))] == [
        "around",
        "over-first",
    ]
    assert [o.uid for o in occurrences_between(plan, d(2027, 2, 28), d(2027, 2, 28))] == [
        "around",
        "over-first",
        "before",
    ]
    assert occurrences_between(plan, d(2026, 1, 1), d(2026, 12, 31)) == []


def test_occurrences_between_expands_series(plan: Plan) -> None:
    d = dt.date
    add_items(
        plan,
        # Weekly on Mondays from 2027-02-01, skipping 2027-03-08.
        {
            "uid": "weekly",
            "start_date": d(2027, 2, 1),
            "rrule": "FREQ=WEEKLY",
            "exdates": ["2027-03-08"],
        },
        # Two-day series Sun-Mon: its 2027-02-28 occurrence reaches into March.
        {
            "uid": "two-day",
            "start_date": d(2027, 2, 21),
            "end_date": d(2027, 2, 22),
            "rrule": "FREQ=WEEKLY;COUNT=2",
        },
        # Ended before March: never expanded into it.
        {"uid": "ended", "start_date": d(2027, 1, 1), "rrule": "FREQ=DAILY;COUNT=5"},
        # Starts after March.
        {"uid": "later", "start_date": d(2027, 4, 5), "rrule": "FREQ=WEEKLY"},
        # Monthly with one occurrence moved out of March and one moved into it.
        {
            "uid": "monthly",
            "start_date": d(2027, 1, 15),
            "rrule": "FREQ=MONTHLY;COUNT=4",
            "overrides": [
                models.ItemOverride(
                    recurrence_id="2027-03-15",
                    start_date=d(2027, 4, 2),
                    end_date=d(2027, 4, 2),
                ),
                models.ItemOverride(
                    recurrence_id="2027-04-15",
                    start_date=d(2027, 3, 20),
                    end_date=d(2027, 3, 21),
                    title="Moved in",
                ),
            ],
        },
        {
            "uid": "timed-weekly",
            "start_date": d(2027, 3, 2),
            "start_time": dt.time(9, 30),
            "end_time": dt.time(10, 0),
            "tz": "America/Chicago",
            "rrule": "FREQ=WEEKLY;UNTIL=20270316T093000",
        },
    )
    found = occurrences_between(plan, *MARCH)
    assert spans(found, "weekly") == [
        (d(2027, 3, 1), d(2027, 3, 1)),
        (d(2027, 3, 15), d(2027, 3, 15)),
        (d(2027, 3, 22), d(2027, 3, 22)),
        (d(2027, 3, 29), d(2027, 3, 29)),
    ]
    assert spans(found, "two-day") == [(d(2027, 2, 28), d(2027, 3, 1))]
    assert spans(found, "ended") == [] and spans(found, "later") == []
    assert spans(found, "monthly") == [(d(2027, 3, 20), d(2027, 3, 21))]
    assert next(o for o in found if o.uid == "monthly").title == "Moved in"
    assert spans(found, "timed-weekly") == [(d(2027, 3, n), d(2027, 3, n)) for n in (2, 9, 16)]
    assert all(o.recurring for o in found)
    assert found == sorted(found, key=lambda o: (o.start, o.start_time or dt.time.min))
    # The moved-out occurrence appears where it went.
    april = occurrences_between(plan, d(2027, 4, 1), d(2027, 4, 30))
    assert spans(april, "monthly") == [(d(2027, 4, 2), d(2027, 4, 2))]
    assert len(spans(april, "later")) == 4


def test_an_occurrence_moved_outside_its_series_is_still_found(plan: Plan) -> None:
    d = dt.date
    add_items(
        plan,
        {
            "uid": "monthly",
            "start_date": d(2027, 1, 15),
            "rrule": "FREQ=MONTHLY;COUNT=3",  # Jan 15, Feb 15, Mar 15
            "overrides": [
                # The last one moved a month past the end of the series ...
                models.ItemOverride(
                    recurrence_id="2027-03-15", start_date=d(2027, 4, 20), end_date=d(2027, 4, 21)
                ),
                # ... and the first one moved before its start.
                models.ItemOverride(
                    recurrence_id="2027-01-15", start_date=d(2026, 12, 30), end_date=d(2026, 12, 30)
                ),
            ],
        },
    )
    assert spans(occurrences_between(plan, d(2027, 4, 1), d(2027, 4, 30)), "monthly") == [
        (d(2027, 4, 20), d(2027, 4, 21))
    ]
    assert spans(occurrences_between(plan, d(2026, 12, 1), d(2026, 12, 31)), "monthly") == [
        (d(2026, 12, 30), d(2026, 12, 30))
    ]
    assert spans(occurrences_between(plan, d(2027, 1, 1), d(2027, 3, 31)), "monthly") == [
        (d(2027, 2, 15), d(2027, 2, 15))
    ]
    assert occurrences_between(plan, d(2027, 5, 1), d(2027, 5, 31)) == []
