"""Qt helpers for tests that check layout: deliver what Qt has queued instead of sleeping."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def settle(passes: int = 3) -> None:
    """Delivers posted events (layout requests, resizes, due zero-timers) until the layout is applied.

    A layout pass can post the next one (a parent's resize, then its children's layout), hence a few
    passes. Deterministic, unlike qtbot.wait(ms): nothing depends on how busy the machine is.
    """
    for _ in range(passes):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
