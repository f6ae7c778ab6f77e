"""Whole tables read out in one go, for an event bundle (kiosk.bundle) to carry to another device."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlite_utils

from kiosk.models import Attendee

_REVOCATION_COLS = ("event_id", "attendee_id", "issue", "reason", "created_at")


class Snapshot:
    def __init__(self, db: sqlite_utils.Database, attendee_cols: str, attendee: Callable[..., Attendee]):
        """`attendee_cols` and `attendee` are the Store's own column list and row reader for attendees,
        passed in so a bundle carries exactly what the Store reads (and this module needs no Store)."""
        self._db = db
        self._attendee_cols = attendee_cols
        self._attendee = attendee

    def attendees(self) -> Iterator[Attendee]:
        """Every attendee, in the order they were first stored; read lazily, an event may hold many."""
        rows = self._db.execute(f"SELECT {self._attendee_cols} FROM attendees ORDER BY rowid")
        return (self._attendee(r) for r in rows)

    def revocations(self) -> list[dict]:
        """Every revocation as rows of event_id, attendee_id, issue, reason, created_at (as Store.save_revocations takes)."""
        return [dict(zip(_REVOCATION_COLS, r)) for r in
                self._db.execute(f"SELECT {', '.join(_REVOCATION_COLS)} FROM revocations")]
