"""The kiosk shell with real widgets offscreen: kiosk mode, staff corner and PIN, idle reset, roles."""
from __future__ import annotations

import threading

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk import notify
from kiosk.store import Store
from tests.helpers_qt import settle
from tests.shell_fixtures import kiosk, kiosk_db, make_db, start_kiosk, stop_kiosk  # noqa: F401


def _press(widget) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10))


def _release(widget) -> None:
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10))


def _enter_pin(qtbot, admin, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(admin.pad.keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(admin.pad.keys["OK"], Qt.MouseButton.LeftButton)


def test_close_escape_and_alt_f4_do_not_leave(kiosk, qtbot):
    w = kiosk.window
    assert not w.close()
    QTest.keyClick(w, Qt.Key.Key_Escape)
    QTest.keyClick(w, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    settle()  # a close queued by any of them would happen here
    assert w.isVisible()


def test_top_bar_shows_event_point_and_language_button(kiosk):
    bar = kiosk.window.top_bar
    assert bar.title.text()
    assert "Entry" in bar.point.text()
    assert bar.language.text() == "中文"
    assert bar.language.height() >= 48
    # no visible way into the settings: only the invisible corner
    assert not [b for b in kiosk.window.findChildren(type(bar.language)) if "setting" in b.text().lower()
                and b.isVisible()]


def test_short_press_does_nothing_long_press_asks_for_the_pin(kiosk, qtbot):
    w = kiosk.window
    corner = w.top_bar.corner
    _press(corner)
    assert corner.timer.isActive()  # counting the hold
    _release(corner)  # let go early: the count stops, so nothing can open later
    assert not corner.timer.isActive() and w.current_name() == "desk"
    _press(corner)
    qtbot.waitUntil(lambda: w.current_name() == "admin", timeout=10_000)  # held: the PIN pad opens
    _release(corner)
    assert kiosk.admin.pages.currentIndex() == 0  # the PIN pad, not the settings


def test_wrong_pins_lock_the_pad_and_the_right_one_opens_settings(kiosk, qtbot):
    admin = kiosk.admin
    kiosk.open_admin()
    for attempt in range(3):
        _enter_pin(qtbot, admin, "9999")
        qtbot.waitUntil(lambda: admin.pad.keys["1"].isEnabled())
        assert "Wrong PIN" in admin.pad.message.text()
    _enter_pin(qtbot, admin, "9999")
    qtbot.waitUntil(lambda: "Try again in" in admin.pad.message.text())
    assert not admin.pad.keys["1"].isEnabled()
    # a restart of the screen (or the app) still shows the lock
    admin.reset()
    kiosk.open_admin()
    qtbot.waitUntil(lambda: "Try again in" in admin.pad.message.text())
    kiosk.tasks.call_db(lambda s: (s.set_meta("pin_locked_until", "0")))  # staff waited the lock out
    admin._wait = 0
    admin._tick()
    _enter_pin(qtbot, admin, "1234")
    qtbot.waitUntil(lambda: admin.pages.currentIndex() == 1)


def test_admin_settings_are_saved_and_followed(kiosk, qtbot, kiosk_db):
    admin = kiosk.admin
    kiosk.open_admin()
    _enter_pin(qtbot, admin, "1234")
    qtbot.waitUntil(lambda: admin.pages.currentIndex() == 1)
    door = admin.point_combo.findData("door-press-conference")
    assert door >= 0, [admin.point_combo.itemData(i) for i in range(admin.point_combo.count())]
    admin.point_combo.setCurrentIndex(door)
    qtbot.mouseClick(admin.direction_buttons["exit"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(admin.idle_plus, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(admin.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.window.current_name() == "desk")
    assert "Exit" in kiosk.window.top_bar.point.text()
    assert kiosk.idle.timer.interval() == (90 + 15) * 1000
    assert admin.pages.currentIndex() == 0  # locked again
    s = Store(kiosk_db[0])
    try:
        assert s.get_meta("point_id") == "door-press-conference" and s.get_meta("direction") == "exit"
        assert '"idle_seconds": 105' in s.get_meta("config")
    finally:
        s.close()


def test_idle_forgets_the_person(kiosk, qtbot):
    w, desk = kiosk.window, kiosk.desk
    kiosk.idle.set_seconds(1)
    qtbot.keyClicks(desk.search, "zhang")
    qtbot.waitUntil(lambda: desk.results.count() > 0)
    desk.results.setCurrentRow(0)
    desk._open_item(desk.results.item(0))
    qtbot.waitUntil(lambda: desk.attendee_panel.isVisible())
    kiosk.translations.set_language("zh_CN")
    desk.handle_scan(__import__("kiosk.models", fromlist=["Scan"]).Scan("REG-0001", "typed"))
    qtbot.waitUntil(lambda: desk.card.isVisible())
    kiosk.open_admin()
    kiosk.idle.poke()
    with qtbot.waitSignal(w.idle_reset, timeout=3000):
        pass
    assert w.current_name() == "desk"
    assert desk.search.text() == "" and desk.results.count() == 0
    assert not desk.attendee_panel.isVisible() and not desk.card.isVisible()
    assert kiosk.translations.language == "en"
    assert kiosk.idle.timer.objectName() == "idle-timer"


def test_touch_restarts_the_idle_timer(kiosk, qtbot):
    timer = kiosk.idle.timer
    timer.stop()  # as if the countdown had run out unseen: from here only a touch can start it again
    QTest.mouseClick(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(600, 500))
    assert timer.isActive()  # QTimer.start() on a running timer restarts its countdown


def test_first_start_asks_for_the_role(qapp, qtbot, tmp_path):
    path, _ = make_db(tmp_path, role=None)
    k = start_kiosk(qapp, qtbot, path, role=None)
    try:
        assert k.window.current_name() == "roles"
        assert all(b.height() >= 48 for b in k.picker.buttons.values())
        qtbot.mouseClick(k.picker.buttons["desk"], Qt.MouseButton.LeftButton)
        assert k.window.current_name() == "desk"
        assert k.tasks.call_db(lambda s: s.get_meta("role")) == "desk"
    finally:
        stop_kiosk(k)


def test_a_message_from_a_worker_thread_reaches_the_screen(kiosk, qtbot):
    t = threading.Thread(target=notify.error, args=("Sync failed: server unreachable",))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: kiosk.window.toast.isVisible())
    assert "server unreachable" in kiosk.window.toast.text()
    notify.status(online=False, waiting=3)
    qtbot.waitUntil(lambda: "3" in kiosk.window.top_bar.status_label.text())
    assert "Offline" in kiosk.window.top_bar.status_label.text()


def test_no_camera_is_said_and_typed_codes_still_check_in(kiosk, qtbot):
    desk = kiosk.desk
    assert "No camera" in desk.preview.text()
    qtbot.keyClicks(desk.search, "REG-0001")
    qtbot.mouseClick(desk.code_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.card.isVisible())
    assert desk.last_verdict.status.value == "ok"
    assert "Zhang Wei" in desk.card.texts()


def test_other_screens_plug_in(kiosk):
    from ui.screen import Screen

    class Hello(Screen):
        resets = 0

        def reset(self):
            Hello.resets += 1

    kiosk.window.add_screen("hello", Hello())
    kiosk.window.show_screen("hello")
    assert kiosk.window.current_name() == "hello"
    kiosk.window.reset_all()
    assert Hello.resets == 1 and kiosk.window.current_name() == "desk"


def test_every_role_screen_builds_in_the_composition_root(kiosk):
    """No screen is swapped for a placeholder: one that fails to build fails here."""
    from ui.attendee import AttendeeScreen
    from ui.leads import LeadsScreen

    for role, kind in (("attendee", AttendeeScreen), ("exhibitor", LeadsScreen)):
        kiosk.choose_role(role)
        assert isinstance(kiosk.window.screen(role), kind)
        assert kiosk.window.current_name() == role
    kiosk.choose_role("desk")
