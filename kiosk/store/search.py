"""Attendee look-ups by text: the indexed matches kiosk.search combines into one ranked list.

Each operation answers attendee rowids (for `Store.attendees_by_rowids`), best first, at most
`limit`. Which of them to try, and in what order, is kiosk.search's decision.
"""
from __future__ import annotations

import sqlite_utils


def _fts_phrase(text: str) -> str:
    """Quote user text for FTS5 so "A3-12" or a stray quote is never FTS syntax."""
    return '"' + text.replace('"', '""') + '"'


def _rowids(rows) -> list[int]:
    return [r[0] for r in rows]


class AttendeeSearch:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def full_text(self, text: str, limit: int) -> list[int]:
        """Trigram full-text match, best ranked first; sees only texts of three or more characters."""
        return _rowids(self._db.execute(
            "SELECT rowid FROM attendees_fts WHERE attendees_fts MATCH ? ORDER BY rank LIMIT ?",
            [_fts_phrase(text), limit]))

    def name_zh_prefix(self, prefix: str, limit: int) -> list[int]:
        """Chinese names starting with `prefix` (indexed)."""
        return _rowids(self._db.execute("SELECT rowid FROM attendees WHERE name_zh >= ? AND name_zh < ? LIMIT ?",
                                        [prefix, prefix + "\U0010ffff", limit]))

    def name_zh_containing(self, text: str, limit: int) -> list[int]:
        """Chinese names containing `text` anywhere (a bounded scan)."""
        return _rowids(self._db.execute("SELECT rowid FROM attendees WHERE name_zh LIKE ? LIMIT ?",
                                        [f"%{text}%", limit]))

    def organisation_containing(self, text: str, limit: int) -> list[int]:
        """Organisations containing `text` anywhere (a bounded scan)."""
        return _rowids(self._db.execute("SELECT rowid FROM attendees WHERE organisation LIKE ? LIMIT ?",
                                        [f"%{text}%", limit]))

    def initials_prefix(self, prefix: str, limit: int) -> list[int]:
        """Pinyin initials starting with `prefix` (indexed), e.g. "zw" for 张伟."""
        return _rowids(self._db.execute("SELECT rowid FROM attendees WHERE initials >= ? AND initials < ? LIMIT ?",
                                        [prefix, prefix + "\x7f", limit]))
