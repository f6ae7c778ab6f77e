"""Shared set-up for the sync tests: a seeded server database, the real server, enrolled kiosks."""
from __future__ import annotations

from pathlib import Path

from kiosk.demo import seed_demo
from kiosk.store import Store
from sync import devices
from sync.client import enroll
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


def enrolled_kiosk(path: Path, server_db: Path, url: str, role: str = "desk", name: str = "Desk 1",
                   exhibitor: str | None = None) -> Store:
    store = Store(path)
    enroll(store, make_setup_code(url, register(server_db, role, name, exhibitor)))
    return store


def first_exhibitor(server_db: Path) -> str:
    db = ServerDB(server_db)
    try:
        return db.store.exhibitors()[0].id
    finally:
        db.close()
