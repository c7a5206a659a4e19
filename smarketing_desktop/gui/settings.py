"""Every QSettings key the app uses, declared once with its type (Picard's options idea).

User preferences and window state are kept apart: state is what the app remembers on its
own (geometry, the open tab, recent plans); preferences are what the user chose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from smarketing_desktop import APP_ID, ORG_NAME

T = TypeVar("T")
MAX_RECENT = 8


def qsettings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_ID)


class Option(Generic[T]):
    """A typed setting: ``Option[int]("state/tab", 0).get()``."""

    def __init__(self, key: str, default: T) -> None:
        self.key = key
        self.default = default

    def get(self, settings: QSettings | None = None) -> T:
        settings = settings or qsettings()
        value = settings.value(self.key, self.default)
        if value is None:
            return self.default
        kind = type(self.default)
        if kind is bool and isinstance(value, str):
            return value.lower() == "true"  # type: ignore[return-value]
        if kind is list and not isinstance(value, list):
            return [value]  # type: ignore[return-value]
        try:
            return kind(value) if not isinstance(value, kind) else value  # type: ignore[call-arg]
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T, settings: QSettings | None = None) -> None:
        (settings or qsettings()).setValue(self.key, value)


# Window state.
GEOMETRY: Option[QByteArray] = Option("state/geometry", QByteArray())
WINDOW_STATE: Option[QByteArray] = Option("state/window_state", QByteArray())
CURRENT_TAB: Option[int] = Option("state/current_tab", 0)
LAST_PLAN: Option[str] = Option("state/last_plan", "")
RECENT_PLANS: Option[list[str]] = Option("state/recent_plans", [])
TEAM_HEADER: Option[QByteArray] = Option("state/team_header", QByteArray())
PERSONAS_SPLITTER: Option[QByteArray] = Option("state/personas_splitter", QByteArray())
SLA_SPLITTER: Option[QByteArray] = Option("state/sla_splitter", QByteArray())
SLA_EXPORT_FOLDER: Option[str] = Option("state/sla_export_folder", "")
REVIEW_PERIOD: Option[str] = Option("state/review_period", "this-quarter")
REVIEW_HEADER: Option[QByteArray] = Option("state/review_header", QByteArray())
REVIEW_SPLITTER: Option[QByteArray] = Option("state/review_splitter", QByteArray())
# The calendar's filters (ItemFilter.to_json as JSON text) and the agenda's "show past".
CALENDAR_FILTER: Option[str] = Option("state/calendar_filter", "")
AGENDA_SHOW_PAST: Option[bool] = Option("state/agenda_show_past", False)
AGENDA_HEADER: Option[QByteArray] = Option("state/agenda_header", QByteArray())
# The calendar's view (month, week, quarter, agenda), the timeline's lanes and zoom
# (pixels per day; 0: fit the quarter to the width).
CALENDAR_VIEW: Option[str] = Option("state/calendar_view", "month")
TIMELINE_LANES: Option[str] = Option("state/timeline_lanes", "team")
TIMELINE_ZOOM: Option[float] = Option("state/timeline_zoom", 0.0)
# Whether the ideas backlog shows beside the calendar (it shows on the Calendar tab only).
BACKLOG_SHOWN: Option[bool] = Option("state/backlog_shown", True)

# User preferences.
SHOW_TOOLBAR: Option[bool] = Option("preferences/show_toolbar", True)
SHOW_STATUSBAR: Option[bool] = Option("preferences/show_statusbar", True)
# The person (id) who enters campaign results on this computer.
RESULTS_ENTERED_BY: Option[str] = Option("preferences/results_entered_by", "")


def remember_plan(path: Path) -> list[str]:
    """Put ``path`` first in the recent plans (and as the last opened); returns the list."""
    text = str(path)
    recent = [p for p in RECENT_PLANS.get() if p != text]
    recent = [text, *recent][:MAX_RECENT]
    RECENT_PLANS.set(recent)
    LAST_PLAN.set(text)
    return recent


def recent_plans() -> list[str]:
    """Recent plans that still exist (missing files are dropped from the list)."""
    recent = RECENT_PLANS.get()
    existing = [p for p in recent if Path(p).is_file()]
    if existing != recent:
        RECENT_PLANS.set(existing)
    return existing
