"""The Review tab: how the campaigns of a period did, reviewed by both teams together.

A table of every goal (metric, target, actual, met or not) that can be sorted, filtered
and edited in place; below it the chosen campaigns compared side by side, the current
campaign's retrospective, and a summary per team, quarter and persona.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.review import (
    CAMPAIGN_KINDS,
    Campaign,
    GoalResult,
    GoalRow,
    Outcome,
    Retrospective,
    by_team_and_quarter,
    parse_actual,
    persona_reach,
)
from smarketing_desktop.domain.words import Kind, Team
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.background import Job, Task, busy_dialog
from smarketing_desktop.gui.chart_view import ChartView
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PERSONAS, PLAN, PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.period_picker import PeriodPicker
from smarketing_desktop.gui.retrospective import RetrospectiveEditor
from smarketing_desktop.gui.review_commands import EditRetrospective, EnterResult
from smarketing_desktop.gui.review_models import (
    ACTUAL,
    CONTENT_KINDS,
    KEY_ROLE,
    ComparisonModel,
    PersonaReachModel,
    ReviewFilter,
    ReviewModel,
    TeamQuarterModel,
)
from smarketing_desktop.gui.widgets import EmptyState, heading, note, read_only_table
from smarketing_desktop.services.exports import export_review_csv, export_review_pdf
from smarketing_desktop.services.people import list_people
from smarketing_desktop.services.review import review_campaigns

Index = QModelIndex | QPersistentModelIndex


class ActualDelegate(QStyledItemDelegate):
    """The Actual cell's editor: a line edit that says what it takes."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setPlaceholderText("a number; empty clears")
            editor.setObjectName("actualEditor")
        return editor


def _combo(name: str, entries: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    # Narrow windows squeeze the filters instead of growing wider.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    for label, data in entries:
        combo.addItem(label, data)
    return combo


class ReviewTab(QWidget):
    """Goals, results, comparison, retrospectives and summary of a chosen period."""

    message = Signal(str)  # a short note for the status bar ("Exported …")
    exported = Signal(Path)  # a review PDF was written

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.campaigns: dict[str, Campaign] = {}
        self.job: Job | None = None  # the PDF being laid out, if any
        self.model = ReviewModel(self)
        self.model.on_enter = self._typed
        self.proxy = ReviewFilter(self)
        self.proxy.setSourceModel(self.model)

        self.title = heading("Campaign review")
        self.period = PeriodPicker()
        self.period.set_key(settings.REVIEW_PERIOD.get())
        self.period.changed.connect(self._period_changed)
        self.summary = note()
        self.summary.setObjectName("reviewSummary")
        # Wraps onto a second line in a narrow window instead of being cut.
        self.summary.setWordWrap(True)
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pdf_button = QPushButton("Export PDF…")
        self.pdf_button.setToolTip("The review for the joint meeting, with the chosen comparison")
        self.csv_button = QPushButton("Export CSV…")
        self.csv_button.setToolTip("The table as shown, for spreadsheets")
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.csv_button.clicked.connect(lambda: self.export_csv())

        self.team_filter = _combo(
            "reviewTeamFilter", [("All teams", None), *((t.label, t.value) for t in Team)]
        )
        kinds = [(Kind(k).label, frozenset({k.value})) for k in CAMPAIGN_KINDS]
        kinds = [k for k in kinds if not (k[1] & CONTENT_KINDS)]
        self.kind_filter = _combo(
            "reviewKindFilter",
            [("All kinds", frozenset()), *kinds, ("Content (blog and social)", CONTENT_KINDS)],
        )
        self.outcome_filter = _combo(
            "reviewOutcomeFilter",
            [("All results", None), *((f"{o.symbol} {o.label}", o) for o in Outcome)],
        )
        self.search = QLineEdit(
            placeholderText="Search campaigns, metrics, personas…", clearButtonEnabled=True
        )
        self.search.setObjectName("reviewSearch")
        for combo in (self.team_filter, self.kind_filter, self.outcome_filter):
            combo.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self._filter)
        self.entered_by = _combo("resultsEnteredBy", [])
        self.entered_by.setMinimumContentsLength(6)
        self.entered_by.setPlaceholderText("Choose…")
        self.entered_by.setToolTip("Results you enter are recorded with this person and today")
        self.entered_by.currentIndexChanged.connect(self._entered_by_changed)
        entered_label = QLabel("Entered by")
        entered_label.setToolTip("Who is entering results (they are recorded with each result)")
        entered_label.setBuddy(self.entered_by)

        self.table = read_only_table(
            "reviewTable",
            self.proxy,
            # The campaign names the row: it keeps a readable width (the table scrolls
            # sideways in a narrow window rather than squeezing it to "C…").
            {0: 210, 1: 125, 2: 105, 3: 95, 4: 180, 5: 70, 6: 75, 7: 95, 8: 160},
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setItemDelegateForColumn(ACTUAL, ActualDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorClearable(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the plan's order: by date
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.comparison = ComparisonModel(self)
        self.comparison_table = read_only_table("comparisonTable", self.comparison, {})
        self.comparison_table.horizontalHeader().setDefaultSectionSize(150)
        self.comparison_table.horizontalHeader().setStretchLastSection(False)
        self.chart = ChartView()
        chart_scroll = QScrollArea()
        chart_scroll.setObjectName("chartScroll")
        chart_scroll.setWidgetResizable(True)
        chart_scroll.setWidget(self.chart)
        chart_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.compare_split = QSplitter(Qt.Orientation.Horizontal)
        self.compare_split.setObjectName("compareSplitter")
        self.chart_note = note()
        self.chart_note.setObjectName("chartNote")
        self.chart_note.setWordWrap(True)
        chart_side = QWidget()
        chart_layout = QVBoxLayout(chart_side)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.chart_note)
        chart_layout.addWidget(chart_scroll, 1)
        self.compare_split.addWidget(self.comparison_table)
        self.compare_split.addWidget(chart_side)
        self.compare_split.setStretchFactor(0, 2)
        self.compare_split.setStretchFactor(1, 3)
        self.compare_split.setSizes([520, 730])
        self.compare_hint = EmptyState("review")
        self.compare_hint.set_text(
            "Choose campaigns to compare",
            "Click a campaign in the table, then Ctrl+click (or Shift+click) more: their goals "
            "appear here side by side, with a chart of target against actual per metric.",
        )
        self.compare_pages = QStackedWidget()
        self.compare_pages.addWidget(self.compare_split)
        self.compare_pages.addWidget(self.compare_hint)

        self.retrospective = RetrospectiveEditor()
        self.retrospective.edited.connect(self._retrospective_edited)

        self.quarters = TeamQuarterModel(self)
        self.reach = PersonaReachModel(self)
        self.quarter_table = read_only_table("quarterTable", self.quarters, {0: 80, 1: 110, 2: 170})
        self.reach_tree = QTreeView()
        self.reach_tree.setObjectName("personaReach")
        self.reach_tree.setModel(self.reach)
        self.reach_tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reach_tree.setAlternatingRowColors(True)
        self.reach_tree.setFrameShape(QTreeView.Shape.NoFrame)
        self.reach_tree.header().setStretchLastSection(False)
        self.reach_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.reach_tree.setColumnWidth(1, 80)
        self.reach_tree.setColumnWidth(2, 170)
        summary = QWidget()
        summary_layout = QHBoxLayout(summary)
        summary_layout.setContentsMargins(0, 6, 0, 0)
        summary_layout.setSpacing(16)
        for caption, view in (
            ("Goals met per team and quarter", self.quarter_table),
            ("What reached each persona, and how it did", self.reach_tree),
        ):
            column = QVBoxLayout()
            label = QLabel(caption)
            label.setObjectName("sectionTitle")
            column.addWidget(label)
            column.addWidget(view)
            summary_layout.addLayout(column, 1)

        self.pages = QTabWidget()
        self.pages.setObjectName("reviewPages")
        self.pages.addTab(self.compare_pages, "Compare")
        self.pages.addTab(self.retrospective, "Retrospective")
        self.pages.addTab(summary, "Summary")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("reviewSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.empty = EmptyState("review")
        self.content = QStackedWidget()
        self.content.addWidget(self.splitter)
        self.content.addWidget(self.empty)

        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addSpacing(14)
        bar.addWidget(self.period)
        bar.addWidget(self.summary, 1)
        # The exports sit with the filters (what they export): with a custom period the
        # title row would otherwise make the window wider than a 1024-pixel screen.
        filters = QHBoxLayout()
        for widget in (self.team_filter, self.kind_filter, self.outcome_filter):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        filters.addSpacing(6)
        filters.addWidget(entered_label)
        filters.addWidget(self.entered_by)
        filters.addSpacing(6)
        filters.addWidget(self.pdf_button)
        filters.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(bar)
        layout.addLayout(filters)
        layout.addWidget(self.content, 1)

        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self._plan_replaced)
        self._fill_people()
        # Read when first shown: the window opens as fast with a big plan as without.
        self._stale = True

    # --- reading the plan -----------------------------------------------------------

    def _on_changed(self, topic: str) -> None:
        if topic == PEOPLE:
            self._fill_people()
        if topic in (ITEMS, PEOPLE, PERSONAS, PLAN):
            self._refresh_when_seen()

    def _plan_replaced(self) -> None:
        self._fill_people()
        self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        """Refresh now if the tab is on screen, else when it is shown next."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _period_changed(self) -> None:
        settings.REVIEW_PERIOD.set(self.period.key)
        self.refresh()

    def refresh(self) -> None:
        """Read the period's campaigns again; the selection and current cell stay."""
        self._stale = False
        selected = {index.data(KEY_ROLE) for index in self.table.selectionModel().selectedRows()}
        current = self.table.currentIndex()
        current_key = (current.data(KEY_ROLE), current.column()) if current.isValid() else None
        first, last = self.period.period()
        try:
            campaigns = review_campaigns(self.context.plan, first, last)
        except UserError as error:  # the plan file went away or is locked too long
            self.context.report(error, "Cannot read the review")
            campaigns = []
        self.campaigns = {campaign.uid: campaign for campaign in campaigns}
        rows = [goal for campaign in campaigns for goal in campaign.goals]
        keys_before = [(r.uid, r.position) for r in self.model.rows]
        self.model.set_rows(rows)
        if keys_before != [(r.uid, r.position) for r in rows]:
            self._restore_selection(selected, current_key)
        self._update_summary()
        goals = [goal for campaign in campaigns for goal in campaign.goals]
        self.quarters.set_tallies(by_team_and_quarter(goals))
        self.reach.set_reach(persona_reach(goals))
        self.reach_tree.expandAll()
        self.empty.set_text(
            f"No campaign with goals started in {self.period.describe()}",
            "Email campaigns, promotions, ads, webinars, product launches, tradeshows and "
            "content are reviewed here by the goals set for them. Choose another period "
            "above, or give a campaign goals in the calendar.",
        )
        self.content.setCurrentWidget(self.splitter if rows else self.empty)
        self._selection_changed()
        self._current_changed()

    def _restore_selection(
        self, keys: set[tuple[str, int]], current: tuple[tuple[str, int], int] | None
    ) -> None:
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for key in keys:
            row = self.model.row_of(*key)
            if row >= 0:
                selection.select(self.proxy.mapFromSource(self.model.index(row, 0)), flags)
        if current is not None:
            row = self.model.row_of(*current[0])
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, current[1]))
                selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)

    def _update_summary(self) -> None:
        rows = self.model.rows
        if not rows:
            self.summary.setText("")
            return
        count = {outcome: 0 for outcome in Outcome}
        for row in rows:
            count[row.outcome] += 1
        campaigns = len({row.uid for row in rows})
        facts = [
            f"{campaigns} campaign{'s' if campaigns != 1 else ''}",
            f"{len(rows)} goal{'s' if len(rows) != 1 else ''}",
            f"{count[Outcome.MET]} met",
            f"{count[Outcome.MISSED]} missed",
            f"{count[Outcome.PENDING]} open",
        ]
        shown = self.proxy.rowCount()
        if shown != len(rows):
            facts.append(f"{shown} shown")
        self.summary.setText(" · ".join(facts))

    def _filter(self) -> None:
        self.proxy.set_filters(
            team=self.team_filter.currentData(),
            kinds=self.kind_filter.currentData(),
            # Qt hands a str enum back as a plain str.
            outcome=Outcome(outcome) if (outcome := self.outcome_filter.currentData()) else None,
            text=self.search.text(),
        )
        self._update_summary()
        self._selection_changed()

    # --- people ---------------------------------------------------------------------

    def _fill_people(self) -> None:
        try:
            people = list_people(self.context.plan)
        except UserError:
            people = []
        chosen = settings.RESULTS_ENTERED_BY.get()
        self.entered_by.blockSignals(True)
        self.entered_by.clear()
        for person in people:
            self.entered_by.addItem(f"{person.name} ({Team(person.team).label})", person.id)
            self.entered_by.setItemData(
                self.entered_by.count() - 1, person.name, Qt.ItemDataRole.UserRole + 1
            )
        self.entered_by.setCurrentIndex(self.entered_by.findData(chosen))
        self.entered_by.blockSignals(False)
        names: dict[str, list[str]] = {}
        for person in people:
            names.setdefault(person.team, []).append(person.name)
        self.retrospective.set_people(names)

    def _entered_by_changed(self) -> None:
        if self.entered_by.currentIndex() >= 0:
            settings.RESULTS_ENTERED_BY.set(str(self.entered_by.currentData()))

    def entered_by_name(self) -> str | None:
        index = self.entered_by.currentIndex()
        if index < 0:
            return None
        return str(self.entered_by.itemData(index, Qt.ItemDataRole.UserRole + 1))

    # --- entering results -----------------------------------------------------------

    def _typed(self, row: GoalRow, text: str) -> None:
        # Run after the editor has closed: a message box while the cell editor commits
        # would make it commit again when the box takes the focus.
        QTimer.singleShot(0, self, lambda: self.enter_result(row, text))

    def enter_result(self, row: GoalRow, text: str, today: dt.date | None = None) -> bool:
        """Store ``text`` as the actual of ``row``'s goal (one undoable step)."""
        try:
            value = parse_actual(text, QLocale().decimalPoint())
        except UserError as error:
            show_error(self, "Not a number", str(error))
            return False
        if value is None:
            result = GoalResult()
        else:
            entered_by = self.entered_by_name()
            if entered_by is None and self.entered_by.count():
                # A result says who entered it: anonymous figures cannot be followed up.
                show_error(
                    self,
                    "Who is entering results?",
                    f"Choose yourself under “Entered by” first, then enter {text.strip()}"
                    " again. Results are recorded with who entered them and the date.",
                )
                self.entered_by.setFocus(Qt.FocusReason.OtherFocusReason)
                return False
            result = GoalResult(value, entered_by, today or dt.date.today())
        if result == row.result:
            return False
        if self.context.execute(EnterResult(self.context, row, result)):
            return True
        self.refresh()  # show what is stored now
        return False

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() != ACTUAL:
            self.edit_actual(index.row())

    def edit_actual(self, proxy_row: int) -> None:
        """Open the Actual cell of a row for typing."""
        index = self.proxy.index(proxy_row, ACTUAL)
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # F2 on any cell of a row edits its result (the only editable cell).
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            current = self.table.currentIndex()
            if (
                event.key() == Qt.Key.Key_F2
                and current.isValid()
                and current.column() != ACTUAL
                and self.table.state() != QAbstractItemView.State.EditingState
            ):
                self.edit_actual(current.row())
                return True
        return super().eventFilter(watched, event)

    # --- comparison and retrospective -------------------------------------------------

    def selected_campaigns(self) -> list[Campaign]:
        """The campaigns of the selected rows, in the order the table shows them."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        uids: list[str] = []
        for row in rows:
            uid = self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole)
            if uid not in uids:
                uids.append(uid)
        return [self.campaigns[uid] for uid in uids if uid in self.campaigns]

    def _selection_changed(self, *_args: object) -> None:
        chosen = self.selected_campaigns()
        self.comparison.set_campaigns(chosen)
        # Wide enough for a title, never so wide that one campaign pushes the others out.
        self.comparison_table.resizeColumnsToContents()
        for column in range(self.comparison.columnCount()):
            width = self.comparison_table.columnWidth(column)
            self.comparison_table.setColumnWidth(column, min(max(width + 12, 120), 240))
        self.chart.set_campaigns(chosen)
        left_out = self.chart.left_out
        self.chart_note.setText(
            f"The chart shows the first {len(chosen) - left_out} of {len(chosen)} chosen "
            "campaigns; the table lists them all."
            if left_out
            else ""
        )
        self.chart_note.setVisible(bool(left_out))
        self.compare_pages.setCurrentWidget(self.compare_split if chosen else self.compare_hint)
        title = f"Compare {len(chosen)}" if len(chosen) > 1 else "Compare"
        self.pages.setTabText(0, title)

    def current_campaign(self) -> Campaign | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.campaigns.get(index.data(Qt.ItemDataRole.UserRole))

    def _current_changed(self, *_args: object) -> None:
        self.retrospective.show_campaign(self.current_campaign())

    def _retrospective_edited(
        self, uid: str, title: str, before: Retrospective, after: Retrospective, version: int
    ) -> None:
        command = EditRetrospective(
            self.context, uid=uid, title=title, before=before, after=after, version=version
        )
        QTimer.singleShot(0, self, lambda: self._execute(command))

    def _execute(self, command: EditRetrospective) -> None:
        if not self.context.execute(command):
            self.refresh()

    def select_campaigns(self, uids: list[str]) -> None:
        """Select every goal row of these campaigns (as Ctrl+click would)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) in uids:
                selection.select(index, flags)
                if not self.table.currentIndex().isValid():
                    selection.setCurrentIndex(index, selection.SelectionFlag.NoUpdate)

    # --- exports --------------------------------------------------------------------

    def _ask_path(self, title: str, suffix: str, kind: str) -> Path | None:
        default = self.context.plan.path.with_name(f"Campaign review {self.period.describe()}")
        name, _ = QFileDialog.getSaveFileName(
            self, title, str(default.with_suffix(suffix)), f"{kind} (*{suffix})"
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def export_pdf(self, path: Path | None = None) -> bool:
        """Start writing the period's review as a PDF; two or more chosen campaigns are
        compared in it. The PDF is laid out off the GUI thread; ``exported`` tells when
        the file is written. False if nothing was started."""
        if self.job is not None:
            self.message.emit("The review PDF is still being written.")
            return False
        path = path or self._ask_path("Export review as PDF", ".pdf", "PDF documents")
        if path is None:
            return False
        first, last = self.period.period()
        compare = [c.uid for c in self.selected_campaigns()]
        period, plan = self.period.describe(), self.context.plan

        def work(task: Task) -> None:
            export_review_pdf(
                plan,
                first,
                last,
                period,
                path,
                compare=compare,
                on_page=lambda page: task.check(f"Page {page}…"),
            )

        self.job = Job(work, self, "review-pdf", writes=True)
        busy_dialog(self.job, self, "Export review as PDF", "Laying out the campaign review…")
        self.job.done.connect(lambda _none: self._written(path))
        self.job.failed.connect(
            lambda message: show_error(self, "Cannot export the review", message)
        )
        self.job.cancelled.connect(lambda: self.message.emit("The PDF export was cancelled."))
        self.job.finished.connect(self._job_gone)
        self.job.start()
        return True

    def _job_gone(self) -> None:
        self.job = None

    def _written(self, path: Path) -> None:
        self.message.emit(f"Exported the campaign review to {path}")
        self.exported.emit(path)

    def shown_rows(self) -> list[GoalRow]:
        """The goal rows as the table shows them: filtered and sorted."""
        return [
            self.model.rows[self.proxy.mapToSource(self.proxy.index(row, 0)).row()]
            for row in range(self.proxy.rowCount())
        ]

    def export_csv(self, path: Path | None = None) -> bool:
        """The table as shown (filters and sorting applied) as CSV for spreadsheets."""
        path = path or self._ask_path("Export review as CSV", ".csv", "CSV files")
        if path is None:
            return False
        rows = self.shown_rows()
        try:
            export_review_csv(rows, path)
        except UserError as error:
            show_error(self, "Cannot export the review", str(error))
            return False
        self.message.emit(f"Exported {len(rows)} goal{'s' if len(rows) != 1 else ''} to {path}")
        return True

    # --- window state ---------------------------------------------------------------

    def save_state(self) -> None:
        settings.REVIEW_HEADER.set(self.table.horizontalHeader().saveState())
        settings.REVIEW_SPLITTER.set(self.splitter.saveState())

    def restore_state(self) -> None:
        header = settings.REVIEW_HEADER.get()
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
        splitter = settings.REVIEW_SPLITTER.get()
        if splitter.isEmpty() or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([330, 370])
