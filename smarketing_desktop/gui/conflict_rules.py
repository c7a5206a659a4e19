"""Plan → Conflict rules…: switch built-in rules on and off, tune them, add your own.

The dialog (``ui/conflict_rules_dialog.ui``) edits a copy of the plan's rule settings;
OK saves them all as one undoable command. Your own rules are edited in
``ui/user_rule_dialog.ui``.
"""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from smarketing_desktop.domain.conflict_rules import (
    BUILTIN_RULES,
    MAX_BUFFER_DAYS,
    BuiltinRule,
    RuleConfig,
    user_rule_id,
)
from smarketing_desktop.domain.words import Kind
from smarketing_desktop.errors import ValidationError
from smarketing_desktop.gui.context import CONFLICTS, PlanCommand, PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.undo_guard import check_unchanged
from smarketing_desktop.services import conflicts as service

Index = QModelIndex | QPersistentModelIndex
IMPACT_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("Any impact", None),
    ("Medium or big", "medium"),
    ("Big only", "big"),
)
SEVERITY_CHOICES: tuple[tuple[str, str | None], ...] = (("Error", "error"), ("Warning", "warning"))
BY_IMPACT = "By impact: error when A is big, else warning"


def camel(text: str) -> str:
    """``email-during-tradeshow`` → ``emailDuringTradeshow``; ``buffer_after`` → ``bufferAfter``."""
    parts = text.replace("_", "-").split("-")
    return parts[0] + "".join(part.capitalize() for part in parts[1:])


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(index if index >= 0 else 0)


def _kind_label(kind: str) -> str:
    return Kind(kind).label if kind in Kind._value2member_map_ else kind


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def describe_user_rule(params: dict[str, Any], severity: str | None) -> str:
    """One sentence that says what a user-defined rule flags."""
    a = _kind_label(str(params.get("kind_a", "")))
    b = _kind_label(str(params.get("kind_b", "")))
    before, after = int(params.get("buffer_before") or 0), int(params.get("buffer_after") or 0)
    around = []
    if before:
        around.append(f"the {_days(before)} before it")
    if after:
        around.append(f"the {_days(after)} after it")
    text = f"{a} must not overlap {b.lower() if b != a else 'another ' + a.lower()}"
    if around:
        text += " or " + " and ".join(around)
    impact = params.get("min_impact")
    if impact == "big":
        text += ", when the first has big impact"
    elif impact == "medium":
        text += ", when the first has medium or big impact"
    level = {"error": "an error", "warning": "a warning"}.get(severity or "", "")
    return f"{text}: {level or 'an error when the first is big, else a warning'}."


class UserRulesModel(QAbstractTableModel):
    """The user's own rules being edited in the dialog."""

    COLUMNS = ("Name", "Flags", "Severity", "On")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules: list[RuleConfig] = []

    def set_rules(self, rules: list[RuleConfig]) -> None:
        self.beginResetModel()
        self.rules = list(rules)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rules)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self.rules[index.row()]
        params = dict(rule.params)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            severity = {"error": "Error", "warning": "Warning"}.get(
                rule.severity or "", "By impact"
            )
            return (
                str(params.get("name", rule.rule_id)),
                describe_user_rule(params, rule.severity),
                severity,
                "On" if rule.enabled else "Off",
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not rule.enabled:
            return QBrush(QColor("#9aa5b1"))
        if role == Qt.ItemDataRole.UserRole:
            return rule.rule_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


class UserRuleDialog:
    """One rule of your own (``ui/user_rule_dialog.ui``); OK only when it can be saved."""

    def __init__(self, parent: QWidget, rule: RuleConfig | None, other_names: list[str]) -> None:
        self.dialog = cast(QDialog, load_form("user_rule_dialog.ui", parent))
        self.dialog.setWindowTitle("Edit rule" if rule else "Add rule")
        find = self.dialog.findChild
        self.name = cast(QLineEdit, find(QLineEdit, "nameEdit"))
        self.kind_a = cast(QComboBox, find(QComboBox, "kindACombo"))
        self.kind_b = cast(QComboBox, find(QComboBox, "kindBCombo"))
        self.before = cast(QSpinBox, find(QSpinBox, "beforeSpin"))
        self.after = cast(QSpinBox, find(QSpinBox, "afterSpin"))
        self.impact = cast(QComboBox, find(QComboBox, "impactCombo"))
        self.severity = cast(QComboBox, find(QComboBox, "severityCombo"))
        self.enabled = cast(QCheckBox, find(QCheckBox, "enabledCheck"))
        self.summary = cast(QLabel, find(QLabel, "summaryLabel"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.original = rule
        self.other_names = {" ".join(n.split()).casefold() for n in other_names}
        for kind in Kind:
            self.kind_a.addItem(kind.label, kind.value)
            self.kind_b.addItem(kind.label, kind.value)
        for spin in (self.before, self.after):
            spin.setRange(0, MAX_BUFFER_DAYS)
        for label, value in IMPACT_CHOICES:
            self.impact.addItem(label, value)
        for label, value in (*SEVERITY_CHOICES, (BY_IMPACT, None)):
            self.severity.addItem(label, value)
        params = dict(rule.params) if rule else {}
        self.name.setText(str(params.get("name", "")))
        _select(self.kind_a, params.get("kind_a", Kind.WEBINAR.value))
        _select(self.kind_b, params.get("kind_b", Kind.PRODUCT_LAUNCH.value))
        self.before.setValue(int(params.get("buffer_before") or 0))
        self.after.setValue(int(params.get("buffer_after") or 0))
        _select(self.impact, params.get("min_impact"))
        _select(self.severity, rule.severity if rule else "warning")
        self.enabled.setChecked(rule.enabled if rule else True)
        self.buttons.accepted.connect(self.dialog.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        self.name.textChanged.connect(self._check)
        for combo in (self.kind_a, self.kind_b, self.impact, self.severity):
            combo.currentIndexChanged.connect(self._check)
        for spin in (self.before, self.after):
            spin.valueChanged.connect(self._check)
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def params(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "kind_a": self.kind_a.currentData(),
            "kind_b": self.kind_b.currentData(),
            "buffer_before": self.before.value(),
            "buffer_after": self.after.value(),
            "min_impact": self.impact.currentData(),
        }

    def _check(self) -> None:
        params = self.params()
        self.summary.setText(describe_user_rule(params, self.severity.currentData()))
        problem = ""
        name = " ".join(self.name.text().split()).casefold()
        if not name:
            problem = "Give the rule a name, so the conflicts it finds say which rule it is."
        elif name in self.other_names:
            problem = f"Another rule is already called “{self.name.text().strip()}”."
        elif "\x00" in self.name.text():
            problem = "The name contains a NUL character."
        self.problem.setText(problem if self.name.text() or self.original else "")
        self.ok_button.setEnabled(not problem)

    def rule(self, taken_ids: list[str]) -> RuleConfig:
        rule_id = (
            self.original.rule_id if self.original else user_rule_id(self.name.text(), taken_ids)
        )
        return RuleConfig(
            rule_id,
            enabled=self.enabled.isChecked(),
            severity=self.severity.currentData(),
            params=self.params(),
            user_defined=True,
        )


class RulesDialog:
    """The rules dialog over a copy of ``settings`` (``ui/conflict_rules_dialog.ui``)."""

    def __init__(self, parent: QWidget, settings: list[RuleConfig]) -> None:
        self.dialog = cast(QDialog, load_form("conflict_rules_dialog.ui", parent))
        self.original = list(settings)
        find = self.dialog.findChild
        self.tabs = cast(QTabWidget, find(QTabWidget, "ruleTabs"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        self.boxes: dict[str, QGroupBox] = {}
        self.severities: dict[str, QComboBox] = {}
        self.fields: dict[tuple[str, str], QSpinBox | QComboBox] = {}
        stored = {c.rule_id: c for c in settings if not c.user_defined}
        for rule in BUILTIN_RULES:
            self._bind(rule)
        self._align_labels()
        self._show_builtins(stored)
        self.user_model = UserRulesModel(self.dialog)
        self.user_model.set_rules([c for c in settings if c.user_defined])
        self.user_view = cast(QTableView, find(QTableView, "userRulesView"))
        self.user_view.setModel(self.user_model)
        self.user_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.user_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.user_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.user_view.verticalHeader().hide()
        self.user_view.setShowGrid(False)
        self.user_view.setWordWrap(False)
        header = self.user_view.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.user_view.setColumnWidth(0, 170)
        self.user_view.setColumnWidth(2, 80)
        self.user_view.setColumnWidth(3, 40)
        self.add_button = cast(QPushButton, find(QPushButton, "addRuleButton"))
        self.edit_button = cast(QPushButton, find(QPushButton, "editRuleButton"))
        self.remove_button = cast(QPushButton, find(QPushButton, "removeRuleButton"))
        self.add_button.clicked.connect(self.add_rule)
        self.edit_button.clicked.connect(self.edit_rule)
        self.remove_button.clicked.connect(self.remove_rule)
        self.user_view.doubleClicked.connect(lambda _index: self.edit_rule())
        self.user_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.user_dialog: UserRuleDialog | None = None
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.dialog.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText("Built-in &defaults")
        restore.setToolTip("Put every built-in rule back as it ships (your own rules stay)")
        restore.clicked.connect(lambda: self._show_builtins({}))
        self._update_buttons()

    # --- built-in rules -----------------------------------------------------------

    def _bind(self, rule: BuiltinRule) -> None:
        prefix = camel(rule.id)
        find = self.dialog.findChild
        self.boxes[rule.id] = cast(QGroupBox, find(QGroupBox, f"{prefix}Box"))
        severity = cast(QComboBox, find(QComboBox, f"{prefix}Severity"))
        default = (
            f"Default: {rule.default_severity.value}"
            if rule.default_severity
            else "Default: error when the email is big, else warning"
        )
        severity.addItem(default, None)
        for label, value in SEVERITY_CHOICES:
            severity.addItem(label, value)
        self.severities[rule.id] = severity
        for param in rule.params:
            name = f"{prefix}{camel(param.name)[0].upper()}{camel(param.name)[1:]}"
            if param.kind == "impact":
                combo = cast(QComboBox, find(QComboBox, name))
                for label, value in IMPACT_CHOICES:
                    combo.addItem(label, value)
                self.fields[rule.id, param.name] = combo
            else:
                spin = cast(QSpinBox, find(QSpinBox, name))
                spin.setRange(param.minimum, param.maximum)
                self.fields[rule.id, param.name] = spin

    def _align_labels(self) -> None:
        """One label width for every rule's form, so the fields line up down the page."""
        labels = [
            label
            for box in self.boxes.values()
            for label in box.findChildren(QLabel)
            if label.buddy() is not None
        ]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _show_builtins(self, stored: dict[str, RuleConfig]) -> None:
        """Show each built-in rule's setting (its defaults where ``stored`` has none)."""
        for rule in BUILTIN_RULES:
            config = stored.get(rule.id, RuleConfig(rule.id))
            self.boxes[rule.id].setChecked(config.enabled)
            _select(self.severities[rule.id], config.severity)
            for param in rule.params:
                value = config.params.get(param.name, param.default)
                field = self.fields[rule.id, param.name]
                if isinstance(field, QSpinBox):
                    number = (
                        value if isinstance(value, int) and not isinstance(value, bool) else None
                    )
                    field.setValue(number if number is not None else int(param.default or 0))
                else:
                    _select(field, value if value in ("medium", "big") else None)

    def builtin_settings(self) -> list[RuleConfig]:
        result = []
        for rule in BUILTIN_RULES:
            params: dict[str, Any] = {}
            for param in rule.params:
                field = self.fields[rule.id, param.name]
                params[param.name] = (
                    field.value() if isinstance(field, QSpinBox) else field.currentData()
                )
            result.append(
                RuleConfig(
                    rule.id,
                    enabled=self.boxes[rule.id].isChecked(),
                    severity=self.severities[rule.id].currentData(),
                    params=params,
                )
            )
        return result

    # --- your rules ---------------------------------------------------------------

    def selected_row(self) -> int:
        rows = self.user_view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self) -> None:
        has = self.selected_row() >= 0
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _open_user_dialog(self, row: int) -> UserRuleDialog:
        rules = self.user_model.rules
        rule = rules[row] if row >= 0 else None
        others = [str(r.params.get("name", "")) for n, r in enumerate(rules) if n != row]
        others += [r.title for r in BUILTIN_RULES]
        self.user_dialog = UserRuleDialog(self.dialog, rule, others)
        self.user_dialog.dialog.accepted.connect(lambda: self._user_rule_done(row))
        self.user_dialog.dialog.open()
        return self.user_dialog

    def add_rule(self) -> UserRuleDialog:
        self.tabs.setCurrentIndex(1)
        return self._open_user_dialog(-1)

    def edit_rule(self) -> UserRuleDialog | None:
        row = self.selected_row()
        return self._open_user_dialog(row) if row >= 0 else None

    def _user_rule_done(self, row: int) -> None:
        assert self.user_dialog is not None
        rules = list(self.user_model.rules)
        taken = [r.rule_id for r in rules] + [c.rule_id for c in self.original]
        rule = self.user_dialog.rule(taken)
        if row >= 0:
            rules[row] = rule
        else:
            rules.append(rule)
            row = len(rules) - 1
        self.user_model.set_rules(rules)
        self.user_view.selectRow(row)
        self.problem.clear()

    def remove_rule(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        rules = list(self.user_model.rules)
        del rules[row]
        self.user_model.set_rules(rules)
        self._update_buttons()

    # --- the whole --------------------------------------------------------------------

    def settings(self) -> list[RuleConfig]:
        """Everything the dialog now says, built-in rules and yours."""
        return [*self.builtin_settings(), *self.user_model.rules]

    def _try_accept(self) -> None:
        try:
            service.check_rule_settings(self.settings())
        except ValidationError as error:
            self.problem.setText(self._explain(error))
            return
        self.dialog.accept()

    def _explain(self, error: ValidationError) -> str:
        rule_id, _, field = error.path.partition(".")
        for rule in BUILTIN_RULES:
            if rule.id == rule_id:
                self.tabs.setCurrentIndex(0)
                return f"{rule.title}: {field.split('.')[-1].replace('_', ' ')} {error.problem}."
        for rule_config in self.user_model.rules:
            if rule_config.rule_id == rule_id:
                self.tabs.setCurrentIndex(1)
                name = rule_config.params.get("name", rule_id)
                return f"Your rule “{name}”: {error.problem}."
        return str(error)

    def changed(self) -> bool:
        """True when saving would change the plan's rules."""
        before = service.check_rule_settings([c for c in self.original if _known(c)])
        return before != service.check_rule_settings(self.settings())


def _known(config: RuleConfig) -> bool:
    return config.user_defined or config.rule_id in {r.id for r in BUILTIN_RULES}


class ChangeRules(PlanCommand):
    """Save the rules dialog: all settings at once, undone all at once."""

    topic = CONFLICTS

    def __init__(
        self, context: PlanContext, before: list[RuleConfig], after: list[RuleConfig]
    ) -> None:
        super().__init__(context, "Change conflict rules")
        self.before = [c for c in before if _known(c)]
        self.after = after
        # The stored settings after the last do and undo: undo and redo refuse to
        # overwrite settings changed meanwhile (another window).
        self.left_before: list[RuleConfig] | None = None
        self.left_after: list[RuleConfig] | None = None

    def _stored(self) -> list[RuleConfig]:
        return sorted(service.rule_settings(self.context.plan), key=lambda c: c.rule_id)

    def apply(self) -> None:
        if self.left_before is not None:
            check_unchanged(self._stored(), self.left_before, "The conflict rules")
        service.save_rule_settings(self.context.plan, self.after)
        self.left_after = self._stored()

    def revert(self) -> None:
        check_unchanged(self._stored(), self.left_after, "The conflict rules")
        service.save_rule_settings(self.context.plan, self.before)
        self.left_before = self._stored()


def open_rules_dialog(context: PlanContext, parent: QWidget) -> RulesDialog:
    """Plan → Conflict rules…: the dialog, opened (not modal-blocking); OK saves."""
    dialog = RulesDialog(parent, service.rule_settings(context.plan))

    def save() -> None:
        if dialog.changed():
            context.execute(ChangeRules(context, dialog.original, dialog.settings()))

    dialog.dialog.accepted.connect(save)
    dialog.dialog.open()
    return dialog
