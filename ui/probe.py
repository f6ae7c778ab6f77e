"""What the kiosk shows, written to a file on request: the real-display tests' eyes.

The real-display tier drives the kiosk in its own process with X input; it reads results where a
person would see them. The database holds check-ins and leads, but not what a field shows or
whether a person's name is still on screen after an idle reset. With KIOSK_STATE_PROBE=PATH set,
the kiosk answers a request file (PATH.ask) by writing PATH: JSON with the current screen, the
focused field and its text, the window's and the on-screen keyboard's rectangles, every text
visible on screen and where each named widget is. Nothing runs unless the variable is set.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtWidgets import (QAbstractButton, QApplication, QLabel, QLineEdit, QListWidget, QPlainTextEdit,
                               QPushButton, QTextEdit, QWidget)

ENV = "KIOSK_STATE_PROBE"


class StateProbe(QObject):
    """Polls for PATH.ask (every 100 ms) and answers with the state in PATH."""

    def __init__(self, window, path: str | Path):
        super().__init__(window)
        self.window = window
        self.path = Path(path)
        self.ask = self.path.with_name(self.path.name + ".ask")
        self.timer = QTimer(self)
        self.timer.setObjectName("state-probe-timer")
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    @classmethod
    def from_env(cls, window) -> StateProbe | None:
        path = os.environ.get(ENV)
        return cls(window, path) if path else None

    def stop(self) -> None:
        self.timer.stop()

    def _poll(self) -> None:
        if not self.ask.exists():
            return
        self.ask.unlink(missing_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.state(), ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)

    def state(self) -> dict:
        window = self.window
        focus = QApplication.focusWidget()
        keyboard = window.keyboard
        return {
            "screen": window.current_name(),
            "window": _rect(window.geometry()),
            "keyboard": _rect(keyboard.panel_rect()) if keyboard.isVisible() else None,
            "keyboard_locale": keyboard.locale(),
            "focus": {"name": focus.objectName(), "text": _text(focus)} if focus is not None else None,
            "texts": [t for w in window.findChildren(QWidget) if w.isVisible() for t in [_text(w)] if t],
            # one-line labels whose text does not fit (cut, or elided with "…")
            "cut": [w.objectName() or w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)
                    if w.isVisible() and _cut(w)],
            # where each named widget is on screen, for a test to tap it
            "places": {w.objectName(): _rect(QRect(w.mapToGlobal(w.rect().topLeft()), w.size()))
                       for w in window.findChildren(QWidget) if w.objectName() and w.isVisible()},
        }


def _rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _cut(widget: QLabel | QPushButton) -> bool:
    """A line wider than the room it has (a button's: less the theme's 20 px padding each side)."""
    text = widget.text()
    if isinstance(widget, QPushButton):
        room = widget.width() - 40
        return any(widget.fontMetrics().horizontalAdvance(line) > room for line in text.split("\n"))
    if not text or widget.wordWrap() or "<" in text or "\n" in text:
        return False
    return widget.fontMetrics().horizontalAdvance(text) > widget.contentsRect().width() + 1


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
        return widget.text()
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QListWidget):
        return "\n".join(widget.item(i).text() for i in range(widget.count()))
    return ""
