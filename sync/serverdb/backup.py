"""Backing up and restoring a server database while it runs (docs/operations.md, "Backups").

A backup is SQLite's online backup API run in one step: it reads the database in one read
transaction, so the copy is consistent (every push whole or not at all) while the server goes on
writing (WAL: the server's writers are not blocked). The copy holds the private signing keys, so it
is created owner-only (0600) before a byte is written, and it appears under its name only once it is
complete and checked.

A restore puts a backup back through the same API, so a server that still has the file open sees
the old or the new database, never a mix. Kiosks have pulled past the backup's change log; their
cursors would skip every change numbered at or below what they saw before. So the restore moves the
change log above any cursor ever issued: every device pulls the whole restored state again (pulls
are upserts) and every later change after it.
"""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from kiosk.errors import BadInput, Refused

# a restored log starts above every number the server can have issued: numbers grow by one per
# change, far slower than one per microsecond, and each restore starts again from the clock
_MICROSECONDS = 1_000


def _owner_only_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


def _summary(conn: sqlite3.Connection) -> dict:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {"attendees": one("SELECT count(*) FROM attendees"), "checkins": one("SELECT count(*) FROM checkins"),
            "leads": one("SELECT count(*) FROM leads"), "devices": one("SELECT count(*) FROM devices"),
            "signing_keys": one("SELECT count(*) FROM signing_keys")}


def _checked(conn: sqlite3.Connection, what: Path) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"signing_keys", "changes", "attendees"} <= tables:
        raise BadInput(f"{what}: not a Forum Kiosk server database")
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise Refused(f"{what}: the database is damaged ({result})")


def backup(conn: sqlite3.Connection, source: Path, out: Path) -> dict:
    """Copy the open server database `conn` (file `source`) to `out`, owner-only; returns what it holds."""
    out = Path(out)
    if out.exists() and out.resolve() == Path(source).resolve():
        raise BadInput(f"{out}: the backup would overwrite the database itself")
    if out.is_dir():
        raise BadInput(f"{out}: a folder; give the backup file's name")
    if not out.parent.is_dir():
        raise BadInput(f"{out.parent}: no such folder")
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    _owner_only_file(partial)
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.backup(copy)  # pages=-1: the whole database in one step, one read transaction
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
            _checked(copy, out)
            summary = _summary(copy)
        finally:
            copy.close()
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, out)  # an older backup of the same name is replaced only by a complete one
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return {"file": str(out), "bytes": out.stat().st_size, **summary}


def restore(backup_file: Path, target: sqlite3.Connection) -> dict:
    """Put `backup_file` in place of the database open as `target`; returns what it holds."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise BadInput(f"{backup_file}: no such backup file")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True, isolation_level=None)
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        try:
            _checked(source, backup_file)
        except sqlite3.DatabaseError as exc:
            raise BadInput(f"{backup_file}: not a Forum Kiosk server database ({exc})") from exc
        source.backup(scratch)
        base = _renumber_changes(scratch, _highest_issued(target))
        summary = _summary(scratch)
        scratch.backup(target)  # the target changes in one step: a reader sees old or new, never a mix
    finally:
        source.close()
        scratch.close()
    return {**summary, "change_log_from": base}


def _highest_issued(conn: sqlite3.Connection) -> int:
    """The highest change number the database being replaced issued (0 if it has no log yet)."""
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()
    except sqlite3.DatabaseError:
        return 0
    return int(row[0]) if row else 0


def _renumber_changes(conn: sqlite3.Connection, floor: int) -> int:
    """Move the restored change log above every number a device can hold; returns the new base."""
    highest = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
    base = max(time.time_ns() // _MICROSECONDS, floor, highest) + 1
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE changes SET seq = seq + ?", [base])
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'changes'")
    conn.execute("INSERT INTO sqlite_sequence(name, seq) SELECT 'changes', coalesce(max(seq), ?) FROM changes",
                 [base])
    conn.execute("COMMIT")
    return base
