"""The main window: menus, toolbar, status bar and the work areas as tabs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QTabWidget,
    QToolBar,
    QWidget,
)

from smarketing_desktop import APP_NAME
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.about import about_dialog
from smarketing_desktop.gui.backlog import BacklogDock
from smarketing_desktop.gui.calendar_actions import CalendarActions
from smarketing_desktop.gui.calendar_pdf_dialog import CalendarPdfDialog, open_calendar_pdf_dialog
from smarketing_desktop.gui.calendar_tab import CalendarTab
from smarketing_desktop.gui.conflicts_setup import install_conflicts
from smarketing_desktop.gui.context import PLAN, PlanCommand, PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.file_names import with_extension
from smarketing_desktop.gui.ical_actions import IcalActions
from smarketing_desktop.gui.personas_tab import PersonasTab
from smarketing_desktop.gui.plan_json_import import PlanJsonImport
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.review_tab import ReviewTab
from smarketing_desktop.gui.slas_tab import SlasTab
from smarketing_desktop.gui.tab_dock import TabDock
from smarketing_desktop.gui.team import TeamTab
from smarketing_desktop.services import item_edits
from smarketing_desktop.services.exports import export_plan_json
from smarketing_desktop.services.items import count_items
from smarketing_desktop.store.planfile import PLAN_SUFFIX, Plan, create_plan, open_plan

PLAN_FILTER = f"Smarketing plans (*{PLAN_SUFFIX});;All files (*)"


class RenamePlan(PlanCommand):
    topic = PLAN

    def __init__(self, context: PlanContext, old: str, new: str) -> None:
        super().__init__(context, "Rename plan")
        self.old, self.new = old, new

    def apply(self) -> None:
        self.context.plan.set_name(self.new)

    def revert(self) -> None:
        self.context.plan.set_name(self.old)


class MainWindow(QMainWindow):
    """The whole app around one open plan; ``open_path`` switches plans."""

    def __init__(self, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(icon("app"))
        self.context = PlanContext(plan, self)
        self.context.window = self
        self.context.changed.connect(self._on_changed)
        self.context.plan_replaced.connect(self._on_plan_replaced)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workAreas")
        self.tabs.setDocumentMode(False)
        self.calendar = CalendarTab(self.context)
        self.personas = PersonasTab(self.context)
        self.slas = SlasTab(self.context)
        self.review = ReviewTab(self.context)
        self.review.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.team = TeamTab(self.context)
        for widget, name, icon_name in (
            (self.calendar, "Calendar", "calendar"),
            (self.personas, "Personas", "personas"),
            (self.slas, "SLAs", "sla"),
            (self.review, "Review", "review"),
            (self.team, "Team", "team"),
        ):
            self.tabs.addTab(widget, icon(icon_name), name)
        self.setCentralWidget(self.tabs)
        self._build_calendar_editing()
        self.personas.show_item.connect(self.show_item)

        self.plan_label = QLabel()
        self.plan_label.setObjectName("planLabel")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.statusBar().addPermanentWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.plan_label)
        self.ical = IcalActions(self, self.context)
        self.json_import = PlanJsonImport(self)
        self.statusBar().insertPermanentWidget(0, self.ical.publisher.label)
        self._build_actions()
        self.slas.current_changed.connect(
            lambda sla_id: self.export_sla_action.setEnabled(sla_id is not None)
        )
        self.export_sla_action.setEnabled(self.slas.current_sla_id() is not None)
        self._build_menus()
        self._build_toolbar()
        self.conflicts = install_conflicts(self)
        self._restore_state()
        # The backlog feeds the calendar: it shows beside the Calendar tab only.
        self.backlog_dock = TabDock(self.backlog, self.tabs, self.calendar, settings.BACKLOG_SHOWN)
        settings.remember_plan(plan.path)
        self._update_titles()

    # --- building -------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        standard = QKeySequence.StandardKey
        self.new_action = self._action(
            "&New plan…", self.new_plan, "Ctrl+Alt+N", "new", "Start a new, empty plan file"
        )
        self.open_action = self._action(
            "&Open plan…", self.open_dialog, standard.Open, "open", "Open another plan file"
        )
        self.copy_action = self._action(
            "Save a &copy as…",
            self.save_copy,
            "Ctrl+Shift+S",
            "save-copy",
            "Write a copy of this plan to another file",
        )
        self.export_action = self._action(
            "&Export plan as JSON…",
            self.export_json,
            None,
            None,
            "Write the whole plan in the plan exchange format",
        )
        self.export_persona_action = self._action(
            "Export &persona as PDF…",
            lambda: self.export_personas(every=False),
            None,
            None,
            "Print the selected persona's sheet to a PDF file",
        )
        self.export_personas_action = self._action(
            "Export all personas as PDF…",
            lambda: self.export_personas(every=True),
            None,
            None,
            "Print every persona's sheet to one PDF file",
        )
        self.export_sla_action = self._action(
            "Export &SLA as PDF…",
            self.export_sla_pdf,
            None,
            "export-pdf",
            "Save the chosen service level agreement as a PDF ready to sign",
        )
        self.review_pdf_action = self._action(
            "Export review as &PDF…",
            self.export_review_pdf,
            None,
            None,
            "The campaign review of the period chosen in the Review tab, for the joint meeting",
        )
        self.review_csv_action = self._action(
            "Export review as CS&V…",
            self.export_review_csv,
            None,
            None,
            "The Review tab's table as shown, for spreadsheets",
        )
        # Not every platform defines a Quit key; Ctrl+Q is what users expect everywhere else.
        quit_key = QKeySequence(standard.Quit)
        self.quit_action = self._action(
            "&Quit", self.close, quit_key if not quit_key.isEmpty() else "Ctrl+Q"
        )
        stack = self.context.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(standard.Undo)])
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(icon("redo"))
        # Through the context, so editors save pending typing first (only the stack's own
        # slot is connected to these actions here).
        self.undo_action.triggered.disconnect()
        self.undo_action.triggered.connect(self.context.undo)
        self.redo_action.triggered.disconnect()
        self.redo_action.triggered.connect(self.context.redo)
        self.add_person_action = self._action(
            "Add &person…", self.add_person, "Ctrl+Shift+P", "person-add", "Add someone to the team"
        )
        self.rename_action = self._action(
            "&Rename plan…", self.rename_plan, None, None, "Give this plan another name"
        )
        self.reveal_action = self._action(
            "Show plan file in &folder",
            self.reveal_plan,
            None,
            "open",
            "Open the folder that holds this plan's file",
        )
        self.about_action = self._action(
            "&About Smarketing Desktop", self.show_about, None, "about"
        )

    def _build_calendar_editing(self) -> None:
        """The ideas backlog dock and the item actions of the calendar (Edit menu)."""
        self.backlog = BacklogDock(self.context, self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.backlog)
        self.backlog.set_filter(self.calendar.filter_bar.filter())
        self.calendar.filter_bar.changed.connect(self.backlog.set_filter)
        self.calendar_actions = CalendarActions(
            self,
            self.context,
            self.calendar,
            backlog=self.backlog,
            show_calendar=lambda: self.tabs.setCurrentWidget(self.calendar),
        )
        self.calendar_actions.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.backlog.selection_changed.connect(self.calendar_actions.update_enabled)
        self.calendar.set_actions(self.calendar_actions)
        self.calendar_pdf_action = self._action(
            "Export calendar as &PDF…",
            self.export_calendar_pdf,
            None,
            None,
            "Print the calendar: a landscape page per month or a quarter timeline",
        )
        self.pdf_dialog: CalendarPdfDialog | None = None

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file = menu.addMenu("&File")
        file.addActions([self.new_action, self.open_action])
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file.addMenu(self.recent_menu)
        file.addSeparator()
        file.addActions([self.copy_action, self.export_action, self.json_import.action])
        file.addAction(self.calendar_pdf_action)
        file.addAction(self.export_sla_action)
        file.addActions([self.export_persona_action, self.export_personas_action])
        file.addActions([self.review_pdf_action, self.review_csv_action])
        file.addSeparator()
        file.addActions(self.ical.file_actions)
        file.addSeparator()
        file.addAction(self.quit_action)
        edit = menu.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        for item_action in self.calendar_actions.edit_menu_actions():
            if item_action is None:
                edit.addSeparator()
            else:
                edit.addAction(item_action)
        view = self.view_menu = menu.addMenu("&View")
        self.toolbar_action = QAction("&Toolbar", self, checkable=True)
        self.statusbar_action = QAction("&Status bar", self, checkable=True)
        view.addActions([self.toolbar_action, self.statusbar_action])
        backlog_toggle = self.backlog.toggleViewAction()
        backlog_toggle.setText("Ideas &backlog")
        backlog_toggle.setShortcut(QKeySequence("Ctrl+B"))
        view.addAction(backlog_toggle)
        view.addSeparator()
        for number in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(number), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda _=False, n=number: self.tabs.setCurrentIndex(n))
            view.addAction(action)
        plan = self.plan_menu = menu.addMenu("&Plan")
        plan.addAction(self.add_person_action)
        plan.addSeparator()
        plan.addActions([self.rename_action, self.reveal_action])
        plan.addSeparator()
        plan.addAction(self.ical.publish_action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.setMovable(False)
        self.toolbar.addActions([self.new_action, self.open_action, self.copy_action])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.undo_action, self.redo_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.add_person_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.toolbar_action.setChecked(settings.SHOW_TOOLBAR.get())
        self.statusbar_action.setChecked(settings.SHOW_STATUSBAR.get())
        self.toolbar.setVisible(self.toolbar_action.isChecked())
        self.statusBar().setVisible(self.statusbar_action.isChecked())
        self.toolbar_action.toggled.connect(self._toggle_toolbar)
        self.statusbar_action.toggled.connect(self._toggle_statusbar)

    def _toggle_toolbar(self, on: bool) -> None:
        self.toolbar.setVisible(on)
        settings.SHOW_TOOLBAR.set(on)

    def _toggle_statusbar(self, on: bool) -> None:
        self.statusBar().setVisible(on)
        settings.SHOW_STATUSBAR.set(on)

    # --- state ----------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = settings.GEOMETRY.get()
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = settings.WINDOW_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        tab = settings.CURRENT_TAB.get()
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)
        self.team.restore_state()
        self.personas.restore_state()
        self.slas.restore_state()
        self.review.restore_state()
        self.calendar.agenda.restore_state()

    def save_state(self) -> None:
        settings.GEOMETRY.set(self.saveGeometry())
        settings.WINDOW_STATE.set(self.saveState())
        settings.CURRENT_TAB.set(self.tabs.currentIndex())
        self.team.save_state()
        self.personas.save_state()
        self.slas.save_state()
        self.review.save_state()
        self.calendar.agenda.save_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    # --- plan files -----------------------------------------------------------------

    @property
    def plan(self) -> Plan:
        return self.context.plan

    def _update_titles(self) -> None:
        name = self.plan.name
        self.setWindowTitle(f"{name} — {APP_NAME}")
        self.setWindowFilePath(str(self.plan.path))
        self.plan_label.setText(name)
        self.plan_label.setToolTip(str(self.plan.path))
        count = count_items(self.plan)
        self.count_label.setText(f"{count:,} item{'' if count == 1 else 's'}")

    def _on_changed(self, topic: str) -> None:
        self._update_titles()

    def _on_plan_replaced(self) -> None:
        settings.remember_plan(self.plan.path)
        self._update_titles()
        self.statusBar().showMessage(f"Opened {self.plan.path}", 5000)

    def open_path(self, path: Path) -> bool:
        """Switch to the plan at ``path``; a file that is not a plan is left untouched."""
        try:
            plan = open_plan(path)
        except UserError as error:
            show_error(self, "Cannot open this plan", str(error))
            return False
        if plan.backup is not None:
            self.statusBar().showMessage(
                f"The plan was updated to this version; a backup is at {plan.backup}", 10000
            )
        self.context.replace_plan(plan)
        return True

    def open_dialog(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Open plan", str(self.plan.path.parent), PLAN_FILTER
        )
        if name:
            self.open_path(Path(name))

    def new_plan(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "New plan", str(self.plan.path.parent / f"new plan{PLAN_SUFFIX}"), PLAN_FILTER
        )
        if not name:
            return
        path = Path(name)
        if path.suffix != PLAN_SUFFIX:
            path = path.with_name(path.name + PLAN_SUFFIX)
        try:
            if path.exists():
                path.unlink()  # the file dialog already asked whether to replace it
            plan = create_plan(path)
        except (UserError, OSError) as error:
            show_error(self, "Cannot create the plan", str(error))
            return
        self.context.replace_plan(plan)

    def save_copy(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy as",
            str(self.plan.path.with_name(f"{self.plan.path.stem} copy{PLAN_SUFFIX}")),
            PLAN_FILTER,
        )
        if name:
            self.save_copy_to(Path(name))

    def save_copy_to(self, path: Path) -> bool:
        if path.resolve() == self.plan.path.resolve():
            show_error(self, "Cannot save a copy", "Choose another file than the open plan.")
            return False
        try:
            self.plan.copy_to(path)
        except (UserError, OSError) as error:
            show_error(self, "Cannot save a copy", str(error))
            return False
        self.statusBar().showMessage(f"Saved a copy to {path}", 5000)
        return True

    def export_json(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export plan as JSON",
            str(self.plan.path.with_suffix(".json")),
            "Plan JSON (*.json)",
        )
        if not name:
            return
        path = with_extension(name, ".json")
        try:
            export_plan_json(self.plan, path)
        except UserError as error:
            show_error(self, "Cannot export the plan", str(error))
            return
        self.statusBar().showMessage(f"Exported the plan to {path}", 5000)

    def export_personas(self, every: bool) -> None:
        path = self.personas.export_pdf(every)
        if path is not None:
            self.statusBar().showMessage(f"Exported the persona sheets to {path}", 5000)

    def show_item(self, uid: str) -> None:
        """Show an item on the calendar, selected, on its first day."""
        try:
            document = item_edits.get_item(self.plan, uid)
        except UserError as error:
            show_error(self, "Cannot show the item", str(error))
            return
        self.tabs.setCurrentWidget(self.calendar)
        if document["start"]:
            self.calendar.show_day(dt.date.fromisoformat(str(document["start"])[:10]))
            self.calendar.select_uids([uid])
        else:
            self.backlog_dock.show()

    def export_review_pdf(self) -> None:
        self.tabs.setCurrentWidget(self.review)
        self.review.export_pdf()

    def export_review_csv(self) -> None:
        self.tabs.setCurrentWidget(self.review)
        self.review.export_csv()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in settings.recent_plans() if Path(p) != self.plan.path]
        for text in paths:
            action = self.recent_menu.addAction(Path(text).name)
            action.setToolTip(text)
            action.setStatusTip(text)
            action.triggered.connect(lambda _=False, p=text: self.open_path(Path(p)))
        if not paths:
            self.recent_menu.addAction("No other recent plans").setEnabled(False)

    # --- plan actions ---------------------------------------------------------------

    def add_person(self) -> None:
        self.tabs.setCurrentWidget(self.team)
        self.team.add_person()

    def export_sla_pdf(self) -> None:
        self.tabs.setCurrentWidget(self.slas)
        self.slas.export_pdf()

    def rename_plan(self) -> None:
        old = self.plan.name
        new, ok = QInputDialog.getText(self, "Rename plan", "Plan name:", text=old)
        if ok and new.strip() and new.strip() != old:
            self.context.execute(RenamePlan(self.context, old, new.strip()))

    def reveal_plan(self) -> bool:
        """Open the plan's folder in the file manager; False if there is none to open."""
        folder = QUrl.fromLocalFile(str(self.plan.path.parent))
        if QDesktopServices.openUrl(folder):
            return True
        show_error(
            self,
            "Cannot show the folder",
            f"No file manager could be started. The plan is at:\n{self.plan.path}",
        )
        return False

    def export_calendar_pdf(self) -> CalendarPdfDialog:
        """File → Export calendar as PDF…, for the period the calendar shows."""
        canvas = self.calendar.current_canvas()
        first, last = (canvas or self.calendar.agenda).visible_range()
        self.pdf_dialog = open_calendar_pdf_dialog(
            self, self.context, first, last, self.calendar.filter_bar.filter()
        )
        self.pdf_dialog.exported.connect(
            lambda path, pages: self.statusBar().showMessage(
                f"Exported the calendar ({pages} page{'s' if pages != 1 else ''}) to {path}", 8000
            )
        )
        self.pdf_dialog.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        return self.pdf_dialog

    def show_about(self) -> None:
        self.about = about_dialog(self, self.plan)
        self.about.open()
