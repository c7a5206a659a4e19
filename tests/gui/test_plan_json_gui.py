"""File → Export plan as JSON… and Import plan JSON… (menu and drop), as a user does them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from smarketing_desktop.cli import main
from smarketing_desktop.exchange import plan_json
from smarketing_desktop.gui import rich
from smarketing_desktop.gui.mainwindow import MainWindow
from smarketing_desktop.services.demo import write_demo
from smarketing_desktop.services.exports import export_plan_json
from smarketing_desktop.services.items import count_items
from smarketing_desktop.store.planfile import create_plan, open_plan
from tests.gui.test_ical_gui import _drag_events, trigger

TODAY = dt.date.today()


@pytest.fixture
def empty(qtbot, tmp_path: Path) -> MainWindow:
    plan = create_plan(tmp_path / "Team plan.smplan", name="Team plan")
    window = MainWindow(plan)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    plan.close()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    out = tmp_path / "shared" / "demo export.json"
    out.parent.mkdir()
    with create_plan(tmp_path / "source.smplan") as source:
        write_demo(source, today=TODAY)
        export_plan_json(source, out)
    return out


def _save_as(monkeypatch: pytest.MonkeyPatch, name: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(name), ""))


def _open(monkeypatch: pytest.MonkeyPatch, name: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(name), ""))


def test_a_name_typed_without_json_gets_it_and_the_cli_imports_it(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    _save_as(monkeypatch, tmp_path / "backup")
    trigger(window, "File", "Export plan as JSON…")
    assert not (tmp_path / "backup").exists() and boxes.shown == []
    written = tmp_path / "backup.json"
    assert written.read_text("utf-8") == plan_json.export_plan(window.plan)
    assert window.statusBar().currentMessage() == f"Exported the plan to {written}"
    assert main(["import", str(written), "--db", str(tmp_path / "copy.smplan")]) == 0


def test_exporting_over_a_plan_file_is_refused_and_the_plan_survives(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    # A plan an older version let someone name like an export, exported onto itself.
    path = tmp_path / "legacy.json"
    with create_plan(path) as made:
        write_demo(made, today=TODAY)
    plan = open_plan(path)
    window = MainWindow(plan)
    qtbot.addWidget(window)
    before = path.read_bytes()
    _save_as(monkeypatch, path)
    trigger(window, "File", "Export plan as JSON…")
    assert [(kind, title) for kind, title, _ in boxes.shown] == [
        ("warning", "Cannot export the plan")
    ]
    assert "belongs to the plan “legacy.json”" in boxes.shown[0][2]
    assert path.read_bytes() == before and count_items(plan) > 0
    window.close()
    plan.close()


def test_import_asks_what_it_will_do_keeps_a_copy_and_shows_the_result(
    empty: MainWindow, export: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    _open(monkeypatch, export)
    trigger(empty, "File", "Import plan JSON…")
    [(kind, title, text)] = boxes.shown
    assert (kind, title) == ("question", "Import plan JSON")
    assert "Import “demo export.json” into the plan “Team plan”?<br><br>" in text
    assert "calendar items" in text and "Nothing is removed" in text
    assert "cannot be undone with Edit → Undo" in text
    [backup] = list(empty.plan.path.parent.glob("Team plan.before-import-*.smplan"))
    assert rich.literal(str(backup)) in text
    with open_plan(backup) as kept:
        assert count_items(kept) == 0
    assert count_items(empty.plan) == count_items_in(export)
    assert empty.team.model.rowCount() > 0  # the Team tab shows the imported people
    assert "Imported demo export.json: people:" in empty.statusBar().currentMessage()
    # Importing again updates: nothing is duplicated.
    trigger(empty, "File", "Import plan JSON…")
    assert count_items(empty.plan) == count_items_in(export)


def count_items_in(export: Path) -> int:
    import json

    return len(json.loads(export.read_text("utf-8"))["items"])


def test_cancel_or_a_bad_file_changes_nothing_and_keeps_no_copy(
    empty: MainWindow, export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    before = plan_json.export_plan(empty.plan)
    boxes.answer = QMessageBox.StandardButton.Cancel
    _open(monkeypatch, export)
    trigger(empty, "File", "Import plan JSON…")
    assert [kind for kind, _, _ in boxes.shown] == ["question"]
    hostile = tmp_path / "hostile.json"
    hostile.write_bytes(b'{"format": "<b>x</b>&<img src=x>\x00", "items": [')
    _open(monkeypatch, hostile)
    trigger(empty, "File", "Import plan JSON…")
    kind, title, text = boxes.shown[-1]
    assert (kind, title) == ("warning", "Cannot import the plan JSON")
    assert "hostile.json: " in text and "nothing was imported" in text
    _open(monkeypatch, empty.plan.path)
    trigger(empty, "File", "Import plan JSON…")
    assert "the open plan itself" in boxes.shown[-1][2]
    assert plan_json.export_plan(empty.plan) == before
    assert not list(tmp_path.glob("*.before-import-*"))


def test_a_dropped_plan_export_is_imported_after_the_question(
    empty: MainWindow, export: Path, boxes
) -> None:
    enter, drop, _data = _drag_events([export])
    QApplication.sendEvent(empty, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(empty, drop)
    assert [title for _, title, _ in boxes.shown] == ["Import plan JSON"]
    assert count_items(empty.plan) == count_items_in(export)
