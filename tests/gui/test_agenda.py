"""The agenda view: its own period only, sorting, the shared filter, past items, activation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QWidget

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.gui import agenda as agenda_module
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.agenda import AgendaView
from smarketing_desktop.gui.context import ITEMS, PlanContext
from smarketing_desktop.services import item_edits
from smarketing_desktop.store.planfile import create_plan

TODAY = dt.date.today()
D = dt.timedelta


@pytest.fixture
def small(tmp_path: Path):
    plan = create_plan(tmp_path / "Small.smplan", name="Small")
    for uid, title, kind, impact, status, start, days in (
        ("past@x", "Last week's webinar", "webinar", "small", "done", TODAY - D(7), 1),
        ("running@x", "Spring promotion", "promotion", "big", "approved", TODAY - D(2), 5),
        ("soon@x", "Blog: five signs", "blog_post", "medium", "planned", TODAY + D(3), 1),
        ("later@x", "Partner email", "email_campaign", "small", "idea", TODAY + D(40), 1),
        ("far@x", "Next year's expo", "tradeshow", "big", "planned", TODAY + D(400), 3),
    ):
        item_edits.create_item(
            plan,
            {
                "uid": uid,
                "title": title,
                "kind": kind,
                "impact": impact,
                "status": status,
                "start": start.isoformat(),
                "end": (start + D(days - 1)).isoformat(),
            },
        )
    yield plan
    plan.close()


@pytest.fixture
def view(qtbot, small):
    host = QWidget()
    qtbot.addWidget(host)
    context = PlanContext(small, host)
    context.window = host
    view = AgendaView(context)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    return view


def titles(view: AgendaView) -> list[str]:
    proxy = view.proxy
    return [proxy.index(row, 1).data() for row in range(proxy.rowCount())]


def test_upcoming_items_of_its_own_period_only(view, qtmodeltester, monkeypatch) -> None:
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    # Ninety days from today: the past item is over, next year's expo is not read at all.
    assert titles(view) == ["Spring promotion", "Blog: five signs", "Partner email"]
    assert view.loaded == 3
    assert view.count.text() == "3 items"
    reads = []
    real = agenda_module.occurrences_between
    monkeypatch.setattr(
        agenda_module,
        "occurrences_between",
        lambda plan, first, last: reads.append((first, last)) or real(plan, first, last),
    )
    view.set_range(TODAY + D(380), TODAY + D(420))
    # One day of margin: an item in another zone can cross midnight at the user's clock.
    assert reads == [(TODAY + D(379), TODAY + D(421))]
    assert titles(view) == ["Next year's expo"]


def test_show_past_lists_what_is_over_and_is_remembered(qtbot, view) -> None:
    assert "Last week's webinar" not in titles(view)
    view.set_range(TODAY - D(30), TODAY + D(30))
    assert "Last week's webinar" not in titles(view)
    assert view.count.text() == "2 items · 1 already over"
    qtbot.mouseClick(view.show_past, Qt.MouseButton.LeftButton)
    assert titles(view)[0] == "Last week's webinar"
    assert settings.AGENDA_SHOW_PAST.get() is True
    view.set_range(TODAY - D(30), TODAY - D(6))
    assert titles(view) == ["Last week's webinar"]
    qtbot.mouseClick(view.show_past, Qt.MouseButton.LeftButton)
    assert view.pages.currentWidget() is view.empty
    assert view.empty.title.text() == "Everything in this period is over"


def test_clicking_headers_sorts_by_real_values(qtbot, view) -> None:
    header = view.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(6)  # Impact: small < medium < big, not alphabetical
    assert titles(view) == ["Partner email", "Blog: five signs", "Spring promotion"]
    click(6)
    assert titles(view) == ["Spring promotion", "Blog: five signs", "Partner email"]
    click(5)  # Status in its working order: idea, planned, approved
    assert titles(view) == ["Partner email", "Blog: five signs", "Spring promotion"]
    click(0)  # When: by date, whatever the text looks like
    assert titles(view) == ["Spring promotion", "Blog: five signs", "Partner email"]


def test_the_shared_filter_hides_rows_and_says_so(view) -> None:
    view.set_filter(ItemFilter(kinds=frozenset({"blog_post", "promotion"})))
    assert titles(view) == ["Spring promotion", "Blog: five signs"]
    assert view.count.text() == "2 items · 1 hidden by the filters"
    view.set_filter(ItemFilter(text="FIVE"))
    assert titles(view) == ["Blog: five signs"]
    view.set_filter(ItemFilter(text="<b>nothing</b>"))
    assert view.pages.currentWidget() is view.empty
    assert view.empty.title.text() == "No items match the filters"
    view.set_filter(ItemFilter())
    assert len(titles(view)) == 3


def test_today_is_highlighted_and_rows_read_well(view) -> None:
    model = view.model
    running = next(row for row, o in enumerate(model.rows) if o.uid == "running@x")
    soon = next(row for row, o in enumerate(model.rows) if o.uid == "soon@x")
    assert model.index(running, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(running, 0).data(Qt.ItemDataRole.ToolTipRole) == "Today"
    assert model.index(soon, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(running, 6).data() == "★ Big"
    assert model.index(running, 7).data() == ""
    assert model.index(running, 7).data(Qt.ItemDataRole.ToolTipRole).startswith("Everyone")


def test_double_click_and_enter_activate_and_selection_is_reported(qtbot, view) -> None:
    table = view.table
    rect = table.visualRect(view.proxy.index(1, 1))
    with qtbot.waitSignal(view.activated) as activated:
        # A double click: Qt's test helper sends only its second press.
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == ["soon@x"]
    assert view.selected_uids() == ["soon@x"]
    with qtbot.waitSignal(view.selection_changed):
        table.selectionModel().select(
            view.proxy.index(2, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert view.selected_uids() == ["soon@x", "later@x"]
    assert [o.title for o in view.selected_occurrences()] == ["Blog: five signs", "Partner email"]
    table.setFocus()
    with qtbot.waitSignal(view.activated):
        qtbot.keyClick(table, Qt.Key.Key_Return)


def test_selection_survives_a_refresh(view) -> None:
    view.select_uids(["later@x"])
    item_edits.shift_items(view.context.plan, ["soon@x"], days=1)
    view.context.changed.emit(ITEMS)
    assert view.selected_uids() == ["later@x"]


def test_an_empty_period_says_what_to_do(view) -> None:
    view.set_range(TODAY + D(1000), TODAY + D(1010))
    assert view.pages.currentWidget() is view.empty
    assert view.empty.title.text() == "Nothing on the calendar in this period"


def test_a_hidden_agenda_reads_only_when_shown_again(qtbot, view, monkeypatch) -> None:
    reads = []
    real = agenda_module.occurrences_between
    monkeypatch.setattr(
        agenda_module,
        "occurrences_between",
        lambda plan, first, last: reads.append((first, last)) or real(plan, first, last),
    )
    view.hide()
    item_edits.shift_items(view.context.plan, ["soon@x"], days=1)
    view.context.changed.emit(ITEMS)
    view.set_range(TODAY, TODAY + D(59))
    assert reads == []  # another view is on screen: edits there cost the agenda nothing
    view.show()
    assert reads == [(TODAY - D(1), TODAY + D(60))]
    assert view.model.rows[1].start == TODAY + D(4)


def test_timed_items_show_their_end_at_midnight_and_across_days(view, small) -> None:
    soon = TODAY + D(5)
    for uid, start, end in (
        ("late@x", f"{soon}T22:00:00", f"{soon + D(1)}T00:00:00"),
        ("night@x", f"{soon}T22:00:00", f"{soon + D(2)}T02:30:00"),
    ):
        item_edits.create_item(
            small, {"uid": uid, "title": uid, "kind": "meeting", "start": start, "end": end}
        )
    view.context.changed.emit(ITEMS)
    shown = {view.proxy.index(r, 1).data(): view.proxy.index(r, 0).data() for r in range(
        view.proxy.rowCount())}  # fmt: skip
    day = f"{soon:%a} {soon.day} {soon:%b}"
    after = soon + D(2)
    assert shown["late@x"] == f"{day} 22:00–24:00"
    assert shown["night@x"] == f"{day} 22:00 – {after:%a} {after.day} {after:%b} 02:30"


def test_conflicted_items_carry_the_calendars_badge(view, qtbot) -> None:
    from tests.gui.calendar_helpers import FakeMarks

    view.set_marks(FakeMarks({"soon@x": "error", "later@x": "warning"}, acknowledged={"later@x"}))
    rows = {view.proxy.index(r, 1).data(): r for r in range(view.proxy.rowCount())}
    badge = view.proxy.index(rows["Blog: five signs"], 1).data(Qt.ItemDataRole.DecorationRole)
    assert badge is not None and not badge.isNull()
    tip = view.proxy.index(rows["Blog: five signs"], 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "clashes with the sales kick-off" in tip
    grey = view.proxy.index(rows["Partner email"], 1).data(Qt.ItemDataRole.DecorationRole)
    assert grey is not None and grey.cacheKey() != badge.cacheKey()
    plain = rows["Spring promotion"]
    assert view.proxy.index(plain, 1).data(Qt.ItemDataRole.DecorationRole) is None
    view.set_marks(None)
    assert (
        view.proxy.index(rows["Blog: five signs"], 1).data(Qt.ItemDataRole.DecorationRole) is None
    )
