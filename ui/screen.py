"""The base of every screen in the kiosk window's stack.

Another UI area adds a screen with `window.add_screen(name, widget)`; the window calls
`reset()` when the kiosk goes idle (forget the person on screen), `retranslate()` after a
live language switch, and `handle_scan(scan)` while the screen is current.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

from kiosk.models import Scan


class Screen(QWidget):
    """Override reset, retranslate and (if the screen takes scans) handle_scan."""

    def reset(self) -> None:
        """Forget the person: search text, selection, verdicts. Called on idle."""

    def retranslate(self) -> None:
        """Set every visible text again with self.tr(...). Called on language change."""

    def handle_scan(self, scan: Scan) -> bool:
        """A code from the camera, the USB scanner or typed; return True if taken."""
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
