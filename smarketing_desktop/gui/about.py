"""Help → About: the version, and where the plan, data and logs live."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from smarketing_desktop import __version__, paths
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.store.planfile import Plan


def about_dialog(parent: QWidget, plan: Plan) -> QDialog:
    dialog = cast(QDialog, load_form("about_dialog.ui", parent))

    def label(name: str) -> QLabel:
        return cast(QLabel, dialog.findChild(QLabel, name))

    label("versionLabel").setText(f"Version {__version__}")
    label("planPathLabel").setText(str(plan.path))
    label("dataPathLabel").setText(str(paths.data_dir()))
    label("logPathLabel").setText(str(paths.log_dir()))
    label("logoLabel").setPixmap(icon("app").pixmap(64, 64))
    buttons = cast(QDialogButtonBox, dialog.findChild(QDialogButtonBox, "buttonBox"))
    buttons.rejected.connect(dialog.reject)
    return dialog
