"""The work areas with a plan made by hand, an empty plan, and the window's keyboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from smarketing_desktop.domain.people import Person
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.agenda import AgendaModel, when
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.gui.sla_preview import sla_html
from smarketing_desktop.gui.team import PeopleModel
from smarketing_desktop.services import people as people_service
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan, create_plan

TODAY = dt.date.today()
FIRST = TODAY.replace(day=1)


@pytest.fixture
def small_plan(tmp_path: Path):
    plan = create_plan(tmp_path / "Small.smplan", name="Small plan")
    ana = people_service.add_person(
        plan, Person(id="", name="Ana Souza", team="sales", role="Account executive")
    )
    people_service.add_person(plan, Person(id="", name="Bo Chen", team="marketing"))
    with plan.write() as session:
        session.add(
            models.Item(
                uid="expo@test",
                title="Regional expo",
                kind="tradeshow",
                team="sales",
                owner_id=ana.id,
                impact="big",
                status="approved",
                start_date=FIRST,
                end_date=FIRST + dt.timedelta(days=2),
            )
        )
        # Far in the future: not part of the visible month, so never loaded.
        session.add(
            models.Item(
                uid="later@test",
                title="Next year's launch",
                kind="product_launch",
                team="joint",
                start_date=FIRST.replace(year=FIRST.year + 1),
                end_date=FIRST.replace(year=FIRST.year + 1),
            )
        )
    yield plan
    plan.close()


def make_window(qtbot, plan: Plan) -> MainWindow:
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts go to the active window
    return window


def test_a_plan_made_by_hand_shows_in_every_tab(qtbot, qtmodeltester, small_plan) -> None:
    window = make_window(qtbot, small_plan)
    calendar = window.calendar
    month = calendar.month_view
    assert calendar.pages.currentWidget() is month
    assert [o.uid for o in month.loaded] == ["expo@test"]  # only what the month shows
    bar = next(s for s in month.shapes if s.occurrence.uid == "expo@test")
    tip = month.tooltip_at(month.view_rect(bar).center())
    for fact in ("Regional expo", "Tradeshow · Sales · Ana Souza", "Approved", "★ Big impact"):
        assert fact in tip
    assert "1 with big impact" in calendar.summary.text()
    qtmodeltester.check(calendar.agenda.model)
    assert window.count_label.text() == "2 items"
    assert window.plan_label.text() == "Small plan"
    qtmodeltester.check(window.team.model)
    shown = window.team.proxy
    assert [shown.index(n, 0).data() for n in range(shown.rowCount())] == ["Ana Souza", "Bo Chen"]
    assert window.team.count.text() == "2 people · 1 in marketing · 1 in sales"
    # No personas and no SLAs yet: each tab says so instead of showing an empty list.
    assert window.personas.pages.currentWidget() is window.personas.empty
    assert window.slas.pages.currentWidget() is window.slas.empty


def test_an_empty_month_says_so(qtbot, small_plan) -> None:
    window = make_window(qtbot, small_plan)
    calendar = window.calendar
    qtbot.mouseClick(calendar.next_button, Qt.MouseButton.LeftButton)
    assert calendar.month_view.occurrences == [] and calendar.month_view.shapes == []
    assert calendar.summary.text() == "Nothing planned — double-click a day to add an item"
    qtbot.mouseClick(calendar.today_button, Qt.MouseButton.LeftButton)
    assert calendar.summary.text().startswith("1 on the calendar")


def test_dates_read_like_a_calendar() -> None:
    from smarketing_desktop.domain.items import Occurrence

    def occ(start: dt.date, end: dt.date, **times: dt.time) -> Occurrence:
        return Occurrence("u", "t", "meeting", "joint", "planned", "small", start, end, **times)

    assert when(occ(dt.date(2026, 1, 12), dt.date(2026, 1, 12))) == "Mon 12 Jan"
    assert when(occ(dt.date(2026, 1, 12), dt.date(2026, 1, 14))) == "12–14 Jan"
    assert when(occ(dt.date(2026, 1, 30), dt.date(2026, 2, 2))) == "30 Jan – 2 Feb"
    timed = occ(
        dt.date(2026, 1, 13),
        dt.date(2026, 1, 13),
        start_time=dt.time(9, 30),
        end_time=dt.time(10),
    )
    assert when(timed) == "Tue 13 Jan 09:30–10:00"


def test_keyboard_switches_tabs_and_adds_people(qtbot, small_plan) -> None:
    window = make_window(qtbot, small_plan)
    for number in (4, 2, 3, 1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentIndex() == number - 1
    qtbot.keyClick(
        window,
        Qt.Key.Key_P,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.tabs.currentWidget() is window.team
    form = window.team.dialog
    assert form is not None and form.dialog.isVisible()
    qtbot.keyClicks(form.name, "Cy Doe")
    qtbot.keyClick(form.dialog, Qt.Key.Key_Return)  # OK is the default button
    assert "Cy Doe" in [p.name for p in people_service.list_people(small_plan)]
    assert window.statusBar().isVisible()


def test_toolbar_and_status_bar_can_be_hidden_and_stay_hidden(qtbot, small_plan) -> None:
    window = make_window(qtbot, small_plan)
    window.statusbar_action.trigger()
    window.toolbar_action.trigger()
    assert not window.statusBar().isVisible() and not window.toolbar.isVisible()
    assert settings.SHOW_STATUSBAR.get() is False and settings.SHOW_TOOLBAR.get() is False
    window.close()
    again = make_window(qtbot, small_plan)
    assert not again.statusBar().isVisible() and not again.statusbar_action.isChecked()


def test_reveal_opens_the_plan_folder(qtbot, small_plan, monkeypatch, boxes) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    window = make_window(qtbot, small_plan)
    window.reveal_action.trigger()
    assert [Path(p) for p in opened] == [small_plan.path.parent]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    window.reveal_action.trigger()
    assert str(small_plan.path) in boxes.texts()


def test_an_undo_refused_by_the_plan_is_reported_and_dropped(qtbot, small_plan, boxes) -> None:
    window = make_window(qtbot, small_plan)
    team = window.team
    team.select("ana-souza")
    form = team.edit_selected()
    assert form is not None
    form.role.clear()
    qtbot.keyClicks(form.role, "Key accounts")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    stack = window.context.undo_stack
    assert stack.count() == 1 and stack.canUndo()
    # Someone else edits Ana after that (another window, the CLI).
    ana = people_service.get_person(small_plan, "ana-souza")
    people_service.update_person(small_plan, replace(ana, phone="+1 555 0199"))
    window.undo_action.trigger()
    assert "Cannot undo or redo that" in boxes.texts()
    assert stack.count() == 0 and not stack.canUndo() and not stack.canRedo()
    stored = people_service.get_person(small_plan, "ana-souza")
    assert (stored.role, stored.phone) == ("Key accounts", "+1 555 0199")
    shown = team.proxy.index(0, 2).data()
    assert shown == "Key accounts"


def test_sla_preview_shows_user_text_literally() -> None:
    html = sla_html(
        {
            "title": "<b>Bold</b> & co",
            "status": "signed",
            "version": 2,
            "effective": "2026-01-01",
            "ends": None,
            "signatories": [{"name": "<img src=x>", "title": "VP", "team": "sales"}],
            "commitments": [
                {
                    "team": "sales",
                    "metric": "calls",
                    "target": 24,
                    "unit": "hours",
                    "period": "lead",
                }
            ],
            "lead_definitions": [{"term": "MQL", "definition": "a & b"}],
        }
    )
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<img" not in html and "Awaiting signature" in html
    assert "24 hours" in html and "1 January 2026 to not set" in html


def test_empty_models_pass_the_model_tester(qtmodeltester) -> None:
    qtmodeltester.check(AgendaModel())
    qtmodeltester.check(PeopleModel())
