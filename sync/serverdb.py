"""The central server's database: the one module that knows how the server stores things.

It holds the same event tables as a kiosk (so the server can run the very same check-in
rules) plus what only the server has: the private signing keys, which never leave this
file. Keeping every server query here is what lets PostgreSQL be added later behind the
same methods.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk import badges
from kiosk.errors import NotFound, Refused
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
        self._db = self.store.shared_connection()
        server_migrations.apply(self._db)
        self.store.set_meta("is_server", "1")

    @property
    def db(self) -> sqlite_utils.Database:
        """TRANSITION (architecture issue): SQL moves into the server's stores; then this goes."""
        return self._db

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    # -- keys ---------------------------------------------------------------------------------
    def signing_key(self) -> badges.SigningKey:
        """The newest valid key, created on first use."""
        row = self._db.execute(
            "SELECT key_id, private_key FROM signing_keys WHERE valid = 1 ORDER BY key_id DESC LIMIT 1").fetchone()
        if row:
            return badges.SigningKey.from_base64(row[0], row[1])
        return self.rotate_key()

    def rotate_key(self) -> badges.SigningKey:
        """Add a new signing key; older keys stay valid so printed badges keep working."""
        row = self._db.execute("SELECT coalesce(max(key_id), 0) FROM signing_keys").fetchone()
        key = badges.SigningKey.generate((row[0] % 255) + 1)
        with self.store.transaction():
            self._db["signing_keys"].insert({
                "key_id": key.key_id, "private_key": key.private_base64(), "public_key": key.public().public_key,
                "valid": 1, "created_at": datetime.now(timezone.utc).isoformat()})
            self.store.save_public_keys(self.public_keys())
        return key

    def retire_key(self, key_id: int) -> None:
        with self.store.transaction():
            self._db.execute("UPDATE signing_keys SET valid = 0 WHERE key_id = ?", [key_id])
            self.store.save_public_keys(self.public_keys())

    def public_keys(self) -> list[PublicKey]:
        return [PublicKey(r[0], r[1], bool(r[2])) for r in
                self._db.execute("SELECT key_id, public_key, valid FROM signing_keys ORDER BY key_id")]

    # -- attendees and badges -------------------------------------------------------------------
    def badge_code(self, attendee: Attendee) -> str:
        event = self.store.event()
        if event is None:
            raise NotFound(f"{self.path}: no event in this server database (run seed-demo first)")
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
            raise NotFound(f"no attendee {attendee_id}")
        with self.store.transaction():
            self._db.execute("UPDATE attendees SET badge_issue = badge_issue + 1 WHERE id = ?", [attendee_id])
            self.revoke(attendee_id, a.badge_issue, "reprinted")
        return self.store.attendee(attendee_id)

    def reprint_once(self, attendee_id: str, request_id: str, device_id: str) -> tuple[Attendee, int, str]:
        """(attendee, new issue, signed code) for one desk request, made at most once per request id.

        A repeat (the desk's answer was lost and it asked again) returns what the first call
        made, so the badge just handed out is not revoked by the retry. Run inside write()."""
        row = self._db.execute("SELECT device_id, attendee_id, issue, code FROM reprints WHERE request_id = ?",
                              [request_id]).fetchone()
        if row is not None:
            if (row[0], row[1]) != (device_id, attendee_id):
                raise Refused("this request id was already used for another badge")
            return self.store.attendee(attendee_id), row[2], row[3]
        attendee = self.reprint(attendee_id)
        code = self.badge_code(attendee)
        self._db.execute("INSERT INTO reprints(request_id, device_id, attendee_id, issue, code, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [request_id, device_id, attendee_id, attendee.badge_issue, code,
                                                      datetime.now(timezone.utc).isoformat()])
        return attendee, attendee.badge_issue, code

    def upsert_attendees(self, attendees: Iterable[Attendee]) -> int:
        """Insert or update by id; a re-import never undoes a reprint or a desk note."""
        event = self.store.event()
        kept = {r[0]: (r[1], r[2]) for r in
                self._db.execute("SELECT id, badge_issue, attention FROM attendees")}

        def merged():
            for a in attendees:
                if a.id in kept:
                    issue, attention = kept[a.id]
                    a = replace(a, badge_issue=max(issue, a.badge_issue), attention=a.attention or attention or "")
                yield a

        return self.store.upsert_attendees(merged(), event.id if event else "")

    # -- numbers ------------------------------------------------------------------------------------
    def stats(self) -> dict:
        one = lambda sql: self._db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "attendees": one("SELECT count(*) FROM attendees"),
            "checked_in": one("SELECT count(DISTINCT attendee_id) FROM checkins WHERE undone = 0 "
                              "AND direction = 'entry'"),
            "scans": one("SELECT count(*) FROM checkins WHERE undone = 0"),
            "conflicts": one("SELECT count(*) FROM conflicts"),
            "leads": one("SELECT count(*) FROM leads WHERE deleted = 0"),
            "exhibitors": one("SELECT count(*) FROM exhibitors"),
        }

    # -- sync ----------------------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[None]:
        """One writer at a time in this process, holding SQLite's write lock from the start.

        BEGIN IMMEDIATE avoids the deferred-transaction upgrade that fails at once under WAL
        when another connection committed in between (SQLITE_BUSY_SNAPSHOT)."""
        conn = self._db.conn
        with _write_lock(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    def changes_count(self, audiences: list[str], after: int) -> int:
        marks = ",".join("?" * len(audiences))
        return self._db.execute(f"SELECT count(*) FROM changes WHERE audience IN ({marks}) AND seq > ?",
                               [*audiences, after]).fetchone()[0]

    def last_seq(self) -> int:
        return self._db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _write_lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(str(Path(path).resolve()), threading.Lock())


# -- sync (added by the sync helper) ----------------------------------------------------------------
# Every row a device may need is mirrored into `changes` by triggers, with a fresh sequence number
# each time it changes: a pull is "changes after my cursor", in order, paged, and resumable.
# `audience` says who may receive it: all devices, staff devices (desk, attendee kiosk), or
# one exhibitor's devices ("ex:<id>").
_CHANGE_SOURCES = {
    # table: (kind, key expression, audience expression)
    "attendees": ("attendee", "{r}.id", "'staff'"),
    "revocations": ("revocation", "{r}.attendee_id || '|' || {r}.issue", "'all'"),
    "public_keys": ("key", "{r}.key_id", "'all'"),
    "checkins": ("checkin", "{r}.id", "'staff'"),
    "conflicts": ("conflict", "{r}.id", "'staff'"),
    "leads": ("lead", "{r}.exhibitor_id || '|' || {r}.attendee_id", "'ex:' || {r}.exhibitor_id"),
    "lead_notes": ("note", "{r}.id", "'ex:' || {r}.exhibitor_id"),
    "events": ("event", "'event'", "'all'"),
    "rooms": ("event", "'event'", "'all'"),
    "sessions": ("event", "'event'", "'all'"),
    "points": ("event", "'event'", "'all'"),
    "exhibitors": ("event", "'event'", "'all'"),
    "booths": ("event", "'event'", "'all'"),
}


def _bump(kind: str, key: str, audience: str) -> str:
    """Move a row's change to the end of the log. DELETE + INSERT rather than INSERT OR REPLACE:
    inside an UPSERT (INSERT ... ON CONFLICT DO UPDATE) SQLite applies the outer statement's
    conflict handling to the trigger, and the REPLACE would fail on UNIQUE(kind, key)."""
    return (f"DELETE FROM changes WHERE kind = '{kind}' AND key = {key}; "
            f"INSERT INTO changes(kind, key, audience) VALUES ('{kind}', {key}, {audience});")


def _change_triggers(db: sqlite_utils.Database) -> None:
    statements = []
    for table, (kind, key, audience) in _CHANGE_SOURCES.items():
        for op in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS chg_{table}_{op.lower()} AFTER {op} ON {table} BEGIN "
                f"{_bump(kind, key.format(r='new'), audience.format(r='new'))} END;")
    event_bump = _bump("event", "'event'", "'all'")
    device_bump = _bump("device", "new.id", "'all'")
    for op in ("INSERT", "UPDATE"):
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS chg_meta_{op.lower()} AFTER {op} ON meta "
            f"WHEN new.key IN ('hall', 'categories') BEGIN {event_bump} END;")
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS chg_devices_{op.lower()} AFTER {op} "
            f"{'OF name, role, exhibitor_id, revoked ' if op == 'UPDATE' else ''}ON devices BEGIN "
            f"{device_bump} END;")
    db.executescript("\n".join(statements))


@server_migrations()
def s002_sync(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, key TEXT NOT NULL,
            audience TEXT NOT NULL, UNIQUE (kind, key));
        CREATE INDEX changes_audience ON changes(audience, seq);
        ALTER TABLE devices ADD COLUMN token_hash TEXT;
        ALTER TABLE devices ADD COLUMN setup_hash TEXT;
        ALTER TABLE devices ADD COLUMN setup_expires TEXT;
        ALTER TABLE devices ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN created_at TEXT;
        ALTER TABLE devices ADD COLUMN enrolled_at TEXT;
        ALTER TABLE devices ADD COLUMN last_seen TEXT;
        ALTER TABLE devices ADD COLUMN clock_offset REAL;
        CREATE UNIQUE INDEX devices_token ON devices(token_hash) WHERE token_hash IS NOT NULL;
        CREATE UNIQUE INDEX devices_setup ON devices(setup_hash) WHERE setup_hash IS NOT NULL;
        CREATE TABLE received (id TEXT PRIMARY KEY, device_id TEXT NOT NULL, kind TEXT NOT NULL,
            status TEXT NOT NULL, received_at TEXT NOT NULL);
        CREATE TABLE lead_state (exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            rating_at TEXT, rating_device TEXT, deleted_at TEXT, deleted_device TEXT,
            PRIMARY KEY (exhibitor_id, attendee_id));
        CREATE TABLE lead_tags (exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL, tag TEXT NOT NULL,
            added_at TEXT, removed_at TEXT, PRIMARY KEY (exhibitor_id, attendee_id, tag));
        """
    )
    _change_triggers(db)
    # a server seeded before sync existed: every row it already holds is one change
    for table, (kind, key, audience) in _CHANGE_SOURCES.items():
        db.execute(f"INSERT OR IGNORE INTO changes(kind, key, audience) "
                   f"SELECT '{kind}', {key.format(r=table)}, {audience.format(r=table)} FROM {table}")
    db.execute("INSERT OR IGNORE INTO changes(kind, key, audience) SELECT 'device', id, 'all' FROM devices")


@server_migrations()
def s003_change_triggers(db: sqlite_utils.Database) -> None:
    """Recreate the change triggers without INSERT OR REPLACE (see _bump)."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'chg_%'")]
    for name in names:
        db.execute(f"DROP TRIGGER {name}")
    _change_triggers(db)



@server_migrations()
def s004_reprints(db: sqlite_utils.Database) -> None:
    """Badge reissues by request id, so a desk may repeat a reprint whose answer it lost."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS reprints (request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, issue INTEGER NOT NULL, code TEXT NOT NULL, created_at TEXT);
        """
    )
