"""Shared set-up for the sync tests: a seeded server database, the real server, enrolled kiosks."""
from __future__ import annotations

from pathlib import Path

from kiosk.store import Store
from sync import devices
from sync.demo import seed_demo
from sync.enrolment import enroll
from sync.protocol import make_setup_code
from sync.serverdb import ServerDB

EXHIBITOR = "EX01"


def seeded_server_db(path: Path, attendees: int = 300) -> Path:
    db = ServerDB(path)
    try:
        seed_demo(db, attendees)
    finally:
        db.close()
    return path


def register(server_db: Path, role: str = "desk", name: str = "Desk 1", exhibitor: str | None = None) -> str:
    """A setup token for a new device (the one-time half of a setup code)."""
    db = ServerDB(server_db)
    try:
        return devices.register(db, role, name, exhibitor)[1]
    finally:
        db.close()


def device_token(server_db: Path, role: str = "desk", name: str = "Desk 1", exhibitor: str | None = None) -> str:
    """A long-lived device token, enrolled directly in the database (for raw HTTP tests)."""
    db = ServerDB(server_db)
    try:
        _, setup = devices.register(db, role, name, exhibitor)
        return devices.exchange(db, setup)[1]
    finally:
        db.close()


def badge(server_db: Path, attendee_id: str) -> str:
    db = ServerDB(server_db)
    try:
        return db.badge_code(db.store.attendee(attendee_id))
    finally:
        db.close()


def bundle_root(path: Path) -> str:
    """The fingerprint of the root a bundle is signed by, for tests that are not about trust."""
    from kiosk import trust
    from kiosk.bundle import read_bundle

    return trust.fingerprint(read_bundle(Path(path))[1])


def root_fingerprint(server_db: Path) -> str:
    db = ServerDB(server_db)
    try:
        return db.trust_root().fingerprint
    finally:
        db.close()


def setup_code(server_db: Path, url: str, role: str = "desk", name: str = "Desk 1", exhibitor: str | None = None,
               tls: str | None = None) -> str:
    """What `kiosk-server enroll` prints: address, one-time token, event root and certificate pin."""
    return make_setup_code(url, register(server_db, role, name, exhibitor), root=root_fingerprint(server_db), tls=tls)


def enrolled_kiosk(path: Path, server_db: Path, url: str, role: str = "desk", name: str = "Desk 1",
                   exhibitor: str | None = None, tls: str | None = None) -> Store:
    store = Store(path)
    enroll(store, setup_code(server_db, url, role, name, exhibitor, tls))
    return store


def first_exhibitor(server_db: Path) -> str:
    db = ServerDB(server_db)
    try:
        return db.store.exhibitors()[0].id
    finally:
        db.close()


def queue_scans(store: Store, n: int, attendees: int = 300, point: str = "entrance") -> list[str]:
    """n confirmed entries waiting in the outbox, written the way check() writes them (fast, in bulk)."""
    from datetime import datetime, timedelta, timezone

    from kiosk.checkin import iso, new_id

    device = store.get_meta("device_id")
    base = datetime.now(timezone.utc)
    ids = []
    with store.transaction():
        for i in range(n):
            at = iso(base + timedelta(milliseconds=i))
            row = {"id": new_id(), "event_id": "LSF2023", "attendee_id": f"A{(i % attendees) + 1:06d}",
                   "point_id": point, "direction": "entry" if (i // attendees) % 2 == 0 else "exit",
                   "device_id": device, "device_time": at, "corrected_time": at, "source": "camera",
                   "name": "Test", "name_zh": "", "organisation": "", "badge_type": "attendee", "undone": 0}
            store.checkins.record(row)
            store.outbox.add("checkin", row, at, row["id"])
            ids.append(row["id"])
    return ids


def server_checkin_ids(server_db: Path) -> list[str]:
    import sqlite3

    con = sqlite3.connect(server_db, timeout=30)
    try:
        return [r[0] for r in con.execute("SELECT id FROM checkins")]
    finally:
        con.close()
