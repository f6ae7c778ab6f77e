"""The desk's print log: every badge printed here, so a second print shows as a reprint."""
from __future__ import annotations

import sqlite_utils

from kiosk.models import PrintRecord


class PrintLog:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def add(self, attendee_id: str, device_id: str, printed_at: str, target: str, issue: int) -> int:
        """Record one print; returns how many prints this attendee has now."""
        self._db["print_log"].insert({"attendee_id": attendee_id, "device_id": device_id, "printed_at": printed_at,
                                      "target": target, "issue": issue})
        return self._db.execute("SELECT count(*) FROM print_log WHERE attendee_id = ?", [attendee_id]).fetchone()[0]

    def attendees_printed(self) -> set[str]:
        """Everyone with at least one print recorded here (on the server: by any desk, or a batch)."""
        return {r[0] for r in self._db.execute("SELECT DISTINCT attendee_id FROM print_log")}

    def history(self, attendee_id: str) -> list[PrintRecord]:
        rows = self._db.execute("SELECT attendee_id, printed_at, target, issue FROM print_log WHERE attendee_id = ? "
                                "ORDER BY id", [attendee_id]).fetchall()
        return [PrintRecord(r[0], r[1] or "", r[2] or "", r[3] or 1) for r in rows]
