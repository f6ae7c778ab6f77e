"""Sync benchmark over loopback, with the real server process and a real kiosk process.

Run: ``./run bench sync`` or ``.venv/bin/python -m tests.bench.sync [--quick]``.

Measures, against `kiosk-server serve` on 127.0.0.1:
1. first pull of the whole event into an empty kiosk (`kiosk sync` as its own process:
   wall time, the round's own time, and the process's peak memory);
2. push of queued scans (one kiosk, all batches);
3. a pull with nothing new (median and max of 30);
4. many devices scanning together, each asking the server for every verdict (online
   checks at a desk's pace), from several client processes: p50/p99/max server answer.
Targets (issue 5): 100,000 attendees pulled in <= 15 s and <= 300 MB peak; 10,000 scans
pushed in <= 5 s; nothing-new pull <= 50 ms; 50 devices: p99 answer <= 50 ms.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.sql import sql

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _start_server(db: Path, port: int) -> subprocess.Popen:
    import requests

    # plain HTTP on loopback, as the figures in the README were measured (TLS is tested in test_sync_faults)
    proc = subprocess.Popen([sys.executable, "-m", "entrypoints.server_cli", "serve", "--db", str(db),
                             "--port", str(port), "--insecure-http"],
                            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")


def _device_worker(args) -> list[float]:
    """One client process driving several devices, each scanning at a desk's pace."""
    import threading

    import requests

    url, devices, seconds, interval, seed = args
    out: list[float] = []
    lock = threading.Lock()
    start_at = time.monotonic() + 0.5

    def run(token: str, codes: list[str], n: int) -> None:
        s = requests.Session()
        rnd = random.Random(seed + n)
        times = []
        time.sleep(max(0.0, start_at - time.monotonic()) + rnd.random() * interval)
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end:
            body = {"code": codes[i % len(codes)], "record_id": f"bench{seed}x{n}x{i}",
                    "device_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())}
            t0 = time.perf_counter()
            r = s.post(f"{url}/api/v1/checkin", json=body, headers={"Authorization": f"Device {token}"}, timeout=10)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
            i += 1
            time.sleep(max(0.0, interval - times[-1]) * (0.5 + rnd.random()))
        with lock:
            out.extend(times)

    threads = [threading.Thread(target=run, args=(tok, codes, n)) for n, (tok, codes) in enumerate(devices)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="a smaller run (10,000 attendees, 2,000 scans, 20 devices)")
    p.add_argument("--attendees", type=int)
    p.add_argument("--scans", type=int)
    p.add_argument("--devices", type=int)
    p.add_argument("--keep", action="store_true", help="keep the databases (their folder is printed)")
    args = p.parse_args(argv)
    n_att = args.attendees or (10_000 if args.quick else 100_000)
    n_scans = args.scans or (2_000 if args.quick else 10_000)
    n_dev = args.devices or (20 if args.quick else 50)
    seconds = 4 if args.quick else 10

    from kiosk.store import Store
    from sync import devices
    from sync.demo import DEMO_REVOKED, seed_demo
    from sync.enrolment import enroll
    from sync.protocol import make_setup_code
    from sync.rounds import SyncClient
    from sync.serverdb import ServerDB
    from tests.helpers_net import free_port
    from tests.helpers_sync import queue_scans

    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    server_db = tmp / "server.db"
    t0 = time.perf_counter()
    db = ServerDB(server_db)
    seed_demo(db, n_att)
    setup = []
    for i in range(n_dev + 1):
        setup.append(devices.register(db, "desk", f"Desk {i + 1}")[1])
    rnd = random.Random(7)
    ids = [r[0] for r in sql(db).execute("SELECT id FROM attendees WHERE id NOT IN ('A000013', 'A000021')")]
    codes = [db.badge_code(db.store.attendee(a)) for a in rnd.sample(ids, min(len(ids), n_dev * 40))]
    db.close()
    print(f"setup: seeded {n_att:,} attendees and {n_dev + 1} devices in {time.perf_counter() - t0:.1f} s ({tmp})")

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start_server(server_db, port)
    results: dict[str, str] = {}
    try:
        kiosk_db = tmp / "kiosk.db"
        store = Store(kiosk_db)
        enroll(store, make_setup_code(url, setup[0]))
        store.close()

        # 1. first pull, in its own process so its memory is its own
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "entrypoints.kiosk_cli", "sync", "--db", str(kiosk_db)], cwd=ROOT, env=_env(),
                             capture_output=True, text=True)
        wall = time.perf_counter() - t
        if out.returncode != 0:
            raise SystemExit(f"first pull failed: {out.stderr}")
        round_s = json.loads(out.stdout)["seconds"]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pulled = json.loads(out.stdout)["pulled"].get("attendees", 0)
        results["first pull"] = (f"{pulled:,} attendees: {round_s:.2f} s in the round, {wall:.2f} s with process "
                                 f"start-up; peak memory {peak_mb:.0f} MB (target <= 15 s, <= 300 MB)")

        store = Store(kiosk_db)
        client = SyncClient(store)
        # 3. nothing new
        times = []
        for _ in range(30):
            t = time.perf_counter()
            r = client.pull()
            times.append(time.perf_counter() - t)
            assert r.pages == 0
        results["empty pull"] = (f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
                                 f"(target <= 50 ms)")

        # 2. push of queued scans
        queue_scans(store, n_scans, attendees=min(n_att, 5000))
        t = time.perf_counter()
        pushed = client.push()
        dt = time.perf_counter() - t
        # the demo revokes one attendee (sync.demo.DEMO_REVOKED): its entry scans come back as
        # conflicts, as they should; every other scan must be accepted
        revoked = sum(1 for i in range(n_scans) if f"A{(i % min(n_att, 5000)) + 1:06d}" == DEMO_REVOKED)
        assert pushed.accepted + pushed.conflict == n_scans and pushed.conflict <= revoked, pushed
        assert client.pending_count() == 0, pushed
        results["push"] = (f"{n_scans:,} scans in {dt:.2f} s, {pushed.batches} batches, "
                           f"{n_scans / dt:,.0f} scans/s, {pushed.conflict} conflict(s) for the revoked demo "
                           f"attendee (target 10,000 in <= 5 s)")
        store.close()

        # 4. devices scanning together (online checks), from several client processes
        db = ServerDB(server_db)
        tokens = [devices.exchange(db, s)[1] for s in setup[1:]]
        db.close()
        per_proc = 10
        chunks = []
        for k in range(0, n_dev, per_proc):
            chunk = [(tok, codes[(k + j) * 40:(k + j + 1) * 40]) for j, tok in enumerate(tokens[k:k + per_proc])]
            chunks.append((url, chunk, seconds, 1.0, k))
        with mp.get_context("spawn").Pool(len(chunks)) as pool:
            lat = sorted(x for part in pool.map(_device_worker, chunks) for x in part)
        q = statistics.quantiles(lat, n=100)
        results["devices"] = (f"{n_dev} devices, {len(lat):,} online verdicts in {seconds} s "
                              f"({len(lat) / seconds:.0f}/s): p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, "
                              f"max {lat[-1] * 1000:.1f} ms (target p99 <= 50 ms)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    for k, v in results.items():
        print(f"{k:>12}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
