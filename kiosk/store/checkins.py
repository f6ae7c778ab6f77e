"""Check-ins and the scan log: what each door accepted or refused, and the figures read from them.

The rules that decide a scan live in kiosk.checkin; this area only records and reads. A
record is written inside the caller's transaction, beside its outbox row (docs/sync.md).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from kiosk.models import PersonRef


def _marks(values: Sequence) -> str:
    """Placeholders for an IN list; an empty list matches nothing (`IN ('')`)."""
    return ",".join("?" * len(values)) or "''"


class Checkins:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    # -- writes (inside the caller's transaction, with the outbox row) -------------------------
    def record(self, row: dict) -> None:
        """An accepted check-in, as check() built it."""
        self._db["checkins"].insert(row)

    def log_scan(self, row: dict) -> None:
        """A scan that made no record (a refusal, or already inside), kept for hand-off look-ups."""
        self._db["scan_log"].insert(row)

    def latest_of_device(self, device_id: str) -> tuple[str, PersonRef, str] | None:
        """(check-in id, person, point id) of this device's most recent record not undone yet."""
        row = self._db.execute(
            "SELECT id, attendee_id, name, name_zh, organisation, badge_type, point_id FROM checkins "
            "WHERE device_id = ? AND undone = 0 ORDER BY rowid DESC LIMIT 1", [device_id]).fetchone()
        if row is None:
            return None
        return row[0], PersonRef(row[1], row[2] or "", row[3] or "", row[4] or "", row[5] or ""), row[6]

    def mark_undone(self, checkin_id: str) -> None:
        """Annul a record; it stays in the table (and on the server) flagged, never deleted."""
        self._db.execute("UPDATE checkins SET undone = 1 WHERE id = ?", [checkin_id])

    # -- reads ----------------------------------------------------------------------------------
    def last_at_point(self, attendee_id: str, point_id: str) -> tuple[str, str, str] | None:
        """(direction, corrected_time, device_id) of the person's latest valid record here, or None."""
        row = self._db.execute(
            "SELECT direction, corrected_time, device_id FROM checkins WHERE attendee_id = ? AND point_id = ? "
            "AND undone = 0 ORDER BY corrected_time DESC, rowid DESC LIMIT 1",
            [attendee_id, point_id]).fetchone()
        return tuple(row) if row else None

    def expected_by_type(self) -> dict[str, int]:
        """Attendees registered, by badge type: what the counts are out of."""
        return dict(self._db.execute("SELECT badge_type, count(*) FROM attendees GROUP BY badge_type").fetchall())

    def arrived_by_type(self, point_ids: Sequence[str]) -> dict[str, int]:
        """Distinct people with a valid entry at any of these points, by badge type."""
        return dict(self._db.execute(
            f"SELECT badge_type, count(DISTINCT attendee_id) FROM checkins WHERE undone = 0 "
            f"AND direction = 'entry' AND point_id IN ({_marks(point_ids)}) GROUP BY badge_type",
            list(point_ids)).fetchall())

    def arrived_since(self, point_ids: Sequence[str], since: str) -> int:
        """Distinct people with a valid entry at any of these points at or after `since` (ISO)."""
        return self._db.execute(
            f"SELECT count(DISTINCT attendee_id) FROM checkins WHERE undone = 0 AND direction = 'entry' "
            f"AND point_id IN ({_marks(point_ids)}) AND corrected_time >= ?", [*point_ids, since]).fetchone()[0]

    def inside(self, point_ids: Sequence[str]) -> int:
        """People whose latest valid scan at any of these points (a room's doors) was an entry."""
        return self._db.execute(
            f"SELECT count(*) FROM (SELECT attendee_id, direction, max(corrected_time) FROM checkins "
            f"WHERE undone = 0 AND point_id IN ({_marks(point_ids)}) GROUP BY attendee_id) "
            f"WHERE direction = 'entry'", list(point_ids)).fetchone()[0]

    def rooms_with_scans(self) -> set[str]:
        """Rooms whose doors have valid scans here (only those get an "inside" figure)."""
        rows = self._db.execute(
            "SELECT DISTINCT p.room_id FROM checkins c JOIN points p ON p.id = c.point_id "
            "WHERE c.undone = 0 AND p.room_id IS NOT NULL").fetchall()
        return {r[0] for r in rows}

    def recent_records(self, device_id: str, limit: int) -> list[tuple]:
        """(corrected_time, direction, attendee_id, name, name_zh, undone) of this device's records, newest first."""
        return self._db.execute(
            "SELECT corrected_time, direction, attendee_id, name, name_zh, undone FROM checkins WHERE device_id = ? "
            "ORDER BY corrected_time DESC LIMIT ?", [device_id, limit]).fetchall()

    def recent_refusals(self, device_id: str, limit: int) -> list[tuple]:
        """(device_time, status, direction, attendee_id, name, name_zh, detail, code) of this device's scan
        log, newest first; the names come from the attendee list (the log keeps only the id)."""
        return self._db.execute(
            "SELECT s.device_time, s.status, s.direction, s.attendee_id, a.name, a.name_zh, s.detail, s.code "
            "FROM scan_log s "
            "LEFT JOIN attendees a ON a.id = s.attendee_id WHERE s.device_id = ? "
            "ORDER BY s.device_time DESC LIMIT ?", [device_id, limit]).fetchall()

    def by_handoff(self, code: str) -> tuple | None:
        """The latest scan that showed this hand-off code: (status, attendee_id, device_id, device name or id,
        point_id, point name, point name_zh, direction, device_time, detail), or None."""
        return self._db.execute(
            "SELECT s.status, s.attendee_id, s.device_id, coalesce(nullif(d.name, ''), s.device_id), s.point_id, "
            "p.name, p.name_zh, s.direction, s.device_time, s.detail FROM scan_log s "
            "LEFT JOIN devices d ON d.id = s.device_id LEFT JOIN points p ON p.id = s.point_id "
            "WHERE s.handoff = ? ORDER BY s.device_time DESC LIMIT 1", [code]).fetchone()
