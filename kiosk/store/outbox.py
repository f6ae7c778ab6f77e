"""The outbox: records waiting for the server, written in the same transaction as the record itself.

An item keeps the id its record was made with (`<kind>:<record id>`), so sending it twice is
answered "duplicate" by the server, never counted twice (docs/sync.md).
"""
from __future__ import annotations

import json

import sqlite_utils


class Outbox:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def add(self, kind: str, payload: dict, created_at: str, item_id: str) -> None:
        """Queue one record. Must run inside the caller's transaction, beside the record's own write."""
        self._db.execute("INSERT INTO outbox(id, kind, payload, created_at) VALUES (?, ?, ?, ?)",
                         [f"{kind}:{item_id}", kind, json.dumps(payload, ensure_ascii=False), created_at])
