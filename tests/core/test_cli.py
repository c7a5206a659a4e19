"""The `smarketing` command as users script it: demo, JSON export and import, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smarketing_desktop import __version__
from smarketing_desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_and_version_without_a_display(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    for command in (
        [sys.executable, "-m", "smarketing_desktop"],
        [sys.executable, str(ROOT / "main.py")],
    ):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, env=env, check=False
        )
        assert (done.returncode, done.stdout.strip()) == (0, f"smarketing {__version__}")
    done = subprocess.run(
        [sys.executable, "-m", "smarketing_desktop", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    for word in ("demo", "export", "import", "--db"):
        assert word in done.stdout


def test_demo_refuses_a_plan_with_data_unless_forced(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.smplan"
    assert run(capsys, "demo", "--db", str(db))[0] == 0
    out = tmp_path / "before.json"
    run(capsys, "export", "--db", str(db), "--out", str(out))
    code, _, err = run(capsys, "demo", "--db", str(db))
    assert code == 1 and err.startswith("smarketing: error: ") and "--force" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert run(capsys, "demo", "--db", str(db), "--force")[0] == 0
    after = tmp_path / "after.json"
    run(capsys, "export", "--db", str(db), "--out", str(after))
    assert json.loads(after.read_text())["people"] == json.loads(out.read_text())["people"]


def test_json_round_trip_is_byte_stable_and_reimport_updates(tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "a.smplan", tmp_path / "b.smplan"
    run(capsys, "demo", "--db", str(first))
    exported = tmp_path / "plan.json"
    assert run(capsys, "export", "--db", str(first), "--out", str(exported))[0] == 0
    code, out, _ = run(capsys, "import", str(exported), "--db", str(second))
    assert code == 0 and "items: 24 added" in out
    again = tmp_path / "again.json"
    run(capsys, "export", "--db", str(second), "--out", str(again))
    assert again.read_bytes() == exported.read_bytes()
    code, out, _ = run(capsys, "import", str(exported), "--db", str(second))
    assert code == 0 and "nothing to import" in out
    run(capsys, "export", "--db", str(second), "--out", str(again))
    assert again.read_bytes() == exported.read_bytes()


def test_a_bad_document_changes_nothing_and_names_the_value(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.smplan"
    run(capsys, "demo", "--db", str(db))
    before = tmp_path / "before.json"
    run(capsys, "export", "--db", str(db), "--out", str(before))
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "format": "smarketing-plan",
                "version": 1,
                "people": [{"id": "new", "name": "New Person", "team": "sales"}],
            }
        )
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "smarketing-plan",
                "version": 1,
                "items": [
                    {"uid": "a", "title": "A", "kind": "tradeshow", "start": "2027-01-01"},
                    {"uid": "b", "title": "B", "kind": "tradeshow", "start": "someday"},
                ],
            }
        )
    )
    code, _, err = run(capsys, "import", str(good), str(bad), "--db", str(db))
    assert code == 1 and "items[1].start: not a date" in err and "nothing was imported" in err
    assert err.count("\n") == 1
    after = tmp_path / "after.json"
    run(capsys, "export", "--db", str(db), "--out", str(after))
    assert after.read_bytes() == before.read_bytes()  # not even the good file went in
    # A bad document never leaves a new, empty plan file behind either.
    fresh = tmp_path / "fresh.smplan"
    assert run(capsys, "import", str(bad), "--db", str(fresh))[0] == 1
    assert not fresh.exists()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["export", "--out", "{tmp}/x.txt"], "one of .json"),
        (["import", "{tmp}/missing.json"], "Cannot read"),
        (["export", "--out", "{tmp}/plan.smplan/x.json"], "Cannot write"),
        (["import", "{tmp}/x.ics"], "one of .json"),
    ],
)
def test_usage_errors_are_one_clear_line(tmp_path: Path, capsys, argv, words) -> None:
    db = tmp_path / "plan.smplan"
    run(capsys, "demo", "--db", str(db))
    argv = [a.format(tmp=tmp_path) for a in argv] + ["--db", str(db)]
    code, _, err = run(capsys, *argv)
    assert (
        code == 1
        and words in err
        and err.startswith("smarketing: error: ")
        and err.count("\n") == 1
    )
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".x.*"))


def test_export_from_a_file_that_is_not_a_plan(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.smplan"
    junk.write_bytes(b"\x00\x01 not a database")
    code, _, err = run(capsys, "export", "--db", str(junk), "--out", str(tmp_path / "x.json"))
    assert code == 1 and "not a Smarketing plan" in err
    assert junk.read_bytes() == b"\x00\x01 not a database" and not (tmp_path / "x.json").exists()
