"""The core of the central server's store: the connection, migrations, keys, the write lock, stats.

Stateless by design: several server processes may open one database file (`serve --workers N`,
or two servers on one machine). Everything a request relies on (idempotency keys, the change
log and its sequence, setup codes, reprint request ids) is a row here, and the one write lock
is the database's own (SQLite: BEGIN IMMEDIATE, waited for up to the busy timeout), so the
process that answers a request does not matter.

It holds the same event tables as a kiosk (so the server can run the very same check-in
rules) plus what only the server has: the private signing keys, which never leave this
package. The areas (devices, change log, pushes, check-ins, leads) are built here and reached
as attributes; keeping every server query in this package is what lets PostgreSQL be added
later behind the same operations.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path


from kiosk import badges
from kiosk.trust import RootKey
from kiosk.errors import NotFound, Refused
from kiosk.models import Attendee, BadgeClaims, PublicKey
from kiosk.store import Store
from sync.serverdb import backup as backups
from sync.serverdb.changes import Changes
from sync.serverdb.checkins import Checkins
from sync.serverdb.devices import Devices
from sync.serverdb.eventsetup import EventSetup
from sync.serverdb.leads import Leads
from sync.serverdb.pushes import Pushes
from sync.serverdb.rates import Rates
from sync.serverdb.schema import server_migrations


class ServerDB:
    """One event server's storage. One instance per thread, like the kiosk Store."""

    def __init__(self, path: str | Path):
        with _opening(Path(path)):
            self.store = Store(path)
            self._db = self.store.shared_connection()
            server_migrations.apply(self._db)
            if self.store.get_meta("is_server") != "1":
                self.store.set_meta("is_server", "1")
        self.devices = Devices(self._db)
        self.changes = Changes(self._db)
        self.pushes = Pushes(self._db)
        self.checkins = Checkins(self._db)
        self.leads = Leads(self._db)
        self.event_setup = EventSetup(self._db)
        self.rates = Rates(self._db)


    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    # -- the trust root ---------------------------------------------------------------------------
    def trust_root(self) -> RootKey:
        """The event's signing root (kiosk/trust.py), made on first use and kept for good: devices pin it."""
        row = self._db.execute("SELECT private_key FROM trust_root WHERE id = 1").fetchone()
        if row:
            return RootKey.from_base64(row[0])
        key = RootKey.generate()
        with self.store.transaction():
            self._db.execute("INSERT OR IGNORE INTO trust_root(id, private_key, public_key, created_at) "
                             "VALUES (1, ?, ?, ?)", [key.private_base64(), key.public,
                                                     datetime.now(timezone.utc).isoformat()])
            row = self._db.execute("SELECT private_key FROM trust_root WHERE id = 1").fetchone()
        return RootKey.from_base64(row[0])

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

    # -- backups (sync/serverdb/backup.py) ----------------------------------------------------------
    def backup(self, out: str | Path) -> dict:
        """A consistent, owner-only copy of this database at `out`, taken while the server runs."""
        return backups.backup(self._db.conn, self.path, Path(out))

    def restore(self, backup_file: str | Path) -> dict:
        """Replace this database's content with a backup's (the server should be stopped)."""
        with _local_queue(self.path):
            return backups.restore(Path(backup_file), self._db.conn)

    # -- sync ----------------------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[None]:
        """One writer at a time across every process on this database: the transaction holds the
        database's write lock from BEGIN to COMMIT (the Store's transaction begins IMMEDIATE; see
        kiosk/store/database.py). That lock is also what keeps the change log commit-ordered
        (sync.serverdb.changes). The in-process queue in front of it only saves this process's
        threads from polling the database lock with SQLite's busy handler; correctness does not
        depend on it."""
        with _local_queue(self.path), self.store.transaction():
            yield

    @contextmanager
    def read(self) -> Iterator[None]:
        """One consistent snapshot for several reads (a pull page), without taking the write lock:
        writers go on while it is read, and what it sees is exactly what had committed."""
        conn = self._db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # nothing was written; ends the snapshot

    def discard_device_queue(self) -> None:
        """Empty the outbox of the kiosk store the server runs on.

        The online check runs the kiosk's own check() over the server's data, and check() queues
        its record for the server, as on any device. Here the server is that queue's destination:
        the record is already where it belongs, so the queued copy is dropped (in the same write)."""
        self._db.execute("DELETE FROM outbox")


_QUEUES: dict[str, threading.Lock] = {}
_QUEUES_GUARD = threading.Lock()


def _local_queue(path: Path) -> threading.Lock:
    """This process's threads line up here before they wait for the database's lock (a speed-up only)."""
    with _QUEUES_GUARD:
        return _QUEUES.setdefault(str(Path(path).resolve()), threading.Lock())


@contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Open and migrate one process at a time: two server processes started together on an old
    database must not both run the same migration (SQLite's executescript commits on its own, so
    a migration cannot sit inside the database's write lock). A lock file beside the database;
    on systems without flock (Windows: the kiosk's embedded demo server, one process) no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock
