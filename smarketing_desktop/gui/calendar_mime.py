"""What drags and the clipboard carry between the calendar views, the backlog and other plans.

A drag inside the app carries item uids only (``ITEM_UIDS_MIME``): the drop calls a
service with them and never edits data itself. The clipboard carries whole items in the
plan-exchange shape (``ITEMS_MIME``), so a copy can be pasted into another plan, plus a
plain-text list for any other application.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMimeData

ITEM_UIDS_MIME = "application/x-smarketing-item-uids"
ITEMS_MIME = "application/x-smarketing-items"
SOURCES = ("backlog", "calendar")

Document = dict[str, Any]


def encode_uids(uids: Sequence[str], source: str) -> QMimeData:
    """Item uids being dragged, and where the drag started ("backlog" or "calendar")."""
    if source not in SOURCES:
        raise ValueError(f"unknown drag source {source!r}")
    mime = QMimeData()
    payload = json.dumps({"source": source, "uids": list(uids)}, ensure_ascii=False)
    mime.setData(ITEM_UIDS_MIME, payload.encode("utf-8"))
    return mime


def decode_uids(mime: QMimeData | None) -> tuple[list[str], str] | None:
    """The uids and source of a drag, or None when it carries no (readable) items."""
    if mime is None or not mime.hasFormat(ITEM_UIDS_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(ITEM_UIDS_MIME).data()).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    uids, source = payload.get("uids"), payload.get("source")
    if source not in SOURCES or not isinstance(uids, list) or not uids:
        return None
    if not all(isinstance(uid, str) and uid for uid in uids):
        return None
    return uids, source


def _when(document: Document) -> str:
    start, end = document.get("start"), document.get("end")
    if not start:
        return "not scheduled"
    try:
        first = dt.date.fromisoformat(str(start)[:10])
        last = dt.date.fromisoformat(str(end or start)[:10])
    except ValueError:
        return str(start)
    text = f"{first:%a} {first.day} {first:%b %Y}"
    if "T" in str(start):
        text += f" {str(start)[11:16]}"
    if last != first:
        text += f" – {last:%a} {last.day} {last:%b %Y}"
    return text


def plain_text(documents: Sequence[Document]) -> str:
    """One line per item (``Spring expo — Wed 10 Mar 2027 – Fri 12 Mar 2027``)."""
    return "".join(f"{d.get('title', '')} — {_when(d)}\n" for d in documents)


def encode_items(documents: Sequence[Document]) -> QMimeData:
    """Items for the clipboard: the exchange documents, and a plain-text list of them."""
    mime = QMimeData()
    mime.setData(ITEMS_MIME, json.dumps(list(documents), ensure_ascii=False).encode("utf-8"))
    mime.setText(plain_text(documents))
    return mime


def decode_items(mime: QMimeData | None) -> list[Document] | None:
    """The item documents on the clipboard, or None if it holds none.

    Only the outer shape is checked here; the paste service checks every field and
    refuses the whole paste, naming the bad value, if one is wrong.
    """
    if mime is None or not mime.hasFormat(ITEMS_MIME):
        return None
    try:
        payload = json.loads(bytes(mime.data(ITEMS_MIME).data()).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, list) or not payload:
        return None
    if not all(isinstance(document, dict) for document in payload):
        return None
    return payload
