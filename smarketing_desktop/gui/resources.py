"""Designer forms, icons and the stylesheet, read from the installed package."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtGui import QIcon
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from smarketing_desktop import paths


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>`` (a Qt Designer form) at run time."""
    with as_file(paths.form(name)) as path:
        handle = QFile(str(path))
        if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
            raise FileNotFoundError(f"The form {name} is missing from the installation.")
        try:
            widget = QUiLoader().load(handle, parent)
        finally:
            handle.close()
    if widget is None:
        raise RuntimeError(f"The form {name} could not be loaded.")
    return widget


@cache
def icon(name: str) -> QIcon:
    with as_file(paths.asset(f"icons/{name}.svg")) as path:
        return QIcon(str(path))


def stylesheet() -> str:
    return paths.asset("style.qss").read_text("utf-8")
