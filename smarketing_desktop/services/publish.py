"""Publishing the plan as an ``.ics`` file that Outlook or Google subscribe to.

The chosen path and filters are kept in the plan itself (``plan_info`` key ``publish``), so
every window and the command line publish the same way. :func:`publish` re-writes the file
atomically (a temporary file, then a rename): a synced folder never holds half a file.
The GUI calls :func:`publish` after each change when publishing is on; a file whose
events are unchanged is left alone, so a synced folder does not upload it again and
subscribers do not download it again.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from smarketing_desktop.domain.filters import ItemFilter
from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.files import check_output_path, write_atomically
from smarketing_desktop.exchange.ical_export import export_ics_bytes
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

log = logging.getLogger("smarketing.publish")

PUBLISH_KEY = "publish"
# When the file was made, not what it says: left out when comparing with the last file.
_STAMP = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r?\n", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """Where the plan is published and which items go into the file."""

    path: Path
    filters: ItemFilter = field(default_factory=ItemFilter)
    enabled: bool = True


def get_publish_settings(plan: Plan) -> PublishSettings | None:
    """The plan's publish settings, or None when it is not published."""
    with plan.read() as session:
        row = session.get(models.PlanInfo, PUBLISH_KEY)
        text = row.value if row else None
    if not text:
        return None
    try:
        data = json.loads(text)
        return PublishSettings(
            path=Path(data["path"]),
            filters=ItemFilter.from_json(data.get("filters") or {}),
            enabled=bool(data.get("enabled", True)),
        )
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring unreadable publish settings: %r", text[:200])
        return None


def publish_path(plan: Plan, path: Path, *, check: bool = True) -> Path:
    """``path`` as the file publishing writes: a relative path is in the plan's folder.

    The app's working folder means nothing to a user (it is wherever the app was
    started from), so a name typed without a folder goes beside the plan.

    Raises:
        UserError: (with ``check``) not an ``.ics`` file, its folder is missing, or it is a
            plan file.
    """
    path = path.expanduser()
    if not path.is_absolute():
        path = plan.path.expanduser().absolute().parent / path
    if not check:
        return path
    if path.suffix.lower() != ".ics":
        raise UserError(f"Publish to an .ics file, not “{path.name}”.")
    return check_output_path(path)


def set_publish_settings(plan: Plan, settings: PublishSettings | None) -> None:
    """Keep (or, with None, forget) where and what the plan publishes.

    A relative path is taken in the plan's folder (:func:`publish_path`).

    Raises:
        UserError: the path is not an ``.ics`` file, (when publishing is on) its folder is
            missing or it is a plan file, or the filters name unknown words.
    """
    with plan.write() as session:
        if settings is None:
            row = session.get(models.PlanInfo, PUBLISH_KEY)
            if row is not None:
                session.delete(row)
            return
        path = publish_path(plan, settings.path, check=settings.enabled)
        if path.suffix.lower() != ".ics":
            raise UserError(f"Publish to an .ics file, not “{path.name}”.")
        settings.filters.check()
        value = json.dumps(
            {
                "path": str(path),
                "filters": settings.filters.to_json(),
                "enabled": settings.enabled,
            },
            sort_keys=True,
        )
        session.merge(models.PlanInfo(key=PUBLISH_KEY, value=value))


@dataclass(frozen=True, slots=True)
class Published:
    """Where the calendar was published, how many events it holds, and whether the file
    was written (False: it already held these events)."""

    path: Path
    events: int
    written: bool = True


def publish(plan: Plan) -> Published | None:
    """Re-write the published file if its events changed, if the plan is published.

    Returns:
        What was published (None if the plan is not published).

    Raises:
        UserError: the file cannot be written (the previous file stays as it was).
    """
    settings = get_publish_settings(plan)
    if settings is None or not settings.enabled:
        return None
    data, count = export_ics_bytes(plan, settings.filters)
    path = settings.path
    if _unchanged(path, data):
        log.debug("published file %s is up to date", path)
        return Published(path, count, written=False)
    write_atomically(path, data)
    log.info("published %d events to %s", count, path)
    return Published(path, count)


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        old = path.read_bytes()
    except OSError:  # not there yet, or unreadable: write it
        return False
    return _STAMP.sub(b"", old) == _STAMP.sub(b"", data)
