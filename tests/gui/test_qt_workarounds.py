"""A long painting session never exhausts None (a reference leak in PySide6's QBrush)."""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

import smarketing_desktop.gui  # noqa: F401 (installs the workaround, as the app does)


def test_a_long_painting_session_survives_the_brush_leak(qtbot) -> None:
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    path = QPainterPath()
    path.addRect(0, 0, 10, 10)
    colour = QColor("#2f6fde")
    before = sys.getrefcount(None)
    # More brush calls than None has references in a fresh interpreter: without the
    # workaround this aborts the process on the bindings that leak.
    for _ in range(150_000):
        painter.setBrush(colour)
        painter.fillPath(path, colour)
    painter.end()
    assert image.pixelColor(5, 5) == colour
    leaked = before - sys.getrefcount(None)
    assert leaked <= 0 or sys.getrefcount(None) > 1 << 39
