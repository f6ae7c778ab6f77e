"""Check-in records on the server: the lookups and writes that pushes and the online check need."""
from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils


class Checkins:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def record(self, record_id: str, fields: Sequence[str]) -> dict | None:
        """One check-in record as {field: value}, or None."""
        row = self._db.execute(f"SELECT {', '.join(fields)} FROM checkins WHERE id = ?", [record_id]).fetchone()
        return dict(zip(fields, row)) if row else None

    def exists(self, record_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM checkins WHERE id = ?", [record_id]).fetchone() is not None

    def owner(self, record_id: str) -> str | None:
        """The device that made this record, or None if there is no such record."""
        row = self._db.execute("SELECT device_id FROM checkins WHERE id = ?", [record_id]).fetchone()
        return row[0] if row else None

    def add(self, record: dict) -> None:
        self._db["checkins"].insert(record)

    def mark_undone(self, record_id: str) -> None:
        self._db.execute("UPDATE checkins SET undone = 1 WHERE id = ?", [record_id])

    def neighbour(self, attendee_id: str, point_id: str, at: str, not_id: str,
                  before: bool) -> tuple[str, str, str, str] | None:
        """(id, device_id, corrected_time, direction) of the valid record of this attendee at this point
        next to time `at`: the latest at or before it, or (before=False) the earliest after it."""
        op, order = ("<=", "DESC") if before else (">", "ASC")
        return self._db.execute(
            f"SELECT id, device_id, corrected_time, direction FROM checkins WHERE attendee_id = ? AND point_id = ? "
            f"AND undone = 0 AND id != ? AND corrected_time {op} ? ORDER BY corrected_time {order} LIMIT 1",
            [attendee_id, point_id, not_id, at]).fetchone()

    def revocations(self, event_id: str, attendee_id: str, issues: Sequence[int]) -> list[tuple[int, str, str]]:
        """(issue, reason, created_at) of the attendee's revocations of these issues, oldest first."""
        return self._db.execute(
            f"SELECT issue, reason, created_at FROM revocations WHERE event_id = ? AND attendee_id = ? "
            f"AND issue IN ({','.join('?' * len(issues))}) ORDER BY created_at",
            [event_id, attendee_id, *issues]).fetchall()

    def log_scan(self, scan_id: str, event_id: str | None, status: str, attendee_id: str | None,
                 point_id: str | None, direction: str | None, device_id: str, device_time: str | None,
                 detail: str | None, handoff: str | None) -> None:
        """Keep a device's scan-log line (refusals too, for hand-off lookups); a repeat is ignored."""
        self._db.execute(
            "INSERT OR IGNORE INTO scan_log(id, event_id, status, attendee_id, point_id, direction, device_id, "
            "device_time, detail, handoff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [scan_id, event_id, status, attendee_id, point_id, direction, device_id, device_time, detail, handoff])
