"""A badge template drawn with QPainter: the desk's printer, or a PDF from Qt when there is none.

The boxes, sizes and line breaks come from the same layout as the server's PDFs
(kiosk.badgelayout), measured with Qt's own font metrics. Qt shapes Arabic and falls back
through the font families per character, as fontconfig finds them (the same chain as the
server: kiosk.badgefonts). Everything is vector: text as text, the QR as rectangles.

The painter's unit is a hundredth of a millimetre, so font pixel sizes (integers) stay exact.
"""
from __future__ import annotations

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPagedPaintDevice

from kiosk.badgefonts import CHAIN
from kiosk.badgelayout import Band, BadgeText, QrBox, TextLine, layout
from kiosk.badgepdf import qr_runs
from kiosk.badgetemplates import Template

UNIT = 100.0  # painter units per mm
_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
          "center": Qt.AlignmentFlag.AlignHCenter}


def badge_font(size_pt: float, bold: bool) -> QFont:
    font = QFont()
    font.setFamilies([link.family for link in CHAIN])
    font.setPixelSize(max(1, round(size_pt * 25.4 / 72 * UNIT)))
    font.setBold(bold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)  # widths scale with the size
    return font


class QtMeasure:
    """Text width in mm with Qt's metrics (cached: a name is measured at several sizes)."""

    def __init__(self):
        self._metrics: dict[tuple[float, bool], QFontMetricsF] = {}

    def __call__(self, text: str, size: float, bold: bool) -> float:
        key = (size, bold)
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(badge_font(size, bold))
        return self._metrics[key].horizontalAdvance(text) / UNIT


def paint_badge(painter: QPainter, template: Template, data: BadgeText, target: QRectF) -> None:
    """Draw one badge scaled (keeping its proportions) and centred into `target` (device pixels)."""
    scale = min(target.width() / template.width, target.height() / template.height)
    painter.save()
    painter.translate(target.x() + (target.width() - template.width * scale) / 2,
                      target.y() + (target.height() - template.height * scale) / 2)
    painter.scale(scale / UNIT, scale / UNIT)
    painter.setPen(Qt.PenStyle.NoPen)
    for op in layout(template, data, QtMeasure()):
        if isinstance(op, Band):
            painter.fillRect(_rect(op.x, op.y, op.w, op.h), QColor(op.colour))
        elif isinstance(op, QrBox):
            modules, runs = qr_runs(op.code)
            unit = op.size / modules
            painter.fillRect(_rect(op.x, op.y, op.size, op.size), Qt.GlobalColor.white)
            for y, x, length in runs:
                painter.fillRect(_rect(op.x + x * unit, op.y + y * unit, length * unit, unit), Qt.GlobalColor.black)
        elif isinstance(op, TextLine):
            painter.setFont(badge_font(op.size, op.bold))
            painter.setPen(QColor(op.colour))
            painter.drawText(_rect(op.x, op.y, op.w, op.h), _ALIGN[op.align] | Qt.AlignmentFlag.AlignVCenter,
                             op.text)
            painter.setPen(Qt.PenStyle.NoPen)
    painter.restore()


def _rect(x: float, y: float, w: float, h: float) -> QRectF:
    return QRectF(x * UNIT, y * UNIT, w * UNIT, h * UNIT)


def badge_page(template: Template) -> QPageLayout:
    """A page the size of the badge, without margins (the folder's PDFs, printers that take any size)."""
    short, long = sorted((template.width, template.height))
    size = QPageSize(QSizeF(short, long), QPageSize.Unit.Millimeter, template.id, QPageSize.SizeMatchPolicy.ExactMatch)
    orientation = QPageLayout.Orientation.Landscape if template.width > template.height else \
        QPageLayout.Orientation.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def paint_rect(device: QPagedPaintDevice, resolution: int) -> QRectF:
    """Where a badge may go on the device's page: its printable area, in device pixels."""
    return QRectF(device.pageLayout().paintRectPixels(resolution))
