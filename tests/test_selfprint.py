"""Self-service badge printing at the attendee kiosk: scan → "Is this you?" → the badge prints → "Take your badge".

Real Qt widgets, a real store file; the badge goes to a PDF in the print folder here (to a real
CUPS queue in tests/test_selfprint_cups.py). Taps are real mouse clicks on the buttons.
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from kiosk import pin
from kiosk.handoff import HANDOFF_PREFIX
from kiosk.models import Scan
from tests.attendee_fixtures import ensure_catalogue, open_kiosk  # noqa: F401
from tests.factories import PEOPLE, badge_for
from tests.sql import sql

ZHANG = PEOPLE[0]


def printing_kiosk(qtbot, tmp_path, printer: str = ""):
    def prepare(store, key):
        sql(store).execute("UPDATE attendees SET phone = '+86 138 0000 1234', email = 'zw@example.org' "
                         "WHERE id = 'A1'")
        pin.ensure_pin(store)
    k = open_kiosk(qtbot, tmp_path, prepare=prepare)
    k.services.config = replace(k.services.config, self_print=True, printer=printer,
                                print_folder=str(tmp_path / "prints"))
    return k


def scan_to_confirm(qtbot, k, code: str):
    page = k.screen.print_page
    assert k.screen.handle_scan(Scan(code, "camera")) is True
    qtbot.waitUntil(lambda: page.state == "confirm", timeout=5000)
    assert k.screen.current_page() == "print"
    return page


def tap(qtbot, button) -> None:
    assert button.isVisible() and button.height() >= 48
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def db(k, query: str, args=()):
    return k.tasks.call_db(lambda s: sql(s).execute(query, list(args)).fetchall())


def test_scan_confirm_and_the_badge_prints_then_take_your_badge(qtbot, tmp_path):
    k = printing_kiosk(qtbot, tmp_path)
    code = badge_for(ZHANG, k.key)
    page = scan_to_confirm(qtbot, k, code)
    text = page.texts()
    assert "Is this you?" in text and "Zhang Wei" in text and "张伟" in text and "北京华展科技有限公司" in text
    assert page.yes.text() == "This is me" and page.no.isVisible()
    # a public screen: the next person in the queue reads it too
    assert "example.org" not in text and "138" not in text and "@" not in text
    assert db(k, "SELECT count(*) FROM checkins WHERE attendee_id = 'A1'") == [(1,)]  # checked in at the scan
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: page.state == "taken", timeout=15000)
    after = page.texts()
    assert "Take your badge" in after and "Your first session" in after
    assert "Zhang Wei" not in after and "张伟" not in after and page.name.text() == ""  # cleared after printing
    assert page.map_button.isVisible()
    pdfs = list((tmp_path / "prints").glob("badge-A1-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].stat().st_size > 1000
    assert db(k, "SELECT attendee_id, device_id FROM print_log") == [("A1", "kiosk-1")]
    assert db(k, "SELECT count(*) FROM outbox WHERE kind = 'print'") == [(1,)]  # synced like the desk's prints
    tap(qtbot, page.map_button)
    assert k.screen.current_page() == "map"


def test_a_badge_already_printed_prints_again_only_with_the_staff_pin(qtbot, tmp_path):
    k = printing_kiosk(qtbot, tmp_path)
    code = badge_for(ZHANG, k.key)
    page = scan_to_confirm(qtbot, k, code)
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: page.state == "taken", timeout=15000)
    tap(qtbot, page.done_button)
    page = scan_to_confirm(qtbot, k, code)
    tap(qtbot, page.yes)
    assert page.state == "staff" and "printed already" in page.texts()
    assert not page.yes.isVisible()
    tap(qtbot, page.staff)
    for key in "9999":
        tap(qtbot, page.pad.keys[key])
    tap(qtbot, page.pad.keys["OK"])
    qtbot.waitUntil(lambda: page.pad.message.text() != "", timeout=5000)
    assert "Wrong PIN" in page.pad.message.text()
    assert db(k, "SELECT count(*) FROM print_log") == [(1,)]
    for key in pin.DEMO_PIN:
        tap(qtbot, page.pad.keys[key])
    tap(qtbot, page.pad.keys["OK"])
    qtbot.waitUntil(lambda: page.state == "taken", timeout=15000)
    assert db(k, "SELECT count(*) FROM print_log WHERE attendee_id = 'A1'") == [(2,)]
    assert db(k, "SELECT count(*) FROM outbox WHERE kind = 'print'") == [(2,)]


def test_not_me_hands_off_to_the_desk_with_a_code_and_prints_nothing(qtbot, tmp_path):
    k = printing_kiosk(qtbot, tmp_path)
    page = scan_to_confirm(qtbot, k, badge_for(ZHANG, k.key))
    tap(qtbot, page.no)
    qtbot.waitUntil(lambda: page.handoff.text() != "", timeout=5000)
    code = page.handoff.text()
    assert len(code) == 6 and page.handoff_qr.payload == HANDOFF_PREFIX + code
    assert "registration desk" in page.texts() and "Zhang Wei" not in page.texts()
    assert db(k, "SELECT attendee_id, detail FROM scan_log WHERE handoff = ?", [code]) == [("A1", "not_me")]
    assert db(k, "SELECT count(*) FROM print_log") == [(0,)]
    assert not (tmp_path / "prints").exists() or not list((tmp_path / "prints").glob("*.pdf"))


def test_idle_clears_the_confirm_screen(qtbot, tmp_path):
    k = printing_kiosk(qtbot, tmp_path)
    page = scan_to_confirm(qtbot, k, badge_for(ZHANG, k.key))
    assert page.name.text()
    k.screen.reset()  # what the idle timer does
    assert k.screen.current_page() == "attract"
    assert page.plan is None and page.verdict is None
    assert all(not lab.text() for lab in (page.name, page.name_second, page.organisation))
    tap_ok = page.yes.isVisible()
    assert not tap_ok


def test_a_kiosk_without_self_print_only_checks_in(qtbot, tmp_path):
    k = printing_kiosk(qtbot, tmp_path)
    k.services.config = replace(k.services.config, self_print=False)
    assert k.screen.handle_scan(Scan(badge_for(ZHANG, k.key), "camera"))
    qtbot.waitUntil(lambda: k.screen.checkin_page.state == "result", timeout=5000)
    assert k.screen.current_page() == "checkin"


def test_staff_turn_self_print_on_in_the_admin_screen_and_scans_then_print(qapp, qtbot, tmp_path):
    from kiosk import config as kconfig
    from tests.shell_fixtures import make_db, start_kiosk, stop_kiosk
    path, key = make_db(tmp_path, role="attendee", device_id="kiosk-1")
    k = start_kiosk(qapp, qtbot, path, role="attendee")
    try:
        admin = k.admin
        k.open_admin()
        for d in pin.DEMO_PIN + "K":
            qtbot.mouseClick(admin.pad.keys["OK" if d == "K" else d], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: admin.pages.currentIndex() == 1)
        toggle = admin.self_print
        assert not toggle.isChecked() and "Off" in toggle.text()
        qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
        assert toggle.isChecked() and "print their own badge" in toggle.text()
        qtbot.mouseClick(admin.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: k.services.config.self_print, timeout=5000)
        assert k.tasks.call_db(lambda s: kconfig.load(s, environ={}).self_print) is True
        screen = k.window.screen("attendee")
        screen.handle_scan(Scan(badge_for(ZHANG, key), "camera"))
        qtbot.waitUntil(lambda: screen.print_page.state == "confirm", timeout=5000)
    finally:
        stop_kiosk(k)


def test_the_confirm_screen_in_chinese_puts_the_chinese_name_first(qtbot, tmp_path):
    ensure_catalogue()
    k = printing_kiosk(qtbot, tmp_path)
    k.translations.set_language("zh_CN")
    page = scan_to_confirm(qtbot, k, badge_for(ZHANG, k.key))
    assert page.title.text() == "这是您吗？" and page.yes.text() == "是我本人"
    assert page.name.text() == "张伟" and page.name_second.text() == "Zhang Wei"
