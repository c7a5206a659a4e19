"""What the SLA builder relies on below the GUI: parties in the store and the plan JSON,
the migration that adds them, the version history, the shared outline, and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pypdf
import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import create_engine, text

from smarketing_desktop.domain import sla_outline
from smarketing_desktop.domain.sla_text import describe_changes
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.exchange import pdf, plan_json
from smarketing_desktop.exchange.sla_pdf import render_sla
from smarketing_desktop.services import slas
from smarketing_desktop.store import planfile
from smarketing_desktop.store.planfile import Plan, create_plan, open_plan

TODAY = dt.date(2027, 1, 20)


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    return create_plan(tmp_path / "plan.smplan")


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def sign(plan: Plan, sla: dict, on: dt.date = TODAY) -> dict:
    sla = slas.save_sla(
        plan,
        dict(
            sla,
            signatories=[
                dict(s, name=s["name"] or f"Signer {n}") for n, s in enumerate(sla["signatories"])
            ],
        ),
    )
    sla = slas.send_for_signature(plan, sla["id"], row_version=sla["row_version"])
    for position in range(len(sla["signatories"])):
        sla = slas.record_signature(
            plan, sla["id"], position, on=on, row_version=sla["row_version"]
        )
    return sla


# --- parties -------------------------------------------------------------------------------


def test_parties_are_saved_exported_and_imported(plan: Plan, tmp_path: Path) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    parties = [
        {"team": "marketing", "name": "Мария Иванова", "title": "CMO"},
        {"team": "sales", "name": "", "title": "VP Sales"},
    ]
    saved = slas.save_sla(plan, dict(sla, parties=parties))
    assert saved["parties"] == parties
    exported = plan_json.export_plan(plan)
    assert json.loads(exported)["slas"][0]["parties"] == parties
    other = create_plan(tmp_path / "other.smplan")
    plan_json.import_plan(other, exported)
    assert plan_json.export_plan(other) == exported  # byte-stable through a round trip
    other.close()


@pytest.mark.parametrize(
    ("parties", "message"),
    [
        ([{"team": "joint", "name": "A"}], r"slas\[0\]\.parties\[0\]\.team: must be one of"),
        (
            [{"team": "sales", "name": "A"}, {"team": "sales", "name": "B"}],
            r"slas\[0\]\.parties\[1\]\.team: 'sales' appears twice",
        ),
        ([{"team": "sales", "name": "A\x00"}], r"slas\[0\]\.parties\[0\]\.name: contains a NUL"),
        ("everyone", r"slas\[0\]\.parties: must be a list"),
    ],
)
def test_bad_parties_name_the_value_and_change_nothing(
    plan: Plan, parties: object, message: str
) -> None:
    document = json.loads(plan_json.export_plan(plan))
    sla = slas.template("one-page", today=TODAY)
    sla.update(id="bad", parties=parties)
    document["slas"] = [sla]
    with pytest.raises(ValidationError, match=message):
        plan_json.import_plan(plan, json.dumps(document))
    assert slas.list_sla_summaries(plan) == []


def test_a_file_without_parties_reads_as_none(plan: Plan) -> None:
    document = json.loads(plan_json.export_plan(plan))
    sla = slas.template("one-page", today=TODAY)
    del sla["parties"]
    sla["id"] = "old"
    document["slas"] = [sla]
    plan_json.import_plan(plan, json.dumps(document))
    assert slas.get_sla(plan, "old")["parties"] == []


def test_migration_0006_names_the_first_signatory_of_each_team_as_party(tmp_path: Path) -> None:
    path = tmp_path / "old.smplan"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(planfile._alembic_config(connection), "0004")
        connection.execute(
            text(
                "INSERT INTO plan_info (key, value) VALUES ('format', 'smarketing-plan'), "
                "('name', 'Old plan'), ('app_version', '0.0.1')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO slas (id, title, status, sla_version, escalation, review_location, "
                "version, created_at, updated_at) VALUES ('s', 'SLA', 'draft', 1, '', '', 1, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO sla_signatories (sla_id, position, name, title, team) VALUES "
                "('s', 0, 'Ted', 'VP Sales', 'sales'), ('s', 1, 'Ana', 'AE', 'sales'), "
                "('s', 2, 'Martha', 'VP Marketing', 'marketing'), ('s', 3, 'Cy', 'COO', 'joint')"
            )
        )
    engine.dispose()
    with open_plan(path) as migrated:
        assert migrated.backup is not None
        assert slas.get_sla(migrated, "s")["parties"] == [
            {"team": "marketing", "name": "Martha", "title": "VP Marketing"},
            {"team": "sales", "name": "Ted", "title": "VP Sales"},
        ]


# --- versions and history ------------------------------------------------------------------


def test_version_history_lists_every_version_with_what_changed(plan: Plan) -> None:
    sla = sign(plan, slas.create_from_template(plan, "one-page", today=TODAY))
    sla = slas.save_sla(
        plan,
        dict(
            sla,
            title="One-page SLA 2027",
            parties=[{"team": "marketing", "name": "Martha Diaz", "title": "VP Marketing"}],
        ),
    )
    sla = sign(plan, sla, on=TODAY + dt.timedelta(days=3))
    sla = slas.save_sla(plan, dict(sla, reviews=dict(sla["reviews"], duration_minutes=90)))
    history = slas.version_history(plan, sla["id"])
    assert [(h.version, h.status, h.current) for h in history] == [
        (3, "draft", True),
        (2, "signed", False),
        (1, "signed", False),
    ]
    assert history[1].signed_on == TODAY + dt.timedelta(days=3) and history[0].signed_on is None
    assert history[2].changes == ()
    assert "Title: One-page sales and marketing SLA → One-page SLA 2027" in history[1].changes
    assert "Party “sales” removed" in history[1].changes
    assert any(c.startswith("Party “marketing”: name") for c in history[1].changes)
    assert history[0].changes == ("Reviews: length in minutes 45 → 90",)
    # Every version still prints as it was.
    for entry in history:
        document = slas.version_document(plan, sla["id"], entry.version)
        assert document["version"] == entry.version and document["status"] == entry.status
        assert len(pages_of(render_sla(document))) >= 1


def test_a_snapshot_missing_parts_still_reads_and_prints(plan: Plan) -> None:
    """Older files (or hand-written ones) may carry thin snapshots in their history."""
    document = json.loads(plan_json.export_plan(plan))
    sla = slas.template("one-page", today=TODAY)
    sla.update(
        id="thin",
        version=2,
        history=[{"version": 1, "status": "signed", "snapshot": {"title": "First cut"}}],
    )
    document["slas"] = [sla]
    plan_json.import_plan(plan, json.dumps(document))
    old = slas.version_document(plan, "thin", 1)
    assert old["title"] == "First cut" and old["commitments"] == [] and old["status"] == "signed"
    history = slas.version_history(plan, "thin")
    assert "Title: First cut → One-page sales and marketing SLA" in history[0].changes
    assert "First cut" in flat("".join(pages_of(render_sla(old))))


def test_describe_changes_says_what_changed_in_words() -> None:
    base = slas.template("one-page", today=TODAY)
    changed = json.loads(json.dumps(base))
    changed["sections"][0]["body"] = "x" * 200
    changed["reviews"]["rrule"] = "FREQ=MONTHLY;INTERVAL=3"
    changed["escalation"] = ""
    lines = describe_changes(base, changed)
    assert "Reviews: recurrence every month → every quarter" in lines
    assert "Escalation path: Misses go to both team leads at the next monthly review. → —" in lines
    body = next(line for line in lines if line.startswith("Section “Purpose”: body"))
    assert body.endswith("x…") and len(body) < 160  # long text is shortened
    assert describe_changes(base, dict(base, reviews=None)) == ["Review meetings cancelled"]


# --- the outline shared by PDF and preview -------------------------------------------------


def test_outline_numbers_free_sections_first_then_the_fixed_parts() -> None:
    document = slas.template("standard-b2b", today=TODAY)
    parts = sla_outline.outline(document)
    assert [(p.number, p.heading) for p in parts] == [
        (1, "Purpose"),
        (2, "Scope"),
        (3, "Shared goal"),
        (4, "Changes to this agreement"),
        (5, "Lead definitions"),
        (6, "Commitments"),
        (7, "Reviews"),
        (8, "Escalation"),
        (9, "Signatures"),
    ]
    assert sla_outline.parties_text(document) == (
        "VP Marketing (to be named) and VP Sales (to be named)"
    )
    named = dict(document, parties=[{"team": "sales", "name": "Ted", "title": "Account lead"}])
    assert sla_outline.parties_text(named) == "Ted, Account lead (Sales)"
    assert sla_outline.target_text({"target": 1200.0, "unit": "leads"}) == "1,200 leads"
    assert sla_outline.target_text({"target": 2.5, "unit": ""}) == "2.5"


# --- the PDF ------------------------------------------------------------------------------------


def long_sla(plan: Plan, commitments: int, signatories: int = 2, filler: int = 0) -> dict:
    sla = slas.create_from_template(plan, "standard-b2b", today=TODAY)
    return slas.save_sla(
        plan,
        dict(
            sla,
            commitments=[
                {
                    "team": "sales" if n % 2 else "marketing",
                    "metric": f"Metric number {n}",
                    "target": n,
                    "unit": "calls",
                    "period": "month",
                    "source": "CRM",
                    "on_miss": "Reviewed together.",
                }
                for n in range(commitments)
            ],
            signatories=[
                {"name": f"Signer {n}", "title": f"Title {n}", "team": "sales", "signed_on": None}
                for n in range(signatories)
            ],
            sections=[
                *sla["sections"],
                {"heading": "Filler", "body": "Words to move things down the page. " * filler},
            ],
        ),
    )


def test_the_page_count_grows_with_content_and_the_table_header_repeats(plan: Plan) -> None:
    counts = []
    for commitments in (2, 40, 200):
        pages = pages_of(render_sla(long_sla(plan, commitments)))
        counts.append(len(pages))
    assert counts[0] < counts[1] < counts[2]
    pages = pages_of(render_sla(long_sla(plan, 200)))
    with_rows = [n for n, page in enumerate(pages) if "Metric number" in page]
    assert len(with_rows) >= 5
    # Page 2 of the table (and every later one) starts with the repeated header row.
    for number in with_rows[1:]:
        assert re.search(
            r"Team\s+Metric\s+Target\s+Period\s+Measured by\s+If missed", pages[number]
        )
    joined = flat(" ".join(pages))
    assert all(f"Metric number {n} " in joined + " " for n in range(200))
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


@pytest.mark.parametrize("filler", range(0, 48, 4))
def test_a_signature_block_is_never_split_over_two_pages(plan: Plan, filler: int) -> None:
    # Longer and longer filler moves the signature blocks across the page boundary.
    pages = pages_of(render_sla(long_sla(plan, 6, signatories=5, filler=filler)))
    for n in range(5):
        holding = [page for page in pages if f"Signer {n}" in page]
        assert len(holding) == 1, f"Signer {n} is on {len(holding)} pages"
        assert f"Title {n}" in holding[0]
    # Each page has as many signature lines and date lines as it has signatories.
    for page in pages:
        signers = len(re.findall(r"Signer \d", page))
        assert len(re.findall(r"\bSignature\b(?!s)", page)) == signers
        assert len(re.findall(r"\bDate\b", page)) == signers
    signatures_page = next(p for p in pages if re.search(r"\d+\. Signatures", p))
    assert "Signer 0" in signatures_page  # the heading never stays behind alone


def test_hostile_and_non_latin_text_prints_literally_and_long_words_wrap(plan: Plan) -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 4
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    sla = slas.save_sla(
        plan,
        dict(
            sla,
            title="<b>Q3</b> & <img src=x> SLA",
            parties=[
                {"team": "marketing", "name": "Γιώργος Παππάς", "title": "CMO"},
                {"team": "sales", "name": "Мария Иванова", "title": "CRO"},
            ],
            commitments=[
                dict(sla["commitments"][0], metric=word, on_miss="<font size=40>x</font>")
            ],
            sections=[{"heading": "Scope & <i>reach</i>", "body": "Line one\nLine two &amp;"}],
        ),
    )
    data = render_sla(sla)
    text = flat(" ".join(pages_of(data)))
    for part in (
        "<b>Q3</b> & <img src=x> SLA",
        "Γιώργος Παππάς, CMO (Marketing)",
        "Мария Иванова, CRO (Sales)",
        "<font size=40>x</font>",
        "1. Scope & <i>reach</i>",
        "Line two &amp;",
    ):
        assert part in text, part
    # The long word is split inside its cell: every piece is on the page, none cut off.
    assert text.replace(" ", "").count("Donaudampfschifffahrtsgesellschaftskapitän") >= 4
    assert rightmost_text_edge(data) <= A4[0] - 18 * mm + 1
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVuSans" in font for font in fonts)  # embedded, covers the scripts


def rightmost_text_edge(data: bytes) -> float:
    """Where the rightmost piece of text ends on any page (in points)."""
    edges: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip() or cm[1] or tm[1]:  # the turned DRAFT watermark is no text line
            return
        # Measured in the regular face (bold runs a little wider; an overflowing word
        # would be off by far more than that).
        width = max(stringWidth(line, pdf.FONT, size) for line in text.split("\n"))
        edges.append(cm[4] + tm[4] + width)

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return max(edges)


def test_expired_agreements_say_so_instead_of_draft(plan: Plan) -> None:
    sla = sign(plan, slas.create_from_template(plan, "one-page", today=TODAY))
    signed_text = " ".join(pages_of(render_sla(sla)))
    assert "DRAFT" not in signed_text and "Version 1 · Signed" in signed_text
    expired = slas.expire_sla(plan, sla["id"], row_version=sla["row_version"])
    text = " ".join(pages_of(render_sla(expired)))
    assert "EXPIRED" in text and "DRAFT" not in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(min_size=1, max_size=80).filter(lambda t: t.strip() and "\x00" not in t),
    body=st.text(max_size=400).filter(lambda t: "\x00" not in t),
)
def test_any_text_prints(title: str, body: str) -> None:
    document = slas.template("one-page", today=TODAY)
    document.update(id="x", title=title, sections=[{"heading": "Notes", "body": body}])
    assert pages_of(render_sla(document))
