"""What devices pushed: the ids of items already applied (the idempotency keys) and the conflicts found."""
from __future__ import annotations

import sqlite_utils


class Pushes:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def status(self, item_id: str) -> str | None:
        """How an item with this id was answered the first time, or None if it is new."""
        row = self._db.execute("SELECT status FROM received WHERE id = ?", [item_id]).fetchone()
        return row[0] if row else None

    def record(self, item_id: str, device_id: str, kind: str, status: str, at: str) -> None:
        """Remember an applied item, so that sending it again changes nothing. The first answer stays."""
        self._db.execute(
            "INSERT OR IGNORE INTO received(id, device_id, kind, status, received_at) VALUES (?, ?, ?, ?, ?)",
            [item_id, device_id, kind, status, at])

    def save_conflict(self, conflict: dict) -> None:
        """Insert or replace one conflict row (by its id) for the staff devices' conflict list."""
        self._db["conflicts"].upsert(conflict, pk="id")
