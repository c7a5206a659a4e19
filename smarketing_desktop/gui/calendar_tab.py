"""The Calendar tab: month, week, quarter timeline and agenda around one focused day.

The tab switches views (M, W, Q, A), steps through periods (PageUp / PageDown, T for
today, Ctrl+G to jump to a date), hosts the shared filter bar, and shows the legend of
kinds and marks. Only the view on screen reads the plan; the others catch up when shown.

The editing actions (``gui.calendar_actions.CalendarActions``) are made by the window and
handed over with :meth:`CalendarTab.set_actions`: the views then open items, delete and
show their context menu through them. Without them the tab still opens the item dialog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCalendarWidget,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.agenda import AgendaView
from smarketing_desktop.gui.calendar_canvas import CalendarCanvas
from smarketing_desktop.gui.calendar_legend import Legend
from smarketing_desktop.gui.calendar_shapes import ConflictMarks
from smarketing_desktop.gui.context import ITEMS, PEOPLE, PERSONAS, SLAS, PlanContext
from smarketing_desktop.gui.filter_bar import FilterBar
from smarketing_desktop.gui.item_dialog import ItemDialog, open_item_dialog
from smarketing_desktop.gui.month_view import MonthView
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.timeline_view import TimelineView
from smarketing_desktop.gui.week_view import WeekView
from smarketing_desktop.gui.widgets import heading

if TYPE_CHECKING:
    from smarketing_desktop.gui.calendar_actions import CalendarActions

VIEWS = ("month", "week", "quarter", "agenda")
VIEW_LABELS = {"month": "Month", "week": "Week", "quarter": "Quarter", "agenda": "Agenda"}
VIEW_KEYS = {"month": "M", "week": "W", "quarter": "Q", "agenda": "A"}
LANE_LABELS = {"team": "Team", "kind": "Kind", "persona": "Persona"}
AGENDA_DAYS = 90
# A segmented control: the chosen view is filled, the others are plain.
SWITCHER_STYLE = """
QFrame#viewSwitcher { border: 1px solid #cbd2d9; border-radius: 6px; background: #ffffff; }
QFrame#viewSwitcher QToolButton { border: none; border-radius: 0; padding: 5px 10px;
    color: #3e4c59; background: transparent; }
QFrame#viewSwitcher QToolButton:hover { background: #eef4ff; }
QFrame#viewSwitcher QToolButton:checked { background: #2f6fde; color: #ffffff; font-weight: 600; }
QFrame#viewSwitcher QToolButton#monthViewButton { border-top-left-radius: 5px;
    border-bottom-left-radius: 5px; }
QFrame#viewSwitcher QToolButton#agendaViewButton { border-top-right-radius: 5px;
    border-bottom-right-radius: 5px; }
"""


class _FactsLabel(QLabel):
    """A line of facts that is shortened with "…" when the bar gets narrow."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter.drawText(
            self.contentsRect(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown
        )
        painter.end()


class _Overflow(QScrollArea):
    """A row that scrolls sideways when the window is too narrow for it (as a toolbar's
    overflow does), and is otherwise as high as its content."""

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.content = content
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self._fit()

    def _fit(self) -> None:
        content = self.content
        height = content.minimumSizeHint().height()
        if content.minimumSizeHint().width() > self.viewport().width() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(max(height, 1))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


def _tool_button(text: str, tip: str, icon_name: str | None = None) -> QToolButton:
    button = QToolButton()
    if icon_name:
        button.setIcon(icon(icon_name))
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    return button


class CalendarTab(QWidget):
    """The calendar's views around the focused day.

    Signals:
        selection_changed: the selection of the view on screen changed.
    """

    selection_changed = Signal()

    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarTab")
        self.context = context
        self.editing: CalendarActions | None = None
        self.dialog: ItemDialog | None = None
        self.day = dt.date.today()
        self.filter_bar = FilterBar(context)
        self.month_view = MonthView(context)
        self.week_view = WeekView(context)
        lanes = settings.TIMELINE_LANES.get()
        self.timeline_view = TimelineView(
            context, grouping=lanes, zoom=max(0.0, settings.TIMELINE_ZOOM.get())
        )
        self.agenda = AgendaView(context)
        self.canvases: dict[str, CalendarCanvas] = {
            "month": self.month_view,
            "week": self.week_view,
            "quarter": self.timeline_view,
        }
        self.pages = QStackedWidget()
        self.pages.setObjectName("calendarPages")
        for name in VIEWS:
            self.pages.addWidget(self.agenda if name == "agenda" else self.canvases[name])

        self._build_bar()
        self.legend = Legend(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.first_row)
        layout.addWidget(self.second_row)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.legend)
        self._build_shortcuts()

        for view in self.canvases.values():
            view.set_filter(self.filter_bar.filter())
            view.selection_changed.connect(self._view_selection_changed)
            view.item_activated.connect(self.open_occurrence)
            view.create_requested.connect(self.create_item)
            view.delete_requested.connect(self._delete_requested)
            view.navigate_requested.connect(self._navigated)
            view.day_opened.connect(self.open_week)
            view.context_menu_requested.connect(self.show_context_menu)
        self.agenda.set_filter(self.filter_bar.filter())
        self.agenda.selection_changed.connect(self._view_selection_changed)
        self.agenda.activated.connect(self._agenda_activated)
        self.timeline_view.zoom_changed.connect(self._zoom_changed)
        self.filter_bar.changed.connect(self.set_filter)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self._plan_replaced)

        self.view_name = "month"
        wanted = settings.CALENDAR_VIEW.get()
        self.set_view(wanted if wanted in VIEWS else "month")

    # --- building -------------------------------------------------------------------------

    def _build_bar(self) -> None:
        self.previous_button = _tool_button("", "Previous (PageUp)", "previous")
        self.next_button = _tool_button("", "Next (PageDown)", "next")
        self.today_button = _tool_button("Today", "Go to today (T)", "today")
        self.today_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_button.setObjectName("previousPeriod")
        self.next_button.setObjectName("nextPeriod")
        self.today_button.setObjectName("todayButton")
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)

        self.date_picker = QCalendarWidget()
        self.date_picker.setObjectName("jumpToDate")
        self.date_picker.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.date_picker.setGridVisible(False)
        self.date_picker.clicked.connect(self._picked)
        self.date_picker.activated.connect(self._picked)
        self.date_menu = QMenu(self)
        holder = QWidgetAction(self.date_menu)
        holder.setDefaultWidget(self.date_picker)
        self.date_menu.addAction(holder)
        self.date_button = _tool_button("", "Jump to a date (Ctrl+G)", "calendar")
        self.date_button.setObjectName("jumpButton")
        self.date_button.setMenu(self.date_menu)
        self.date_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        self.title = heading(name="monthTitle")
        self.title.setMinimumWidth(90)  # shortened rather than widening a narrow window
        # Facts give way to the controls on a narrow window.
        self.summary = _FactsLabel()
        self.summary.setObjectName("monthSummary")

        self.lanes_label = QLabel("Lanes")
        self.lanes_label.setObjectName("legendLabel")
        self.lanes_combo = QComboBox()
        self.lanes_combo.setObjectName("laneGrouping")
        for key, text in LANE_LABELS.items():
            self.lanes_combo.addItem(text, key)
        self.lanes_combo.setCurrentIndex(
            max(0, self.lanes_combo.findData(self.timeline_view.grouping))
        )
        self.lanes_combo.currentIndexChanged.connect(self._lanes_chosen)
        self.zoom_out_button = _tool_button("−", "Zoom out (Ctrl+wheel)")
        self.zoom_fit_button = _tool_button("Fit", "Fit the quarter to the width")
        self.zoom_in_button = _tool_button("+", "Zoom in (Ctrl+wheel)")
        self.zoom_out_button.setObjectName("zoomOut")
        self.zoom_fit_button.setObjectName("zoomFit")
        self.zoom_in_button.setObjectName("zoomIn")
        self.zoom_out_button.clicked.connect(self.timeline_view.zoom_out)
        self.zoom_in_button.clicked.connect(self.timeline_view.zoom_in)
        self.zoom_fit_button.clicked.connect(lambda: self.timeline_view.set_zoom(0))
        self.timeline_tools = QWidget()
        tools = QHBoxLayout(self.timeline_tools)
        tools.setContentsMargins(0, 0, 0, 0)
        tools.setSpacing(4)
        for widget in (
            self.lanes_label,
            self.lanes_combo,
            self.zoom_out_button,
            self.zoom_fit_button,
            self.zoom_in_button,
        ):
            tools.addWidget(widget)

        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(True)
        self.switcher = QFrame()
        self.switcher.setObjectName("viewSwitcher")
        self.switcher.setStyleSheet(SWITCHER_STYLE)
        switcher = QHBoxLayout(self.switcher)
        switcher.setContentsMargins(0, 0, 0, 0)
        switcher.setSpacing(0)
        for name in VIEWS:
            button = QToolButton()
            button.setObjectName(f"{name}ViewButton")
            button.setText(VIEW_LABELS[name])
            button.setToolTip(f"{VIEW_LABELS[name]} ({VIEW_KEYS[name]})")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name: self.set_view(n))
            self.view_buttons.addButton(button)
            switcher.addWidget(button)
        self.view_button = {
            b.objectName()[: -len("ViewButton")]: b for b in self.view_buttons.buttons()
        }

        top = QWidget()
        self.bar = QHBoxLayout(top)
        self.bar.setContentsMargins(0, 0, 0, 0)
        self.bar.setSpacing(4)
        for widget in (self.previous_button, self.today_button, self.next_button, self.date_button):
            self.bar.addWidget(widget)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.title)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.summary, 1)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.switcher)
        # The filters, and the timeline's lanes and zoom when the timeline is shown; on a
        # narrow window this row scrolls sideways rather than widening the window.
        row = QWidget()
        self.second_bar = QHBoxLayout(row)
        self.second_bar.setContentsMargins(0, 0, 0, 0)
        self.second_bar.setSpacing(8)
        self.second_bar.addWidget(self.filter_bar, 1)
        self.second_bar.addWidget(self.timeline_tools)
        self.second_row = _Overflow(row)
        self.first_row = _Overflow(top)

    def _shortcut(self, keys: Sequence[str], slot: object, text: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        # Keys work wherever the focus is inside the tab, and only there.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
        self.addAction(action)
        return action

    def _build_shortcuts(self) -> None:
        self.previous_action = self._shortcut(["PgUp"], lambda: self.step(-1), "Previous")
        self.next_action = self._shortcut(["PgDown"], lambda: self.step(1), "Next")
        self.today_action = self._shortcut(["T", "Ctrl+T"], self.go_today, "Today")
        self.jump_action = self._shortcut(["Ctrl+G"], self.open_date_picker, "Jump to date")
        self.view_actions = {
            name: self._shortcut([VIEW_KEYS[name]], lambda n=name: self.set_view(n), label)
            for name, label in VIEW_LABELS.items()
        }

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Arriving on the tab puts the keyboard in the calendar, so arrows and PageDown work.
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            current = self.pages.currentWidget()
            if current is not None:
                current.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- views ----------------------------------------------------------------------------

    def current_canvas(self) -> CalendarCanvas | None:
        return self.canvases.get(self.view_name)

    def set_view(self, name: str) -> None:
        """Show the "month", "week", "quarter" (timeline) or "agenda" view."""
        if name not in VIEWS:
            return
        previous = self.current_canvas()
        if previous is not None:
            self.day = previous.anchor_day()
            first, last = previous.visible_range()
            if name == "agenda" and first <= dt.date.today() <= last:
                # A list of what is coming starts today when today is in view.
                self.day = dt.date.today()
        self.view_name = name
        settings.CALENDAR_VIEW.set(name)
        self.view_button[name].setChecked(True)
        self.timeline_tools.setVisible(name == "quarter")
        widget = self.agenda if name == "agenda" else self.canvases[name]
        self.pages.setCurrentWidget(widget)
        self.show_day(self.day)
        if previous is not None or name != "agenda":
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selection_changed.emit()

    def show_day(self, day: dt.date) -> None:
        """Show the period of the current view that holds ``day`` and focus that day."""
        self.day = day
        canvas = self.current_canvas()
        if canvas is not None:
            canvas.show_day(day)
        else:
            first, last = self.agenda_range()
            if (first, last) != self.agenda.visible_range():
                self.agenda.set_range(first, last)
        self._update_title()

    def agenda_range(self) -> tuple[dt.date, dt.date]:
        return self.day, self.day + dt.timedelta(days=AGENDA_DAYS - 1)

    def step(self, periods: int) -> None:
        """The previous (-1) or next (+1) month, week, quarter, or month of the agenda."""
        canvas = self.current_canvas()
        if canvas is not None:
            canvas.step(periods)
            self.day = canvas.anchor_day()
            self._update_title()
        else:
            self.show_day(self.month_view.step_day(self.day.replace(day=1), periods))

    def go_today(self) -> None:
        self.show_day(dt.date.today())

    def open_date_picker(self) -> None:
        self.date_picker.setSelectedDate(QDate(self.day.year, self.day.month, self.day.day))
        self.date_menu.popup(self.date_button.mapToGlobal(QPoint(0, self.date_button.height())))

    def _picked(self, chosen: QDate) -> None:
        self.date_menu.close()
        self.show_day(dt.date(chosen.year(), chosen.month(), chosen.day()))

    def open_week(self, day: dt.date) -> None:
        """A day number in the month was clicked: that day's week."""
        self.day = day
        self.set_view("week")

    def _navigated(self, day: dt.date) -> None:
        self.day = day
        self._update_title()

    def _update_title(self) -> None:
        canvas = self.current_canvas()
        if canvas is not None:
            self.title.setText(canvas.period_title())
            first, last = canvas.visible_range()
            if canvas is self.month_view:
                first = self.month_view.month
                last = self.month_view.step_day(first, 1) - dt.timedelta(days=1)
            shown = [o for o in canvas.occurrences if o.end >= first and o.start <= last]
        else:
            first, last = self.agenda_range()
            self.title.setText(f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}")
            shown = []
        facts = []
        if shown:
            facts.append(f"{len({o.uid for o in shown})} on the calendar")
            big = {o.uid for o in shown if o.impact == "big" and o.status != "cancelled"}
            if big:
                facts.append(f"{len(big)} with big impact")
        elif canvas is not None:
            facts.append("Nothing planned — double-click a day to add an item")
        self.summary.setText(" · ".join(facts))

    # --- timeline ---------------------------------------------------------------------------

    def _lanes_chosen(self, index: int) -> None:
        grouping = str(self.lanes_combo.itemData(index))
        self.timeline_view.set_grouping(grouping)
        settings.TIMELINE_LANES.set(grouping)

    def _zoom_changed(self, ppd: float) -> None:
        settings.TIMELINE_ZOOM.set(float(ppd))

    # --- data -----------------------------------------------------------------------------

    def set_filter(self, item_filter: ItemFilter) -> None:
        """Apply the filter bar's choice to every view (keeping the selection)."""
        for view in self.canvases.values():
            view.set_filter(item_filter)
        self.agenda.set_filter(item_filter)
        self._update_title()

    def set_marks(self, marks: ConflictMarks | None) -> None:
        """Conflict badges and drag previews for the painted views (None: none)."""
        for view in self.canvases.values():
            view.set_marks(marks)
        self.agenda.set_marks(marks)

    def refresh_marks(self) -> None:
        """The conflict checker ran again: ask the marks anew."""
        for view in self.canvases.values():
            view.refresh_marks()
        self.agenda.refresh_marks()

    def _on_changed(self, topic: str) -> None:
        # Each view reads the plan again itself (if shown); the title counts what it shows.
        if topic in (ITEMS, PEOPLE, PERSONAS, SLAS):  # SLAS: the review meeting item
            self._update_title()

    def _plan_replaced(self) -> None:
        self.day = dt.date.today()
        self.show_day(self.day)

    # --- selection (the contract with the editing actions) --------------------------------

    def _view_selection_changed(self) -> None:
        sender = self.sender()
        if sender is self.current_canvas() or (
            sender is self.agenda and self.view_name == "agenda"
        ):
            self.selection_changed.emit()

    def selected_occurrences(self) -> list[Occurrence]:
        canvas = self.current_canvas()
        return canvas.selected_occurrences() if canvas else self.agenda.selected_occurrences()

    def selected_uids(self) -> list[str]:
        canvas = self.current_canvas()
        return canvas.selected_uids() if canvas else self.agenda.selected_uids()

    def select_uids(self, uids: Sequence[str]) -> None:
        canvas = self.current_canvas()
        if canvas is not None:
            canvas.select_uids(uids)
        else:
            self.agenda.select_uids(uids)

    def anchor_day(self) -> dt.date:
        """The focused day: where paste and a new item go."""
        canvas = self.current_canvas()
        return canvas.anchor_day() if canvas is not None else self.day

    # --- opening, creating, deleting ------------------------------------------------------

    def set_actions(self, actions: CalendarActions) -> None:
        """The window's editing actions: used for opening, deleting and the context menu."""
        self.editing = actions

    def open_occurrence(self, occurrence: Occurrence) -> ItemDialog | None:
        """Open an item in the item dialog (a double-click, Enter)."""
        if self.editing is not None:
            self.dialog = self.editing.edit(occurrence)
        else:
            self.dialog = open_item_dialog(
                self, self.context, occurrence.uid, occurrence=occurrence
            )
        return self.dialog

    def _agenda_activated(self, uid: str) -> None:
        found = [o for o in self.agenda.selected_occurrences() if o.uid == uid]
        if self.editing is not None:
            self.dialog = self.editing.edit(found[0] if found else None)
        else:
            self.dialog = open_item_dialog(
                self, self.context, uid, occurrence=found[0] if found else None
            )

    def create_item(self, defaults: dict[str, object]) -> ItemDialog:
        """The item dialog for a new item pre-filled with a day or span (and its lane)."""
        if self.editing is not None:
            self.dialog = self.editing.new_item(dict(defaults))
        else:
            self.dialog = open_item_dialog(self, self.context, defaults=dict(defaults))
        return self.dialog

    def _delete_requested(self) -> None:
        if self.editing is not None:
            self.editing.delete()

    def show_context_menu(self, where: QPoint) -> QMenu | None:
        if self.editing is None:
            return None
        menu = self.editing.context_menu(self)
        menu.popup(where)
        self.menu = menu
        return menu
