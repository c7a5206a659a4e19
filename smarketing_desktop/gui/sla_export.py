"""Saving an SLA as a PDF from the GUI: ask where, write atomically, offer to open it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from smarketing_desktop.domain.people import slugify
from smarketing_desktop.errors import UserError
from smarketing_desktop.gui import settings
from smarketing_desktop.gui.errors import show_error
from smarketing_desktop.gui.rich import message
from smarketing_desktop.services.exports import export_sla_pdf

log = logging.getLogger("smarketing.gui.slas")


def ask_and_export(parent: QWidget, document: dict[str, Any], folder: Path) -> Path | None:
    """Ask for a file name (proposing ``title-vN.pdf``), then export; the path written.

    Args:
        parent: The window the dialogs belong to.
        document: The SLA version to print (the service's exchange shape).
        folder: Where to propose the file when no PDF was exported before.
    """
    start = Path(settings.SLA_EXPORT_FOLDER.get() or folder)
    proposed = start / f"{slugify(document['title'], 'sla')}-v{document['version']}.pdf"
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export SLA as PDF", str(proposed), "PDF documents (*.pdf)"
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    return path if export_to(parent, path, document) else None


def export_to(parent: QWidget, path: Path, document: dict[str, Any]) -> bool:
    """Write ``document`` as a PDF to ``path`` (atomically), then offer to open it.

    A failure (a full disk, a folder without write access) is shown and leaves any
    earlier file at ``path`` as it was, with nothing half-written beside it.
    """
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        export_sla_pdf(document, path)
    except UserError as error:
        QApplication.restoreOverrideCursor()
        show_error(parent, "Cannot export the SLA", str(error))
        return False
    except BaseException:
        QApplication.restoreOverrideCursor()
        raise
    QApplication.restoreOverrideCursor()
    settings.SLA_EXPORT_FOLDER.set(str(path.parent))
    log.info("exported SLA %s version %s to %s", document["id"], document["version"], path)
    answer = QMessageBox.question(
        parent,
        "SLA exported",
        message(
            f"Saved “{document['title']}” (version {document['version']}) to\n{path}\n\n"
            "Open it now?"
        ),
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
    )
    if answer in (QMessageBox.StandardButton.Open, QMessageBox.StandardButton.Yes):
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return True
