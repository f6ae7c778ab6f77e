"""The kiosk's local SQLite cache: everything a device needs to work with no network.

The only place with SQL on a device, with the stores of its areas beside it in this package
(`store.outbox`, `store.checkins`, `store.leads`, `store.search`, `store.snapshot`, `store.sync`,
`store.prints`); everything
else calls their named operations. The connection (`_db`) is private to this package.

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

from kiosk.errors import KioskError
from kiosk.models import Attendee, CheckinPoint, Event, Exhibitor, PublicKey, Room, Session
from kiosk.pinyin import pinyin_keys
from kiosk.store.checkins import Checkins
from kiosk.store.leads import Leads
from kiosk.store.logos import Logos
from kiosk.store.outbox import Outbox
from kiosk.store.prints import PrintLog
from kiosk.store.schema import migrations
from kiosk.store.search import AttendeeSearch
from kiosk.store.snapshot import Snapshot
from kiosk.store.syncstate import SyncState


def _marks(values: list) -> str:
    """Placeholders for an IN list; an empty list matches nothing (`IN ('')`)."""
    return ",".join("?" * len(values)) or "''"


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
            self._db = sqlite_utils.Database(conn)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 30000")
            if self._db.journal_mode != "wal":
                self._db.enable_wal()
            # FULL: a commit is on disk before check() returns, so a power cut cannot take back a scan
            # the screen already confirmed (WAL with NORMAL may roll the last commits back)
            self._db.execute("PRAGMA synchronous = FULL")
            migrations.apply(self._db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"{self.path}: cannot open the kiosk database ({exc})") from exc
        _restrict(self.path)
        self.outbox = Outbox(self._db)
        self.checkins = Checkins(self._db)
        self.leads = Leads(self._db)
        self.search = AttendeeSearch(self._db)
        self.snapshot = Snapshot(self._db, self._ATTENDEE_COLS, self._attendee)
        self.sync = SyncState(self._db)
        self.prints = PrintLog(self._db)
        self.logos = Logos(self._db)

    def shared_connection(self) -> sqlite_utils.Database:
        """For the server's store (sync.serverdb), which keeps its own tables in this same file and
        writes them in the same transactions as the event's; nothing else holds the connection."""
        return self._db


    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: used wherever a confirmed scan must land with its outbox row.

        The outermost one takes SQLite's write lock at BEGIN (IMMEDIATE), waiting for it up to the
        busy timeout. A deferred BEGIN that reads first fails at once ("database is locked") when
        the sync thread's connection commits in between, and a scan must not fail for that.
        Nested ones are savepoints."""
        conn = self._db.conn
        if conn.in_transaction:
            with self._db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- meta: device identity, settings and sync state -------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        if value is None:
            self._db.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            self._db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, str(value)],
            )

    # -- event data --------------------------------------------------------------------------
    def event(self) -> Event | None:
        event_id = self.get_meta("event_id")
        sql = "SELECT id, name, name_zh, venue, venue_zh, date, timezone, public_url FROM events"
        row = self._db.execute(sql + (" WHERE id = ?" if event_id else " LIMIT 1"),
                              [event_id] if event_id else []).fetchone()
        return Event(*[v or "" for v in row]) if row else None

    def save_event(self, event: Event, rooms: Iterable[Room], sessions: Iterable[Session],
                   points: Iterable[CheckinPoint], exhibitors: Iterable[Exhibitor] | None,
                   replace: bool = False) -> None:
        """Replace-or-insert the event's structure (not attendees).

        `replace`: rows the new structure no longer lists are deleted too (an updated event file);
        `exhibitors=None` leaves the exhibitors and their booths as they are."""
        rooms, sessions, points = list(rooms), list(sessions), list(points)
        exhibitors = None if exhibitors is None else list(exhibitors)
        with self.transaction():
            if replace:
                self._drop_missing(points, sessions, rooms, exhibitors)
            self._db["events"].upsert(event.__dict__, pk="id")
            self._db["rooms"].upsert_all(
                ({**r.__dict__, "event_id": event.id} for r in rooms), pk="id")
            self._db["sessions"].upsert_all(
                ({**s.__dict__, "event_id": event.id, "allowed_types": json.dumps(list(s.allowed_types)),
                  "speakers": json.dumps(list(s.speakers), ensure_ascii=False)} for s in sessions), pk="id")
            self._db["points"].upsert_all(
                ({**p.__dict__, "event_id": event.id} for p in points), pk="id")
            for ex in exhibitors or ():
                self.save_exhibitor(ex, event.id)
            if self.get_meta("event_id") is None:
                self.set_meta("event_id", event.id)

    def save_exhibitor(self, ex: Exhibitor, event_id: str) -> None:
        """Insert or update one exhibitor; its booths become exactly `ex.booths`."""
        py, ini = pinyin_keys(ex.name_zh)
        row = {**ex.__dict__, "event_id": event_id, "products": json.dumps(list(ex.products), ensure_ascii=False),
               "categories": json.dumps(list(ex.categories), ensure_ascii=False), "pinyin": py, "initials": ini}
        booths = row.pop("booths")
        with self.transaction():
            self._db["exhibitors"].upsert(row, pk="id")
            self._db.execute(f"DELETE FROM booths WHERE exhibitor_id = ? AND id NOT IN ({_marks(booths)})",
                             [ex.id, *booths])
            for booth in booths:
                self._db["booths"].upsert({"id": booth, "event_id": event_id, "exhibitor_id": ex.id}, pk="id")

    def _drop_missing(self, points: list[CheckinPoint], sessions: list[Session], rooms: list[Room],
                      exhibitors: list[Exhibitor] | None) -> None:
        """Delete the structure's rows the new lists leave out (children before what they refer to)."""
        tables = [("points", [p.id for p in points]), ("sessions", [s.id for s in sessions])]
        if exhibitors is not None:
            ids = [e.id for e in exhibitors]
            self._db.execute(f"DELETE FROM booths WHERE exhibitor_id NOT IN ({_marks(ids)})", ids)
            self._db.execute(f"DELETE FROM logos WHERE exhibitor_id NOT IN ({_marks(ids)})", ids)
            tables.append(("exhibitors", ids))
        tables.append(("rooms", [r.id for r in rooms]))
        for table, ids in tables:
            self._db.execute(f"DELETE FROM {table} WHERE id NOT IN ({_marks(ids)})", ids)

    def rooms(self) -> list[Room]:
        return [Room(r[0], r[1], r[2] or "", r[3] or 0) for r in
                self._db.execute("SELECT id, name, name_zh, capacity FROM rooms ORDER BY id")]

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms() if r.id == room_id), None)

    def sessions(self) -> list[Session]:
        rows = self._db.execute(
            "SELECT id, title, title_zh, room_id, starts_at, ends_at, allowed_types, speakers, kind "
            "FROM sessions ORDER BY starts_at, id")
        return [Session(r[0], r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "",
                        tuple(json.loads(r[6])), tuple(json.loads(r[7] or "[]")), r[8] or "session")
                for r in rows]

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.sessions() if s.id == session_id), None)

    def points(self) -> list[CheckinPoint]:
        return [CheckinPoint(r[0], r[1], r[2] or "", r[3], r[4]) for r in
                self._db.execute("SELECT id, name, name_zh, session_id, room_id FROM points ORDER BY rowid")]

    def point(self, point_id: str) -> CheckinPoint | None:
        row = self._db.execute("SELECT id, name, name_zh, session_id, room_id FROM points WHERE id = ?",
                              [point_id]).fetchone()
        return CheckinPoint(row[0], row[1], row[2] or "", row[3], row[4]) if row else None

    def exhibitors(self) -> list[Exhibitor]:
        rows = self._db.execute(
            "SELECT e.id, e.name, e.name_zh, e.category, e.description, e.description_zh, e.products, "
            "e.website, (SELECT group_concat(b.id) FROM booths b WHERE b.exhibitor_id = e.id), e.categories "
            "FROM exhibitors e ORDER BY e.rowid")
        return [Exhibitor(id=r[0], name=r[1], name_zh=r[2] or "", category=r[3] or "",
                          booths=tuple(sorted((r[8] or "").split(","))) if r[8] else (),
                          description=r[4] or "", description_zh=r[5] or "",
                          products=tuple(json.loads(r[6] or "[]")), website=r[7] or "",
                          categories=tuple(json.loads(r[9] or "[]")))
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
        row = self._db.execute(f"SELECT {self._ATTENDEE_COLS} FROM attendees WHERE id = ?",
                              [attendee_id]).fetchone()
        return self._attendee(row) if row else None

    def attendee_by_code(self, code: str) -> Attendee | None:
        row = self._db.execute(f"SELECT {self._ATTENDEE_COLS} FROM attendees WHERE code = ? AND code != ''",
                              [code]).fetchone()
        return self._attendee(row) if row else None

    def attendees_by_rowids(self, rowids: list[int]) -> list[Attendee]:
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        rows = self._db.execute(f"SELECT rowid, {self._ATTENDEE_COLS} FROM attendees WHERE rowid IN ({marks})",
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
            self._db["attendees"].upsert_all(batch, pk="id")
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
        return self._db.execute("SELECT count(*) FROM attendees").fetchone()[0]

    # -- keys and revocations ----------------------------------------------------------------
    def public_keys(self) -> list[PublicKey]:
        return [PublicKey(r[0], r[1], bool(r[2])) for r in
                self._db.execute("SELECT key_id, public_key, valid FROM public_keys")]

    def save_public_keys(self, keys: Iterable[PublicKey]) -> None:
        self._db["public_keys"].upsert_all(
            ({"key_id": k.key_id, "public_key": k.public_key, "valid": int(k.valid)} for k in keys), pk="key_id")

    def save_revocations(self, rows: Iterable[dict]) -> None:
        """Rows of event_id, attendee_id, issue (0 = every issue), reason, created_at."""
        self._db["revocations"].upsert_all(rows, pk=("event_id", "attendee_id", "issue"))

    def revocation(self, event_id: str, attendee_id: str, issue: int) -> str | None:
        row = self._db.execute(
            "SELECT reason FROM revocations WHERE event_id = ? AND attendee_id = ? AND issue IN (0, ?)",
            [event_id, attendee_id, issue]).fetchone()
        return (row[0] or "revoked") if row else None


