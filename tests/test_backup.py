"""`kiosk-server backup` and `restore`: a consistent copy while the server takes pushes, owner-only, and a
restore that loses nothing the backup held and keeps the kiosks that synced past it in step."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.store import Store
from sync.rounds import SyncClient
from sync.server import EmbeddedServer
from sync.serverdb import ServerDB
from tests.helpers_sync import enrolled_kiosk, queue_scans, register
from tests.sql import sql

BIN = Path(sys.executable).parent
BATCH = 20


@pytest.fixture
def server_attendees() -> int:
    return 200


def _cli(*args, umask: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "kiosk-server"), *map(str, args)], capture_output=True, text=True, timeout=120,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def _checkins_by_device(path: Path) -> dict[str, set[str]]:
    con = sql(path)
    try:
        out: dict[str, set[str]] = {}
        for device, record in con.execute("SELECT device_id, id FROM checkins"):
            out.setdefault(device, set()).add(record)
        return out
    finally:
        con.close()


def _push_all(path: Path, failures: list) -> None:
    store = Store(path)  # a store belongs to its thread
    try:
        SyncClient(store, batch_size=BATCH).push()  # the whole outbox, BATCH records a request
    except BaseException as exc:  # reported by the test, not lost in the thread
        failures.append(exc)
    finally:
        store.close()


def test_backups_taken_during_pushes_are_consistent_and_restore_everything(server_db, server, tmp_path):
    paths, queued = [], {}
    for n in range(3):
        kiosk = enrolled_kiosk(tmp_path / f"desk{n}.db", server_db, server.url, "desk", f"Desk {n}")
        queued[kiosk.get_meta("device_id")] = queue_scans(kiosk, 300, attendees=200)
        paths.append(kiosk.path)
        kiosk.close()
    failures: list = []
    pushers = [threading.Thread(target=_push_all, args=(p, failures)) for p in paths]
    for t in pushers:
        t.start()
    copies = []
    db = ServerDB(server_db)
    try:
        while any(t.is_alive() for t in pushers) and len(copies) < 200:
            out = tmp_path / f"during-{len(copies)}.db"
            db.backup(out)
            copies.append(out)
    finally:
        db.close()
        for t in pushers:
            t.join(120)
    assert not failures, failures
    final = _checkins_by_device(server_db)
    assert {d: len(ids) for d, ids in final.items()} == {d: 300 for d in queued}

    partial = 0
    for copy in copies:
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        con = sql(copy)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            # every check-in the copy holds came with its change-log row (same transaction)
            assert con.execute("SELECT count(*) FROM checkins c WHERE NOT EXISTS (SELECT 1 FROM changes g "
                               "WHERE g.kind = 'checkin' AND g.key = c.id)").fetchone()[0] == 0
        finally:
            con.close()
        held = _checkins_by_device(copy)
        for device, ids in held.items():
            assert ids <= set(queued[device])
            assert len(ids) % BATCH == 0, "a push was copied half-way"  # every batch whole or absent
        total = sum(len(ids) for ids in held.values())
        partial += 0 < total < 900
    assert partial, f"no backup of {len(copies)} was taken while the pushes ran"

    # a backup through the command line while the server still runs, then a restore into a new file
    backup = tmp_path / "nightly.db"
    done = _cli("backup", "--db", server_db, "--out", backup, umask=0)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["checkins"] == 900 and summary["signing_keys"] >= 1 and summary["attendees"] == 200
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds the private signing keys
    restored = tmp_path / "restored.db"
    done = _cli("restore", backup, "--db", restored, umask=0)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["event"] == "LSF2023"
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert _checkins_by_device(restored) == final
    a, b = sql(server_db), sql(restored)
    try:
        keys = "SELECT key_id, private_key, valid FROM signing_keys ORDER BY key_id"
        assert a.execute(keys).fetchall() == b.execute(keys).fetchall()
        devices = "SELECT id, role, token_hash FROM devices ORDER BY id"
        assert a.execute(devices).fetchall() == b.execute(devices).fetchall()
    finally:
        a.close()
        b.close()


def test_a_kiosk_that_synced_past_the_backup_gets_what_changes_after_the_restore(server_db, tmp_path):
    srv = EmbeddedServer(server_db).start()
    kiosk = enrolled_kiosk(tmp_path / "desk.db", server_db, srv.url)
    try:
        backup = tmp_path / "backup.db"
        assert _cli("backup", "--db", server_db, "--out", backup).returncode == 0
        db = ServerDB(server_db)  # after the backup: changes the kiosk pulls, which the restore loses
        try:
            for n in range(1, 11):
                db.revoke(f"A{n:06d}", 0, "lost")
        finally:
            db.close()
        SyncClient(kiosk).round()
        assert kiosk.revocation("LSF2023", "A000001", 0) == "lost"
        srv.stop()

        done = _cli("restore", backup, "--db", server_db)  # over the server's own file, the server stopped
        assert done.returncode == 0, done.stderr
        srv = EmbeddedServer(server_db, port=srv.port).start()  # the address the kiosk knows
        db = ServerDB(server_db)
        try:
            assert db.store.revocation("LSF2023", "A000001", 0) is None  # the restore went back in time
            db.revoke("A000150", 0, "stolen")  # and the event goes on
        finally:
            db.close()
        SyncClient(kiosk).round()
        assert kiosk.revocation("LSF2023", "A000150", 0) == "stolen"
    finally:
        kiosk.close()
        srv.stop()


def test_restore_refuses_a_file_that_is_not_a_server_backup(server_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    done = _cli("restore", junk, "--db", tmp_path / "new.db")
    assert done.returncode == 1 and done.stderr.startswith("error: ") and "not a Forum Kiosk server" in done.stderr
    kiosk_db = tmp_path / "kiosk.db"
    Store(kiosk_db).close()  # a kiosk's database is not a server's backup either
    done = _cli("restore", kiosk_db, "--db", tmp_path / "new.db")
    assert done.returncode == 1 and "not a Forum Kiosk server database" in done.stderr
    assert "Traceback" not in done.stderr
    assert register(server_db)  # the server's own database was never touched
