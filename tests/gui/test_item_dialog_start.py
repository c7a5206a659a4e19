"""The item dialog says when a series starts on a day its rule does not repeat on."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.services.items import occurrences_between

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def context(qtbot, plan):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    context = PlanContext(plan, host)
    context.window = host
    return context


def _custom_series(qtbot, context, start: dt.date, rule: str) -> ItemDialog:
    form = open_item_dialog(context.window, context, defaults={"start": start.isoformat()})
    qtbot.keyClicks(form.title, "Month-end webinar")
    form.tabs.setCurrentWidget(form.tabs.findChild(QWidget, "repeatTab"))
    form.repeat.setFocus()
    qtbot.keyClicks(form.repeat, "Custom")
    assert form.repeat.currentText() == "Custom rule"
    qtbot.keyClicks(form.rule, rule)
    return form


def _stored_days(context, title: str) -> list[dt.date]:
    return [
        o.start
        for o in occurrences_between(context.plan, dt.date(2030, 1, 1), dt.date(2030, 12, 31))
        if o.title == title
    ]


def test_a_start_the_rule_does_not_match_is_explained_and_can_be_moved(qtbot, context) -> None:
    # Wed 8 May 2030 is not the last Wednesday of May (the 29th is).
    form = _custom_series(qtbot, context, dt.date(2030, 5, 8), "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3")
    assert form.start_mismatch.isVisible()
    note = form.start_mismatch_note.text()
    assert "Wed 8 May 2030" in note and "last Wednesday" in note and "still takes place" in note
    assert "3 times" not in note
    assert form.move_start.text() == "Start on Wed 29 May 2030 instead"
    qtbot.mouseClick(form.move_start, LEFT)
    assert form.start_date.date() == QDate(2030, 5, 29)
    assert form.end_date.date() == QDate(2030, 5, 29)  # the end moved along
    assert not form.start_mismatch.isVisible()
    qtbot.mouseClick(form.ok_button, LEFT)
    assert _stored_days(context, "Month-end webinar") == [
        dt.date(2030, 5, 29),
        dt.date(2030, 6, 26),
        dt.date(2030, 7, 31),
    ]
    # One undo step takes the new series away.
    context.undo_stack.undo()
    assert _stored_days(context, "Month-end webinar") == []


def test_keeping_a_start_the_rule_does_not_match_stores_it_as_the_first(qtbot, context) -> None:
    form = _custom_series(qtbot, context, dt.date(2030, 5, 8), "FREQ=MONTHLY;BYDAY=-1WE;COUNT=3")
    assert form.start_mismatch.isVisible()
    qtbot.mouseClick(form.ok_button, LEFT)
    # RFC 5545: the start is the first of the three, as Outlook and Google show it.
    assert _stored_days(context, "Month-end webinar") == [
        dt.date(2030, 5, 8),
        dt.date(2030, 5, 29),
        dt.date(2030, 6, 26),
    ]


def test_no_note_when_the_start_is_one_of_the_days(qtbot, context) -> None:
    form = _custom_series(qtbot, context, dt.date(2030, 5, 29), "FREQ=MONTHLY;BYDAY=-1WE")
    assert not form.start_mismatch.isVisible()
    # A rule the start does not match brings the note up; back again, it goes.
    form.rule.selectAll()
    qtbot.keyClicks(form.rule, "FREQ=MONTHLY;BYDAY=-1TU")
    assert form.start_mismatch.isVisible()
    assert "last Tuesday" in form.start_mismatch_note.text()
    assert form.move_start.text() == "Start on Tue 25 Jun 2030 instead"
    form.rule.selectAll()
    qtbot.keyClicks(form.rule, "FREQ=MONTHLY;BYDAY=-1WE")
    assert not form.start_mismatch.isVisible()
    form.dialog.reject()
