"""Plan files: the storage round trip, bad files left untouched, migrations, concurrency."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import selectinload

from smarketing_desktop.domain.people import Person
from smarketing_desktop.errors import (
    ConcurrentEditError,
    InUseError,
    NotAPlanError,
    PlanBusyError,
    PlanReadOnlyError,
    PlanTooNewError,
    ValidationError,
)
from smarketing_desktop.services import people
from smarketing_desktop.store import models, planfile
from smarketing_desktop.store.planfile import Plan, create_plan, head_revision, open_plan


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    return create_plan(tmp_path / "plan.smplan")


def fill(plan: Plan) -> None:
    with plan.write() as session:
        session.add(models.Person(id="ted", name="Ted", team="sales", email="ted@x.example"))
        session.add(models.Persona(id="olivia", name="Olivia", goals=["Less downtime"]))
        session.flush()
        item = models.Item(
            uid="expo@x",
            title="Expo",
            kind="tradeshow",
            team="sales",
            owner_id="ted",
            start_date=dt.date(2027, 3, 10),
            end_date=dt.date(2027, 3, 12),
            channels=["events"],
            rrule="FREQ=YEARLY;COUNT=3",
            exdates=["2028-03-10"],
        )
        item.goals = [models.ItemGoal(team="sales", metric="leads", target=150.0, actual=None)]
        item.persona_links = [models.ItemPersona(persona_id="olivia")]
        item.overrides = [
            models.ItemOverride(
                recurrence_id="2029-03-10",
                start_date=dt.date(2029, 3, 11),
                end_date=dt.date(2029, 3, 13),
            )
        ]
        session.add(item)
        sla = models.Sla(id="sla", title="SLA", effective=dt.date(2027, 1, 1))
        sla.commitments = [
            models.SlaCommitment(team="sales", metric="follow-up hours", target=24.0)
        ]
        sla.signatories = [models.SlaSignatory(name="Ted", signed_on=dt.date(2027, 1, 5))]
        sla.sections = [models.SlaSection(heading="Purpose", body="Together.")]
        sla.lead_definitions = [models.SlaLeadDefinition(term="MQL", definition="Scored 60+")]
        session.add(sla)
        session.add(models.RuleSetting(rule_id="persona-fatigue", params={"n": 4, "days": 7}))


def test_storage_round_trip_through_the_file(tmp_path: Path, plan: Plan) -> None:
    fill(plan)
    plan.close()
    with open_plan(tmp_path / "plan.smplan") as again, again.read() as session:
        item = session.scalar(
            select(models.Item).options(
                selectinload(models.Item.goals),
                selectinload(models.Item.persona_links),
                selectinload(models.Item.overrides),
            )
        )
        assert (item.title, item.owner_id, item.start_date, item.end_date) == (
            "Expo",
            "ted",
            dt.date(2027, 3, 10),
            dt.date(2027, 3, 12),
        )
        assert item.all_day and item.channels == ["events"] and item.exdates == ["2028-03-10"]
        assert item.series_end == dt.date(2029, 3, 12)
        assert [(g.metric, g.target, g.actual) for g in item.goals] == [("leads", 150.0, None)]
        assert [link.persona_id for link in item.persona_links] == ["olivia"]
        assert item.overrides[0].start_date == dt.date(2029, 3, 11)
        assert item.created_at.tzinfo is not None and item.version == 1
        sla = session.get(models.Sla, "sla")
        assert sla.commitments[0].target == 24.0 and sla.signatories[0].signed_on == dt.date(
            2027, 1, 5
        )
        assert session.get(models.RuleSetting, "persona-fatigue").params == {"n": 4, "days": 7}


def test_wal_and_foreign_keys(plan: Plan) -> None:
    with plan.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
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


def sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('my shopping list')")
    conn.commit()
    conn.close()


def truncated_plan(path: Path) -> None:
    source = path.with_name("full.smplan")
    with create_plan(source) as full:
        fill(full)
    data = source.read_bytes()
    source.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    path.write_bytes(data[:2048])


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda p: p.write_bytes(os.urandom(4096)), NotAPlanError, "not an SQLite database"),
        (lambda p: p.write_bytes(b""), NotAPlanError, "empty file"),
        (sqlite_file, NotAPlanError, "not a Smarketing plan"),
        (truncated_plan, NotAPlanError, "not a Smarketing plan"),
        (
            lambda p: p.write_text("format: smarketing-plan\n"),
            NotAPlanError,
            "not an SQLite database",
        ),
    ],
    ids=["random-bytes", "empty", "other-sqlite-database", "truncated-plan", "text"],
)
def test_files_that_are_not_plans_are_refused_and_untouched(
    tmp_path: Path, make, error, words
) -> None:
    path = tmp_path / "thing.smplan"
    make(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    listing = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(error) as caught:
        open_plan(path)
    assert words in str(caught.value) and str(path) in str(caught.value)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no journal, no backup


def test_a_read_only_plan_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "plan.smplan"
    with create_plan(path) as plan:
        fill(plan)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    try:
        with pytest.raises(PlanReadOnlyError, match="read-only"):
            open_plan(path)
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    finally:
        path.chmod(0o644)


def test_missing_and_folder_paths(tmp_path: Path) -> None:
    with pytest.raises(NotAPlanError, match="There is no plan"):
        open_plan(tmp_path / "missing.smplan")
    assert not (tmp_path / "missing.smplan").exists()
    with pytest.raises(NotAPlanError, match="folder"):
        open_plan(tmp_path)
    created = open_plan(tmp_path / "new" / "made.smplan", create=True)
    assert created.path.is_file() and created.name == "made"


def plan_at_first_schema(path: Path) -> None:
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
            text(
                "INSERT INTO people (id, name, team, role, email, phone, version, created_at, updated_at) "
                "VALUES ('ted', 'Ted', 'sales', '', '', '', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO items (uid, title, kind, team, owner_id, start_date, end_date, impact, status, "
                "description, location, url, channels, rrule, exdates, rdates, signoff_marketing, "
                "signoff_sales, sequence, version, created_at, updated_at) VALUES ('w@x', 'Weekly', "
                "'meeting', 'joint', 'ted', '2027-01-04', '2027-01-04', 'small', 'planned', '', '', '', "
                "'[]', 'FREQ=WEEKLY;COUNT=4', '[]', '[]', 0, 0, 0, 1, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00')"
            )
        )
    engine.dispose()


def test_a_plan_from_the_first_schema_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.smplan"
    plan_at_first_schema(path)
    original = path.read_bytes()
    plan = open_plan(path)
    assert plan.backup is not None and plan.backup.parent == tmp_path
    assert "backup-0001" in plan.backup.name
    assert planfile.inspect_plan_file(plan.backup).revision == "0001"
    backup = sqlite3.connect(plan.backup)
    assert backup.execute("SELECT title FROM items").fetchall() == [("Weekly",)]
    backup.close()
    assert planfile.inspect_plan_file(path).revision == head_revision()
    with plan.read() as session:
        item = session.scalar(select(models.Item))
        assert (item.title, item.owner_id, item.stage, item.source_ical) == (
            "Weekly",
            "ted",
            None,
            None,
        )
        assert item.series_end == dt.date(2027, 1, 25)  # filled in by the migration
    assert plan.name == "Old plan"
    plan.close()
    assert len(original) > 0
    # Opening it again needs no migration and makes no second backup.
    again = open_plan(path)
    assert again.backup is None
    again.close()
    assert len(list(tmp_path.glob("*.backup-*"))) == 1


def test_a_plan_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.smplan"
    with create_plan(path) as plan, plan.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(PlanTooNewError, match="newer"):
        open_plan(path)
    assert path.read_bytes() == before


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
    holding.wait()
    begin = time.perf_counter()
    with second.write() as session:  # waits for the first writer, then goes ahead
        session.add(models.Person(id="b", name="B", team="sales"))
    assert time.perf_counter() - begin > 0.3
    thread.join()
    with second.read() as session:
        assert sorted(session.scalars(select(models.Person.id))) == ["a", "b"]
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_writer_that_waits_too_long_gets_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "plan.smplan"
    create_plan(path).close()
    first = open_plan(path)
    monkeypatch.setattr(planfile, "BUSY_TIMEOUT_MS", 100)
    second = Plan(path)
    second.engine.dispose()
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with first.write() as session:
            session.add(models.Person(id="a", name="A", team="sales"))
            holding.set()
            done.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait()
    try:
        with (
            pytest.raises(PlanBusyError, match="busy with another window or command"),
            second.write() as s,
        ):
            s.add(models.Person(id="b", name="B", team="sales"))
    finally:
        done.set()
        thread.join()
    with first.read() as session:
        assert list(session.scalars(select(models.Person.id))) == ["a"]


def test_copy_to_writes_a_consistent_plan(tmp_path: Path, plan: Plan) -> None:
    fill(plan)
    target = tmp_path / "copies" / "copy.smplan"
    plan.copy_to(target)
    with open_plan(target) as copy, copy.read() as session:
        assert session.scalar(select(models.Item.title)) == "Expo"
    assert [p.name for p in target.parent.iterdir()] == ["copy.smplan"] or all(
        not p.name.endswith(".tmp") for p in target.parent.iterdir()
    )


def test_people_services(plan: Plan) -> None:
    first = people.add_person(
        plan, Person(id="", name="  Martha Díaz ", team="marketing", email="m@x.example")
    )
    second = people.add_person(plan, Person(id="", name="Martha Diaz", team="sales"))
    assert (first.id, first.name, second.id) == ("martha-diaz", "Martha Díaz", "martha-diaz-2")
    for bad, field in (
        (Person("", " ", "sales"), "name"),
        (Person("", "X", "joint"), "team"),
        (Person("", "X", "sales", email="nope"), "email"),
        (Person("", "X\x00", "sales"), "name"),
    ):
        with pytest.raises(ValidationError) as caught:
            people.add_person(plan, bad)
        assert caught.value.path == field
    with pytest.raises(ConcurrentEditError):
        people.update_person(
            plan, Person(first.id, "Stale", "marketing", version=first.version + 5)
        )
    assert people.get_person(plan, first.id).name == "Martha Díaz"
    with plan.write() as session:
        session.add(
            models.Item(
                uid="i",
                title="Launch",
                kind="product_launch",
                owner_id=first.id,
                start_date=dt.date(2027, 1, 1),
                end_date=dt.date(2027, 1, 1),
            )
        )
    with pytest.raises(InUseError, match="owns 1 item: “Launch”"):
        people.remove_person(plan, first.id)
    removed = people.remove_person(plan, second.id)
    assert [p.id for p in people.list_people(plan)] == [first.id]
    people.restore_person(plan, removed)
    assert {p.id for p in people.list_people(plan)} == {first.id, second.id}


def test_new_plans_get_the_usual_file_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        path = tmp_path / "made.smplan"
        create_plan(path).close()
        assert path.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(mask)
