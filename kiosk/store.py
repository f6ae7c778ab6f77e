"""The kiosk's local SQLite cache: everything a device needs to work with no network.

One `Store` per thread (SQLite connections must not cross threads); the GUI keeps its
store on a single database worker. Schema changes are numbered migrations, so a kiosk
that was switched off for a release upgrades its file in place on the next start.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk.errors import KioskError
from kiosk.models import (
    Attendee,
    CheckinPoint,
    Event,
    Exhibitor,
    PublicKey,
    Room,
    Session,
)
from kiosk.pinyin import pinyin_keys

migrations = Migrations("kiosk")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE events (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_zh TEXT, venue TEXT,
            venue_zh TEXT, date TEXT, timezone TEXT);
        CREATE TABLE rooms (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, capacity INTEGER DEFAULT 0);
        CREATE TABLE sessions (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            room_id TEXT REFERENCES rooms(id), title TEXT NOT NULL, title_zh TEXT, starts_at TEXT,
            ends_at TEXT, allowed_types TEXT NOT NULL, speakers TEXT, kind TEXT);
        CREATE TABLE points (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, session_id TEXT REFERENCES sessions(id),
            room_id TEXT REFERENCES rooms(id));
        CREATE TABLE exhibitors (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            name TEXT NOT NULL, name_zh TEXT, category TEXT, description TEXT, description_zh TEXT,
            products TEXT, website TEXT, pinyin TEXT, initials TEXT);
        CREATE TABLE booths (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id),
            exhibitor_id TEXT REFERENCES exhibitors(id));
        CREATE TABLE attendees (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, name TEXT NOT NULL,
            name_zh TEXT DEFAULT '', organisation TEXT DEFAULT '', title TEXT DEFAULT '',
            email TEXT DEFAULT '', phone TEXT DEFAULT '', badge_type TEXT NOT NULL DEFAULT 'attendee',
            consent INTEGER NOT NULL DEFAULT 0, code TEXT, attention TEXT DEFAULT '',
            badge_issue INTEGER NOT NULL DEFAULT 1, pinyin TEXT DEFAULT '', initials TEXT DEFAULT '');
        CREATE INDEX attendees_code ON attendees(code) WHERE code IS NOT NULL AND code != '';
        CREATE TABLE revocations (event_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            issue INTEGER NOT NULL DEFAULT 0, reason TEXT, created_at TEXT,
            PRIMARY KEY (event_id, attendee_id, issue));
        CREATE TABLE public_keys (key_id INTEGER PRIMARY KEY, public_key TEXT NOT NULL,
            valid INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE checkins (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            point_id TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('entry','exit')),
            device_id TEXT NOT NULL, device_time TEXT NOT NULL, corrected_time TEXT NOT NULL,
            source TEXT, name TEXT, name_zh TEXT, organisation TEXT, badge_type TEXT,
            undone INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX checkins_attendee ON checkins(attendee_id, point_id, corrected_time);
        CREATE INDEX checkins_time ON checkins(corrected_time);
        CREATE TABLE scan_log (id TEXT PRIMARY KEY, event_id TEXT, status TEXT NOT NULL,
            attendee_id TEXT, point_id TEXT, direction TEXT, device_id TEXT, device_time TEXT,
            detail TEXT, handoff TEXT);
        CREATE INDEX scan_log_handoff ON scan_log(handoff);
        CREATE TABLE leads (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL, attendee_id TEXT NOT NULL,
            name TEXT NOT NULL, name_zh TEXT DEFAULT '', organisation TEXT DEFAULT '',
            badge_type TEXT DEFAULT 'attendee', title TEXT DEFAULT '', email TEXT DEFAULT '',
            phone TEXT DEFAULT '', notes TEXT DEFAULT '', rating INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT '[]', device_id TEXT, created_at TEXT, updated_at TEXT,
            scans INTEGER NOT NULL DEFAULT 1, deleted INTEGER NOT NULL DEFAULT 0,
            UNIQUE (exhibitor_id, attendee_id));
        CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, state TEXT NOT NULL DEFAULT 'pending',
            result TEXT);
        CREATE INDEX outbox_state ON outbox(state, seq);
        CREATE TABLE conflicts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, record_id TEXT,
            attendee_id TEXT, name TEXT, reason TEXT NOT NULL, detail TEXT, created_at TEXT,
            seen INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE print_log (id INTEGER PRIMARY KEY AUTOINCREMENT, attendee_id TEXT NOT NULL,
            device_id TEXT, printed_at TEXT, target TEXT, issue INTEGER);
        CREATE VIRTUAL TABLE attendees_fts USING fts5(name, name_zh, organisation, pinyin, code,
            content='attendees', content_rowid='rowid', tokenize='trigram');
        CREATE TRIGGER attendees_ai AFTER INSERT ON attendees BEGIN
            INSERT INTO attendees_fts(rowid, name, name_zh, organisation, pinyin, code)
            VALUES (new.rowid, new.name, new.name_zh, new.organisation, new.pinyin, new.code);
        END;
        CREATE TRIGGER attendees_ad AFTER DELETE ON attendees BEGIN
            INSERT INTO attendees_fts(attendees_fts, rowid, name, name_zh, organisation, pinyin, code)
            VALUES ('delete', old.rowid, old.name, old.name_zh, old.organisation, old.pinyin, old.code);
        END;
        CREATE TRIGGER attendees_au AFTER UPDATE ON attendees BEGIN
            INSERT INTO attendees_fts(attendees_fts, rowid, name, name_zh, organisation, pinyin, code)
            VALUES ('delete', old.rowid, old.name, old.name_zh, old.organisation, old.pinyin, old.code);
            INSERT INTO attendees_fts(rowid, name, name_zh, organisation, pinyin, code)
            VALUES (new.rowid, new.name, new.name_zh, new.organisation, new.pinyin, new.code);
        END;
        """
    )


class StoreError(KioskError):
    """A database file that cannot be opened or is not ours; the message says which."""


def _restrict(path: Path) -> None:
    """Attendee data is personal: the file (and its WAL) is readable by its owner only."""
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


class Store:
    """The local database of one device. Not thread-safe: one instance per thread."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # create empty with the right mode before SQLite writes anything into it
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
                os.close(fd)
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 30000")
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            # FULL: a commit is on disk before check() returns, so a power cut cannot take back a scan
            # the screen already confirmed (WAL with NORMAL may roll the last commits back)
            self.db.execute("PRAGMA synchronous = FULL")
            migrations.apply(self.db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the kiosk database ({exc})") from exc
        _restrict(self.path)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: used wherever a confirmed scan must land with its outbox row."""
        with self.db.atomic():
            yield

    # -- meta: device identity, settings and sync state -------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            self.db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, str(value)],
            )

    # -- event data --------------------------------------------------------------------------
    def event(self) -> Event | None:
        event_id = self.get_meta("event_id")
        sql = "SELECT id, name, name_zh, venue, venue_zh, date, timezone FROM events"
        row = self.db.execute(sql + (" WHERE id = ?" if event_id else " LIMIT 1"),
                              [event_id] if event_id else []).fetchone()
        return Event(*[v or "" for v in row]) if row else None

    def save_event(self, event: Event, rooms: Iterable[Room], sessions: Iterable[Session],
                   points: Iterable[CheckinPoint], exhibitors: Iterable[Exhibitor]) -> None:
        """Replace-or-insert the event's structure (not attendees)."""
        with self.transaction():
            self.db["events"].upsert(event.__dict__, pk="id")
            self.db["rooms"].upsert_all(
                ({**r.__dict__, "event_id": event.id} for r in rooms), pk="id")
            self.db["sessions"].upsert_all(
                ({**s.__dict__, "event_id": event.id, "allowed_types": json.dumps(list(s.allowed_types)),
                  "speakers": json.dumps(list(s.speakers), ensure_ascii=False)} for s in sessions), pk="id")
            self.db["points"].upsert_all(
                ({**p.__dict__, "event_id": event.id} for p in points), pk="id")
            for ex in exhibitors:
                py, ini = pinyin_keys(ex.name_zh)
                row = {**ex.__dict__, "event_id": event.id, "products": json.dumps(list(ex.products), ensure_ascii=False),
                       "pinyin": py, "initials": ini}
                booths = row.pop("booths")
                self.db["exhibitors"].upsert(row, pk="id")
                for booth in booths:
                    self.db["booths"].upsert({"id": booth, "event_id": event.id, "exhibitor_id": ex.id}, pk="id")
            if self.get_meta("event_id") is None:
                self.set_meta("event_id", event.id)

    def rooms(self) -> list[Room]:
        return [Room(r[0], r[1], r[2] or "", r[3] or 0) for r in
                self.db.execute("SELECT id, name, name_zh, capacity FROM rooms ORDER BY id")]

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms() if r.id == room_id), None)

    def sessions(self) -> list[Session]:
        rows = self.db.execute(
            "SELECT id, title, title_zh, room_id, starts_at, ends_at, allowed_types, speakers, kind "
            "FROM sessions ORDER BY starts_at, id")
        return [Session(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "",
                        tuple(json.loads(r[6])), tuple(json.loads(r[7] or "[]")), r[8] or "session")
                for r in rows]

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions() if s.id == session_id), None)

    def points(self) -> list[CheckinPoint]:
        return [CheckinPoint(r[0], r[1], r[2] or "", r[3], r[4]) for r in
                self.db.execute("SELECT id, name, name_zh, session_id, room_id FROM points ORDER BY rowid")]

    def point(self, point_id: str) -> CheckinPoint | None:
        row = self.db.execute("SELECT id, name, name_zh, session_id, room_id FROM points WHERE id = ?",
                              [point_id]).fetchone()
        return CheckinPoint(row[0], row[1], row[2] or "", row[3], row[4]) if row else None

    def exhibitors(self) -> list[Exhibitor]:
        rows = self.db.execute(
            "SELECT e.id, e.name, e.name_zh, e.category, e.description, e.description_zh, e.products, "
            "e.website, (SELECT group_concat(b.id) FROM booths b WHERE b.exhibitor_id = e.id) "
            "FROM exhibitors e ORDER BY e.rowid")
        return [Exhibitor(id=r[0], name=r[1], name_zh=r[2] or "", category=r[3] or "",
                          booths=tuple(sorted((r[8] or "").split(","))) if r[8] else (),
                          description=r[4] or "", description_zh=r[5] or "",
                          products=tuple(json.loads(r[6] or "[]")), website=r[7] or "")
                for r in rows]

    def exhibitor(self, exhibitor_id: str) -> Exhibitor | None:
        return next((e for e in self.exhibitors() if e.id == exhibitor_id), None)

    # -- attendees ---------------------------------------------------------------------------
    _ATTENDEE_COLS = ("id, name, name_zh, organisation, title, email, phone, badge_type, consent, "
                      "code, attention, badge_issue")

    @staticmethod
    def _attendee(row) -> Attendee:
        return Attendee(row[0], row[1], row[2] or "", row[3] or "", row[4] or "", row[5] or "",
                        row[6] or "", row[7], bool(row[8]), row[9] or "", row[10] or "", row[11])

    def attendee(self, attendee_id: str) -> Attendee | None:
        row = self.db.execute(f"SELECT {self._ATTENDEE_COLS} FROM attendees WHERE id = ?",
                              [attendee_id]).fetchone()
        return self._attendee(row) if row else None

    def attendee_by_code(self, code: str) -> Attendee | None:
        row = self.db.execute(f"SELECT {self._ATTENDEE_COLS} FROM attendees WHERE code = ? AND code != ''",
                              [code]).fetchone()
        return self._attendee(row) if row else None

    def attendees_by_rowids(self, rowids: list[int]) -> list[Attendee]:
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        rows = self.db.execute(f"SELECT rowid, {self._ATTENDEE_COLS} FROM attendees WHERE rowid IN ({marks})",
                               rowids).fetchall()
        by_rowid = {r[0]: self._attendee(r[1:]) for r in rows}
        return [by_rowid[i] for i in rowids if i in by_rowid]

    def upsert_attendees(self, attendees: Iterable[Attendee], event_id: str | None = None,
                         batch_size: int = 2000) -> int:
        """Insert or update by id; derived search keys are recomputed on every write."""
        event_id = event_id or self.get_meta("event_id") or ""
        count = 0
        batch: list[dict] = []

        def flush() -> None:
            self.db["attendees"].upsert_all(batch, pk="id")
            batch.clear()

        with self.transaction():
            for a in attendees:
                py, ini = pinyin_keys(a.name_zh or a.name, person=True)
                row = {**a.__dict__, "event_id": event_id, "consent": int(a.consent),
                       "code": a.code or None, "pinyin": f"{py} {ini}".strip(), "initials": ini}
                batch.append(row)
                count += 1
                if len(batch) >= batch_size:
                    flush()
            if batch:
                flush()
        return count

    def attendee_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM attendees").fetchone()[0]

    # -- keys and revocations ----------------------------------------------------------------
    def public_keys(self) -> list[PublicKey]:
        return [PublicKey(r[0], r[1], bool(r[2])) for r in
                self.db.execute("SELECT key_id, public_key, valid FROM public_keys")]

    def save_public_keys(self, keys: Iterable[PublicKey]) -> None:
        self.db["public_keys"].upsert_all(
            ({"key_id": k.key_id, "public_key": k.public_key, "valid": int(k.valid)} for k in keys), pk="key_id")

    def save_revocations(self, rows: Iterable[dict]) -> None:
        """Rows of event_id, attendee_id, issue (0 = every issue), reason, created_at."""
        self.db["revocations"].upsert_all(rows, pk=("event_id", "attendee_id", "issue"))

    def revocation(self, event_id: str, attendee_id: str, issue: int) -> str | None:
        row = self.db.execute(
            "SELECT reason FROM revocations WHERE event_id = ? AND attendee_id = ? AND issue IN (0, ?)",
            [event_id, attendee_id, issue]).fetchone()
        return (row[0] or "revoked") if row else None


@migrations()
def m002_lead_notes(db: sqlite_utils.Database) -> None:
    """Each device keeps its own note per lead, so edits from several devices all survive a merge."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS lead_notes (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, device_id TEXT, text TEXT NOT NULL DEFAULT '', updated_at TEXT);
        CREATE INDEX IF NOT EXISTS lead_notes_lead ON lead_notes(exhibitor_id, attendee_id);
        """
    )


@migrations()
def m002_sync(db: sqlite_utils.Database) -> None:
    """Sync: device names (so a desk can say "at Desk 2"), merged lead notes, richer conflicts."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'desk', exhibitor_id TEXT);
        CREATE TABLE IF NOT EXISTS lead_notes (id TEXT PRIMARY KEY, exhibitor_id TEXT NOT NULL,
            attendee_id TEXT NOT NULL, device_id TEXT, text TEXT NOT NULL DEFAULT '', updated_at TEXT);
        CREATE INDEX IF NOT EXISTS lead_notes_lead ON lead_notes(exhibitor_id, attendee_id);
        ALTER TABLE conflicts ADD COLUMN point_id TEXT;
        ALTER TABLE conflicts ADD COLUMN device_id TEXT;
        ALTER TABLE conflicts ADD COLUMN at TEXT;
        ALTER TABLE conflicts ADD COLUMN other_record_id TEXT;
        ALTER TABLE conflicts ADD COLUMN other_device_id TEXT;
        ALTER TABLE conflicts ADD COLUMN other_at TEXT;
        CREATE INDEX IF NOT EXISTS checkins_device ON checkins(device_id);
        """
    )


@migrations()
def m003_search_indexes(db: sqlite_utils.Database) -> None:
    """Short queries (a surname, pinyin initials) cannot use trigram full-text: index them."""
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS attendees_name_zh ON attendees(name_zh);
        CREATE INDEX IF NOT EXISTS attendees_initials ON attendees(initials);
        """
    )
