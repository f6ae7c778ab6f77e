"""Exhibitor logos, kept in the database so they travel with the event (bundle, sync) to every kiosk.

Only images already checked and shrunk by the importer (sync/exhibitors.py) are stored here."""
from __future__ import annotations

import hashlib

import sqlite_utils


class Logos:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def save(self, exhibitor_id: str, mime: str, data: bytes) -> None:
        """Store or replace one logo; an unchanged image is not written (no needless sync)."""
        digest = hashlib.sha256(data).hexdigest()
        if self._db.execute("SELECT 1 FROM logos WHERE exhibitor_id = ? AND sha256 = ?",
                            [exhibitor_id, digest]).fetchone():
            return
        self._db.execute("INSERT INTO logos(exhibitor_id, mime, data, sha256) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(exhibitor_id) DO UPDATE SET mime = excluded.mime, data = excluded.data, "
                         "sha256 = excluded.sha256", [exhibitor_id, mime, data, digest])

    def delete(self, exhibitor_id: str) -> None:
        self._db.execute("DELETE FROM logos WHERE exhibitor_id = ?", [exhibitor_id])

    def get(self, exhibitor_id: str) -> tuple[str, bytes] | None:
        row = self._db.execute("SELECT mime, data FROM logos WHERE exhibitor_id = ?", [exhibitor_id]).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def all(self) -> dict[str, tuple[str, bytes]]:
        return {r[0]: (r[1], bytes(r[2])) for r in self._db.execute(
            "SELECT exhibitor_id, mime, data FROM logos ORDER BY exhibitor_id")}
