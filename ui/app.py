"""The composition root: builds the services once and hands them to the screens.

Order matters and is kept in one place:
  1. environment that must precede the QApplication (the on-screen keyboard's input method);
  2. the QApplication, fonts and stylesheet;
  3. the task manager, which opens the Store on its own database thread, and the device's
     settings read through it;
  4. translations, services (printer, message bridge, camera and scan inputs);
  5. the window and its screens, the idle watcher, the staff corner;
  6. kiosk mode; after the first frame, the slow optional parts (keyboard QML, sounds).
Everything that runs threads is stopped by `KioskApp.shutdown()`, connected to aboutToQuit.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk import config as kconfig
from kiosk import eventdata, notify, pin
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.identify import DeviceContext
from kiosk.models import ROLES, Direction, Event, Scan
from sync.deskcalls import DeskCalls
from sync.onlinecheck import OnlineChecker
from ui import theme, venuetime
from ui.admin import AdminChoices, AdminScreen
from ui.bridge import MessageBridge
from ui.camera import CameraController
from ui.checkinflow import CheckinFlow
from ui.conflicts import ConflictList
from ui.desk import DeskScreen
from ui.i18n import Translations
from ui.idle import IdleWatcher
from ui.mainwindow import KioskWindow
from ui.printing import BadgePrinter
from ui.probe import StateProbe
from ui.rolepicker import RolePicker
from ui.scanstream import ScanStream
from ui.screen import Screen
from ui.services import Services
from ui.syncservice import SyncService
from ui.syncstatus import SyncStatusWidget
from ui.tasks import TaskManager
from ui.verdict import Sounds, use_event_badge_types
from ui.wedge import WedgeFilter

log = logging.getLogger(__name__)


def _read_device(store) -> dict:
    """Everything the shell needs at start-up, in one trip to the database thread."""
    event = store.event()
    return {
        "config": kconfig.load(store),
        "context": DeviceContext.from_store(store),
        "role": store.get_meta("role"),
        "direction": store.get_meta("direction") or "entry",
        "event": event,
        "points": store.points(),
        "has_pin": pin.has_pin(store),
        "badge_types": eventdata.badge_types_from_store(store),
    }


def build_services(tasks: TaskManager, cfg: Config, context: DeviceContext, translations: Translations,
                   data_dir: Path, *, event: Event | None = None, points: list | None = None,
                   direction: Direction = Direction.ENTRY, sounds: Sounds | None = None,
                   camera: CameraController | None = None, scans: ScanStream | None = None,
                   on_local_record=lambda: None) -> Services:
    """Every service a screen may use, whole: the one place they are made (KioskApp, and tests that
    build a single screen). `on_local_record` is the sync service's poke."""
    desk_calls = DeskCalls()
    printer = BadgePrinter(tasks, desk_calls, Path(cfg.print_folder) if cfg.print_folder else data_dir / "prints",
                           context.device_id, cfg.printer, event.name if event else "", event.name_zh if event else "",
                           template=cfg.badge_template)
    return Services(tasks=tasks, config=cfg, context=context, translations=translations, data_dir=data_dir,
                    event=event, points=points or [], direction=direction, sounds=sounds or Sounds(enabled=False),
                    camera=camera, scans=scans or ScanStream(debounce_seconds=cfg.debounce_seconds),
                    printer=printer, checkins=CheckinFlow(tasks, OnlineChecker(), on_local_record),
                    desk_calls=desk_calls)


def _role_screen(name: str, services: Services) -> Screen | None:
    """The attendee and exhibitor screens, built when first shown: the map and the lead lists
    cost start-up time a desk never needs (hence the imports here)."""
    if name == "attendee":
        from ui.attendee import AttendeeScreen
        return AttendeeScreen(services)
    if name == "exhibitor":
        from ui.leads import LeadsScreen
        return LeadsScreen(services)
    return None


class KioskApp(QObject):
    """Owns the services, the window and their lifetimes.

    Signals:
        shutting_down(): emitted once before threads and devices stop.
    """

    shutting_down = Signal()

    def __init__(self, app: QApplication, db_path: Path, *, role: str | None = None, windowed: bool = False,
                 camera: str | None = None, demo: bool = False, sounds: bool = True):
        super().__init__()
        self.app = app
        self.db_path = Path(db_path)
        self.demo = demo
        self.windowed = windowed
        self._down = False
        self._shown = False
        self._after_shown: list = []
        self._demo_server = None
        self.probe: StateProbe | None = None
        theme.apply(app)
        self.tasks = TaskManager(self.db_path)
        device = self.tasks.call_db(_read_device)
        use_event_badge_types(device["badge_types"])
        cfg = device["config"]
        if device["event"] is not None:
            venuetime.set_zone(device["event"].timezone)  # every time on screen is the venue's
        if camera is not None:
            cfg = replace(cfg, camera=camera)
        if windowed:
            cfg = replace(cfg, fullscreen=False)

        # services, whole, before any screen
        self.translations = Translations(self)
        self.bridge = MessageBridge(self)
        self.sync = SyncService(self.db_path, interval=cfg.sync_interval_seconds, parent=self)
        camera_ctl = CameraController(debounce_seconds=cfg.debounce_seconds) if _has_camera(cfg.camera) else None
        self.wedge = WedgeFilter(cfg.wedge_max_gap_ms, cfg.wedge_min_length, cfg.wedge_pause_ms, prefix=cfg.wedge_prefix)
        scans = ScanStream(camera=camera_ctl, wedge=self.wedge, debounce_seconds=cfg.debounce_seconds)
        self.services = build_services(self.tasks, cfg, device["context"], self.translations, self.db_path.parent,
                                       event=device["event"], points=device["points"],
                                       direction=Direction(device["direction"]), sounds=Sounds(enabled=sounds),
                                       camera=camera_ctl, scans=scans, on_local_record=self.sync.poke)

        # the window and its screens
        self.window = KioskWindow(self.translations)
        self.window.default_language = cfg.language
        self.picker = RolePicker()
        self.window.add_screen("roles", self.picker)
        self.desk = DeskScreen(self.services)
        self.window.add_screen("desk", self.desk)
        self.window.screen_factory = lambda name: _role_screen(name, self.services)
        self.admin = AdminScreen(self.services)
        self.window.add_screen("admin", self.admin)
        self.conflicts = ConflictList()
        self.window.add_screen("conflicts", self.conflicts)
        self.sync_corner = SyncStatusWidget()
        self.window.add_status_widget(self.sync_corner)
        self.idle = IdleWatcher(cfg.idle_seconds, self)

        self._wire()
        self.translations.set_language(cfg.language)
        chosen = role or device["role"]
        if role and role in ROLES:
            self._save_role(role)
        self.window.role = chosen if chosen in ROLES else "desk"
        self.services.context = replace(self.services.context, role=self.window.role)
        self.window.show_screen("roles" if chosen not in ROLES else self.window.start_screen())
        self._refresh_bar()
        self._start_inputs(cfg)
        self.when_shown(self._start_sync)
        if not device["has_pin"]:
            notify.warning(QApplication.translate("KioskApp", "No staff PIN is set: settings cannot be opened."))

    def _wire(self) -> None:
        """Every connection between services, window and screens, in one place."""
        svc, window, sync = self.services, self.window, self.sync
        svc.scans.scan.connect(self._on_scan)
        self.idle.idle.connect(self._on_idle)
        self.idle.warning.connect(window.warn_idle)
        self.idle.resumed.connect(window.idle_warning.dismiss)
        self.bridge.message.connect(window.show_message)
        self.bridge.status.connect(window.top_bar.set_status)
        window.admin_requested.connect(self.open_admin)
        self.admin.closed.connect(lambda: window.show_screen(window.start_screen()))
        self.admin.saved.connect(self.apply_choices)
        self.admin.exit_requested.connect(self.leave)
        self.picker.role_chosen.connect(self.choose_role)
        self.translations.language_changed.connect(self._refresh_bar)
        self.translations.language_changed.connect(lambda *_: (self.sync_corner.retranslate(),
                                                               self.conflicts.retranslate()))
        svc.settings_changed.connect(self._refresh_bar)
        # sync: the status corner, the conflict list, the desk's duplicates button, the device's identity
        sync.status_changed.connect(self.sync_corner.set_status)
        sync.progress.connect(self.sync_corner.set_progress)
        sync.identity_changed.connect(self.adopt_identity)
        sync.conflicts_changed.connect(self.conflicts.set_items)
        sync.conflicts_changed.connect(self.desk.set_conflict_items)
        self.conflicts.mark_seen.connect(sync.mark_seen)
        self.sync_corner.conflicts_clicked.connect(lambda: window.show_screen("conflicts"))
        self.desk.conflicts_requested.connect(lambda: window.show_screen("conflicts"))
        self.conflicts.back.connect(lambda: window.show_screen(window.start_screen()))
        self.app.aboutToQuit.connect(self.shutdown)

    def _start_inputs(self, cfg: Config) -> None:
        """The USB scanner listens application-wide; the camera opens its source on its own thread."""
        self.idle.install(self.app)
        self.wedge.install(self.app)
        camera = self.services.camera
        if camera is not None:
            camera.start(cfg.camera, cfg.camera_width, cfg.camera_height)

    def _start_sync(self) -> None:
        """After the first frame: importing the server stack (the demo's embedded server) costs a few
        hundred milliseconds of the kiosk's cold start."""
        if self.demo:
            # lazy for start-up time, as the docstring says
            from sync.demo import DEMO_PORT, demo_enroller
            from sync.server import EmbeddedServer

            try:
                self._demo_server = EmbeddedServer(self.db_path.parent / "server.db", port=DEMO_PORT,
                                                   or_free_port=True).start(wait=False)
            except OSError as exc:
                log.warning("demo server not started: %s", exc)
            else:
                self.sync.set_prepare(demo_enroller(self.db_path.parent, self._demo_server.url))
        self.sync.start()

    # -- scanning -----------------------------------------------------------------------------------
    def _on_scan(self, scan: Scan) -> None:
        self.idle.poke()
        if self.window.current_name() in ("admin", "roles"):
            return  # staff are in the settings: a badge held up by accident does nothing
        self.window.route_scan(scan)

    # -- window events ------------------------------------------------------------------------------
    def _refresh_bar(self, *_) -> None:
        self.window.set_title(self.services.event_title())
        self.window.set_point_text(self.services.point_text() if self.window.role == "desk" else "")

    def _on_idle(self) -> None:
        if self.window.current_name() == "roles":
            return
        self.window.reset_all()

    def open_admin(self) -> None:
        self.admin.open()
        self.window.show_screen("admin")

    def choose_role(self, role: str) -> None:
        self._save_role(role)
        self.services.context = replace(self.services.context, role=role)
        self.window.set_role(role)
        self._refresh_bar()

    def adopt_identity(self, identity: dict) -> None:
        """The device's ids after an enrolment (the demo enrols in the background): every screen
        records and compares under the ids the server knows from now on."""
        svc = self.services
        ctx = svc.context
        role = identity.get("role") if identity.get("role") in ROLES else ctx.role
        try:  # each round measures the server's clock anew; records carry the corrected time
            offset = float(identity.get("clock_offset") or ctx.clock_offset)
        except ValueError:
            offset = ctx.clock_offset
        new = replace(ctx, device_id=identity.get("device_id") or ctx.device_id, role=role,
                      exhibitor_id=identity.get("exhibitor_id"), clock_offset=offset)
        svc.context = new
        if replace(new, clock_offset=ctx.clock_offset) == ctx:
            return  # only the clock moved: nothing on screen depends on it
        svc.printer.device_id = new.device_id
        if role != self.window.role:
            self.window.set_role(role)
        svc.settings_changed.emit()

    def _save_role(self, role: str) -> None:
        self.tasks.run_db(lambda s: s.set_meta("role", role))

    def apply_choices(self, ch: AdminChoices) -> None:
        """Persist the admin screen's choices, then let every part follow them."""
        old = self.services.config

        def persist(store) -> None:
            with store.transaction():
                kconfig.save(store, ch.config)
                store.set_meta("role", ch.role)
                store.set_meta("point_id", ch.point_id)
                store.set_meta("direction", ch.direction.value)

        def applied(_) -> None:
            svc = self.services
            svc.config = ch.config
            svc.context = replace(svc.context, role=ch.role, point_id=ch.point_id)
            svc.direction = ch.direction
            self.idle.set_seconds(ch.config.idle_seconds)
            self.window.default_language = ch.config.language
            svc.printer.printer = ch.config.printer
            svc.printer.template = ch.config.badge_template
            if ch.config.camera != old.camera and svc.camera is not None:
                svc.camera.stop()
                if _has_camera(ch.config.camera):
                    svc.camera.start(ch.config.camera, ch.config.camera_width, ch.config.camera_height)
            svc.settings_changed.emit()
            self.admin.lock()
            self.window.set_role(ch.role)
            self.translations.set_language(ch.config.language)
            self.window.show_message("info", QApplication.translate("KioskApp", "Settings saved."))

        self.tasks.run_db(persist, applied)

    def leave(self) -> None:
        """Staff entered the PIN and chose to leave kiosk mode."""
        self.window.allow_close = True
        QApplication.restoreOverrideCursor()
        self.window.close()
        self.app.quit()

    def when_shown(self, callback) -> None:
        """Run callback once the first frame is on screen (slow optional work: the demo server,
        sync); a KioskApp that is never shown (tests, the self-test) runs it on the next turn
        of the event loop instead."""
        self._after_shown.append(callback)
        if len(self._after_shown) == 1:
            QTimer.singleShot(0, self._run_after_shown_unless_showing)

    def _run_after_shown_unless_showing(self) -> None:
        if not self._shown:
            self._run_after_shown()

    def _run_after_shown(self) -> None:
        callbacks, self._after_shown = self._after_shown, []
        for callback in callbacks:
            callback()

    def show(self) -> None:
        self._shown = True
        cfg = self.services.config
        self.window.enter_kiosk_mode(cfg.fullscreen and not self.windowed, cfg.hide_pointer)
        FirstFrame(self.window, self._after_first_frame)

    def _after_first_frame(self) -> None:
        probe = os.environ.get("KIOSK_STARTUP_PROBE")
        if probe:
            Path(probe).write_text(f"{time.time():.6f}\n")
        if os.environ.get("KIOSK_EXIT_AFTER_FIRST_FRAME") == "1":
            QTimer.singleShot(0, self.leave)
            return
        self._run_after_shown()
        self.window.keyboard.load()
        self.probe = StateProbe.from_env(self.window)

    def shutdown(self) -> None:
        if self._down:
            return
        self._down = True
        self.shutting_down.emit()
        self.idle.uninstall(self.app)
        self.window.idle_warning.dismiss()
        self.wedge.uninstall(self.app)
        if self.services.camera is not None:
            self.services.camera.stop()
        self.sync.stop()
        if self._demo_server is not None:
            self._demo_server.stop()
        self.desk.counts_timer.stop()
        if self.probe is not None:
            self.probe.stop()
        self.desk.search_timer.stop()
        self.tasks.shutdown()
        self.bridge.shutdown()


class FirstFrame(QObject):
    """Calls back once, right after the window's first paint has been handled."""

    def __init__(self, window, callback):
        super().__init__(window)
        self.callback = callback
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def _has_camera(source: str) -> bool:
    return bool(source) and source.lower() != "none"


def _has_display() -> bool:
    """Qt aborts the process when it cannot reach a display; say so in words instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _qapp() -> QApplication:
    # the input method must be chosen before the QApplication exists
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Forum Kiosk")
    app.setOrganizationName("Forum Kiosk")
    return app


def main(db_path: Path, *, role: str | None = None, windowed: bool = False, camera: str | None = None,
         demo: bool = False) -> int:
    """Run the kiosk on an existing database until staff leave; returns the exit code."""
    if not _has_display():
        print("kiosk: no screen to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
              "Start it from a desktop session, or on a headless machine with: xvfb-run -a kiosk ...",
              file=sys.stderr)
        return 1
    app = _qapp()
    try:
        kiosk = KioskApp(app, Path(db_path), role=role, windowed=windowed, camera=camera, demo=demo)
    except (KioskError, OSError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    kiosk.show()
    code = app.exec()
    kiosk.shutdown()
    return code


if __name__ == "__main__":  # development: python -m ui.app DB [role]
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(Path(sys.argv[1]), role=sys.argv[2] if len(sys.argv) > 2 else None, windowed=True))
