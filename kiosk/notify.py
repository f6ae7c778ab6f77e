"""A Qt-free way for the core and the sync layer to tell the screen something.

Plain callbacks, in the spirit of qutebrowser's message bridge: `kiosk/` and `sync/` call
`notify.info("...")` or `notify.status(online=True, ...)` without knowing that a screen
exists; `ui.bridge` subscribes once and re-emits on a Qt signal, which Qt delivers on the
GUI thread whatever thread the call came from. With no subscriber, messages go to the log.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

MessageListener = Callable[[str, str], None]  # (level, text)
StatusListener = Callable[[dict[str, Any]], None]

_lock = threading.Lock()
_messages: list[MessageListener] = []
_statuses: list[StatusListener] = []


def subscribe(on_message: MessageListener | None = None,
              on_status: StatusListener | None = None) -> Callable[[], None]:
    """Register listeners; returns a function that unregisters them again."""
    with _lock:
        if on_message is not None:
            _messages.append(on_message)
        if on_status is not None:
            _statuses.append(on_status)

    def unsubscribe() -> None:
        with _lock:
            if on_message is not None and on_message in _messages:
                _messages.remove(on_message)
            if on_status is not None and on_status in _statuses:
                _statuses.remove(on_status)

    return unsubscribe


def _send(level: str, text: str) -> None:
    with _lock:
        listeners = list(_messages)
    if not listeners:
        log.log(logging.ERROR if level == "error" else logging.WARNING if level == "warning" else logging.INFO,
                "%s", text)
    for listener in listeners:
        try:
            listener(level, text)
        except Exception:  # a broken listener must not break the scan that reported something
            log.exception("notify listener failed")


def info(text: str) -> None:
    _send("info", text)


def warning(text: str) -> None:
    _send("warning", text)


def error(text: str) -> None:
    _send("error", text)


def status(**fields: Any) -> None:
    """Device status for the top bar, e.g. online=True, waiting=3, last_sync="...Z"."""
    with _lock:
        listeners = list(_statuses)
    for listener in listeners:
        try:
            listener(dict(fields))
        except Exception:
            log.exception("status listener failed")
