"""The SLAs tab: the plan's agreements, the builder of the chosen one, and its live preview.

The list (status, version, dates) sits on top; under it the editor and a preview that
follows the PDF as the user types (throttled, so typing stays smooth). New agreements
come from a shipped template or as a copy; deleting asks first and can be undone. The
PDF export (button here, File → Export SLA as PDF… in the window) writes atomically and
offers to open the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    Qt,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import QShowEvent, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.words import SlaStatus
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import settings, sla_export
from smarketing_desktop.gui.context import PEOPLE, SLAS, PlanContext
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.rich import message
from smarketing_desktop.gui.sla_commands import CreateSla, DeleteSla
from smarketing_desktop.gui.sla_editor import SlaEditor
from smarketing_desktop.gui.sla_list import SlaModel
from smarketing_desktop.gui.sla_preview import sla_html, status_label
from smarketing_desktop.gui.widgets import EmptyState, heading, note, read_only_table
from smarketing_desktop.services import people as people_service
from smarketing_desktop.services import slas as sla_service
from smarketing_desktop.services.slas import get_sla, list_sla_summaries

PREVIEW_DELAY_MS = 250


def local_zone() -> str | None:
    """The computer's IANA time zone for new review meetings (None if it has no name)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore")
    return name if "/" in name else None


# Narrower than this, the builder or the preview is of no use: such sizes are neither
# saved nor restored.
MIN_PANE = 200


class SlasTab(QWidget):
    """The plan's SLAs: list, editor and preview.

    Signals:
        current_changed: the chosen agreement changed (its id, or None).
    """

    current_changed = Signal(object)

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._shown_version = 0
        self._current: str | None = None
        self._sized = False
        self.model = SlaModel(self)
        self.table = read_only_table(
            "slaTable", self.model, {1: 150, 2: 80, 3: 210, 4: 240, 5: 110}, stretch=0
        )
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.editor = SlaEditor(context)
        self.editor.changed.connect(self._schedule_preview)
        self.editor.export_requested.connect(self._export_version)
        self.editor.version_shown.connect(self._show_version)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self._build_buttons()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("slaSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list())
        self.splitter.addWidget(self._build_work())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self._build_empty())
        self.title = heading("Service level agreements")
        self.summary = note()
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self._plan_replaced)
        self.editor.set_people(people_service.list_people(context.plan))
        self.refresh()

    def _build_buttons(self) -> None:
        self.template_menu = QMenu(self)
        for template_id, name in sla_service.TEMPLATES.items():
            action = self.template_menu.addAction(name)
            action.setObjectName(f"template-{template_id}")
            action.triggered.connect(lambda _=False, t=template_id: self.new_from_template(t))
        self.new_button = QPushButton(icon("new"), "New from template")
        self.new_button.setObjectName("newSlaButton")
        self.new_button.setMenu(self.template_menu)
        self.duplicate_button = QPushButton(icon("duplicate"), "Duplicate")
        self.duplicate_button.setToolTip("A new draft with the text of the chosen agreement")
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.delete_button = QPushButton(icon("remove"), "Delete…")
        self.delete_button.clicked.connect(self.delete_current)
        self.export_button = QPushButton(icon("export-pdf"), "Export PDF…")
        self.export_button.setToolTip("Save the chosen agreement as a PDF ready to sign")
        self.export_button.clicked.connect(self.export_pdf)

    def _build_list(self) -> QWidget:
        """The agreements, with the buttons that act on the list under them."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(6)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for widget in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        return box

    def _build_work(self) -> QSplitter:
        """The editor beside the preview."""
        self.preview = QTextBrowser()
        self.preview.setObjectName("slaPreview")
        self.preview.setOpenLinks(False)
        # Lines break between words only ("commit-/ments" in a narrow table column read
        # badly); a word longer than the pane (a pasted link) scrolls sideways instead.
        self.preview.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.preview_title = QLabel("Preview")
        self.preview_title.setObjectName("slaPreviewTitle")
        self.preview_title.setStyleSheet("color: #616e7c; font-weight: 600; padding: 2px 4px;")
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.setSpacing(2)
        preview_layout.addWidget(self.preview_title)
        preview_layout.addWidget(self.preview, 1)
        # In a small window the builder scrolls rather than forcing the window wider.
        self.editor_area = QScrollArea()
        self.editor_area.setObjectName("slaEditorArea")
        self.editor_area.setWidget(self.editor)
        self.editor_area.setWidgetResizable(True)
        self.editor_area.setFrameShape(QFrame.Shape.NoFrame)
        self.work = QSplitter(Qt.Orientation.Horizontal)
        self.work.setObjectName("slaWorkSplitter")
        self.work.setChildrenCollapsible(False)
        self.work.addWidget(self.editor_area)
        self.work.addWidget(preview_box)
        self.work.setStretchFactor(0, 3)
        self.work.setStretchFactor(1, 2)
        return self.work

    def _build_empty(self) -> QWidget:
        self.empty = EmptyState("sla")
        self.empty.set_text(
            "No service level agreements in this plan yet",
            "An SLA writes down what marketing and sales owe each other, signed by both "
            "leaders. Start from a template: a standard B2B SLA or a one-page SLA.",
        )
        self.empty_new_button = QPushButton(icon("new"), "New from template")
        self.empty_new_button.setObjectName("emptyNewSlaButton")
        self.empty_new_button.setMenu(self.template_menu)
        row = QHBoxLayout()
        row.setContentsMargins(0, 10, 0, 0)
        row.addStretch(1)
        row.addWidget(self.empty_new_button)
        row.addStretch(1)
        layout = self.empty.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(layout.count() - 1, row)
        return self.empty

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Once laid out, the builder gets a little more room than the preview, unless
        # the user already chose (restore_state) sizes that still leave both usable.
        QTimer.singleShot(0, self._settle_sizes)

    def _settle_sizes(self) -> None:
        sizes = self.work.sizes()
        if not self._sized or (sizes and min(sizes) < MIN_PANE):
            self._first_sizes()
        self._sized = True

    def _first_sizes(self) -> None:
        width = sum(self.work.sizes())
        if width > 0:
            self.work.setSizes([width * 11 // 20, width - width * 11 // 20])

    # --- list -----------------------------------------------------------------------

    def _on_changed(self, topic: str) -> None:
        if topic == SLAS:
            self.refresh()
        elif topic == PEOPLE:
            self.editor.set_people(people_service.list_people(self.context.plan))

    def _plan_replaced(self) -> None:
        self.editor.clear()
        self._current = None
        self.editor.set_people(people_service.list_people(self.context.plan))
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Read the list again; keep (or move to) the chosen SLA and show its stored text."""
        wanted = select or self.current_sla_id()
        rows = list_sla_summaries(self.context.plan)
        self.model.set_rows(rows)
        signed = sum(1 for row in rows if row.status == SlaStatus.SIGNED)
        self.summary.setText(
            f"{len(rows)} agreement{'' if len(rows) == 1 else 's'} · {signed} signed"
            if rows
            else ""
        )
        self.pages.setCurrentWidget(self.splitter if rows else self.empty)
        self.duplicate_button.setEnabled(bool(rows))
        self.delete_button.setEnabled(bool(rows))
        self.export_button.setEnabled(bool(rows))
        self._fit_table(len(rows))
        ids = [row.id for row in rows]
        if not rows:
            self._choose(None)
            return
        chosen = wanted if wanted in ids else ids[0]
        self._highlight(chosen)
        self._choose(chosen)

    def _fit_table(self, rows: int) -> None:
        """Give the list the height of its rows (one to six) and the builder the rest."""
        shown = min(max(rows, 1), 6)
        height = (
            self.table.horizontalHeader().sizeHint().height()
            + shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + 4
        )
        total = max(sum(self.splitter.sizes()), height + 400)
        self.splitter.setSizes([height, total - height])

    def current_sla_id(self) -> str | None:
        """The id of the chosen agreement (None when the plan has none)."""
        return self._current

    # Kept for callers of the first version of this tab.
    current_id = current_sla_id

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        target = str(current.data(Qt.ItemDataRole.UserRole)) if current.isValid() else None
        # Typing still waiting belongs to the agreement being left. Saving it refreshes
        # the list, which puts the highlight back on that one: move it on again.
        self.editor.flush()
        if target is not None:
            self._highlight(target)
        self._choose(target)

    def _highlight(self, sla_id: str) -> None:
        """Mark ``sla_id`` in the list without acting on it as a new choice."""
        row = self.model.row_of(sla_id)
        if row >= 0:
            selection = self.table.selectionModel()
            selection.blockSignals(True)
            self.table.setCurrentIndex(self.model.index(row, 0))
            selection.blockSignals(False)

    def _choose(self, sla_id: str | None) -> None:
        """Show the stored text of ``sla_id`` in the editor and the preview."""
        changed = sla_id != self._current
        self._current = sla_id
        if sla_id is None:
            self.editor.clear()
            self.preview.clear()
        else:
            try:
                document = get_sla(self.context.plan, sla_id)
            except UserError as error:  # removed meanwhile (another window, the CLI)
                self.editor.clear()
                self.preview.setPlainText(str(error))
                return
            if changed:
                self._shown_version = 0
                self.editor.load(document)
            else:
                self.editor.sync(document)
            self.update_preview()
        if changed:
            self.current_changed.emit(sla_id)

    def select(self, sla_id: str) -> None:
        row = self.model.row_of(sla_id)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))

    # --- preview --------------------------------------------------------------------

    def _schedule_preview(self) -> None:
        if not self._preview_timer.isActive():
            self._preview_timer.start()

    def update_preview(self) -> None:
        """Show the form as it is now (or the earlier version chosen in the history)."""
        self._preview_timer.stop()
        if self.editor.document is None:
            self.preview.clear()
            return
        if self._shown_version:
            document = self._version(self._shown_version)
            self.preview_title.setText(
                f"Version {self._shown_version} as it was "
                f"{status_label(document['status']).lower()} — read only"
            )
        else:
            document = self.editor.current()
            self.preview_title.setText("Preview — as it will print")
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        self.preview.setHtml(sla_html(document))
        bar.setValue(position)

    def _show_version(self, version: int) -> None:
        self._shown_version = version
        self.update_preview()

    def _stored_version(self) -> int:
        assert self._current is not None
        return int(get_sla(self.context.plan, self._current)["version"])

    def _version(self, number: int) -> dict[str, Any]:
        assert self._current is not None
        return sla_service.version_document(self.context.plan, self._current, number)

    # --- new, duplicate, delete -----------------------------------------------------

    def new_from_template(self, template_id: str) -> None:
        """A new draft from a shipped template (one undo step)."""
        self.editor.flush()
        zone = local_zone()
        command = CreateSla(
            self.context,
            f"New {sla_service.TEMPLATES[template_id]}",
            lambda: sla_service.create_from_template(self.context.plan, template_id, tz=zone),
        )
        if self.context.execute(command) and command.result:
            self.refresh(select=str(command.result["id"]))

    def duplicate_current(self) -> None:
        """A new draft with the text of the chosen SLA (one undo step)."""
        self.editor.flush()
        source = self._current
        if source is None:
            return
        command = CreateSla(
            self.context,
            "Duplicate agreement",
            lambda: sla_service.duplicate_sla(self.context.plan, source),
        )
        if self.context.execute(command) and command.result:
            self.refresh(select=str(command.result["id"]))

    def delete_current(self) -> None:
        """Delete the chosen SLA after asking; undo brings it back with its history."""
        self.editor.flush()
        if self._current is None:
            return
        try:
            document = get_sla(self.context.plan, self._current)
        except UserError as error:
            self.context.report(error)
            return
        versions = len(document["history"]) + 1
        answer = QMessageBox.question(
            self,
            "Delete agreement",
            message(
                f"Delete “{document['title']}” with its {versions} "
                f"version{'s' if versions != 1 else ''} and its review meetings on the "
                "calendar? You can undo this."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.context.execute(DeleteSla(self.context, document))

    # --- PDF ------------------------------------------------------------------------

    def export_pdf(self) -> Path | None:
        """File → Export SLA as PDF…: the chosen SLA as it stands now."""
        return self._export_version(0)

    def _export_version(self, version: int) -> Path | None:
        self.editor.flush()
        if self._current is None:
            QMessageBox.information(
                self, "Export SLA as PDF", "Choose an agreement in the list first."
            )
            return None
        try:
            document = self._version(version or self._stored_version())
        except UserError as error:
            self.context.report(error)
            return None
        return sla_export.ask_and_export(self, document, self.context.plan.path.parent)

    # --- window state ---------------------------------------------------------------

    def save_state(self) -> None:
        self.editor.flush()
        # Only sizes the user saw: a tab never shown has no real sizes yet, and saving
        # them crushed the preview at the next start.
        sizes = self.work.sizes()
        if self._sized and sizes and min(sizes) >= MIN_PANE:
            settings.SLA_SPLITTER.set(self.work.saveState())

    def restore_state(self) -> None:
        state = settings.SLA_SPLITTER.get()
        if not state.isEmpty() and self.work.restoreState(state):
            self._sized = True
