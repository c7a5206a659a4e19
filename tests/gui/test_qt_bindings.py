"""The Qt bindings the app is installed with do not leak references to None.

PySide6 6.12.0 released a reference to None on every brush argument (QPainter.setBrush,
fillPath); on Python 3.11 a few minutes of painting the calendar then freed None and
aborted the app ("none_dealloc"). pyproject.toml excludes that release; this test fails
on any binding with the same leak, long before it could crash.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath


def test_painting_with_brushes_keeps_none_alive(qtbot) -> None:
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    path = QPainterPath()
    path.addRect(0, 0, 10, 10)
    colour = QColor("#2f6fde")
    brush = QBrush(colour)
    before = sys.getrefcount(None)
    for _ in range(100):
        painter.setBrush(brush)
        painter.setBrush(colour)
        painter.fillPath(path, brush)
    painter.end()
    assert image.pixelColor(5, 5) == colour
    # A few references come and go with the interpreter's own work; the leak loses 300.
    assert sys.getrefcount(None) > before - 100
