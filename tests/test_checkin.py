"""Check-in rules on a real SQLite file: one verdict per scan, recorded before it returns."""
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import checkin
from kiosk.badges import SigningKey
from kiosk.checkin import DeviceContext, check, counts, inside_count, undo_last
from kiosk.models import Attendee, Direction, Status
from kiosk.store import Store
from tests.factories import PEOPLE, badge_for, demo_event_store
from tests.sql import sql

T0 = datetime(2023, 11, 18, 1, 30, tzinfo=timezone.utc)  # 09:30 in Beijing


@pytest.fixture
def env(tmp_path):
    store, key = demo_event_store(tmp_path / "kiosk.db")
    yield store, key, DeviceContext.from_store(store)
    store.close()


def outbox_kinds(store):
    return [r[0] for r in sql(store).execute("SELECT kind FROM outbox ORDER BY seq")]


def test_signed_badge_checks_in_and_is_in_the_outbox_before_the_verdict(env):
    store, key, ctx = env
    v = check(store, badge_for(PEOPLE[0], key), ctx, now=T0)
    assert v.status is Status.OK and v.attendee.name_zh == "张伟"
    row = sql(store).execute("SELECT attendee_id, device_id, point_id FROM checkins WHERE id = ?",
                           [v.record_id]).fetchone()
    assert row == ("A1", "desk-1", "entrance")
    assert outbox_kinds(store) == ["checkin"]


def test_a_badge_of_someone_the_kiosk_has_never_seen_is_greeted_by_the_badge(env):
    store, key, ctx = env
    newcomer = Attendee("A999", "Late Registrant", "晚到者", "Tsinghua", badge_type="attendee")
    v = check(store, badge_for(newcomer, key), ctx, now=T0)
    assert v.status is Status.OK
    assert (v.attendee.id, v.attendee.name, v.attendee.name_zh) == ("A999", "Late Registrant", "晚到者")


def test_second_entry_says_when_and_where(env):
    store, key, ctx = env
    code = badge_for(PEOPLE[0], key)
    check(store, code, ctx, now=T0)
    again = check(store, code, DeviceContext("desk-2", point_id="entrance"), now=T0 + timedelta(minutes=5))
    assert again.status is Status.ALREADY_CHECKED_IN
    assert again.previous_device == "desk-1" and again.previous_time.startswith("2023-11-18T01:30")
    assert sql(store).execute("SELECT count(*) FROM checkins").fetchone()[0] == 1


def test_plain_code_from_the_registration_system(env):
    store, _, ctx = env
    assert check(store, "REG-0002\r\n", ctx, now=T0).attendee.name == "Maria Rossi"


@pytest.mark.parametrize("code,status", [
    ("", Status.UNKNOWN), ("REG-9999", Status.UNKNOWN), ("'; DROP TABLE attendees; --", Status.UNKNOWN),
    ("\x00\x01\x02binary\xff", Status.UNKNOWN), ("x" * 1_000_000, Status.UNKNOWN),
    ("FK1:", Status.FORGED), ("FK1:" + "Z" * 500, Status.FORGED), ("FK1:" + "A" * 1_000_000, Status.FORGED),
    ("FK1:%%%%", Status.FORGED),
    # invalid UTF-8 on a command line arrives as lone surrogates (surrogateescape)
    ("REG-\udcff\udcfe", Status.UNKNOWN), ("FK1:\udced", Status.FORGED),
])
def test_hostile_or_broken_codes_get_a_refusal_and_change_nothing(env, code, status):
    store, _, ctx = env
    before = sql(store).execute("SELECT count(*), (SELECT count(*) FROM checkins) FROM attendees").fetchone()
    v = check(store, code, ctx, now=T0)
    assert v.status is status and v.handoff
    assert sql(store).execute("SELECT count(*), (SELECT count(*) FROM checkins) FROM attendees").fetchone() == before


def test_forged_and_wrong_event(env):
    store, key, ctx = env
    stranger = SigningKey.generate(1)
    assert check(store, badge_for(PEOPLE[0], stranger), ctx, now=T0).status is Status.FORGED
    v = check(store, badge_for(PEOPLE[0], key, event_id="LSF2024"), ctx, now=T0)
    assert v.status is Status.WRONG_EVENT and v.attendee.name == "Zhang Wei"


def test_revoked_badge_and_reprinted_issue(env):
    store, key, ctx = env
    store.save_revocations([{"event_id": "LSF2023", "attendee_id": "A2", "issue": 0, "reason": "lost"}])
    assert check(store, badge_for(PEOPLE[1], key), ctx, now=T0).status is Status.REVOKED
    assert check(store, "REG-0002", ctx, now=T0).status is Status.REVOKED
    sql(store).execute("UPDATE attendees SET badge_issue = 2 WHERE id = 'A3'")
    old = check(store, badge_for(PEOPLE[2], key, issue=1), ctx, now=T0)
    assert old.status is Status.REVOKED and old.detail == "reprinted"
    assert check(store, badge_for(PEOPLE[2], key, issue=2), ctx, now=T0).status is Status.OK


def test_session_rules_by_badge_type(env):
    store, key, ctx = env
    press_door = "door-press-conference"
    assert check(store, badge_for(PEOPLE[0], key), ctx, point_id=press_door, now=T0).status is Status.NOT_ALLOWED
    assert check(store, badge_for(PEOPLE[1], key), ctx, point_id=press_door, now=T0).status is Status.OK


def test_exit_and_reentry_keep_a_live_inside_count(env):
    store, key, ctx = env
    door = "door-main-forum"
    room = store.point(door).room_id
    a, b = badge_for(PEOPLE[0], key), badge_for(PEOPLE[1], key)
    check(store, a, ctx, point_id=door, now=T0)
    check(store, b, ctx, point_id=door, now=T0 + timedelta(seconds=1))
    assert inside_count(store, room) == 2
    assert check(store, a, ctx, Direction.EXIT, point_id=door, now=T0 + timedelta(minutes=1)).status is Status.OK
    assert inside_count(store, room) == 1
    assert check(store, a, ctx, point_id=door, now=T0 + timedelta(minutes=2)).status is Status.OK  # re-entry
    assert inside_count(store, room) == 2


def test_undo_takes_back_this_desks_last_check_in(env):
    store, key, ctx = env
    check(store, badge_for(PEOPLE[0], key), ctx, now=T0)
    assert counts(store, now=T0).checked_in == 1
    undone = undo_last(store, ctx, now=T0)
    assert undone.attendee.id == "A1"
    assert counts(store, now=T0).checked_in == 0
    assert check(store, badge_for(PEOPLE[0], key), ctx, now=T0).status is Status.OK
    assert outbox_kinds(store) == ["checkin", "undo", "checkin"]


def test_counts_by_type_and_last_quarter_hour(env):
    store, key, ctx = env
    check(store, badge_for(PEOPLE[0], key), ctx, now=T0 - timedelta(hours=1))
    check(store, badge_for(PEOPLE[1], key), ctx, now=T0)
    c = counts(store, now=T0)
    assert (c.expected, c.checked_in, c.last_15_min) == (5, 2, 1)
    assert c.by_type["press"] == (1, 1) and c.by_type["staff"] == (0, 1)


def test_exhibitor_device_turns_scans_into_leads(tmp_path):
    store, key = demo_event_store(tmp_path / "ex.db", role="exhibitor", device_id="ex-1")
    store.set_meta("exhibitor_id", "EX01")
    ctx = DeviceContext.from_store(store)
    assert check(store, badge_for(PEOPLE[0], key), ctx, now=T0).status is Status.LEAD_SAVED
    assert check(store, badge_for(PEOPLE[0], key), ctx, now=T0).status is Status.LEAD_UPDATED
    staff = check(store, badge_for(PEOPLE[4], key), ctx, now=T0)
    assert staff.status is Status.NOT_ALLOWED and staff.detail == "type:staff"
    assert sql(store).execute("SELECT count(*), max(scans) FROM leads").fetchone() == (1, 2)
    store.close()


def test_a_failed_write_leaves_neither_check_in_nor_outbox_row(env, monkeypatch):
    store, key, ctx = env
    def broken(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(checkin, "enqueue", broken)
    with pytest.raises(RuntimeError):
        check(store, badge_for(PEOPLE[0], key), ctx, now=T0)
    assert sql(store).execute("SELECT count(*) FROM checkins").fetchone()[0] == 0


def test_a_confirmed_scan_is_synced_to_disk_before_the_verdict(env):
    """WAL with synchronous=NORMAL may lose the last commits on a power cut; the contract says
    a confirmed scan survives power loss, so every commit is flushed (FULL)."""
    store, key, ctx = env
    assert check(store, badge_for(PEOPLE[0], key), ctx, now=T0).status is Status.OK
    assert sql(store).execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    again = Store(store.path)
    try:
        assert sql(again).execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        again.close()


def test_an_exhibitor_device_bound_to_nobody_saves_no_lead(tmp_path):
    store, key = demo_event_store(tmp_path / "ex.db", role="exhibitor", device_id="ex-9")
    v = check(store, badge_for(PEOPLE[0], key), DeviceContext.from_store(store), now=T0)
    assert v.status is Status.NOT_ALLOWED and v.detail == "no_exhibitor"
    assert sql(store).execute("SELECT count(*) FROM leads").fetchone()[0] == 0
    store.close()
