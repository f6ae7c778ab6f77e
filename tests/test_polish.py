"""Issue 12's words and small behaviours, on real widgets: what 中文 mode says after a live switch,
the default lead tags in the visitor's language, the undo sound, the exit desk's hand button."""
from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk import leads
from kiosk.models import Direction, Status, Verdict
from tests.attendee_fixtures import attendee, ensure_catalogue  # noqa: F401 (fixture)
from tests.factories import PEOPLE, badge_for
from tests.test_attendee_ui import open_map
from tests.test_leads_ui import booth, scan, unlock  # noqa: F401 (fixture)


def test_map_steps_word_and_booth_names_follow_a_live_language_switch(qtbot, attendee):
    ensure_catalogue()
    page = open_map(qtbot, attendee)
    page.open_booth("A01")
    steps = page.view._step_tags
    assert steps and all(t.text() == "Steps" for t in steps)
    assert (page.panel.name.text(), page.panel.name_zh.text()) == ("BeiGene", "百济神州")
    attendee.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: page.panel.route_button.text() == "带我去这里")
    assert all(t.text() == "台阶" for t in steps)
    assert (page.panel.name.text(), page.panel.name_zh.text()) == ("百济神州", "BeiGene")  # Chinese first, largest
    attendee.translations.set_language("en")
    qtbot.waitUntil(lambda: page.panel.route_button.text() == "Route here")
    assert all(t.text() == "Steps" for t in steps) and page.panel.name.text() == "BeiGene"


def test_self_checkin_without_a_camera_asks_for_no_typing_and_follows_the_language(qtbot, qapp):
    from ui.camera import PreviewLabel
    from ui.i18n import Translations

    ensure_catalogue()
    translations = Translations()
    kiosk_label, desk_label = PreviewLabel(can_type=False), PreviewLabel()
    for label in (kiosk_label, desk_label):
        qtbot.addWidget(label)
        label.set_state("no_camera")
    assert "type" not in kiosk_label.text() and "scanner" in kiosk_label.text()
    assert "type the code" in desk_label.text()  # the desk has a field for it
    try:
        translations.set_language("zh_CN")
        qtbot.waitUntil(lambda: kiosk_label.text().startswith("未找到摄像头"))  # retranslated live, no new state
        assert "输入" not in kiosk_label.text() and "输入编码" in desk_label.text()
    finally:
        translations.set_language("en")
    qtbot.waitUntil(lambda: kiosk_label.text().startswith("No camera found"))


def test_default_lead_tags_are_shown_in_the_language_and_stored_as_before(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(PEOPLE[0], key))
    lead = k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0]
    screen.open_lead(lead.id)
    qtbot.waitUntil(lambda: screen.editor.lead is not None and "wants demo" in screen.editor.tags.buttons)
    qtbot.mouseClick(screen.editor.tags.buttons["wants demo"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: k.tasks.call_db(lambda s: leads.get_lead(s, lead.id)).tags == ("wants demo",))
    k.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: screen.editor.tags.buttons["wants demo"].text() == "想要演示")
    assert screen.chips.buttons["decision maker"].text() == "决策者"
    screen.settings_page.load(leads.DEFAULT_TAGS, False)
    assert screen.settings_page.list.item(0).text() == "想要演示"
    k.translations.set_language("en")
    qtbot.waitUntil(lambda: screen.editor.tags.buttons["wants demo"].text() == "wants demo")
    assert k.tasks.call_db(lambda s: leads.get_lead(s, lead.id)).tags == ("wants demo",)  # the stored key stays


def test_lead_counts_and_sync_conflicts_say_one_in_the_singular():
    from ui.lead_texts import count_text
    assert count_text(0, 1) == "0 of 1 lead" and count_text(1, 1) == "1 lead" and count_text(2, 2) == "2 leads"


def test_one_conflict_is_not_one_conflicts(qtbot):
    from sync.rounds import SyncStatus
    from ui.syncstatus import SyncStatusWidget
    bar = SyncStatusWidget()
    qtbot.addWidget(bar)
    bar.set_status(SyncStatus(enrolled=True, online=True, pending=0, rejected=0, conflicts_unseen=1, last_sync=None,
                              last_error=None, server_url=None, device_name=None))
    assert bar.conflicts.text() == "1 conflict"


def test_undoing_a_check_in_plays_its_own_sound_not_the_check_ins():
    from ui.verdict import ensure_sounds, sound_for
    person = None
    assert sound_for(Verdict(Status.OK, person)) == "ok"
    assert sound_for(Verdict(Status.OK, person, detail="undone")) == "undo"
    assert sound_for(Verdict(Status.REVOKED, person)) == "refuse"
    files = ensure_sounds()
    assert files["undo"].read_bytes() != files["ok"].read_bytes()


def test_an_exit_desk_records_an_exit_by_hand_once(qapp, qtbot, tmp_path):
    """At an exit point the hand button lets out someone who came in, and is off once they are out."""
    from tests.shell_fixtures import make_db, start_kiosk
    from tests.test_ui_desk import _open_first_result
    path, key = make_db(tmp_path)
    k = start_kiosk(qapp, qtbot, path)
    desk = k.desk
    k.services.direction = Direction.ENTRY
    panel = _open_first_result(desk, qtbot, "ln")  # 李娜
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.confirm_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.check_button.isEnabled())
    k.services.direction = Direction.EXIT  # the same desk turned round by staff
    desk._open(panel.attendee.id)
    qtbot.waitUntil(lambda: panel.check_button.text() == "Record exit by hand")
    assert panel.check_button.isEnabled() and panel.state.text() == "No exit recorded here yet"
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.confirm_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.check_button.text().startswith("Exit recorded at"))
    assert not panel.check_button.isEnabled()
    assert desk.last_verdict.direction is Direction.EXIT and desk.last_verdict.status is Status.OK


def test_booth_details_keep_a_readable_height_beside_a_route(qtbot, tmp_path):
    """Issue 12 item 12: with the route and its QR shown, the details still get 300 px and more, a line
    the edge cuts is faded as "more below", and the list scrolls by finger with a wide, calm bar."""
    from PySide6.QtWidgets import QScroller

    from tests.attendee_fixtures import open_kiosk
    from tests.helpers_qt import settle
    from tests.test_attendee_ui import tap
    for size in ((1920, 996), (1080, 1836)):
        k = open_kiosk(qtbot, tmp_path / f"{size[0]}", size=size)
        try:
            page = open_map(qtbot, k)
            page.open_booth("B13")
            panel = page.panel
            tap(qtbot, panel.route_button)
            qtbot.waitUntil(lambda: panel.route is not None and panel.phone.isVisible(), timeout=5000)
            settle()
            assert panel.scroll.viewport().height() >= 300, size
            assert panel.more_below.isVisible() == panel.more_below.more_below()
            bar = panel.scroll.verticalScrollBar()
            assert bar.width() >= 20, size  # not the 8 px desktop bar
            assert QScroller.hasScroller(panel.scroll.viewport()) or \
                QScroller.grabbedGesture(panel.scroll.viewport()) != Qt.GestureType(0)
        finally:
            k.close()


def test_zoom_buttons_cover_no_map_mark_in_portrait_or_landscape(qtbot, tmp_path):
    from PySide6.QtCore import QRect

    from tests.attendee_fixtures import open_kiosk
    from tests.helpers_qt import settle
    for size in ((1080, 1836), (1920, 996)):
        k = open_kiosk(qtbot, tmp_path / f"{size[0]}", size=size)
        try:
            page = open_map(qtbot, k)
            view = page.view
            buttons = page.zoom_controls.geometry()  # in the map holder, as the view
            for frame in (view.home, view.fit_all):
                frame()
                settle()
                marks = [b for b, _ in view._marks] + [view._you]
                for mark in marks:
                    r = mark.deviceTransform(view.viewportTransform()).mapRect(mark.boundingRect()).toRect()
                    r = QRect(view.viewport().mapTo(page.map_holder, r.topLeft()), r.size())
                    shown = QRect(view.viewport().mapTo(page.map_holder, view.viewport().rect().topLeft()),
                                  view.viewport().size())
                    r = r.intersected(shown)  # what of the mark is on screen
                    assert not r.intersects(buttons), (size, frame.__name__, mark.data(1), r, buttons)
        finally:
            k.close()


def test_the_map_has_a_key_to_its_marks_in_the_language(qtbot, attendee):
    from ui.map_symbols import symbol_kinds
    ensure_catalogue()
    page = open_map(qtbot, attendee)
    key = page.symbols
    hall = page.data.hall
    assert key.kinds == symbol_kinds((f.type for f in hall.facilities), bool(hall.entrances))
    assert {"Meeting room", "Stage", "First aid", "Information", "Stairs", "Lift", "Entrance"} <= set(key.texts())
    assert key.isVisible() and all(key.words[k].font().pixelSize() >= 18 for k in key.kinds)
    attendee.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: "会议室" in key.texts())
    assert "急救站" in key.texts() and "出口" not in key.texts()  # the map writes 出口 itself: no key needed
    attendee.translations.set_language("en")
    qtbot.waitUntil(lambda: "Meeting room" in key.texts())


def test_save_note_says_it_saved_and_wrong_pin_does_not_move_the_keys(booth, qtbot):
    k, screen, key = booth
    ok_top = None
    qtbot.waitUntil(lambda: screen.exhibitor is not None and screen.pad.keys["OK"].isEnabled())
    ok_top = screen.pad.keys["1"].mapTo(screen, screen.pad.keys["1"].rect().topLeft()).y()
    for d in "9999":
        qtbot.mouseClick(screen.pad.keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pad.keys["OK"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pad.message.text() != "")
    qtbot.wait(50)
    assert screen.pad.keys["1"].mapTo(screen, screen.pad.keys["1"].rect().topLeft()).y() == ok_top  # space kept
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(PEOPLE[0], key))
    lead = k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0]
    screen.open_lead(lead.id)
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.lead is not None)
    editor.note.setPlainText("Wants a demo on Tuesday")
    assert editor.note_status.text() == ""
    qtbot.mouseClick(editor.save_note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.note_status.text() == "✓ Note saved" and editor.note_status.isVisible())
    editor.note.setPlainText("Wants a demo on Wednesday")  # edited again: no longer saved
    assert editor.note_status.text() == ""


def test_settings_labels_sit_level_with_their_fields(qtbot, qapp, tmp_path):
    from tests.shell_fixtures import make_db, start_kiosk
    path, _key = make_db(tmp_path)
    k = start_kiosk(qapp, qtbot, path)
    from kiosk import pin
    from tests.helpers_qt import settle
    k.window.show_screen("admin")
    admin = k.admin
    admin._pin_result(pin.PinResult(True))
    qtbot.waitUntil(lambda: bool(admin.place_buttons))
    settle()
    form = admin.form
    for row in range(form.rowCount()):
        label = form.itemAt(row, form.ItemRole.LabelRole).widget()
        field = form.itemAt(row, form.ItemRole.FieldRole)
        lg, fg = label.geometry(), field.geometry()
        assert abs(lg.center().y() - fg.center().y()) <= 8 or lg.height() >= 64, (label.text(), lg, fg)
        assert label.alignment() & Qt.AlignmentFlag.AlignVCenter


def test_english_texts_use_straight_quotes_that_no_chinese_font_widens():
    """The app font puts the CJK face first, whose “curly” quotes are full-width inside English words."""
    import xml.etree.ElementTree as ET

    from kiosk import paths
    for ts in sorted((paths.assets() / "i18n").glob("*.ts")):
        for source in ET.parse(ts).getroot().iter("source"):
            assert not any(q in (source.text or "") for q in "“”‘’"), (ts.name, source.text)


def test_combo_boxes_have_a_finger_sized_arrow(qtbot, qapp):
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    from ui import theme
    theme.apply(qapp)
    combo = QComboBox()
    combo.addItems(["Event entrance", "Main Hall door"])
    qtbot.addWidget(combo)
    combo.resize(600, 70)
    combo.show()
    opt = QStyleOptionComboBox()
    combo.initStyleOption(opt)
    arrow = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                         QStyle.SubControl.SC_ComboBoxArrow, combo)
    assert arrow.width() >= 48  # the drop-down part one taps, not an 8 px arrow
    assert theme.COMBO_ARROW_PX >= 24 and "combo-arrow.svg" in qapp.styleSheet()
    assert (theme.paths.assets() / "style" / "combo-arrow.svg").exists()


def test_a_language_switch_rewords_the_route_qr(qtbot, attendee):
    from tests.helpers_qt import settle
    from tests.test_attendee_ui import tap
    ensure_catalogue()
    page = open_map(qtbot, attendee)
    page.open_booth("A03")
    tap(qtbot, page.panel.route_button)
    qtbot.waitUntil(lambda: page.panel.route is not None and page.panel.phone.isVisible(), timeout=5000)
    assert page.panel.phone.payload().startswith("InnoCare\nBooth A03")
    attendee.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: page.panel.phone.payload().startswith("诺诚健华\n展位 A03"))
    settle()
    attendee.translations.set_language("en")
    qtbot.waitUntil(lambda: page.panel.phone.payload().startswith("InnoCare"))


def test_self_checkin_without_a_camera_does_not_ask_for_the_camera(qtbot, attendee):
    from ui.selfcheckin import SelfCheckinPage
    page = attendee.screen.findChild(SelfCheckinPage)
    assert page.preview is None  # this kiosk has no camera
    assert "scanner" in page.prompt_text.text() and "camera" not in page.prompt_text.text()
