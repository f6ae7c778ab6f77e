"""The hall map's graphics items: round marks, booth labels and captions that keep their pixel
size at every zoom, plus the shared pens and fixed-size texts the map draws with."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsSimpleTextItem, QStyleOptionGraphicsItem

from ui.map_text import label_worth_showing, wrap_label


class Badge(QGraphicsEllipseItem):
    """A round mark with a short text that keeps its pixel size at every zoom."""

    def __init__(self, text: str, fill: str, diameter: float = 34.0, text_color: str = "#FFFFFF"):
        r = diameter / 2
        super().__init__(-r, -r, diameter, diameter)
        self._diameter = diameter
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QColor(fill))
        self.setPen(QPen(QColor("#FFFFFF"), 2))
        self._label = QGraphicsSimpleTextItem(self)
        self._label.setBrush(QColor(text_color))
        self.set_text(text)

    def set_text(self, text: str) -> None:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(14 if len(text) <= 2 else 12)
        self._label.setFont(font)
        self._label.setText(text)
        br = self._label.boundingRect()
        self._label.setPos(-br.width() / 2, -br.height() / 2)
        d = self._diameter
        w = max(d, br.width() + 14)  # longer words ("EXIT", "卫生间") get an oval, not a squeeze
        self.setRect(-w / 2, -d / 2, w, d)


class BoothName(QGraphicsItem):
    """A booth number or exhibitor name, wrapped to the booth's width on screen, in screen
    pixels at every zoom, centred on its position.

    The lines are worked out again only when the booth's on-screen box changes (a zoom
    step), never while panning; painting draws the cached lines.
    """

    def __init__(self, text: str, font: QFont, color: str):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._color = QColor(color)
        self._text = text
        self._lines: list[str] = []
        self._box: tuple[int, int] | None = None
        self._rect = QRectF()

    def text(self) -> str:
        return self._text

    def lines(self) -> list[str]:
        return list(self._lines)

    def line_height(self) -> float:
        """Tight lines (the CJK font's own leading is about 1.5 em): names wrap into small booths."""
        return round(self._font.pixelSize() * 1.15)

    def set_text(self, text: str) -> None:
        self._text = text
        self._box = None

    def fit(self, width_px: float, max_lines: int) -> bool:
        """Wrap into this box; True when what fits is worth showing."""
        box = (int(width_px) // 2 * 2, max_lines)
        if box != self._box:
            self._box = box
            self._lines = wrap_label(self._text, box[0], max_lines, self._metrics.horizontalAdvance) \
                if box[0] > 0 and max_lines > 0 else []
            w = max((self._metrics.horizontalAdvance(t) for t in self._lines), default=0.0)
            self.prepareGeometryChange()
            self._rect = QRectF(-w / 2 - 1, 0, w + 2, self.line_height() * len(self._lines))
        return label_worth_showing(self._text, self._lines)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setFont(self._font)
        painter.setPen(self._color)
        lh = self.line_height()
        ascent = lh - (lh - self._font.pixelSize()) / 2 - self._font.pixelSize() * 0.12
        for i, line in enumerate(self._lines):
            w = self._metrics.horizontalAdvance(line)
            painter.drawText(QPointF(-w / 2, i * lh + ascent), line)


class Caption(QGraphicsItem):
    """A caption on a white rounded plate, so it reads over walls, routes and booth edges."""

    PAD_X, PAD_Y = 8.0, 3.0

    def __init__(self, text: str, font: QFont, color: str, parent: QGraphicsItem | None = None):
        super().__init__(parent)
        self._font, self._color = font, QColor(color)
        self._metrics = QFontMetricsF(font)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (as QGraphicsSimpleTextItem)
        self.prepareGeometryChange()
        self._text = text
        w = self._metrics.horizontalAdvance(text)
        self._rect = QRectF(0, 0, w + 2 * self.PAD_X, self._metrics.height() + 2 * self.PAD_Y)

    def text(self) -> str:
        return self._text

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(QPen(QColor("#1E88E5"), 1.5))
        painter.setBrush(QColor("#FFFFFF"))  # opaque: a route passing behind must not show through
        painter.drawRoundedRect(self._rect, 8, 8)
        painter.setFont(self._font)
        painter.setPen(self._color)
        painter.drawText(QPointF(self.PAD_X, self.PAD_Y + self._metrics.ascent()), self._text)


def screen_text(text: str, px: int, color: str, bold: bool = False) -> QGraphicsSimpleTextItem:
    """A plain text of px pixels at every zoom."""
    item = QGraphicsSimpleTextItem(text)
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    item.setFont(font)
    item.setBrush(QColor(color))
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    return item


_pens: dict[tuple[str, float, bool], QPen] = {}


def shared_pen(color: str, width_px: float, dashed: bool = False) -> QPen:
    """Pens are made once and shared (PySide6 crashed building thousands of them per highlight)."""
    key = (color, width_px, dashed)
    pen = _pens.get(key)
    if pen is None:
        pen = QPen(QColor(color))
        pen.setWidthF(width_px)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCosmetic(True)  # width in pixels at every zoom
        _pens[key] = pen
    return pen


def route_pen(color: str, width_px: float) -> QPen:
    """A round-capped pen of width_px pixels at every zoom, for route lines."""
    pen = QPen(QColor(color), width_px)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
