"""The persona editor (ui/persona_editor.ui): every field of one persona, each change undoable.

Text fields are saved while the user types (a moment after the last key, and at once when
the field loses focus); consecutive saves of one field merge into one undo step. List
fields are ``ListEditor``s whose every add, edit, remove or move is one undo step. The
editor shows what is stored: after every step it reads the persona back, so undo, redo and
a refused change (another window edited it first) all show the truth.
"""

from __future__ import annotations

import base64
import datetime as dt
from itertools import count, pairwise
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from smarketing_desktop.domain.items import Occurrence
from smarketing_desktop.domain.periods import coming_months
from smarketing_desktop.domain.words import BuyingStage, Kind
from smarketing_desktop.errors import NotFoundError, UserError
from smarketing_desktop.gui.context import PlanContext
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.forms import load_form
from smarketing_desktop.gui.list_editor import ListEditor
from smarketing_desktop.gui.palette import avatar, kind_icon
from smarketing_desktop.gui.persona_commands import EditPersona, Focus
from smarketing_desktop.gui.rich import literal_tooltip
from smarketing_desktop.gui.widgets import read_only_table
from smarketing_desktop.services import personas as service

Document = dict[str, Any]
Index = QModelIndex | QPersistentModelIndex
PICTURE = 96
SAVE_DELAY_MS = 600
PICTURE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp *.webp *.tif *.tiff);;All files (*)"
BUYING_ROLES = (
    ("", "Not set"),
    ("decision_maker", "Decision maker"),
    ("influencer", "Influencer"),
    ("user", "User"),
    ("gatekeeper", "Gatekeeper"),
)
# Plain lists: field, form group, what one entry is called.
LISTS = (
    ("goals", "goalsGroup", "goal"),
    ("challenges", "challengesGroup", "challenge"),
    ("objections", "objectionsGroup", "objection"),
    ("information_sources", "sourcesGroup", "source"),
    ("channels", "channelsGroup", "channel"),
    ("customers", "customersGroup", "customer"),
)
INSIGHTS = (
    ("insights_sales", "salesInsightsGroup"),
    ("insights_marketing", "marketingInsightsGroup"),
)
ITEM_COLUMNS = ("Title", "Kind", "When", "Stage")


def when(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    return f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"


class PersonaItemsModel(QAbstractTableModel):
    """The occurrences that target the persona: title (kind colour), kind, dates, stage."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.occurrences: list[Occurrence] = []
        self.stages: dict[str, str] = {}

    def set_occurrences(self, occurrences: list[Occurrence], stages: dict[str, str]) -> None:
        self.beginResetModel()
        self.occurrences = occurrences
        self.stages = stages
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.occurrences)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ITEM_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        occurrence = self.occurrences[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            kind = Kind(occurrence.kind) if occurrence.kind in Kind._value2member_map_ else None
            return (
                occurrence.title,
                kind.value.replace("_", " ").capitalize() if kind else occurrence.kind,
                when(occurrence.start, occurrence.end),
                self.stages.get(occurrence.uid, "").capitalize() or "—",
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return kind_icon(occurrence.kind)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return literal_tooltip(occurrence.title, when(occurrence.start, occurrence.end))
        if role == Qt.ItemDataRole.UserRole:
            return occurrence.uid
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ITEM_COLUMNS[section]
        return None


class PersonaEditor(QWidget):
    """Edits the persona ``persona_id`` (None: nothing to edit)."""

    show_item = Signal(str)

    def __init__(self, context: PlanContext, focus: Focus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.focus = focus
        self.document: Document | None = None
        self.today = dt.date.today()
        self._loading = False
        self._sessions = count(1)
        self._session = next(self._sessions)
        self._unsaved: set[str] = set()

        self.form = load_form("persona_editor.ui", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        find = self.form.findChild
        self.picture = cast(QLabel, find(QLabel, "pictureLabel"))
        self.choose_picture = cast(QPushButton, find(QPushButton, "choosePictureButton"))
        self.remove_picture = cast(QPushButton, find(QPushButton, "removePictureButton"))
        self.buying_role = cast(QComboBox, find(QComboBox, "buyingRoleCombo"))
        self.buying_stage = cast(QComboBox, find(QComboBox, "buyingStageCombo"))
        self.items_note = cast(QLabel, find(QLabel, "itemsNote"))
        self.items_note.setTextFormat(Qt.TextFormat.PlainText)
        self.line_edits: dict[str, QLineEdit] = {
            field: cast(QLineEdit, find(QLineEdit, name))
            for field, name in (
                ("name", "nameEdit"),
                ("role", "roleEdit"),
                ("company_size", "companySizeEdit"),
                ("industry", "industryEdit"),
            )
        }
        self.text_edits: dict[str, QPlainTextEdit] = {
            "quote": cast(QPlainTextEdit, find(QPlainTextEdit, "quoteEdit")),
            "notes": cast(QPlainTextEdit, find(QPlainTextEdit, "notesEdit")),
        }
        self.lists: dict[str, ListEditor] = {}
        for field, group, noun in LISTS:
            self.lists[field] = self._place(ListEditor(noun), group)
        for field, group in INSIGHTS:
            editor = ListEditor("insight", ("Who", "What they said"))
            self.lists[field] = self._place(editor, group)

        for value, label in BUYING_ROLES:
            self.buying_role.addItem(label, value)
        self.buying_stage.addItem("Not set", "")
        for stage in BuyingStage:
            self.buying_stage.addItem(stage.value.capitalize(), stage.value)

        self.items_model = PersonaItemsModel(self)
        self.items_table = read_only_table(
            "personaItems", self.items_model, {0: 260, 1: 130, 2: 190}
        )
        self.items_table.setMinimumHeight(140)
        self.items_table.doubleClicked.connect(self._item_activated)
        items_group = cast(QGroupBox, find(QGroupBox, "itemsGroup"))
        items_layout = items_group.layout()
        assert items_layout is not None
        items_layout.addWidget(self.items_table)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.flush)
        context.before_undo.connect(self._end_typing)
        self._connect()
        self._set_tab_order()
        self.setEnabled(False)

    def _place(self, editor: ListEditor, group_name: str) -> ListEditor:
        group = cast(QGroupBox, self.form.findChild(QGroupBox, group_name))
        layout = group.layout()
        assert layout is not None
        layout.addWidget(editor)
        editor.setObjectName(f"{group_name.removesuffix('Group')}Editor")
        editor.view.setMinimumHeight(84)
        editor.view.setMaximumHeight(132)
        return editor

    def _connect(self) -> None:
        for field, edit in self.line_edits.items():
            edit.textEdited.connect(lambda _text, f=field: self._typed(f))
            edit.editingFinished.connect(self._end_typing)
        for field, text_edit in self.text_edits.items():
            text_edit.textChanged.connect(lambda f=field: self._typed(f))
            text_edit.installEventFilter(self)
        for field, editor in self.lists.items():
            editor.committed.connect(
                lambda rows, text, f=field: self._list_committed(f, rows, text)
            )
        self.buying_role.activated.connect(
            lambda _n: self.commit("buying_role", self.buying_role.currentData())
        )
        self.buying_stage.activated.connect(
            lambda _n: self.commit("buying_stage", self.buying_stage.currentData())
        )
        self.choose_picture.clicked.connect(self.choose_picture_file)
        self.remove_picture.clicked.connect(lambda: self.commit("picture", None, "Remove picture"))

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.line_edits["name"],
            self.line_edits["role"],
            self.choose_picture,
            self.remove_picture,
            self.line_edits["company_size"],
            self.line_edits["industry"],
            self.buying_role,
            self.buying_stage,
            self.text_edits["quote"],
        ]
        for field, _group, _noun in LISTS:
            chain += [self.lists[field].view, self.lists[field].add_button]
        for field, _group in INSIGHTS:
            chain += [self.lists[field].view, self.lists[field].add_button]
        chain += [self.text_edits["notes"], self.items_table]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- showing ------------------------------------------------------------------------

    @property
    def persona_id(self) -> str | None:
        return self.document["id"] if self.document else None

    def load(self, persona_id: str | None) -> None:
        """Show the stored persona (None, or one deleted meanwhile: an empty, disabled form)."""
        if persona_id != self.persona_id:
            self.flush()
            self._end_typing()
        document = None
        if persona_id is not None:
            try:
                document = service.get_persona(self.context.plan, persona_id)
            except NotFoundError:
                document = None
        self.show_document(document)

    def show_document(self, document: Document | None) -> None:
        """Show ``document``; text typed into the same persona and not saved yet stays."""
        same = bool(document and self.document and document["id"] == self.document["id"])
        if not same:
            self._unsaved.clear()
            self.save_timer.stop()
        keep = set(self._unsaved)
        self.document = document
        self.setEnabled(document is not None)
        shown = document or {field: "" for field in service.FIELDS}
        self._loading = True
        try:
            for field, edit in self.line_edits.items():
                if field not in keep and edit.text() != shown[field]:
                    edit.setText(shown[field] or "")
                    edit.setCursorPosition(0)
            for field, text_edit in self.text_edits.items():
                if field not in keep and text_edit.toPlainText() != shown[field]:
                    text_edit.setPlainText(shown[field] or "")
            role = self.buying_role.findData(shown["buying_role"])
            self.buying_role.setCurrentIndex(max(0, role))
            self.buying_stage.setCurrentIndex(
                max(0, self.buying_stage.findData(shown["buying_stage"]))
            )
            for field, _group, _noun in LISTS:
                self.lists[field].set_rows([[v] for v in shown[field] or []])
            for field, _group in INSIGHTS:
                self.lists[field].set_rows([[i["who"], i["text"]] for i in shown[field] or []])
        finally:
            self._loading = False
        self._show_picture()
        if not same:
            # Editing a persona does not change which items target it: read those only
            # when another persona is shown (and on item changes, see refresh_items).
            self.refresh_items()

    def _show_picture(self) -> None:
        document = self.document
        stored = document["picture"] if document else None
        picture = base64.b64decode(stored) if stored else None
        name = document["name"] if document else ""
        self.picture.setPixmap(avatar(name, PICTURE, picture))
        self.remove_picture.setEnabled(picture is not None)

    def refresh_items(self) -> None:
        """The items that target the persona from today through the coming quarter."""
        if self.document is None:
            self.items_model.set_occurrences([], {})
            self.items_note.setText("")
            return
        first, last = coming_months(self.today)  # "the coming quarter"
        persona_id = self.document["id"]
        occurrences = service.items_for_persona(self.context.plan, persona_id, first, last)
        stages = {
            entry.uid: stage.value
            for stage, entries in service.journey_items(self.context.plan, first, last)
            .get(persona_id, {})
            .items()
            for entry in entries
        }
        self.items_model.set_occurrences(occurrences, stages)
        span = when(first, last)
        if occurrences:
            number = len(occurrences)
            self.items_note.setText(
                f"{number} item{'s' if number != 1 else ''} target this persona ({span}). "
                "Double-click one to see it on the calendar."
            )
        else:
            self.items_note.setText(
                f"Nothing on the calendar targets this persona ({span}). Choose it as a "
                "target persona of a campaign, post or event to reach this buyer."
            )

    # --- saving ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self.text_edits.values():
            self._end_typing()
        return super().eventFilter(watched, event)

    def _typed(self, field: str) -> None:
        if self._loading or self.document is None:
            return
        self._drop_nuls(field)
        self._unsaved.add(field)
        self.save_timer.start()
        if field == "name":
            self._show_initials()

    def _drop_nuls(self, field: str) -> None:
        """Take NUL characters (pasted from a binary file) out of the field at once.

        The plan refuses text with NULs; dropping them where they were typed keeps the
        rest of the typing, which a refused save would throw away.
        """
        if field in self.line_edits:
            edit = self.line_edits[field]
            text = edit.text()
            if "\x00" in text:
                position = edit.cursorPosition() - text[: edit.cursorPosition()].count("\x00")
                edit.setText(text.replace("\x00", ""))
                edit.setCursorPosition(position)
            return
        document = self.text_edits[field].document()
        found = document.find("\x00")
        while not found.isNull():
            found.removeSelectedText()
            found = document.find("\x00", found)

    def _show_initials(self) -> None:
        if self.document and not self.document.get("picture"):
            self.picture.setPixmap(avatar(self.line_edits["name"].text(), PICTURE))

    def _value(self, field: str) -> str:
        if field in self.line_edits:
            return self.line_edits[field].text()
        return self.text_edits[field].toPlainText()

    def flush(self) -> None:
        """Save what was typed and not saved yet."""
        self.save_timer.stop()
        values = {field: self._value(field) for field in sorted(self._unsaved)}
        self._unsaved.clear()
        for field, value in values.items():
            if field == "name" and not value.strip():
                continue  # a persona needs a name: kept unsaved until one is typed
            self.commit(field, value, typing=True)

    def _end_typing(self) -> None:
        """The field lost focus: save now, and the next typing is a new undo step."""
        if not all(isValid(edit) for edit in self.line_edits.values()):
            return  # the window is being torn down (it saved on closing)
        self.flush()
        name = self.line_edits["name"]
        if self.document and not name.text().strip() and not name.hasFocus():
            self._loading = True
            name.setText(self.document["name"])  # left blank: the stored name comes back
            self._loading = False
        self._session = next(self._sessions)

    def _list_committed(self, field: str, rows: list[list[str]], text: str) -> None:
        if field.startswith("insights_"):
            value: list[Any] = [{"who": who, "text": what} for who, what in rows]
        else:
            value = [row[0] for row in rows]
        self.flush()
        self._session = next(self._sessions)
        if not self.commit(field, value, text):
            self.lists[field].set_rows(self.lists[field].rows())

    def commit(self, field: str, value: Any, text: str = "", *, typing: bool = False) -> bool:
        """One edit as an undo step; True if it was stored.

        Saves of ``typing`` in one field merge until the field loses focus; any other
        edit (a picture, a choice, a list change) is a step of its own.
        """
        document = self.document
        if document is None or document[field] == value:
            return False
        command = EditPersona(
            self.context,
            document["id"],
            field,
            document[field],
            value,
            version=int(document["row_version"]),
            session=(document["id"], field, self._session) if typing else None,
            text=text,
            focus=self.focus,
        )
        if self.context.execute(command):
            if self.persona_id == command.persona_id and command.saved is not None:
                self.show_document(command.saved)
            return True
        # Refused (bad text, or changed in another window): show what is stored.
        self.load(document["id"])
        return False

    def choose_picture_file(self) -> None:
        if self.document is None:
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose a picture", str(Path.home()), PICTURE_FILTER
        )
        if name:
            self.set_picture_file(Path(name))

    def set_picture_file(self, path: Path) -> bool:
        """Store the image at ``path`` as the picture; a clear message if it cannot be used."""
        try:
            picture = service.picture_from_file(path)
        except UserError as error:
            show_error(self, "Cannot use this picture", str(error))
            return False
        return self.commit("picture", picture, "Change picture")

    def _item_activated(self, index: QModelIndex) -> None:
        uid = self.items_model.data(index, Qt.ItemDataRole.UserRole)
        if uid:
            self.show_item.emit(uid)
