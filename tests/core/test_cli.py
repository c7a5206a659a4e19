"""The `smarketing` command as users script it: demo, JSON export and import, errors.

A few runs are real processes (what a user types); the rest call ``cli.main`` in-process,
which is the same code without the start-up cost.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smarketing_desktop import __version__
from smarketing_desktop.cli import main
from smarketing_desktop.services.people import list_people
from smarketing_desktop.store.planfile import open_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_real_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default plan of every in-process run lives under tmp_path, never in the user's."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    return tmp_path / "xdg-data" / "smarketing-desktop" / "plan.smplan"


def user_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
    }
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def shell(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smarketing_desktop", *argv],
        capture_output=True,
        text=True,
        env=user_env(tmp_path),
        cwd=tmp_path,
        check=False,
        timeout=60,
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> bool:
    return err.startswith("smarketing: error: ") and err.count("\n") == 1 and "Traceback" not in err


def export(capsys, db: Path, out: Path) -> bytes:
    code, _, err = run(capsys, "export", "--db", str(db), "--out", str(out))
    assert code == 0, err
    return out.read_bytes()


def state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def document(**lists) -> str:
    return json.dumps({"format": "smarketing-plan", "version": 1, **lists})


# ---------------------------------------------------------------------------------------
# Real processes


def test_help_and_version_as_a_user_runs_them(tmp_path: Path) -> None:
    for command in (
        [sys.executable, "-m", "smarketing_desktop"],
        [sys.executable, str(ROOT / "main.py")],
    ):
        done = subprocess.run(
            [*command, "--version"],
            capture_output=True,
            text=True,
            env=user_env(tmp_path),
            check=False,
            timeout=60,
        )
        assert (done.returncode, done.stdout.strip(), done.stderr) == (
            0,
            f"smarketing {__version__}",
            "",
        )
    done = shell(tmp_path, "--help")
    assert done.returncode == 0 and done.stdout.startswith("usage: smarketing")
    for word in ("demo", "export", "import", "--db", "--version"):
        assert word in done.stdout
    assert not (tmp_path / "xdg-data").exists()  # asking for help creates no plan


def test_demo_in_the_default_plan_then_a_refusal(tmp_path: Path) -> None:
    default = tmp_path / "xdg-data" / "smarketing-desktop" / "plan.smplan"
    done = shell(tmp_path, "demo")
    assert done.returncode == 0, done.stderr
    assert str(default) in done.stdout and default.is_file()
    before = state(default)
    done = shell(tmp_path, "demo")
    assert done.returncode == 1 and done.stdout == ""
    assert one_error_line(done.stderr) and "already has data" in done.stderr
    assert state(default) == before


# ---------------------------------------------------------------------------------------
# demo


def test_demo_refuses_a_plan_with_data_unless_forced(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.smplan"
    code, out, _ = run(capsys, "demo", "--db", str(db))
    assert code == 0 and str(db) in out
    before = export(capsys, db, tmp_path / "before.json")
    assert len(json.loads(before)["items"]) >= 20
    code, out, err = run(capsys, "demo", "--db", str(db))
    assert code == 1 and out == "" and one_error_line(err) and "--force" in err
    assert export(capsys, db, tmp_path / "refused.json") == before
    # Real work in the plan: still refused without --force, replaced with it.
    (tmp_path / "mine.json").write_text(
        document(people=[{"id": "mine", "name": "Mine", "team": "sales"}])
    )
    assert run(capsys, "import", str(tmp_path / "mine.json"), "--db", str(db))[0] == 0
    assert run(capsys, "demo", "--db", str(db))[0] == 1
    assert "mine" in {p.id for p in people_of(db)}
    assert run(capsys, "demo", "--db", str(db), "--force")[0] == 0
    assert "mine" not in {p.id for p in people_of(db)}
    after = json.loads(export(capsys, db, tmp_path / "after.json"))
    assert after["people"] == json.loads(before)["people"]
    assert len(after["items"]) == len(json.loads(before)["items"])  # replaced, not doubled


def people_of(db: Path) -> list:
    with open_plan(db) as plan:
        return list_people(plan)


def test_demo_never_overwrites_a_file_that_is_not_a_plan(tmp_path: Path, capsys) -> None:
    notes = tmp_path / "notes.smplan"
    notes.write_text("my notes\n")
    before = state(notes)
    code, _, err = run(capsys, "demo", "--db", str(notes))
    assert code == 1 and one_error_line(err) and str(notes) in err
    assert state(notes) == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.smplan"]


def test_db_before_the_command_is_the_plan_used(
    tmp_path: Path, capsys, no_real_user_folders: Path
) -> None:
    db = tmp_path / "chosen.smplan"
    code, out, err = run(capsys, "--db", str(db), "demo")
    assert code == 0, err
    assert db.is_file() and str(db) in out
    assert not no_real_user_folders.exists()  # the default plan was not touched
    out_file = tmp_path / "out.json"
    assert run(capsys, "--db", str(db), "export", "--out", str(out_file))[0] == 0
    assert len(json.loads(out_file.read_text())["items"]) >= 20
    assert not no_real_user_folders.exists()


def test_without_db_the_default_plan_in_the_user_folder_is_used(
    capsys, no_real_user_folders: Path
) -> None:
    assert run(capsys, "demo")[0] == 0
    assert no_real_user_folders.is_file()
    assert len(people_of(no_real_user_folders)) >= 3


# ---------------------------------------------------------------------------------------
# export and import


def test_json_round_trip_is_byte_stable_and_reimport_changes_nothing(
    tmp_path: Path, capsys
) -> None:
    first, second = tmp_path / "a.smplan", tmp_path / "b.smplan"
    run(capsys, "demo", "--db", str(first))
    exported = tmp_path / "plan.json"
    code, out, _ = run(capsys, "export", "--db", str(first), "--out", str(exported))
    assert code == 0 and str(exported) in out
    items = len(json.loads(exported.read_text())["items"])
    assert not second.exists()
    code, out, _ = run(capsys, "import", str(exported), "--db", str(second))
    assert code == 0 and f"items: {items} added, 0 updated" in out
    assert "people: 6 added, 0 updated" in out
    again = tmp_path / "again.json"
    assert export(capsys, second, again) == exported.read_bytes()
    code, out, _ = run(capsys, "import", str(exported), "--db", str(second))
    assert code == 0 and out.strip() == "plan.json: nothing to import"  # 0 added, 0 updated
    assert export(capsys, second, again) == exported.read_bytes()  # no duplicates
    # A changed title is an update of that one item, matched by its uid.
    changed = json.loads(exported.read_text())
    changed["items"][0]["title"] = "Renamed <b>&</b> 🚀"
    (tmp_path / "changed.json").write_text(json.dumps(changed))
    code, out, _ = run(capsys, "import", str(tmp_path / "changed.json"), "--db", str(second))
    assert code == 0 and "items: 0 added, 1 updated" in out
    result = json.loads(export(capsys, second, again))
    assert len(result["items"]) == items
    assert result["items"][0]["title"] == "Renamed <b>&</b> 🚀"


def test_a_bad_document_changes_nothing_and_names_the_value(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.smplan"
    run(capsys, "demo", "--db", str(db))
    before = export(capsys, db, tmp_path / "before.json")
    bad = tmp_path / "bad.json"
    bad.write_text(
        document(items=[{"uid": "b", "title": "B", "kind": "tradeshow", "start": "someday"}])
    )
    code, out, err = run(capsys, "import", str(bad), "--db", str(db))
    assert code == 1 and out == "" and one_error_line(err)
    assert "bad.json" in err and "items[0].start" in err and "nothing was imported" in err
    assert export(capsys, db, tmp_path / "after.json") == before


@pytest.mark.parametrize(
    "bad",
    [
        # Found while reading the documents ...
        document(items=[{"uid": "b", "title": "B", "kind": "party", "start": "2027-01-01"}]),
        b"{ not json",
        "[1, 2, 3]",
        # ... and only while writing them into the plan (a person nobody has).
        document(
            items=[
                {
                    "uid": "b",
                    "title": "B",
                    "kind": "tradeshow",
                    "start": "2027-01-01",
                    "owner": "ghost",
                }
            ]
        ),
    ],
    ids=["bad-kind", "not-json", "not-a-plan-document", "unknown-owner"],
)
def test_importing_several_files_is_all_or_nothing(tmp_path: Path, capsys, bad) -> None:
    db = tmp_path / "p.smplan"
    run(capsys, "demo", "--db", str(db))
    before = export(capsys, db, tmp_path / "before.json")
    good = tmp_path / "good.json"
    good.write_text(
        document(
            people=[{"id": "new", "name": "New Person", "team": "sales"}],
            items=[{"uid": "good@x", "title": "Good", "kind": "blog_post", "start": "2027-01-05"}],
        )
    )
    second = tmp_path / "second.json"
    second.write_bytes(bad if isinstance(bad, bytes) else bad.encode())
    code, out, err = run(capsys, "import", str(good), str(second), "--db", str(db))
    assert code == 1 and out == "" and one_error_line(err)
    assert "second.json" in err and "nothing was imported" in err
    assert export(capsys, db, tmp_path / "after.json") == before  # not even the good file
    # A new plan is made only for documents that go in: no empty plan is left behind.
    fresh = tmp_path / "fresh.smplan"
    code, _, err = run(capsys, "import", str(good), str(second), "--db", str(fresh))
    assert code == 1 and one_error_line(err)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("fresh")]
    # The good file alone makes the new plan.
    code, out, _ = run(capsys, "import", str(good), "--db", str(fresh))
    assert code == 0 and "people: 1 added" in out and "items: 1 added" in out
    assert [p.id for p in people_of(fresh)] == ["new"]


def test_import_reports_an_unreadable_file(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.smplan"
    code, _, err = run(capsys, "import", str(tmp_path / "missing.json"), "--db", str(db))
    assert code == 1 and one_error_line(err) and "Cannot read" in err and "missing.json" in err
    assert not db.exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["export", "--out", "{tmp}/x.txt"], "one of .json"),
        (["export", "--out", "{tmp}/x"], "one of .json"),
        (["import", "{tmp}/x.txt"], "one of .json"),
        (["import", "{tmp}/x.JSON.bak"], "one of .json"),
    ],
    ids=["export-txt", "export-no-extension", "import-txt", "import-bak"],
)
def test_unsupported_extensions_are_one_clear_line(tmp_path: Path, capsys, argv, words) -> None:
    db = tmp_path / "plan.smplan"
    run(capsys, "demo", "--db", str(db))
    before = export(capsys, db, tmp_path / "before.json")
    (tmp_path / "x.txt").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (tmp_path / "x.JSON.bak").write_text(document())
    names = sorted(p.name for p in tmp_path.iterdir())
    argv = [a.format(tmp=tmp_path) for a in argv] + ["--db", str(db)]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and one_error_line(err) and words in err
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert export(capsys, db, tmp_path / "before.json") == before


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b"\x00\x01 not a database"),
        lambda p: p.write_bytes(b""),
        lambda p: p.write_text("{}"),
    ],
    ids=["bytes", "empty", "json"],
)
def test_export_from_a_file_that_is_not_a_plan(tmp_path: Path, capsys, make) -> None:
    junk = tmp_path / "junk.smplan"
    make(junk)
    before = state(junk)
    out = tmp_path / "x.json"
    code, _, err = run(capsys, "export", "--db", str(junk), "--out", str(out))
    assert code == 1 and one_error_line(err) and str(junk) in err
    assert "not a Smarketing plan" in err or "empty file" in err
    assert state(junk) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.smplan"]


def test_export_from_a_missing_plan_creates_nothing(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "missing.smplan"
    code, _, err = run(capsys, "export", "--db", str(missing), "--out", str(tmp_path / "x.json"))
    assert code == 1 and one_error_line(err) and "There is no plan" in err
    assert list(tmp_path.iterdir()) == []


def test_export_to_a_place_that_cannot_be_written(tmp_path: Path, capsys) -> None:
    db = tmp_path / "plan.smplan"
    run(capsys, "demo", "--db", str(db))
    (tmp_path / "folder.json").mkdir()
    old = tmp_path / "old.json"
    old.write_text("the previous export")
    names = sorted(p.name for p in tmp_path.iterdir())
    for out, words in (
        (db / "x.json", "Cannot write"),  # a path inside a file
        (tmp_path / "folder.json", "is a folder"),
    ):
        code, stdout, err = run(capsys, "export", "--db", str(db), "--out", str(out))
        assert code == 1 and stdout == "" and one_error_line(err) and words in err
        assert str(out) in err
        assert sorted(p.name for p in tmp_path.iterdir()) == names  # no partial, no temp
        assert list((tmp_path / "folder.json").iterdir()) == []
    # A good export over an old file replaces it whole.
    assert run(capsys, "export", "--db", str(db), "--out", str(old))[0] == 0
    assert json.loads(old.read_text())["format"] == "smarketing-plan"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_wrong_usage_exits_2(tmp_path: Path, capsys) -> None:
    for argv in (["frobnicate"], ["export"], ["import"], ["demo", "--nope"]):
        with pytest.raises(SystemExit) as caught:
            main([*argv, "--db", str(tmp_path / "p.smplan")])
        assert caught.value.code == 2
        assert "usage: smarketing" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("view", ["month", "quarter"])
def test_the_calendar_prints_in_a_fresh_process(tmp_path: Path, view: str) -> None:
    """The quarter layout measured titles before the font was registered: it crashed when
    nothing earlier in the process had registered it (every run of the real command)."""
    assert shell(tmp_path, "demo", "--db", "p.smplan").returncode == 0
    done = shell(tmp_path, "export", "--db", "p.smplan", "--out", "c.pdf", "--view", view)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
