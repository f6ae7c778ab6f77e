"""The central server over real HTTP on 127.0.0.1: enrolment, scopes, hostile requests, pull pages."""
from __future__ import annotations

import gzip
import json
import sqlite3

import pytest
import requests

from entrypoints import server_cli as admin
from sync.protocol import API, parse_setup_code
from sync.server import EmbeddedServer
from sync.serverdb import ServerDB
from tests.helpers_sync import EXHIBITOR, device_token, register
from tests.sql import sql


def auth(token: str) -> dict:
    return {"Authorization": f"Device {token}"}


def snapshot(path) -> dict:
    """Everything a hostile request could have changed."""
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("checkins", "leads", "lead_notes", "scan_log", "conflicts", "received", "devices",
                          "attendees")} | {"max_seq": con.execute("SELECT max(seq) FROM changes").fetchone()[0]}
    finally:
        con.close()


def checkin_item(record_id: str, attendee: str = "A000100", device: str = "x") -> dict:
    payload = {"id": record_id, "event_id": "LSF2023", "attendee_id": attendee, "point_id": "entrance",
               "direction": "entry", "device_id": device, "device_time": "2026-05-01T09:00:00.000+00:00",
               "corrected_time": "2026-05-01T09:00:00.000+00:00", "source": "camera", "name": "N",
               "name_zh": "", "organisation": "", "badge_type": "attendee", "undone": 0}
    return {"id": f"checkin:{record_id}", "kind": "checkin", "payload": payload}


def test_enroll_command_prints_a_setup_code_and_qr_that_work_once(server_db, server, tmp_path, capsys):
    qr = tmp_path / "setup.png"
    rc = admin.main(["enroll", "--db", str(server_db), "--role", "desk", "--name", "Desk 2", "--url", server.url,
                     "--qr", str(qr)])
    assert rc == 0
    code = capsys.readouterr().out.strip()
    url, token = parse_setup_code(code)
    assert url == server.url and qr.stat().st_size > 200
    first = requests.post(f"{server.url}{API}/enroll", json={"token": token}, timeout=5)
    assert first.status_code == 200
    body = first.json()
    assert body["role"] == "desk" and body["name"] == "Desk 2" and len(body["api_token"]) >= 40
    again = requests.post(f"{server.url}{API}/enroll", json={"token": token}, timeout=5)
    assert again.status_code == 403
    # the token is stored hashed, never as given
    con = sqlite3.connect(server_db)
    stored = [r[0] for r in con.execute("SELECT token_hash FROM devices WHERE token_hash IS NOT NULL")]
    con.close()
    assert stored and body["api_token"] not in stored
    ok = requests.get(f"{server.url}{API}/time", headers=auth(body["api_token"]), timeout=5)
    assert ok.status_code == 200 and ok.json()["name"] == "Desk 2"


def test_enroll_command_refuses_bad_input(server_db, capsys):
    assert admin.main(["enroll", "--db", str(server_db), "--role", "exhibitor", "--name", "Booth"]) == 1
    assert "--exhibitor" in capsys.readouterr().err
    assert admin.main(["enroll", "--db", str(server_db), "--role", "exhibitor", "--name", "B",
                       "--exhibitor", "NOPE"]) == 1
    assert "no exhibitor" in capsys.readouterr().err


def test_every_endpoint_needs_a_token_and_revoked_devices_are_out(server_db, server):
    for method, path in (("get", "/time"), ("get", "/pull"), ("post", "/push"), ("post", "/checkin"),
                         ("get", f"/leads/{EXHIBITOR}.csv")):
        r = requests.request(method, f"{server.url}{API}{path}", json={}, timeout=5)
        assert r.status_code == 401, path
        r = requests.request(method, f"{server.url}{API}{path}", json={}, headers=auth("forged-token"), timeout=5)
        assert r.status_code == 401, path
    token = device_token(server_db)
    assert requests.get(f"{server.url}{API}/time", headers=auth(token), timeout=5).status_code == 200
    db = ServerDB(server_db)
    from sync import devices

    dev = [d for d in devices.list_devices(db)][-1]
    devices.revoke(db, dev.id)
    db.close()
    assert requests.get(f"{server.url}{API}/time", headers=auth(token), timeout=5).status_code == 401


def test_hostile_requests_get_4xx_and_change_nothing(server_db, server):
    desk = device_token(server_db, "desk", "Desk 1")
    mine = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    theirs = device_token(server_db, "exhibitor", "Booth B", "EX02")
    before = snapshot(server_db)
    lead = {"id": "lead:1", "kind": "lead", "payload": {
        "id": "L1", "exhibitor_id": EXHIBITOR, "attendee_id": "A000100", "name": "X",
        "created_at": "2026-05-01T09:00:00+00:00", "tags": []}}
    attempts = [
        ("post", "/push", theirs, {"items": [lead]}, 403),  # another exhibitor's lead
        ("get", f"/leads/{EXHIBITOR}.csv", theirs, None, 403),  # another exhibitor's leads
        ("get", f"/leads/{EXHIBITOR}.xlsx", desk, None, 403),
        ("post", "/push", mine, {"items": [checkin_item("abcdef12")]}, 403),  # exhibitors do not check in
        ("post", "/push", desk, {"items": [lead]}, 403),
        ("post", "/push", desk, {"items": "nope"}, 422),
        ("post", "/push", desk, {"items": [{"id": "checkin:1", "kind": "checkin", "payload": {"id": 1}}]}, 422),
        ("post", "/push", desk, {"items": [{**checkin_item("r1"), "id": "checkin:other"}]}, 422),
        ("post", "/push", desk, {"items": [{"id": "x:1", "kind": "drop_tables", "payload": {}}]}, 422),
        ("post", "/checkin", desk, {"code": "x", "record_id": "bad id!", "device_time": "now"}, 422),
        ("post", "/checkin", desk, {"code": "x", "record_id": "abcdef1234", "device_time": "yesterday"}, 422),
        ("post", "/checkin", desk, {"code": "x", "record_id": "abcdef1234", "device_time": "2026-05-01T09:00:00",
                                    "point_id": "no-such-point"}, 422),
        ("post", "/checkin", mine, {"code": "x", "record_id": "abcdef1234", "device_time": "2026-05-01T09:00:00"},
         403),
        ("get", "/pull?cursor=-5", desk, None, 422),
        ("get", "/pull?limit=999999999", desk, None, 422),
        ("post", "/enroll", None, {"token": "x" * 5000}, 422),
        ("post", "/enroll", None, {"token": "not-a-real-token"}, 403),
    ]
    for method, path, token, body, expected in attempts:
        r = requests.request(method, f"{server.url}{API}{path}", json=body, timeout=10,
                             headers=auth(token) if token else {})
        assert r.status_code == expected, (path, body, r.status_code, r.text[:200])
    # not JSON at all, and an enormous body (declared, and streamed without a length)
    r = requests.post(f"{server.url}{API}/push", data=b"\xff\xfe{{{", headers=auth(desk), timeout=10)
    assert r.status_code == 422
    huge = b'{"items": [' + b" " * (9 * 1024 * 1024) + b"]}"
    r = requests.post(f"{server.url}{API}/push", data=huge, timeout=30,
                      headers={**auth(desk), "Content-Type": "application/json"})
    assert r.status_code == 413

    def chunks():
        yield b'{"items": ['
        for _ in range(100):
            yield b" " * 100_000
        yield b"]}"

    r = requests.post(f"{server.url}{API}/push", data=chunks(), timeout=30,
                      headers={**auth(desk), "Content-Type": "application/json"})
    assert r.status_code == 413
    after = snapshot(server_db)
    assert {k: v for k, v in after.items() if k not in ("devices", "max_seq")} == \
           {k: v for k, v in before.items() if k not in ("devices", "max_seq")}


def test_push_answers_each_item_and_is_idempotent(server_db, server):
    desk = device_token(server_db, "desk", "Desk 1")
    items = [checkin_item("rec000001", "A000100"), checkin_item("rec000002", "A000101")]
    r = requests.post(f"{server.url}{API}/push", json={"items": items}, headers=auth(desk), timeout=5)
    assert [x["status"] for x in r.json()["results"]] == ["accepted", "accepted"]
    r = requests.post(f"{server.url}{API}/push", json={"items": items}, headers=auth(desk), timeout=5)
    assert [x["status"] for x in r.json()["results"]] == ["duplicate", "duplicate"]
    db = ServerDB(server_db)
    assert db.stats()["scans"] == 2
    # the server records who sent it, whatever the payload claims
    assert {r[0] for r in sql(db).execute("SELECT device_id FROM checkins")} != {"x"}
    db.close()


def test_second_device_entry_is_stored_as_a_conflict_and_counted(server_db, server, capsys):
    one = device_token(server_db, "desk", "Desk 1")
    two = device_token(server_db, "desk", "Desk 2")
    r1 = requests.post(f"{server.url}{API}/push", json={"items": [checkin_item("first0001")]}, headers=auth(one),
                       timeout=5)
    assert r1.json()["results"][0]["status"] == "accepted"
    r2 = requests.post(f"{server.url}{API}/push", json={"items": [checkin_item("second001")]}, headers=auth(two),
                       timeout=5)
    res = r2.json()["results"][0]
    assert res["status"] == "conflict" and res["reason"] == "already_checked_in"
    assert res["detail"]["other_device_name"] == "Desk 1" and res["detail"]["other_record"] == "first0001"
    assert admin.main(["stats", "--db", str(server_db)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["conflicts"] == 1 and stats["scans"] == 2 and stats["checked_in"] == 1


def test_pull_pages_are_gzip_resumable_and_scoped(server_db, server):
    desk = device_token(server_db, "desk", "Desk 1")
    raw = requests.get(f"{server.url}{API}/pull", params={"limit": 100}, headers=auth(desk), timeout=5, stream=True)
    assert raw.headers["content-encoding"] == "gzip"
    first = json.loads(gzip.decompress(raw.raw.read()))
    assert first["more"] and first["remaining"] > 0 and first["event"]["event"]["id"] == "LSF2023"
    seen, cursor, pages = set(), 0, 0
    while True:
        body = requests.get(f"{server.url}{API}/pull", params={"cursor": cursor, "limit": 100}, headers=auth(desk),
                            timeout=5).json()
        if body["cursor"] == cursor:
            break
        seen |= {a[0] for a in body.get("attendees", [])}
        cursor, pages = body["cursor"], pages + 1
        if not body["more"]:
            break
    assert len(seen) == 300 and pages >= 3
    # nothing new: same cursor back, nothing else
    empty = requests.get(f"{server.url}{API}/pull", params={"cursor": cursor}, headers=auth(desk), timeout=5).json()
    assert empty["cursor"] == cursor and not empty["more"] and "attendees" not in empty
    # an exhibitor device never receives the attendee list or check-ins
    ex = device_token(server_db, "exhibitor", "Booth A", EXHIBITOR)
    body = requests.get(f"{server.url}{API}/pull", params={"limit": 20000}, headers=auth(ex), timeout=5).json()
    assert "attendees" not in body and "checkins" not in body
    assert body["keys"] and body["event"]


def test_key_rotation_and_revocations_reach_devices(server_db, server):
    desk = device_token(server_db, "desk", "Desk 1")
    body = requests.get(f"{server.url}{API}/pull", params={"limit": 20000}, headers=auth(desk), timeout=5).json()
    cursor = body["cursor"]
    db = ServerDB(server_db)
    old = db.signing_key().key_id
    new = db.rotate_key().key_id
    db.retire_key(old)
    db.revoke("A000150", 0, "lost")
    db.close()
    body = requests.get(f"{server.url}{API}/pull", params={"cursor": cursor}, headers=auth(desk), timeout=5).json()
    keys = {k["key_id"]: k["valid"] for k in body["keys"]}
    assert keys == {old: 0, new: 1}
    assert any(r["attendee_id"] == "A000150" and r["reason"] == "lost" for r in body["revocations"])


def test_openapi_is_published(server):
    spec = requests.get(f"{server.url}/openapi.json", timeout=5).json()
    assert {f"{API}/pull", f"{API}/push", f"{API}/enroll", f"{API}/checkin"} <= set(spec["paths"])


def test_embedded_server_stops_and_frees_its_port(server_db):
    srv = EmbeddedServer(server_db).start()
    url = srv.url
    assert requests.get(f"{url}/openapi.json", timeout=5).status_code == 200
    srv.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/openapi.json", timeout=2)


def test_setup_token_from_register_is_single_use(server_db, server):
    token = register(server_db, "desk", "Desk 9")
    assert requests.post(f"{server.url}{API}/enroll", json={"token": token}, timeout=5).status_code == 200
    assert requests.post(f"{server.url}{API}/enroll", json={"token": token}, timeout=5).status_code == 403


def test_devices_can_be_listed_and_revoked_from_the_command_line(server_db, server, capsys):
    token = device_token(server_db, "desk", "Desk 7")
    assert admin.main(["devices", "--db", str(server_db)]) == 0
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if "Desk 7" in x]
    assert line["role"] == "desk" and not line["revoked"]
    assert admin.main(["revoke-device", line["id"], "--db", str(server_db)]) == 0
    assert requests.get(f"{server.url}{API}/time", headers=auth(token), timeout=5).status_code == 401
    capsys.readouterr()
    assert admin.main(["revoke-device", "dev-nope", "--db", str(server_db)]) == 1
    assert "no device" in capsys.readouterr().err
