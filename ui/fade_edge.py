"""A soft fade over the bottom edge of a scroll area while more lies below.

A touch screen has no mouse wheel to hint at it, and a text line cut in half by the edge looks
like a fault; the fade says "there is more, drag up" and lets taps through.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

FADE_PX = 56


class FadeEdge(QWidget):
    """Shown over the area's bottom FADE_PX pixels when it can scroll further down."""

    def __init__(self, area: QAbstractScrollArea, colour: str = "#ffffff"):
        super().__init__(area.viewport())
        self._area = area
        self._colour = QColor(colour)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        area.viewport().installEventFilter(self)
        bar = area.verticalScrollBar()
        bar.valueChanged.connect(self._update)
        bar.rangeChanged.connect(self._update)
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._update()
        return False

    def more_below(self) -> bool:
        bar = self._area.verticalScrollBar()
        return bar.value() < bar.maximum()

    def _update(self, *_) -> None:
        vp = self._area.viewport()
        self.setGeometry(0, max(0, vp.height() - FADE_PX), vp.width(), min(FADE_PX, vp.height()))
        self.setVisible(self.more_below())
        self.raise_()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        clear = QColor(self._colour)
        clear.setAlpha(0)
        gradient = QLinearGradient(0, 0, 0, self.height())
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(1.0, self._colour)
        painter = QPainter(self)
        painter.fillRect(self.rect(), gradient)
        painter.end()
