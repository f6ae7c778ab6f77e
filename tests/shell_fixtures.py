"""Fixtures for the kiosk shell tests: a real store file and the real composition root."""
from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import pin
from tests.factories import demo_event_store


def make_db(tmp_path: Path, role: str | None = "desk", device_id: str = "desk-1") -> tuple[Path, object]:
    path = tmp_path / "kiosk.db"
    store, key = demo_event_store(path, role=role or "desk", device_id=device_id)
    if role is None:
        store.set_meta("role", None)
    pin.set_pin(store, "1234")
    store.close()
    return path, key


def start_kiosk(qapp, qtbot, db_path: Path, role: str | None = "desk", camera: str = "none"):
    from ui.app import KioskApp
    kiosk = KioskApp(qapp, db_path, role=role, windowed=True, camera=camera, sounds=False)
    # at teardown qtbot stops the app, then closes and deletes its window, even when the test failed
    qtbot.addWidget(kiosk.window, before_close_func=lambda _window: stop_kiosk(kiosk))
    kiosk.window.resize(1600, 1000)
    kiosk.window.show()
    qtbot.waitExposed(kiosk.window)
    return kiosk


def stop_kiosk(kiosk) -> None:
    """Stops the app and closes its window; again at teardown is harmless. qtbot deletes the window."""
    kiosk.translations.set_language("en")
    kiosk.window.allow_close = True
    kiosk.window.close()
    kiosk.shutdown()


@pytest.fixture
def kiosk_db(tmp_path):
    return make_db(tmp_path)


@pytest.fixture
def kiosk(qapp, qtbot, kiosk_db):
    """The desk kiosk, shown; start_kiosk has qtbot stop it at teardown."""
    return start_kiosk(qapp, qtbot, kiosk_db[0])
