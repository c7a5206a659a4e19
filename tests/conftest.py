"""Test set-up shared by every test: headless Qt and no contact with the user's real files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The default plan, settings and logs of a test run live in a throw-away folder, never in
# the developer's own user folders.
_SANDBOX = Path(tempfile.mkdtemp(prefix="smarketing-tests-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_SANDBOX / _name.lower())
