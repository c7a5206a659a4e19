"""The SLA builder driven like a user: each part edited through the form, read back from
the plan, undone and redone."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from dateutil.rrule import MONTHLY, rrule
from hypothesis import given
from hypothesis import strategies as st

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QTableView,
    QWidget,
)

from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.sla_editor import COMMITMENT_COLUMNS, SlaEditor
from smarketing_desktop.gui.sla_rows import parse_number
from smarketing_desktop.gui.slas_tab import SlasTab
from smarketing_desktop.services import slas as sla_service
from smarketing_desktop.services.items import occurrences_between
from smarketing_desktop.store.planfile import Plan

SLA_ID = "joint-sla"
HOSTILE = "<b>Bold</b> & <img src=x> שלום Ωμέγα Кириллица " + "W" * 90


@pytest.fixture
def tab(window: MainWindow) -> SlasTab:
    window.tabs.setCurrentWidget(window.slas)
    return window.slas


@pytest.fixture
def editor(tab: SlasTab) -> SlaEditor:
    return tab.editor


def stored(plan: Plan, sla_id: str = SLA_ID) -> dict[str, Any]:
    return sla_service.get_sla(plan, sla_id)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_text(qtbot, widget, text: str) -> None:
    """Type ``text`` key by key; characters QTest cannot type (beyond ASCII) arrive as
    key events carrying their text, as from a keyboard layout or input method."""
    for char in text:
        if char == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget,
                    QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char),
                )


def retype(qtbot, edit: QLineEdit, text: str) -> None:
    """Select what the field holds and type over it, then leave the field with Tab."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    type_text(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def edit_cell(qtbot, table: QTableView, row: int, column: int, text: str) -> None:
    """Double-click a cell, type into its editor and press Enter."""
    assert table.isVisible()
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit | QComboBox), editor
    if isinstance(editor, QComboBox) and not editor.isEditable():
        editor.setCurrentIndex(editor.findText(text))
        press_return(qtbot, table, editor)
        return
    line = editor if isinstance(editor, QLineEdit) else editor.lineEdit()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Backspace)
    type_text(qtbot, line, text)
    press_return(qtbot, table, line)


def press_return(qtbot, table: QTableView, widget: QWidget) -> None:
    """Enter ends the cell's editing (Qt commits the value right after the key press)."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Choose the entry ``text`` of a combo box with the arrow keys, as a keyboard user
    does (popup lists cannot be shown on the headless test platform)."""
    target = combo.findText(text)
    assert target >= 0, text
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(combo.count()):
        if combo.currentIndex() == target:
            break
        qtbot.keyClick(combo, key)
    assert combo.currentText() == text


# --- the list and the banner -----------------------------------------------------------


def test_the_tab_lists_the_agreement_and_opens_it_in_the_editor(
    tab: SlasTab, editor: SlaEditor
) -> None:
    assert tab.current_sla_id() == SLA_ID
    assert tab.model.data(tab.model.index(0, 1)) == "Out for signature"
    assert tab.model.data(tab.model.index(0, 2)) == "v1"
    assert editor.title_edit.text() == "Sales and marketing SLA"
    assert editor.status_label.text() == "Out for signature"
    assert "1 of 2 signed" in editor.banner.text() and editor.banner.isVisible()
    assert editor.party_combos["marketing"].currentText() == "Martha Diaz"
    assert editor.party_titles["sales"].text() == "VP Sales"
    assert editor.commitments.rowCount() == 4 and editor.definitions.rowCount() == 3
    assert [editor.sections.list.item(n).text() for n in range(2)] == ["1. Purpose", "2. Scope"]
    preview = tab.preview.toPlainText()
    assert "Sales and marketing SLA" in preview and "4. Commitments" in preview


# --- text fields, typing and merging ---------------------------------------------------


def test_typing_a_title_is_one_undo_step_and_voids_collected_signatures(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    stack = window.context.undo_stack
    before = stored(plan)
    retype(qtbot, editor.title_edit, "Revenue pact")
    assert stored(plan)["title"] == "Revenue pact"
    # Out for signature → draft: the signature collected so far no longer applies.
    after = stored(plan)
    assert after["status"] == "draft" and all(s["signed_on"] is None for s in after["signatories"])
    assert editor.status_label.text() == "Draft"
    assert tab.model.data(tab.model.index(0, 0)) == "Revenue pact"
    assert stack.count() == 1 and stack.undoText() == "Edit title"
    # More typing in the same field merges into the same step.
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " 2027")
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Tab)
    assert stored(plan)["title"] == "Revenue pact 2027" and stack.count() == 1
    window.undo_action.trigger()
    assert {k: v for k, v in stored(plan).items() if k != "row_version"} == {
        k: v for k, v in before.items() if k != "row_version"
    }
    assert editor.title_edit.text() == "Sales and marketing SLA"
    assert editor.status_label.text() == "Out for signature"
    window.redo_action.trigger()
    assert stored(plan)["title"] == "Revenue pact 2027"
    assert editor.title_edit.text() == "Revenue pact 2027"


def test_typing_is_saved_after_a_pause_without_leaving_the_field(
    qtbot, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " (draft)")
    assert stored(plan)["title"] == "Sales and marketing SLA"  # not yet: the user is typing
    qtbot.waitUntil(
        lambda: stored(plan)["title"] == "Sales and marketing SLA (draft)", timeout=3000
    )
    qtbot.waitUntil(lambda: "(draft)" in tab.preview.toPlainText())


def test_undo_while_typing_saves_the_typing_as_a_step_first(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    stack = window.context.undo_stack
    retype(qtbot, editor.party_titles["sales"], "Sales floor")  # Undo is enabled
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " 2027")
    window.undo_action.trigger()  # the toolbar button: the field keeps the focus
    assert stored(plan)["title"] == "Sales and marketing SLA"
    assert editor.title_edit.text() == "Sales and marketing SLA"
    assert stack.redoText() == "Edit title"
    window.redo_action.trigger()
    assert stored(plan)["title"] == "Sales and marketing SLA 2027"
    assert editor.title_edit.text() == "Sales and marketing SLA 2027"
    qtbot.wait(1200)  # past the typing pause: nothing more is saved
    assert stack.count() == 2 and stack.index() == 2


def test_a_blank_title_is_refused_with_a_message_and_nothing_saved(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    retype(qtbot, editor.title_edit, "   ")
    assert editor.problem.isVisible() and editor.problem.text().startswith("Title:")
    assert stored(plan)["title"] == "Sales and marketing SLA"
    assert window.context.undo_stack.count() == 0
    retype(qtbot, editor.title_edit, "Fixed title")
    assert not editor.problem.isVisible() and stored(plan)["title"] == "Fixed title"


def paste(qtbot, widget, text: str) -> None:
    """Paste ``text`` where the cursor is (how emoji and odd characters arrive)."""
    QApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_hostile_text_is_stored_and_previewed_literally(
    qtbot, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    retype(qtbot, editor.title_edit, HOSTILE + " 🚀")
    show_page(editor, "sectionsPage")
    editor.sections.list.setCurrentRow(1)
    editor.sections.body.setFocus()
    editor.sections.body.selectAll()
    qtbot.keyClicks(editor.sections.body, "Scope & <i>reach</i>")
    qtbot.keyClick(editor.sections.heading, Qt.Key.Key_Tab)
    editor.title_edit.setFocus()  # leaving the text ends the typing
    document = stored(plan)
    assert document["title"] == HOSTILE + " 🚀"
    assert document["sections"][1]["body"] == "Scope & <i>reach</i>"
    tab.update_preview()
    text = tab.preview.toPlainText()
    assert "<b>Bold</b> & <img src=x>" in text and "Scope & <i>reach</i>" in text
    assert "🚀" in text and "שלום" in text


def test_text_with_a_nul_character_is_refused(qtbot, editor: SlaEditor, plan: Plan) -> None:
    editor.title_edit.setFocus()
    editor.title_edit.selectAll()
    paste(qtbot, editor.title_edit, "Bad\x00title")
    qtbot.keyClick(editor.title_edit, Qt.Key.Key_Tab)
    if "\x00" in editor.title_edit.text():
        assert "NUL" in editor.problem.text()
        assert stored(plan)["title"] == "Sales and marketing SLA"
    else:  # the platform dropped the NUL while pasting: what is stored has none either
        assert "\x00" not in stored(plan)["title"]


# --- dates and parties -------------------------------------------------------------------


def test_dates_are_edited_with_the_keyboard_and_an_end_before_the_start_is_refused(
    qtbot, editor: SlaEditor, plan: Plan
) -> None:
    ends = editor.ends_edit
    ends.setFocus()
    ends.setSelectedSection(QDateTimeEdit.Section.YearSection)
    start_year = int(stored(plan)["ends"][:4])
    qtbot.keyClick(ends, Qt.Key.Key_Up)
    qtbot.keyClick(ends, Qt.Key.Key_Tab)
    assert int(stored(plan)["ends"][:4]) == start_year + 1
    ends.setFocus()
    ends.setSelectedSection(QDateTimeEdit.Section.YearSection)
    for _ in range(4):
        qtbot.keyClick(ends, Qt.Key.Key_Down)
    qtbot.keyClick(ends, Qt.Key.Key_Tab)
    assert "End date" in editor.problem.text() and "before" in editor.problem.text()
    assert int(stored(plan)["ends"][:4]) == start_year + 1


def test_parties_are_picked_from_the_team_or_typed(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    combo = editor.party_combos["sales"]
    assert combo.findText("Ted Okafor") >= 0 and combo.findText("Martha Diaz") < 0
    other = next(
        combo.itemText(n) for n in range(combo.count()) if combo.itemText(n) != "Ted Okafor"
    )
    pick(qtbot, combo, other)
    parties = {p["team"]: p for p in stored(plan)["parties"]}
    assert parties["sales"]["name"] == other
    # A leader picked from the list brings their role as title.
    assert parties["sales"]["title"] == combo.itemData(combo.findText(other))
    assert window.context.undo_stack.undoText() == "Choose parties"
    title = editor.party_titles["marketing"]
    retype(qtbot, title, "Chief Marketing Officer")
    combo = editor.party_combos["marketing"]
    combo.lineEdit().setFocus()
    combo.lineEdit().selectAll()
    type_text(qtbot, combo.lineEdit(), "Zoë Ångström")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Tab)
    parties = {p["team"]: p for p in stored(plan)["parties"]}
    assert parties["marketing"] == {
        "team": "marketing",
        "name": "Zoë Ångström",
        "title": "Chief Marketing Officer",
    }
    assert "Zoë Ångström, Chief Marketing Officer and" in " ".join(
        window.slas.preview.toPlainText().split()
    )


# --- tables: lead definitions, commitments, signatories ------------------------------


def show_page(editor: SlaEditor, name: str) -> None:
    page = editor.form.findChild(QWidget, name)
    assert page is not None, name
    editor.pages.setCurrentWidget(page)


def test_lead_definitions_are_added_edited_reordered_and_removed(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "definitionsPage")
    table = editor.definitions_table
    table.setCurrentIndex(editor.definitions.index(2, 0))
    click(qtbot, editor.buttons["addDefinitionButton"])
    # The new row comes after the chosen one, its term open for typing.
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit) and line.text() == "New term"
    line.selectAll()
    qtbot.keyClicks(line, "Lead score threshold")
    press_return(qtbot, table, line)
    edit_cell(qtbot, table, 3, 1, "60 points: fit plus engagement")
    terms = [d["term"] for d in stored(plan)["lead_definitions"]]
    assert terms == ["MQL", "SQL", "Hot lead", "Lead score threshold"]
    assert stored(plan)["lead_definitions"][3]["definition"] == "60 points: fit plus engagement"
    table.setCurrentIndex(editor.definitions.index(3, 0))
    click(qtbot, editor.buttons["definitionUpButton"])
    click(qtbot, editor.buttons["definitionUpButton"])
    terms = [d["term"] for d in stored(plan)["lead_definitions"]]
    assert terms == ["MQL", "Lead score threshold", "SQL", "Hot lead"]
    click(qtbot, editor.buttons["definitionDownButton"])
    table.setCurrentIndex(editor.definitions.index(0, 0))
    click(qtbot, editor.buttons["removeDefinitionButton"])
    terms = [d["term"] for d in stored(plan)["lead_definitions"]]
    assert terms == ["SQL", "Lead score threshold", "Hot lead"]
    # A term may not be blank: the cell keeps its value and the form says why.
    edit_cell(qtbot, table, 0, 0, "   ")
    assert "needs a term" in editor.problem.text()
    assert stored(plan)["lead_definitions"][0]["term"] == "SQL"
    # Every step undoes on its own, back to the demo's three definitions.
    stack = window.context.undo_stack
    assert stack.undoText() == "Remove lead definition"
    while stack.canUndo():
        window.undo_action.trigger()
    assert [d["term"] for d in stored(plan)["lead_definitions"]] == ["MQL", "SQL", "Hot lead"]
    assert editor.definitions.rowCount() == 3


def test_commitments_are_edited_cell_by_cell(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "commitmentsPage")
    table = editor.commitments_table
    table.setCurrentIndex(editor.commitments.index(3, 0))
    click(qtbot, editor.buttons["addCommitmentButton"])
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit) and line.text() == "New commitment"
    line.selectAll()
    qtbot.keyClicks(line, "Demos booked from webinars")
    press_return(qtbot, table, line)
    edit_cell(qtbot, table, 4, 0, "Sales")
    edit_cell(qtbot, table, 4, 2, "1,200")
    edit_cell(qtbot, table, 4, 3, "demos")
    edit_cell(qtbot, table, 4, 4, "quarter")
    edit_cell(qtbot, table, 4, 5, "CRM <dashboard> & notes")
    edit_cell(qtbot, table, 4, 6, "Escalated to the VP Sales")
    assert stored(plan)["commitments"][4] == {
        "team": "sales",
        "metric": "Demos booked from webinars",
        "target": 1200,
        "unit": "demos",
        "period": "quarter",
        "source": "CRM <dashboard> & notes",
        "on_miss": "Escalated to the VP Sales",
    }
    assert editor.commitments.data(editor.commitments.index(4, 2)) == "1,200"
    tab.update_preview()
    assert "CRM <dashboard> & notes" in tab.preview.toPlainText()
    # A target that is not a number is refused; the old value stays.
    edit_cell(qtbot, table, 4, 2, "lots")
    assert "“lots” is not a number" in editor.problem.text()
    assert stored(plan)["commitments"][4]["target"] == 1200
    # A custom period may be typed.
    edit_cell(qtbot, table, 4, 4, "fortnight")
    assert stored(plan)["commitments"][4]["period"] == "fortnight"
    # An emptied target means "no number".
    edit_cell(qtbot, table, 0, 2, "")
    assert stored(plan)["commitments"][0]["target"] is None
    # Reorder and remove.
    table.setCurrentIndex(editor.commitments.index(4, 1))
    click(qtbot, editor.buttons["commitmentUpButton"])
    metrics = [c["metric"] for c in stored(plan)["commitments"]]
    assert metrics[3] == "Demos booked from webinars"
    click(qtbot, editor.buttons["removeCommitmentButton"])
    assert "Demos booked from webinars" not in [c["metric"] for c in stored(plan)["commitments"]]
    assert len(stored(plan)["commitments"]) == 4
    window.undo_action.trigger()
    assert stored(plan)["commitments"][3]["metric"] == "Demos booked from webinars"
    assert editor.commitments.rowCount() == 5


def test_signatories_are_edited_and_the_signature_flow_runs_from_the_buttons(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "signaturesPage")
    table = editor.signatories_table
    assert editor.signatories.data(editor.signatories.index(0, 3)) != ""  # Martha signed
    # Adding a signatory (out for signature) returns the SLA to draft.
    click(qtbot, editor.buttons["addSignatoryButton"])
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit)
    qtbot.keyClicks(line, "Ada Lovelace")
    press_return(qtbot, table, line)
    edit_cell(qtbot, table, 2, 1, "COO")
    edit_cell(qtbot, table, 2, 2, "Joint")
    document = stored(plan)
    assert document["status"] == "draft"
    assert document["signatories"][2] == {
        "name": "Ada Lovelace",
        "title": "COO",
        "team": "joint",
        "signed_on": None,
    }
    assert editor.signatories.data(editor.signatories.index(0, 3)) == ""  # signature voided
    assert editor.send_button.isEnabled() and not editor.sign_button.isEnabled()
    click(qtbot, editor.send_button)
    assert stored(plan)["status"] == "out_for_signature"
    assert editor.sign_button.isEnabled() and not editor.send_button.isEnabled()
    for expected in ("Martha Diaz", "Ted Okafor", "Ada Lovelace"):
        click(qtbot, editor.sign_button)
        dialog = editor.signature_dialog
        assert dialog is not None and dialog.dialog.isVisible()
        assert dialog.signatory.currentText().startswith(expected)
        dialog.date.setDate(dialog.date.date().addDays(-1))
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
    document = stored(plan)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert document["status"] == "signed"
    assert [s["signed_on"] for s in document["signatories"]] == [yesterday] * 3
    assert editor.status_label.text() == "Signed"
    assert editor.banner.text().startswith("Signed — editing creates version 2")
    assert tab.model.data(tab.model.index(0, 1)) == "Signed"
    assert "DRAFT" not in tab.preview.toPlainText()
    click(qtbot, editor.expire_button)
    assert stored(plan)["status"] == "expired"
    assert editor.banner.text().startswith("Expired — editing creates version 2")
    window.undo_action.trigger()
    assert stored(plan)["status"] == "signed"
    window.undo_action.trigger()  # the third signature
    assert stored(plan)["status"] == "out_for_signature" and editor.sign_button.isEnabled()


def test_cancelling_the_signature_dialog_records_nothing(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    click(qtbot, editor.sign_button)
    dialog = editor.signature_dialog
    assert dialog is not None and dialog.signatory.count() == 1  # only Ted has not signed
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert stored(plan)["signatories"][1]["signed_on"] is None
    assert window.context.undo_stack.count() == 0


# --- reviews, escalation, sections --------------------------------------------------


def review_item(plan: Plan, sla_id: str = SLA_ID) -> list[Any]:
    today = dt.date.today()
    return [
        o
        for o in occurrences_between(
            plan, today - dt.timedelta(days=400), today + dt.timedelta(days=800)
        )
        if o.uid == sla_service.review_item_uid(sla_id)
    ]


def test_the_calendar_shows_review_meetings_moved_by_an_sla_edit(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    uid = sla_service.review_item_uid(SLA_ID)
    window.tabs.setCurrentWidget(window.calendar)
    month = window.calendar.month_view
    month.setFocus()
    qtbot.waitUntil(month.isVisible)

    def shown() -> list[dt.date]:
        return sorted(o.start for o in month.loaded if o.uid == uid)

    def in_store() -> list[dt.date]:
        first, last = month.first, month.last
        return sorted(o.start for o in review_item(plan) if first <= o.start <= last)

    assert shown() == in_store()
    window.tabs.setCurrentWidget(window.slas)
    show_page(editor, "reviewsPage")
    pick(qtbot, editor.reviews.recurrence, "Custom rule")
    rule_before = stored(plan)["reviews"]["rrule"]
    retype(qtbot, editor.reviews.rule, "FREQ=WEEKLY")
    assert stored(plan)["reviews"]["rrule"] == "FREQ=WEEKLY"
    window.tabs.setCurrentWidget(window.calendar)
    qtbot.waitUntil(month.isVisible)
    assert len(in_store()) >= 4 and shown() == in_store()
    # The SLA and its meetings on the calendar change in one step, and undo as one.
    window.undo_action.trigger()
    assert stored(plan)["reviews"]["rrule"] == rule_before
    assert len(in_store()) < 4 and shown() == in_store()


def test_review_cadence_is_edited_and_the_calendar_follows(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "reviewsPage")
    assert len(review_item(plan)) == 4  # quarterly for a year
    pick(qtbot, editor.reviews.recurrence, "Every month")
    document = stored(plan)
    assert document["reviews"]["rrule"] == "FREQ=MONTHLY"
    first = dt.datetime.fromisoformat(document["reviews"]["start"])
    last = dt.datetime.combine(dt.date.fromisoformat(document["ends"]), dt.time(23, 59))
    expected = [d.date() for d in rrule(MONTHLY, dtstart=first, until=last)]
    assert [o.start for o in review_item(plan)] == expected and len(expected) >= 11
    assert "Meets every month until the agreement ends" in editor.reviews.hint.text()
    # A custom rule: a bad one is refused with the reason, a good one is saved.
    pick(qtbot, editor.reviews.recurrence, "Custom rule")
    assert editor.reviews.rule.isVisible()
    # The custom rule starts as the rule in force, ready to be changed.
    rule = stored(plan)["reviews"]["rrule"]
    assert editor.reviews.rule.text() == rule
    retype(qtbot, editor.reviews.rule, "every other tuesday")
    assert "Custom rule: not a recurrence rule" in editor.problem.text()
    assert stored(plan)["reviews"]["rrule"] == rule
    retype(qtbot, editor.reviews.rule, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")
    assert not editor.problem.isVisible()
    assert stored(plan)["reviews"]["rrule"] == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert all(o.start.weekday() == 1 for o in review_item(plan)[1:])
    # Length, zone and location.
    editor.reviews.length.setFocus()
    qtbot.keyClick(editor.reviews.length, Qt.Key.Key_Up)
    qtbot.keyClick(editor.reviews.length, Qt.Key.Key_Tab)
    assert stored(plan)["reviews"]["duration_minutes"] == 105
    # Typing the start of a zone's name finds it, as in any list; however many zones
    # the user passes on the way, it is one undo step.
    steps = window.context.undo_stack.count()
    editor.reviews.zone.setFocus()
    qtbot.keyClicks(editor.reviews.zone, "Europe/Berl")
    assert editor.reviews.zone.currentText() == "Europe/Berlin"
    assert stored(plan)["reviews"]["tz"] == "Europe/Berlin"
    assert window.context.undo_stack.count() == steps + 1
    retype(qtbot, editor.reviews.location, "Room Ωμέγα & <video>")
    reviews = stored(plan)["reviews"]
    assert reviews["location"] == "Room Ωμέγα & <video>"
    meeting = review_item(plan)[0]
    assert (meeting.tz, meeting.kind, meeting.team) == ("Europe/Berlin", "meeting", "joint")
    # The first meeting moves by a day with the keyboard.
    start = editor.reviews.start
    start.setFocus()
    start.setSelectedSection(QDateTimeEdit.Section.DaySection)
    before = dt.datetime.fromisoformat(reviews["start"])
    qtbot.keyClick(start, Qt.Key.Key_Up)
    # Saved once the user pauses (Tab moves between the parts of the date here).
    qtbot.waitUntil(
        lambda: stored(plan)["reviews"]["start"] == (before + dt.timedelta(days=1)).isoformat()
    )
    # No more review meetings: they leave the calendar; undo brings them back.
    click(
        qtbot,
        editor.reviews.group.findChild(QWidget, "qt_groupbox_checkbox") or editor.reviews.group,
    )
    if editor.reviews.group.isChecked():  # the check box is drawn, not a child widget
        editor.reviews.group.setChecked(False)
    assert stored(plan)["reviews"] is None and review_item(plan) == []
    window.undo_action.trigger()
    assert stored(plan)["reviews"]["location"] == "Room Ωμέγα & <video>"
    assert editor.reviews.group.isChecked() and review_item(plan)


def test_escalation_path_typing_is_saved(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "reviewsPage")
    editor.reviews.escalation.setFocus()
    editor.reviews.escalation.selectAll()
    type_text(qtbot, editor.reviews.escalation, "Both VPs within 48 hours;\nthen the COO.")
    editor.reviews.location.setFocus()
    assert stored(plan)["escalation"] == "Both VPs within 48 hours;\nthen the COO."
    assert window.context.undo_stack.undoText() == "Edit escalation path"


def test_sections_are_added_renamed_reordered_and_removed(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    show_page(editor, "sectionsPage")
    editor.sections.list.setCurrentRow(1)
    click(qtbot, editor.buttons["addSectionButton"])
    assert [s["heading"] for s in stored(plan)["sections"]] == ["Purpose", "Scope", "New section"]
    assert QApplication.focusWidget() is editor.sections.heading
    type_text(qtbot, editor.sections.heading, "Data hygiene")
    editor.sections.body.setFocus()
    type_text(qtbot, editor.sections.body, "Sales updates lead status within a day.")
    editor.sections.heading.setFocus()
    assert stored(plan)["sections"][2] == {
        "heading": "Data hygiene",
        "body": "Sales updates lead status within a day.",
    }
    assert editor.sections.list.item(2).text() == "3. Data hygiene"
    tab.update_preview()
    assert "3. Data hygiene" in tab.preview.toPlainText()
    click(qtbot, editor.buttons["sectionUpButton"])
    click(qtbot, editor.buttons["sectionUpButton"])
    assert [s["heading"] for s in stored(plan)["sections"]] == ["Data hygiene", "Purpose", "Scope"]
    assert not editor.buttons["sectionUpButton"].isEnabled()
    click(qtbot, editor.buttons["sectionDownButton"])
    assert [s["heading"] for s in stored(plan)["sections"]] == ["Purpose", "Data hygiene", "Scope"]
    editor.sections.list.setCurrentRow(0)
    click(qtbot, editor.buttons["removeSectionButton"])
    assert [s["heading"] for s in stored(plan)["sections"]] == ["Data hygiene", "Scope"]
    assert window.context.undo_stack.undoText() == "Remove section “Purpose”"
    # A section needs a heading.
    retype(qtbot, editor.sections.heading, "")
    assert "Section 1, heading" in editor.problem.text()
    assert stored(plan)["sections"][0]["heading"] == "Data hygiene"
    window.undo_action.trigger()
    assert [s["heading"] for s in stored(plan)["sections"]] == ["Purpose", "Data hygiene", "Scope"]
    assert editor.sections.list.count() == 3 and not editor.problem.isVisible()


# --- new, duplicate, delete -----------------------------------------------------------


def trigger_template(tab: SlasTab, template_id: str) -> None:
    action = next(
        a for a in tab.template_menu.actions() if a.objectName() == f"template-{template_id}"
    )
    action.trigger()


@pytest.mark.parametrize("template_id", ["standard-b2b", "one-page"])
def test_a_new_agreement_from_a_template_is_a_complete_draft(
    window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan, template_id: str
) -> None:
    trigger_template(tab, template_id)
    new_id = tab.current_sla_id()
    assert new_id is not None and new_id != SLA_ID
    document = stored(plan, new_id)
    assert document["status"] == "draft" and document["version"] == 1
    assert editor.title_edit.text() == document["title"]
    assert tab.model.rowCount() == 2 and editor.status_label.text() == "Draft"
    assert [p["team"] for p in document["parties"]] == ["marketing", "sales"]
    assert editor.party_titles["marketing"].text() == document["parties"][0]["title"]
    assert editor.commitments.rowCount() == len(document["commitments"]) >= 2
    # Its review meetings are on the calendar, and undo takes the whole draft away.
    assert review_item(plan, new_id)
    window.undo_action.trigger()
    assert [s.id for s in sla_service.list_sla_summaries(plan)] == [SLA_ID]
    assert review_item(plan, new_id) == [] and tab.current_sla_id() == SLA_ID
    window.redo_action.trigger()
    assert stored(plan, new_id)["title"] == document["title"]


def test_duplicate_makes_an_unsigned_copy(
    qtbot, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    click(qtbot, tab.duplicate_button)
    copy_id = tab.current_sla_id()
    assert copy_id != SLA_ID
    copy = stored(plan, copy_id)
    assert copy["title"] == "Sales and marketing SLA (copy)" and copy["status"] == "draft"
    assert all(s["signed_on"] is None for s in copy["signatories"])
    assert copy["commitments"] == stored(plan)["commitments"]
    assert editor.title_edit.text() == "Sales and marketing SLA (copy)"


def test_delete_asks_first_and_can_be_undone(
    qtbot, window: MainWindow, tab: SlasTab, plan: Plan, boxes
) -> None:
    boxes.answer = boxes.answer.__class__.Cancel
    click(qtbot, tab.delete_button)
    assert "Delete “Sales and marketing SLA” with its 1 version" in boxes.texts()
    assert tab.model.rowCount() == 1
    boxes.answer = boxes.answer.__class__.Yes
    click(qtbot, tab.delete_button)
    assert sla_service.list_sla_summaries(plan) == []
    assert review_item(plan) == []
    assert tab.pages.currentWidget() is tab.empty and tab.current_sla_id() is None
    assert not window.export_sla_action.isEnabled()
    window.undo_action.trigger()
    assert stored(plan)["signatories"][0]["signed_on"] is not None
    assert tab.current_sla_id() == SLA_ID and review_item(plan)
    assert window.export_sla_action.isEnabled()


# --- versions --------------------------------------------------------------------------


def sign_all(plan: Plan, sla_id: str = SLA_ID) -> dict[str, Any]:
    """The other party signs (outside this window, e.g. a second window)."""
    document = stored(plan, sla_id)
    for position, signer in enumerate(document["signatories"]):
        if not signer["signed_on"]:
            document = sla_service.record_signature(
                plan, sla_id, position, on=dt.date(2027, 1, 9), row_version=document["row_version"]
            )
    return document


def test_editing_a_signed_agreement_makes_version_two_and_keeps_version_one_readable(
    qtbot,
    window: MainWindow,
    tab: SlasTab,
    editor: SlaEditor,
    plan: Plan,
    tmp_path,
    monkeypatch,
    boxes,
) -> None:
    sign_all(plan)
    tab.refresh()
    assert editor.banner.text().startswith("Signed — editing creates version 2")
    show_page(editor, "commitmentsPage")
    edit_cell(qtbot, editor.commitments_table, 0, 2, "150")
    document = stored(plan)
    assert (document["version"], document["status"]) == (2, "draft")
    assert editor.version_label.text() == "Version 2" and editor.status_label.text() == "Draft"
    assert "Draft of version 2" in editor.banner.text()
    assert tab.model.data(tab.model.index(0, 2)) == "v2"
    # The history lists both versions with what changed.
    show_page(editor, "historyPage")
    tree = editor.history.tree
    assert [tree.topLevelItem(n).text(0) for n in range(2)] == ["Version 2", "Version 1"]
    assert tree.topLevelItem(1).text(1) == "Signed" and tree.topLevelItem(1).text(2) != ""
    assert editor.history.changes.toPlainText() == "Commitment “MQLs delivered”: target 120 → 150"
    # Version 1 is shown as it was signed, and printed as such.
    tree.setCurrentItem(tree.topLevelItem(1))
    assert editor.history.changes.toPlainText() == "The first version."
    click(qtbot, editor.history.show_button)
    text = tab.preview.toPlainText()
    assert "Version 1 as it was signed" in tab.preview_title.text()
    assert "120 leads" in text and "150" not in text and "DRAFT" not in text
    target = tmp_path / "signed v1.pdf"
    monkeypatch.setattr(
        "smarketing_desktop.gui.sla_export.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(target), "PDF documents (*.pdf)"),
    )
    boxes.answer = boxes.answer.__class__.Close
    click(qtbot, editor.history.export_button)
    pages = pdf_pages(target)
    assert "Version 1 · Signed" in pages[0] and "DRAFT" not in "".join(pages)
    assert "120 leads" in "".join(pages)
    click(qtbot, editor.history.show_button)  # back to the live text
    assert "150 leads" in tab.preview.toPlainText()
    # Undo goes back to the signed version 1 and its history entry disappears.
    window.undo_action.trigger()
    document = stored(plan)
    assert (document["version"], document["status"], document["history"]) == (1, "signed", [])
    assert tree.topLevelItemCount() == 1


def pdf_pages(path) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


# --- the PDF from the GUI --------------------------------------------------------------


def test_export_sla_as_pdf_from_the_file_menu_and_open_it(
    qtbot, window: MainWindow, tab: SlasTab, plan: Plan, tmp_path, monkeypatch, boxes
) -> None:
    asked: list[str] = []
    target = tmp_path / "agreement"

    def save_name(_parent, caption, proposed, _filter):
        asked.append(proposed)
        return str(target), "PDF documents (*.pdf)"

    opened: list[str] = []
    monkeypatch.setattr("smarketing_desktop.gui.sla_export.QFileDialog.getSaveFileName", save_name)
    monkeypatch.setattr(
        "smarketing_desktop.gui.sla_export.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    window.tabs.setCurrentWidget(window.team)
    boxes.answer = boxes.answer.__class__.Open
    window.export_sla_action.trigger()
    written = tmp_path / "agreement.pdf"  # the extension is added
    assert window.tabs.currentWidget() is tab
    assert asked and asked[0].endswith("sales-and-marketing-sla-v1.pdf")
    assert written.is_file() and opened == [str(written)]
    assert "SLA exported" in boxes.texts()
    text = " ".join(" ".join(pdf_pages(written)).split())
    for part in ("Sales and marketing SLA", "MQLs delivered", "Ted Okafor", "Page 1 of", "DRAFT"):
        assert part in text


def test_a_failed_export_shows_why_and_leaves_no_file(
    qtbot, window: MainWindow, tab: SlasTab, plan: Plan, tmp_path, monkeypatch, boxes
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "sla.pdf"
    target.write_bytes(b"the previous export")
    monkeypatch.setattr(
        "smarketing_desktop.gui.sla_export.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(target), ""),
    )

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("smarketing_desktop.exchange.files.os.replace", disk_full)
    click(qtbot, tab.export_button)
    assert "Cannot export the SLA" in boxes.texts() and "No space left on device" in boxes.texts()
    assert sorted(p.name for p in folder.iterdir()) == ["sla.pdf"]
    assert target.read_bytes() == b"the previous export"
    assert QApplication.overrideCursor() is None


def test_export_without_an_agreement_says_so(
    qtbot, window: MainWindow, tab: SlasTab, plan: Plan, boxes
) -> None:
    boxes.answer = boxes.answer.__class__.Yes
    click(qtbot, tab.delete_button)
    assert tab.export_pdf() is None
    assert "Choose an agreement in the list first." in boxes.texts()


# --- other windows, undo of everything, models --------------------------------------------


def test_a_change_from_elsewhere_is_shown_and_a_stale_edit_is_refused(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan, boxes
) -> None:
    # Someone signs in another window: this one shows it when it next refreshes.
    sign_all(plan)
    # Meanwhile this window still holds the text it read before: saving it is refused
    # (the user is told) and the form shows what is stored.
    retype(qtbot, editor.title_edit, "My title")
    assert "changed in another window" in boxes.texts()
    assert stored(plan)["title"] == "Sales and marketing SLA"
    assert stored(plan)["status"] == "signed"
    assert editor.title_edit.text() == "Sales and marketing SLA"
    assert editor.status_label.text() == "Signed"


def test_every_edit_undoes_back_to_the_start_and_redoes_to_the_end(
    qtbot, window: MainWindow, editor: SlaEditor, plan: Plan
) -> None:
    def plain(document):
        return {k: v for k, v in document.items() if k != "row_version"}

    start = plain(stored(plan))
    retype(qtbot, editor.title_edit, "Pact")
    retype(qtbot, editor.party_titles["sales"], "Chief Revenue Officer")
    show_page(editor, "commitmentsPage")
    edit_cell(qtbot, editor.commitments_table, 1, 2, "30")
    show_page(editor, "sectionsPage")
    click(qtbot, editor.buttons["addSectionButton"])
    show_page(editor, "reviewsPage")
    retype(qtbot, editor.reviews.location, "Zoom")
    click(qtbot, editor.send_button)
    end = plain(stored(plan))
    stack = window.context.undo_stack
    assert stack.count() == 6
    while stack.canUndo():
        window.undo_action.trigger()
    assert plain(stored(plan)) == start
    assert editor.title_edit.text() == start["title"]
    while stack.canRedo():
        window.redo_action.trigger()
    assert plain(stored(plan)) == end
    assert (
        editor.reviews.location.text() == "Zoom"
        and editor.status_label.text() == "Out for signature"
    )


def test_the_editor_models_pass_the_model_tester(qtmodeltester, editor: SlaEditor) -> None:
    for model in (editor.definitions, editor.commitments, editor.signatories):
        qtmodeltester.check(model, force_py=True)


def test_the_preview_waits_for_a_pause_in_typing(
    qtbot, tab: SlasTab, editor: SlaEditor, monkeypatch
) -> None:
    renders: list[str] = []
    original = tab.preview.setHtml
    monkeypatch.setattr(tab.preview, "setHtml", lambda html: (renders.append(html), original(html)))
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " with a much longer name")
    assert renders == []  # nothing rendered while keys arrive
    qtbot.waitUntil(lambda: bool(renders))
    qtbot.wait(400)
    assert len(renders) <= 2 and "with a much longer name" in renders[-1]


def test_typing_then_choosing_another_agreement_saves_the_first_and_opens_the_second(
    qtbot, window: MainWindow, tab: SlasTab, editor: SlaEditor, plan: Plan
) -> None:
    trigger_template(tab, "one-page")
    other = tab.current_sla_id()
    tab.select(SLA_ID)
    assert editor.title_edit.text() == "Sales and marketing SLA"
    editor.title_edit.setFocus()
    editor.title_edit.end(False)
    qtbot.keyClicks(editor.title_edit, " (v2 draft)")
    # Clicking the list first takes the focus from the field, which saves the typing; the
    # list can also change without that (the keyboard, another part of the window).
    tab.select(other)
    assert stored(plan)["title"] == "Sales and marketing SLA (v2 draft)"
    assert tab.current_sla_id() == other
    assert tab.table.currentIndex().data(Qt.ItemDataRole.UserRole) == other
    assert editor.title_edit.text() == stored(plan, other)["title"]
    assert stored(plan, other)["title"] == "One-page sales and marketing SLA"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_a_target_shown_in_the_table_reads_back_as_the_same_number(value: float) -> None:
    column = COMMITMENT_COLUMNS[2]
    shown = column.label(value)  # "1,200" as the table shows it
    assert parse_number(shown) == pytest.approx(value, rel=1e-2, abs=1e-2)


@given(st.text(max_size=30))
def test_any_typed_target_is_a_number_nothing_or_refused(text: str) -> None:
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value is None or (isinstance(value, float) and math.isfinite(value))


def test_the_split_is_saved_only_once_seen_and_restored_usable(qtbot, plan: Plan) -> None:
    from smarketing_desktop.gui import settings

    first = MainWindow(plan)
    qtbot.addWidget(first)
    first.resize(1280, 800)
    first.show()  # the SLAs tab is never opened
    first.close()
    assert settings.SLA_SPLITTER.get().isEmpty()

    second = MainWindow(plan)
    qtbot.addWidget(second)
    second.resize(1280, 800)
    second.show()
    second.tabs.setCurrentWidget(second.slas)
    work = second.slas.work
    qtbot.waitUntil(lambda: min(work.sizes()) > 0)
    total = sum(work.sizes())
    work.setSizes([total - 400, 400])
    qtbot.wait(10)
    second.close()
    assert not settings.SLA_SPLITTER.get().isEmpty()

    # A state saved crushed (by an older version) is not shown crushed.
    third = MainWindow(plan)
    qtbot.addWidget(third)
    third.resize(1280, 800)
    third.show()
    third.slas.work.setSizes([total - 5, 5])
    settings.SLA_SPLITTER.set(third.slas.work.saveState())
    third.close()
    fourth = MainWindow(plan)
    qtbot.addWidget(fourth)
    fourth.resize(1280, 800)
    fourth.show()
    fourth.tabs.setCurrentWidget(fourth.slas)
    qtbot.waitUntil(lambda: fourth.slas.work.sizes()[1] >= 200)
