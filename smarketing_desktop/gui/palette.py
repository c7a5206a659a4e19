"""Colours and small painted marks shared by the views (kinds look the same everywhere)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap

from smarketing_desktop.domain.words import KIND_COLOURS, Kind


def kind_colour(kind: str) -> QColor:
    member = Kind(kind) if kind in Kind._value2member_map_ else Kind.OTHER
    return QColor(KIND_COLOURS[member])


@cache
def kind_icon(kind: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(kind_colour(kind))
    painter.drawRoundedRect(QRectF(1, 1, size - 2, size - 2), 3, 3)
    painter.end()
    return QIcon(pixmap)


# Shared by the month and week views: the grid, today's accent, weekends, day text.
CALENDAR_GRID = QColor("#e4e7eb")
CALENDAR_ACCENT = QColor("#2f6fde")
CALENDAR_WEEKEND = QColor("#fafbfc")
CALENDAR_TEXT = QColor("#3e4c59")

TEAM_COLOURS = {"marketing": "#2f6fde", "sales": "#d9480f", "joint": "#7048e8"}


@cache
def team_mark(team: str, size: int = 12) -> QPixmap:
    """A small round mark in the team's colour (marketing blue, sales orange)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(TEAM_COLOURS.get(team, "#868e96")))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return pixmap


AVATAR_COLOURS = ("#2f6fde", "#c2255c", "#2b8a3e", "#e67700", "#7048e8", "#0c8599")


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def avatar(name: str, size: int, picture: bytes | None = None) -> QPixmap:
    """A round picture, or the person's initials on a colour picked from the name."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    source = QPixmap()
    if picture and source.loadFromData(picture):
        path_size = QRectF(0, 0, size, size)
        scaled = source.scaled(
            size * 2,
            size * 2,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(2)
        clip = QPainterPath()
        clip.addEllipse(path_size)
        painter.setClipPath(clip)
        painter.drawPixmap(0, 0, scaled)
    else:
        colour = AVATAR_COLOURS[sum(map(ord, name)) % len(AVATAR_COLOURS)]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(QRectF(0, 0, size, size))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.38))
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return pixmap
