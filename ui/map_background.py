"""The venue's own plan drawn under the booths of the hall map, placed in metres.

The PNG is decoded once, off the GUI thread (`decode_plan`, called where the map data is
loaded: a 3072 px plan takes a tenth of a second or more), and kept for the one plan in use.
The item caches its drawing in device pixels (DeviceCoordinateCache), so a pan moves cached
pixels instead of scaling the whole plan again each frame, and only a zoom step redraws it
(tests/bench/map.py measures both).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPixmapItem

from kiosk.hallmap import Background

PLAN_Z = -9.0  # above the floor's fill (-10), below step areas (-5), walls and booths
PLAN_OPACITY = 0.55  # muted: booth colours and names stay the thing one reads


_decoded: dict[bytes, QImage] = {}  # the plan in use, by its PNG: one entry


def decode_plan(png: bytes | None) -> QImage | None:
    """The plan as an image, decoded now and kept (QImage may be made on any thread)."""
    if not png:
        return None
    image = _decoded.get(png)
    if image is None:
        image = QImage.fromData(png, "PNG")
        _decoded.clear()
        _decoded[png] = image
    return None if image.isNull() else image


def plan_item(png: bytes, bg: Background) -> QGraphicsPixmapItem | None:
    """A pixmap item for the plan, or None when the image does not decode (then no background)."""
    image = decode_plan(png)
    if image is None:
        return None
    item = QGraphicsPixmapItem(QPixmap.fromImage(image))
    item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
    item.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
    item.setTransform(QTransform.fromScale(bg.m_per_px * bg.width / image.width(),
                                           bg.m_per_px * bg.height / image.height()))
    item.setPos(*bg.origin)
    item.setZValue(PLAN_Z)
    item.setOpacity(PLAN_OPACITY)
    item.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # taps go to the booths above, or pan
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    return item
