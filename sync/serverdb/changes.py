"""The change log and the rows of a pull page.

Triggers (sync.serverdb.schema) give every changed row a fresh sequence number in `changes`,
with the audience that may receive it; a page is "the changes after a cursor" for a device's
audiences, and the rows they point at. `after`/`upto` bound one page: after < seq <= upto.

Commit order. A cursor is only safe if no change can ever appear *below* a number a puller has
already seen: with a plain sequence, transaction T1 takes 10, T2 takes 11 and commits, a pull
returns 11 and moves its cursor past 10, then T1 commits 10, and that change is skipped for
ever. The rule that makes this impossible: a number is taken only while holding the change
log's lock, and that lock is held until the transaction commits. Then numbers are handed out
in commit order, every number a reader can see belongs to a committed transaction, and any
later commit gets a higher one.
- SQLite: the lock is the database's write lock. `ServerDB.write()` takes it at BEGIN
  (IMMEDIATE) and every other write (autocommit, a CLI import) takes it for its statement;
  the triggers give a row `max(seq) + 1` (AUTOINCREMENT) under it, across every process on
  the file. A pull reads one snapshot (`ServerDB.read()`), so a page is a committed prefix.
- PostgreSQL (planned, issue 16 item 3): writers run concurrently there, so the change
  trigger itself must take the log's lock first (`pg_advisory_xact_lock`, held to commit)
  and number from `max(seq) + 1`, never from a free-running SEQUENCE, which hands numbers
  out at nextval() time and commits them in any order.
tests/test_stateless.py runs writers in two processes against a puller that must see all.
"""
from __future__ import annotations

import json
from collections.abc import Sequence

import sqlite_utils


def _marks(n: int) -> str:
    return ",".join("?" * n)


class Changes:
    def __init__(self, db: sqlite_utils.Database):
        self._db = db

    def _rows(self, sql: str, args: list) -> list[dict]:
        cur = self._db.execute(sql, args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def _span(self, audiences: Sequence[str], after: int, upto: int) -> tuple[str, list]:
        return (f"c.audience IN ({_marks(len(audiences))}) AND c.seq > ? AND c.seq <= ?",
                [*audiences, after, upto])

    def after(self, audiences: Sequence[str], after: int, limit: int) -> list[tuple[int, str, str]]:
        """(seq, kind, key) of up to `limit` changes for these audiences after the cursor, in order."""
        return self._db.execute(
            f"SELECT seq, kind, key FROM changes WHERE audience IN ({_marks(len(audiences))}) AND seq > ? "
            f"ORDER BY seq LIMIT ?", [*audiences, after, limit]).fetchall()

    def count(self, audiences: Sequence[str], after: int) -> int:
        """How many changes for these audiences are left after the cursor."""
        return self._db.execute(f"SELECT count(*) FROM changes WHERE audience IN ({_marks(len(audiences))}) "
                                f"AND seq > ?", [*audiences, after]).fetchone()[0]

    def last_seq(self) -> int:
        return self._db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    # -- the rows a page carries ---------------------------------------------------------------------
    def _joined(self, kind: str, table: str, audiences: Sequence[str], after: int, upto: int,
                fields: Sequence[str]) -> list[list]:
        """The page's changed rows of one kind, each a list of `fields` of `table`."""
        span, args = self._span(audiences, after, upto)
        cols = ", ".join(f"r.{c}" for c in fields)
        return [list(r) for r in self._db.execute(
            f"SELECT {cols} FROM changes c JOIN {table} r ON r.id = c.key WHERE c.kind = ? AND {span}",
            [kind, *args])]

    def attendees(self, audiences: Sequence[str], after: int, upto: int, fields: Sequence[str]) -> list[list]:
        """The changed attendees in the page, each a list of `fields`."""
        return self._joined("attendee", "attendees", audiences, after, upto, fields)

    def checkins(self, audiences: Sequence[str], after: int, upto: int, fields: Sequence[str]) -> list[list]:
        """The changed check-in records in the page, each a list of `fields`."""
        return self._joined("checkin", "checkins", audiences, after, upto, fields)

    def revocations(self) -> list[dict]:
        """Every revocation (the page picks the changed ones by key)."""
        return self._rows("SELECT event_id, attendee_id, issue, reason, created_at FROM revocations", [])

    def public_keys(self, key_ids: Sequence[int]) -> list[dict]:
        return self._rows(f"SELECT key_id, public_key, valid FROM public_keys WHERE key_id IN "
                          f"({_marks(len(key_ids))})", list(key_ids))

    def devices(self, device_ids: Sequence[str]) -> list[dict]:
        return self._rows(f"SELECT id, name, role, exhibitor_id, revoked FROM devices WHERE id IN "
                          f"({_marks(len(device_ids))})", list(device_ids))

    def conflicts(self, audiences: Sequence[str], after: int, upto: int) -> list[dict]:
        span, args = self._span(audiences, after, upto)
        return self._rows(
            f"SELECT k.id, k.kind, k.record_id, k.attendee_id, k.name, k.reason, k.detail, k.created_at, "
            f"k.point_id, k.device_id, k.at, k.other_record_id, k.other_device_id, k.other_at "
            f"FROM changes c JOIN conflicts k ON k.id = c.key WHERE c.kind = 'conflict' AND {span}", args)

    def lead(self, exhibitor_id: str, attendee_id: str, fields: Sequence[str]) -> list[dict]:
        """The exhibitor's lead for this visitor (a list of none or one), with `tags` as a list."""
        leads = self._rows(f"SELECT {', '.join(fields)} FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                           [exhibitor_id, attendee_id])
        for lead in leads:
            lead["tags"] = json.loads(lead["tags"] or "[]")
        return leads

    def notes(self, audiences: Sequence[str], after: int, upto: int) -> list[dict]:
        span, args = self._span(audiences, after, upto)
        return self._rows(
            f"SELECT n.id, n.exhibitor_id, n.attendee_id, n.device_id, n.text, n.updated_at "
            f"FROM changes c JOIN lead_notes n ON n.id = c.key WHERE c.kind = 'note' AND {span}", args)
