"""Screenshots of the attendee kiosk for docs/screenshots/: every page, both languages, both shapes.

    .venv/bin/python -m tests.screenshots_attendee [OUT_DIR]

Writes attendee-<page>-<language>-<width>x<height>.png for a landscape 1920x1080 kiosk and a
portrait 1080x1920 totem (the screen area below the kiosk window's 84 px top bar). Uses a
real demo store, the real task manager and the demo clock at 10:00 on the event day.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "")

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk import checkin, paths  # noqa: E402
from kiosk.models import Scan  # noqa: E402

SIZES = [(1920, 1080), (1080, 1920)]
TOP_BAR = 84


def _spin(app: QApplication, seconds: float = 0.3, until=None) -> None:
    end = time.monotonic() + seconds * (20 if until else 1)
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            return
        time.sleep(0.01)


def shoot(out: Path, language: str, size: tuple[int, int], app: QApplication) -> list[Path]:
    from tests.attendee_fixtures import TEN_AM, Kiosk, ensure_catalogue, make_store
    from tests.factories import PEOPLE, badge_for

    ensure_catalogue()
    tmp = Path(tempfile.mkdtemp(prefix="attendee-shots-"))
    store, key = make_store(tmp)
    door = checkin.DeviceContext("door-1", role="desk", point_id="door-main-forum")
    for person in PEOPLE:
        checkin.check(store, badge_for(person, key), door, now=TEN_AM)
    store.close()
    k = Kiosk(tmp / "kiosk.db", key)
    s = k.screen
    w, h = size
    s.resize(w, h - TOP_BAR)
    s.show()
    k.translations.set_language(language)
    _spin(app, 0.5, until=lambda: s.map_page.view is not None)
    written: list[Path] = []
    tag = f"{'zh' if language == 'zh_CN' else 'en'}-{w}x{h}"

    def grab(name: str) -> None:
        _spin(app, 0.25)
        path = out / f"attendee-{name}-{tag}.png"
        s.grab().save(str(path))
        written.append(path)

    try:
        grab("attract")
        s.go_home()
        grab("home")
        s.open_page("map")
        _spin(app, 0.3)
        grab("map")
        s.map_page.search.setText("baiji" if language == "en" else "医疗")
        grab("search")
        s.map_page.search.clear()
        s.map_page.open_booth("B13")
        grab("booth")
        s.map_page.panel.route_button.click()
        _spin(app, 1.0, until=lambda: s.map_page.panel.route is not None)
        grab("route")
        s.open_page("agenda")
        _spin(app, 1.0, until=lambda: bool(s.agenda_page.cards))
        grab("agenda")
        s.open_page("checkin")
        grab("checkin-prompt")
        s.handle_scan(Scan(badge_for(PEOPLE[2], key), "camera"))
        _spin(app, 1.0, until=lambda: s.checkin_page.state == "result")
        grab("checkin-ok")
        s.handle_scan(Scan("REG-9999-UNKNOWN", "camera"))
        _spin(app, 0.2)
        _spin(app, 1.0, until=lambda: s.checkin_page.state == "result")
        grab("checkin-refused")
    finally:
        k.close()
        _spin(app, 0.1)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else paths.root() / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    from ui import theme
    theme.apply(app)
    for size in SIZES:
        for language in ("en", "zh_CN"):
            for p in shoot(out, language, size, app):
                print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
