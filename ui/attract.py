"""The idle attract screen: the event's name in both languages and a gently breathing "touch to start".

Both languages are shown at once (nobody has chosen one yet). The animation is a slow
pulse of rings drawn in paintEvent, driven by a timer that runs only while the screen is
visible, so an idle kiosk does not spend its CPU on an unseen page.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ui import theme

FRAME_MS = 40
PERIOD_S = 3.2


class AttractScreen(QWidget):
    """Signals:
        started(): the visitor touched the screen.
    """

    started = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.title = ""
        self.title_zh = ""
        self.venue = ""
        self.clock = QElapsedTimer()
        self.clock.start()
        self.timer = QTimer(self)
        self.timer.setObjectName("attract-animation")
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.update)

    def set_event(self, name: str, name_zh: str, venue: str = "") -> None:
        self.title, self.title_zh, self.venue = name, name_zh, venue
        self.update()

    def phase(self) -> float:
        return (self.clock.elapsed() / 1000.0 % PERIOD_S) / PERIOD_S

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()
        self.started.emit()

    def _font(self, px: int, bold: bool = False) -> QFont:
        font = theme.app_font()
        font.setPixelSize(px)
        font.setBold(bold)
        return font

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor("#0b3d6e"))
        short = min(w, h)
        t = self.phase()
        centre = QPointF(w / 2, h * 0.58)
        for k in range(3):  # rings drifting outwards, fading as they grow
            f = (t + k / 3) % 1.0
            r = short * (0.06 + 0.12 * f)
            colour = QColor(255, 255, 255, int(110 * (1 - f)))
            p.setPen(QPen(colour, max(3.0, short / 180)))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(centre, r, r)
        breathe = 0.5 + 0.5 * math.sin(t * 2 * math.pi)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(255, 209, 102, 200 + int(55 * breathe)))
        r = short * (0.07 + 0.008 * breathe)
        p.drawEllipse(centre, r, r)
        # a drawn fingertip mark in the middle of the dot
        p.setBrush(QColor("#0b3d6e"))
        p.drawEllipse(centre, r * 0.3, r * 0.3)

        margin = w * 0.06
        width = w - 2 * margin
        title_px = max(40, min(84, int(short / 14)))
        p.setPen(QColor("#ffffff"))
        y = h * 0.14
        for text, px, bold in ((self.title_zh, title_px, True), (self.title, int(title_px * 0.8), True),
                               (self.venue, max(24, int(title_px * 0.45)), False)):
            if not text:
                continue
            p.setFont(self._font(px, bold))
            box = p.boundingRect(QRectF(margin, y, width, h), Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                                 text)
            p.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, text)
            y = box.bottom() + px * 0.5
        prompt_px = max(36, min(64, int(short / 18)))
        p.setPen(QColor(255, 209, 102))
        p.setFont(self._font(prompt_px, True))
        top = max(centre.y() + short * 0.22, h * 0.8)
        p.drawText(QRectF(0, top, w, prompt_px * 1.4), Qt.AlignmentFlag.AlignCenter, "点击屏幕开始")
        p.drawText(QRectF(0, top + prompt_px * 1.4, w, prompt_px * 1.4), Qt.AlignmentFlag.AlignCenter,
                   "Touch to start")
        p.end()
