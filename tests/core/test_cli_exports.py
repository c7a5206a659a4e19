"""`smarketing export` to PDF and CSV: SLAs, persona sheets and the campaign review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf
import pytest

from smarketing_desktop.cli import main
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.store.planfile import create_plan

TODAY = dt.date(2027, 2, 10)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.smplan"
    with create_plan(path) as plan:
        write_demo(plan, today=TODAY)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages).split())


def test_sla_pdf(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sla.pdf"
    code, stdout, _ = run(
        capsys, "export", "--db", str(db), "--out", str(out), "--sla", "joint-sla"
    )
    assert code == 0 and "joint-sla" in stdout
    text = pdf_text(out)
    assert "Sales and marketing SLA" in text and "MQLs delivered" in text and "Ted Okafor" in text


def test_persona_sheets(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    every = tmp_path / "all.pdf"
    assert run(capsys, "export", "--db", str(db), "--out", str(every), "--personas")[0] == 0
    assert "Operations Olivia" in pdf_text(every) and "IT Director Ian" in pdf_text(every)
    one = tmp_path / "one.pdf"
    assert (
        run(
            capsys,
            "export",
            "--db",
            str(db),
            "--out",
            str(one),
            "--personas",
            "--persona",
            "it-ian",
        )[0]
        == 0
    )
    assert "IT Director Ian" in pdf_text(one) and "Operations Olivia" not in pdf_text(one)


def test_review_pdf_and_csv(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    period = ["--from", "2027-01-01", "--to", "2027-03-31"]
    pdf = tmp_path / "review.pdf"
    code, stdout, _ = run(capsys, "export", "--db", str(db), "--out", str(pdf), "--review", *period)
    assert code == 0 and "2027 Q1" in stdout
    text = pdf_text(pdf)
    assert "Logistics World Summit" in text
    # The demo's results and retrospectives travel into the PDF for the joint meeting.
    for part in (
        "Metrics several campaigns share",
        "✓ 71 of 60",
        "Lena Novak · 8 Feb",
        "Retrospective",
        "Scan straight into the CRM next time.",
        "Martha Diaz",
    ):
        assert part in text, part
    table = tmp_path / "review.csv"
    assert run(capsys, "export", "--db", str(db), "--out", str(table), "--review", *period)[0] == 0
    lines = table.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("Campaign,Kind,Start") and lines[0].endswith("Entered by,Entered on")
    assert any(
        "Logistics World Summit" in line and "Lena Novak,2027-02-08" in line for line in lines
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "x.pdf", "--sla", "nope"], "There is no SLA with id 'nope'"),
        (["--out", "x.pdf", "--personas", "--persona", "ghost"], "There is no persona"),
        (["--out", "x.csv"], "add --review"),
        (["--out", "x.docx"], "one of .json, .pdf, .csv"),
    ],
)
def test_bad_requests_write_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    code, _, err = run(capsys, "export", "--db", str(db), *extra)
    assert code == 1
    assert err.startswith("smarketing: error: ") and message in err and err.count("\n") == 1
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".x.*"))


def test_a_bad_date_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "--db", str(db), "--out", "r.csv", "--review", "--from", "2027-13-01"])
    assert caught.value.code == 2
    assert "not a date (expected YYYY-MM-DD)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--out", "x.pdf", "--persona", "ops-olivia"],
            "--persona picks one of the persona sheets",
        ),
        (["--out", "x.pdf", "--review", "--team", "sales"], "--team does not apply to the review"),
        (
            ["--out", "x.csv", "--review", "--kind", "webinar"],
            "--kind does not apply to the review",
        ),
        (["--out", "x.pdf", "--personas", "--from", "2027-01-01"], "--from does not apply"),
        (["--out", "x.pdf", "--sla", "joint-sla", "--view", "quarter"], "--view does not apply"),
        (["--out", "x.pdf", "--owner", "lena"], "--owner does not apply to a calendar PDF"),
        (["--out", "x.json", "--review"], "--review does not apply to the whole plan"),
        (["--out", "x.ics", "--view", "month"], "--view does not apply to an .ics calendar"),
    ],
)
def test_options_the_export_would_ignore_are_usage_errors(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    code, out, err = run(capsys, "export", "--db", str(db), *extra)
    assert code == 2 and out == ""
    assert err.startswith("smarketing export: error: ") and message in err
    assert err.count("\n") == 1
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".x.*"))


def test_the_options_an_export_reads_are_still_accepted(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for extra in (
        ["--out", "p.pdf", "--personas", "--persona", "ops-olivia"],
        ["--out", "c.pdf", "--view", "quarter", "--from", "2027-01-01", "--to", "2027-03-31"],
        ["--out", "r.csv", "--review", "--from", "2026-10-01"],
        ["--out", "e.ics", "--team", "sales", "--persona", "ops-olivia"],
    ):
        extra[1] = str(tmp_path / extra[1])
        code, _, err = run(capsys, "export", "--db", str(db), *extra)
        assert code == 0, err
        assert Path(extra[1]).stat().st_size > 0
