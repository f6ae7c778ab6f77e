"""Self check-in at the attendee kiosk: every verdict gets the right screen, fed as real signed badges."""
from __future__ import annotations

from kiosk.badges import SigningKey
from kiosk.handoff import HANDOFF_PREFIX
from kiosk.models import Scan
from tests.attendee_fixtures import (  # noqa: F401
    Kiosk,
    attendee,
    ensure_catalogue,
    make_store,
    open_kiosk,
)
from tests.factories import PEOPLE, badge_for
from tests.sql import sql

ZHANG, ROSSI = PEOPLE[0], PEOPLE[1]


def scan(qtbot, k, code: str):
    page = k.screen.checkin_page
    page.state = "prompt"
    assert k.screen.handle_scan(Scan(code, "camera")) is True
    qtbot.waitUntil(lambda: page.state == "result", timeout=5000)
    return page


def handoff_in_db(k, code: str) -> str | None:
    return k.tasks.call_db(lambda s: sql(s).execute("SELECT status FROM scan_log WHERE handoff = ?",
                                                  [code]).fetchone())


def test_ok_greets_by_name_with_next_sessions(qtbot, attendee):
    page = scan(qtbot, attendee, badge_for(ZHANG, attendee.key))
    assert page.verdict.status.value == "ok"
    text = page.texts()
    assert "Welcome!" in text and "Zhang Wei" in text and "张伟" in text
    assert "Your next sessions" in text and "Main Forum" in text and "Main Hall" in text
    assert not page.handoff_box.isVisibleTo(page)
    # recorded before it was shown
    assert attendee.tasks.call_db(lambda s: sql(s).execute(
        "SELECT count(*) FROM checkins WHERE attendee_id = 'A1'").fetchone()[0]) == 1


def test_second_scan_is_a_friendly_already_checked_in(qtbot, attendee):
    code = badge_for(ZHANG, attendee.key)
    scan(qtbot, attendee, code)
    page = scan(qtbot, attendee, code)
    assert page.verdict.status.value == "already_checked_in"
    text = page.texts()
    assert "Welcome back!" in text and "already checked in" in text and "Main Forum" in text
    assert "registration desk" in text  # if it was not them


def _refused(qtbot, k, code: str, status: str, words: str):
    page = scan(qtbot, k, code)
    v = page.verdict
    assert v.status.value == status
    assert words in page.headline.text()
    assert "registration desk" in page.message.text()
    assert page.handoff_box.isVisibleTo(page)
    assert page.handoff.text() == v.handoff and len(v.handoff) == 6
    assert page.handoff_qr.payload == HANDOFF_PREFIX + v.handoff
    assert page.handoff_qr.pixmap() is not None and not page.handoff_qr.pixmap().isNull()
    assert handoff_in_db(k, v.handoff) == (status,)  # the desk can look the code up
    return page


def test_unknown_code(qtbot, attendee):
    _refused(qtbot, attendee, "NOT-A-BADGE-42", "unknown", "not recognised")


def test_forged_badge(qtbot, attendee):
    _refused(qtbot, attendee, badge_for(ZHANG, SigningKey.generate(1)), "forged", "not valid")


def test_wrong_event(qtbot, attendee):
    _refused(qtbot, attendee, badge_for(ZHANG, attendee.key, event_id="OTHER2024"), "wrong_event", "another event")


def test_revoked(qtbot, tmp_path):
    def revoke(store, key):
        store.save_revocations([{"event_id": "LSF2023", "attendee_id": "A1", "issue": 0, "reason": "lost",
                                 "created_at": "2023-11-17T10:00:00+00:00"}])
    k = open_kiosk(qtbot, tmp_path, prepare=revoke)
    try:
        page = _refused(qtbot, k, badge_for(ZHANG, k.key), "revoked", "cancelled")
        assert "Zhang Wei" in page.name.text()  # still addressed by name
    finally:
        k.close()


def test_not_allowed_at_a_press_only_door(qtbot, tmp_path):
    k = open_kiosk(qtbot, tmp_path, point_id="door-press-conference")
    try:
        _refused(qtbot, k, badge_for(ZHANG, k.key), "not_allowed", "Not admitted")
        ok = scan(qtbot, k, badge_for(ROSSI, k.key))  # press may enter
        assert ok.verdict.status.value == "ok" and "Maria Rossi" in ok.texts()
    finally:
        k.close()


def test_result_in_chinese(qtbot, attendee):
    ensure_catalogue()
    attendee.translations.set_language("zh_CN")
    page = scan(qtbot, attendee, "NOT-A-BADGE-43")
    assert "登记台" in page.message.text()
    assert page.handoff_title.text() == "请向登记台出示此代码："
    ok = scan(qtbot, attendee, badge_for(ZHANG, attendee.key))
    assert ok.headline.text() == "欢迎！" and ok.name.text().startswith("张伟")
    assert "主论坛" in ok.sessions.text() and "主会场" in ok.sessions.text()


def test_done_and_timeout_return_home(qtbot, attendee):
    s = attendee.screen
    s.open_page("checkin")
    assert s.checkin_page.state == "prompt"
    page = scan(qtbot, attendee, "NOT-A-BADGE-44")
    assert page.timer.isActive()
    page.timer.setInterval(50)
    page.timer.start()
    qtbot.waitUntil(lambda: s.current_page() == "home", timeout=3000)


def test_badge_shown_to_the_real_camera(qtbot, tmp_path):
    """A video of two badges through the real capture path (OpenCV + decoder thread) into the screen."""
    from tests.helpers_scan import write_badge_video
    from ui.camera import CameraController

    store, key = make_store(tmp_path)
    store.close()
    codes = [badge_for(ZHANG, key), "NOT-A-BADGE-45"]
    video = write_badge_video(tmp_path / "badges.avi", codes, seconds_per_code=1.0, fps=15, size=(960, 540),
                              gap_seconds=0.5)
    cam = CameraController(debounce_seconds=30)
    k = Kiosk(tmp_path / "kiosk.db", key, camera=cam)
    qtbot.addWidget(k.screen, before_close_func=lambda _screen: k.close())
    k.screen.resize(1080, 1836)
    k.screen.show()
    qtbot.waitExposed(k.screen)
    page = k.screen.checkin_page
    seen = []
    cam.scanned.connect(lambda sc: (seen.append(sc.code), k.screen.handle_scan(sc)))
    try:
        k.screen.open_page("checkin")
        assert page.preview is not None  # the visitor sees themselves in the prompt
        cam.start(str(video), 960, 540, loop=False)
        qtbot.waitUntil(lambda: page.verdict is not None and page.verdict.status.value == "ok", timeout=15000)
        assert "Zhang Wei" in page.texts()
        qtbot.waitUntil(lambda: page.verdict is not None and page.verdict.status.value == "unknown", timeout=15000)
        assert page.handoff.text() == page.verdict.handoff
        assert seen == codes
    finally:
        cam.stop()
        k.close()
