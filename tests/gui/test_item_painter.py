"""How one item's text is drawn: a cancelled title is struck through where it stands."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from smarketing_desktop.gui.item_painter import ItemPainter


def _render(draw: ItemPainter, font: QFont, rect: QRectF) -> QImage:
    image = QImage(400, 160, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.translate(QPointF(60, 90))  # as a view paints a scrolled layer or a lower row
    painter.setPen(QColor("black"))
    draw.line(painter, rect, "Cancelled webinar", font)
    painter.end()
    return image


def test_the_strike_out_line_runs_through_the_title_where_it_is_drawn(qapp) -> None:
    draw = ItemPainter(QFont())
    rect = QRectF(10, 10, 250, 20)
    plain, struck = _render(draw, draw.font, rect), _render(draw, draw.struck, rect)
    changed = [
        (x, y)
        for y in range(plain.height())
        for x in range(plain.width())
        if plain.pixel(x, y) != struck.pixel(x, y)
    ]
    assert len(changed) > 40  # a real line, as long as the title
    placed = rect.translated(60, 90)
    ys = {y for _, y in changed}
    assert all(placed.top() <= y <= placed.bottom() for y in ys)
    assert all(placed.left() - 1 <= x <= placed.right() for x, _ in changed)
    assert min(x for x, _ in changed) <= placed.left() + 2
    # Through the middle of the text, not along its top or bottom.
    middle = placed.center().y()
    assert all(abs(y - middle) <= 5 for y in ys)
