"""Exhibitor logos: the organiser's file when there is one, else a tile with the initials."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

from kiosk import paths
from kiosk.models import Exhibitor
from ui import theme

LOGO_PX = 128


def logo_file(exhibitor_id: str) -> Path | None:
    """assets/logos/<exhibitor id>.png (or .jpg/.svg), when the organiser supplied one."""
    for ext in ("png", "jpg", "jpeg", "svg"):
        p = paths.assets() / "logos" / f"{exhibitor_id}.{ext}"
        if p.exists():
            return p
    return None


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


def logo_pixmap(exhibitor: Exhibitor, colour: str, size: int = LOGO_PX) -> QPixmap:
    path = logo_file(exhibitor.id)
    if path is not None:
        pix = QPixmap(str(path))
        if not pix.isNull():
            return pix.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                              Qt.TransformationMode.SmoothTransformation)
    return initials_tile(exhibitor.name, colour, size)
