"""Qt Designer forms from the top-level ``ui/`` folder, built at run time with QUiLoader.

Forms are package data (see ``paths.form``), so a maintainer can move a field in Qt
Designer without touching Python, and an installed wheel finds them the same way.
"""

from __future__ import annotations

from importlib.resources import as_file

from PySide6.QtCore import QFile, QIODevice, Qt
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QLabel, QWidget

from smarketing_desktop import paths


def form_names() -> list[str]:
    """The file names of every form that ships with the app (``person_dialog.ui``, …)."""
    folder = paths.form("")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".ui"))


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>`` at run time.

    Args:
        name: The form's file name, e.g. ``"person_dialog.ui"``.
        parent: The parent of the new top-level widget (a dialog's owner window).

    Raises:
        FileNotFoundError: The form is missing from the installation.
        RuntimeError: Qt could not build the form (its message says why).
    """
    with as_file(paths.form(name)) as path:
        handle = QFile(str(path))
        if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
            raise FileNotFoundError(f"The form {name} is missing from the installation.")
        loader = QUiLoader()
        try:
            widget = loader.load(handle, parent)
        finally:
            handle.close()
    if widget is None:
        raise RuntimeError(f"The form {name} could not be loaded: {loader.errorString()}")
    # Problem labels quote what the user typed: shown as typed, never read as HTML.
    for label in widget.findChildren(QLabel, "problemLabel"):
        label.setTextFormat(Qt.TextFormat.PlainText)
    return widget
