"""Kiosks and the real server together: enrol, sync rounds, online-first desks, conflicts, lead merge."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from entrypoints import kiosk_cli as cli
from entrypoints import server_cli as admin
from kiosk.checkin import DeviceContext, check, iso, undo_last
from kiosk.models import Direction, Status
from kiosk.store import Store
from sync.onlinecheck import check_online
from sync.protocol import make_setup_code
from sync.rounds import SyncClient, sync_status
from sync.server import EmbeddedServer
from sync.serverdb import ServerDB
from tests.helpers_sync import EXHIBITOR, badge, enrolled_kiosk, register
from tests.sql import sql


@pytest.fixture
def desks(tmp_path, server_db, server):
    one = enrolled_kiosk(tmp_path / "desk1.db", server_db, server.url, "desk", "Desk 1")
    two = enrolled_kiosk(tmp_path / "desk2.db", server_db, server.url, "desk", "Desk 2")
    SyncClient(one).round()
    SyncClient(two).round()
    yield one, two
    one.close()
    two.close()


def server_stats(server_db) -> dict:
    db = ServerDB(server_db)
    try:
        return db.stats()
    finally:
        db.close()


def test_cli_enroll_then_sync_prints_what_moved(tmp_path, server_db, server, capsys):
    code = make_setup_code(server.url, register(server_db, "desk", "Desk 3"))
    kiosk_db = tmp_path / "k.db"
    assert cli.main(["enroll", code, "--db", str(kiosk_db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["name"] == "Desk 3" and out["sync"]["pulled"]["attendees"] == 300
    # a scan, then `kiosk sync` uploads it
    assert cli.main(["check", badge(server_db, "A000042"), "--db", str(kiosk_db), "--offline"]) == 0
    capsys.readouterr()
    assert cli.main(["sync", "--db", str(kiosk_db)]) == 0
    moved = json.loads(capsys.readouterr().out)
    assert moved["pushed"]["accepted"] == 1 and moved["pending"] == 0
    assert server_stats(server_db)["scans"] == 1
    # the same setup code cannot enrol a second device
    assert cli.main(["enroll", code, "--db", str(tmp_path / "other.db")]) == 1
    assert "setup code" in capsys.readouterr().err


def test_sync_exits_1_when_the_server_is_unreachable(tmp_path, server_db, capsys):
    srv = EmbeddedServer(server_db).start()
    store = enrolled_kiosk(tmp_path / "k.db", server_db, srv.url)
    SyncClient(store).round()
    check(store, badge(server_db, "A000050"), DeviceContext.from_store(store))
    store.close()
    srv.stop()
    assert cli.main(["sync", "--db", str(tmp_path / "k.db")]) == 1
    err = capsys.readouterr().err
    assert "not reachable" in err and "1 records wait" in err
    store = Store(tmp_path / "k.db")
    st = sync_status(store)
    assert st.pending == 1 and st.online is False and st.last_error
    store.close()


def test_two_desks_offline_same_badge_ends_on_both_conflict_lists(desks, server_db):
    one, two = desks
    code = badge(server_db, "A000100")
    assert check(one, code, DeviceContext.from_store(one)).status is Status.OK
    assert check(two, code, DeviceContext.from_store(two)).status is Status.OK  # offline: neither knows
    r1 = SyncClient(one).round()
    r2 = SyncClient(two).round()
    assert r1.push.accepted == 1 and r2.push.conflict == 1
    SyncClient(one).round()
    for store in (one, two):
        items = store.sync.conflicts()
        assert len(items) == 1
        c = items[0]
        assert c.name and c.device == "Desk 2" and c.other_device == "Desk 1" and c.point == "Event entrance"
    stats = server_stats(server_db)
    assert stats["scans"] == 2 and stats["checked_in"] == 1 and stats["conflicts"] == 1
    two.sync.mark_conflicts_seen([two.sync.conflicts()[0].id])
    assert sync_status(two).conflicts_unseen == 0
    SyncClient(two).round()  # a later pull does not bring the "unseen" back
    assert sync_status(two).conflicts_unseen == 0


def test_online_desk_catches_a_badge_used_at_another_desk_a_moment_ago(desks, server_db):
    one, two = desks
    code = badge(server_db, "A000101")
    first = check_online(one, code, DeviceContext.from_store(one))
    assert first.status is Status.OK and first.decided_by == "server"
    # Desk 2 has not synced since: locally it knows nothing, the server does
    second = check_online(two, code, DeviceContext.from_store(two))
    assert second.status is Status.ALREADY_CHECKED_IN and second.previous_device == "Desk 1"
    # Desk 1 keeps the very same record, already sent: nothing doubles on the next round
    row = sql(one).execute("SELECT id FROM checkins").fetchall()
    assert [r[0] for r in row] == [first.record_id]
    assert SyncClient(one).round().push.sent == 0
    assert server_stats(server_db)["scans"] == 1


def test_desk_switches_to_local_when_the_server_goes_and_back_when_it_returns(tmp_path, server_db):
    srv = EmbeddedServer(server_db).start()
    store = enrolled_kiosk(tmp_path / "k.db", server_db, srv.url)
    SyncClient(store).round()
    ctx = DeviceContext.from_store(store)
    port = srv.port
    srv.stop()
    assert check_online(store, badge(server_db, "A000110"), ctx) is None  # refused at once: caller decides
    assert sync_status(store).online is False
    # within the retry window nothing is even tried
    local = check(store, badge(server_db, "A000110"), ctx)
    assert local.status is Status.OK and local.decided_by == "local"
    srv = EmbeddedServer(server_db, port=port).start()
    try:
        SyncClient(store).round()  # the background round finds the server again
        assert sync_status(store).online is True
        v = check_online(store, badge(server_db, "A000111"), ctx)
        assert v is not None and v.decided_by == "server"
        assert server_stats(server_db)["scans"] == 2
    finally:
        srv.stop()
        store.close()


def test_clock_offset_is_recorded_and_used_for_corrected_time(desks, server_db):
    one, _ = desks
    one.set_meta("clock_offset", "0")
    SyncClient(one).round()
    offset = float(one.get_meta("clock_offset"))
    assert abs(offset) < 1.0  # same machine: the server clock is ours, give or take the network
    # a device whose clock is 10 minutes slow records both times
    one.set_meta("clock_offset", "600")
    ctx = DeviceContext.from_store(one)
    now = datetime.now(timezone.utc)
    v = check(one, badge(server_db, "A000120"), ctx, now=now)
    row = sql(one).execute("SELECT device_time, corrected_time FROM checkins WHERE id = ?", [v.record_id]).fetchone()
    assert row == (iso(now), iso(now + timedelta(seconds=600)))


def test_undo_reaches_the_server(desks, server_db):
    one, _ = desks
    ctx = DeviceContext.from_store(one)
    check(one, badge(server_db, "A000130"), ctx)
    SyncClient(one).round()
    assert server_stats(server_db)["scans"] == 1
    undo_last(one, ctx)
    SyncClient(one).round()
    assert server_stats(server_db)["scans"] == 0


def test_undoing_a_server_decided_entry_then_scanning_again_checks_in_on_both_sides(desks, server_db):
    from kiosk.checkin import counts
    from sync.onlinecheck import decide

    one, _ = desks
    ctx = DeviceContext.from_store(one)
    code = badge(server_db, "A000131")
    first = decide(one, code, ctx)
    assert first.status is Status.OK and first.decided_by == "server"
    assert undo_last(one, ctx).record_id == first.record_id  # a wrong tap: staff take it back
    again = decide(one, code, ctx)  # the person is scanned again before the next sync round
    assert again.status is Status.OK  # not "already checked in at this desk"
    SyncClient(one).round()
    stats = server_stats(server_db)
    assert stats["checked_in"] == 1 == counts(one).checked_in
    assert stats["scans"] == 1 == sql(one).execute("SELECT count(*) FROM checkins WHERE undone = 0").fetchone()[0]


def test_first_pull_resumes_where_it_was_interrupted(tmp_path, server_db, server):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    client = SyncClient(store, page_size=50)
    pages = []

    def stop_after_two(done, total):
        pages.append((done, total))
        if len(pages) == 2:
            raise KeyboardInterrupt  # the kiosk is switched off mid-pull

    with pytest.raises(KeyboardInterrupt):
        client.pull(stop_after_two)
    assert store.attendee_count() > 0 and int(store.get_meta("pull_cursor")) > 0
    progress = []
    SyncClient(store, page_size=50).pull(lambda d, t: progress.append((d, t)))
    assert store.attendee_count() == 300
    assert progress[-1][0] == progress[-1][1]  # the bar ends full
    store.close()


def test_exhibitor_devices_merge_notes_rating_and_tags(tmp_path, server_db, server):
    a = enrolled_kiosk(tmp_path / "a.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    b = enrolled_kiosk(tmp_path / "b.db", server_db, server.url, "exhibitor", "Booth 2", EXHIBITOR)
    for s in (a, b):
        SyncClient(s).round()
        assert s.attendee_count() == 0  # an exhibitor device never receives the attendee list
    consenting = ServerDB(server_db)
    visitor = sql(consenting).execute("SELECT id FROM attendees WHERE consent = 1 AND email != '' LIMIT 1").fetchone()[0]
    email = consenting.store.attendee(visitor).email
    consenting.close()
    code = badge(server_db, visitor)
    # both devices capture the same visitor while offline
    assert check(a, code, DeviceContext.from_store(a)).status is Status.LEAD_SAVED
    assert check(b, code, DeviceContext.from_store(b)).status is Status.LEAD_SAVED
    t0 = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)
    edits = [
        (a, {"note": {"note_id": "na1", "text": "wants a demo"}, "rating": 3, "tags_add": ["hot", "pcr"]}, t0),
        (b, {"note": {"note_id": "nb1", "text": "send price list"}, "rating": 5, "tags_remove": ["pcr"]},
         t0 + timedelta(minutes=1)),
        (a, {"tags_add": ["pcr"]}, t0 + timedelta(minutes=2)),
    ]
    for store, edit, at in edits:
        from kiosk.checkin import enqueue

        payload = {"exhibitor_id": EXHIBITOR, "attendee_id": visitor, "device_id": store.get_meta("device_id"),
                   "at": iso(at), **edit}
        with store.transaction():
            enqueue(store, "lead_edit", payload, at)
    for s in (a, b, a, b):
        SyncClient(s).round()
    for s in (a, b):
        rows = sql(s).execute("SELECT notes, rating, tags, email, scans FROM leads WHERE attendee_id = ?",
                            [visitor]).fetchall()
        assert len(rows) == 1
        notes, rating, tags, got_email, scans = rows[0]
        assert "wants a demo" in notes and "send price list" in notes
        assert rating == 5 and json.loads(tags) == ["hot", "pcr"] and got_email == email and scans == 2
        assert {r[0] for r in sql(s).execute("SELECT id FROM lead_notes")} == {"na1", "nb1"}
    db = ServerDB(server_db)
    assert sql(db).execute("SELECT count(*) FROM leads").fetchone()[0] == 1
    db.close()
    # and the export has it, Chinese intact, with the BOM Excel needs
    out = tmp_path / "leads.csv"
    assert admin.main(["export-leads", "--db", str(server_db), "--exhibitor", EXHIBITOR, "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "send price list".encode() in raw
    a.close()
    b.close()


def test_no_contact_details_for_visitors_who_did_not_consent(tmp_path, server_db, server):
    a = enrolled_kiosk(tmp_path / "a.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    SyncClient(a).round()
    db = ServerDB(server_db)
    visitor = sql(db).execute("SELECT id FROM attendees WHERE consent = 0 AND email != '' LIMIT 1").fetchone()[0]
    db.close()
    assert check(a, badge(server_db, visitor), DeviceContext.from_store(a)).status is Status.LEAD_SAVED
    SyncClient(a).round()
    row = sql(a).execute("SELECT name, email, phone FROM leads WHERE attendee_id = ?", [visitor]).fetchone()
    assert row[0] and row[1] == "" and row[2] == ""
    a.close()


def test_exit_at_a_session_door_then_entry_elsewhere_is_no_conflict(desks, server_db):
    one, two = desks
    code = badge(server_db, "A000140")
    check(one, code, DeviceContext.from_store(one))
    SyncClient(one).round()
    SyncClient(two).round()  # Desk 2 now knows Desk 1's entry: locally refused, nothing to conflict
    assert check(two, code, DeviceContext.from_store(two)).status is Status.ALREADY_CHECKED_IN
    assert check(one, code, DeviceContext.from_store(one), Direction.EXIT).status is Status.OK
    SyncClient(one).round()
    SyncClient(two).round()
    # a second later, as at a real door: the desks' clock corrections differ by a few milliseconds,
    # which must not be able to put this re-entry before the exit it follows
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    assert check(two, code, DeviceContext.from_store(two), now=later).status is Status.OK
    assert SyncClient(two).round().push.conflict == 0
    assert server_stats(server_db)["conflicts"] == 0


# -- on screen: the sync corner, the conflict list, the background service ---------------------------
def test_status_widget_shows_state_waiting_and_a_bar_only_for_long_pulls(qtbot):
    from sync.rounds import SyncStatus
    from ui.syncstatus import SyncStatusWidget

    w = SyncStatusWidget()
    qtbot.addWidget(w)
    w.show()
    w.set_status(SyncStatus(True, False, 3, 0, 0, None, "server not reachable", "http://x", "Desk 1"))
    assert w.state.text() == "Offline" and "3" in w.waiting.text() and not w.conflicts.isVisible()
    w.set_progress(1000, 100_000)
    assert w.bar.isVisible() and w.bar.value() == 1000
    w.set_status(SyncStatus(True, True, 0, 0, 2, "2026-05-01T09:30:00+00:00", None, "http://x", "Desk 1"))
    assert w.state.text() == "Online" and not w.waiting.isVisible() and not w.bar.isVisible()
    assert w.conflicts.isVisible() and "2" in w.conflicts.text() and w.conflicts.minimumHeight() >= 48
    with qtbot.waitSignal(w.conflicts_clicked):
        w.conflicts.click()
    w.set_progress(40, 50)  # a small pull: no bar flashing
    assert not w.bar.isVisible()


def test_service_brings_an_offline_double_entry_to_the_staff_list(qtbot, desks, server_db):
    from ui.conflicts import ConflictList
    from ui.syncservice import SyncService

    one, two = desks
    code = badge(server_db, "A000160")
    check(one, code, DeviceContext.from_store(one))
    check(two, code, DeviceContext.from_store(two))
    SyncClient(one).round()
    service = SyncService(two.path, interval=0.3)
    screen = ConflictList()
    qtbot.addWidget(screen)
    service.conflicts_changed.connect(screen.set_items)
    statuses = []
    service.status_changed.connect(statuses.append)
    try:
        service.start()
        qtbot.waitUntil(lambda: screen.list.count() == 1, timeout=10_000)
        text = screen.list.item(0).text()
        assert "Desk 2" in text and "Desk 1" in text and "Event entrance" in text
        assert statuses[-1].online and statuses[-1].pending == 0 and statuses[-1].conflicts_unseen == 1
        screen.mark_seen.connect(service.mark_seen)
        screen.seen_all.click()
        qtbot.waitUntil(lambda: statuses[-1].conflicts_unseen == 0, timeout=10_000)
        qtbot.waitUntil(lambda: not screen.seen_all.isEnabled(), timeout=10_000)
    finally:
        service.stop()
    assert server_stats(server_db)["conflicts"] == 1


def test_demo_server_and_lazy_enrolment_work_end_to_end(qtbot, tmp_path):
    from sync.demo import demo_enroller, prepare_demo
    from sync.server import EmbeddedServer
    from ui.syncservice import SyncService

    kiosk_db = prepare_demo(tmp_path, attendees=200)
    srv = EmbeddedServer(tmp_path / "server.db").start(wait=False)  # returns before the server is up; the enrolment waits for it
    service = SyncService(kiosk_db, interval=0.3, prepare=demo_enroller(tmp_path, srv.url))
    statuses = []
    service.status_changed.connect(statuses.append)
    try:
        service.start()
        qtbot.waitUntil(lambda: bool(statuses) and bool(statuses[-1].online), timeout=15_000)
        store = Store(kiosk_db)
        v = check(store, badge(tmp_path / "server.db", "A000170"), DeviceContext.from_store(store))
        store.close()
        assert v.status is Status.OK
        service.poke()
        qtbot.waitUntil(lambda: server_stats(tmp_path / "server.db")["scans"] == 1, timeout=10_000)
    finally:
        service.stop()
        srv.stop()


def test_offline_entry_with_a_badge_revoked_before_it_is_a_conflict_on_every_desk(qtbot, desks, server_db):
    from ui.conflicts import ConflictList
    from ui.i18n import Translations

    one, two = desks  # Desk 2 stays offline from here on: it never hears of the revocations below
    ctx2 = DeviceContext.from_store(two)
    earlier = datetime.now(timezone.utc) - timedelta(minutes=10)
    assert check(two, badge(server_db, "A000202"), ctx2, now=earlier).status is Status.OK  # before its revocation
    lost_code, old_code = badge(server_db, "A000200"), badge(server_db, "A000201")
    db = ServerDB(server_db)
    try:
        db.revoke("A000200", 0, "lost")
        db.reprint("A000201")
        db.revoke("A000202", 0, "cancelled")
        db.reprint("A000203")
    finally:
        db.close()
    new_code = badge(server_db, "A000203")  # the reprinted badge itself is fine
    for code in (lost_code, old_code, new_code):
        assert check(two, code, ctx2).status is Status.OK  # offline: it could not know
    pushed = SyncClient(two).round().push
    assert (pushed.accepted, pushed.conflict) == (2, 2)
    SyncClient(one).round()
    for store in (one, two):
        items = {c.attendee_id: c for c in store.sync.conflicts()}
        assert set(items) == {"A000200", "A000201"}
        assert items["A000200"].reason == "revoked" and items["A000200"].revocation == "lost"
        assert items["A000201"].revocation == "reprinted"
        assert items["A000200"].device == "Desk 2" and items["A000200"].point == "Event entrance"
        assert items["A000200"].other_at < items["A000200"].at  # revoked before the scan
    stats = server_stats(server_db)
    assert stats["scans"] == 4 and stats["conflicts"] == 2  # the door let them in: every record is kept

    screen = ConflictList()
    qtbot.addWidget(screen)
    screen.set_items(sorted(one.sync.conflicts(), key=lambda c: c.attendee_id))
    lost, reprinted = screen.list.item(0).text(), screen.list.item(1).text()
    assert "with a cancelled badge" in lost and "reported lost" in lost and "Desk 2" in lost
    assert "a new one was printed" in reprinted
    translations = Translations()
    try:
        translations.set_language("zh_CN")
        screen.retranslate()
        lost = screen.list.item(0).text()
        assert "已作废的胸卡" in lost and "已挂失" in lost and "Desk 2" in lost
        assert "已补打新卡" in screen.list.item(1).text()
    finally:
        translations.set_language("en")


def test_a_lead_edit_made_between_push_and_pull_stays_visible(tmp_path, server_db, server):
    from kiosk.leads import get_lead, set_note, set_rating, set_tags

    a = enrolled_kiosk(tmp_path / "a.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    b = enrolled_kiosk(tmp_path / "b.db", server_db, server.url, "exhibitor", "Booth 2", EXHIBITOR)
    try:
        for s in (a, b):
            SyncClient(s).round()
        code = badge(server_db, "A000210")
        mine = check(a, code, DeviceContext.from_store(a)).record_id  # both capture the visitor offline
        check(b, code, DeviceContext.from_store(b))
        SyncClient(b).round()  # the server's lead is Booth 2's
        client = SyncClient(a)
        client.push()  # Booth 1's capture merges into it
        ctx = DeviceContext.from_store(a)
        set_note(a, ctx, mine, "asked for the PCR brochure")
        set_rating(a, ctx, mine, 4)
        set_tags(a, ctx, mine, ["hot", "send quote"])
        client.pull()  # the merged lead, as it was before these edits
        lead = get_lead(a, mine)  # the screen's handle still finds it
        assert lead is not None and lead.rating == 4 and set(lead.tags) == {"hot", "send quote"}
        assert "asked for the PCR brochure" in lead.notes and lead.scans == 2
        SyncClient(a).round()
        SyncClient(b).round()
        db = ServerDB(server_db)
        try:
            row = sql(db).execute("SELECT rating, tags, notes FROM leads WHERE attendee_id = 'A000210'").fetchone()
        finally:
            db.close()
        assert row[0] == 4 and set(json.loads(row[1])) == {"hot", "send quote"} and "PCR brochure" in row[2]
        other = sql(b).execute("SELECT rating, tags FROM leads WHERE attendee_id = 'A000210'").fetchone()
        assert other[0] == 4 and set(json.loads(other[1])) == {"hot", "send quote"}
    finally:
        a.close()
        b.close()


def test_a_round_prunes_old_sent_outbox_rows_only(desks, server_db, monkeypatch):
    from sync.rounds import PushResult

    one, _ = desks
    ctx = DeviceContext.from_store(one)
    for n in range(210, 216):
        check(one, badge(server_db, f"A000{n}"), ctx)
    SyncClient(one).round()
    check(one, "NOT-A-BADGE", ctx)  # a refusal, queued
    sql(one).execute("UPDATE outbox SET state = 'rejected' WHERE kind = 'scan'")  # kept with its reason
    check(one, badge(server_db, "A000220"), ctx)  # still pending
    old = iso(datetime.now(timezone.utc) - timedelta(days=8))
    sql(one).execute("UPDATE outbox SET created_at = ?", [old])  # everything is eight days old now
    sent = [r[0] for r in sql(one).execute("SELECT id FROM outbox WHERE state = 'sent' ORDER BY seq")]
    sql(one).execute("UPDATE outbox SET created_at = ? WHERE id = ?",
                   [iso(datetime.now(timezone.utc) - timedelta(days=5)), sent[0]])
    offline_push = SyncClient(one)
    monkeypatch.setattr(offline_push, "push", PushResult)  # a round whose uploads move nothing
    offline_push.round()
    left = sql(one).execute("SELECT id, state FROM outbox ORDER BY seq").fetchall()
    assert [s for _, s in left] == ["sent", "rejected", "pending"] and left[0][0] == sent[0]
    assert sql(one).execute("SELECT count(*) FROM checkins").fetchone()[0] == 7  # the records stay
    one.set_meta("outbox_keep_days", "3")
    SyncClient(one).round()  # the pending one goes up; then both old sent rows go
    assert [s for (s,) in sql(one).execute("SELECT state FROM outbox")] == ["rejected"]
    assert server_stats(server_db)["scans"] == 7
    one.set_meta("outbox_keep_days", None)
    monkeypatch.setenv("KIOSK_OUTBOX_KEEP_DAYS", "0")  # 0: keep for ever
    check(one, badge(server_db, "A000221"), ctx)
    SyncClient(one).round()
    sql(one).execute("UPDATE outbox SET created_at = ?", [old])
    SyncClient(one).round()
    assert [s for (s,) in sql(one).execute("SELECT state FROM outbox ORDER BY seq")] == ["rejected", "sent"]


def test_an_online_desk_at_a_session_door_is_judged_at_that_door(desks, server_db):
    from dataclasses import replace

    from sync.onlinecheck import decide

    one, _ = desks
    ctx = replace(DeviceContext.from_store(one), point_id="door-press-conference")  # the point staff chose
    v = decide(one, badge(server_db, "A000141"), ctx)  # an attendee badge: the press conference is not for them
    assert v.decided_by == "server"
    assert v.status is Status.NOT_ALLOWED and v.point_id == "door-press-conference"
    assert server_stats(server_db)["scans"] == 0
