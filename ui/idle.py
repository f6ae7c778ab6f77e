"""Idle reset: after a quiet spell the kiosk returns to its start screen and forgets the person.

One application-wide event filter restarts a single-shot timer on any touch, mouse, key or
wheel event. Events are counted only at the window level (qutebrowser's pattern), so one
touch is one restart however many widgets the event passes through. A little before the reset
the watcher warns ("still there?"), so a person reading a booth's details is not cut off: any
touch then keeps the screen as it is.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QWindow

ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd, QEvent.Type.InputMethod,
}
WARN_SECONDS = 15  # at most this long before the reset; a third of a short idle time


def warning_seconds(seconds: int) -> int:
    """How long before the reset the warning shows (0: none, the idle time is too short for one)."""
    return min(WARN_SECONDS, int(seconds) // 3)


class IdleWatcher(QObject):
    """Signals:
        warning(int): the reset comes in this many seconds unless someone touches the screen.
        resumed(): someone touched the screen after the warning.
        idle(): nobody touched the kiosk for `seconds`.
    """

    warning = Signal(int)
    resumed = Signal()
    idle = Signal()

    def __init__(self, seconds: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setObjectName("idle-timer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._idle)
        self.warn_timer = QTimer(self)
        self.warn_timer.setObjectName("idle-warning-timer")
        self.warn_timer.setSingleShot(True)
        self.warn_timer.timeout.connect(self._warn)
        self.warned = False
        self._active = True
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        seconds = max(1, int(seconds))
        self.timer.setInterval(seconds * 1000)
        self._warn_for = warning_seconds(seconds)
        self.warn_timer.setInterval((seconds - self._warn_for) * 1000)
        if self.timer.isActive():
            self.poke()

    def install(self, app: QObject) -> None:
        app.installEventFilter(self)
        self.poke()

    def uninstall(self, app: QObject) -> None:
        app.removeEventFilter(self)
        self.timer.stop()
        self.warn_timer.stop()

    def poke(self) -> None:
        """Activity (an input event, or a scan, which is not one) starts the quiet spell again."""
        self.timer.start()
        if self._warn_for:
            self.warn_timer.start()
        if self.warned:
            self.warned = False
            self.resumed.emit()

    def _warn(self) -> None:
        self.warned = True
        self.warning.emit(self._warn_for)

    def _idle(self) -> None:
        self.warned = False
        self.warn_timer.stop()
        self.idle.emit()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self._active and event.type() in ACTIVITY and isinstance(obj, QWindow):
            self.poke()
        return False
