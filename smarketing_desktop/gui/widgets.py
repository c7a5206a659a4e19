"""Small building blocks that give every work area the same look."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.gui.resources import icon


def read_only_table(
    name: str, model: QAbstractItemModel, widths: dict[int, int], stretch: int | None = None
) -> QTableView:
    """A table for browsing: whole-row selection, no grid, headers aligned with the text.

    Args:
        name: The object name (for the stylesheet and for tests).
        model: What the table shows (its columns must exist to be sized).
        widths: Start widths of columns (the user can resize them).
        stretch: The column that takes the remaining width; None to stretch the last one.
    """
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(32)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in widths.items():
        table.setColumnWidth(column, width)
    return table


class EmptyState(QWidget):
    """What a work area shows when there is nothing in it yet: an icon, a line, a hint."""

    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.picture = QLabel()
        self.picture.setPixmap(icon(icon_name).pixmap(48, 48))
        self.title = QLabel()
        self.title.setObjectName("emptyTitle")
        self.title.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("emptyHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self.picture, self.title, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            layout.addWidget(label)
        layout.addStretch(2)

    def set_text(self, title: str, hint: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)


def heading(text: str = "", name: str = "tabTitle") -> QLabel:
    """The large title at the top of a work area (``November 2026``, ``Buyer personas``)."""
    label = QLabel(text)
    label.setObjectName(name)
    return label


def note(text: str = "") -> QLabel:
    """A muted line of facts beside a heading (``14 on the calendar · 1 with big impact``)."""
    label = QLabel(text)
    label.setObjectName("tabSummary")
    return label
