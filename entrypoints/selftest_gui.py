"""`kiosk --self-test`, the GUI half: the real main window, offscreen, on a temporary database.

Builds the kiosk exactly as `kiosk demo` does (ui.app.KioskApp: services, task manager,
screens, scanning inputs), then checks what a packaged build can lose: the Qt platform and
image plugins, the bundled Chinese font, every screen module loaded by name, a scan routed
through the app to a verdict on screen, the Chinese catalogues plus Qt's own, and the
on-screen keyboard's QML. Runs offscreen so it works over SSH and on a headless build box.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from entrypoints import selftest_checks as selftest
from entrypoints.selftest_checks import Checks


def _prepare_environment() -> None:
    """Before the QApplication exists: offscreen, and the keyboard's input method as in production."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")


def _wait(app, predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def run_gui(folder: Path, checks: Checks) -> None:
    from PySide6.QtCore import QCoreApplication

    _prepare_environment()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["kiosk-self-test"])
    db_path = selftest.prepare_database(folder)
    checks.run("qt", lambda: _check_qt(app))
    kiosk = None

    def build() -> str:
        nonlocal kiosk
        from ui.app import KioskApp
        kiosk = KioskApp(app, db_path, role="desk", windowed=True, camera="none", sounds=False)
        kiosk.window.resize(1280, 800)
        kiosk.window.show()
        app.processEvents()
        image = kiosk.window.grab().toImage()
        assert not image.isNull() and image.width() >= 1280, "the window did not render"
        return f"KioskApp built, window rendered {image.width()}x{image.height()}"

    if not checks.run("main window", build):
        return
    try:
        checks.run("screens", lambda: _check_screens(kiosk))
        checks.run("fonts", _check_fonts)
        checks.run("scan to verdict", lambda: _check_scan(app, kiosk))
        checks.run("chinese", lambda: _check_chinese(app, kiosk))
        checks.run("keyboard", lambda: _check_keyboard(app, kiosk))
        checks.run("sounds", _check_sounds, optional=True)
    finally:
        kiosk.translations.set_language("en")
        kiosk.window.allow_close = True
        kiosk.window.close()
        kiosk.shutdown()
        kiosk.window.deleteLater()
        QCoreApplication.sendPostedEvents(None, 0)
        app.processEvents()


def _check_qt(app) -> str:
    import PySide6
    from PySide6.QtGui import QImageReader

    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    assert {"png", "jpg", "svg"} <= formats, f"image format plugins missing (have {sorted(formats)})"
    return f"PySide6 {PySide6.__version__}, platform {app.platformName()}, image formats png/jpg/svg"


def _check_screens(kiosk) -> str:
    """Every role's screen builds (the attendee and exhibitor screens are built when first shown)."""
    for name in ("roles", "desk", "admin", "conflicts", "attendee", "exhibitor"):
        assert kiosk.window.screen(name) is not None, f"no {name} screen"
    modules = selftest.import_all(["ui"])
    return f"{', '.join(kiosk.window.screen_names())}; {modules}"


def _check_fonts() -> str:
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    families = QFontDatabase.families()
    assert "Noto Sans SC" in families, "the bundled Noto Sans SC subset is not registered"
    metrics = QFontMetrics(QFont("Noto Sans SC", 20))
    for ch in "签到论坛":
        assert metrics.inFontUcs4(ord(ch)), f"Noto Sans SC has no glyph for {ch}"
    system = "Noto Sans CJK SC" in families
    return "bundled Noto Sans SC registered with the glyphs" + (
        "; the system's full Noto Sans CJK SC comes first" if system else "; no system CJK font: the subset serves")


def _check_scan(app, kiosk) -> str:
    from kiosk.models import Scan, Status

    code, facts = selftest.expected()
    desk = kiosk.window.screen("desk")
    kiosk._on_scan(Scan(code, "typed", time.monotonic()))
    shown = _wait(app, lambda: getattr(desk, "last_verdict", None) is not None)
    assert shown, "no verdict reached the desk screen within 10 s"
    verdict = desk.last_verdict
    assert verdict.status is Status.OK, f"verdict {verdict.status.value} ({verdict.detail})"
    assert verdict.attendee and verdict.attendee.name == facts["attendee"]["name"], "wrong person on screen"
    return f"a typed scan went through the task manager to the desk: {verdict.status.value}, {verdict.attendee.name}"


def _check_chinese(app, kiosk) -> str:
    from PySide6.QtCore import QCoreApplication

    kiosk.translations.set_language("zh_CN")
    app.processEvents()
    text = QCoreApplication.translate("VerdictCard", "Checked in")
    assert text != "Checked in", "the Chinese catalogue did not translate 'Checked in'"
    qt_text = QCoreApplication.translate("QPlatformTheme", "Cancel")
    loaded = [p.name for p in kiosk.translations.catalogues("zh_CN")]
    qtbase = "qtbase" if qt_text != "Cancel" else "no qtbase catalogue"
    assert qt_text != "Cancel", "Qt's own Chinese catalogue (qtbase_zh_CN) did not load"
    return f"{', '.join(loaded)} + {qtbase}: 'Checked in' -> '{text}', 'Cancel' -> '{qt_text}'"


def _check_keyboard(app, kiosk) -> str:
    from ui import keyboard

    if not keyboard.wanted():
        return f"skipped: QT_IM_MODULE is {os.environ.get('QT_IM_MODULE')!r}, not qtvirtualkeyboard"
    panel = kiosk.window.keyboard
    ok = panel.load()
    assert ok, f"the on-screen keyboard did not load: {panel.error}"
    app.processEvents()
    return "Qt Virtual Keyboard InputPanel (QML) loaded in the window"


def _check_sounds() -> str:
    from PySide6.QtMultimedia import QSoundEffect  # noqa: F401  (ui.verdict beeps without it)

    return "QtMultimedia present for the verdict sounds"
