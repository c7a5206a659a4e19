"""The process's file-creation mask, read without changing it.

``os.umask`` can only be read by setting it and setting it back; done on a worker
thread (an export, publishing), that briefly leaves the whole process with mask 0, and
a file another thread creates then is world-writable. So the mask is read once: from
``/proc/self/status`` where the kernel tells it, else by set-and-restore at import,
before any worker thread exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def _read_umask() -> int:
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        status = ""
    found = re.search(r"^Umask:\s*([0-7]+)\s*$", status, re.MULTILINE)
    if found:
        return int(found.group(1), 8)
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def document_mode() -> int:
    """The permissions a new document gets: read-write as the user's umask allows."""
    return 0o666 & ~UMASK
