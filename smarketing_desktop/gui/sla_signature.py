"""The "Record signature" dialog (ui/sla_signature_dialog.ui): who signed, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QDialogButtonBox, QWidget

from smarketing_desktop.domain.sla_outline import signatory_caption
from smarketing_desktop.gui.forms import load_form


class SignatureDialog:
    """Offers the signatories who have not signed yet; the date defaults to today."""

    def __init__(
        self, parent: QWidget, signatories: list[dict[str, Any]], today: dt.date | None = None
    ) -> None:
        self.dialog = cast(QDialog, load_form("sla_signature_dialog.ui", parent))
        find = self.dialog.findChild
        self.signatory = cast(QComboBox, find(QComboBox, "signatoryCombo"))
        self.date = cast(QDateEdit, find(QDateEdit, "dateEdit"))
        self.buttons = cast(QDialogButtonBox, find(QDialogButtonBox, "buttonBox"))
        for position, person in enumerate(signatories):
            if person.get("signed_on"):
                continue
            caption = signatory_caption(person)
            name = person.get("name") or f"Signatory {position + 1}"
            self.signatory.addItem(f"{name} — {caption}" if caption else name, position)
        day = today or dt.date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.buttons.accepted.connect(self.dialog.accept)
        self.buttons.rejected.connect(self.dialog.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Record signature")
        ok.setEnabled(self.signatory.count() > 0)

    def choice(self) -> tuple[int, dt.date]:
        """The position of the chosen signatory and the day they signed."""
        day = self.date.date()
        return int(self.signatory.currentData()), dt.date(day.year(), day.month(), day.day())
