"""USB keyboard-wedge scanners: tell a scanner's keystroke burst from a person typing, app-wide.

A scanner "types" its code with keys a few milliseconds apart and usually ends with Enter or Tab;
people leave 100 ms or more between keys. The filter holds back fast printable keys until it
knows which it was: a burst of at least `min_length` keys with gaps of at most `max_gap_ms`,
ended by a terminator (or by `pause_ms` of silence, for scanners set up without one) is a scan
-- emitted, and neither the characters nor the terminator reach the focused widget. Anything
else is replayed to the window in order, as typed, a little late at worst but never lost.

Only events addressed to a QWindow are looked at: Qt then forwards each key to the focus
widget, so looking there sees every key exactly once.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow

from kiosk.config import Config
from kiosk.models import Scan

_TERMINATORS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
                  Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock}
_SHORTCUT_MODS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                  | Qt.KeyboardModifier.MetaModifier)


@dataclass
class _HeldKey:
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    at: float


class WedgeFilter(QObject):
    """Application-wide event filter; emits scanned(Scan) with source "wedge"."""

    scanned = Signal(object)

    def __init__(self, max_gap_ms: int | None = None, min_length: int | None = None,
                 pause_ms: int | None = None, clock: Callable[[], float] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        defaults = Config()
        self.max_gap = (defaults.wedge_max_gap_ms if max_gap_ms is None else max_gap_ms) / 1000.0
        self.min_length = defaults.wedge_min_length if min_length is None else min_length
        self.pause = (defaults.wedge_pause_ms if pause_ms is None else pause_ms) / 1000.0
        self.clock = clock or time.monotonic
        self._held: list[_HeldKey] = []
        self._held_releases: set[int] = set()
        self._window: QWindow | None = None
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._burst_over)

    # ---- installation ---------------------------------------------------------------------------
    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QCoreApplication) -> None:
        app.removeEventFilter(self)
        self._timer.stop()
        self._replay()

    # ---- the filter -------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        etype = event.type()
        if etype not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or self._replaying:
            return False
        if not isinstance(obj, QWindow):
            return False
        if etype == QEvent.Type.KeyRelease:
            if event.key() in self._held_releases and not event.isAutoRepeat():
                self._held_releases.discard(event.key())
                return True  # its press is held back (or was a scan); the replay sends both
            return False
        return self._on_press(obj, event)

    def _on_press(self, window: QWindow, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift comes before every capital a scanner types: it neither breaks nor joins
        now = self.clock()
        if self._held and now - self._held[-1].at > (self.max_gap if len(self._held) < self.min_length
                                                     else max(self.max_gap, self.pause)):
            self._conclude()  # the previous burst is over: a pause-ended scan, or a person's key
        if key in _TERMINATORS:
            if len(self._held) >= self.min_length and now - self._held[-1].at <= max(self.max_gap, self.pause):
                self._emit_scan(now)
                return True  # swallow the terminator: it must not press a button or move focus
            self._replay()
            return False
        text = event.text()
        printable = (len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
                     and not (event.modifiers() & _SHORTCUT_MODS))
        if not printable:
            self._replay()
            return False
        self._window = window
        self._held.append(_HeldKey(key, event.modifiers(), text, now))
        self._held_releases.add(key)
        self._arm_timer()
        return True

    def _arm_timer(self) -> None:
        wait = self.max_gap if len(self._held) < self.min_length else max(self.max_gap, self.pause)
        self._timer.start(max(1, int(wait * 1000) + 1))

    def _burst_over(self) -> None:
        """No key came for a while: the held keys were a person, or a scanner without terminator."""
        if not self._held:
            return
        if self.clock() - self._held[-1].at < (self.max_gap if len(self._held) < self.min_length else self.pause):
            self._arm_timer()  # an injected clock says it is too early: look again later
            return
        self._conclude()

    def _conclude(self) -> None:
        if len(self._held) >= self.min_length:
            self._emit_scan(self._held[-1].at)
        else:
            self._replay()

    def _emit_scan(self, at: float) -> None:
        code = "".join(k.text for k in self._held)
        self._held.clear()
        self._timer.stop()
        self.scanned.emit(Scan(code, "wedge", at))

    def _replay(self) -> None:
        """Deliver held keys to the window as typed (Qt forwards them to the focus widget)."""
        held, self._held = self._held, []
        self._timer.stop()
        window = self._window
        if not held or window is None:
            return
        self._replaying = True
        try:
            for k in held:
                for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QCoreApplication.sendEvent(window, QKeyEvent(etype, k.key, k.modifiers, k.text))
        finally:
            self._replaying = False
