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

import importlib
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout

from kiosk import config as kconfig
from kiosk import notify, pin
from kiosk.identify import DeviceContext
from kiosk.models import ROLES, Direction, Scan
from kiosk.store import StoreError
from ui import theme
from ui.admin import AdminChoices, AdminScreen
from ui.bridge import MessageBridge
from ui.desk import DeskScreen
from ui.i18n import Translations
from ui.idle import IdleWatcher
from ui.mainwindow import KioskWindow
from ui.printing import BadgePrinter
from ui.rolepicker import RolePicker
from ui.screen import Screen
from ui.services import Services
from ui.tasks import TaskManager
from ui.verdict import Sounds

log = logging.getLogger(__name__)

# Screens other UI areas provide: name -> "module:factory"; the factory takes (services) and
# returns a ui.screen.Screen. A module that is not there yet gives a placeholder screen.
SCREEN_FACTORIES: dict[str, str] = {
    "attendee": "ui.attendee:AttendeeScreen",
    "exhibitor": "ui.leads:LeadsScreen",
}


class PlaceholderScreen(Screen):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setProperty("role", "title")
        QVBoxLayout(self).addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("This screen is not available in this build."))


def _load_screen(name: str, spec: str, services: Services) -> Screen:
    module_name, _, factory = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, factory)(services)
    except Exception as exc:
        log.warning("screen %s (%s) unavailable: %s", name, spec, exc)
        return PlaceholderScreen(name)


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
    }


class KioskApp(QObject):
    """Owns the services, the window and their lifetimes.

    Signals:
        shutting_down(): emitted once before threads and devices stop.
    """

    shutting_down = Signal()

    def __init__(self, app: QApplication, db_path: Path, *, role: str | None = None, windowed: bool = False,
                 camera: str | None = None, server_url: str | None = None, sounds: bool = True):
        super().__init__()
        self.app = app
        self.db_path = Path(db_path)
        self.server_url = server_url
        self.windowed = windowed
        self._down = False
        self._shown = False
        self._after_shown: list = []
        theme.apply(app)
        self.tasks = TaskManager(self.db_path)
        device = self.tasks.call_db(_read_device)
        cfg = device["config"]
        if camera is not None:
            cfg = replace(cfg, camera=camera)
        if windowed:
            cfg = replace(cfg, fullscreen=False)
        self.translations = Translations(self)
        self.services = Services(self.tasks, cfg, device["context"], self.translations, self.db_path.parent,
                                 device["event"], device["points"], Direction(device["direction"]),
                                 Sounds(enabled=sounds))
        self.bridge = MessageBridge(self)
        self.services.bridge = self.bridge
        event = device["event"]
        self.services.printer = BadgePrinter(
            self.tasks, Path(cfg.print_folder) if cfg.print_folder else self.db_path.parent / "prints",
            device["context"].device_id, cfg.printer, event.name if event else "", event.name_zh if event else "")
        self._start_scanning(cfg)

        self.window = KioskWindow(self.translations)
        self.window.default_language = cfg.language
        self.picker = RolePicker()
        self.window.add_screen("roles", self.picker)
        self.desk = DeskScreen(self.services)
        self.window.add_screen("desk", self.desk)
        self.window.screen_factory = lambda name: (
            _load_screen(name, SCREEN_FACTORIES[name], self.services) if name in SCREEN_FACTORIES else None)
        self.admin = AdminScreen(self.services)
        self.window.add_screen("admin", self.admin)

        self.idle = IdleWatcher(cfg.idle_seconds, self)
        self.idle.idle.connect(self._on_idle)
        self.idle.install(app)
        self.bridge.message.connect(self.window.show_message)
        self.bridge.status.connect(self.window.top_bar.set_status)
        self.window.admin_requested.connect(self.open_admin)
        self.admin.closed.connect(lambda: self.window.show_screen(self.window.start_screen()))
        self.admin.saved.connect(self.apply_choices)
        self.admin.exit_requested.connect(self.leave)
        self.picker.role_chosen.connect(self.choose_role)
        self.translations.language_changed.connect(self._refresh_bar)
        self.services.settings_changed.connect(self._refresh_bar)
        app.aboutToQuit.connect(self.shutdown)

        self.translations.set_language(cfg.language)
        chosen = role or device["role"]
        if role and role in ROLES:
            self._save_role(role)
        self.window.role = chosen if chosen in ROLES else "desk"
        self.services.context = replace(self.services.context, role=self.window.role)
        self.window.show_screen("roles" if chosen not in ROLES else self.window.start_screen())
        self._refresh_bar()
        from ui.syncservice import attach_sync  # status corner, conflict list, background rounds

        self.sync = attach_sync(self)
        if not device["has_pin"]:
            notify.warning(QApplication.translate("KioskApp", "No staff PIN is set: settings cannot be opened."))

    # -- scanning -----------------------------------------------------------------------------------
    def _start_scanning(self, cfg) -> None:
        """Camera (if any), USB wedge and typed codes, merged into one stream of scans."""
        svc = self.services
        camera = None
        wedge = None
        if cfg.camera and cfg.camera.lower() != "none":
            try:
                from ui.camera import CameraController
                camera = CameraController(debounce_seconds=cfg.debounce_seconds)
            except Exception as exc:
                log.warning("camera unavailable: %s", exc)
        try:
            from ui.wedge import WedgeFilter
            wedge = WedgeFilter(cfg.wedge_max_gap_ms, cfg.wedge_min_length, cfg.wedge_pause_ms)
            wedge.install(self.app)
        except Exception as exc:
            log.warning("USB scanner input unavailable: %s", exc)
            wedge = None
        stream = None
        try:
            from ui.scanstream import ScanStream
            stream = ScanStream(camera=camera, wedge=wedge, debounce_seconds=cfg.debounce_seconds)
            stream.scan.connect(self._on_scan)
        except Exception as exc:
            log.warning("scan stream unavailable (%s); wiring inputs directly", exc)
            for source in (camera, wedge):
                if source is not None and hasattr(source, "scanned"):
                    source.scanned.connect(self._on_scan)
        svc.camera, svc.scans, self.wedge = camera, stream, wedge
        if camera is not None:
            try:
                camera.start(cfg.camera, cfg.camera_width, cfg.camera_height)
            except Exception as exc:
                notify.warning(str(exc))

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
        if svc.printer is not None:
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
            if svc.printer is not None:
                svc.printer.printer = ch.config.printer
            if ch.config.camera != old.camera and svc.camera is not None:
                svc.camera.stop()
                if ch.config.camera.lower() != "none":
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

    def shutdown(self) -> None:
        if self._down:
            return
        self._down = True
        self.shutting_down.emit()
        self.idle.uninstall(self.app)
        if self.wedge is not None and hasattr(self.wedge, "uninstall"):
            self.wedge.uninstall(self.app)
        if self.services.camera is not None:
            self.services.camera.stop()
        self.desk.counts_timer.stop()
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
         server_url: str | None = None) -> int:
    """Run the kiosk on an existing database until staff leave; returns the exit code."""
    if not _has_display():
        print("kiosk: no screen to show the kiosk on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
              "Start it from a desktop session, or on a headless machine with: xvfb-run -a kiosk ...",
              file=sys.stderr)
        return 1
    app = _qapp()
    try:
        kiosk = KioskApp(app, Path(db_path), role=role, windowed=windowed, camera=camera, server_url=server_url)
    except (StoreError, OSError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1
    kiosk.show()
    code = app.exec()
    kiosk.shutdown()
    return code


if __name__ == "__main__":  # development: python -m ui.app DB [role]
    logging.basicConfig(level=logging.INFO)
    sys.exit(main(Path(sys.argv[1]), role=sys.argv[2] if len(sys.argv) > 2 else None, windowed=True))
