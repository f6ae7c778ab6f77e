"""The staff desk together with sync and the real server: hand-off codes, device names, recent scans,
the duplicates button, reprinted badges and the enrolled identity."""
from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from kiosk import pin
from kiosk.checkin import DeviceContext, check
from kiosk.handoff import HANDOFF_PREFIX, handoff_in, looks_like_handoff
from kiosk.models import Scan, Status
from kiosk.selfservice import self_checkin
from kiosk.store import Store
from sync.devices import list_devices
from sync.rounds import SyncClient
from sync.serverdb import ServerDB
from tests.helpers_sync import badge, device_token, enrolled_kiosk
from tests.shell_fixtures import start_kiosk, stop_kiosk
from tests.sql import sql

REVOKED = "A000013"  # the demo's lost badge (Xue Min)


@pytest.fixture
def server_attendees() -> int:
    """A smaller event than the default: these tests start whole kiosks against it."""
    return 120


def _desk_db(tmp_path, server_db, server, name: str = "Desk 2", file: str = "desk.db"):
    store = enrolled_kiosk(tmp_path / file, server_db, server.url, "desk", name)
    SyncClient(store).round()
    pin.set_pin(store, "1234")
    path = store.path
    store.close()
    return path


def _records(path) -> tuple[int, int, int]:
    con = sqlite3.connect(path)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("checkins", "scan_log", "outbox"))
    finally:
        con.close()


@pytest.fixture
def desk(qapp, qtbot, tmp_path, server_db, server):
    """An enrolled desk kiosk on the real server; start_kiosk has qtbot stop it at teardown."""
    return start_kiosk(qapp, qtbot, _desk_db(tmp_path, server_db, server), role="desk")


def test_handoff_codes_are_told_from_badges_and_registration_codes():
    assert handoff_in(HANDOFF_PREFIX + "abc234", typed=False) == ("ABC234", True)
    assert handoff_in("abc-234", typed=True) == ("ABC234", False)
    assert handoff_in("ABC234", typed=False) is None  # a camera reading six characters is a badge code
    assert handoff_in("REG-000005", typed=True) is None
    assert not looks_like_handoff("ABC2O4")  # no letter O in hand-off codes
    from kiosk.checkin import handoff_code
    assert all(looks_like_handoff(handoff_code()) for _ in range(50))


def test_the_desk_sees_what_the_attendee_kiosk_refused(qapp, qtbot, tmp_path, server_db, server):
    kiosk = enrolled_kiosk(tmp_path / "self.db", server_db, server.url, "attendee", "Self-service 1")
    SyncClient(kiosk).round()
    refused = self_checkin(kiosk, badge(server_db, REVOKED), DeviceContext.from_store(kiosk))
    assert refused.status is Status.REVOKED and len(refused.handoff) == 6
    SyncClient(kiosk).round()  # the refusal goes up as an outbox item of kind "scan"
    kiosk.close()

    desk_path = _desk_db(tmp_path, server_db, server)
    before = _records(desk_path)
    k = start_kiosk(qapp, qtbot, desk_path, role="desk")
    try:
        desk = k.desk
        qtbot.keyClicks(desk.search, refused.handoff.lower())  # staff type what the visitor reads out
        qtbot.mouseClick(desk.code_button, Qt.MouseButton.LeftButton)
        panel = desk.handoff_panel
        qtbot.waitUntil(lambda: panel.case is not None, timeout=10_000)
        texts = "\n".join(panel.texts())
        assert refused.handoff in texts and "Badge cancelled" in texts
        assert "Xue Min" in texts and "Self-service 1" in texts and "Event entrance" in texts
        assert "reported lost" in texts and "central server" in texts
        assert panel.isVisible() and not desk.card.isVisible() and not desk.recent.isVisible()
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(desk.attendee_panel.isVisible)
        assert desk.attendee_panel.attendee.id == REVOKED
        qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
        assert not panel.isVisible() and desk.recent.isVisible()

        desk.handle_scan(Scan("FKH:ZZZZZZ", "wedge"))  # the kiosk's QR, but nobody showed this code
        qtbot.waitUntil(lambda: panel.missing == "ZZZZZZ" and "No scan with this code" in panel.headline.text(),
                        timeout=10_000)
    finally:
        stop_kiosk(k)
    assert _records(desk_path) == before  # a look-up is not a scan: nothing recorded, nothing queued


def test_a_desk_finds_its_own_refusal_without_the_server(desk, qtbot):
    d = desk.desk
    d.handle_scan(Scan("NOT-A-BADGE-42", "typed"))
    qtbot.waitUntil(lambda: d.last_verdict is not None)
    code = d.last_verdict.handoff
    assert d.last_verdict.status is Status.UNKNOWN and code
    d.card.clear()
    d.handle_scan(Scan(HANDOFF_PREFIX + code, "camera"))
    qtbot.waitUntil(lambda: d.handoff_panel.case is not None, timeout=5000)
    assert "Badge not recognised" in d.handoff_panel.texts() and "From this desk's records" in d.handoff_panel.texts()


def test_desk_only_endpoint_for_handoff_codes(server_db, server):
    import requests
    token = device_token(server_db, "exhibitor", "Booth", exhibitor=ServerDB(server_db).store.exhibitors()[0].id)
    r = requests.get(f"{server.url}/api/v1/handoff/ABC234", headers={"Authorization": f"Device {token}"}, timeout=5)
    assert r.status_code == 403
    r = requests.get(f"{server.url}/api/v1/handoff/ABC234", timeout=5)
    assert r.status_code == 401


def test_repeat_entry_names_the_other_desk_and_a_revoked_badge_says_why(desk, qtbot, tmp_path, server_db, server):
    from ui.desk_scan import named_previous

    one = enrolled_kiosk(tmp_path / "one.db", server_db, server.url, "desk", "Desk 1")
    SyncClient(one).round()
    code = badge(server_db, "A000006")
    assert check(one, code, DeviceContext.from_store(one)).status is Status.OK  # offline at Desk 1
    SyncClient(one).round()
    one_id = one.get_meta("device_id")
    one.close()
    d = desk.desk
    d.handle_scan(Scan(code, "camera"))  # online: the server knows Desk 1's entry
    qtbot.waitUntil(lambda: d.last_verdict is not None)
    assert d.last_verdict.status is Status.ALREADY_CHECKED_IN
    assert any(t.startswith("First checked in") and t.endswith("at Desk 1") for t in d.card.texts()), d.card.texts()

    # decided locally (server away), the device id is turned into the name the devices table pulled
    other = enrolled_kiosk(tmp_path / "two.db", server_db, server.url, "desk", "Desk 3")
    try:
        SyncClient(other).round()
        local = check(other, code, DeviceContext.from_store(other))
        assert local.previous_device == one_id
        assert named_previous(other, local, DeviceContext.from_store(other)).previous_device == "Desk 1"
    finally:
        other.close()

    d.card.clear()
    d.handle_scan(Scan(badge(server_db, REVOKED), "camera"))
    qtbot.waitUntil(lambda: d.last_verdict.status is Status.REVOKED)
    assert "Reason: reported lost" in d.card.texts()


def test_recent_scans_show_newest_first_and_open_the_attendee(desk, qtbot, server_db):
    d = desk.desk
    assert d.recent.isVisible() and "Recent scans" in d.recent.title.text() and d.recent.list.count() == 0
    for aid in ("A000005", REVOKED):
        before = d.last_verdict
        d.handle_scan(Scan(badge(server_db, aid), "camera"))
        qtbot.waitUntil(lambda: d.last_verdict is not before)
    qtbot.waitUntil(lambda: d.recent.list.count() == 2)
    first, second = d.recent.list.item(0).text(), d.recent.list.item(1).text()
    assert "Xue Min" in first and "Badge cancelled" in first
    assert "Fatima Dubois" in second and "Checked in" in second
    d.card.clear()
    item = d.recent.list.item(1)
    qtbot.mouseClick(d.recent.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=d.recent.list.visualItemRect(item).center())
    qtbot.waitUntil(d.attendee_panel.isVisible)
    assert d.attendee_panel.attendee.id == "A000005"
    qtbot.keyClicks(d.search, "Fatima")
    qtbot.waitUntil(lambda: d.results.isVisible() and not d.recent.isVisible())


def test_duplicates_button_follows_sync_and_opens_the_list(desk, qtbot, tmp_path, server_db, server):
    d = desk.desk
    assert not d.conflicts_button.isVisible()
    one = enrolled_kiosk(tmp_path / "one.db", server_db, server.url, "desk", "Desk 1")
    SyncClient(one).round()
    code = badge(server_db, "A000007")
    check(one, code, DeviceContext.from_store(one))
    desk.tasks.call_db(lambda s: check(s, code, DeviceContext.from_store(s)))  # offline here too
    SyncClient(one).round()
    one.close()
    desk.sync.poke()
    qtbot.waitUntil(lambda: d.conflicts_button.isVisible(), timeout=15_000)
    assert d.conflicts_button.text() == "Duplicates after sync: 1" and d.conflicts_button.height() >= 48
    qtbot.mouseClick(d.conflicts_button, Qt.MouseButton.LeftButton)
    assert desk.window.current_name() == "conflicts"
    conflicts = desk.window.screen("conflicts")
    qtbot.waitUntil(lambda: conflicts.list.count() == 1)
    conflicts.seen_all.click()
    qtbot.waitUntil(lambda: not d.conflicts_button.isVisible(), timeout=15_000)


def _open(qtbot, d, attendee_id: str) -> None:
    d._open(attendee_id)
    qtbot.waitUntil(lambda: d.attendee_panel.attendee is not None and d.attendee_panel.attendee.id == attendee_id)


def test_a_reprinted_badge_is_signed_by_the_server_and_scans_at_another_desk(desk, qtbot, tmp_path, server_db,
                                                                              server):
    from kiosk import badges

    other = enrolled_kiosk(tmp_path / "one.db", server_db, server.url, "desk", "Desk 1")
    SyncClient(other).round()
    old_code = badge(server_db, "A000021")  # no registration code: only a signed badge can be printed
    d, printer = desk.desk, desk.services.printer
    _open(qtbot, d, "A000021")
    with qtbot.waitSignal(printer.printed, timeout=15_000) as printed:
        qtbot.mouseClick(d.attendee_panel.print_button, Qt.MouseButton.LeftButton)
    job = printed.args[0]
    assert job.signed and job.path.read_bytes().startswith(b"%PDF")
    claims = badges.decode(job.code, other.public_keys(), "LSF2023")
    assert claims.attendee_id == "A000021" and claims.issue == job.attendee.badge_issue
    assert check(other, old_code, DeviceContext.from_store(other)).status is Status.OK  # not pulled yet
    SyncClient(other).round()
    assert check(other, old_code, DeviceContext.from_store(other)).status is Status.REVOKED
    sql(other).execute("UPDATE checkins SET undone = 1")
    assert check(other, job.code, DeviceContext.from_store(other)).status is Status.OK
    other.close()
    # this desk knows at once, without waiting for its next pull
    assert desk.tasks.call_db(lambda s: check(s, old_code, DeviceContext.from_store(s)).detail) == "reprinted"
    qtbot.waitUntil(lambda: "once" in d.attendee_panel.print_info.text())


def test_offline_desk_prints_the_registration_code_or_refuses(desk, qtbot, server):
    server.stop()
    d, printer = desk.desk, desk.services.printer
    _open(qtbot, d, "A000005")
    with qtbot.waitSignal(printer.printed, timeout=15_000) as printed:
        qtbot.mouseClick(d.attendee_panel.print_button, Qt.MouseButton.LeftButton)
    assert printed.args[0].code == "REG-000005" and not printed.args[0].signed
    qtbot.waitUntil(lambda: "once" in d.attendee_panel.print_info.text())
    qtbot.waitUntil(d.attendee_panel.print_button.isEnabled)
    _open(qtbot, d, "A000010")  # no registration code
    with qtbot.waitSignal(printer.refused, timeout=15_000):
        qtbot.mouseClick(d.attendee_panel.print_button, Qt.MouseButton.LeftButton)
    result = d.attendee_panel.print_result
    assert "needs the server" in result.text() and result.isVisible() and not desk.window.toast.isVisible()
    assert d.attendee_panel.print_button.isEnabled()
    assert desk.tasks.call_db(lambda s: sql(s).execute(
        "SELECT count(*) FROM print_log WHERE attendee_id = 'A000010'").fetchone()[0]) == 0


def test_demo_background_enrolment_reaches_the_screens(qapp, qtbot, tmp_path):
    from sync.demo import prepare_demo
    from ui.app import KioskApp

    db = prepare_demo(tmp_path, attendees=60)
    s = Store(db)
    pin.set_pin(s, "1234")
    s.close()
    k = KioskApp(qapp, db, role="desk", windowed=True, camera="none", demo=True, sounds=False)
    qtbot.addWidget(k.window, before_close_func=lambda _window: stop_kiosk(k))
    k.window.show()
    try:
        bundle_id = k.services.context.device_id  # the bundle's id: the device keeps it when enrolled
        qtbot.waitUntil(lambda: bool(k.tasks.call_db(lambda s: s.get_meta("device_token"))), timeout=20_000)
        enrolled = k.tasks.call_db(lambda s: s.get_meta("device_id"))
        assert enrolled == bundle_id and k.services.context.device_id == enrolled
        assert k.services.context.role == "desk"
        server = ServerDB(tmp_path / "server.db")
        try:
            assert [(d.id, d.name) for d in list_devices(server)] == [(enrolled, "Demo desk")]
        finally:
            server.close()
        assert k.services.printer.device_id == enrolled and k.desk.card.device_id == enrolled
        k.desk.handle_scan(Scan("REG-000005", "typed"))
        qtbot.waitUntil(lambda: k.desk.last_verdict is not None, timeout=10_000)
        assert k.desk.last_verdict.status is Status.OK
        assert k.tasks.call_db(lambda s: sql(s).execute("SELECT device_id FROM checkins").fetchall()) == [(enrolled,)]
    finally:
        stop_kiosk(k)


def test_desk_and_sync_widgets_speak_chinese(desk, qtbot):
    from ui.conflicts import ConflictList
    from ui.syncstatus import SyncStatusWidget

    corner = desk.window.findChild(SyncStatusWidget)
    qtbot.waitUntil(lambda: corner.state.text() == "Online", timeout=15_000)
    desk.desk.set_conflicts(2)
    desk.translations.set_language("zh_CN")
    qtbot.waitUntil(lambda: desk.desk.recent.title.text() == "本服务台最近的扫描")
    qtbot.waitUntil(lambda: corner.state.text() == "在线", timeout=15_000)
    assert desk.desk.conflicts_button.text() == "同步后发现重复签到：2"
    assert desk.window.findChild(ConflictList).title.text() == "扫描冲突"


def test_a_repeated_reprint_request_reissues_once_and_its_badge_checks_in(tmp_path, server_db, server):
    from sync.deskcalls import DeskCalls, adopt_reissue
    from sync.transport import ServerAddress

    store = enrolled_kiosk(tmp_path / "one.db", server_db, server.url, "desk", "Desk 1")
    try:
        SyncClient(store).round()
        auth = ServerAddress.of(store)
        request_reprint = DeskCalls().request_reprint
        old_code = badge(server_db, "A000022")
        first = request_reprint(auth, "A000022", request_id="req-0001-lost-answer")
        again = request_reprint(auth, "A000022", request_id="req-0001-lost-answer")  # the answer was lost
        assert again == first and first.issue == 2 and first.revoked_issue == 1
        db = ServerDB(server_db)
        try:
            assert db.store.attendee("A000022").badge_issue == 2  # one bump, not two
            assert sql(db).execute("SELECT count(*) FROM revocations WHERE attendee_id = 'A000022'").fetchone()[0] == 1
        finally:
            db.close()
        assert adopt_reissue(store, again)
        ctx = DeviceContext.from_store(store)
        assert check(store, old_code, ctx).status is Status.REVOKED
        assert check(store, again.code, ctx).status is Status.OK
        # the same id for another attendee is refused, and nothing changes
        with pytest.raises(Exception, match="409"):
            request_reprint(auth, "A000023", request_id="req-0001-lost-answer")
        # a deliberate second reprint (a new request) issues again
        assert request_reprint(auth, "A000022").issue == 3
        # an answer whose code is not a badge this device trusts for that issue changes nothing here
        from dataclasses import replace

        assert not adopt_reissue(store, replace(again, attendee_id="A000030", issue=7))
        assert not adopt_reissue(store, replace(again, code=badge(server_db, "A000031")))
        assert store.attendee("A000030").badge_issue == 1
    finally:
        store.close()
