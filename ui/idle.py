"""Idle reset: after a quiet spell the kiosk returns to its start screen and forgets the person.

One application-wide event filter restarts a single-shot timer on any touch, mouse, key or
wheel event. Events are counted only at the window level (qutebrowser's pattern), so one
touch is one restart however many widgets the event passes through.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow

ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd, QEvent.Type.InputMethod,
}


class IdleWatcher(QObject):
    """Signals:
        idle(): nobody touched the kiosk for `seconds`.
    """

    idle = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setObjectName("idle-timer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self._active = True
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        self.timer.setInterval(max(1, int(seconds)) * 1000)
        if self.timer.isActive():
            self.timer.start()

    def install(self, app: QObject) -> None:
        app.installEventFilter(self)
        self.timer.start()

    def uninstall(self, app: QObject) -> None:
        app.removeEventFilter(self)
        self.timer.stop()

    def poke(self) -> None:
        """Activity that is not an input event (a scan, for instance) also counts."""
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._active and event.type() in ACTIVITY and isinstance(obj, QWindow):
            self.timer.start()
        return False
