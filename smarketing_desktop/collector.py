"""Holding Python's cyclic garbage collector through bulk work.

Reading a plan or a calendar file, and checking a plan for conflicts, make a record per
item, occurrence, event or conflict while all the others stay alive. The collector
would scan all of them again and again (up to 40% of the time), and nothing made there
becomes cyclic garbage before the work ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector for the ``with`` block.

    Process-wide: another thread's bulk work that overlaps only loses the speed-up, and
    the collector is on again once the first block that turned it off ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
