"""Workarounds for bugs in the Qt bindings, applied once when the GUI package is imported."""

from __future__ import annotations

import ctypes
import sys

# PySide6 6.12 releases one reference to None each time a QBrush argument is passed
# (QPainter.setBrush, QPainter.fillPath, ...). On CPython before 3.12, where None is an
# ordinary object, a few hundred thousand such calls (minutes of repainting a busy
# calendar) bring its count to zero and the interpreter aborts with "none_dealloc".
# Raising the count once by 2**40 makes None as good as immortal, which is what CPython
# 3.12 does by design; should the bindings be fixed, the extra count is harmless.
_HEADROOM = 1 << 40


def keep_none_alive() -> None:
    """Give None enough references that leaked releases can never free it."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < _HEADROOM:
        count.value += _HEADROOM
