"""Per-device rate limits as token buckets kept in the server database.

In the database rather than in process memory so that several server processes (or a restart)
share one budget per device. Read and written inside the caller's write transaction, so two
requests of one device cannot both spend the same token.
"""
from __future__ import annotations

import sqlite_utils


class Rates:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def level(self, device_id: str, kind: str, now: float, rate: float, burst: float) -> float:
        """The tokens in the device's bucket at `now` (a full bucket for a device never seen).

        Wall-clock seconds, because they are shared between processes; a clock set back never adds
        tokens (the elapsed time counts as zero)."""
        row = self._db.execute("SELECT tokens, at FROM rate_buckets WHERE device_id = ? AND kind = ?",
                               [device_id, kind]).fetchone()
        if row is None:
            return float(burst)
        tokens, at = row
        return min(float(burst), tokens + max(0.0, now - at) * rate)

    def save(self, device_id: str, kind: str, tokens: float, now: float) -> None:
        self._db.execute(
            "INSERT INTO rate_buckets(device_id, kind, tokens, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(device_id, kind) DO UPDATE SET tokens = excluded.tokens, at = excluded.at",
            [device_id, kind, tokens, now])
