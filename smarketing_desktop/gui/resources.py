"""Icons and the stylesheet, read from the installed package (forms: ``gui.forms``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file

from PySide6.QtGui import QIcon

from smarketing_desktop import paths


@cache
def icon(name: str) -> QIcon:
    """The toolbar/menu icon ``resources/icons/<name>.svg`` (scales to any size)."""
    with as_file(paths.asset(f"icons/{name}.svg")) as path:
        return QIcon(str(path))


def stylesheet() -> str:
    """The light stylesheet (``resources/style.qss``), applied on top of the platform style."""
    return paths.asset("style.qss").read_text("utf-8")
