"""USB keyboard-wedge scanners: tell a scanner's keystroke burst from a person typing, app-wide.

The decisions are `kiosk.wedge_detect.WedgeDetector`'s (Qt-free, tested without a screen); this
filter only feeds it and acts. Keys are timed by the window system's timestamp
(`QKeyEvent.timestamp()`, when the key was pressed), not by when the GUI thread got round to
them: a GUI thread that pauses and then delivers a dozen queued keys at once sees them as they
were typed. An event without a timestamp (0: made by code, not by the window system) is timed by
`clock` on arrival instead.

Printable keys are held back until the detector knows what they were: a scan is emitted as
`scanned(Scan)` and neither its characters nor its Enter/Tab reach the focused widget; typing is
replayed to the window in order, a little late at worst (about 2 x max_gap) but never lost.

The wall-clock timer only decides "no more keys are coming" (a scanner without suffix, or a
person's last key). Before it concludes it lets the event loop run one more round, so keys that
were queued while the GUI thread was busy are seen first.

Only events addressed to a QWindow are looked at: Qt then forwards each key to the focus widget,
so looking there sees every key exactly once.

Input methods: the on-screen keyboard (QT_IM_MODULE=qtvirtualkeyboard) passes hardware keys on
as key events (it only commits its own pre-edit text first), so they reach this filter with their
timestamps. An OS input method in composition mode (ibus/fcitx Pinyin) turns keys into
QInputMethodEvents with no timestamp, sent to the widget: scanners cannot be told apart then,
which is why docs/operations.md says to give the kiosk account an English input source only.

Caps Lock and keyboard layouts: see `kiosk.wedge_detect.normalise` and `layout_suspect`. A code
that looks typed through a different keyboard layout is still emitted (the desk then says the
badge is not recognised) and `kiosk.notify.warning` names the likely cause.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow

from kiosk import notify
from kiosk.config import Config
from kiosk.models import Scan
from kiosk.wedge_detect import Found, Replay, WedgeDetector

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
    timestamp: int


class WedgeFilter(QObject):
    """Application-wide event filter; emits scanned(Scan) with source "wedge"."""

    scanned = Signal(object)

    def __init__(self, max_gap_ms: int | None = None, min_length: int | None = None,
                 pause_ms: int | None = None, clock: Callable[[], float] | None = None,
                 parent: QObject | None = None, prefix: str | None = None):
        super().__init__(parent)
        defaults = Config()
        self.detector = WedgeDetector(
            defaults.wedge_max_gap_ms if max_gap_ms is None else max_gap_ms,
            defaults.wedge_min_length if min_length is None else min_length,
            defaults.wedge_pause_ms if pause_ms is None else pause_ms,
            defaults.wedge_prefix if prefix is None else prefix)
        self.clock = clock or time.monotonic
        self._held_releases: set[int] = set()
        self._window: QWindow | None = None
        self._replaying = False
        self._looked_again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._no_key_for_a_while)

    # ---- installation ---------------------------------------------------------------------------
    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self)

    def uninstall(self, app: QCoreApplication) -> None:
        app.removeEventFilter(self)
        self._timer.stop()
        self._act(self.detector.timeout())

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

    def _stamp(self, event: QKeyEvent) -> float:
        return float(event.timestamp()) or self.clock() * 1000.0

    def _on_press(self, window: QWindow, event: QKeyEvent) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift comes before every capital a scanner types: it neither breaks nor joins
        at_ms = self._stamp(event)
        self._looked_again = False
        if key in _TERMINATORS:
            decisions, swallow = self.detector.terminator(at_ms)
            self._act(decisions)
            self._rearm()
            return swallow  # a swallowed terminator must not press a button or move focus
        text = event.text()
        printable = (len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
                     and not (event.modifiers() & _SHORTCUT_MODS))
        if not printable:
            self._act(self.detector.other(at_ms))
            self._rearm()
            return False
        self._window = window
        held = _HeldKey(key, event.modifiers(), text, event.timestamp())
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._act(self.detector.key(text, at_ms, shift, held))
        self._held_releases.add(key)
        self._rearm()
        return True

    def _rearm(self) -> None:
        wait = self.detector.wait_ms()
        if wait:
            self._timer.start(max(1, int(wait) + 1))
        else:
            self._timer.stop()

    def _no_key_for_a_while(self) -> None:
        if not self._looked_again:
            # Keys queued while the GUI thread was busy may be waiting behind this timer: let the
            # event loop deliver them (they carry their own timestamps) before deciding.
            self._looked_again = True
            self._timer.start(0)
            return
        self._looked_again = False
        self._act(self.detector.timeout())

    # ---- acting on decisions ----------------------------------------------------------------------
    def _act(self, decisions) -> None:
        for d in decisions:
            if isinstance(d, Found):
                self._emit_scan(d)
            elif isinstance(d, Replay):
                self._replay([k for k in d.items if k is not None])

    def _emit_scan(self, found: Found) -> None:
        if found.layout_suspect:
            notify.warning(QCoreApplication.translate(
                "WedgeFilter", "The scanner's keyboard layout differs from this computer's: set both to the same "
                               "layout (US is safest). The code read was {code}").format(code=found.code[:24]))
        self.scanned.emit(Scan(found.code, "wedge", self.clock()))

    def _replay(self, held: list[_HeldKey]) -> None:
        """Deliver held keys to the window as typed (Qt forwards them to the focus widget)."""
        window = self._window
        if not held or window is None:
            return
        self._replaying = True
        try:
            for k in held:
                for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    ev = QKeyEvent(etype, k.key, k.modifiers, k.text)
                    ev.setTimestamp(k.timestamp)
                    QCoreApplication.sendEvent(window, ev)
        finally:
            self._replaying = False
