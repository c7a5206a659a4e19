"""Atomic writes: new files get the user's usual rights without touching the umask."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from smarketing_desktop.exchange.files import write_atomically
from smarketing_desktop.store import umask
from smarketing_desktop.store.planfile import create_plan


def _never(*_args: object) -> int:
    raise AssertionError("os.umask was changed while writing")


def test_the_umask_is_read_without_changing_it() -> None:
    current = os.umask(0o022)
    os.umask(current)
    assert umask._read_umask() == current == umask.UMASK


def test_new_files_follow_the_umask_without_setting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "umask", _never)
    write_atomically(tmp_path / "out.ics", b"BEGIN:VCALENDAR")
    plan = create_plan(tmp_path / "new.smplan", name="New")
    plan.close()
    for name in ("out.ics", "new.smplan"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask.UMASK


def test_writes_from_many_threads_all_get_the_usual_rights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "umask", _never)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for round_ in range(20):
                write_atomically(tmp_path / f"f{n}-{round_}.pdf", b"%PDF")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    modes = {stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert modes == {0o666 & ~umask.UMASK} and len(list(tmp_path.iterdir())) == 120
