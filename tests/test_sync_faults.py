"""Faults that must not lose or double anything: real server, real kiosk databases, real processes.

After everything heals, the server holds every confirmed scan exactly once, and a badge
that entered twice while two desks were offline is on the conflict list.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk.checkin import DeviceContext, check
from kiosk.models import Status
from kiosk.store import Store
from sync.onlinecheck import check_online
from sync.rounds import SyncClient, sync_status
from sync.server import EmbeddedServer
from sync import tls
from sync.transport import SyncError, make_session
from tests.helpers_net import free_port
from tests.helpers_sync import badge, enrolled_kiosk, queue_scans, seeded_server_db, server_checkin_ids
from tests.sql import sql

ROOT = Path(__file__).resolve().parents[1]


def rounds_until_healed(store: Store, attempts: int = 6) -> None:
    for _ in range(attempts):
        try:
            SyncClient(store).round()
            return
        except SyncError:
            time.sleep(0.2)
    raise AssertionError("sync never succeeded")


def assert_exactly_once(store: Store, server_db: Path, expected: list[str]) -> None:
    on_server = server_checkin_ids(server_db)
    assert len(on_server) == len(set(on_server))
    assert set(expected) <= set(on_server)
    assert sync_status(store).pending == 0 and sync_status(store).rejected == 0


def test_answers_lost_after_the_server_committed_are_not_doubled(tmp_path, server_db, link):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, link.url, tls=link.pin)
    SyncClient(store).round()
    ids = queue_scans(store, 1200)
    # every upload's answer is cut off after the server did the work, three times over
    link.set("pass", script=["cut_response"] * 3, cut_after=100)
    rounds_until_healed(store)
    assert_exactly_once(store, server_db, ids)
    assert len(server_checkin_ids(server_db)) == 1200
    store.close()


def test_500s_refused_and_half_sent_requests_then_heal(tmp_path, server_db, link):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, link.url, tls=link.pin)
    SyncClient(store).round()
    ids = queue_scans(store, 700)
    link.set("pass", script=["error500", "refuse", "cut_request", "error500", "refuse", "error500", "cut_request",
                              "refuse", "error500"], cut_after=300)
    rounds_until_healed(store, attempts=8)
    assert_exactly_once(store, server_db, ids)
    assert len(server_checkin_ids(server_db)) == 700
    store.close()


def test_slow_answer_makes_the_desk_decide_locally_under_the_same_record_id(tmp_path, server_db, proxy):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, proxy.url)
    SyncClient(store).round()
    proxy.set("hold")  # the server's answer waits until the test releases it
    v = check_online(store, badge(server_db, "A000200"), DeviceContext.from_store(store), timeout=0.3)
    # it returned without the answer (else it would say "server"): the person at the desk is not kept waiting
    assert v.status is Status.OK and v.decided_by == "local"
    # the server did receive it and recorded it under the device's id
    assert wait_for(lambda: server_checkin_ids(server_db) == [v.record_id], timeout=10)
    proxy.release()
    proxy.set("pass")
    rounds_until_healed(store)
    assert server_checkin_ids(server_db) == [v.record_id]
    assert sync_status(store).pending == 0
    store.close()


def test_two_desks_offline_same_badge_after_healing_is_on_the_conflict_list(tmp_path, server_db, proxy):
    one = enrolled_kiosk(tmp_path / "one.db", server_db, proxy.url, name="Desk 1")
    two = enrolled_kiosk(tmp_path / "two.db", server_db, proxy.url, name="Desk 2")
    for s in (one, two):
        SyncClient(s).round()
    proxy.set("refuse")
    code = badge(server_db, "A000210")
    ids = []
    for s in (one, two):
        ctx = DeviceContext.from_store(s)
        v = check_online(s, code, ctx, timeout=0.5) or check(s, code, ctx)
        assert v.status is Status.OK and v.decided_by == "local"
        ids.append(v.record_id)
    proxy.set("pass")
    for s in (one, two, one):
        rounds_until_healed(s)
    assert sorted(server_checkin_ids(server_db)) == sorted(ids)
    for s in (one, two):
        [c] = s.sync.conflicts()
        assert c.attendee_id == "A000210" and {c.device, c.other_device} == {"Desk 1", "Desk 2"}
    one.close()
    two.close()


# -- real processes, SIGKILL -----------------------------------------------------------------------
def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start_server_process(server_db: Path, port: int) -> subprocess.Popen:
    """`kiosk-server serve` as shipped: HTTPS with the certificate it makes at its first start."""
    proc = subprocess.Popen([sys.executable, "-m", "entrypoints.server_cli", "serve", "--db", str(server_db), "--port", str(port)],
                            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            session = make_session(retries=False, pin=server_pin(server_db))
            if session.get(f"https://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"server did not start: {proc.stderr.read().decode()[-500:]}")


def server_pin(server_db: Path) -> str | None:
    cert = tls.default_paths(server_db)[0]
    return tls.fingerprint(cert) if cert.exists() else None


def kiosk_sync(kiosk_db: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "entrypoints.kiosk_cli", "sync", "--db", str(kiosk_db)], cwd=ROOT,
                            env={**_env(), **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count(path: Path, sql: str) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return con.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def wait_for(predicate, timeout: float = 30, step: float = 0.002) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def server_process(server_db):
    port = free_port()
    procs = [start_server_process(server_db, port)]
    yield port, procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


def test_server_killed_in_the_middle_of_a_push(tmp_path, server_db, server_process):
    port, procs = server_process
    store = enrolled_kiosk(tmp_path / "k.db", server_db, f"https://127.0.0.1:{port}", tls=server_pin(server_db))
    SyncClient(store).round()
    ids = queue_scans(store, 6000)
    store.close()
    sync = kiosk_sync(tmp_path / "k.db", KIOSK_SYNC_BATCH_SIZE="200")
    assert wait_for(lambda: count(server_db, "SELECT count(*) FROM received") > 0)
    procs[0].send_signal(signal.SIGKILL)
    procs[0].wait(timeout=10)
    out, err = sync.communicate(timeout=60)
    assert sync.returncode == 1 and b"not reachable" in err
    landed = count(server_db, "SELECT count(*) FROM checkins")
    assert 0 < landed < 6000  # it really was killed half-way
    procs.append(start_server_process(server_db, port))
    again = kiosk_sync(tmp_path / "k.db")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    store = Store(tmp_path / "k.db")
    assert_exactly_once(store, server_db, ids)
    assert len(server_checkin_ids(server_db)) == 6000
    store.close()


def test_kiosk_killed_in_the_middle_of_a_push_and_restarted(tmp_path, server_db, server):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    SyncClient(store).round()
    ids = queue_scans(store, 6000)
    store.close()
    sync = kiosk_sync(tmp_path / "k.db", KIOSK_SYNC_BATCH_SIZE="200")
    assert wait_for(lambda: count(server_db, "SELECT count(*) FROM received") > 0)
    sync.send_signal(signal.SIGKILL)
    sync.wait(timeout=10)
    assert count(server_db, "SELECT count(*) FROM checkins") < 6000
    again = kiosk_sync(tmp_path / "k.db")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err.decode()
    store = Store(tmp_path / "k.db")
    assert_exactly_once(store, server_db, ids)
    assert len(server_checkin_ids(server_db)) == 6000
    store.close()


def test_kiosk_killed_during_its_first_pull_resumes_from_its_cursor(tmp_path, server):
    big = seeded_server_db(tmp_path / "big.db", attendees=6000)
    with EmbeddedServer(big) as srv:
        store = enrolled_kiosk(tmp_path / "k.db", big, srv.url)
        store.close()
        sync = kiosk_sync(tmp_path / "k.db", KIOSK_SYNC_PAGE_SIZE="300")
        kiosk_db = tmp_path / "k.db"
        assert wait_for(lambda: count(kiosk_db, "SELECT count(*) FROM attendees") >= 900, step=0.005)
        sync.send_signal(signal.SIGKILL)
        sync.wait(timeout=10)
        half = count(kiosk_db, "SELECT count(*) FROM attendees")
        cursor = count(kiosk_db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'pull_cursor'")
        assert 0 < half < 6000 and cursor > 0
        again = kiosk_sync(kiosk_db)
        out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err.decode()
        assert count(kiosk_db, "SELECT count(*) FROM attendees") == 6000


def test_a_reprint_whose_answer_is_lost_is_not_reissued_again(tmp_path, server_db, proxy):
    from sync.deskcalls import DeskCalls
    from sync.serverdb import ServerDB
    from sync.transport import ServerAddress

    store = enrolled_kiosk(tmp_path / "k.db", server_db, proxy.url)
    SyncClient(store).round()
    auth = ServerAddress.of(store)
    request_reprint = DeskCalls().request_reprint  # one desk: its unanswered request ids live in this object
    proxy.set("pass", script=["cut_response", "cut_response"], cut_after=10)  # the server reissues, the desk hears nothing
    with pytest.raises(SyncError):
        request_reprint(auth, "A000030")  # both tries inside the call lose their answers
    issued = request_reprint(auth, "A000030")  # staff press print again: the same request
    db = ServerDB(server_db)
    try:
        assert db.store.attendee("A000030").badge_issue == 2 == issued.issue
    finally:
        db.close()
    store.close()


def _server_stats(server_db: Path) -> dict:
    from sync.serverdb import ServerDB

    db = ServerDB(server_db)
    try:
        return db.stats()
    finally:
        db.close()


def test_an_online_check_whose_connection_drops_after_the_server_recorded_it_is_not_doubled(
        tmp_path, server_db, link):
    from sync.onlinecheck import decide

    store = enrolled_kiosk(tmp_path / "k.db", server_db, link.url, tls=link.pin)
    SyncClient(store).round()
    # the server decides and records the entry, then the connection closes before any answer byte
    link.set("pass", script=["cut_response"], cut_after=0)
    v = decide(store, badge(server_db, "A000220"), DeviceContext.from_store(store))
    assert v.status is Status.OK and v.decided_by == "local"
    link.set("pass")
    rounds_until_healed(store)
    assert server_checkin_ids(server_db) == [v.record_id]
    stats = _server_stats(server_db)
    assert stats["scans"] == 1 and stats["checked_in"] == 1
    assert sql(store).execute("SELECT count(*) FROM checkins").fetchone()[0] == 1
    store.close()
