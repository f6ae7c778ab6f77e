"""The central server's database: the one module that knows how the server stores things.

It holds the same event tables as a kiosk (so the server can run the very same check-in
rules) plus what only the server has: the private signing keys, which never leave this
file. Keeping every server query here is what lets PostgreSQL be added later behind the
same methods.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk import badges
from kiosk.models import Attendee, BadgeClaims, PublicKey
from kiosk.store import Store

server_migrations = Migrations("server")


@server_migrations()
def s001_keys(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE signing_keys (key_id INTEGER PRIMARY KEY, private_key TEXT NOT NULL,
            public_key TEXT NOT NULL, valid INTEGER NOT NULL DEFAULT 1, created_at TEXT);
        """
    )


class ServerDB:
    """One event server's storage. One instance per thread, like the kiosk Store."""

    def __init__(self, path: str | Path):
        self.store = Store(path)
        self.db = self.store.db
        server_migrations.apply(self.db)
        self.store.set_meta("is_server", "1")

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    # -- keys ---------------------------------------------------------------------------------
    def signing_key(self) -> badges.SigningKey:
        """The newest valid key, created on first use."""
        row = self.db.execute(
            "SELECT key_id, private_key FROM signing_keys WHERE valid = 1 ORDER BY key_id DESC LIMIT 1").fetchone()
        if row:
            return badges.SigningKey.from_base64(row[0], row[1])
        return self.rotate_key()

    def rotate_key(self) -> badges.SigningKey:
        """Add a new signing key; older keys stay valid so printed badges keep working."""
        row = self.db.execute("SELECT coalesce(max(key_id), 0) FROM signing_keys").fetchone()
        key = badges.SigningKey.generate((row[0] % 255) + 1)
        with self.store.transaction():
            self.db["signing_keys"].insert({
                "key_id": key.key_id, "private_key": key.private_base64(), "public_key": key.public().public_key,
                "valid": 1, "created_at": datetime.now(timezone.utc).isoformat()})
            self.store.save_public_keys(self.public_keys())
        return key

    def retire_key(self, key_id: int) -> None:
        with self.store.transaction():
            self.db.execute("UPDATE signing_keys SET valid = 0 WHERE key_id = ?", [key_id])
            self.store.save_public_keys(self.public_keys())

    def public_keys(self) -> list[PublicKey]:
        return [PublicKey(r[0], r[1], bool(r[2])) for r in
                self.db.execute("SELECT key_id, public_key, valid FROM signing_keys ORDER BY key_id")]

    # -- attendees and badges -------------------------------------------------------------------
    def badge_code(self, attendee: Attendee) -> str:
        event = self.store.event()
        if event is None:
            raise LookupError(f"{self.path}: no event in this server database (run seed-demo first)")
        claims = BadgeClaims(event_id=event.id, attendee_id=attendee.id, badge_type=attendee.badge_type,
                             key_id=0, name=attendee.name, name_zh=attendee.name_zh,
                             organisation=attendee.organisation, issue=attendee.badge_issue)
        return badges.encode(claims, self.signing_key())

    def revoke(self, attendee_id: str, issue: int = 0, reason: str = "revoked") -> None:
        event = self.store.event()
        self.store.save_revocations([{"event_id": event.id, "attendee_id": attendee_id, "issue": issue,
                                      "reason": reason, "created_at": datetime.now(timezone.utc).isoformat()}])

    def reprint(self, attendee_id: str) -> Attendee:
        """A new badge issue; the old one is revoked as 'reprinted'."""
        a = self.store.attendee(attendee_id)
        if a is None:
            raise LookupError(f"no attendee {attendee_id}")
        with self.store.transaction():
            self.db.execute("UPDATE attendees SET badge_issue = badge_issue + 1 WHERE id = ?", [attendee_id])
            self.revoke(attendee_id, a.badge_issue, "reprinted")
        return self.store.attendee(attendee_id)

    def upsert_attendees(self, attendees: Iterable[Attendee]) -> int:
        """Insert or update by id; a re-import never undoes a reprint or a desk note."""
        event = self.store.event()
        kept = {r[0]: (r[1], r[2]) for r in
                self.db.execute("SELECT id, badge_issue, attention FROM attendees")}

        def merged():
            for a in attendees:
                if a.id in kept:
                    issue, attention = kept[a.id]
                    a = replace(a, badge_issue=max(issue, a.badge_issue), attention=a.attention or attention or "")
                yield a

        return self.store.upsert_attendees(merged(), event.id if event else "")

    # -- numbers ------------------------------------------------------------------------------------
    def stats(self) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "attendees": one("SELECT count(*) FROM attendees"),
            "checked_in": one("SELECT count(DISTINCT attendee_id) FROM checkins WHERE undone = 0 "
                              "AND direction = 'entry'"),
            "scans": one("SELECT count(*) FROM checkins WHERE undone = 0"),
            "conflicts": one("SELECT count(*) FROM conflicts"),
            "leads": one("SELECT count(*) FROM leads WHERE deleted = 0"),
            "exhibitors": one("SELECT count(*) FROM exhibitors"),
        }
