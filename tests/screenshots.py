"""Screenshots of every shell screen in English and Chinese, offscreen at 1920x1080 (the desk also 1080x1920).

    .venv/bin/python -m tests.screenshots [OUT_DIR]      # default docs/screenshots/
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = ""

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import paths, pin  # noqa: E402
from kiosk.models import Scan  # noqa: E402
from kiosk.store import Store  # noqa: E402
from tests.sql import sql  # noqa: E402

SIZE = (1920, 1080)
PORTRAIT = (1080, 1920)


def settle(app: QApplication, kiosk, rounds: int = 30) -> None:
    """Let background results arrive and layouts settle."""
    import time
    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.01)


def wait_for(app, cond, timeout: float = 10.0) -> None:
    import time
    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def prepare(data_dir: Path) -> Path:
    from sync.demo import prepare_demo
    db = prepare_demo(data_dir, attendees=400)
    s = Store(db)
    try:
        pin.ensure_pin(s)
        s.set_meta("device_id", "desk-1")
        s.set_meta("role", None)
    finally:
        s.close()
    return db


def shoot(out: Path) -> list[Path]:
    from ui.app import KioskApp

    app = QApplication.instance() or QApplication(sys.argv[:1])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = prepare(Path(tmp))
        kiosk = KioskApp(app, db, role=None, windowed=True, camera="none", sounds=False)
        w = kiosk.window
        w.resize(*SIZE)
        w.show()
        settle(app, kiosk)
        desk = kiosk.desk

        def save(name: str, lang: str) -> None:
            settle(app, kiosk, 10)
            path = out / f"{name}_{lang}.png"
            w.grab().save(str(path))
            written.append(path)

        for lang in ("en", "zh_CN"):
            kiosk.translations.set_language(lang)
            w.default_language = lang
            settle(app, kiosk)
            w.show_screen("roles")
            save("01_role_picker", lang)
            kiosk.choose_role("desk")
            desk.reset()
            wait_for(app, lambda: desk.counts.counts is not None)
            save("02_desk", lang)
            w.resize(*PORTRAIT)  # a portrait totem used as a desk: camera and counts on top, search below
            wait_for(app, lambda: desk.portrait)
            save("10_desk_portrait", lang)
            desk.search.setText("zhang" if lang == "en" else "张")
            wait_for(app, lambda: desk.results.count() > 0)
            desk._open_item(desk.results.item(0))
            wait_for(app, desk.attendee_panel.isVisible)
            desk.attendee_panel.ask_confirm()
            save("11_desk_portrait_search", lang)
            desk.reset()
            w.resize(*SIZE)
            wait_for(app, lambda: not desk.portrait)
            desk.search.setText("zhang" if lang == "en" else "张")
            wait_for(app, lambda: desk.results.count() > 0)
            desk._open_item(desk.results.item(0))
            wait_for(app, desk.attendee_panel.isVisible)
            desk.attendee_panel.ask_confirm()
            save("03_desk_search_confirm", lang)
            desk.reset()
            people = kiosk.tasks.call_db(lambda s: [a for a in sql(s).execute(
                "SELECT code FROM attendees WHERE code IS NOT NULL AND code != '' ORDER BY id LIMIT 1")])
            code = people[0][0] if people else "NOPE"
            for status, scan_code in (("ok", code), ("already_checked_in", code), ("unknown", "NOPE-4242")):
                seen = []
                desk.card.dismissed.connect(lambda: None)
                before = desk.last_verdict
                desk.handle_scan(Scan(scan_code, "typed"))
                wait_for(app, lambda: desk.last_verdict is not before)
                save(f"04_verdict_{status}", lang)
                del seen
            kiosk.tasks.call_db(lambda s: sql(s).execute("UPDATE checkins SET undone = 1"))
            revoked = kiosk.tasks.call_db(lambda s: sql(s).execute(
                "SELECT a.code FROM attendees a JOIN revocations r ON r.attendee_id = a.id "
                "WHERE a.code IS NOT NULL AND a.code != '' LIMIT 1").fetchone())
            if revoked:
                before = desk.last_verdict
                desk.handle_scan(Scan(revoked[0], "typed"))
                wait_for(app, lambda: desk.last_verdict is not before)
                save("04_verdict_revoked", lang)
            desk.reset()
            wait_for(app, lambda: desk.recent.list.count() > 0)
            save("08_desk_recent_scans", lang)
            code = kiosk.tasks.call_db(lambda s: (sql(s).execute(
                "SELECT handoff FROM scan_log WHERE handoff IS NOT NULL ORDER BY device_time DESC LIMIT 1")
                .fetchone() or [None])[0])
            if code:
                desk.set_conflicts(2)  # the duplicates button as it shows after a sync round found two
                desk.search.setText(code.lower())
                desk._submit_code()
                wait_for(app, lambda: desk.handoff_panel.case is not None)
                save("09_desk_handoff", lang)
                desk.set_conflicts(0)
            desk.reset()
            kiosk.open_admin()
            wait_for(app, lambda: True)
            save("05_admin_pin", lang)
            kiosk.admin._pin_result(pin.PinResult(True))
            wait_for(app, lambda: bool(kiosk.admin.place_buttons))
            save("06_admin_settings", lang)
            kiosk.admin.start_pin_change("staff")
            save("07_admin_change_pin", lang)
            kiosk.admin._change_cancelled()
            w.reset_all()
        kiosk.translations.set_language("en")
        w.allow_close = True
        w.close()
        kiosk.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else paths.root() / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for p in shoot(out):
        print(p)
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
