"""What the organiser's event commands ask of the server database: what an edit would orphan, and PINs.

A PIN is kept as its scrypt record (kiosk.pin), never the digits; its scope is `role:<device role>`
(the staff PIN of every device of that role) or `ex:<exhibitor id>` (that exhibitor's lead pads)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

import sqlite_utils


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values)) or "''"


class EventSetup:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def checkins_at(self, point_ids: Sequence[str]) -> dict[str, int]:
        """Check-ins recorded at each of these points (points with none left out)."""
        return dict(self._db.execute(f"SELECT point_id, count(*) FROM checkins WHERE point_id IN ({_marks(point_ids)}) "
                                     f"GROUP BY point_id", list(point_ids)).fetchall())

    def leads_of(self, exhibitor_ids: Sequence[str]) -> dict[str, int]:
        """Leads captured by each of these exhibitors (exhibitors with none left out)."""
        return dict(self._db.execute(f"SELECT exhibitor_id, count(*) FROM leads WHERE exhibitor_id IN "
                                     f"({_marks(exhibitor_ids)}) GROUP BY exhibitor_id", list(exhibitor_ids)))

    def set_pin(self, scope: str, record: str) -> None:
        self._db.execute("INSERT INTO pins(scope, record, set_at) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE "
                         "SET record = excluded.record, set_at = excluded.set_at",
                         [scope, record, datetime.now(timezone.utc).isoformat(timespec="seconds")])

    def pins(self, scopes: Sequence[str] | None = None) -> dict[str, str]:
        """scope -> scrypt record, of these scopes (all when None)."""
        if scopes is None:
            return dict(self._db.execute("SELECT scope, record FROM pins ORDER BY scope").fetchall())
        return dict(self._db.execute(f"SELECT scope, record FROM pins WHERE scope IN ({_marks(scopes)})",
                                     list(scopes)).fetchall())
