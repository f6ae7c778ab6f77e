"""Exhibitor leads and their per-device notes, as this device holds them.

Capture and the edit rules live in kiosk.leads; this area reads and writes the rows, each
write inside the caller's transaction beside its outbox row. A lead's notes are the texts of
all the exhibitor's devices (`lead_notes`), each device owning its own.
"""
from __future__ import annotations

import json

import sqlite_utils

from kiosk.models import Lead

_LEAD_COLS = ("id, exhibitor_id, attendee_id, name, organisation, name_zh, badge_type, email, phone, title, "
              "notes, rating, tags, device_id, created_at, updated_at, scans")
_LEAD_NAMES = [c.strip() for c in _LEAD_COLS.split(",")]


class Leads:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    # -- leads ----------------------------------------------------------------------------------
    def id_for(self, exhibitor_id: str, attendee_id: str) -> str | None:
        """The exhibitor's lead for this visitor, deleted or not (a rescan brings a deleted one back)."""
        row = self._db.execute("SELECT id FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                               [exhibitor_id, attendee_id]).fetchone()
        return row[0] if row else None

    def add(self, row: dict) -> None:
        self._db["leads"].insert(row)

    def rescanned(self, lead_id: str, at: str) -> None:
        """One more scan of a visitor already a lead; undeletes it."""
        self._db.execute("UPDATE leads SET scans = scans + 1, deleted = 0, updated_at = ? WHERE id = ?",
                         [at, lead_id])

    def get(self, lead_id: str) -> Lead | None:
        """A lead not deleted, with all devices' notes joined."""
        row = self._db.execute(f"SELECT {_LEAD_COLS} FROM leads WHERE id = ? AND deleted = 0",
                               [lead_id]).fetchone()
        return self._lead(row) if row else None

    def of_exhibitor(self, exhibitor_id: str, by_rating: bool = False) -> list[Lead]:
        """This exhibitor's leads not deleted: newest first, or best rated first."""
        order = "rating DESC, updated_at DESC" if by_rating else "updated_at DESC"
        rows = self._db.execute(
            f"SELECT {_LEAD_COLS} FROM leads WHERE exhibitor_id = ? AND deleted = 0 ORDER BY {order}",
            [exhibitor_id]).fetchall()
        return [self._lead(r) for r in rows]

    def count(self, exhibitor_id: str) -> int:
        """This exhibitor's leads not deleted, whatever a search or a tag filter shows."""
        return self._db.execute("SELECT count(*) FROM leads WHERE exhibitor_id = ? AND deleted = 0",
                                [exhibitor_id]).fetchone()[0]

    def touch(self, lead_id: str, at: str) -> None:
        self._db.execute("UPDATE leads SET updated_at = ? WHERE id = ?", [at, lead_id])

    def set_rating(self, lead_id: str, rating: int, at: str) -> None:
        self._db.execute("UPDATE leads SET rating = ?, updated_at = ? WHERE id = ?", [rating, at, lead_id])

    def set_tags(self, lead_id: str, tags: list[str], at: str) -> None:
        self._db.execute("UPDATE leads SET tags = ?, updated_at = ? WHERE id = ?",
                         [json.dumps(tags, ensure_ascii=False), at, lead_id])

    def mark_deleted(self, lead_id: str, at: str) -> None:
        """Kept with a flag, so the deletion syncs and a later scan can bring the lead back."""
        self._db.execute("UPDATE leads SET deleted = 1, updated_at = ? WHERE id = ?", [at, lead_id])

    # -- notes ----------------------------------------------------------------------------------
    def device_note(self, exhibitor_id: str, attendee_id: str, device_id: str) -> tuple[str, str] | None:
        """(note id, text) of this device's own note on the lead, or None."""
        row = self._db.execute(
            "SELECT id, text FROM lead_notes WHERE exhibitor_id = ? AND attendee_id = ? AND device_id = ?",
            [exhibitor_id, attendee_id, device_id]).fetchone()
        return (row[0], row[1]) if row else None

    def save_note(self, note: dict) -> None:
        """Insert or replace one device's note (id, exhibitor_id, attendee_id, device_id, text, updated_at)."""
        self._db["lead_notes"].upsert(note, pk="id")

    def other_notes(self, exhibitor_id: str, attendee_id: str, device_id: str) -> list[tuple[str, str]]:
        """(device_id, text) of the other devices' non-empty notes on the lead, oldest first."""
        rows = self._db.execute(
            "SELECT device_id, text FROM lead_notes WHERE exhibitor_id = ? AND attendee_id = ? AND device_id != ? "
            "AND text != '' ORDER BY updated_at", [exhibitor_id, attendee_id, device_id]).fetchall()
        return [(r[0] or "", r[1]) for r in rows]

    def _notes_text(self, exhibitor_id: str, attendee_id: str) -> str:
        rows = self._db.execute(
            "SELECT text FROM lead_notes WHERE exhibitor_id = ? AND attendee_id = ? AND text != '' "
            "ORDER BY updated_at", [exhibitor_id, attendee_id]).fetchall()
        return "\n".join(r[0] for r in rows)

    def _lead(self, row) -> Lead:
        values = dict(zip(_LEAD_NAMES, row))
        values["tags"] = tuple(json.loads(values["tags"] or "[]"))
        values["notes"] = self._notes_text(values["exhibitor_id"], values["attendee_id"]) or (values["notes"] or "")
        values["rating"] = values["rating"] or 0
        return Lead(**{k: ("" if v is None else v) for k, v in values.items()})
