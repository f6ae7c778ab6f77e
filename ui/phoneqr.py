"""A QR code on screen: segno draws the symbol, Qt shows it crisp at any size.

Used for the route summary a visitor takes to their phone and for the self check-in's
hand-off code a desk scans. Modules are drawn as whole pixels (no smoothing), with the
quiet zone the standard asks for, so phone cameras read it from a metre away.
"""
from __future__ import annotations

import segno
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QWidget


def qr_image(text: str, size_px: int = 280, border: int = 4, error: str = "m", min_px: int = 0) -> QImage:
    """The QR symbol for text (UTF-8 for non-Latin text), scaled by a whole factor to at most size_px.

    When that whole factor falls short of min_px (a long text has many modules), the symbol fills
    size_px instead, each module edge on the nearest whole pixel: modules differ by one pixel at most
    and stay sharp, where a smaller whole factor would leave them too small for a phone to read."""
    qr = segno.make_qr(text, error=error, encoding="utf-8" if not text.isascii() else None)
    rows = list(qr.matrix_iter(scale=1, border=border))
    n = len(rows)
    scale = max(1, size_px // n)
    side = n * scale if n * scale >= min_px else max(size_px, n)
    edges = [round(i * side / n) for i in range(n + 1)]
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#000000"))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(edges[x], edges[y], edges[x + 1] - edges[x], edges[y + 1] - edges[y])
    painter.end()
    return image


class QrLabel(QLabel):
    """Shows one QR code; `text()` of the code is kept in `payload` for tests and callers."""

    def __init__(self, size_px: int = 280, parent: QWidget | None = None, min_px: int = 0, error: str = "m"):
        super().__init__(parent)
        self.size_px = size_px
        self.min_px = min_px
        self.error = error
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
        image = qr_image(text, self.size_px, error=self.error, min_px=self.min_px)
        self.setPixmap(QPixmap.fromImage(image))


class PhoneQR(QWidget):
    """A QR code with a line saying what it is for ("Scan with your phone…"), under it or beside it."""

    def __init__(self, size_px: int = 240, parent: QWidget | None = None, min_px: int = 0, error: str = "m"):
        super().__init__(parent)
        self.code = QrLabel(size_px, min_px=min_px, error=error)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("font-size: 18pt;")
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(8)
        self.box.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        self.box.addWidget(self.caption, 1)
        self.retranslate()

    def set_caption_beside(self, beside: bool) -> None:
        """Caption right of the code (a narrow column) or under it (a wide row with text beside)."""
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom)
        self.box.setSpacing(16 if beside else 8)
        self.box.setAlignment(self.code, Qt.AlignmentFlag.AlignVCenter if beside else Qt.AlignmentFlag.AlignHCenter)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft if beside
                                  else Qt.AlignmentFlag.AlignCenter)

    def set_payload(self, text: str) -> None:
        self.code.set_payload(text)
        self.setVisible(bool(text))

    def payload(self) -> str:
        return self.code.payload

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Scan with your phone to take the booth and route with you"))
