"""Leads on the server: one row per (exhibitor, attendee), merged from every device of the exhibitor.

The merge rules live in sync.merge; this area stores the parts they merge (per-field edit
times in `lead_state`, the tag set in `lead_tags`, notes in `lead_notes`) and the lead row
whose derived columns (tags, notes text) are recomputed from them.
"""
from __future__ import annotations

import json

import sqlite_utils

from kiosk.models import Lead

LWW_FIELDS = ("rating", "deleted")  # the lead fields merged last-writer-wins


class Leads:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    # -- the lead row ------------------------------------------------------------------------------
    def find(self, exhibitor_id: str, attendee_id: str) -> str | None:
        """The id of the exhibitor's lead for this visitor, or None."""
        row = self._db.execute("SELECT id FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                               [exhibitor_id, attendee_id]).fetchone()
        return row[0] if row else None

    def alias(self, exhibitor_id: str, alias: str) -> str | None:
        """The attendee behind a device's placeholder id ("code:<hash>"), once a push resolved it."""
        row = self._db.execute("SELECT attendee_id FROM lead_aliases WHERE exhibitor_id = ? AND alias = ?",
                               [exhibitor_id, alias]).fetchone()
        return row[0] if row else None

    def save_alias(self, exhibitor_id: str, alias: str, attendee_id: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO lead_aliases(exhibitor_id, alias, attendee_id) VALUES (?, ?, ?)",
                         [exhibitor_id, alias, attendee_id])

    def id_taken(self, lead_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM leads WHERE id = ?", [lead_id]).fetchone() is not None

    def add(self, lead: dict) -> None:
        self._db["leads"].insert(lead)

    def count_scan(self, lead_id: str, at: str | None = None) -> None:
        """One more scan of the visitor; with `at`, the lead's first-seen time moves back to it if earlier."""
        if at is None:
            self._db.execute("UPDATE leads SET scans = scans + 1 WHERE id = ?", [lead_id])
        else:
            self._db.execute("UPDATE leads SET scans = scans + 1, created_at = min(coalesce(created_at, ?), ?) "
                             "WHERE id = ?", [at, at, lead_id])

    def set_scans(self, lead_id: str, scans: int) -> None:
        self._db.execute("UPDATE leads SET scans = ? WHERE id = ?", [scans, lead_id])

    def set_rating(self, lead_id: str, rating: int) -> None:
        self._db.execute("UPDATE leads SET rating = ? WHERE id = ?", [rating, lead_id])

    def set_deleted(self, lead_id: str, deleted: bool) -> None:
        self._db.execute("UPDATE leads SET deleted = ? WHERE id = ?", [int(deleted), lead_id])

    def set_derived(self, exhibitor_id: str, attendee_id: str, tags: list[str], notes: str, at: str) -> None:
        """Store the lead's shown tags and notes text; `updated_at` only moves forward."""
        self._db.execute(
            "UPDATE leads SET tags = ?, notes = ?, updated_at = max(coalesce(updated_at, ''), ?) "
            "WHERE exhibitor_id = ? AND attendee_id = ?",
            [json.dumps(tags, ensure_ascii=False), notes, at, exhibitor_id, attendee_id])

    # -- last-writer-wins fields -------------------------------------------------------------------
    def last_edit(self, exhibitor_id: str, attendee_id: str, field: str) -> tuple[str | None, str | None] | None:
        """(time, device) of the newest edit of `field` ('rating' or 'deleted') so far, or None."""
        if field not in LWW_FIELDS:
            raise ValueError(f"not a last-writer-wins field: {field!r}")
        return self._db.execute(f"SELECT {field}_at, {field}_device FROM lead_state WHERE exhibitor_id = ? "
                                f"AND attendee_id = ?", [exhibitor_id, attendee_id]).fetchone()

    def save_edit(self, exhibitor_id: str, attendee_id: str, field: str, at: str, device_id: str) -> None:
        """Record (time, device) as the newest edit of `field`."""
        if field not in LWW_FIELDS:
            raise ValueError(f"not a last-writer-wins field: {field!r}")
        self._db.execute(
            f"INSERT INTO lead_state(exhibitor_id, attendee_id, {field}_at, {field}_device) VALUES (?, ?, ?, ?) "
            f"ON CONFLICT DO UPDATE SET {field}_at = excluded.{field}_at, {field}_device = excluded.{field}_device",
            [exhibitor_id, attendee_id, at, device_id])

    # -- tags: an add-wins set ---------------------------------------------------------------------
    def tag_added(self, exhibitor_id: str, attendee_id: str, tag: str, at: str) -> None:
        """Remember the latest time the tag was added."""
        self._db.execute(
            "INSERT INTO lead_tags(exhibitor_id, attendee_id, tag, added_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET added_at = max(coalesce(added_at, ''), excluded.added_at)",
            [exhibitor_id, attendee_id, tag, at])

    def tag_removed(self, exhibitor_id: str, attendee_id: str, tag: str, at: str) -> None:
        """Remember the latest time the tag was removed."""
        self._db.execute(
            "INSERT INTO lead_tags(exhibitor_id, attendee_id, tag, removed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET removed_at = max(coalesce(removed_at, ''), excluded.removed_at)",
            [exhibitor_id, attendee_id, tag, at])

    def shown_tags(self, exhibitor_id: str, attendee_id: str) -> list[str]:
        """The tags shown (added, and not removed later than their latest add), sorted."""
        return [r[0] for r in self._db.execute(
            "SELECT tag FROM lead_tags WHERE exhibitor_id = ? AND attendee_id = ? AND added_at IS NOT NULL "
            "AND (removed_at IS NULL OR added_at >= removed_at) ORDER BY tag", [exhibitor_id, attendee_id])]

    # -- notes: every device's entries are kept ----------------------------------------------------
    def note(self, note_id: str) -> tuple[str, str, str | None] | None:
        """(exhibitor_id, attendee_id, updated_at) of a note, or None."""
        return self._db.execute("SELECT exhibitor_id, attendee_id, updated_at FROM lead_notes WHERE id = ?",
                                [note_id]).fetchone()

    def save_note(self, note_id: str, exhibitor_id: str, attendee_id: str, device_id: str, text: str,
                  at: str) -> None:
        """Insert the note, or replace its text and time."""
        self._db.execute(
            "INSERT INTO lead_notes(id, exhibitor_id, attendee_id, device_id, text, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, "
            "updated_at = excluded.updated_at",
            [note_id, exhibitor_id, attendee_id, device_id, text, at])

    def note_texts(self, exhibitor_id: str, attendee_id: str) -> list[str]:
        """The lead's non-empty notes, oldest edit first."""
        return [r[0] for r in self._db.execute(
            "SELECT text FROM lead_notes WHERE exhibitor_id = ? AND attendee_id = ? AND text != '' "
            "ORDER BY updated_at, id", [exhibitor_id, attendee_id])]

    # -- export ------------------------------------------------------------------------------------
    def for_export(self, exhibitor_id: str) -> list[Lead]:
        """The exhibitor's leads (deleted ones left out), newest first."""
        rows = self._db.execute(
            "SELECT id, exhibitor_id, attendee_id, name, organisation, name_zh, badge_type, email, phone, title, "
            "notes, rating, tags, device_id, created_at, updated_at, scans FROM leads "
            "WHERE exhibitor_id = ? AND deleted = 0 ORDER BY created_at DESC, id", [exhibitor_id]).fetchall()
        return [Lead(*r[:12], tuple(json.loads(r[12] or "[]")), *r[13:]) for r in rows]
