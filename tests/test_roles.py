"""Each role gets only what it needs (issue 14, item 4): the pull feed, role bundles, and the purge
a device already holding too much does at its next sync. The files are read as an operator would."""
from __future__ import annotations

import requests

from kiosk.bundle import export_bundle, load_bundle
from kiosk.store import Store
from sync.protocol import API
from sync.rounds import SyncClient
from sync.serverdb import ServerDB
from tests.helpers_sync import EXHIBITOR, device_token, enrolled_kiosk
from tests.sql import sql

CONTACT = ("title", "email", "phone")


def file_text(path) -> bytes:
    """The database file and its write-ahead log, as raw bytes (deleted rows linger in free pages)."""
    out = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    return out + (wal.read_bytes() if wal.exists() else b"")


def export(server_db, out, role: str | None = None) -> str:
    """A bundle of the server's event (for `role`, or everything); returns the root's fingerprint."""
    db = ServerDB(server_db)
    try:
        return export_bundle(db.store, out, db.trust_root(), pins=db.event_setup.pins(), role=role)["root"]
    finally:
        db.close()


def emails(server_db) -> list[str]:
    return [r[0] for r in sql(server_db).execute("SELECT email FROM attendees WHERE email != ''")]


def test_the_pull_feed_strips_fields_per_role(server_db, server):
    def attendee_fields(role):
        token = device_token(server_db, role, f"{role} 1", EXHIBITOR if role == "exhibitor" else None)
        body = requests.get(f"{server.url}{API}/pull", params={"limit": 20000},
                            headers={"Authorization": f"Device {token}"}, timeout=30).json()
        return body.get("attendee_fields"), body.get("attendees")

    desk_fields, desk_rows = attendee_fields("desk")
    assert set(CONTACT) <= set(desk_fields) and len(desk_rows) == 300
    kiosk_fields, kiosk_rows = attendee_fields("attendee")
    assert len(kiosk_rows) == 300 and not set(kiosk_fields) & {*CONTACT, "consent", "attention"}
    assert "@" not in str(kiosk_rows)
    assert attendee_fields("exhibitor") == (None, None)


def test_an_attendee_kiosk_file_holds_no_contact_data_after_a_sync(tmp_path, server_db, server):
    kiosk = enrolled_kiosk(tmp_path / "public.db", server_db, server.url, "attendee", "Hall kiosk")
    SyncClient(kiosk).round()
    assert kiosk.attendee_count() == 300
    row = sql(kiosk).execute("SELECT count(*) FROM attendees WHERE email != '' OR phone != '' OR title != '' "
                             "OR consent != 0 OR attention != ''").fetchone()
    assert row[0] == 0
    raw = file_text(kiosk.path)
    assert not [e for e in emails(server_db) if e.encode() in raw]
    kiosk.close()


def test_an_attendee_kiosk_enrolled_before_purges_at_its_next_sync(tmp_path, server_db, server):
    """A kiosk set up with a full bundle (as every one was before) holds everyone's e-mail and phone;
    its next sync removes them from the file, free pages and write-ahead log included."""
    root = export(server_db, tmp_path / "full.bundle")
    kiosk = enrolled_kiosk(tmp_path / "public.db", server_db, server.url, "attendee", "Hall kiosk")
    kiosk.set_meta("role", "desk")  # as it was loaded before the rule: a full desk bundle
    load_bundle(tmp_path / "full.bundle", kiosk, root)
    assert sql(kiosk).execute("SELECT count(*) FROM attendees WHERE email != ''").fetchone()[0] > 0
    kiosk.set_meta("role", "attendee")
    SyncClient(kiosk).round()
    assert sql(kiosk).execute("SELECT count(*) FROM attendees WHERE email != '' OR phone != ''").fetchone()[0] == 0
    kiosk.close()
    raw = file_text(tmp_path / "public.db")
    assert not [e for e in emails(server_db) if e.encode() in raw]


def test_an_exhibitor_device_purges_the_attendee_list_and_other_exhibitors_leads(tmp_path, server_db, server):
    root = export(server_db, tmp_path / "full.bundle")
    booth = enrolled_kiosk(tmp_path / "booth.db", server_db, server.url, "exhibitor", "Booth 1", EXHIBITOR)
    booth.set_meta("role", "desk")
    load_bundle(tmp_path / "full.bundle", booth, root)
    booth.leads.add({"id": "other", "exhibitor_id": "EX02", "attendee_id": "A000001", "name": "Someone",
                     "created_at": "2026-05-01T10:00:00+00:00", "tags": "[]"})
    booth.set_meta("role", "exhibitor")
    SyncClient(booth).round()
    assert booth.attendee_count() == 0
    assert sql(booth).execute("SELECT count(*) FROM leads WHERE exhibitor_id != ?", [EXHIBITOR]).fetchone()[0] == 0
    booth.close()
    assert not [e for e in emails(server_db) if e.encode() in file_text(tmp_path / "booth.db")]


def test_role_bundles_carry_only_the_roles_part(tmp_path, server_db):
    for role in ("attendee", "exhibitor", "desk"):
        root = export(server_db, tmp_path / f"{role}.bundle", role)
    public = Store(tmp_path / "public.db")
    summary = load_bundle(tmp_path / "attendee.bundle", public, root)
    assert summary["role"] == "attendee" and summary["attendees"] == 300
    assert sql(public).execute("SELECT count(*) FROM attendees WHERE email != '' OR phone != ''").fetchone()[0] == 0
    booth = Store(tmp_path / "booth.db")
    assert load_bundle(tmp_path / "exhibitor.bundle", booth, root)["attendees"] == 0 and booth.attendee_count() == 0
    desk = Store(tmp_path / "desk.db")
    load_bundle(tmp_path / "desk.bundle", desk, root)
    assert sql(desk).execute("SELECT count(*) FROM attendees WHERE email != ''").fetchone()[0] > 0
    # a full bundle loaded on a public kiosk keeps only the kiosk's part
    export(server_db, tmp_path / "full.bundle")
    load_bundle(tmp_path / "full.bundle", public, root)
    assert sql(public).execute("SELECT count(*) FROM attendees WHERE email != ''").fetchone()[0] == 0
    for s in (public, booth, desk):
        s.close()
