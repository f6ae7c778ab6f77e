"""One stream of scans for the screens: camera, USB wedge scanner and codes typed by staff.

A badge held to the camera while the same badge is read by the USB scanner is one scan: the
debounce is shared across sources. Typed codes are always passed on (a person pressed Enter on
purpose) but still count as seen, so the camera reading the same badge a moment later is quiet.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk.models import Scan


class ScanStream(QObject):
    """Signal scan(Scan): every distinct scan from any connected source, in arrival order."""

    scan = Signal(object)

    def __init__(self, camera: QObject | None = None, wedge: QObject | None = None,
                 debounce_seconds: float = 3.0, clock: Callable[[], float] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.debounce_seconds = debounce_seconds
        self.clock = clock or time.monotonic
        self._last_seen: dict[str, float] = {}
        for source in (camera, wedge):
            if source is not None:
                self.add_source(source)

    def add_source(self, source: QObject) -> None:
        """Connect anything with a scanned(Scan) signal (CameraController, WedgeFilter)."""
        source.scanned.connect(self.submit)

    def submit_typed(self, code: str) -> None:
        code = code.strip()
        if code:
            self.submit(Scan(code, "typed", self.clock()))

    def submit(self, scan: Scan) -> None:
        if not isinstance(scan, Scan) or not scan.code:
            return
        now = self.clock()
        last = self._last_seen.get(scan.code)
        self._last_seen[scan.code] = now
        if len(self._last_seen) > 512:
            self._last_seen = {c: t for c, t in self._last_seen.items() if now - t < self.debounce_seconds}
        if scan.source != "typed" and last is not None and now - last < self.debounce_seconds:
            return
        self.scan.emit(scan)
