"""The demo event: seeding a server database and setting up a ready-to-use kiosk database."""
from __future__ import annotations

from datetime import date as Date
from pathlib import Path

from kiosk import eventdata, paths
from kiosk.demopeople import generate_attendees

# a few people the demo shows off: a revoked badge and a reprinted one
DEMO_REVOKED = "A000013"
DEMO_REPRINTED = "A000021"


def seed_demo(server_db, attendees: int = 2000, on_date: Date | None = None) -> dict:
    """Create (or refresh) the demo event in a server database; deterministic for a given N."""
    data = eventdata.load_event(paths.demo() / "event.json", on_date)
    store = server_db.store
    eventdata.save_to_store(store, data)
    hall = paths.demo() / "hall.json"
    if hall.exists():
        store.set_meta("hall", hall.read_text(encoding="utf-8"))
    server_db.signing_key()
    orgs = [(e.name, e.name_zh) for e in data.exhibitors]
    count = server_db.upsert_attendees(generate_attendees(attendees, exhibitor_orgs=orgs))
    if attendees >= 21:
        server_db.revoke(DEMO_REVOKED, 0, "lost")
        if server_db.store.attendee(DEMO_REPRINTED).badge_issue == 1:
            server_db.reprint(DEMO_REPRINTED)
    return {"event": data.event.id, "attendees": count, "exhibitors": len(data.exhibitors),
            "sessions": len(data.sessions)}


def prepare_demo(data_dir: Path, attendees: int = 2000) -> Path:
    """A server database seeded for today and a kiosk database loaded from its bundle."""
    from kiosk.bundle import export_bundle, load_bundle
    from kiosk.store import Store
    from sync.serverdb import ServerDB

    data_dir.mkdir(parents=True, exist_ok=True)
    server_path = data_dir / "server.db"
    server = ServerDB(server_path)
    try:
        if server.store.event() is None or server.store.event().date != Date.today().isoformat():
            seed_demo(server, attendees, Date.today())
        bundle = data_dir / "demo.bundle"
        export_bundle(server.store, bundle)
    finally:
        server.close()
    kiosk_path = data_dir / "kiosk.db"
    store = Store(kiosk_path)
    try:
        load_bundle(bundle, store)
    finally:
        store.close()
    return kiosk_path
