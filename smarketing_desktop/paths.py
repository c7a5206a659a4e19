"""Where things live: the user's default plan, logs, and the packaged forms and resources."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import platformdirs

from smarketing_desktop import APP_ID, ORG_NAME
from smarketing_desktop.store.planfile import PLAN_SUFFIX


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, ORG_NAME))


def default_plan_path() -> Path:
    """The plan opened when none is named (created with the demo plan on first start)."""
    return data_dir() / f"plan{PLAN_SUFFIX}"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, ORG_NAME))


def form(name: str) -> Traversable:
    """A Qt Designer form from the top-level ``ui/`` folder (installed as package data)."""
    return resources.files("smarketing_desktop.forms") / name


def asset(name: str) -> Traversable:
    """A file from the top-level ``resources/`` folder (installed as package data)."""
    target: Traversable = resources.files("smarketing_desktop.assets")
    for part in name.split("/"):
        target = target / part
    return target
