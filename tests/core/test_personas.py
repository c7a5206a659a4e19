"""Persona core: templates, editing, guarded delete with undo, coverage and the sheet PDF."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.errors import ConcurrentEditError, ValidationError
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.exchange.persona_pdf import initials, write_persona_pdf
from smarketing_desktop.exchange.pictures import prepare_picture
from smarketing_desktop.services import item_edits, personas
from smarketing_desktop.store.planfile import Plan, create_plan

HOSTILE = '<b>Bob</b> & <img src="x">'
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2213bc70000000049454e44ae426082"
    )
).decode()


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    plan = create_plan(tmp_path / "plan.smplan")
    document = {
        "format": "smarketing-plan",
        "version": 1,
        "personas": [
            {"id": "olivia", "name": "Operations Olivia"},
            {"id": "ian", "name": "IT Ian"},
        ],
        "items": [
            {
                "uid": "blog@x",
                "title": "Blog",
                "kind": "blog_post",
                "start": "2027-01-10",
                "personas": ["olivia"],
            },
            {
                "uid": "mail@x",
                "title": "Mail",
                "kind": "email_campaign",
                "start": "2027-02-10",
                "personas": ["olivia", "ian"],
            },
            {
                "uid": "promo@x",
                "title": "Promo",
                "kind": "promotion",
                "start": "2027-03-01",
                "end": "2027-04-15",
                "personas": ["olivia"],
                "stage": "consideration",
            },
            {
                "uid": "idea@x",
                "title": "Idea",
                "kind": "promotion",
                "start": "2027-03-01",
                "status": "idea",
                "personas": ["ian"],
            },
            {
                "uid": "late@x",
                "title": "Later",
                "kind": "webinar",
                "start": "2027-05-01",
                "personas": ["ian"],
            },
            {"uid": "all@x", "title": "For everyone", "kind": "promotion", "start": "2027-02-01"},
        ],
    }
    plan_json.import_plan(plan, json.dumps(document))
    return plan


def test_templates_and_editing_every_field(plan: Plan) -> None:
    created = personas.new_from_template(plan, "technical-gatekeeper")
    assert created["buying_role"] == "gatekeeper" and created["objections"]
    edited = dict(
        created,
        name=HOSTILE,
        role="Head of IT",
        company_size="50–200",
        industry="Логистика",
        buying_role="influencer",
        buying_stage="decision",
        goals=["Γ1", "G2"],
        challenges=["C"],
        information_sources=["Peers"],
        channels=["email"],
        objections=["Price"],
        quote="Show me.",
        customers=["Contoso"],
        insights_sales=[{"who": "Ted", "text": "Call early"}],
        insights_marketing=[{"who": "Priya", "text": "Likes videos"}],
        notes="n",
        picture=PNG,
    )
    saved = personas.save_persona(plan, edited)
    again = personas.get_persona(plan, created["id"])
    assert again == saved
    assert {k: v for k, v in again.items() if k != "row_version"} == {
        k: v for k, v in edited.items() if k != "row_version"
    }
    with pytest.raises(ConcurrentEditError):
        personas.save_persona(plan, dict(created, name="Stale"))


def test_a_picture_that_is_not_an_image_is_refused(plan: Plan) -> None:
    persona = personas.get_persona(plan, "olivia")
    text = base64.b64encode(b"just some text, not an image").decode()
    with pytest.raises(ValidationError, match=r"persona\.picture: not a PNG or JPEG image"):
        personas.save_persona(plan, dict(persona, picture=text))
    assert personas.get_persona(plan, "olivia")["picture"] is None


def test_duplicate_and_search(plan: Plan) -> None:
    copy = personas.duplicate_persona(plan, "olivia")
    assert copy["id"] != "olivia" and copy["name"] == "Operations Olivia (copy)"
    assert [c.id for c in personas.list_persona_cards(plan, "olivia")] == ["olivia", copy["id"]]
    assert [c.name for c in personas.list_persona_cards(plan, "  it ian ")] == ["IT Ian"]


@pytest.mark.parametrize("word", ["name", "goals", "insights_sales", "who", "picture", '":'])
def test_search_reads_what_was_written_not_field_names(plan: Plan, word: str) -> None:
    assert personas.list_persona_cards(plan, word) == []


def test_search_finds_text_in_lists_and_insights(plan: Plan) -> None:
    olivia = personas.get_persona(plan, "olivia")
    personas.save_persona(
        plan,
        dict(olivia, insights_sales=[{"who": "Ted Okafor", "text": "Wants “SSO” first"}]),
    )
    assert [c.id for c in personas.list_persona_cards(plan, "okafor")] == ["olivia"]
    assert [c.id for c in personas.list_persona_cards(plan, "“sso”")] == ["olivia"]


def test_delete_shows_links_first_and_undo_restores_them(plan: Plan) -> None:
    assert personas.linked_items(plan, "olivia") == ["Blog", "Mail", "Promo"]
    before = plan_json.export_plan(plan)
    removed = personas.delete_persona(plan, "olivia")
    document = plan_json.export_document(plan)
    assert "olivia" not in {p["id"] for p in document["personas"]}
    assert all("olivia" not in i["personas"] for i in document["items"])
    personas.restore_persona(plan, removed)
    assert plan_json.export_plan(plan) == before


def test_undo_of_a_delete_leaves_out_items_deleted_since(plan: Plan) -> None:
    removed = personas.delete_persona(plan, "olivia")
    blog = next(i["uid"] for i in plan_json.export_document(plan)["items"] if i["title"] == "Blog")
    item_edits.delete_items(plan, [blog])
    personas.restore_persona(plan, removed)
    assert personas.linked_items(plan, "olivia") == ["Mail", "Promo"]


def test_journey_coverage_counts_and_gaps(plan: Plan) -> None:
    coverage = personas.journey_coverage(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert coverage["olivia"] == {
        BuyingStage.AWARENESS: 1,  # the blog post
        BuyingStage.CONSIDERATION: 2,  # the email, and the promotion set to consideration
        BuyingStage.DECISION: 0,
    }
    # Ideas and items for "everyone" fill no persona's gap; later items are out of range.
    assert coverage["ian"] == {
        BuyingStage.AWARENESS: 0,
        BuyingStage.CONSIDERATION: 1,
        BuyingStage.DECISION: 0,
    }


def test_items_for_persona_in_a_quarter(plan: Plan) -> None:
    titles = [
        o.title
        for o in personas.items_for_persona(plan, "ian", dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    ]
    assert titles == ["Mail", "Idea"]


def test_sheet_pdf_has_every_field_literally_and_flows_on(plan: Plan, tmp_path: Path) -> None:
    persona = personas.get_persona(plan, "olivia")
    persona = personas.save_persona(
        plan,
        dict(
            persona,
            name=HOSTILE,
            role="Δ role",
            industry="Производство",
            company_size="200+",
            buying_role="decision_maker",
            buying_stage="awareness",
            quote="Ça marche?",
            goals=[f"Goal {n} " + "long " * 30 for n in range(12)],
            challenges=["Ch1"],
            information_sources=["Src1"],
            channels=["Chan1"],
            objections=["Obj1"],
            customers=["Cust1"],
            insights_sales=[{"who": "Ted", "text": "SalesInsight"}],
            insights_marketing=[{"who": "Priya", "text": "MarketingInsight"}],
            notes="The notes",
        ),
    )
    target = tmp_path / "persona.pdf"
    write_persona_pdf([persona, personas.get_persona(plan, "ian")], target)
    reader = pypdf.PdfReader(target)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for part in (
        HOSTILE,
        "Δ role",
        "Производство",
        "200+",
        "Decision maker",
        "Awareness",
        "Ça marche?",
        "Goal 11",
        "Ch1",
        "Src1",
        "Chan1",
        "Obj1",
        "Cust1",
        "SalesInsight",
        "— Ted",
        "MarketingInsight",
        "— Priya",
        "The notes",
        "IT Ian",
    ):
        assert part in text, part
    # Long text flows to a second page instead of being cut; the next persona starts fresh.
    assert len(reader.pages) >= 3
    assert "IT Ian" in reader.pages[-1].extract_text()


def test_initials() -> None:
    assert initials("Operations Olivia") == "OO"
    assert initials("Ωμέγα") == "Ω"
    assert initials("") == "?"


def test_editing_one_field_checks_it_and_the_version(plan: Plan) -> None:
    persona = personas.get_persona(plan, "olivia")
    saved = personas.edit_persona_field(
        plan, "olivia", "goals", ["Less downtime", HOSTILE], version=persona["row_version"]
    )
    assert personas.get_persona(plan, "olivia")["goals"] == ["Less downtime", HOSTILE]
    assert saved["row_version"] == persona["row_version"] + 1
    with pytest.raises(ConcurrentEditError):
        personas.edit_persona_field(plan, "olivia", "name", "Stale", version=persona["row_version"])
    with pytest.raises(ValidationError, match=r"persona\.goals\[1\]: contains a NUL"):
        personas.edit_persona_field(
            plan, "olivia", "goals", ["ok", "bad\x00"], version=saved["row_version"]
        )
    with pytest.raises(ValidationError, match=r"persona\.name: must not be empty"):
        personas.edit_persona_field(plan, "olivia", "name", "  ", version=saved["row_version"])
    assert personas.get_persona(plan, "olivia") == saved


def test_journey_items_name_the_items_and_skip_ended_series(plan: Plan) -> None:
    plan_json.import_plan(
        plan,
        json.dumps(
            {
                "format": "smarketing-plan",
                "version": 1,
                "items": [
                    {
                        "uid": "old-series@x",
                        "title": "Old weekly post",
                        "kind": "blog_post",
                        "start": "2026-01-05",
                        "rrule": "FREQ=WEEKLY;COUNT=4",
                        "personas": ["ian"],
                    },
                    {
                        "uid": "series@x",
                        "title": "Weekly post",
                        "kind": "blog_post",
                        "start": "2026-12-01",
                        "rrule": "FREQ=WEEKLY",
                        "personas": ["ian"],
                    },
                ],
            }
        ),
    )
    cells = personas.journey_items(plan, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert [e.title for e in cells["ian"][BuyingStage.AWARENESS]] == ["Weekly post"]
    assert [e.title for e in cells["olivia"][BuyingStage.CONSIDERATION]] == ["Mail", "Promo"]
    assert cells["olivia"][BuyingStage.DECISION] == []


def test_sheet_pdf_embeds_the_scaled_picture_and_flows_a_huge_quote(
    plan: Plan, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "#3a7").save(buffer, "JPEG")
    persona = personas.get_persona(plan, "ian")
    persona = personas.save_persona(
        plan,
        dict(
            persona,
            name="Ж" * 150,
            quote="Quote words " * 700 + "QUOTE-END",
            notes="note " * 2500 + "NOTES-END",
            picture=base64.b64encode(prepare_picture(buffer.getvalue())).decode(),
        ),
    )
    target = tmp_path / "long.pdf"
    write_persona_pdf([persona], target)
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) >= 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "QUOTE-END" in text and "NOTES-END" in text
    images = reader.pages[0].images
    assert len(images) == 1 and images[0].image is not None
    assert images[0].image.size == (512, 384)
