"""Item models of the Review tab: goal rows, their filter, the comparison and the summaries.

The models adapt plain review records (``domain.review``) for Qt views; they never read
the plan. Text the user typed is shown literally: table cells are plain text, and
tooltips (which Qt would otherwise read as HTML) are escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from smarketing_desktop.domain.review import (
    OUTCOME_COLOURS,
    Campaign,
    GoalRow,
    Outcome,
    Reach,
    Tally,
    format_number,
    kind_label,
    result_text,
    target_text,
    team_label,
)
from smarketing_desktop.domain.review_chart import MetricGroup, metric_groups
from smarketing_desktop.domain.words import Better, Kind
from smarketing_desktop.gui.palette import kind_icon, team_mark
from smarketing_desktop.gui.rich import tooltip

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Campaign", "Kind", "When", "Team", "Metric", "Target", "Actual", "Result", "Entered")
CAMPAIGN, KIND, WHEN, TEAM, METRIC, TARGET, ACTUAL, RESULT, ENTERED = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # (uid, position) of a goal row

_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_MUTED = QBrush(QColor("#7b8794"))
_OUTCOME_BRUSHES = {outcome: QBrush(QColor(colour)) for outcome, colour in OUTCOME_COLOURS.items()}
_OUTCOME_ORDER = {Outcome.MISSED: 0, Outcome.PENDING: 1, Outcome.MET: 2, Outcome.NO_TARGET: 3}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Blog and social posts are reviewed together as "content".
CONTENT_KINDS = frozenset({Kind.BLOG_POST.value, Kind.SOCIAL_POST.value})


def tip(text: str) -> str:
    """A tooltip that shows ``text`` literally (Qt renders tooltips that look like HTML)."""
    return tooltip(text)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b}"


def when(row: GoalRow) -> str:
    """``12 Jan``, ``2–4 Feb``, ``26 Jan – 12 Feb``."""
    if row.start == row.end:
        return day(row.start)
    if (row.start.year, row.start.month) == (row.end.year, row.end.month):
        return f"{row.start.day}–{day(row.end)}"
    return f"{day(row.start)} – {day(row.end)}"


def entered(row: GoalRow) -> str:
    if row.actual is None:
        return ""
    parts = [row.results_by or "", day(row.results_on) if row.results_on else ""]
    return " · ".join(part for part in parts if part)


def plain_number(value: float | None) -> str:
    """A number as the editor starts with it: no grouping, so it reads back unchanged."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def outcome_text(outcome: Outcome) -> str:
    return f"{outcome.symbol} {outcome.label}"


class ReviewModel(QAbstractTableModel):
    """The goals of the reviewed campaigns, one row each; the Actual column is editable.

    An edit is handed to ``on_enter`` (the tab turns it into an undoable command); the
    model itself never writes anything.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[GoalRow] = []
        self.on_enter: Callable[[GoalRow, str], None] | None = None

    def set_rows(self, rows: list[GoalRow]) -> None:
        """Show ``rows``; the same goals in the same order only update (selection stays)."""
        same = [(r.uid, r.position) for r in rows] == [(r.uid, r.position) for r in self.rows]
        if same and rows:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _DISPLAY:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (TARGET, ACTUAL):
            return _RIGHT
        if role == _TOOLTIP and section == ACTUAL:
            return tip("Double-click or press F2 to enter a result; clear it to remove one.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == ACTUAL:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == _DISPLAY:
            return self._text(row, column)
        if role == _EDIT:
            return plain_number(row.actual) if column == ACTUAL else self._text(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == KIND:
                return kind_icon(row.kind)
            return team_mark(row.team) if column == TEAM else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == RESULT:
                return _OUTCOME_BRUSHES[row.outcome]
            return _MUTED if column in (WHEN, ENTERED) else None
        if role == Qt.ItemDataRole.FontRole and column == RESULT:
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (TARGET, ACTUAL):
            return _RIGHT
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.uid
        if role == KEY_ROLE:
            return (row.uid, row.position)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != ACTUAL or role != _EDIT:
            return False
        text = str(value if value is not None else "")
        row = self.rows[index.row()]
        if text.strip() == plain_number(row.actual):
            return False  # opened and closed without a change
        if self.on_enter is not None:
            self.on_enter(row, text)
        # The row changes when the plan does (the tab refreshes the model then).
        return False

    @staticmethod
    def _text(row: GoalRow, column: int) -> str:
        if column == CAMPAIGN:
            return row.title
        if column == KIND:
            return kind_label(row.kind)
        if column == WHEN:
            return when(row)
        if column == TEAM:
            return team_label(row.team)
        if column == METRIC:
            return row.metric + ("  ↓" if row.better == Better.LOWER else "")
        if column == TARGET:
            return target_text(row) if row.target is not None else "—"
        if column == ACTUAL:
            return format_number(row.actual, empty="")
        if column == RESULT:
            return outcome_text(row.outcome)
        return entered(row)

    @staticmethod
    def _tooltip(row: GoalRow, column: int) -> str | None:
        if column == CAMPAIGN:
            personas = ", ".join(row.personas) or "everyone (no persona chosen)"
            return tip(f"{row.title}\n{kind_label(row.kind)} · {when(row)}\nFor {personas}")
        if column == METRIC:
            lower = (
                "\nLower is better: met when the actual is at or below the target."
                if row.better == Better.LOWER
                else ""
            )
            return tip(f"{row.metric}{lower}")
        if column == ACTUAL:
            hint = "Double-click or press F2 to enter the result."
            if row.actual is None:
                return tip(f"No result yet. {hint}")
            who = entered(row)
            return tip(f"{format_number(row.actual)}" + (f", entered by {who}" if who else ""))
        if column == RESULT:
            return tip(result_text(row))
        if column == ENTERED and row.actual is not None:
            return tip(entered(row)) if entered(row) else None
        return None

    @staticmethod
    def _sort_key(row: GoalRow, column: int) -> Any:
        # Missing numbers sort first (ascending) so open results gather together.
        missing = float("-inf")
        if column == WHEN:
            return row.start.toordinal() + (row.end - row.start).days / 100_000
        if column == TARGET:
            return row.target if row.target is not None else missing
        if column == ACTUAL:
            return row.actual if row.actual is not None else missing
        if column == RESULT:
            return _OUTCOME_ORDER[row.outcome]
        if column == ENTERED:
            return entered(row).casefold()
        return ReviewModel._text(row, column).casefold()

    def row_of(self, uid: str, position: int) -> int:
        return next(
            (n for n, r in enumerate(self.rows) if (r.uid, r.position) == (uid, position)), -1
        )


class ReviewFilter(QSortFilterProxyModel):
    """Filters of the review table: team, kind, outcome and free text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team: str | None = None
        self.kinds: frozenset[str] = frozenset()  # empty: every kind
        self.outcome: Outcome | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filters(
        self,
        *,
        team: str | None = None,
        kinds: frozenset[str] = frozenset(),
        outcome: Outcome | None = None,
        text: str = "",
    ) -> None:
        self.beginFilterChange()
        self.team, self.kinds, self.outcome = team, kinds, outcome
        self.text = " ".join(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ReviewModel)
        row = model.rows[source_row]
        if self.team and row.team != self.team:
            return False
        if self.kinds and row.kind not in self.kinds:
            return False
        if self.outcome is not None and row.outcome != self.outcome:
            return False
        if self.text:
            haystack = " ".join(
                (
                    row.title,
                    row.metric,
                    kind_label(row.kind),
                    team_label(row.team),
                    row.results_by or "",
                    *row.personas,
                )
            ).casefold()
            return all(word in haystack for word in self.text.split())
        return True


class ComparisonModel(QAbstractTableModel):
    """Campaigns side by side: a row per metric, a column per campaign (numbered)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.campaigns: list[Campaign] = []
        self.groups: list[MetricGroup] = []

    def set_campaigns(self, campaigns: Sequence[Campaign]) -> None:
        self.beginResetModel()
        self.campaigns = list(campaigns)
        self.groups = metric_groups(self.campaigns)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.campaigns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self.campaigns):
            return None
        if section == 0:
            return "Metric" if role == _DISPLAY else None
        campaign = self.campaigns[section - 1]
        if role == _DISPLAY:
            return f"{section}  {campaign.title}"
        if role == _TOOLTIP:
            return tip(f"{section}. {campaign.title}\n{kind_label(campaign.kind)}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group = self.groups[index.row()]
        if index.column() == 0:
            text = f"{group.metric} · {team_label(group.team)}"
            if group.lower_is_better:
                text += "  ↓"
            if role == _DISPLAY:
                return text
            if role == _TOOLTIP:
                lower = "\nLower is better." if group.lower_is_better else ""
                return tip(f"{group.metric} ({team_label(group.team)}){lower}")
            return None
        goal = group.cell(index.column())
        if role == _DISPLAY:
            return result_text(goal) if goal else "not measured"
        if role == Qt.ItemDataRole.ForegroundRole:
            return _OUTCOME_BRUSHES[goal.outcome] if goal else _MUTED
        if role == _TOOLTIP and goal is not None:
            who = entered(goal)
            return tip(result_text(goal) + (f"\nEntered by {who}" if who else ""))
        return None


def _item(text: str, tooltip: str | None = None, brush: QBrush | None = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if tooltip:
        item.setToolTip(tip(tooltip))
    if brush is not None:
        item.setForeground(brush)
    return item


def tally_text(tally: Tally) -> str:
    text = f"{tally.met} of {tally.judged} met" if tally.judged else "none judged yet"
    return text + (f" · {tally.pending} open" if tally.pending else "")


def _tally_brush(tally: Tally) -> QBrush:
    if not tally.judged:
        return _MUTED
    return _OUTCOME_BRUSHES[Outcome.MET if tally.met * 2 >= tally.judged else Outcome.MISSED]


class TeamQuarterModel(QStandardItemModel):
    """Goals met per team per quarter."""

    HEADERS = ("Quarter", "Team", "Goals", "Campaigns")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))

    def set_tallies(self, tallies: dict[tuple[str, str], Tally]) -> None:
        self.removeRows(0, self.rowCount())
        for (quarter, team), tally in tallies.items():
            campaigns = ", ".join(tally.campaigns)
            team_item = _item(team_label(team))
            team_item.setData(team_mark(team), Qt.ItemDataRole.DecorationRole)
            self.appendRow(
                [
                    _item(quarter),
                    team_item,
                    _item(tally_text(tally), brush=_tally_brush(tally)),
                    _item(campaigns, tooltip=campaigns),
                ]
            )


class PersonaReachModel(QStandardItemModel):
    """Each persona with the campaigns that reached it (children) and how they did."""

    HEADERS = ("Persona / campaign", "When", "Goals")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setHorizontalHeaderLabels(list(self.HEADERS))

    def set_reach(self, reach: dict[str, list[Reach]]) -> None:
        self.removeRows(0, self.rowCount())
        for persona, campaigns in reach.items():
            total = Tally()
            for entry in campaigns:
                total.met += entry.tally.met
                total.missed += entry.tally.missed
                total.pending += entry.tally.pending
            count = f"{len(campaigns)} campaign{'s' if len(campaigns) != 1 else ''}"
            name = _item(f"{persona} · {count}", tooltip=persona)
            name.setFont(_bold())
            parent = [name, _item(""), _item(tally_text(total), brush=_tally_brush(total))]
            for entry in campaigns:
                name.appendRow(
                    [
                        _item(entry.title, tooltip=entry.title),
                        _item(day(entry.start), brush=_MUTED),
                        _item(tally_text(entry.tally), brush=_tally_brush(entry.tally)),
                    ]
                )
            self.appendRow(parent)
