"""The Sections page of the SLA editor: free sections (heading and text) that the user
adds, removes and reorders; the PDF numbers them before the fixed parts."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QWidget

from smarketing_desktop.gui.labels import short
from smarketing_desktop.gui.sla_fields import Edits, find

Section = dict[str, str]


class SectionsPage:
    """The list of headings beside the heading and text of the chosen section."""

    def __init__(self, form: QWidget, edits: Edits) -> None:
        self.edits = edits
        self.sections: list[Section] = []
        self.list = find(form, QListWidget, "sectionsList")
        self.heading = find(form, QLineEdit, "sectionHeadingEdit")
        self.body = find(form, QPlainTextEdit, "sectionBodyEdit")
        self.add_button = find(form, QPushButton, "addSectionButton")
        self.remove_button = find(form, QPushButton, "removeSectionButton")
        self.up_button = find(form, QPushButton, "sectionUpButton")
        self.down_button = find(form, QPushButton, "sectionDownButton")
        self.list.currentRowChanged.connect(self._show)
        self.heading.textEdited.connect(self._heading_typed)
        self.heading.editingFinished.connect(edits.flush)
        self.body.textChanged.connect(self._body_typed)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))

    @property
    def focus_widgets(self) -> tuple[QWidget, ...]:
        return (self.body,)

    def load(self, sections: list[Section]) -> None:
        """Show ``sections``, keeping the chosen position where it still exists."""
        current = max(self.list.currentRow(), 0)
        self.sections = copy.deepcopy(sections)
        self._fill(min(current, len(self.sections) - 1))

    def _fill(self, current: int) -> None:
        loading, self.edits.loading = self.edits.loading, True
        try:
            self.list.clear()
            self.list.addItems(
                [f"{n}. {section['heading']}" for n, section in enumerate(self.sections, 1)]
            )
            if self.sections:
                self.list.setCurrentRow(max(current, 0))
        finally:
            self.edits.loading = loading
        self._show(self.list.currentRow())

    def _show(self, row: int) -> None:
        has = 0 <= row < len(self.sections)
        loading, self.edits.loading = self.edits.loading, True
        try:
            self.heading.setText(self.sections[row]["heading"] if has else "")
            self.body.setPlainText(self.sections[row]["body"] if has else "")
        finally:
            self.edits.loading = loading
        self.heading.setEnabled(has)
        self.body.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self.sections) - 1)

    def _heading_typed(self, text: str) -> None:
        row = self.list.currentRow()
        if self.edits.loading or not 0 <= row < len(self.sections):
            return
        self.sections[row]["heading"] = text
        item = self.list.item(row)
        if item is not None:
            item.setText(f"{row + 1}. {text}")
        self.edits.typing(f"sections.{row}.heading", "Edit section")

    def _body_typed(self) -> None:
        row = self.list.currentRow()
        if self.edits.loading or not 0 <= row < len(self.sections):
            return
        self.sections[row]["body"] = self.body.toPlainText()
        self.edits.typing(f"sections.{row}.body", "Edit section")

    def add(self) -> None:
        """A new section after the chosen one, its heading ready to be typed over."""
        self.edits.flush()
        position = self.list.currentRow() + 1 if self.sections else 0
        self.sections.insert(position, {"heading": "New section", "body": ""})
        self._fill(position)
        self.edits.now("Add section")
        self.heading.setFocus()
        self.heading.selectAll()

    def remove(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.sections):
            return
        self.edits.flush()
        heading = self.sections.pop(row)["heading"]
        self._fill(min(row, len(self.sections) - 1))
        self.edits.now(f"Remove section “{short(heading)}”")

    def move(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self.sections) and 0 <= target < len(self.sections)):
            return
        self.edits.flush()
        self.sections.insert(target, self.sections.pop(row))
        self._fill(target)
        self.edits.now(f"Move section {'up' if delta < 0 else 'down'}")
