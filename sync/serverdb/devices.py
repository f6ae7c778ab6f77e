"""The server's device register: enrolment, token lookup, revocation, the device list.

Tokens and setup codes arrive here already hashed (sync.devices decides how); this area
only stores and finds them.
"""
from __future__ import annotations

from typing import NamedTuple

import sqlite_utils


class DeviceRow(NamedTuple):
    id: str
    name: str
    role: str
    exhibitor_id: str | None
    revoked: bool
    setup_expires: str | None = None


_COLS = "id, name, role, exhibitor_id, revoked"


def _row(r) -> DeviceRow:
    return DeviceRow(r[0], r[1], r[2], r[3], bool(r[4]), *r[5:])


class Devices:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def add(self, device_id: str, name: str, role: str, exhibitor_id: str | None, setup_hash: str,
            created_at: str, setup_expires: str) -> None:
        """A new device waiting for its setup code to be exchanged."""
        self._db["devices"].insert({
            "id": device_id, "name": name, "role": role, "exhibitor_id": exhibitor_id,
            "setup_hash": setup_hash, "created_at": created_at, "setup_expires": setup_expires, "revoked": 0})

    def register_again(self, device_id: str, name: str, role: str, exhibitor_id: str | None, setup_hash: str,
                       created_at: str, setup_expires: str) -> None:
        """The device under the same id, as new: its name, role and exhibitor, a new setup code; its old
        token and any revocation are gone. A device that is not here yet is added as by `add`."""
        self._db.execute(
            "INSERT INTO devices(id, name, role, exhibitor_id, setup_hash, created_at, setup_expires, revoked) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "role = excluded.role, exhibitor_id = excluded.exhibitor_id, setup_hash = excluded.setup_hash, "
            "setup_expires = excluded.setup_expires, token_hash = NULL, revoked = 0",
            [device_id, name, role, exhibitor_id, setup_hash, created_at, setup_expires])

    def by_setup_hash(self, setup_hash: str) -> DeviceRow | None:
        """The device a setup code belongs to, with the code's expiry."""
        row = self._db.execute(f"SELECT {_COLS}, setup_expires FROM devices WHERE setup_hash = ?",
                               [setup_hash]).fetchone()
        return _row(row) if row else None

    def enrol(self, device_id: str, token_hash: str, at: str) -> None:
        """Give the device its long-lived token; the setup code stops working."""
        self._db.execute("UPDATE devices SET token_hash = ?, setup_hash = NULL, enrolled_at = ? WHERE id = ?",
                         [token_hash, at, device_id])

    def by_token_hash(self, token_hash: str) -> DeviceRow | None:
        row = self._db.execute(f"SELECT {_COLS} FROM devices WHERE token_hash = ?", [token_hash]).fetchone()
        return _row(row) if row else None

    def revoke(self, device_id: str) -> bool:
        """Mark the device revoked (and drop an unused setup code); False if there is no such device."""
        cur = self._db.execute("UPDATE devices SET revoked = 1, setup_hash = NULL WHERE id = ?", [device_id])
        return cur.rowcount > 0

    def all(self) -> list[DeviceRow]:
        """Every device, oldest first."""
        return [_row(r) for r in self._db.execute(f"SELECT {_COLS} FROM devices ORDER BY created_at, id")]

    def name(self, device_id: str) -> str | None:
        row = self._db.execute("SELECT name FROM devices WHERE id = ?", [device_id]).fetchone()
        return row[0] if row else None

    def set_health(self, device_id: str, health_json: str, at: str) -> None:
        """What the device last said of its health (sync.protocol.parse_health, as JSON)."""
        self._db.execute("UPDATE devices SET health = ?, health_at = ? WHERE id = ?", [health_json, at, device_id])

    def health(self) -> dict[str, tuple[str, str]]:
        """device id -> (health JSON, when reported), for the devices that reported any."""
        rows = self._db.execute("SELECT id, health, health_at FROM devices WHERE health IS NOT NULL")
        return {r[0]: (r[1], r[2] or "") for r in rows}

    def touch(self, device_id: str, at: str) -> None:
        """Remember when the device last pushed."""
        self._db.execute("UPDATE devices SET last_seen = ? WHERE id = ?", [at, device_id])
