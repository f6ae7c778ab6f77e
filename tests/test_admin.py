"""The staff settings, driven by taps through the real kiosk: where the kiosk stands, changing PINs."""
from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk import pin, selfservice
from tests.shell_fixtures import make_db, start_kiosk, stop_kiosk

TAP = Qt.MouseButton.LeftButton


def _type_pin(qtbot, pad, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(pad.keys[d], TAP)
    qtbot.mouseClick(pad.keys["OK"], TAP)


def _unlock(qtbot, k):
    admin = k.admin
    k.open_admin()
    _type_pin(qtbot, admin.pad, "1234")
    qtbot.waitUntil(lambda: admin.pages.currentIndex() == 1)
    return admin


def test_staff_move_you_are_here_to_another_kiosk_position(qapp, qtbot, tmp_path):
    path, _ = make_db(tmp_path, role="attendee", device_id="kiosk-1")
    k = start_kiosk(qapp, qtbot, path, role="attendee")
    try:
        screen = k.window.screen("attendee")
        qtbot.waitUntil(lambda: screen.map_page.view is not None)
        view, hall = screen.map_page.view, screen.map_page.data.hall
        assert (view._you.pos().x(), view._you.pos().y()) == hall.kiosks["kiosk-1"]
        admin = _unlock(qtbot, k)
        qtbot.waitUntil(lambda: set(admin.place_buttons) == {"kiosk-1", "kiosk-2"})
        assert admin.place_buttons["kiosk-1"].isChecked()  # the position in use now
        two = admin.place_buttons["kiosk-2"]
        assert two.height() >= 48 and "near" in two.text()  # told apart by a landmark, not only an id
        qtbot.mouseClick(two, TAP)
        qtbot.mouseClick(admin.save_button, TAP)
        qtbot.waitUntil(lambda: (view._you.pos().x(), view._you.pos().y()) == hall.kiosks["kiosk-2"], timeout=5000)
        assert k.tasks.call_db(lambda s: s.get_meta(selfservice.KIOSK_POSITION_KEY)) == "kiosk-2"
        # routes now start there too
        screen.map_page.open_booth("B13")
        screen.map_page.panel.route_button.click()
        qtbot.waitUntil(lambda: screen.map_page.panel.route is not None, timeout=5000)
        assert screen.map_page.panel.route.points[0] == hall.kiosks["kiosk-2"]
    finally:
        stop_kiosk(k)


def test_change_the_staff_pin_with_the_old_one_and_the_new_one_twice(qapp, qtbot, tmp_path):
    path, _ = make_db(tmp_path)
    k = start_kiosk(qapp, qtbot, path)
    try:
        admin = _unlock(qtbot, k)
        assert not admin.change_exhibitor_pin.isVisible()  # a desk has no exhibitor PIN
        qtbot.mouseClick(admin.change_staff_pin, TAP)
        pad = admin.change_pad
        assert admin.pages.currentWidget() is pad and pad.title.text() == "Current staff PIN"
        _type_pin(qtbot, pad, "9999")  # wrong current PIN: found out only at the end
        _type_pin(qtbot, pad, "2468")
        _type_pin(qtbot, pad, "2468")
        qtbot.waitUntil(lambda: pad.message.text() == "The current PIN is wrong.")
        assert pad.title.text() == "Current staff PIN"
        _type_pin(qtbot, pad, "1234")
        _type_pin(qtbot, pad, "12")  # too short: said at once
        assert pad.message.text() == "A PIN is 4 to 12 digits." and "New staff PIN" in pad.title.text()
        _type_pin(qtbot, pad, "2468")
        _type_pin(qtbot, pad, "2469")  # the repeat differs
        qtbot.waitUntil(lambda: "differ" in pad.message.text())
        _type_pin(qtbot, pad, "2468")
        _type_pin(qtbot, pad, "2468")
        qtbot.waitUntil(lambda: admin.pages.currentIndex() == 1)
        assert admin.settings_message.text() == "Staff PIN changed."
        assert k.tasks.call_db(lambda s: pin.verify(s, "2468").ok)
        assert not k.tasks.call_db(lambda s: pin.verify(s, "1234").ok)
        k.translations.set_language("zh_CN")
        qtbot.waitUntil(lambda: admin.change_staff_pin.text() == "更改工作人员 PIN")
    finally:
        stop_kiosk(k)


def test_exhibitor_pin_is_changed_from_the_settings_of_an_exhibitor_device(qapp, qtbot, tmp_path):
    path, _ = make_db(tmp_path, role="exhibitor", device_id="exh-1")
    k = start_kiosk(qapp, qtbot, path, role="exhibitor")
    try:
        admin = _unlock(qtbot, k)
        assert admin.change_exhibitor_pin.isVisible() and admin.change_exhibitor_pin.height() >= 48
        qtbot.mouseClick(admin.change_exhibitor_pin, TAP)
        pad = admin.change_pad
        assert pad.title.text() == "New exhibitor PIN (4 to 12 digits)"  # staff need not know the old one
        _type_pin(qtbot, pad, "5151")
        assert pad.title.text() == "New exhibitor PIN again"
        _type_pin(qtbot, pad, "5151")
        qtbot.waitUntil(lambda: admin.settings_message.text() == "Exhibitor PIN changed.")
        assert k.tasks.call_db(lambda s: pin.verify(s, "5151", scope="exhibitor").ok)
        assert k.tasks.call_db(lambda s: pin.verify(s, "1234").ok)  # the staff PIN is untouched
    finally:
        stop_kiosk(k)
