"""User text in Qt's rich text (message boxes, tooltips, labels) is shown as typed.

Qt reads any text that looks like HTML as HTML: a name ``<b>x</b>&<img src=x>`` would turn
bold and show a broken image. Each path is driven as the user reaches it, and what Qt
would show is read back through a QTextDocument, the way Qt renders it.
"""

from __future__ import annotations

import pytest

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QListWidget, QWidget

from smarketing_desktop.domain.people import Person
from smarketing_desktop.gui import rich
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.ical_export_dialogs import SlaIcalDialog
from smarketing_desktop.gui.ical_filter import _fill
from smarketing_desktop.gui.item_dialog import open_item_dialog
from smarketing_desktop.gui.list_editor import ListEditor
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.sla_export import export_to
from smarketing_desktop.services import people, slas

HOSTILE = "<b>x</b>&<img src=x>"


def shown(text: str) -> str:
    """What Qt shows for ``text`` in a label, tooltip or message box (AutoText)."""
    document = QTextDocument()
    if QtGui.Qt.mightBeRichText(text):
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText()


def shows_literally(text: str, wanted: str = HOSTILE) -> bool:
    return wanted in shown(text) and "&lt;" not in shown(text)


@pytest.mark.parametrize(
    "helper",
    [
        rich.message,
        rich.tooltip,
        rich.bold,
        rich.literal_tooltip,
        lambda text: f"<p>{rich.literal(text)}</p>",  # a part of a longer rich text
    ],
)
@pytest.mark.parametrize(
    "text", [HOSTILE, "a & b", "&lt;b&gt;", "שלום <i>עולם</i>", "😀 <br> done", "x" * 300]
)
def test_every_helper_shows_the_text_as_typed(helper, text: str) -> None:
    assert text in shown(helper(text))


def test_nul_characters_are_dropped_from_rich_text() -> None:
    assert shown(rich.message("a\x00b")) == "ab"


def test_removing_a_hostile_person_asks_with_the_name_as_typed(qtbot, window, boxes) -> None:
    person = people.add_person(window.plan, Person(id="", name=HOSTILE, team="sales"))
    window.team.refresh()
    window.team.select(person.id)
    boxes.answer = boxes.answer.Cancel
    window.team.remove_selected()
    kind, _title, text = boxes.shown[-1]
    assert kind == "question" and shows_literally(text)


def test_the_person_dialog_shows_a_typed_address_as_typed(qtbot, window) -> None:
    dialog = window.team.add_person()
    qtbot.keyClicks(dialog.name, "Bob")
    dialog.email.setFocus()
    qtbot.keyClicks(dialog.email, HOSTILE)
    assert dialog.problem.textFormat() == Qt.TextFormat.PlainText
    assert HOSTILE in dialog.problem.text()
    dialog.dialog.reject()


def test_sla_delete_and_export_messages_show_the_title_as_typed(
    qtbot, window: MainWindow, boxes, tmp_path
) -> None:
    document = slas.create_from_template(window.plan, "one-page")
    document = slas.save_sla(window.plan, {**document, "title": HOSTILE})
    tab = window.slas
    window.tabs.setCurrentWidget(tab)
    tab.refresh(select=document["id"])
    boxes.answer = boxes.answer.Cancel
    tab.delete_current()
    assert shows_literally(boxes.shown[-1][2])
    boxes.answer = boxes.answer.Close
    assert export_to(tab, tmp_path / "sla.pdf", slas.get_sla(window.plan, document["id"]))
    assert boxes.shown[-1][1] == "SLA exported" and shows_literally(boxes.shown[-1][2])


def test_error_messages_quote_user_text_as_typed(qtbot, boxes) -> None:
    show_error(None, "That did not work", f"“{HOSTILE}” is not a number.")
    assert shows_literally(boxes.shown[-1][2])


def test_list_entries_and_ical_filter_choices_have_literal_tooltips(qtbot) -> None:
    editor = ListEditor("goal")
    qtbot.addWidget(editor)
    editor.set_rows([[HOSTILE]])
    assert shows_literally(editor.view.topLevelItem(0).toolTip(0))
    choices = QListWidget()
    qtbot.addWidget(choices)
    _fill(choices, [("id", HOSTILE)])
    assert shows_literally(choices.item(0).toolTip())


def test_sla_export_dialog_lists_titles_with_literal_tooltips(qtbot, plan) -> None:
    document = slas.create_from_template(plan, "one-page")
    slas.save_sla(plan, {**document, "title": HOSTILE})
    host = QWidget()
    qtbot.addWidget(host)
    context = PlanContext(plan, host)
    dialog = SlaIcalDialog(host, context, document["id"])
    tips = [dialog.list.item(n).toolTip() for n in range(dialog.list.count())]
    assert any(shows_literally(tip) for tip in tips)


def test_the_item_link_tooltip_shows_the_link_as_typed(qtbot, plan) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    context = PlanContext(plan, host)
    context.window = host
    form = open_item_dialog(host, context, defaults={"start": "2030-05-06"})
    link = "https://example.com/?a=<b>x</b>&b=<img>"
    form.url.setText(link)
    assert shows_literally(form.url_open.toolTip(), link)
    form.dialog.reject()
