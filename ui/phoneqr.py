"""A QR code on screen: segno draws the symbol, Qt shows it crisp at any size.

Used for the route summary a visitor takes to their phone and for the self check-in's
hand-off code a desk scans. Modules are drawn as whole pixels (no smoothing), with the
quiet zone the standard asks for, so phone cameras read it from a metre away.
"""
from __future__ import annotations

import segno
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget


def qr_image(text: str, size_px: int = 280, border: int = 4, error: str = "m") -> QImage:
    """The QR symbol for text (UTF-8 for non-Latin text), scaled by a whole factor to at most size_px."""
    qr = segno.make_qr(text, error=error, encoding="utf-8" if not text.isascii() else None)
    rows = list(qr.matrix_iter(scale=1, border=border))
    n = len(rows)
    scale = max(1, size_px // n)
    image = QImage(n * scale, n * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#000000"))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(x * scale, y * scale, scale, scale)
    painter.end()
    return image


class QrLabel(QLabel):
    """Shows one QR code; `text()` of the code is kept in `payload` for tests and callers."""

    def __init__(self, size_px: int = 280, parent: QWidget | None = None):
        super().__init__(parent)
        self.size_px = size_px
        self.payload = ""
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(QSize(size_px, size_px))
        self.setStyleSheet("background: #ffffff;")

    def set_payload(self, text: str) -> None:
        self.payload = text
        if not text:
            self.clear()
            return
        image = qr_image(text, self.size_px)
        self.setPixmap(QPixmap.fromImage(image))


class PhoneQR(QWidget):
    """A QR code with a line saying what it is for ("Scan with your phone…")."""

    def __init__(self, size_px: int = 240, parent: QWidget | None = None):
        super().__init__(parent)
        self.code = QrLabel(size_px)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("font-size: 18pt;")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.caption)
        self.retranslate()

    def set_payload(self, text: str) -> None:
        self.code.set_payload(text)
        self.setVisible(bool(text))

    def payload(self) -> str:
        return self.code.payload

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Scan with your phone to take the booth and route with you"))
