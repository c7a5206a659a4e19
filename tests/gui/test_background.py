"""Long work off the GUI thread: one outcome each, delivered on the GUI thread."""

from __future__ import annotations

import threading

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import background
from smarketing_desktop.gui.background import Job, Task, busy_dialog


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def outcomes(job: Job) -> list[tuple[str, tuple[object, ...], str]]:
    """Every signal the job emits, with the thread it was emitted on."""
    seen: list[tuple[str, tuple[object, ...], str]] = []
    for name in ("done", "failed", "cancelled", "finished"):
        getattr(job, name).connect(
            lambda *payload, n=name: seen.append((n, payload, threading.current_thread().name))
        )
    return seen


def test_the_result_comes_back_on_the_gui_thread(qtbot, parent) -> None:
    threads = []

    def work(task: Task) -> int:
        threads.append(threading.current_thread().name)
        task.check("halfway")
        return 42

    job = Job(work, parent, "answer")
    seen = outcomes(job)
    assert not job.running
    with qtbot.waitSignal(job.finished):
        job.start()
        assert job.running
    assert seen == [("done", (42,), "MainThread"), ("finished", (), "MainThread")]
    assert threads == ["answer"]


def test_a_user_error_is_handed_back_as_its_message(qtbot, parent) -> None:
    def work(task: Task) -> None:
        raise UserError("The disk is full.")

    job = Job(work, parent, "full")
    seen = outcomes(job)
    with qtbot.waitSignal(job.finished):
        job.start()
    assert [(name, payload) for name, payload, _ in seen] == [
        ("failed", ("The disk is full.",)),
        ("finished", ()),
    ]


def test_a_bug_goes_to_the_crash_dialog(qtbot, parent, boxes, caplog) -> None:
    def work(task: Task) -> None:
        raise RuntimeError("boom in the worker")

    job = Job(work, parent, "bug")
    seen = outcomes(job)
    with caplog.at_level("ERROR", logger="smarketing.gui"), qtbot.waitSignal(job.finished):
        job.start()
    assert [name for name, _, _ in seen] == ["finished"]
    assert boxes.shown[-1][0] == "crash" and "boom in the worker" in boxes.shown[-1][2]
    assert "boom in the worker" in caplog.text


def test_a_bug_in_unasked_work_is_logged_and_reported_as_failed(
    qtbot, parent, boxes, caplog
) -> None:
    def work(task: Task) -> None:
        raise RuntimeError("boom while publishing")

    job = Job(work, parent, "publish", bugs="fail")
    seen = outcomes(job)
    with caplog.at_level("ERROR", logger="smarketing.gui"), qtbot.waitSignal(job.finished):
        job.start()
    assert boxes.shown == [] and "boom while publishing" in caplog.text
    assert seen[0][0] == "failed" and "boom while publishing" in str(seen[0][1][0])


def test_cancel_stops_the_work_at_its_next_check(qtbot, parent) -> None:
    go = threading.Event()
    steps: list[int] = []

    def work(task: Task) -> str:
        go.wait(5)
        for step in range(1000):
            task.check(f"Step {step}")
            steps.append(step)
        return "finished anyway"

    job = Job(work, parent, "steps")
    seen = outcomes(job)
    with qtbot.waitSignal(job.finished):
        job.start()
        job.cancel()
        go.set()
    assert [name for name, _, _ in seen] == ["cancelled", "finished"] and steps == []


def test_work_that_ends_after_cancel_counts_as_cancelled(qtbot, parent) -> None:
    job = Job(lambda task: "too late", parent, "late")
    seen = outcomes(job)
    job.cancel()
    job.start()
    assert job.wait(5)
    assert [name for name, _, _ in seen] == ["cancelled", "finished"]


def test_progress_reaches_the_gui_thread(qtbot, parent) -> None:
    shown = threading.Event()
    seen: list[tuple[str, int, int, str]] = []

    def work(task: Task) -> None:
        task.check("Reading", done=1, total=3)
        shown.wait(5)  # the GUI thread saw the first step before the work goes on
        task.check(done=3, total=3)

    job = Job(work, parent, "counting")
    job.progressed.connect(
        lambda note, done, total: (
            seen.append((note, done, total, threading.current_thread().name)),
            shown.set(),
        )
    )
    with qtbot.waitSignal(job.finished):
        job.start()
    assert seen[0] == ("Reading", 1, 3, "MainThread")
    assert seen[-1][:3] == ("Reading", 3, 3)


def test_wait_delivers_the_outcome_at_once(qtbot, parent) -> None:
    job = Job(lambda task: "now", parent, "quick")
    seen = outcomes(job)
    job.start()
    assert job.wait(5)
    assert seen[0][:2] == ("done", ("now",)) and not job.running


def test_many_jobs_each_deliver_their_own_result(qtbot, parent) -> None:
    results: dict[int, object] = {}
    jobs = []
    for n in range(20):
        job = Job(lambda task, n=n: n * n, parent, f"job-{n}")
        job.done.connect(lambda value, n=n: results.__setitem__(n, value))
        jobs.append(job)
    for job in jobs:
        job.start()
    qtbot.waitUntil(lambda: len(results) == 20, timeout=10000)
    assert results == {n: n * n for n in range(20)}


def test_the_busy_dialog_follows_progress_and_cancels(
    qtbot, parent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    release = threading.Event()

    def work(task: Task) -> None:
        task.check("Page 2…", done=2, total=5)
        release.wait(10)
        task.check("Page 3…")

    job = Job(work, parent, "pages")
    dialog = busy_dialog(job, parent, "Export", "Laying out…")
    seen = outcomes(job)
    job.start()
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 2)
    assert (dialog.labelText(), dialog.maximum()) == ("Page 2…", 5)
    with qtbot.waitSignal(job.finished, timeout=10000):
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        release.set()
    assert [name for name, _, _ in seen] == ["cancelled", "finished"]


def test_no_qt_signal_is_emitted_from_the_worker(qtbot, parent) -> None:
    """The worker only leaves results behind: every signal is on the GUI thread."""
    job = Job(lambda task: task.check("x", 1, 1), parent, "quiet")
    threads: list[str] = []
    for name in ("done", "finished", "progressed"):
        getattr(job, name).connect(lambda *_: threads.append(threading.current_thread().name))
    with qtbot.waitSignal(job.finished):
        job.start()
    assert threads and set(threads) == {"MainThread"}


def test_a_write_that_finished_before_a_late_cancel_reports_done(qtbot, parent) -> None:
    """A file already written stays written: telling the user "cancelled" would be a lie
    (the review PDF export did so when Cancel came in just after the last page)."""
    written = threading.Event()

    def work(_task: Task) -> str:
        written.set()
        return "written"

    job = Job(work, parent, "late-write", writes=True)
    seen = outcomes(job)
    job.start()
    assert written.wait(5)
    job._thread.join(5)  # the work has returned; only now does the user press Cancel
    job.cancel()
    assert job.wait(5)
    assert [name for name, _, _ in seen] == ["done", "finished"]


def test_a_job_cancelled_before_it_began_does_no_work(qtbot, parent) -> None:
    ran = threading.Event()
    job = Job(lambda _task: ran.set(), parent, "never", writes=True)
    seen = outcomes(job)
    job.cancel()
    job.start()
    assert job.wait(5)
    assert [name for name, _, _ in seen] == ["cancelled", "finished"] and not ran.is_set()
