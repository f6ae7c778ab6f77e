"""Exhibitor logos: the organiser's image (imported on the server, arrived with the event) when there
is one, else a tile with the initials."""
from __future__ import annotations

import re

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

from kiosk.models import Exhibitor
from ui import theme

LOGO_PX = 128


def initials(name: str) -> str:
    """"BeiGene" -> "BE", "Changping Laboratory" -> "CL": two letters that fit a tile."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in {"and", "of", "the", "co", "ltd"}]
    if not words:
        return (name.strip()[:2] or "?").upper()
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def initials_tile(name: str, colour: str, size: int = LOGO_PX) -> QPixmap:
    """A rounded square in the category colour with the exhibitor's initials."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.16, size * 0.16)
    font = theme.app_font()
    font.setPixelSize(int(size * 0.42))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials(name))
    p.end()
    return pix


def logo_pixmap(exhibitor: Exhibitor, colour: str, size: int = LOGO_PX, logo: bytes | None = None) -> QPixmap:
    """`logo`: the image bytes from the kiosk database (kiosk/store/logos.py), if the exhibitor has one."""
    if logo:
        pix = QPixmap()
        if pix.loadFromData(logo):
            return pix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
    return initials_tile(exhibitor.name, colour, size)
