"""The exhibitor's lead screen in the real kiosk shell, offscreen: PIN, capture through the real
camera path, the list, the editor (notes, rating, tags, delete), locking on idle, privacy."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from kiosk import leads, pin
from kiosk.models import Scan, Status
from tests.factories import PEOPLE, badge_for, demo_event_store
from tests.helpers_scan import write_badge_video
from tests.shell_fixtures import start_kiosk, stop_kiosk
from tests.sql import sql

ZHANG, MARIA, LI, WANG, CHEN = PEOPLE
EX_PIN = "2468"


def make_exhibitor_db(tmp_path: Path, people=PEOPLE, exhibitor_pin: str | None = EX_PIN,
                      device_id: str = "ex-1", exhibitor_id: str = "EX01"):
    path = tmp_path / "exhibitor.db"
    store, key = demo_event_store(path, people=people, role="exhibitor", device_id=device_id)
    store.set_meta("exhibitor_id", exhibitor_id)
    pin.set_pin(store, "1234")
    if exhibitor_pin:
        pin.set_pin(store, exhibitor_pin, scope="exhibitor")
    store.close()
    return path, key


@pytest.fixture
def booth(qapp, qtbot, tmp_path):
    path, key = make_exhibitor_db(tmp_path)
    k = start_kiosk(qapp, qtbot, path, role="exhibitor")  # qtbot stops it at teardown
    return k, k.window.screen("exhibitor"), key


def type_pin(qtbot, screen, digits: str) -> None:
    for d in digits:
        qtbot.mouseClick(screen.pad.keys[d], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.pad.keys["OK"], Qt.MouseButton.LeftButton)


def unlock(qtbot, screen, digits: str = EX_PIN) -> None:
    qtbot.waitUntil(lambda: screen.exhibitor is not None and screen.pad.keys["OK"].isEnabled())
    type_pin(qtbot, screen, digits)
    qtbot.waitUntil(lambda: screen.unlocked and screen.list.isVisible() or screen.empty.isVisible(), timeout=5000)


def scan(qtbot, screen, code: str) -> list[str]:
    screen.capture.clear()
    screen.handle_scan(Scan(code, "typed"))
    qtbot.waitUntil(lambda: screen.capture.verdict is not None, timeout=5000)
    return screen.capture.texts()


def visible_texts(widget) -> str:
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    parts += [w.text() for w in widget.findChildren(QLineEdit) if w.isVisible()]
    return "\n".join(parts)


def commit_text(widget, text: str) -> None:
    """Text as the pinyin keyboard delivers it: one input-method commit (QTest cannot type Chinese keys)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def list_names(screen) -> list[str]:
    return [screen.list.item(i).text().split("\n")[0] for i in range(screen.list.count())]


def test_badge_video_through_the_camera_saves_and_updates_leads_with_no_attendee_list(qapp, qtbot, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setenv("KIOSK_DEBOUNCE_SECONDS", "0.8")
    path, key = make_exhibitor_db(tmp_path, people=[])  # offline device: only the badge knows the name
    codes = [badge_for(ZHANG, key), badge_for(CHEN, key), badge_for(ZHANG, key)]
    video = write_badge_video(tmp_path / "booth.avi", codes, seconds_per_code=0.6, fps=15, size=(960, 540),
                              gap_seconds=0.6)
    k = start_kiosk(qapp, qtbot, path, role="exhibitor", camera=str(video))
    screen = k.window.screen("exhibitor")
    try:
        assert screen.services.camera is not None and hasattr(screen.preview, "attach")
        unlock(qtbot, screen)
        seen: list[tuple[Status, str, list[str]]] = []
        original = screen.capture.show_capture

        def record(verdict, lead):
            original(verdict, lead)
            seen.append((verdict.status, verdict.detail, screen.capture.texts()))

        screen.capture.show_capture = record
        qtbot.waitUntil(lambda: {s for s, _, _ in seen} >= {Status.LEAD_SAVED, Status.LEAD_UPDATED,
                                                             Status.NOT_ALLOWED}, timeout=30000)
        saved = next(t for s, _, t in seen if s is Status.LEAD_SAVED)
        assert saved[0] == "Lead saved" and "Zhang Wei  张伟" in saved and "北京华展科技" in saved  # as the badge carries it
        updated = next(t for s, _, t in seen if s is Status.LEAD_UPDATED)
        assert updated[0] == "Lead updated" and any("scanned" in t and "times" in t for t in updated)
        staff = next(t for s, _, t in seen if s is Status.NOT_ALLOWED)
        assert staff[0] == "Event staff badge" and any("no lead saved" in t for t in staff)
        qtbot.waitUntil(lambda: list_names(screen) == ["Zhang Wei  张伟"])
        rows = k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))
        assert [r.attendee_id for r in rows] == ["A1"] and rows[0].scans >= 2  # updated, not duplicated
    finally:
        stop_kiosk(k)


def test_locked_device_shows_nothing_and_records_nothing(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    qtbot.mouseClick(screen.lock_button, Qt.MouseButton.LeftButton)
    assert not screen.unlocked and screen.pages.currentIndex() == 0
    assert screen.list.count() == 0 and screen.capture.verdict is None
    assert "Zhang" not in visible_texts(k.window) and "张伟" not in visible_texts(k.window)
    screen.handle_scan(Scan(badge_for(MARIA, key), "typed"))
    qtbot.waitUntil(lambda: "Locked" in screen.pad.message.text())
    assert [r.attendee_id for r in k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))] == ["A1"]


def test_idle_locks_the_screen_and_keeps_a_half_written_note(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    screen.open_lead(screen.list.item(0).data(Qt.ItemDataRole.UserRole))
    qtbot.waitUntil(lambda: screen.editor.lead is not None)
    qtbot.keyClicks(screen.editor.note, "met at booth")
    k.window.reset_all()  # what the idle watcher does
    assert not screen.unlocked and screen.editor.lead is None and screen.editor.note.toPlainText() == ""
    assert "Zhang" not in visible_texts(k.window)
    qtbot.waitUntil(lambda: k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0].notes == "met at booth")


def test_wrong_pins_lock_the_pad_and_the_staff_pin_does_not_open_leads(booth, qtbot):
    k, screen, _ = booth
    qtbot.waitUntil(lambda: screen.exhibitor is not None)
    type_pin(qtbot, screen, "1234")  # the staff PIN is not the exhibitor PIN
    qtbot.waitUntil(lambda: screen.pad.message.text() == "Wrong PIN.")
    for _ in range(3):
        qtbot.waitUntil(lambda: screen.pad.keys["OK"].isEnabled())
        type_pin(qtbot, screen, "0000")
    qtbot.waitUntil(lambda: "Too many wrong PINs" in screen.pad.message.text())
    assert not screen.pad.keys["5"].isEnabled() and not screen.unlocked


def test_first_use_sets_the_exhibitor_pin_behind_the_staff_pin(qapp, qtbot, tmp_path):
    path, _ = make_exhibitor_db(tmp_path, exhibitor_pin=None)
    k = start_kiosk(qapp, qtbot, path, role="exhibitor")
    screen = k.window.screen("exhibitor")
    try:
        qtbot.waitUntil(lambda: screen.pad.title.text() == "Staff PIN")
        type_pin(qtbot, screen, "1234")
        qtbot.waitUntil(lambda: screen.pad.title.text() == "Choose the exhibitor PIN")
        type_pin(qtbot, screen, "9753")
        assert screen.pad.title.text() == "Enter the new PIN again"
        type_pin(qtbot, screen, "9750")
        assert "differ" in screen.pad.message.text() and screen.pad.title.text() == "Choose the exhibitor PIN"
        type_pin(qtbot, screen, "9753")
        type_pin(qtbot, screen, "9753")
        qtbot.waitUntil(lambda: screen.unlocked)
        assert k.tasks.call_db(lambda s: pin.verify(s, "9753", scope="exhibitor").ok)
    finally:
        stop_kiosk(k)


def test_the_editor_names_the_devices_that_wrote_other_notes(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    lead_id = k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0].id

    def another_device_wrote(s):  # a note pulled from the exhibitor's other tablet, whose name came with it
        lead = leads.get_lead(s, lead_id)
        s.sync.remember_device("dev-tablet2", "Booth tablet 2", "exhibitor", "EX01")
        s.leads.save_note({"id": "n-2", "exhibitor_id": lead.exhibitor_id, "attendee_id": lead.attendee_id,
                           "device_id": "dev-tablet2", "text": "Met at the keynote", "updated_at": lead.created_at})
    k.tasks.call_db(another_device_wrote)
    screen.editor.open_lead(lead_id)
    qtbot.waitUntil(lambda: screen.editor.lead is not None)
    assert screen.editor.others_text.text() == "Booth tablet 2: Met at the keynote"  # its name, never its id


def test_edit_notes_in_chinese_rating_and_tags_from_the_editor(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    item = screen.list.item(0)
    qtbot.mouseClick(screen.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=screen.list.visualItemRect(item).center())
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.lead is not None and editor.isVisible())
    assert editor.name.text() == "Zhang Wei  张伟"
    assert "zw@example.org" in editor.contact.text()  # Zhang agreed to share contact details
    assert "this device" in editor.scanned.text() and "ex-1" not in editor.scanned.text()  # no raw id
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Demo next week. ")
    commit_text(editor.note, "想要演示")  # what the pinyin keyboard sends when a candidate is chosen
    qtbot.mouseClick(editor.rating.stars[3], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.tags.buttons["wants demo"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.lead.tags == ("wants demo",) and editor.lead.rating == 4)
    qtbot.mouseClick(editor.tags.buttons["decision maker"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.lead.tags == ("wants demo", "decision maker"))
    qtbot.mouseClick(editor.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 1)
    qtbot.waitUntil(lambda: "★★★★☆" in screen.list.item(0).text() and "想要演示" not in screen.list.item(0).text()
                    and "wants demo" in screen.list.item(0).text())
    lead = k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0]
    assert lead.notes == "Demo next week. 想要演示" and lead.rating == 4
    assert lead.tags == ("wants demo", "decision maker")
    screen.search.setFocus()
    commit_text(screen.search, "演示")  # search finds the note
    qtbot.waitUntil(lambda: screen.list.count() == 1 and screen.count_label.text() == "1 lead")
    # tapping the fourth star again clears the rating
    screen.open_lead(lead.id)
    qtbot.waitUntil(lambda: editor.lead is not None and editor.rating.value == 4)
    qtbot.mouseClick(editor.rating.stars[3], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.lead.rating == 0)


def test_repeat_scan_updates_and_staff_and_exhibitor_badges_are_not_leads(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    assert scan(qtbot, screen, badge_for(ZHANG, key))[0] == "Lead saved"
    again = scan(qtbot, screen, badge_for(ZHANG, key))
    assert again[0] == "Lead updated" and "You already had this lead; scanned 2 times now." in again
    assert scan(qtbot, screen, badge_for(WANG, key))[0] == "Exhibitor badge"
    assert scan(qtbot, screen, badge_for(CHEN, key))[0] == "Event staff badge"
    assert scan(qtbot, screen, "NOT-A-BADGE")[0] == "Badge not recognised"
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    assert list_names(screen) == ["Zhang Wei  张伟"]


def test_search_sort_and_tag_chip_filter(booth, qtbot):
    k, screen, key = booth
    ctx = k.services.context
    unlock(qtbot, screen)
    for person in (ZHANG, MARIA, LI):
        scan(qtbot, screen, badge_for(person, key))
    qtbot.waitUntil(lambda: screen.list.count() == 3)
    by_id = {lead.attendee_id: lead.id for lead in k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))}
    k.tasks.call_db(lambda s: leads.set_rating(s, ctx, by_id["A2"], 5))
    k.tasks.call_db(lambda s: leads.set_tags(s, ctx, by_id["A1"], ["hot"]))
    screen.refresh()
    qtbot.mouseClick(screen.sort_rating, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list_names(screen)[0].startswith("Maria Rossi"))
    screen.chips.ensureWidgetVisible(screen.chips.buttons["hot"])  # the chip row scrolls sideways
    qtbot.mouseClick(screen.chips.buttons["hot"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list_names(screen) == ["Zhang Wei  张伟"])
    assert screen.count_label.text() == "1 of 3 leads"
    screen.chips.ensureWidgetVisible(screen.chips.buttons[None])
    qtbot.mouseClick(screen.chips.buttons[None], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.search, "beigene")
    qtbot.waitUntil(lambda: list_names(screen) == ["Li Na  李娜"])
    screen.search.clear()
    qtbot.keyClicks(screen.search, "nobody here")
    qtbot.waitUntil(lambda: screen.empty.isVisible() and screen.list.count() == 0)
    assert screen.empty.text() == "No lead matches the search or the tag."


def test_delete_asks_first(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    screen.open_lead(screen.list.item(0).data(Qt.ItemDataRole.UserRole))
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.lead is not None)
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert editor.confirm_box.isVisible() and "Delete the lead for Zhang Wei?" in editor.confirm_text.text()
    qtbot.mouseClick(editor.confirm_no, Qt.MouseButton.LeftButton)
    assert not editor.confirm_box.isVisible() and len(k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))) == 1
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.confirm_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 1 and screen.empty.isVisible())
    assert screen.list.count() == 0 and k.tasks.call_db(lambda s: leads.list_leads(s, "EX01")) == []


def test_contact_details_only_with_consent(booth, qtbot):
    k, screen, key = booth
    sql(k.tasks.db_path).execute("UPDATE attendees SET email = 'maria@example.org', phone = '+39 555' WHERE id = 'A2'")
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(MARIA, key))
    qtbot.waitUntil(lambda: screen.list.count() == 1)
    screen.open_lead(screen.list.item(0).data(Qt.ItemDataRole.UserRole))
    qtbot.waitUntil(lambda: screen.editor.lead is not None)
    assert "did not agree" in screen.editor.contact.text()
    assert "maria@example.org" not in visible_texts(k.window) and "+39" not in visible_texts(k.window)


def test_tag_settings_change_the_chips_and_the_editor(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    qtbot.mouseClick(screen.settings_button, Qt.MouseButton.LeftButton)
    page = screen.settings_page
    qtbot.waitUntil(lambda: page.list.count() == len(leads.DEFAULT_TAGS))
    page.new_tag.setFocus()
    commit_text(page.new_tag, "预算已批")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    page.list.setCurrentRow(0)  # "wants demo"
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.from_staff, Qt.MouseButton.LeftButton, pos=QPoint(24, page.from_staff.height() // 2))
    assert page.from_staff.isChecked()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "预算已批" in screen.chips.buttons and "wants demo" not in screen.chips.buttons)
    assert scan(qtbot, screen, badge_for(CHEN, key))[0] == "Lead saved"  # staff badges wanted now
    screen.open_lead(k.tasks.call_db(lambda s: leads.list_leads(s, "EX01"))[0].id)
    qtbot.waitUntil(lambda: screen.editor.lead is not None)
    assert "预算已批" in screen.editor.tags.buttons and "wants demo" not in screen.editor.tags.buttons


def test_chinese_texts_and_touch_targets(booth, qtbot):
    k, screen, key = booth
    unlock(qtbot, screen)
    scan(qtbot, screen, badge_for(ZHANG, key))
    k.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: screen.lock_button.text() == "锁定")
    assert screen.capture.headline.text() == "已保存潜在客户"
    assert "百济神州" in screen.exhibitor_title.text()
    for page in (screen.pages.widget(1), screen.pages.widget(2)):
        screen.pages.setCurrentWidget(page)
        for w in page.findChildren(QPushButton) + page.findChildren(QLineEdit):
            if w.isVisible():
                assert w.height() >= 48 and w.width() >= 48, w.objectName() or w.text()


def test_device_bound_by_enrolment_after_start_captures_under_that_exhibitor(qapp, qtbot, tmp_path):
    path, key = make_exhibitor_db(tmp_path, exhibitor_id="")  # not bound yet (the demo enrols in the background)
    k = start_kiosk(qapp, qtbot, path, role="exhibitor")
    screen = k.window.screen("exhibitor")
    try:
        qtbot.waitUntil(lambda: "not bound to an exhibitor" in screen.lock_hint.text())
        assert not screen.pad.keys["OK"].isEnabled() and k.services.context.exhibitor_id in (None, "")
        k.tasks.call_db(lambda s: (s.set_meta("exhibitor_id", "EX02"), s.set_meta("device_id", "booth-9")))
        qtbot.waitUntil(lambda: screen.pad.title.text() == "Exhibitor PIN", timeout=8000)
        assert "InnoCare" in screen.lock_title.text()
        unlock(qtbot, screen)
        assert scan(qtbot, screen, badge_for(ZHANG, key))[0] == "Lead saved"
        lead = k.tasks.call_db(lambda s: leads.list_leads(s, "EX02"))[0]
        assert lead.device_id == "booth-9" and k.tasks.call_db(lambda s: leads.list_leads(s, "")) == []
    finally:
        stop_kiosk(k)
