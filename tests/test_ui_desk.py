"""The desk screen offscreen with real parts: a badge video through the real capture path, the
USB wedge while the search field has focus, search, hand check-in, undo, printing, counts."""
from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.badges import SigningKey
from kiosk.models import Scan, Status
from kiosk.store import Store
from tests.factories import PEOPLE, badge_for
from tests.helpers_qt import settle
from tests.helpers_scan import write_badge_video
from tests.shell_fixtures import kiosk, kiosk_db, make_db, start_kiosk, stop_kiosk  # noqa: F401


def _verdicts(desk) -> list:
    seen = []
    original = desk.show_verdict

    def record(verdict):
        seen.append((verdict, None))
        original(verdict)
        seen[-1] = (verdict, list(desk.card.texts()))

    desk.show_verdict = record
    return seen


def test_badge_video_through_the_camera_shows_the_right_card(qapp, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_DEBOUNCE_SECONDS", "0.8")
    db, key = make_db(tmp_path)
    s = Store(db)
    s.save_revocations([{"event_id": "LSF2023", "attendee_id": "A2", "issue": 0, "reason": "lost",
                         "created_at": ""}])
    s.close()
    zhang, maria = PEOPLE[0], PEOPLE[1]
    stranger_key = SigningKey.generate(1)
    codes = {
        "ok": badge_for(zhang, key),
        "revoked": badge_for(maria, key),
        "forged": badge_for(PEOPLE[2], stranger_key),
        "wrong_event": badge_for(PEOPLE[3], key, event_id="OTHER2024"),
        "unknown": "NOPE-4242",
    }
    order = ["ok", "revoked", "forged", "wrong_event", "unknown", "ok"]  # the second "ok" is a repeat
    video = write_badge_video(tmp_path / "badges.avi", [codes[k] for k in order], seconds_per_code=0.6,
                              fps=15, size=(960, 540), gap_seconds=0.6)
    k = start_kiosk(qapp, qtbot, db, camera=str(video))
    try:
        seen = _verdicts(k.desk)
        qtbot.waitUntil(lambda: {v.status for v, _ in seen} >= {Status.OK, Status.REVOKED, Status.FORGED,
                                                                  Status.WRONG_EVENT, Status.UNKNOWN,
                                                                  Status.ALREADY_CHECKED_IN}, timeout=30000)
        by_status = {}
        for verdict, texts in seen:
            by_status.setdefault(verdict.status, texts)
        assert "Checked in" in by_status[Status.OK] and "Zhang Wei" in by_status[Status.OK]
        assert "张伟" in by_status[Status.OK]
        assert "Badge cancelled" in by_status[Status.REVOKED]
        assert any("print a new badge" in t for t in by_status[Status.REVOKED])
        assert "Badge not valid" in by_status[Status.FORGED]
        assert "Badge for another event" in by_status[Status.WRONG_EVENT]
        assert "Badge not recognised" in by_status[Status.UNKNOWN]
        repeat = by_status[Status.ALREADY_CHECKED_IN]
        assert "Already checked in" in repeat and any("this desk" in t for t in repeat)
        assert k.services.sounds.played.count("refuse") >= 4 and "ok" in k.services.sounds.played
    finally:
        stop_kiosk(k)


def _wedge_type(window, text: str) -> None:
    """Keys as a USB scanner sends them: straight to the window, microseconds apart, then Enter."""
    handle = window.windowHandle()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(handle, QKeyEvent(kind, Qt.Key.Key_unknown if not ch.isalnum()
                                                     else getattr(Qt.Key, f"Key_{ch.upper()}"),
                                                     Qt.KeyboardModifier.NoModifier, ch))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(handle, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))


def test_wedge_scan_works_while_the_search_field_has_focus(kiosk, qtbot):
    desk = kiosk.desk
    kiosk.window.activateWindow()
    desk.search.setFocus()
    qtbot.waitUntil(desk.search.hasFocus)
    qtbot.keyClicks(desk.search, "li")
    _wedge_type(kiosk.window, "REG-0002")
    qtbot.waitUntil(lambda: desk.card.isVisible(), timeout=3000)
    assert desk.last_verdict.status is Status.OK and desk.last_verdict.attendee.name == "Maria Rossi"
    assert desk.search.text() == "li"  # the scanner's keys did not land in the field


def test_search_as_you_type_then_check_in_by_hand_with_confirmation_and_undo(kiosk, qtbot):
    desk = kiosk.desk
    qtbot.waitUntil(lambda: desk.counts.counts is not None)
    assert desk.counts.counts.checked_in == 0
    qtbot.keyClicks(desk.search, "ln")  # pinyin initials of 李娜
    qtbot.waitUntil(lambda: desk.results.count() > 0)
    assert "Li Na" in desk.results.item(0).text()
    qtbot.mouseClick(desk.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=desk.results.visualItemRect(desk.results.item(0)).center())
    panel = desk.attendee_panel
    qtbot.waitUntil(panel.isVisible)
    assert "VIP" in panel.flag.text() and "front row" in panel.flag.text()
    assert panel.state.text() == "Not checked in yet"
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box.isVisible() and desk.last_verdict is None  # nothing recorded before yes
    qtbot.mouseClick(panel.confirm_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.card.isVisible())
    assert desk.last_verdict.status is Status.OK
    assert any("VIP" in t for t in desk.card.texts()) and any("front row" in t for t in desk.card.texts())
    qtbot.waitUntil(lambda: desk.counts.counts.checked_in == 1)
    assert desk.counts.counts.last_15_min == 1 and desk.counts.counts.by_type["vip"] == (1, 1)
    assert "1 of 5 checked in" == desk.counts.total.text()
    qtbot.waitUntil(lambda: panel.state.text().startswith("Checked in at"))
    qtbot.mouseClick(desk.card, Qt.MouseButton.LeftButton)
    assert not desk.card.isVisible()
    qtbot.mouseClick(desk.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(desk.undo_box.isVisible)
    qtbot.mouseClick(desk.undo_box.yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.card.isVisible() and desk.last_verdict.detail == "undone")
    assert "Check-in undone" in desk.card.texts()
    qtbot.waitUntil(lambda: desk.counts.counts.checked_in == 0)


def test_not_allowed_at_a_session_door_says_what_to_do(kiosk, qtbot):
    from dataclasses import replace
    kiosk.services.context = replace(kiosk.services.context, point_id="door-press-conference")
    kiosk.desk.handle_scan(Scan("REG-0001", "typed"))  # Zhang Wei is an attendee, not press
    qtbot.waitUntil(lambda: kiosk.desk.card.isVisible())
    assert kiosk.desk.last_verdict.status is Status.NOT_ALLOWED
    texts = kiosk.desk.card.texts()
    assert "Not admitted here" in texts and any("where they may go" in t for t in texts)
    assert any("Hand-off code" in t for t in texts)


def test_verdict_card_goes_away_after_its_timeout(kiosk, qtbot):
    kiosk.desk.card.set_timeout(1)
    kiosk.desk.handle_scan(Scan("NOPE", "typed"))
    qtbot.waitUntil(lambda: kiosk.desk.card.isVisible())
    qtbot.waitUntil(lambda: not kiosk.desk.card.isVisible(), timeout=3000)


def test_print_badge_to_pdf_and_a_reprint_is_visible(kiosk, qtbot, kiosk_db):
    desk = kiosk.desk
    qtbot.keyClicks(desk.search, "Zhang")
    qtbot.waitUntil(lambda: desk.results.count() > 0)
    desk._open_item(desk.results.item(0))
    panel = desk.attendee_panel
    qtbot.waitUntil(panel.isVisible)
    assert "No badge printed" in panel.print_info.text()
    with qtbot.waitSignal(kiosk.services.printer.printed, timeout=10000) as first:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    pdf = Path(first.args[0].path)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.parent == Path(kiosk_db[0]).parent / "prints"
    # a badge file is a valid badge: owner-only, in an owner-only folder
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600 and stat.S_IMODE(pdf.parent.stat().st_mode) == 0o700
    qtbot.waitUntil(lambda: "once" in panel.print_info.text())
    qtbot.waitUntil(lambda: panel.print_button.isEnabled())
    with qtbot.waitSignal(kiosk.services.printer.printed, timeout=10000) as second:
        qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    assert second.args[0].count == 2
    qtbot.waitUntil(lambda: "2 times" in panel.print_info.text())
    result = panel.print_result  # said in the panel under the button, not in a toast over the page heading
    assert "reprinted" in result.text() and result.isVisible() and not kiosk.window.toast.isVisible()


def test_touch_targets_are_large_enough(kiosk):
    from PySide6.QtWidgets import QLineEdit, QPushButton
    desk = kiosk.desk
    for w in desk.findChildren(QPushButton) + desk.findChildren(QLineEdit):
        if w.isVisible():
            assert w.height() >= 48, w.objectName() or w.text()


def _inside(widget, window) -> bool:
    from PySide6.QtCore import QRect
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_portrait_desk_keeps_a_wide_search_and_every_button_on_screen(kiosk, qtbot, language):
    from PySide6.QtWidgets import QLineEdit, QPushButton
    kiosk.translations.set_language(language)
    window, desk = kiosk.window, kiosk.desk
    window.resize(1080, 1920)
    qtbot.waitUntil(lambda: window.size().width() == 1080 and desk.portrait)
    qtbot.keyClicks(desk.search, "Zhang")
    qtbot.waitUntil(lambda: desk.results.count() > 0)
    desk._open_item(desk.results.item(0))
    qtbot.waitUntil(desk.attendee_panel.isVisible)
    desk.attendee_panel.ask_confirm()
    desk.set_conflicts(3)
    settle()
    assert desk.search.width() >= 600
    assert desk.counts.geometry().top() < desk.search.mapTo(desk, desk.search.rect().topLeft()).y()  # counts on top
    shown = [w for w in desk.findChildren(QPushButton) + desk.findChildren(QLineEdit) if w.isVisible()]
    assert {desk.code_button, desk.undo_button, desk.conflicts_button, desk.attendee_panel.confirm_yes} <= set(shown)
    for w in shown:
        assert _inside(w, window), w.text() or w.objectName()
        assert w.height() >= 48 and w.width() >= 48, w.text() or w.objectName()
        assert w.width() >= w.sizeHint().width(), f"{w.text()!r} is squeezed"  # its text is not cut off
    window.resize(1600, 1000)  # turned back to landscape with the attendee still open
    qtbot.waitUntil(lambda: desk.portrait is False)
    assert window.height() == 1000
    settle()
    assert desk.search.mapTo(desk, desk.search.rect().topLeft()).x() > desk.counts.geometry().right()  # beside


@pytest.mark.parametrize("size", [(1080, 1920), (1600, 1000)])
def test_counts_rows_stay_together_at_the_top(kiosk, qtbot, size):
    desk = kiosk.desk
    kiosk.window.resize(*size)
    qtbot.waitUntil(lambda: desk.counts.counts is not None and desk.counts.grid.count() > 0)
    settle()
    labels = [desk.counts.total, desk.counts.recent] + [desk.counts.grid.itemAtPosition(r, 0).widget()
                                                        for r in range(desk.counts.grid.rowCount())]
    for upper, lower in zip(labels, labels[1:]):
        gap = lower.geometry().top() - upper.geometry().bottom()
        assert gap <= 24, f"{gap} px between {upper.text()!r} and {lower.text()!r}"
    for label in labels:  # a label stretched taller than its text shows its text in a gap
        assert label.height() <= label.heightForWidth(label.width()) + 8, label.text()
    assert labels[0].geometry().top() <= 40  # at the top of the panel


def _open_first_result(desk, qtbot, query: str):
    """Types a search and taps its first result, as staff do; returns the opened panel."""
    qtbot.keyClicks(desk.search, query)
    qtbot.waitUntil(lambda: desk.results.count() > 0)
    qtbot.mouseClick(desk.results.viewport(), Qt.MouseButton.LeftButton,
                     pos=desk.results.visualItemRect(desk.results.item(0)).center())
    qtbot.waitUntil(desk.attendee_panel.isVisible)
    return desk.attendee_panel


def test_a_new_search_closes_the_opened_person_so_nobody_is_checked_in_by_mistake(kiosk, qtbot):
    desk = kiosk.desk
    panel = _open_first_result(desk, qtbot, "Zhang")
    assert panel.check_button.isVisible() and panel.check_button.isEnabled()
    qtbot.keyClicks(desk.search, "qqqq")  # "Zhangqqqq": no attendee
    qtbot.waitUntil(desk.no_results.isVisible)
    assert not panel.isVisible() and not panel.check_button.isVisible() and panel.attendee is None
    desk.search.clear()
    panel = _open_first_result(desk, qtbot, "Maria")  # opening a result opens it again
    assert panel.attendee.name == "Maria Rossi"
    desk.search.setText("Li")  # other matches: the opened person goes away as well
    assert not panel.isVisible()


def test_after_a_check_in_by_hand_the_button_says_when_and_is_disabled(kiosk, qtbot, kiosk_db):
    from tests.sql import sql
    desk = kiosk.desk
    panel = _open_first_result(desk, qtbot, "Zhang")
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.confirm_yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.card.isVisible())
    qtbot.mouseClick(desk.card, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.check_button.isEnabled())
    assert panel.check_button.text().startswith("Checked in at") and panel.isVisible()
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)  # a second tap does nothing
    assert not panel.confirm_box.isVisible()
    assert sql(kiosk_db[0]).execute("SELECT count(*) FROM checkins").fetchone()[0] == 1


def _undone_rows(db_path) -> int:
    from tests.sql import sql
    return sql(db_path).execute("SELECT count(*) FROM checkins WHERE undone = 1").fetchone()[0]


def test_undo_asks_first_naming_the_person_and_looks_unlike_a_check_in(kiosk, qtbot, kiosk_db):
    from ui import theme
    from ui.deskside import verdict_icon
    desk = kiosk.desk
    desk.handle_scan(Scan("REG-0001", "typed"))
    qtbot.waitUntil(lambda: desk.card.isVisible() and desk.last_verdict.status is Status.OK)
    checked_in_background = desk.card.styleSheet()
    qtbot.mouseClick(desk.card, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(desk.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(desk.undo_box.isVisible)
    assert "Zhang Wei" in desk.undo_box.text.text() and not desk.card.isVisible()
    assert desk.undo_box.yes.height() >= 48 and desk.undo_box.no.height() >= 48
    assert _undone_rows(kiosk_db[0]) == 0  # one tap annulled nothing
    qtbot.mouseClick(desk.undo_box.no, Qt.MouseButton.LeftButton)
    assert not desk.undo_box.isVisible() and _undone_rows(kiosk_db[0]) == 0
    qtbot.mouseClick(desk.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(desk.undo_box.isVisible)
    qtbot.mouseClick(desk.undo_box.yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.card.isVisible() and desk.last_verdict.detail == "undone")
    assert _undone_rows(kiosk_db[0]) == 1 and not desk.undo_box.isVisible()
    undone = theme.VERDICT_STYLES["undone"]
    assert desk.card.icon.kind == "undo" and undone.background in desk.card.styleSheet()
    assert desk.card.styleSheet() != checked_in_background
    assert undone.background not in (theme.VERDICT_STYLES["ok"].background, theme.VERDICT_STYLES["unknown"].background)
    rows = desk.recent.list
    qtbot.waitUntil(lambda: rows.count() > 0 and "Check-in undone" in rows.item(0).text())
    assert rows.item(0).icon().cacheKey() == verdict_icon("undone").cacheKey()
    assert rows.item(0).icon().cacheKey() != verdict_icon("unknown").cacheKey()


def test_undo_never_annuls_a_check_in_that_came_after_the_question(kiosk, qtbot, kiosk_db):
    desk = kiosk.desk
    desk.handle_scan(Scan("REG-0001", "typed"))
    qtbot.waitUntil(lambda: desk.last_verdict is not None and desk.last_verdict.status is Status.OK)
    qtbot.mouseClick(desk.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.undo_target is not None)
    asked = desk.undo_target
    desk.handle_scan(Scan("REG-0002", "typed"))  # Maria checks in while the box names Zhang Wei
    qtbot.waitUntil(lambda: desk.last_verdict.attendee.name == "Maria Rossi")
    assert not desk.undo_box.isVisible()
    desk.undo_target = asked  # a tap on "Yes" that raced the scan
    desk._undo()
    qtbot.waitUntil(lambda: "Nothing was undone" in kiosk.window.toast.text())
    assert _undone_rows(kiosk_db[0]) == 0


def test_desk_verdicts_speak_to_staff_and_the_recent_list_shows_a_code_that_names_nobody(kiosk, qtbot):
    desk = kiosk.desk
    long_code = "ZZ" + "7" * 60 + "END"
    for code in ("NOPE-4242", long_code):
        desk.handle_scan(Scan(code, "typed"))
        qtbot.waitUntil(lambda: desk.card.isVisible() and desk.last_verdict.status is Status.UNKNOWN)
        texts = desk.card.texts()
        assert any("Not a badge of this event" in t and "search by name" in t for t in texts), texts
        assert not any("registration desk" in t for t in texts)
        desk.card.clear()
    rows = desk.recent.list
    qtbot.waitUntil(lambda: rows.count() == 2)
    assert "NOPE-4242" in rows.item(1).text() and "(no name)" not in rows.item(1).text()
    assert "ZZ77777…7777END" in rows.item(0).text() and long_code not in rows.item(0).text()
    desk.handle_scan(Scan("REG-0001", "typed"))
    qtbot.waitUntil(lambda: desk.last_verdict is not None and desk.last_verdict.status is Status.OK)
    desk.handle_scan(Scan("REG-0001", "typed"))
    qtbot.waitUntil(lambda: desk.last_verdict.status is Status.ALREADY_CHECKED_IN)
    texts = desk.card.texts()
    assert any("Check the person's ID" in t for t in texts) and any("at this desk" in t for t in texts)
    assert not any("If that was not you" in t for t in texts)
