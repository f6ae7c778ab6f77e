"""Screenshots of the exhibitor's lead screens in English and Chinese, offscreen at 1920x1080.

    .venv/bin/python -m tests.screenshots_leads [OUT_DIR]      # default docs/screenshots/

Real parts throughout: a store built like a device's, signed badges shown to the camera
from a video file, the real capture path, the real screens.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = ""

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import leads, paths, pin  # noqa: E402
from kiosk.models import Attendee  # noqa: E402
from tests.factories import PEOPLE, badge_for, demo_event_store  # noqa: E402
from tests.helpers_scan import write_badge_video  # noqa: E402

SIZE = (1920, 1080)
EX_PIN = "2468"
VISITORS = [
    Attendee("V1", "Dr. Mei Chen", "陈梅", "上海生物化学研究所", consent=True, email="mei.chen@example.cn",
             phone="+86 21 5555 0101", title="Principal Investigator"),
    Attendee("V2", "Jonathan Whitfield", "", "Karolinska Institutet"),
    Attendee("V3", "Zhang Xiaoming", "张晓明", "复旦大学附属中山医院", badge_type="speaker", consent=True,
             email="zxm@example.cn"),
    Attendee("V4", "Ana Sofia Pereira", "", "EMBL Heidelberg", badge_type="press"),
    Attendee("V5", "Liu Yang", "刘洋", "药明康德", badge_type="vip"),
]


def pump(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_for(app: QApplication, cond, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def prepare(data_dir: Path):
    store, key = demo_event_store(data_dir / "exhibitor.db", people=[*PEOPLE, *VISITORS], role="exhibitor",
                                  device_id="booth-A01-1")
    store.set_meta("exhibitor_id", "EX01")
    pin.set_pin(store, "1234")
    pin.set_pin(store, EX_PIN, scope="exhibitor")
    store.close()
    return data_dir / "exhibitor.db", key


def seed_leads(kiosk, key) -> None:
    """A morning at the booth: a few leads with notes, ratings and tags, scanned earlier."""
    from kiosk import checkin
    from kiosk.checkin import DeviceContext
    ctx = kiosk.services.context
    helper = DeviceContext("booth-A01-2", role="exhibitor", exhibitor_id="EX01")
    plan = [(VISITORS[0], 5, ["wants demo", "decision maker"], "对 BTK 抑制剂的二期数据很感兴趣，下周安排演示。"),
            (VISITORS[1], 3, ["follow up"], "Asked about the clinical trial network in Sweden."),
            (VISITORS[2], 4, ["send quote", "follow up"], ""),
            (VISITORS[3], 1, [], "Press: wants the press kit."),
            (VISITORS[4], 0, ["partner"], "")]

    def work(store):
        for i, (person, rating, tags, note) in enumerate(plan):
            device = helper if i % 2 else ctx
            verdict = checkin.check(store, badge_for(person, key), device)
            if rating:
                leads.set_rating(store, device, verdict.record_id, rating)
            if tags:
                leads.set_tags(store, device, verdict.record_id, tags)
            if note:
                leads.set_note(store, device, verdict.record_id, note)

    kiosk.tasks.call_db(work)


def shoot(out: Path) -> list[Path]:
    from tests.shell_fixtures import stop_kiosk
    from ui.app import KioskApp

    app = QApplication.instance() or QApplication(sys.argv[:1])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db, key = prepare(tmp)
        videos = {"en": write_badge_video(tmp / "zhang.avi", [badge_for(PEOPLE[0], key)], 2.0, 10, (960, 540)),
                  "zh_CN": write_badge_video(tmp / "li.avi", [badge_for(PEOPLE[2], key)], 2.0, 10, (960, 540))}
        kiosk = KioskApp(app, db, role="exhibitor", windowed=True, camera="none", sounds=False)
        w = kiosk.window
        w.resize(*SIZE)
        w.show()
        screen = w.screen("exhibitor")
        seed_leads(kiosk, key)

        def save(name: str, lang: str) -> None:
            pump(app, 0.4)
            path = out / f"leads-{name}-{'zh' if lang == 'zh_CN' else 'en'}.png"
            w.grab().save(str(path))
            written.append(path)

        try:
            for lang in ("en", "zh_CN"):
                kiosk.translations.set_language(lang)
                w.default_language = lang
                screen.lock()
                wait_for(app, lambda: screen.exhibitor is not None and screen.pad.keys["OK"].isEnabled())
                for d in EX_PIN[:3]:
                    screen.pad.keys[d].click()
                save("locked", lang)
                screen.pad.keys[EX_PIN[3]].click()
                screen.pad.keys["OK"].click()
                wait_for(app, lambda: screen.unlocked and screen.list.count() >= 5)

                camera = kiosk.services.camera
                if camera is None:  # the app was started without one: attach the video the same way
                    from ui.camera import CameraController
                    camera = CameraController(debounce_seconds=30)
                    kiosk.services.camera = camera
                    camera.scanned.connect(kiosk._on_scan)
                    old = screen.preview
                    screen.preview = screen._make_preview()
                    old.parentWidget().layout().replaceWidget(old, screen.preview)
                    old.deleteLater()
                camera.start(str(videos[lang]), 960, 540)
                wait_for(app, lambda: screen.capture.verdict is not None)
                pump(app, 0.6)
                save("capture", lang)
                camera.stop()
                screen.capture.clear()
                save("list", lang)

                first = next(lead for lead in screen.leads if lead.attendee_id == "V1")
                screen.open_lead(first.id)
                wait_for(app, lambda: screen.editor.lead is not None)
                save("editor", lang)
                screen.editor.closed.emit()
                wait_for(app, lambda: screen.pages.currentIndex() == 1)

                stick = tmp / "media" / "booth" / "SALES_USB"
                (stick / "Forum 2023").mkdir(parents=True, exist_ok=True)
                (tmp / "home" / "Documents").mkdir(parents=True, exist_ok=True)
                screen.export_page.media_roots = (tmp / "media",)
                screen.export_page.home = tmp / "home"
                screen._open_export()
                save("export", lang)
                screen.export_page.enter(stick)
                screen.export_page.export_here()
                wait_for(app, lambda: not screen.export_page.busy)
                save("exported", lang)
                screen.export_page.closed.emit()
        finally:
            if kiosk.services.camera is not None:
                kiosk.services.camera.stop()
            stop_kiosk(kiosk)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else paths.root() / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for path in shoot(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
