"""The qutebrowser-style message bridge: Qt-free code reports to the screen through it.

`kiosk.notify` holds plain callbacks; this module subscribes one QObject to them. Emitting a
signal of an object that lives on the GUI thread from a worker thread is queued by Qt, so
`kiosk.notify.error(...)` is safe from the db thread, the network pool or the camera thread.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk import notify


class MessageBridge(QObject):
    """Signals:
        message(level, text): a short note for the screen (info | warning | error).
        status(dict): device status for the top bar (online, waiting, last_sync, ...).
    """

    message = Signal(str, str)
    status = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._unsubscribe = notify.subscribe(self._on_message, self._on_status)

    def _on_message(self, level: str, text: str) -> None:
        self.message.emit(level, text)

    def _on_status(self, fields: dict[str, Any]) -> None:
        self.status.emit(fields)

    def shutdown(self) -> None:
        self._unsubscribe()
