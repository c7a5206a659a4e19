"""Long work off the GUI thread: one outcome each, delivered on the GUI thread."""

from __future__ import annotations

import threading

import pytest

from PySide6.QtWidgets import QWidget

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui.background import Job


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def outcomes(job: Job) -> list[tuple[str, object, str]]:
    seen: list[tuple[str, object, str]] = []
    for name in ("done", "failed", "cancelled"):
        getattr(job, name).connect(
            lambda *payload, n=name: seen.append((n, payload, threading.current_thread().name))
        )
    return seen


def test_the_result_comes_back_on_the_gui_thread(qtbot, parent) -> None:
    threads = []

    def work(job: Job) -> int:
        threads.append(threading.current_thread().name)
        job.check("halfway")
        return 42

    job = Job(work, parent, "Title", "Working…")
    seen = outcomes(job)
    with qtbot.waitSignal(job.finished):
        job.start()
    assert seen == [("done", (42,), "MainThread")] and threads != ["MainThread"]


def test_a_user_error_is_handed_back(qtbot, parent) -> None:
    def work(job: Job) -> None:
        raise UserError("The disk is full.")

    job = Job(work, parent, "Title", "Working…")
    seen = outcomes(job)
    with qtbot.waitSignal(job.finished):
        job.start()
    assert [(name, str(payload[0])) for name, payload, _ in seen] == [
        ("failed", "The disk is full.")
    ]


def test_a_bug_goes_to_the_crash_dialog(qtbot, parent, boxes, caplog) -> None:
    def work(job: Job) -> None:
        raise RuntimeError("boom in the worker")

    job = Job(work, parent, "Title", "Working…")
    seen = outcomes(job)
    with caplog.at_level("ERROR", logger="smarketing.gui"), qtbot.waitSignal(job.finished):
        job.start()
    assert seen == []
    assert boxes.shown[-1][0] == "crash" and "boom in the worker" in boxes.shown[-1][2]
    assert "boom in the worker" in caplog.text


def test_cancel_stops_the_work_at_its_next_check(qtbot, parent) -> None:
    go = threading.Event()
    steps: list[int] = []

    def work(job: Job) -> str:
        go.wait(5)
        for step in range(1000):
            job.check(f"Step {step}")
            steps.append(step)
        return "finished anyway"

    job = Job(work, parent, "Title", "Working…")
    seen = outcomes(job)
    with qtbot.waitSignal(job.finished):
        job.start()
        job.cancel()
        go.set()
    assert [name for name, _, _ in seen] == ["cancelled"] and steps == []
