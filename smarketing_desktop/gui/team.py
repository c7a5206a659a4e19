"""The Team tab: the people in sales and marketing, with add, edit and remove."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smarketing_desktop.domain.people import Person
from smarketing_desktop.domain.words import PERSON_TEAMS
from smarketing_desktop.errors import ConcurrentEditError, UserError
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.context import PEOPLE, PlanCommand, PlanContext
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.labels import short
from smarketing_desktop.gui.palette import avatar, team_mark
from smarketing_desktop.gui.resources import icon
from smarketing_desktop.gui.rich import bold, message
from smarketing_desktop.gui.widgets import note, read_only_table
from smarketing_desktop.services import people as people_service

COLUMNS = ("Name", "Team", "Role", "E-mail", "Phone")
AVATAR = 22
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Index = QModelIndex | QPersistentModelIndex


class PeopleModel(QAbstractTableModel):
    """The people of the plan (plain dataclasses from the people service) as table rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: list[Person] = []
        self._avatars: dict[str, QPixmap] = {}

    def set_people(self, people: list[Person]) -> None:
        self.beginResetModel()
        self.people = people
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self.people[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (person.name, person.team.capitalize(), person.role, person.email, person.phone)[
                index.column()
            ]
        if role == Qt.ItemDataRole.DecorationRole:
            if index.column() == 0:
                return self._avatar(person.name)
            return team_mark(person.team) if index.column() == 1 else None
        if role == Qt.ItemDataRole.UserRole:
            return person.id
        return None

    def _avatar(self, name: str) -> QPixmap:
        image = self._avatars.get(name)
        if image is None:
            image = self._avatars[name] = avatar(name, AVATAR)
        return image

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def row_of(self, person_id: str) -> int:
        return next((n for n, p in enumerate(self.people) if p.id == person_id), -1)


class PersonDialog:
    """The person form (ui/person_dialog.ui): OK only when the entry can be saved."""

    def __init__(self, parent: QWidget, person: Person | None = None) -> None:
        self.dialog = cast(QDialog, load_form("person_dialog.ui", parent))
        self.dialog.setWindowTitle("Edit person" if person else "Add person")
        find = self.dialog.findChild
        self.name = cast(QLineEdit, find(QLineEdit, "nameEdit"))
        self.team = cast(QComboBox, find(QComboBox, "teamCombo"))
        self.role = cast(QLineEdit, find(QLineEdit, "roleEdit"))
        self.email = cast(QLineEdit, find(QLineEdit, "emailEdit"))
        self.phone = cast(QLineEdit, find(QLineEdit, "phoneEdit"))
        self.problem = cast(QLabel, find(QLabel, "problemLabel"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        for team in PERSON_TEAMS:
            self.team.addItem(team.label, team.value)
        self.original = person
        if person:
            self.name.setText(person.name)
            self.team.setCurrentIndex(max(0, self.team.findData(person.team)))
            self.role.setText(person.role)
            self.email.setText(person.email)
            self.phone.setText(person.phone)
        self.buttons.accepted.connect(self.dialog.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        for field in (self.name, self.email):
            field.textChanged.connect(self._check)
        self._check()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _check(self) -> None:
        problem = ""
        if not self.name.text().strip():
            problem = "A person needs a name."
        elif self.email.text().strip() and not _EMAIL.match(self.email.text().strip()):
            problem = f"“{self.email.text().strip()}” is not an e-mail address."
        self.problem.setText(problem if self.name.text() or self.email.text() else "")
        self.ok_button.setEnabled(not problem)

    def person(self) -> Person:
        base = self.original or Person(id="", name="", team="marketing")
        return replace(
            base,
            name=self.name.text(),
            team=str(self.team.currentData()),
            role=self.role.text(),
            email=self.email.text(),
            phone=self.phone.text(),
        )


class AddPerson(PlanCommand):
    topic = PEOPLE

    def __init__(self, context: PlanContext, person: Person) -> None:
        super().__init__(context, f"Add {short(person.name)}")
        self.person = person

    def apply(self) -> None:
        if self.person.id and self.person.version:  # a redo: the same person again
            self.person = people_service.restore_person(self.context.plan, self.person)
        else:
            self.person = people_service.add_person(self.context.plan, self.person)

    def revert(self) -> None:
        people_service.remove_person(self.context.plan, self.person.id)


class EditPerson(PlanCommand):
    topic = PEOPLE

    def __init__(self, context: PlanContext, before: Person, after: Person) -> None:
        super().__init__(context, f"Edit {short(before.name)}")
        self.before, self.after = before, after
        self.done = False

    def apply(self) -> None:
        if not self.done:
            # The first save checks the version the dialog saw.
            self.after = people_service.update_person(self.context.plan, self.after)
            self.done = True
        else:
            self._swap(expected=self.before, target=self.after)

    def revert(self) -> None:
        self._swap(expected=self.after, target=self.before)

    def _swap(self, *, expected: Person, target: Person) -> None:
        # Undo and redo compare content: later steps on the same person move its version
        # counter on, yet the person is still exactly as this step left it.
        current = people_service.get_person(self.context.plan, target.id)
        if replace(current, version=0) != replace(expected, version=0):
            raise ConcurrentEditError(
                f"{current.name} was changed in another window or by another command in "
                "the meantime, so this cannot be undone or redone."
            )
        people_service.update_person(self.context.plan, replace(target, version=current.version))


class RemovePerson(PlanCommand):
    topic = PEOPLE

    def __init__(self, context: PlanContext, person: Person) -> None:
        super().__init__(context, f"Remove {short(person.name)}")
        self.person = person

    def apply(self) -> None:
        self.person = people_service.remove_person(self.context.plan, self.person.id)

    def revert(self) -> None:
        self.person = people_service.restore_person(self.context.plan, self.person)


class TeamTab(QWidget):
    def __init__(self, context: PlanContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dialog: PersonDialog | None = None
        self.model = PeopleModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.search = QLineEdit(placeholderText="Search people…", clearButtonEnabled=True)
        self.search.setObjectName("peopleSearch")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.add_button = QPushButton(icon("person-add"), "Add person…")
        self.edit_button = QPushButton(icon("edit"), "Edit…")
        self.remove_button = QPushButton(icon("remove"), "Remove")
        self.add_button.clicked.connect(self.add_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)

        self.table = read_only_table("peopleTable", self.proxy, {0: 200, 1: 120, 2: 220, 3: 300})
        self.table.setIconSize(QSize(AVATAR, AVATAR))
        self.table.verticalHeader().setDefaultSectionSize(36)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.count = note()
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # Only while the table has focus: Return and Delete mean other things elsewhere.
        for key, slot in (
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected),
            (QKeySequence(Qt.Key.Key_Return), self.edit_selected),
        ):
            shortcut = QShortcut(key, self.table, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)

        tools = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.remove_button):
            tools.addWidget(widget)
        tools.addSpacing(12)
        tools.addWidget(self.count)
        tools.addStretch(1)
        tools.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(tools)
        layout.addWidget(self.table)
        context.changed.connect(self._on_changed)
        context.plan_replaced.connect(self.refresh)
        self.refresh()

    def _on_changed(self, topic: str) -> None:
        if topic == PEOPLE:
            self.refresh()

    def refresh(self) -> None:
        selected = self.selected_person()
        people = people_service.list_people(self.context.plan)
        self.model.set_people(people)
        marketing = sum(1 for p in people if p.team == "marketing")
        self.count.setText(
            f"{len(people)} {'person' if len(people) == 1 else 'people'} · "
            f"{marketing} in marketing · {len(people) - marketing} in sales"
        )
        if selected:
            self.select(selected.id)
        self._update_buttons()

    def select(self, person_id: str) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectRow(index.row())

    def selected_person(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.people[self.proxy.mapToSource(rows[0]).row()]

    def _update_buttons(self) -> None:
        has = self.selected_person() is not None
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _open_dialog(self, person: Person | None) -> PersonDialog:
        self.dialog = PersonDialog(self, person)
        self.dialog.dialog.accepted.connect(lambda: self._dialog_accepted(person))
        self.dialog.dialog.open()
        return self.dialog

    def add_person(self) -> PersonDialog:
        return self._open_dialog(None)

    def edit_selected(self) -> PersonDialog | None:
        person = self.selected_person()
        return self._open_dialog(person) if person else None

    def _dialog_accepted(self, before: Person | None) -> None:
        assert self.dialog is not None
        after = self.dialog.person()
        if before is None:
            command: PlanCommand = AddPerson(self.context, after)
        elif after == before:
            return
        else:
            command = EditPerson(self.context, before, after)
        if self.context.execute(command):
            person = command.person if isinstance(command, AddPerson) else after
            self.select(person.id)

    def remove_selected(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        try:
            owned = people_service.owned_items(self.context.plan, person.id)
        except UserError as error:
            self.context.report(error)
            return
        if owned:
            shown = "\n".join(f"• {title}" for title in owned[:8])
            more = f"\n…and {len(owned) - 8} more" if len(owned) > 8 else ""
            QMessageBox.information(
                self,
                f"{person.name} still owns items",
                message(
                    f"{person.name} owns {len(owned)} item{'s' if len(owned) != 1 else ''} on "
                    f"the calendar:\n\n{shown}{more}\n\nGive them another owner first."
                ),
            )
            return
        answer = QMessageBox.question(
            self,
            "Remove person",
            f"<p>Remove {bold(person.name)} from the team? You can undo this.</p>",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.context.execute(RemovePerson(self.context, person))

    def save_state(self) -> None:
        settings.TEAM_HEADER.set(self.table.horizontalHeader().saveState())

    def restore_state(self) -> None:
        state = settings.TEAM_HEADER.get()
        if not state.isEmpty():
            self.table.horizontalHeader().restoreState(state)
