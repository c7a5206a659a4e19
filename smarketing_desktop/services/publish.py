"""Publishing the plan as an ``.ics`` file that Outlook or Google subscribe to.

The chosen path and filters are kept in the plan itself (``plan_info`` key ``publish``), so
every window and the command line publish the same way. :func:`publish` re-writes the file
atomically (a temporary file, then a rename): a synced folder never holds half a file.
The GUI calls :func:`publish` after each change when publishing is on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from smarketing_desktop.errors import UserError
from smarketing_desktop.exchange.ical_export import IcsFilter, export_ics
from smarketing_desktop.store import models
from smarketing_desktop.store.planfile import Plan

log = logging.getLogger("smarketing.publish")

PUBLISH_KEY = "publish"


@dataclass(frozen=True, slots=True)
class PublishSettings:
    """Where the plan is published and which items go into the file."""

    path: Path
    filters: IcsFilter = field(default_factory=IcsFilter)
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
            filters=IcsFilter.from_json(data.get("filters") or {}),
            enabled=bool(data.get("enabled", True)),
        )
    except (ValueError, KeyError, TypeError):
        log.warning("ignoring unreadable publish settings: %r", text[:200])
        return None


def set_publish_settings(plan: Plan, settings: PublishSettings | None) -> None:
    """Keep (or, with None, forget) where and what the plan publishes.

    Raises:
        UserError: the path is not an ``.ics`` file or the filters name unknown words.
    """
    with plan.write() as session:
        if settings is None:
            row = session.get(models.PlanInfo, PUBLISH_KEY)
            if row is not None:
                session.delete(row)
            return
        if settings.path.suffix.lower() != ".ics":
            raise UserError(f"Publish to an .ics file, not “{settings.path.name}”.")
        settings.filters.check()
        value = json.dumps(
            {
                "path": str(settings.path.expanduser().absolute()),
                "filters": settings.filters.to_json(),
                "enabled": settings.enabled,
            },
            sort_keys=True,
        )
        session.merge(models.PlanInfo(key=PUBLISH_KEY, value=value))


@dataclass(frozen=True, slots=True)
class Published:
    """Where the calendar was published and how many events it holds."""

    path: Path
    events: int


def publish(plan: Plan) -> Published | None:
    """Re-write the published file, if the plan is published (None if it is not).

    Raises:
        UserError: the file cannot be written (the previous file stays as it was).
    """
    settings = get_publish_settings(plan)
    if settings is None or not settings.enabled:
        return None
    count = export_ics(plan, settings.path, settings.filters)
    log.info("published %d events to %s", count, settings.path)
    return Published(settings.path, count)
