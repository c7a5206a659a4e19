"""The History page of the SLA editor: every version with its status, the day it was
signed and what changed; an earlier version can be shown in the preview or exported."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QTreeWidget, QTreeWidgetItem, QWidget

from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.rich import literal
from smarketing_desktop.gui.sla_fields import find
from smarketing_desktop.gui.sla_preview import day, status_label
from smarketing_desktop.services.slas import VersionEntry

_VERSION = Qt.ItemDataRole.UserRole


class HistoryPanel(QObject):
    """Signals:
    version_shown: show version N in the preview (0: back to the text being edited).
    export_requested: export version N as PDF.
    """

    version_shown = Signal(int)
    export_requested = Signal(int)

    def __init__(self, form: QWidget) -> None:
        super().__init__(form)
        self.entries: dict[int, VersionEntry] = {}
        self.tree = find(form, QTreeWidget, "versionsTree")
        self.changes = find(form, QTextBrowser, "changesView")
        self.show_button = find(form, QPushButton, "showVersionButton")
        self.export_button = find(form, QPushButton, "exportVersionButton")
        self.export_button.setIcon(icon("export-pdf"))
        self.tree.setColumnWidth(0, 110)
        self.tree.setColumnWidth(1, 110)
        self.tree.currentItemChanged.connect(self._chosen)
        self.show_button.toggled.connect(self._show_toggled)
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.chosen()))

    def fill(self, entries: list[VersionEntry]) -> None:
        """Show ``entries`` (newest first)."""
        # An earlier version the user picked stays picked; otherwise the newest is.
        picked = self.tree.currentItem()
        keep = (
            self.chosen() if picked is not None and picked is not self.tree.topLevelItem(0) else 0
        )
        self.tree.clear()
        self.entries = {entry.version: entry for entry in entries}
        for entry in entries:
            item = QTreeWidgetItem(
                [
                    f"Version {entry.version}",
                    status_label(entry.status),
                    day(entry.signed_on) if entry.signed_on else "",
                ]
            )
            item.setData(0, _VERSION, entry.version)
            if entry.current:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setToolTip(0, "The version being edited now")
            self.tree.addTopLevelItem(item)
            if entry.version == keep:
                self.tree.setCurrentItem(item)
        newest = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and newest is not None:
            self.tree.setCurrentItem(newest)

    def chosen(self) -> int:
        """The version chosen in the list (0 when none)."""
        item = self.tree.currentItem()
        return int(item.data(0, _VERSION)) if item is not None else 0

    def _chosen(self) -> None:
        entry = self.entries.get(self.chosen())
        self.changes.clear()
        if entry is None:
            return
        first = "The first version." if entry.version == 1 else "No change to the text."
        self.changes.setHtml(
            "".join(
                f'<p style="margin-bottom:6px">{literal(line)}</p>'
                for line in (entry.changes or (first,))
            )
        )
        if self.show_button.isChecked():
            self.version_shown.emit(0 if entry.current else entry.version)

    def _show_toggled(self, on: bool) -> None:
        entry = self.entries.get(self.chosen())
        self.version_shown.emit(entry.version if on and entry and not entry.current else 0)
