"""Stateless server processes: several of them on one database answer as one server would.

- pull cursors are commit-ordered: writers in two processes, one holding its transactions open,
  and a puller paging all the while sees every change;
- two `serve` processes on one database file behind a round-robin proxy, kiosks pushing and
  pulling through both, one server SIGKILLed mid-push: every confirmed scan is on the server
  exactly once and every kiosk ends up with every change;
- `serve --workers 2` takes concurrent pushes exactly once.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from kiosk.store import Store
from sync.devices import Device
from sync.feed import page
from sync.protocol import CHECKIN_FIELDS
from sync.rounds import SyncClient, sync_status
from sync.serverdb import ServerDB
from tests.helpers_net import RoundRobinProxy, free_port
from tests.helpers_sync import enrolled_kiosk, queue_scans, server_checkin_ids
from tests.sql import sql
from sync.transport import make_session
from tests.test_sync_faults import _env, count, kiosk_sync, server_pin, wait_for

ROOT = Path(__file__).resolve().parents[1]
START_S = 90  # a server process on a busy 2-core machine takes a while to import

# A writer process: n check-in records, one transaction each. "held" keeps every transaction open
# a few milliseconds after its row got its change number (the window a skipping cursor needs);
# "autocommit" writes each row as one statement outside ServerDB.write().
WRITER = """
import random, sys, time
from sync.serverdb import ServerDB
path, prefix, n, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
db = ServerDB(path)
for i in range(n):
    at = "2026-12-02T10:00:00.000+00:00"
    row = {"id": f"{prefix}-{i}", "event_id": "LSF2023", "attendee_id": f"A{i % 300 + 1:06d}", "point_id": "entrance",
           "direction": "exit", "device_id": prefix, "device_time": at, "corrected_time": at, "source": "camera",
           "name": "", "name_zh": "", "organisation": "", "badge_type": "attendee", "undone": 0}
    if mode == "held":
        with db.write():
            db.checkins.add(row)
            time.sleep(random.random() * 0.004)
    else:
        db.checkins.add(row)
db.close()
"""


def start_server(server_db: Path, port: int, *extra: str) -> subprocess.Popen:
    """`kiosk-server serve` as shipped: HTTPS, with the certificate the first one made beside the
    database (every process on the database serves that one)."""
    proc = subprocess.Popen([sys.executable, "-m", "entrypoints.server_cli", "serve", "--db", str(server_db),
                             "--port", str(port), *extra], cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            session = make_session(retries=False, pin=server_pin(server_db))
            if session.get(f"https://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read().decode()[-800:]}")


@pytest.fixture
def processes():
    started: list[subprocess.Popen] = []
    yield started
    for p in started:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)  # --workers: the supervisor stops its workers too
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


def test_a_puller_sees_every_change_while_two_processes_write(tmp_path, server_db, processes):
    n = 400
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(server_db), prefix, str(n), mode], cwd=ROOT,
                                env=_env(), stderr=subprocess.PIPE)
               for prefix, mode in (("held", "held"), ("auto", "autocommit"))]
    processes.extend(writers)
    db = ServerDB(server_db)
    puller = Device("puller", "Puller", "desk", None)
    index = CHECKIN_FIELDS.index("id")
    seen: set[str] = set()
    cursor, pages_while_writing = 0, 0
    try:
        while True:
            writing = any(w.poll() is None for w in writers)
            body = page(db, puller, cursor, 50)
            assert body["cursor"] >= cursor
            cursor = body["cursor"]
            seen |= {row[index] for row in body.get("checkins", [])}
            pages_while_writing += bool(writing and body.get("checkins"))
            if not writing and not body["more"] and not body.get("checkins"):
                break
    finally:
        db.close()
    for w in writers:
        assert w.wait(timeout=60) == 0, w.stderr.read().decode()[-800:]
    written = {f"{prefix}-{i}" for prefix in ("held", "auto") for i in range(n)}
    assert pages_while_writing > 5  # the puller really read while both wrote
    assert written <= seen, f"{len(written - seen)} changes skipped by the cursor"


def test_two_servers_on_one_database_one_killed_mid_push(tmp_path, server_db, processes):
    ports = [free_port(), free_port()]
    processes.extend(start_server(server_db, p) for p in ports)
    with RoundRobinProxy(ports) as proxy:
        paths = [tmp_path / f"k{i}.db" for i in range(3)]
        for i, path in enumerate(paths):
            # TLS goes through the proxy to either server: both serve the one certificate
            store = enrolled_kiosk(path, server_db, f"https://127.0.0.1:{proxy.port}", name=f"Desk {i + 1}",
                                   tls=server_pin(server_db))
            SyncClient(store).round()
            store.close()
        ids: list[str] = []
        for path, point in zip(paths[:2], ("entrance", "entrance")):
            store = Store(path)
            ids += queue_scans(store, 3000, point=point)
            store.close()
        pushes = [kiosk_sync(path, KIOSK_SYNC_BATCH_SIZE="100") for path in paths[:2]]
        # both kiosks are uploading (one through each server, turn by turn) when server 0 dies
        assert wait_for(lambda: count(server_db, "SELECT count(DISTINCT device_id) FROM received "
                                                 "WHERE kind = 'checkin'") == 2, timeout=120)
        landed_before = count(server_db, "SELECT count(*) FROM checkins")
        cut = proxy.active[0]  # kiosks connected through server 0 as it dies
        processes[0].send_signal(signal.SIGKILL)
        processes[0].wait(timeout=10)
        for p in pushes:
            p.communicate(timeout=300)
        assert landed_before < 6000 and cut > 0  # a push really was cut off with its server
        # a kiosk whose connection died reconnects, and the proxy sends it to the server still up
        # (or its sync fails and the next round does): then server 0 is back
        for path in paths:
            store = Store(path)
            _rounds_until_done(store)
            store.close()
        processes[0] = start_server(server_db, ports[0])
        for _ in range(2):  # a last round each, through both servers, so every kiosk has every change
            for path in paths:
                store = Store(path)
                SyncClient(store).round()
                store.close()
        assert all(proxy.served), proxy.served  # both servers answered kiosks
    on_server = server_checkin_ids(server_db)
    assert len(on_server) == len(set(on_server)) == 6000 and set(on_server) == set(ids)
    assert count(server_db, "SELECT count(*) FROM received WHERE kind = 'checkin'") == 6000
    for path in paths:
        store = Store(path)
        status = sync_status(store)
        assert status.pending == 0 and status.rejected == 0
        store.close()
        conn = sql(path)
        on_kiosk = {r[0] for r in conn.execute("SELECT id FROM checkins")}
        conn.close()
        assert set(ids) <= on_kiosk, f"{path.name} lacks {len(set(ids) - on_kiosk)} check-ins"


def _rounds_until_done(store: Store, attempts: int = 10) -> None:
    for _ in range(attempts):
        try:
            SyncClient(store).round()
            if sync_status(store).pending == 0:
                return
        except Exception:  # noqa: BLE001 - a connection cut with the killed server; try again
            time.sleep(0.5)
    raise AssertionError("sync never finished")


def test_serve_with_two_workers_takes_concurrent_pushes_exactly_once(tmp_path, server_db, processes):
    port = free_port()
    processes.append(start_server(server_db, port, "--workers", "2"))
    url = f"https://127.0.0.1:{port}"
    children = Path(f"/proc/{processes[0].pid}/task/{processes[0].pid}/children").read_text().split()
    assert len(children) >= 3  # two workers (and multiprocessing's resource tracker)
    paths = [tmp_path / f"k{i}.db" for i in range(2)]
    ids: list[str] = []
    for i, path in enumerate(paths):
        store = enrolled_kiosk(path, server_db, url, name=f"Desk {i + 1}", tls=server_pin(server_db))
        ids += queue_scans(store, 800)
        store.close()
    errors: list[BaseException] = []

    def push(path: Path) -> None:
        store = Store(path)
        try:
            _rounds_until_done(store)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=push, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    on_server = server_checkin_ids(server_db)
    assert len(on_server) == len(set(on_server)) == 1600 and set(on_server) == set(ids)


def test_a_pull_goes_on_while_another_process_holds_the_write_lock(server_db):
    """A pull reads a committed snapshot and takes no lock: a push in flight elsewhere neither
    holds it up nor shows in it half-done."""
    db = ServerDB(server_db)
    puller = Device("puller", "Puller", "desk", None)
    cursor = page(db, puller, 0, 100_000)["cursor"]
    writer = sql(server_db)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE attendees SET organisation = 'In flight' WHERE id = 'A000001'")
        started = time.monotonic()
        during = page(db, puller, cursor, 100)
        assert time.monotonic() - started < 5  # not waiting for the writer (busy timeout: 30 s)
        assert not during.get("attendees") and during["cursor"] == cursor
        writer.execute("COMMIT")
        after = page(db, puller, cursor, 100)
        assert [a[0] for a in after["attendees"]] == ["A000001"] and after["cursor"] > cursor
    finally:
        writer.close()
        db.close()


OPENER = """
import sys, time
from pathlib import Path
from sync.serverdb import ServerDB
while not Path(sys.argv[2]).exists():
    time.sleep(0.001)
ServerDB(sys.argv[1]).close()
"""


def test_servers_started_together_on_a_new_database_migrate_it_once(tmp_path):
    path, go = tmp_path / "new.db", tmp_path / "go"
    openers = [subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(go)], cwd=ROOT, env=_env(),
                                stderr=subprocess.PIPE) for _ in range(3)]
    time.sleep(3)  # all three have imported and wait for the signal
    go.touch()
    for p in openers:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-800:]
    conn = sql(path)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'server'")]
    conn.close()
    assert len(names) == len(set(names)) and "s001_keys" in names


EXCHANGER = """
import sys, time
from pathlib import Path
from sync import devices
from sync.serverdb import ServerDB
db = ServerDB(sys.argv[1])
while not Path(sys.argv[3]).exists():
    time.sleep(0.001)
try:
    devices.exchange(db, sys.argv[2])
    print("enrolled")
except devices.DeviceError:
    print("refused")
"""


def test_a_setup_code_used_at_once_in_several_processes_enrols_one_device(server_db, tmp_path):
    from tests.helpers_sync import register

    setup, go = register(server_db), tmp_path / "go"
    runs = [subprocess.Popen([sys.executable, "-c", EXCHANGER, str(server_db), setup, str(go)], cwd=ROOT,
                             env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    time.sleep(3)
    go.touch()
    answers = sorted(p.communicate(timeout=120)[0].decode().strip() for p in runs)
    assert answers == ["enrolled", "refused", "refused", "refused"]
