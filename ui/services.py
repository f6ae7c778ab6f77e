"""What the composition root hands to every screen: the device's services, no SQLite or HTTP.

Screens run store work through `tasks.run_db(fn)` (fn gets the Store on the database
thread) and read the device's settings from here; changes made on the admin screen are
announced with `settings_changed` so every screen can follow.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.identify import DeviceContext
from kiosk.config import Config
from kiosk.models import CheckinPoint, Direction, Event
from ui.i18n import Translations
from ui.tasks import TaskManager
from ui.verdict import Sounds


class Services(QObject):
    """Signals:
        settings_changed(): config, role, point or direction changed (admin screen).
    """

    settings_changed = Signal()

    def __init__(self, tasks: TaskManager, config: Config, context: DeviceContext, translations: Translations,
                 data_dir: Path, event: Event | None = None, points: list[CheckinPoint] | None = None,
                 direction: Direction = Direction.ENTRY, sounds: Sounds | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.config = config
        self.context = context
        self.translations = translations
        self.data_dir = Path(data_dir)
        self.event = event
        self.points = points or []
        self.direction = direction
        self.sounds = sounds or Sounds(enabled=False)
        self.camera = None  # ui.camera.CameraController, when one runs
        self.scans = None  # ui.scanstream.ScanStream
        self.printer = None  # ui.printing.BadgePrinter
        self.bridge = None  # ui.bridge.MessageBridge

    @property
    def zh(self) -> bool:
        return self.translations.language == "zh_CN"

    def point(self) -> CheckinPoint | None:
        return next((p for p in self.points if p.id == self.context.point_id), None)

    def point_name(self, point: CheckinPoint | None = None) -> str:
        point = point or self.point()
        if point is None:
            return self.context.point_id
        return (point.name_zh or point.name) if self.zh else point.name

    def point_text(self) -> str:
        """"Main entrance · Entry": where this device scans, for the top bar and the desk."""
        way = QCoreApplication.translate("Services", "Exit") if self.direction is Direction.EXIT \
            else QCoreApplication.translate("Services", "Entry")
        return f"{self.point_name()} · {way}"

    def event_title(self) -> str:
        if self.event is None:
            return QCoreApplication.translate("Services", "No event loaded")
        return (self.event.name_zh or self.event.name) if self.zh else self.event.name
