"""The command line never destroys a plan by a slip of the keyboard, and says so clearly.

An export aimed at the plan file, a plan named like an export, a missing output folder,
contradicting options and titles that would rewrite the terminal line.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from smarketing_desktop.cli import main, terminal_text
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.services.items import count_items
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import create_plan, open_plan

TODAY = dt.date.today()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "plan.smplan"
    with create_plan(path) as plan:
        write_demo(plan, today=TODAY)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _one_usage_line(err: str, command: str) -> None:
    assert err.startswith(f"smarketing {command}: error: ") and err.count("\n") == 1, err


@pytest.mark.parametrize("companion", ["", "-wal", "-shm", "-journal"])
def test_an_export_onto_the_plan_or_its_companions_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], companion: str
) -> None:
    # `--out` names the plan (or a file SQLite keeps beside it) through a link: the QA
    # case `--db pj.json --out pj.json` that destroyed a plan, in any spelling.
    link = db.parent / "same.json"
    link.symlink_to(db.name + companion)
    before = _snapshot(db.parent)
    code, out, err = run(capsys, "export", "--db", str(db), "--out", str(link))
    assert code == 2 and out == ""
    _one_usage_line(err, "export")
    assert "is the plan itself; the export would destroy it." in err
    assert _snapshot(db.parent) == before
    with open_plan(db) as reopened:
        assert count_items(reopened) > 0


def test_an_existing_plan_is_never_overwritten_by_an_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another plan (not the one exported) named .json is still a plan: refused, exit 1."""
    other = tmp_path / "other.smplan"
    with create_plan(other):
        pass
    target = tmp_path / "backup.json"
    other.rename(target)
    before = target.read_bytes()
    code, _, err = run(capsys, "export", "--db", str(db), "--out", str(target))
    assert code == 1 and "belongs to the plan “backup.json”" in err and err.count("\n") == 1
    assert target.read_bytes() == before


@pytest.mark.parametrize("suffix", [".json", ".ics", ".pdf", ".csv", ".JSON"])
@pytest.mark.parametrize("command", [["demo"], ["conflicts"], ["export", "--out", "x.pdf"]])
def test_a_plan_named_like_an_export_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, command: list[str]
) -> None:
    plan = tmp_path / f"pj{suffix}"
    code, out, err = run(capsys, *command, "--db", str(plan))
    assert code == 2 and out == ""
    _one_usage_line(err, command[0])
    assert "a plan file ends in .smplan (for example --db pj.smplan)" in err
    assert list(tmp_path.iterdir()) == []


def test_import_refuses_the_plan_as_its_own_input_and_a_json_plan_path(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(tmp_path)
    code, _, err = run(capsys, "import", str(db), "--db", str(db))
    assert code == 2 and "is the plan itself" in err
    _one_usage_line(err, "import")
    exported = tmp_path / "plan-export.json"
    assert run(capsys, "export", "--db", str(db), "--out", str(exported))[0] == 0
    code, _, err = run(capsys, "import", str(exported), "--db", str(tmp_path / "new.json"))
    assert code == 2 and ".smplan" in err
    assert not (tmp_path / "new.json").exists()
    assert {p for p in _snapshot(tmp_path) if p != exported.name} == set(before)


def test_the_gui_launcher_refuses_a_plan_named_like_an_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "plan.json"))
    assert code == 2 and err.count("\n") == 1 and ".smplan" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out", ["deep/a/b/c.pdf", "deep/c.json", "deep/c.ics", "deep/c.csv"])
def test_a_missing_output_folder_is_refused_not_created(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    extra = ["--review"] if out.endswith(".csv") else []
    code, _, err = run(capsys, "export", "--db", str(db), "--out", str(tmp_path / out), *extra)
    assert code == 1 and err.count("\n") == 1
    assert f"the folder “{tmp_path / 'deep'}" in err and "does not exist" in err
    assert not (tmp_path / "deep").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "x.ics", "--review"], "An .ics export is a calendar"),
        (["--out", "x.ics", "--personas"], "An .ics export is a calendar"),
        (["--out", "x.pdf", "--sla", "joint-sla", "--review"], "Choose one of"),
        (["--out", "x.ics", "--sla", "joint-sla", "--team", "sales"], "drop --team"),
        (
            ["--out", "x.csv", "--review", "--from", "2027-03-01", "--to", "2027-01-01"],
            "--to (2027-01-01) is before --from (2027-03-01): swap them.",
        ),
        (
            ["--out", "x.ics", "--from", "2027-03-01", "--to", "2027-01-01"],
            "--to (2027-01-01) is before --from (2027-03-01): swap them.",
        ),
        (["--out", "x.pdf", "--to", "1999-01-01"], "give --from too"),
    ],
)
def test_option_mistakes_are_usage_errors(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    code, out, err = run(capsys, "export", "--db", str(db), *extra)
    assert code == 2 and out == ""
    _one_usage_line(err, "export")
    assert message in err
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".x.*"))


def test_conflicts_words_a_reversed_range_as_export_does(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "conflicts", "--db", str(db), "--from", "2027-03-01", "--to", "2027-02-01"
    )
    assert (code, out) == (2, "")
    assert err == (
        "smarketing conflicts: error: --to (2027-02-01) is before --from (2027-03-01): swap them.\n"
    )


HOSTILE = "\u202eevil\u2066 \x1b[2J\x07 كتاب 🎉 done"


def test_terminal_text_neutralises_bidi_and_control_characters() -> None:
    shown = terminal_text(HOSTILE + "\nnext\tline")
    assert shown == "\\u202eevil\\u2066 \\u001b[2J\\u0007 كتاب 🎉 done\nnext\tline"


def test_conflicts_table_cannot_reverse_the_terminal_but_json_stays_exact(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_plan(db) as plan, plan.write() as session:
        session.execute(
            update(models.Item)
            .where(models.Item.uid == "spring-email@demo.smarketing")
            .values(title=HOSTILE)
        )
    code, out, _ = run(capsys, "conflicts", "--db", str(db))
    assert code == 0
    assert "\\u202eevil" in out and "كتاب" in out
    assert not any(c in out for c in "\u202e\u2066\x1b\x07")
    code, out, _ = run(capsys, "conflicts", "--db", str(db), "--json")
    titles = [t for record in json.loads(out) for t in record["titles"]]
    assert HOSTILE in titles
