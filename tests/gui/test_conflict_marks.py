"""The hooks the calendar views call: lookups, the badge, tooltips and the drag preview;
and the monitor's background check of a big plan."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from smarketing_desktop.gui import conflict_monitor
from smarketing_desktop.gui.conflict_marks import Mark, paint_badge, tooltip_text
from smarketing_desktop.gui.context import ITEMS
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.store import models

EMAIL = "spring-email@demo.smarketing"
EXPO = "spring-expo@demo.smarketing"
INVITE = "webinar-invite@demo.smarketing"
SEARCH_ADS = "search-ads@demo.smarketing"
SYNC = "pipeline-sync@demo.smarketing"


def start_of(window: MainWindow, uid: str) -> tuple[dt.date, dt.date]:
    facts = window.conflicts.monitor.dataset.facts[uid]
    return facts.start_date, facts.end_date


def test_lookups_for_painted_bars(window: MainWindow) -> None:
    marks = window.conflicts.marks
    email_day, _ = start_of(window, EMAIL)
    (conflict,) = marks.conflicts_for(EMAIL, email_day)
    assert conflict.rule == "email-during-tradeshow"
    assert marks.conflicts_for(EMAIL, email_day + dt.timedelta(days=1)) == []
    assert marks.mark(EMAIL, email_day) == Mark("error", False)
    expo_day, _ = start_of(window, EXPO)
    assert marks.mark(EXPO, expo_day) == Mark("error", False)
    ads_day, _ = start_of(window, SEARCH_ADS)
    assert marks.mark(SEARCH_ADS, ads_day) == Mark("warning", True)  # acknowledged: grey
    assert marks.mark(INVITE, start_of(window, INVITE)[0]) is None
    tip = marks.tooltip(SEARCH_ADS, ads_day)
    assert "Acknowledged:" in tip and "The ads run on their own" in tip
    assert marks.tooltip(INVITE, start_of(window, INVITE)[0]) == ""


def test_tooltips_show_titles_literally(window: MainWindow) -> None:
    with window.plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == EMAIL))
        row.title = "<b>Boom</b> & <img src=x> بريد"
    window.context.changed.emit(ITEMS)
    email_day, _ = start_of(window, EMAIL)
    tip = window.conflicts.marks.tooltip(EMAIL, email_day)
    assert tip.startswith("<qt>") and "&lt;b&gt;Boom&lt;/b&gt; &amp; &lt;img src=x&gt; بريد" in tip
    assert "<img" not in tip.replace("&lt;img", "")
    assert tooltip_text([]) == ""


@pytest.mark.parametrize(
    ("severity", "acknowledged", "colour"),
    [("error", False, "#e03131"), ("warning", False, "#f08c00"), ("error", True, "#adb5bd")],
)
def test_the_badge_is_coloured_by_severity(severity: str, acknowledged: bool, colour: str) -> None:
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    paint_badge(painter, QRectF(10, 10, 20, 20), severity, acknowledged)
    painter.end()
    inside = image.pixelColor(14, 20)  # left of the mark, inside the ring
    assert inside.name() == QColor(colour).name()
    assert image.pixelColor(20, 15).name() == "#ffffff"  # the mark's stroke
    assert image.pixelColor(2, 2).alpha() == 0  # nothing outside the rect


def test_preview_a_move_out_of_and_into_a_tradeshow(window: MainWindow) -> None:
    marks, monitor = window.conflicts.marks, window.conflicts.monitor
    before = sorted(c.ident for c in monitor.conflicts())
    email_day, _ = start_of(window, EMAIL)
    later = email_day + dt.timedelta(days=7)
    assert marks.preview_move(EMAIL, later, later) == []
    _expo_start, expo_end = start_of(window, EXPO)
    preview = marks.preview_move(INVITE, expo_end, expo_end)
    assert preview == sorted(preview, key=lambda c: (-c.rank, c.first, c.rule))
    (found,) = [c for c in preview if c.rule == "email-during-tradeshow"]
    assert {c.rule for c in preview} <= {"email-during-tradeshow", "persona-fatigue"}
    assert (found.rule, found.severity, found.items) == (
        "email-during-tradeshow",
        "warning",  # the invitation has medium impact
        (INVITE, EXPO),
    )
    assert "Industrial Automation Expo" in found.message
    # Nothing was stored or changed on screen.
    assert sorted(c.ident for c in monitor.conflicts()) == before
    assert start_of(window, INVITE)[0] != expo_end
    with window.plan.read() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == INVITE))
        assert row.start_date != expo_end


def test_preview_one_occurrence_of_a_series(window: MainWindow) -> None:
    marks = window.conflicts.marks
    expo_start, _ = start_of(window, EXPO)
    # The Monday sync of the expo week, dragged onto the expo's second day at 10:00.
    monday = expo_start - dt.timedelta(days=expo_start.weekday())
    target = expo_start + dt.timedelta(days=1)
    found = marks.preview_move(
        SYNC, target, target, dt.time(10, 0), dt.time(10, 30), occurrence=monday
    )
    (booked,) = [c for c in found if c.rule == "owner-double-booked"]
    assert booked.severity == "error" and set(booked.items) == {SYNC, EXPO}
    assert "Ted Okafor owns both" in booked.message
    assert f"on {target.day} " in booked.message  # names the occurrence's new date
    # The whole series moved by a day (Tuesdays) never meets the Wed–Fri expo.
    first, _ = start_of(window, SYNC)
    tuesday = first + dt.timedelta(days=1)
    assert marks.preview_move(SYNC, tuesday, tuesday) == []


def test_ideas_and_unknown_items_have_no_preview(window: MainWindow) -> None:
    marks = window.conflicts.marks
    expo_start, _ = start_of(window, EXPO)
    assert marks.preview_move("idea-partner@demo.smarketing", expo_start, expo_start) == []
    assert marks.preview_move("nothing@nowhere", expo_start, expo_start) == []


def test_a_scheduled_backlog_item_is_previewed(window: MainWindow) -> None:
    with window.plan.write() as session:
        row = session.scalar(
            select(models.Item).where(models.Item.uid == "idea-partner@demo.smarketing")
        )
        row.status = "planned"  # still unscheduled: in the backlog, about to be dropped
    expo_start, _ = start_of(window, EXPO)
    found = window.conflicts.marks.preview_move(
        "idea-partner@demo.smarketing", expo_start, expo_start
    )
    assert "email-during-tradeshow" in [c.rule for c in found]


def test_a_big_plan_is_checked_in_the_background(qtbot, plan, monkeypatch) -> None:
    monkeypatch.setattr(conflict_monitor, "SYNC_LIMIT", 5)
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.show()
    monitor = window.conflicts.monitor
    assert monitor.checking and window.conflicts.count.text() == "Checking conflicts…"
    assert window.conflicts.dock.summary.text() == "Checking the plan…"
    qtbot.waitUntil(lambda: monitor.ready, timeout=30_000)
    assert window.conflicts.count.text() == "1 error · 1 warning"
    # An item change is compared in the background too, then applied incrementally.
    with plan.write() as session:
        row = session.scalar(select(models.Item).where(models.Item.uid == EMAIL))
        row.start_date += dt.timedelta(days=7)
        row.end_date += dt.timedelta(days=7)
    window.context.changed.emit(ITEMS)
    qtbot.waitUntil(lambda: window.conflicts.count.text() == "1 warning", timeout=30_000)
    assert monitor.wait()
