"""`smarketing conflicts` as scripts use it: the table, --json, --fail-on, errors."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from smarketing_desktop.cli import main
from smarketing_desktop.services import conflicts as service
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import create_plan, open_plan

TODAY = dt.date.today()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.smplan"
    with create_plan(path) as plan:
        write_demo(plan, today=TODAY)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["conflicts", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_lists_every_conflict_worst_first(db: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", str(db))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["SEVERITY", "RULE", "DATES", "ITEMS", "MESSAGE"]
    assert lines[1].startswith("error     email-during-tradeshow")
    assert "Line Monitor 3.0 product email / Industrial Aut…" in lines[1]
    assert "so sales cannot follow up the leads." in lines[1]
    assert [line.split()[0] for line in lines[1:4]] == ["error", "warning", "warning"]
    assert "Acknowledged: The ads run on their own" in out
    assert lines[-1] == "3 conflicts: 1 error, 2 warnings (1 acknowledged)."


def test_json_has_the_documented_shape(db: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(db), "--json")
    records = json.loads(out)
    assert code == 0 and len(records) == 3
    first = records[0]
    assert set(first) >= {"rule", "severity", "message", "items", "start", "end", "acknowledged"}
    assert first["rule"] == "email-during-tradeshow" and first["severity"] == "error"
    assert first["items"] == ["spring-email@demo.smarketing", "spring-expo@demo.smarketing"]
    assert dt.date.fromisoformat(first["start"]) <= dt.date.fromisoformat(first["end"])
    assert [r["acknowledged"] for r in records] == [False, True, False]
    assert records[1]["note"].startswith("The ads run on their own")


def test_fail_on_exits_3_only_for_unacknowledged_conflicts_that_bad(db: Path, capsys) -> None:
    assert run(capsys, "--db", str(db), "--fail-on", "error")[0] == 3
    assert run(capsys, "--db", str(db), "--fail-on", "warning")[0] == 3
    with open_plan(db) as plan:
        error = service.check_plan(plan)[0]
        service.acknowledge(plan, error.conflict, "Sales agreed.")
    assert run(capsys, "--db", str(db), "--fail-on", "error")[0] == 0
    assert run(capsys, "--db", str(db), "--fail-on", "warning")[0] == 3
    with open_plan(db) as plan:
        for finding in service.check_plan(plan):
            if not finding.acknowledged:
                service.acknowledge(plan, finding.conflict, "Fine.")
    assert run(capsys, "--db", str(db), "--fail-on", "warning")[0] == 0
    assert run(capsys, "--db", str(db))[0] == 0


def test_a_plan_without_conflicts(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.smplan"
    create_plan(path).close()
    assert run(capsys, "--db", str(path), "--fail-on", "warning") == (0, "No conflicts.\n", "")
    assert run(capsys, "--db", str(path), "--json")[1] == "[]\n"


def test_from_and_to_limit_the_days(db: Path, capsys) -> None:
    with open_plan(db) as plan:
        findings = service.check_plan(plan)
    email_day = findings[0].conflict.start
    _, out, _ = run(capsys, "--db", str(db), "--json", "--from", email_day.isoformat())
    assert [r["rule"] for r in json.loads(out)] == ["email-during-tradeshow"]
    _, out, _ = run(
        capsys, "--db", str(db), "--json", "--to", (email_day - dt.timedelta(days=1)).isoformat()
    )
    assert [r["rule"] for r in json.loads(out)] == ["blackout", "blackout"]


def test_bad_requests_are_one_clear_line(db: Path, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["conflicts", "--db", str(db), "--from", "2027-02-30"])
    assert caught.value.code == 2
    assert "not a date (expected YYYY-MM-DD)" in capsys.readouterr().err
    code, out, err = run(capsys, "--db", str(db), "--from", "2027-03-01", "--to", "2027-02-01")
    assert (
        code == 2
        and out == ""
        and err
        == "smarketing conflicts: error: --to (2027-02-01) is before --from "
        "(2027-03-01): swap them.\n"
    )
    missing = tmp_path / "missing.smplan"
    code, _, err = run(capsys, "--db", str(missing))
    assert code == 1 and err.count("\n") == 1 and "There is no plan" in err
    assert not missing.exists()
    with pytest.raises(SystemExit):
        main(["conflicts", "--db", str(db), "--fail-on", "info"])


def test_hostile_titles_cannot_steer_the_terminal(db: Path, capsys) -> None:
    with open_plan(db) as plan, plan.write() as session:
        row = session.scalar(
            select(models.Item).where(models.Item.uid == "spring-email@demo.smarketing")
        )
        row.title = "\x1b[2J<b>Boom</b> & <img src=x> بريد 📧"
    _, out, _ = run(capsys, "--db", str(db))
    assert "\x1b" not in out and "\ufffd[2J<b>Boom</b> & <img src=x> بريد 📧" in out
    _, out, _ = run(capsys, "--db", str(db), "--json")
    assert json.loads(out)[0]["titles"][0] == "\x1b[2J<b>Boom</b> & <img src=x> بريد 📧"


def test_as_a_user_types_it(db: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "smarketing_desktop",
            "conflicts",
            "--db",
            str(db),
            "--fail-on",
            "error",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 3 and done.stderr == ""
    assert "email-during-tradeshow" in done.stdout
