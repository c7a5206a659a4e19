"""The monitor keeps the window's conflicts equal to a fresh check, whatever changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from PySide6.QtCore import Qt

from smarketing_desktop.gui.conflicts_dock import ConflictsModel
from smarketing_desktop.gui.context import ITEMS, PEOPLE
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services import conflicts as service
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import create_plan


def fresh(window: MainWindow) -> list[tuple]:
    monitor = window.conflicts.monitor
    engine = service.new_engine(
        service.load_dataset(window.plan), today=monitor.today, floating=monitor.zone
    )
    return sorted((c.ident, c.message, c.severity) for c in engine)


def shown(window: MainWindow) -> list[tuple]:
    """The monitor's conflicts; the dock, patched row by row, must list them in the order
    a table built afresh would."""
    model = window.conflicts.dock.model
    again = ConflictsModel(window.conflicts.monitor)
    again.sort(model.sort_column, model.sort_order)
    assert [(c.ident, c.message, a) for c, a in model.rows] == [
        (c.ident, c.message, a) for c, a in again.rows
    ]
    return sorted((c.ident, c.message, c.severity) for c in window.conflicts.monitor.conflicts())


def edit(window: MainWindow, uid: str, **changes) -> None:
    with window.plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == uid))
        for key, value in changes.items():
            setattr(row, key, value(getattr(row, key)) if callable(value) else value)
    window.context.changed.emit(ITEMS)


def test_edits_of_every_kind_keep_the_conflicts_right(qtmodeltester, window: MainWindow) -> None:
    # The tester stays attached: every row change below is checked as it happens.
    qtmodeltester.check(window.conflicts.dock.model)
    window.conflicts.dock.model.sort(3, Qt.SortOrder.DescendingOrder)
    week = dt.timedelta(days=7)
    edit(
        window,
        "webinar-invite@demo.smarketing",
        start_date=lambda d: d + 4 * week,
        end_date=lambda d: d + 4 * week,
    )
    assert shown(window) == fresh(window)
    edit(window, "expo-special@demo.smarketing", status="cancelled")
    assert shown(window) == fresh(window)
    edit(window, "spring-email@demo.smarketing", title="<b>Renamed</b> & co", impact="small")
    assert shown(window) == fresh(window)
    assert any("“<b>Renamed</b> & co”" in m for _, m, _ in shown(window))
    # Personas alone change without the item's version counter moving.
    with window.plan.write() as session:
        row = session.scalar(
            select(models.Item).where(models.Item.uid == "upgrade-promo@demo.smarketing")
        )
        row.persona_links = [models.ItemPersona(persona_id="it-ian", position=0)]
    window.context.changed.emit(ITEMS)
    assert shown(window) == fresh(window)
    with window.plan.write() as session:
        session.delete(
            session.scalar(select(models.Item).where(models.Item.uid == "holiday@demo.smarketing"))
        )
    window.context.changed.emit(ITEMS)
    assert shown(window) == fresh(window)
    assert "blackout" not in {ident[0] for ident, _, _ in shown(window)}
    # Far into the future: the plan's range grows and open-ended series follow.
    edit(
        window,
        "print-ad@demo.smarketing",
        status="planned",
        start_date=lambda d: d + 100 * week,
        end_date=lambda d: d + 100 * week,
    )
    assert shown(window) == fresh(window)
    assert window.conflicts.monitor.dataset.horizon.last > dt.date.today() + 90 * week


def test_renaming_a_person_rewrites_the_messages(window: MainWindow) -> None:
    expo = window.conflicts.monitor.dataset.facts["spring-expo@demo.smarketing"].start_date
    edit(window, "webinar-downtime@demo.smarketing", owner_id="ted", start_date=expo, end_date=expo)
    messages = [m for (ident, m, _) in shown(window) if ident[0] == "owner-double-booked"]
    assert messages and messages[0].startswith("Ted Okafor owns both")
    with window.plan.write() as session:
        session.get(models.Person, "ted").name = "Ted O."
    window.context.changed.emit(PEOPLE)
    messages = [m for (ident, m, _) in shown(window) if ident[0] == "owner-double-booked"]
    assert messages[0].startswith("Ted O. owns both")
    assert shown(window) == fresh(window)


def test_switching_plans_checks_the_new_one(window: MainWindow, tmp_path: Path) -> None:
    other = tmp_path / "other.smplan"
    create_plan(other).close()
    assert window.open_path(other)
    assert window.conflicts.monitor.conflicts() == []
    assert window.conflicts.count.text() == "No open conflicts"
    assert window.conflicts.dock.stack.currentWidget() is window.conflicts.dock.empty


def test_changes_the_rules_do_not_read_compare_no_item(window: MainWindow, monkeypatch) -> None:
    """Results, retrospectives and a persona's removal emit ITEMS (for the calendar), but
    no item fact the rules read changes: the monitor must not compare the whole plan."""
    from smarketing_desktop.gui.persona_commands import DeletePersona
    from smarketing_desktop.services import personas as personas_service
    from smarketing_desktop.services.review import goal_rows

    reads: list[object] = []
    real = service.load_facts
    monkeypatch.setattr(
        service, "load_facts", lambda plan, uids=None: (reads.append(uids), real(plan, uids))[1]
    )
    today = dt.date.today()
    row = goal_rows(window.plan, today - dt.timedelta(days=70), today + dt.timedelta(days=70))[0]
    window.tabs.setCurrentWidget(window.review)
    window.review.entered_by.setCurrentIndex(0)  # a result needs who entered it
    assert window.review.enter_result(row, "42")
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert reads == [] and shown(window) == fresh(window)
    again = goal_rows(window.plan, today - dt.timedelta(days=70), today + dt.timedelta(days=70))
    assert next(r for r in again if (r.uid, r.position) == (row.uid, row.position)).actual == 42
    # A persona that items target: deleted, then undone. The whole plan is re-checked
    # once for the persona change, and no item comparison comes on top of it.
    persona = next(
        p for p in personas_service.list_persona_cards(window.plan)
        if personas_service.linked_items(window.plan, p.id)
    )  # fmt: skip
    checks: list[bool] = []
    monitor = window.conflicts.monitor
    recheck = monitor.recheck
    monkeypatch.setattr(monitor, "recheck", lambda **kw: (checks.append(True), recheck(**kw)))
    assert window.context.execute(DeletePersona(window.context, persona.id, persona.name))
    window.undo_action.trigger()
    assert reads == [] and len(checks) == 2 and shown(window) == fresh(window)


def test_undoing_a_big_import_takes_one_full_check(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch
) -> None:
    """An import of many events and its undo are checked whole, not item by item (which
    took minutes for 10,000 events), and end equal to a fresh check."""
    from smarketing_desktop.conflicts import Engine

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN"]
    for n in range(300):
        day = dt.date(2027, 1, 1) + dt.timedelta(days=n % 20)
        lines += ["BEGIN:VEVENT", f"UID:bulk-{n}@x", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"SUMMARY:Webinar {n}", "CATEGORIES:Webinar", "END:VEVENT"]  # fmt: skip
    path = tmp_path / "bulk.ics"
    path.write_text("\r\n".join([*lines, "END:VCALENDAR", ""]), encoding="utf-8", newline="")
    small = {"updates": 0}
    update_many = Engine.update_many

    def counted(self, changes):
        small["updates"] += 1
        return update_many(self, changes)

    def item_by_item(*_args):
        raise AssertionError("a bulk change was checked item by item")

    monkeypatch.setattr(Engine, "update", item_by_item)
    monkeypatch.setattr(Engine, "update_many", counted)
    before = shown(window)
    dialog = window.ical.import_files([path])
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.conflicts.monitor.wait()
    assert "persona-fatigue" in {i[0] for i, _, _ in set(shown(window)) - set(before)}
    assert shown(window) == fresh(window)
    window.undo_action.trigger()
    assert window.conflicts.monitor.wait()
    assert shown(window) == fresh(window) == before
    assert small["updates"] == 0
    # A change of a few items still goes the cheap way, and stays right.
    edit(window, "expo-special@demo.smarketing", status="cancelled")
    assert small["updates"] == 1
    assert shown(window) == fresh(window)
