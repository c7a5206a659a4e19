"""SLA core: templates, versions after signing, the signature flow, and the PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdf
import pytest

from smarketing_desktop.domain.repeat import recurrence_phrase
from smarketing_desktop.domain.sla_text import describe_changes
from smarketing_desktop.errors import ConcurrentEditError, ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.sla_pdf import render_sla, write_sla_pdf
from smarketing_desktop.services import slas
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = dt.date(2027, 1, 20)
HOSTILE = '<b>Bob</b> & <img src="x"> Ωμέγα Кириллица “quotes” ' + "W" * 120


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    return create_plan(tmp_path / "plan.smplan")


def pdf_text(data: bytes) -> tuple[int, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), [page.extract_text() for page in reader.pages]


def signed(plan: Plan, sla: dict) -> dict:
    sla = dict(
        sla,
        signatories=[
            {
                "name": "Martha Diaz",
                "title": "VP Marketing",
                "team": "marketing",
                "signed_on": None,
            },
            {"name": "Ted Okafor", "title": "VP Sales", "team": "sales", "signed_on": None},
        ],
    )
    sla = slas.save_sla(plan, sla)
    sla = slas.send_for_signature(plan, sla["id"], row_version=sla["row_version"])
    sla = slas.record_signature(plan, sla["id"], 0, on=TODAY, row_version=sla["row_version"])
    assert sla["status"] == "out_for_signature"
    return slas.record_signature(plan, sla["id"], 1, on=TODAY, row_version=sla["row_version"])


@pytest.mark.parametrize("template_id", sorted(slas.TEMPLATES))
def test_templates_make_complete_drafts(plan: Plan, template_id: str) -> None:
    sla = slas.create_from_template(plan, template_id, today=TODAY, tz="Europe/Berlin")
    assert sla["status"] == "draft" and sla["version"] == 1
    assert (sla["effective"], sla["ends"]) == ("2027-02-01", "2028-01-31")
    assert (
        sla["reviews"]["start"] == "2027-02-15T10:00:00" and sla["reviews"]["tz"] == "Europe/Berlin"
    )
    assert sla["commitments"] and sla["lead_definitions"] and len(sla["signatories"]) == 2
    assert {c["team"] for c in sla["commitments"]} == {"marketing", "sales"}
    # It is in the plan and travels in the JSON exchange like any SLA.
    assert [s.id for s in slas.list_sla_summaries(plan)] == [sla["id"]]
    assert plan_json.export_document(plan)["slas"][0]["title"] == sla["title"]


def test_two_slas_from_one_template_get_their_own_ids(plan: Plan) -> None:
    first = slas.create_from_template(plan, "one-page", today=TODAY)
    second = slas.create_from_template(plan, "one-page", today=TODAY)
    assert first["id"] != second["id"]


def test_sending_out_needs_named_signatories(plan: Plan) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    with pytest.raises(ValidationError, match="needs a name") as refused:
        slas.send_for_signature(plan, sla["id"], row_version=sla["row_version"])
    assert str(refused.value).startswith("Every signatory")  # words, not a field path
    assert slas.get_sla(plan, sla["id"])["status"] == "draft"


def test_editing_a_signed_sla_makes_a_new_version_and_keeps_the_signed_one(plan: Plan) -> None:
    sla = signed(plan, slas.create_from_template(plan, "standard-b2b", today=TODAY))
    assert sla["status"] == "signed"
    assert [s["signed_on"] for s in sla["signatories"]] == ["2027-01-20", "2027-01-20"]
    edited = dict(
        sla, commitments=[dict(sla["commitments"][0], target=150), *sla["commitments"][1:]]
    )
    after = slas.save_sla(plan, edited)
    assert (after["version"], after["status"]) == (2, "draft")
    assert all(s["signed_on"] is None for s in after["signatories"])
    old = slas.version_document(plan, sla["id"], 1)
    assert old["status"] == "signed" and old["commitments"][0]["target"] == 120
    assert [s["signed_on"] for s in old["signatories"]] == ["2027-01-20", "2027-01-20"]
    assert describe_changes(old, after) == ["Commitment “MQLs delivered”: target 120 → 150"]
    # The earlier version still prints, as it was signed: no DRAFT watermark.
    _, pages = pdf_text(render_sla(old))
    assert "DRAFT" not in "".join(pages) and "Version 1 · Signed" in pages[0]


def test_saving_unchanged_text_changes_nothing(plan: Plan) -> None:
    sla = signed(plan, slas.create_from_template(plan, "one-page", today=TODAY))
    again = slas.save_sla(plan, sla)
    assert (again["version"], again["status"]) == (1, "signed")


def test_editing_while_out_for_signature_voids_signatures(plan: Plan) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    sla = slas.save_sla(
        plan,
        dict(
            sla, signatories=[dict(s, name=f"Signer {n}") for n, s in enumerate(sla["signatories"])]
        ),
    )
    sla = slas.send_for_signature(plan, sla["id"], row_version=sla["row_version"])
    sla = slas.record_signature(plan, sla["id"], 0, on=TODAY, row_version=sla["row_version"])
    after = slas.save_sla(plan, dict(sla, escalation="Straight to the CEO."))
    assert (after["status"], after["version"]) == ("draft", 1)
    assert all(s["signed_on"] is None for s in after["signatories"])


def test_stale_edit_is_refused(plan: Plan) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    slas.save_sla(plan, dict(sla, title="New title"))
    with pytest.raises(ConcurrentEditError):
        slas.save_sla(plan, dict(sla, title="Other title"))
    assert slas.get_sla(plan, sla["id"])["title"] == "New title"


def test_bad_values_name_the_field_and_change_nothing(plan: Plan) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    bad = dict(sla, commitments=[dict(sla["commitments"][0], target="lots")])
    with pytest.raises(ValidationError, match=r"sla\.commitments\[0\]\.target"):
        slas.save_sla(plan, bad)
    assert slas.get_sla(plan, sla["id"]) == sla


def test_expire_duplicate_delete_and_restore(plan: Plan) -> None:
    sla = signed(plan, slas.create_from_template(plan, "one-page", today=TODAY))
    expired = slas.expire_sla(plan, sla["id"], row_version=sla["row_version"])
    assert expired["status"] == "expired"
    copy = slas.duplicate_sla(plan, sla["id"])
    assert copy["status"] == "draft" and copy["version"] == 1 and copy["title"].endswith("(copy)")
    assert copy["commitments"] == sla["commitments"]
    assert all(s["signed_on"] is None for s in copy["signatories"])
    removed = slas.delete_sla(plan, sla["id"])
    assert sla["id"] not in {s.id for s in slas.list_sla_summaries(plan)}
    restored = slas.restore_sla(plan, removed)
    assert {k: v for k, v in restored.items() if k != "row_version"} == removed


def test_recurrence_in_words() -> None:
    assert recurrence_phrase("FREQ=MONTHLY;INTERVAL=3") == "every quarter"
    assert recurrence_phrase("FREQ=WEEKLY;BYDAY=MO,TH") == "every week on Monday and Thursday"
    assert recurrence_phrase("FREQ=MONTHLY;INTERVAL=2;COUNT=6") == "every 2 months, 6 times"
    assert recurrence_phrase("FREQ=MONTHLY;UNTIL=20270131") == "every month, until 31 Jan 2027"
    assert recurrence_phrase(None) == "once"


def test_pdf_holds_every_part_literally(plan: Plan) -> None:
    sla = slas.create_from_template(plan, "standard-b2b", today=TODAY)
    sla = slas.save_sla(
        plan,
        dict(
            sla,
            title=HOSTILE,
            signatories=[
                dict(sla["signatories"][0], name="Мария Иванова"),
                dict(sla["signatories"][1], name="Γιώργος Παππάς"),
            ],
            sections=[*sla["sections"], {"heading": "Notes & <i>caveats</i>", "body": HOSTILE}],
        ),
    )
    pages, texts = pdf_text(render_sla(sla))
    text = "\n".join(texts)
    flat = " ".join(text.split())
    assert '<b>Bob</b> & <img src="x"> Ωμέγα Кириллица' in flat
    for part in (
        "Мария Иванова",
        "Γιώργος Παππάς",
        "Notes & <i>caveats</i>",
        "Lead definitions",
        "Commitments",
        "Reviews",
        "Escalation",
        "Signatures",
        "DRAFT",
        f"Page 1 of {pages}",
    ):
        assert part in flat, part
    for commitment in sla["commitments"]:
        assert commitment["metric"] in flat
    for section in sla["sections"]:
        assert section["heading"] in flat


def test_long_commitment_tables_split_with_repeated_header(plan: Plan, tmp_path: Path) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    short_pages, _ = pdf_text(render_sla(sla))
    many = [
        {
            "team": "sales",
            "metric": f"Metric number {n}",
            "target": n,
            "unit": "calls",
            "period": "month",
            "source": "CRM",
            "on_miss": "Reviewed together.",
        }
        for n in range(200)
    ]
    sla = slas.save_sla(plan, dict(sla, commitments=many))
    target = tmp_path / "sla.pdf"
    write_sla_pdf(sla, target)
    pages, texts = pdf_text(target.read_bytes())
    assert pages > short_pages + 3
    table_pages = [t for t in texts if "Metric number" in t]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "Measured by" in page and "If missed" in page  # the header row, repeated
    assert "Metric number 199" in "".join(texts)


def test_pdf_write_is_atomic(tmp_path: Path, plan: Plan) -> None:
    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous")
    broken = dict(sla, reviews={"start": "not a time"})
    with pytest.raises(ValueError):
        write_sla_pdf(broken, target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.pdf",
        "plan.smplan",
        "plan.smplan-shm",
        "plan.smplan-wal",
    ]


def test_review_meetings_follow_the_sla_on_the_calendar(plan: Plan) -> None:
    from smarketing_desktop.services.items import occurrences_between

    sla = slas.create_from_template(plan, "one-page", today=TODAY, tz="Europe/Berlin")
    meetings = [
        o
        for o in occurrences_between(plan, dt.date(2027, 1, 1), dt.date(2028, 12, 31))
        if o.uid == slas.review_item_uid(sla["id"])
    ]
    # Monthly from 15 February 2027 until the SLA ends on 31 January 2028.
    assert [o.start for o in meetings][:2] == [dt.date(2027, 2, 15), dt.date(2027, 3, 15)]
    assert meetings[-1].start == dt.date(2028, 1, 15) and len(meetings) == 12
    first = meetings[0]
    assert (first.kind, first.team, first.start_time, first.end_time, first.tz) == (
        "meeting",
        "joint",
        dt.time(10),
        dt.time(10, 45),
        "Europe/Berlin",
    )
    assert "MQLs delivered" in first.description
    with plan.read() as session:
        from smarketing_desktop.store import models

        item = session.scalar(select_item(models, sla["id"]))
        assert item is not None and item.sequence == 0
    moved = dict(
        sla,
        reviews=dict(sla["reviews"], start="2027-02-16T09:00:00", rrule="FREQ=MONTHLY;INTERVAL=3"),
    )
    moved = slas.save_sla(plan, moved)
    with plan.read() as session:
        item = session.scalar(select_item(models, sla["id"]))
        assert item.start_date == dt.date(2027, 2, 16) and item.sequence == 1
        assert item.rrule == "FREQ=MONTHLY;INTERVAL=3;UNTIL=20280131T235959"
    slas.save_sla(plan, dict(moved, reviews=None))
    with plan.read() as session:
        assert session.scalar(select_item(models, sla["id"])) is None


def test_deleting_an_sla_takes_its_meetings_off_the_calendar_and_undo_brings_them_back(
    plan: Plan,
) -> None:
    from smarketing_desktop.store import models

    sla = slas.create_from_template(plan, "one-page", today=TODAY)
    removed = slas.delete_sla(plan, sla["id"])
    with plan.read() as session:
        assert session.scalar(select_item(models, sla["id"])) is None
    slas.restore_sla(plan, removed)
    with plan.read() as session:
        assert session.scalar(select_item(models, sla["id"])) is not None


def select_item(models, sla_id: str):
    from sqlalchemy import select

    return select(models.Item).where(models.Item.uid == slas.review_item_uid(sla_id))
