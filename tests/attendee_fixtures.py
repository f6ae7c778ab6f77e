"""Fixtures for the attendee kiosk tests: a real store file, the real task manager and services."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import paths
from kiosk.checkin import DeviceContext
from kiosk.config import Config
from tests.factories import demo_event_store

VENUE = timezone(timedelta(hours=8))
TEN_AM = datetime(2023, 11, 18, 10, 0, tzinfo=VENUE)  # the demo day: the main forum runs, the press conference is next


def ensure_catalogue() -> None:
    """Compile the attendee catalogue if the .qm is missing or older than its .ts."""
    ts = paths.assets() / "i18n" / "attendee_zh_CN.ts"
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        from ui import i18n
        assert i18n.build() == 0


class Kiosk:
    """The attendee screen on its own, wired as ui.app wires it."""

    def __init__(self, db_path, key, camera=None, clock=lambda: TEN_AM, point_id: str | None = None):
        from PySide6.QtWidgets import QApplication

        from kiosk.store import Store
        from ui import theme
        from ui.app import build_services
        from ui.attendee import AttendeeScreen
        from ui.i18n import Translations
        from ui.tasks import TaskManager
        theme.apply(QApplication.instance())  # fonts and the big-type stylesheet, as ui.app does
        store = Store(db_path)
        ctx = DeviceContext.from_store(store)
        if point_id:
            ctx = replace(ctx, point_id=point_id)
        event = store.event()
        store.close()
        self.key = key
        self.tasks = TaskManager(db_path)
        self.translations = Translations()
        self.services = build_services(self.tasks, Config(), ctx, self.translations, db_path.parent, event=event,
                                       camera=camera)
        self.screen = AttendeeScreen(self.services, clock)

    def close(self) -> None:
        """Closes the screen and stops the tasks; again at teardown is harmless. qtbot deletes the screen."""
        self.translations.set_language("en")
        self.screen.close()
        self.tasks.shutdown()


def make_store(tmp_path, with_hall: bool = True):
    store, key = demo_event_store(tmp_path / "kiosk.db", role="attendee", device_id="kiosk-1")
    if with_hall:
        store.set_meta("hall", (paths.demo() / "hall.json").read_text(encoding="utf-8"))
    return store, key


def open_kiosk(qtbot, tmp_path, size=(1920, 996), prepare=None, **kw) -> Kiosk:
    store, key = make_store(tmp_path)
    if prepare is not None:
        prepare(store, key)
    store.close()
    k = Kiosk(tmp_path / "kiosk.db", key, **kw)
    qtbot.addWidget(k.screen, before_close_func=lambda _screen: k.close())
    k.screen.resize(*size)
    k.screen.show()
    qtbot.waitExposed(k.screen)
    qtbot.waitUntil(lambda: k.screen.map_page.view is not None, timeout=5000)
    return k


@pytest.fixture
def attendee(qtbot, tmp_path):
    """The attendee screen, shown; open_kiosk has qtbot close it at teardown."""
    return open_kiosk(qtbot, tmp_path)
