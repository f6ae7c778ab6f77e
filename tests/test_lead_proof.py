"""A lead needs a scan (issue 14, item 3), and desk pushes must fit the event (item 5), over real HTTP.

The attack: an exhibitor device pushes lead_scan items for A000001-A000500 without scanning anyone;
before this change every one was accepted and the next pull handed over names, organisations and the
consenting attendees' contact details.
"""
from __future__ import annotations

import logging

import pytest
import requests

from kiosk import badges
from kiosk.checkin import check
from kiosk.identify import DeviceContext
from kiosk.leads import set_leads_from_staff
from kiosk.models import BadgeClaims, Status
from sync.protocol import API, LEAD_BURST
from sync.rounds import SyncClient
from sync.serverdb import ServerDB
from tests.helpers_sync import EXHIBITOR, badge, device_token, enrolled_kiosk
from tests.sql import sql

AT = "2026-05-01T10:00:00.000+00:00"


@pytest.fixture
def server_attendees() -> int:
    return 500


def auth(token: str) -> dict:
    return {"Authorization": f"Device {token}"}


def push(server, token: str, items: list[dict]) -> list[dict]:
    r = requests.post(f"{server.url}{API}/push", json={"items": items}, headers=auth(token), timeout=30)
    assert r.status_code == 200, r.text[:300]
    return r.json()["results"]


def pull_all(server, token: str) -> dict:
    body = requests.get(f"{server.url}{API}/pull", params={"limit": 20000}, headers=auth(token), timeout=30).json()
    return body


def lead_item(n: int, attendee: str, code: str | None = None, kind: str = "lead") -> dict:
    payload = {"id": f"L{n:06d}", "exhibitor_id": EXHIBITOR, "attendee_id": attendee, "name": "",
               "created_at": AT, "at": AT, "tags": []}
    if code is not None:
        payload["code"] = code
    if kind == "lead_scan":
        payload = {k: v for k, v in payload.items() if k in ("id", "exhibitor_id", "attendee_id", "at", "code")}
    return {"id": f"{kind}:{n:06d}", "kind": kind, "payload": payload}


def server_leads(server_db) -> int:
    return sql(server_db).execute("SELECT count(*) FROM leads").fetchone()[0]


def test_harvesting_500_attendees_by_lead_scan_gets_nothing(server_db, server, caplog):
    ex = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    answers = []
    for start in range(1, 501, 100):
        items = [lead_item(n, f"A{n:06d}", kind="lead_scan") for n in range(start, start + 100)]
        with caplog.at_level(logging.WARNING, logger="sync.receive"):
            answers += push(server, ex, items)
    assert not [a for a in answers if a["status"] in ("accepted", "duplicate", "conflict")]
    assert {a["reason"] for a in answers if a["status"] == "rejected"} == {"no_badge_code"}
    assert any(a["status"] == "later" for a in answers)  # and refusals use up the device's budget fast
    assert server_leads(server_db) == 0
    body = pull_all(server, ex)
    assert not body.get("leads") and "attendees" not in body
    assert "no_badge_code" in caplog.text and "lead_scan:000001" in caplog.text  # the server log says so


def test_a_scanned_badge_makes_the_lead_and_releases_contact_only_with_consent(server_db, server):
    ex = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    db = ServerDB(server_db)
    yes = sql(db).execute("SELECT id, email FROM attendees WHERE consent = 1 AND email != '' LIMIT 1").fetchone()
    no = sql(db).execute("SELECT id FROM attendees WHERE consent = 0 AND email != '' LIMIT 1").fetchone()[0]
    db.close()
    answers = push(server, ex, [lead_item(1, yes[0], badge(server_db, yes[0])),
                                lead_item(2, no, badge(server_db, no))])
    assert [a["status"] for a in answers] == ["accepted", "accepted"]
    leads = {lead["attendee_id"]: lead for lead in pull_all(server, ex)["leads"]}
    assert leads[yes[0]]["email"] == yes[1] and leads[no]["email"] == "" and leads[no]["phone"] == ""
    assert leads[no]["name"] and leads[no]["name"] != no


def test_a_lead_for_a_missing_or_another_attendee_is_refused(server_db, server):
    ex = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    db = ServerDB(server_db)
    # a genuine signature (the server's own key) for an id the server does not hold
    ghost = badges.encode(BadgeClaims("LSF2023", "A999999", "vip", db.signing_key().key_id, "Ghost"),
                          db.signing_key())
    other_key = badges.SigningKey.generate(db.signing_key().key_id)
    forged = badges.encode(BadgeClaims("LSF2023", "A000010", "vip", other_key.key_id, "X"), other_key)
    plain = sql(db).execute("SELECT id, code FROM attendees WHERE code != '' LIMIT 1").fetchone()
    db.close()
    items = [
        lead_item(1, "A999999", ghost),
        lead_item(2, "A999999"),
        lead_item(3, "A000010", badge(server_db, "A000011")),  # somebody else's badge
        lead_item(4, "A000010", forged),
        lead_item(5, "A000012", "REG-NOT-A-CODE"),
        {"id": "lead_edit:6", "kind": "lead_edit",
         "payload": {"exhibitor_id": EXHIBITOR, "attendee_id": "A000013", "at": AT, "rating": 5}},
        lead_item(7, plain[0], plain[1]),  # a plain code is its own proof
    ]
    answers = []
    for item in items:  # one at a time, with a fresh budget: refusals cost five tokens each
        sql(server_db).execute("DELETE FROM rate_buckets")
        answers += push(server, ex, [item])
    assert [(a["status"], a["reason"]) for a in answers] == [
        ("rejected", "unknown_attendee"), ("rejected", "no_badge_code"), ("rejected", "badge_of_another_attendee"),
        ("rejected", "badge_forged"), ("rejected", "badge_unknown"), ("rejected", "no_such_lead"),
        ("accepted", "")]
    rows = sql(server_db).execute("SELECT attendee_id FROM leads").fetchall()
    assert rows == [(plain[0],)]
    # sent again (answer lost), a refused item is refused again, never turned into a "duplicate"
    again = push(server, ex, [lead_item(2, "A999999")])
    assert again[0]["status"] == "rejected"


def test_lead_rate_limit_lives_in_the_database_and_defers_the_rest(server_db, server):
    ex = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    ids = [f"A{n:06d}" for n in range(100, 130)]
    items = [lead_item(n, a, badge(server_db, a)) for n, a in enumerate(ids)]
    answers = push(server, ex, items)
    statuses = [a["status"] for a in answers]
    assert statuses[:LEAD_BURST] == ["accepted"] * LEAD_BURST
    assert set(statuses[LEAD_BURST:]) == {"later"} and answers[-1]["detail"]["retry_after"] > 0
    assert server_leads(server_db) == LEAD_BURST
    # the budget is a row in the database, so another server process would see the same one
    row = sql(server_db).execute("SELECT tokens FROM rate_buckets WHERE kind = 'lead'").fetchone()
    assert row is not None and row[0] < 1
    # a deferred item was not remembered: sent again once tokens came back it is accepted
    sql(server_db).execute("UPDATE rate_buckets SET tokens = 20")
    again = push(server, ex, items[LEAD_BURST:])
    assert {a["status"] for a in again} == {"accepted"} and server_leads(server_db) == 30


def test_the_device_keeps_deferred_leads_and_shows_refused_ones(tmp_path, server_db, server):
    a = enrolled_kiosk(tmp_path / "a.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    SyncClient(a).round()
    set_leads_from_staff(a, True)  # every badge counts, whatever its type
    ctx = DeviceContext.from_store(a)
    for n in range(100, 125):
        assert check(a, badge(server_db, f"A{n:06d}"), ctx).status is Status.LEAD_SAVED
    result = SyncClient(a).round()
    assert result.push.accepted == LEAD_BURST and result.push.later >= 5
    assert a.sync.pending_count() == 5  # kept, not lost, not rejected
    sql(server_db).execute("UPDATE rate_buckets SET tokens = 20")
    SyncClient(a).round()
    assert a.sync.pending_count() == 0 and server_leads(server_db) == 25
    # a lead the server refuses is shown on the device (its rejected count), not silently dropped
    with a.transaction():
        from kiosk.identify import enqueue, utcnow

        enqueue(a, "lead", lead_item(1, "A000200")["payload"] | {"exhibitor_id": EXHIBITOR}, utcnow())
    SyncClient(a).round()
    assert SyncClient(a).status().rejected == 1
    a.close()


def checkin_item(record_id: str, attendee: str = "A000100", point: str = "entrance", when: str = AT) -> dict:
    payload = {"id": record_id, "event_id": "LSF2023", "attendee_id": attendee, "point_id": point,
               "direction": "entry", "device_time": when, "corrected_time": when, "source": "camera"}
    return {"id": f"checkin:{record_id}", "kind": "checkin", "payload": payload}


def test_desk_pushes_are_checked_against_the_event(server_db, server):
    desk = device_token(server_db, "desk", "Desk 1")
    answers = push(server, desk, [
        checkin_item("rec0000001", attendee="A999999"),
        checkin_item("rec0000002", point="no-such-door"),
        checkin_item("rec0000003", when="yesterday-ish"),
        {"id": "undo:1", "kind": "undo", "payload": {"checkin_id": "rec0000004", "at": "soon"}},
        checkin_item("rec0000005"),
    ])
    assert [(a["status"], a["reason"]) for a in answers] == [
        ("rejected", "unknown_attendee"), ("rejected", "unknown_point"), ("rejected", "bad_time"),
        ("rejected", "bad_time"), ("accepted", "")]
    assert [r[0] for r in sql(server_db).execute("SELECT id FROM checkins")] == ["rec0000005"]


def test_a_desk_device_sees_its_refused_check_in_with_the_reason(tmp_path, server_db, server):
    desk = enrolled_kiosk(tmp_path / "d.db", server_db, server.url, "desk", "Desk 1")
    with desk.transaction():
        from kiosk.identify import enqueue, utcnow

        enqueue(desk, "checkin", checkin_item("rec0000009", attendee="A999999")["payload"], utcnow(),
                item_id="rec0000009")
    SyncClient(desk).round()
    row = sql(desk).execute("SELECT state, result FROM outbox WHERE id = 'checkin:rec0000009'").fetchone()
    assert row[0] == "rejected" and "unknown_attendee" in row[1]
    desk.close()


def test_a_booth_without_the_attendee_list_saves_a_plain_code_and_names_it_after_sync(tmp_path, server_db, server):
    booth = enrolled_kiosk(tmp_path / "b.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    SyncClient(booth).round()
    assert booth.attendee_count() == 0
    plain = sql(server_db).execute("SELECT id, code, name FROM attendees WHERE code != '' "
                                   "AND badge_type = 'attendee' LIMIT 1").fetchone()
    ctx = DeviceContext.from_store(booth)
    verdict = check(booth, plain[1], ctx)
    assert verdict.status is Status.LEAD_SAVED and verdict.detail == "name_after_sync"
    assert check(booth, plain[1], ctx).status is Status.LEAD_UPDATED  # the same code finds the same lead
    assert check(booth, "REG-NOBODY", ctx).status is Status.LEAD_SAVED  # cannot be told apart offline
    rows = sql(booth).execute("SELECT attendee_id, name FROM leads").fetchall()
    assert all(a.startswith("code:") and plain[1] not in a for a, _ in rows) and {n for _, n in rows} == {""}
    SyncClient(booth).round()
    named = sql(booth).execute("SELECT attendee_id, name, scans FROM leads WHERE attendee_id = ?",
                               [plain[0]]).fetchone()
    assert named == (plain[0], plain[2], 2)
    # the made-up code was refused by the server, and the device says so
    assert SyncClient(booth).status().rejected == 1
    assert sql(server_db).execute("SELECT attendee_id FROM leads").fetchall() == [(plain[0],)]
    booth.close()


def test_the_capture_panel_says_name_after_sync(qapp):
    from kiosk.models import PersonRef, Verdict
    from ui.lead_texts import capture_texts

    verdict = Verdict(Status.LEAD_SAVED, PersonRef("code:x", "", "", "", "attendee"), "entrance",
                      detail="name_after_sync")
    title, text = capture_texts(verdict, None)
    assert title == "Lead saved, name after sync" and "next sync" in text
