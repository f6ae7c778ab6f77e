"""What the composition root hands to every screen: the device's services, no SQLite or HTTP.

Built whole by ui/app.py before the first screen exists. Screens run named store operations
through `tasks.run_db(fn)` (fn gets the Store on the database thread), check-ins that may ask
the server through `checkins` (one at a time, in scan order), desk look-ups through
`desk_calls` on `tasks.run_net`; they read the device's settings from here. Changes made on
the admin screen are announced with `settings_changed` so every screen can follow.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.config import Config
from kiosk.identify import DeviceContext
from kiosk.models import CheckinPoint, Direction, Event
from sync.deskcalls import DeskCalls
from ui.camera import CameraController
from ui.checkinflow import CheckinFlow
from ui.i18n import Translations
from ui.printing import BadgePrinter
from ui.scanstream import ScanStream
from ui.tasks import TaskManager
from ui.verdict import Sounds


class Services(QObject):
    """Signals:
        settings_changed(): config, role, point or direction changed (admin screen).
    """

    settings_changed = Signal()

    def __init__(self, *, tasks: TaskManager, config: Config, context: DeviceContext, translations: Translations,
                 data_dir: Path, event: Event | None, points: list[CheckinPoint], direction: Direction,
                 sounds: Sounds, camera: CameraController | None, scans: ScanStream, printer: BadgePrinter,
                 checkins: CheckinFlow, desk_calls: DeskCalls, parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.config = config
        self.context = context
        self.translations = translations
        self.data_dir = Path(data_dir)
        self.event = event
        self.points = points
        self.direction = direction
        self.sounds = sounds
        self.camera = camera  # None when the device has no camera ("none")
        self.scans = scans
        self.printer = printer
        self.checkins = checkins
        self.desk_calls = desk_calls

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
