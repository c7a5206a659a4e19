"""The Personas tab driven like a user: cards, search, the editor, undo, delete, coverage, PDF."""

from __future__ import annotations

import base64
import io
import json

import pypdf
import pytest
from dateutil.relativedelta import relativedelta
from PIL import Image
from sqlalchemy import select

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QScrollArea

from smarketing_desktop.domain.periods import coming_months
from smarketing_desktop.domain.words import BuyingStage
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.gui import item_commands
from smarketing_desktop.gui.list_editor import ROW_MIME, ListEditor
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.personas_tab import PersonasTab
from smarketing_desktop.services import personas as service
from smarketing_desktop.store import models

HOSTILE = '<b>Bob</b> & <img src="x">'
OLIVIA, IAN = "ops-olivia", "it-ian"


@pytest.fixture
def tab(window: MainWindow, qtbot) -> PersonasTab:
    window.tabs.setCurrentWidget(window.personas)
    qtbot.waitUntil(window.personas.isVisible)
    return window.personas


def stored(window: MainWindow, persona_id: str) -> dict:
    return service.get_persona(window.plan, persona_id)


def open_persona(tab: PersonasTab, persona_id: str) -> None:
    tab.open_persona(persona_id)
    assert tab.editor.persona_id == persona_id


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    write(qtbot, widget, text)


def write(qtbot, widget, text: str) -> None:
    """Type ASCII key by key; other scripts arrive as typed through an input method."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
    elif isinstance(widget, QLineEdit):
        widget.insert(text)
    else:
        widget.insertPlainText(text)


def double_click(qtbot, widget, pos) -> None:
    """A real double-click: the first click, then the second one."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def leave(qtbot, widget) -> None:
    """Move the focus on, as a user pressing Tab does (the field is saved)."""
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


# --- cards and search ---------------------------------------------------------------------


def test_cards_show_every_persona_and_search_filters_them(qtbot, window, tab) -> None:
    assert [card.name for card in tab.model.cards] == ["IT Director Ian", "Operations Olivia"]
    assert tab.summary.text() == "2 personas"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is tab.search
    qtbot.keyClicks(tab.search, "downtime")  # in Olivia's goals only
    assert [card.id for card in tab.model.cards] == [OLIVIA]
    assert tab.summary.text() == "2 personas · 1 found"
    assert tab.editor.persona_id == OLIVIA
    tab.search.clear()
    assert len(tab.model.cards) == 2


def test_ctrl_f_belongs_to_the_personas_tab_only_while_it_is_shown(qtbot, window, tab) -> None:
    window.tabs.setCurrentWidget(window.team)
    window.team.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not tab.search
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.coverage_mode, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.views.currentWidget() is tab.splitter
    assert QApplication.focusWidget() is tab.search


def test_choosing_a_card_opens_it_in_the_editor(qtbot, tab) -> None:
    row = next(n for n, c in enumerate(tab.model.cards) if c.id == IAN)
    rect = tab.list.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.editor.persona_id == IAN
    assert tab.editor.line_edits["name"].text() == "IT Director Ian"
    assert tab.editor.lists["goals"].rows() == [
        [g] for g in service.get_persona(tab.context.plan, IAN)["goals"]
    ]


# --- editing every field ------------------------------------------------------------------


def test_typing_in_each_text_field_is_stored(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    editor = tab.editor
    for field, text in (
        ("name", " (CIO)"),
        ("role", " · Лиссабон"),
        ("company_size", " · 5k+"),
        ("industry", " · Ελλάδα"),
    ):
        edit = editor.line_edits[field]
        edit.setFocus()
        edit.end(False)
        write(qtbot, edit, text)
        leave(qtbot, edit)
    for field in ("quote", "notes"):
        edit = editor.text_edits[field]
        edit.setFocus()
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        qtbot.keyClicks(edit, " typed")
        edit.insertPlainText(" שלום 🚚")
        edit.clearFocus()
    persona = stored(window, IAN)
    assert persona["name"] == "IT Director Ian (CIO)"
    assert persona["role"] == "Director of IT · Лиссабон"
    assert persona["company_size"].endswith(" · 5k+")
    assert persona["industry"].endswith(" · Ελλάδα")
    assert persona["quote"].endswith(" typed שלום 🚚")
    assert persona["notes"].endswith(" typed שלום 🚚")
    # The card shows the new name at once.
    assert "IT Director Ian (CIO)" in [card.name for card in tab.model.cards]


def test_text_is_saved_a_moment_after_the_last_key(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    notes = tab.editor.text_edits["notes"]
    type_into(qtbot, notes, "Met at the fair")
    assert stored(window, IAN)["notes"] == ""  # not per key …
    qtbot.waitUntil(lambda: stored(window, IAN)["notes"] == "Met at the fair", timeout=3000)


def test_undo_while_typing_saves_the_typing_as_a_step_first(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    type_into(qtbot, tab.editor.line_edits["industry"], "!")
    leave(qtbot, tab.editor.line_edits["industry"])  # an earlier step: Undo is enabled
    role = tab.editor.line_edits["role"]
    before = stored(window, IAN)["role"]
    role.setFocus()
    role.end(False)
    qtbot.keyClicks(role, " and CISO")
    window.undo_action.trigger()  # the toolbar button: the field keeps the focus
    assert stored(window, IAN)["role"] == before and role.text() == before
    assert stored(window, IAN)["industry"].startswith("!")
    window.redo_action.trigger()
    assert stored(window, IAN)["role"] == f"{before} and CISO" == role.text()


def test_cards_keep_their_places_while_a_name_is_typed(qtbot, window, tab) -> None:
    assert [card.id for card in tab.model.cards] == [IAN, OLIVIA]
    open_persona(tab, IAN)
    name = tab.editor.line_edits["name"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Zoe")
    tab.editor.flush()  # the pause in typing: the name is stored
    assert stored(window, IAN)["name"] == "Zoe"
    assert [card.id for card in tab.model.cards] == [IAN, OLIVIA]  # not under the mouse
    assert tab.model.cards[0].name == "Zoe"
    leave(qtbot, name)
    qtbot.waitUntil(lambda: [card.id for card in tab.model.cards] == [OLIVIA, IAN])


def test_combos_store_buying_role_and_stage(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    role = tab.editor.buying_role
    role.setFocus()
    qtbot.keyClick(role, Qt.Key.Key_Up)  # gatekeeper → user
    assert stored(window, IAN)["buying_role"] == "user"
    stage = tab.editor.buying_stage
    stage.setFocus()
    qtbot.keyClick(stage, Qt.Key.Key_Down)  # awareness → consideration
    assert stored(window, IAN)["buying_stage"] == "consideration"
    window.undo_action.trigger()
    assert stored(window, IAN)["buying_stage"] == "awareness"
    assert stage.currentData() == "awareness"


def test_consecutive_typing_in_one_field_is_one_undo_step(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    stack = window.context.undo_stack
    before = stack.count()
    name = tab.editor.line_edits["name"]
    name.setFocus()
    name.end(False)
    qtbot.keyClicks(name, " A")
    qtbot.waitUntil(lambda: stored(window, IAN)["name"].endswith(" A"), timeout=3000)
    qtbot.keyClicks(name, "BC")
    qtbot.waitUntil(lambda: stored(window, IAN)["name"].endswith(" ABC"), timeout=3000)
    leave(qtbot, name)
    assert stack.count() == before + 1
    assert stack.undoText() == "Edit name"
    window.undo_action.trigger()
    assert stored(window, IAN)["name"] == "IT Director Ian"
    assert name.text() == "IT Director Ian"
    window.redo_action.trigger()
    assert stored(window, IAN)["name"] == "IT Director Ian ABC"
    assert name.text() == "IT Director Ian ABC"
    # Typing again after leaving the field is a new step.
    name.setFocus()
    name.end(False)
    qtbot.keyClicks(name, "!")
    leave(qtbot, name)
    assert stack.count() == before + 2


def test_a_name_left_blank_is_not_stored(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    name = tab.editor.line_edits["name"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Backspace)
    leave(qtbot, name)
    assert stored(window, IAN)["name"] == "IT Director Ian"
    assert name.text() == "IT Director Ian"
    assert boxes.shown == []


# --- list fields --------------------------------------------------------------------------


def inline_field(qtbot, editor: ListEditor) -> QLineEdit:
    """The line edit that opened inside the list to edit an entry."""

    def opened() -> bool:
        widget = QApplication.focusWidget()
        return isinstance(widget, QLineEdit) and editor.view.isAncestorOf(widget)

    qtbot.waitUntil(opened)
    return QApplication.focusWidget()


def add_entry(qtbot, editor: ListEditor, *texts: str) -> None:
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    for text in texts:
        field = inline_field(qtbot, editor)
        write(qtbot, field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda f=field: QApplication.focusWidget() is not f)
    qtbot.waitUntil(lambda: not editor.adding)
    qtbot.waitUntil(lambda: editor.view.topLevelItemCount() == len(editor.rows()))


def select_row(qtbot, editor: ListEditor, row: int) -> None:
    item = editor.view.topLevelItem(row)
    rect = editor.view.visualItemRect(item)
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.selected_row() == row


def test_list_entries_are_added_edited_removed_and_reordered(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    goals = tab.editor.lists["goals"]
    start = stored(window, IAN)["goals"]
    assert start == ["Keep the OT network secure", "Fewer tools to support"]

    add_entry(qtbot, goals, "Pass the audit")
    assert stored(window, IAN)["goals"] == [*start, "Pass the audit"]
    assert goals.rows()[-1] == ["Pass the audit"]

    select_row(qtbot, goals, 2)
    qtbot.mouseClick(goals.up_button, Qt.MouseButton.LeftButton)
    assert stored(window, IAN)["goals"] == [start[0], "Pass the audit", start[1]]
    assert goals.selected_row() == 1

    select_row(qtbot, goals, 0)
    qtbot.mouseClick(goals.down_button, Qt.MouseButton.LeftButton)
    assert stored(window, IAN)["goals"] == ["Pass the audit", start[0], start[1]]

    # Inline edit: F2 on the selected entry.
    select_row(qtbot, goals, 0)
    qtbot.keyClick(goals.view, Qt.Key.Key_F2)
    field = inline_field(qtbot, goals)
    field.selectAll()
    qtbot.keyClicks(field, "Pass the ISO audit")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(window, IAN)["goals"][0] == "Pass the ISO audit")

    select_row(qtbot, goals, 1)
    qtbot.keyClick(goals.view, Qt.Key.Key_Delete)
    assert stored(window, IAN)["goals"] == ["Pass the ISO audit", start[1]]
    select_row(qtbot, goals, 1)
    qtbot.mouseClick(goals.remove_button, Qt.MouseButton.LeftButton)
    assert stored(window, IAN)["goals"] == ["Pass the ISO audit"]

    # Every one of those was an undo step; undoing them all gives the original list back.
    stack = window.context.undo_stack
    texts = [stack.text(n) for n in range(stack.count())]
    assert texts[-6:] == [
        "Add goal",
        "Move goal",
        "Move goal",
        "Edit goal",
        "Remove goal",
        "Remove goal",
    ], texts
    for _ in range(6):
        window.undo_action.trigger()
    assert boxes.shown == []
    assert stored(window, IAN)["goals"] == start
    assert goals.rows() == [[g] for g in start]


def test_a_list_entry_can_be_dragged_to_another_place(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    sources = tab.editor.lists["information_sources"]
    start = stored(window, IAN)["information_sources"]
    assert len(start) == 3
    # Drop the first entry below the last one: a drag carries only the row number.
    data = QMimeData()
    data.setData(ROW_MIME, b"0")
    last = sources.view.visualItemRect(sources.view.topLevelItem(2))
    point = QPointF(last.center().x(), last.bottom() - 2)
    viewport = sources.view.viewport()
    for kind in (QDragEnterEvent, QDragMoveEvent, QDropEvent):
        event = kind(
            point if kind is QDropEvent else point.toPoint(),
            Qt.DropAction.MoveAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    assert stored(window, IAN)["information_sources"] == [start[1], start[2], start[0]]
    assert [row[0] for row in sources.rows()] == [start[1], start[2], start[0]]
    window.undo_action.trigger()
    assert stored(window, IAN)["information_sources"] == start


def test_an_empty_new_entry_is_dropped_and_a_blanked_one_comes_back(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    channels = tab.editor.lists["channels"]
    start = stored(window, IAN)["channels"]
    qtbot.mouseClick(channels.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(inline_field(qtbot, channels), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: channels.view.topLevelItemCount() == len(start))
    select_row(qtbot, channels, 0)
    qtbot.keyClick(channels.view, Qt.Key.Key_F2)
    field = inline_field(qtbot, channels)
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: channels.view.topLevelItem(0).text(0) == start[0])
    assert stored(window, IAN)["channels"] == start


def test_nul_bytes_in_an_entry_are_refused_clearly(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    customers = tab.editor.lists["customers"]
    start = stored(window, IAN)["customers"]
    qtbot.mouseClick(customers.add_button, Qt.MouseButton.LeftButton)
    field = inline_field(qtbot, customers)
    field.insert("Pasted\x00text")  # as if pasted
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(boxes.shown))
    assert "persona.customers[2]: contains a NUL character" in boxes.texts()
    assert stored(window, IAN)["customers"] == start
    qtbot.waitUntil(lambda: customers.view.topLevelItemCount() == len(start))


def test_nul_bytes_pasted_into_a_field_are_dropped_and_the_rest_kept(
    qtbot, window, tab, boxes
) -> None:
    open_persona(tab, IAN)
    quote = tab.editor.text_edits["quote"]
    quote.setFocus()
    quote.selectAll()
    quote.insertPlainText("Null\x00byte <b>x</b>\x00")
    assert quote.toPlainText() == "Nullbyte <b>x</b>"
    qtbot.keyClicks(quote, "!")
    leave(qtbot, quote)
    role = tab.editor.line_edits["role"]
    role.setFocus()
    role.end(False)
    role.insert("\x00CISO")
    qtbot.keyClicks(role, "!")
    leave(qtbot, role)
    assert stored(window, IAN)["quote"] == "Nullbyte <b>x</b>!"
    assert stored(window, IAN)["role"] == "Director of ITCISO!"
    assert role.text() == "Director of ITCISO!"
    assert boxes.shown == []


def test_insights_record_who_said_what(qtbot, window, tab) -> None:
    open_persona(tab, OLIVIA)
    sales = tab.editor.lists["insights_sales"]
    before = stored(window, OLIVIA)["insights_sales"]
    add_entry(qtbot, sales, "Ted", HOSTILE)
    assert stored(window, OLIVIA)["insights_sales"] == [
        *before,
        {"who": "Ted", "text": HOSTILE},
    ]
    assert sales.rows()[-1] == ["Ted", HOSTILE]
    # The tooltip shows the text literally (escaped for Qt's rich-text guess).
    item = sales.view.topLevelItem(sales.view.topLevelItemCount() - 1)
    assert "&lt;b&gt;Bob&lt;/b&gt; &amp; &lt;img" in item.toolTip(1)
    marketing = tab.editor.lists["insights_marketing"]
    add_entry(qtbot, marketing, "", "Reads every case study")
    assert stored(window, OLIVIA)["insights_marketing"][-1] == {
        "who": "",
        "text": "Reads every case study",
    }


def test_tab_moves_from_who_to_what_and_keeps_the_insight(qtbot, window, tab) -> None:
    open_persona(tab, OLIVIA)
    sales = tab.editor.lists["insights_sales"]
    before = stored(window, OLIVIA)["insights_sales"]
    qtbot.mouseClick(sales.add_button, Qt.MouseButton.LeftButton)
    who = inline_field(qtbot, sales)
    qtbot.keyClicks(who, "Lena")
    qtbot.keyClick(who, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not who)
    what = inline_field(qtbot, sales)
    assert sales.view.currentColumn() == 1
    qtbot.keyClicks(what, "Wants SSO")
    qtbot.keyClick(what, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not sales.adding)
    assert stored(window, OLIVIA)["insights_sales"] == [
        *before,
        {"who": "Lena", "text": "Wants SSO"},
    ]
    assert sales.rows()[-1] == ["Lena", "Wants SSO"]


def test_clicking_away_from_an_insight_keeps_it(qtbot, window, tab) -> None:
    open_persona(tab, OLIVIA)
    sales = tab.editor.lists["insights_sales"]
    qtbot.mouseClick(sales.add_button, Qt.MouseButton.LeftButton)
    who = inline_field(qtbot, sales)
    qtbot.keyClick(who, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not who)
    what = inline_field(qtbot, sales)
    qtbot.keyClicks(what, "Asks for references")
    tab.editor.line_edits["role"].setFocus()
    qtbot.waitUntil(lambda: not sales.adding)
    assert stored(window, OLIVIA)["insights_sales"][-1] == {
        "who": "",
        "text": "Asks for references",
    }


# --- the picture ----------------------------------------------------------------------------


def test_a_picture_is_chosen_scaled_and_removed(qtbot, window, tab, tmp_path, monkeypatch) -> None:
    open_persona(tab, IAN)
    photo = tmp_path / "ian.jpg"
    Image.new("RGB", (1600, 1000), "#4a90d9").save(photo)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(photo), ""))
    qtbot.mouseClick(tab.editor.choose_picture, Qt.MouseButton.LeftButton)
    picture = stored(window, IAN)["picture"]
    assert picture is not None
    with Image.open(io.BytesIO(base64.b64decode(picture))) as image:
        assert image.size == (512, 320)
    assert tab.editor.remove_picture.isEnabled()
    card = next(c for c in tab.model.cards if c.id == IAN)
    assert card.picture == base64.b64decode(picture)
    qtbot.mouseClick(tab.editor.remove_picture, Qt.MouseButton.LeftButton)
    assert stored(window, IAN)["picture"] is None
    window.undo_action.trigger()
    assert stored(window, IAN)["picture"] == picture


def test_a_file_that_is_not_an_image_is_refused_clearly(
    qtbot, window, tab, tmp_path, monkeypatch, boxes
) -> None:
    open_persona(tab, IAN)
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(text), ""))
    before = window.context.undo_stack.count()
    qtbot.mouseClick(tab.editor.choose_picture, Qt.MouseButton.LeftButton)
    assert [(kind, title) for kind, title, _text in boxes.shown] == [
        ("warning", "Cannot use this picture")
    ]
    assert (
        "“notes.png” is not a picture. Choose a PNG, JPEG, GIF, BMP, WebP or TIFF image."
        in boxes.shown[0][2]
    )
    assert stored(window, IAN)["picture"] is None
    assert window.context.undo_stack.count() == before


# --- another window ---------------------------------------------------------------------------


def test_a_change_made_in_another_window_is_not_overwritten(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    elsewhere = stored(window, IAN)
    service.save_persona(window.plan, dict(elsewhere, role="Changed elsewhere"))
    role = tab.editor.line_edits["role"]
    type_into(qtbot, role, " typed here")
    leave(qtbot, role)
    assert "changed in another window" in boxes.texts()
    assert stored(window, IAN)["role"] == "Changed elsewhere"
    assert role.text() == "Changed elsewhere"


# --- new, template, duplicate, delete ------------------------------------------------------


def test_new_from_a_template_blank_and_duplicate_with_undo(qtbot, window, tab) -> None:
    actions = {a.text(): a for a in tab.new_menu.actions()}
    actions["From template: Technical gatekeeper"].trigger()
    created = tab.editor.document
    assert created["buying_role"] == "gatekeeper" and created["objections"]
    assert QApplication.focusWidget() is tab.editor.line_edits["name"]
    qtbot.keyClicks(tab.editor.line_edits["name"], "Security Sam")
    leave(qtbot, tab.editor.line_edits["name"])
    assert stored(window, created["id"])["name"] == "Security Sam"

    qtbot.mouseClick(tab.duplicate_button, Qt.MouseButton.LeftButton)
    copy = tab.editor.document
    assert copy["name"] == "Security Sam (copy)" and copy["id"] != created["id"]
    assert {k: v for k, v in copy.items() if k not in ("id", "name", "row_version")} == {
        k: v
        for k, v in stored(window, created["id"]).items()
        if k not in ("id", "name", "row_version")
    }
    actions["Blank persona"].trigger()
    blank = tab.editor.document
    assert blank["name"] == "New persona" and blank["goals"] == []
    assert len(tab.model.cards) == 5

    window.undo_action.trigger()  # the blank one
    window.undo_action.trigger()  # the copy
    ids = [card.id for card in tab.model.cards]
    assert blank["id"] not in ids and copy["id"] not in ids
    window.redo_action.trigger()
    assert stored(window, copy["id"])["name"] == "Security Sam (copy)"
    assert tab.editor.persona_id == copy["id"]


def test_delete_shows_the_linked_items_first_and_undo_relinks_them(
    qtbot, window, tab, boxes
) -> None:
    before = plan_json.export_plan(window.plan)
    linked = service.linked_items(window.plan, OLIVIA)
    assert linked
    open_persona(tab, OLIVIA)
    boxes.answer = boxes.answer.Cancel
    tab.list.setFocus()
    qtbot.keyClick(tab.list, Qt.Key.Key_Delete)
    kind, title, text = boxes.shown[-1]
    assert (kind, title) == ("question", "Delete persona")
    assert "Operations Olivia" in text
    for item_title in linked[:12]:
        assert item_title.replace("&", "&amp;") in text
    assert stored(window, OLIVIA)  # cancelled: still there

    boxes.answer = boxes.answer.Yes
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert OLIVIA not in [card.id for card in tab.model.cards]
    assert service.linked_items(window.plan, OLIVIA) == []
    assert tab.editor.persona_id == IAN
    window.undo_action.trigger()
    assert plan_json.export_plan(window.plan) == before
    assert tab.editor.persona_id == OLIVIA


def olivia_links(window: MainWindow) -> list[tuple[str, int]]:
    """(item uid, position) of every item targeting Olivia, read from the store."""
    with window.plan.read() as session:
        rows = session.execute(
            select(models.Item.uid, models.ItemPersona.position)
            .join(models.ItemPersona, models.ItemPersona.item_id == models.Item.id)
            .where(models.ItemPersona.persona_id == OLIVIA)
            .order_by(models.Item.uid)
        ).all()
    return [(uid, position) for uid, position in rows]


def test_undo_of_a_delete_relinks_items_restored_in_the_meantime(qtbot, window, tab) -> None:
    links = olivia_links(window)
    assert len(links) >= 2
    uid = links[0][0]
    open_persona(tab, OLIVIA)
    assert tab.delete_selected()
    assert olivia_links(window) == []
    # The item is deleted and brought back: it gets a new row id, same uid.
    window.context.execute(item_commands.delete_items(window.context, [uid]))
    window.undo_action.trigger()
    window.undo_action.trigger()  # the persona delete
    assert olivia_links(window) == links
    window.redo_action.trigger()
    assert olivia_links(window) == []
    window.undo_action.trigger()
    assert olivia_links(window) == links
    assert OLIVIA in [card.id for card in tab.model.cards]


def test_deleting_an_unlinked_persona_says_so(qtbot, window, tab, boxes) -> None:
    tab.new_blank()
    new_id = tab.editor.persona_id
    assert tab.delete_selected()
    assert "No item on the calendar targets this persona." in boxes.shown[-1][2]
    assert new_id not in [card.id for card in tab.model.cards]


def test_deleting_the_last_persona_shows_the_empty_state(qtbot, window, tab) -> None:
    for _ in range(2):
        assert tab.delete_selected()
    assert tab.pages.currentWidget() is tab.empty
    assert not tab.duplicate_button.isEnabled()
    window.undo_action.trigger()
    assert tab.pages.currentWidget() is tab.editor


# --- hostile text ---------------------------------------------------------------------------


def test_hostile_names_show_literally(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    name = tab.editor.line_edits["name"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, HOSTILE)
    leave(qtbot, name)
    assert stored(window, IAN)["name"] == HOSTILE
    row = next(n for n, c in enumerate(tab.model.cards) if c.id == IAN)
    index = tab.model.index(row, 0)
    assert index.data() == HOSTILE
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert '&lt;b&gt;Bob&lt;/b&gt; &amp; &lt;img src="x"&gt;' in tooltip
    assert "<b>Bob</b>" not in tooltip
    boxes.answer = boxes.answer.Cancel
    tab.delete_selected()
    assert "&lt;b&gt;Bob&lt;/b&gt;" in boxes.shown[-1][2]
    coverage = tab.journey.model
    tab.journey.refresh()
    row = next(n for n, p in enumerate(coverage.personas) if p.id == IAN)
    assert coverage.headerData(row, Qt.Orientation.Vertical) == HOSTILE
    cell_tip = coverage.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;Bob&lt;/b&gt;" in cell_tip and "<b>Bob</b>" not in cell_tip
    window.grab()  # paints the cards and the editor without a warning


def test_long_words_and_scripts_do_not_widen_the_window(qtbot, window, tab) -> None:
    open_persona(tab, IAN)
    long_word = "Донаудампфшиффахртсгезельшафтскапитän" * 8
    editor = tab.editor
    notes = editor.text_edits["notes"]
    type_into(qtbot, notes, long_word + " مرحبا")
    notes.insertPlainText(" 😀")
    notes.clearFocus()
    add_entry(qtbot, editor.lists["goals"], long_word)
    assert stored(window, IAN)["goals"][-1] == long_word
    width = window.width()
    window.grab()
    assert window.width() == width
    assert editor.form.width() <= window.width()


# --- items and coverage ------------------------------------------------------------------------


def test_the_editor_lists_items_of_the_coming_quarter(qtbot, window, tab) -> None:
    open_persona(tab, OLIVIA)
    model = tab.editor.items_model
    expected = service.items_for_persona(window.plan, OLIVIA, *_coming(tab))
    assert [o.uid for o in model.occurrences] == [o.uid for o in expected]
    assert model.rowCount() > 0
    assert "target this persona" in tab.editor.items_note.text()
    scroll = tab.editor.form.findChild(QScrollArea, "scrollArea")
    scroll.ensureWidgetVisible(tab.editor.items_table)
    with qtbot.waitSignal(tab.show_item) as signal:
        index = model.index(0, 0)
        rect = tab.editor.items_table.visualRect(index)
        double_click(qtbot, tab.editor.items_table.viewport(), rect.center())
    assert signal.args == [model.occurrences[0].uid]
    assert window.tabs.currentWidget() is window.calendar
    # The calendar shows that item, selected, on its day.
    assert window.calendar.selected_uids() == [model.occurrences[0].uid]
    assert window.calendar.anchor_day() == model.occurrences[0].start


def _coming(tab: PersonasTab):
    return coming_months(tab.editor.today)


def test_journey_coverage_counts_and_highlights_gaps(qtbot, window, tab) -> None:
    qtbot.mouseClick(tab.coverage_mode, Qt.MouseButton.LeftButton)
    assert tab.views.currentWidget() is tab.journey
    view = tab.journey
    model = view.model
    last = view.first + relativedelta(months=3, days=-1)
    counts = service.journey_coverage(window.plan, view.first, last)
    gaps = 0
    for row, persona in enumerate(model.personas):
        for column, stage in enumerate(BuyingStage):
            index = model.index(row, column)
            number = counts[persona.id][stage]
            assert index.data(Qt.ItemDataRole.UserRole) == number
            if number:
                assert index.data() == f"{number} item{'s' if number != 1 else ''}"
            else:
                gaps += 1
                assert index.data() == "Gap"
                assert index.data(Qt.ItemDataRole.BackgroundRole).name() == "#fff0f0"
                assert "A gap." in index.data(Qt.ItemDataRole.ToolTipRole)
    assert view.summary.text().startswith(f"{gaps} gap") or gaps == 0
    label = view.quarter_label.text()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.quarter_label.text() != label
    qtbot.mouseClick(view.this_quarter, Qt.MouseButton.LeftButton)
    assert view.quarter_label.text() == label
    # Double-clicking a persona's row opens it in the editor.
    rect = view.table.visualRect(model.index(0, 1))
    double_click(qtbot, view.table.viewport(), rect.center())
    assert tab.views.currentWidget() is tab.splitter
    assert tab.editor.persona_id == model.personas[0].id


def test_a_new_item_fills_a_gap(qtbot, window, tab) -> None:
    qtbot.mouseClick(tab.coverage_mode, Qt.MouseButton.LeftButton)
    view = tab.journey
    last = view.first + relativedelta(months=3, days=-1)
    cells = service.journey_items(window.plan, view.first, last)
    persona, stage = next(
        (pid, stage) for pid, stages in cells.items() for stage, e in stages.items() if not e
    )
    kind = {"awareness": "blog_post", "consideration": "webinar", "decision": "promotion"}
    plan_json.import_plan(
        window.plan,
        json.dumps(
            {
                "format": "smarketing-plan",
                "version": 1,
                "items": [
                    {
                        "uid": "gap-filler@test",
                        "title": "<i>Gap</i> filler",
                        "kind": kind[stage.value],
                        "start": view.first.isoformat(),
                        "personas": [persona],
                    }
                ],
            }
        ),
    )
    window.context.changed.emit("items")
    row = next(n for n, p in enumerate(view.model.personas) if p.id == persona)
    column = list(BuyingStage).index(stage)
    index = view.model.index(row, column)
    assert index.data(Qt.ItemDataRole.UserRole) == 1
    assert "&lt;i&gt;Gap&lt;/i&gt; filler" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_models_pass_the_model_tester(qtmodeltester, tab) -> None:
    qtmodeltester.check(tab.journey.model)
    open_persona(tab, OLIVIA)
    qtmodeltester.check(tab.editor.items_model)


# --- PDF ---------------------------------------------------------------------------------------


def test_export_persona_as_pdf_from_the_file_menu(
    qtbot, window, tab, tmp_path, monkeypatch
) -> None:
    open_persona(tab, IAN)
    target = tmp_path / "sheets" / "ian"
    target.parent.mkdir()  # a save dialog only offers folders that exist
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_persona_action.trigger()
    written = target.with_name("ian.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(written).pages)
    assert "IT Director Ian" in text and "Operations Olivia" not in text
    window.export_personas_action.trigger()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(written).pages)
    assert "IT Director Ian" in text and "Operations Olivia" in text
    assert "Exported the persona sheets" in window.statusBar().currentMessage()


def test_a_pdf_that_cannot_be_written_is_reported(
    qtbot, window, tab, tmp_path, monkeypatch, boxes
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    target = blocker / "sheet.pdf"  # a folder that is a file cannot hold it
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert tab.export_pdf() is None
    assert boxes.shown[-1][1] == "Cannot export the persona sheet"


def test_tab_order_follows_the_form(qtbot, tab) -> None:
    open_persona(tab, IAN)
    editor = tab.editor
    editor.line_edits["name"].setFocus()
    order = []
    widget = editor.line_edits["name"]
    for _ in range(8):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            widget = widget.nextInFocusChain()
        order.append(widget)
    assert order[:4] == [
        editor.line_edits["role"],
        editor.choose_picture,
        editor.remove_picture,
        editor.line_edits["company_size"],
    ]


def test_undo_refuses_to_overwrite_a_change_made_elsewhere(qtbot, window, tab, boxes) -> None:
    open_persona(tab, IAN)
    industry = tab.editor.line_edits["industry"]
    industry.setFocus()
    industry.selectAll()
    qtbot.keyClicks(industry, "Retail")
    leave(qtbot, industry)
    assert stored(window, IAN)["industry"] == "Retail"
    # Another window changes the same field; undo must not silently overwrite it.
    service.save_persona(window.plan, dict(stored(window, IAN), industry="Elsewhere"))
    window.undo_action.trigger()
    assert "industry of this persona was changed in another window" in boxes.texts()
    assert stored(window, IAN)["industry"] == "Elsewhere"
    assert industry.text() == "Elsewhere"
    # A change elsewhere to another field does not block undoing this one.
    role = tab.editor.line_edits["role"]
    role.setFocus()
    role.selectAll()
    qtbot.keyClicks(role, "CIO")
    leave(qtbot, role)
    service.save_persona(window.plan, dict(stored(window, IAN), notes="from elsewhere"))
    window.undo_action.trigger()
    assert stored(window, IAN)["role"] == "Director of IT"
    assert stored(window, IAN)["notes"] == "from elsewhere"


def test_the_split_between_cards_and_editor_is_remembered(qtbot, window, tab, plan) -> None:
    qtbot.waitUntil(tab.splitter.isVisible)
    total = sum(tab.splitter.sizes())
    tab.splitter.setSizes([total // 2, total - total // 2])
    sizes = tab.splitter.sizes()
    window.close()
    again = MainWindow(plan)
    qtbot.addWidget(again)
    again.show()
    again.tabs.setCurrentWidget(again.personas)
    qtbot.waitUntil(again.personas.splitter.isVisible)
    assert again.personas.splitter.sizes()[0] == sizes[0]  # the cards keep their width


def test_closing_the_window_saves_what_was_just_typed(qtbot, window, tab, plan) -> None:
    open_persona(tab, IAN)
    notes = tab.editor.text_edits["notes"]
    type_into(qtbot, notes, "Typed just before closing")
    window.close()
    assert service.get_persona(plan, IAN)["notes"] == "Typed just before closing"
