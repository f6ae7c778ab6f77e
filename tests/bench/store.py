"""Benchmark: the local store at event scale.

    ./run bench store            # 100,000 attendees (about a minute)
    ./run bench store --quick    # 20,000 attendees

Prints seed/import time, bundle export and load time, database size, check-in decision
plus commit (median, p99) for signed badges and plain codes, and search latency (median,
p95) for Latin, Chinese and pinyin queries. Targets: check-in p99 <= 5 ms, search p95 <= 30 ms.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.bundle import export_bundle, load_bundle
from kiosk.checkin import DeviceContext, check
from kiosk.search import search_attendees
from kiosk.store import Store
from sync.demo import seed_demo
from sync.serverdb import ServerDB
from tests.sql import sql


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--attendees", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 20_000 if args.quick else args.attendees
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    print(f"Store benchmark with {n:,} attendees in {tmp}")

    server = ServerDB(tmp / "server.db")
    t = time.perf_counter()
    seed_demo(server, n)
    seed_s = time.perf_counter() - t
    t = time.perf_counter()
    export_bundle(server.store, tmp / "event.bundle", server.trust_root())
    root = server.trust_root().fingerprint
    export_s = time.perf_counter() - t
    rng = random.Random(7)
    people = [server.store.attendee(f"A{rng.randrange(1, n + 1):06d}") for _ in range(600)]
    codes = [server.badge_code(p) for p in people[:400]]
    plain = [r[0] for r in sql(server).execute("SELECT code FROM attendees WHERE code IS NOT NULL LIMIT 200")]
    server.close()

    kiosk = Store(tmp / "kiosk.db")
    t = time.perf_counter()
    load_bundle(tmp / "event.bundle", kiosk, root)
    load_s = time.perf_counter() - t
    size_mb = sum(p.stat().st_size for p in tmp.glob("kiosk.db*")) / 1e6
    ctx = DeviceContext.from_store(kiosk)

    signed_ms = [timed(lambda c=c: check(kiosk, c, ctx)) for c in codes]
    plain_ms = [timed(lambda c=c: check(kiosk, c, ctx)) for c in plain]
    repeat_ms = [timed(lambda c=c: check(kiosk, c, ctx)) for c in codes[:200]]

    zh_names = [p.name_zh for p in people if p.name_zh][:100]
    latin = [p.name.split()[-1] for p in people if not p.name_zh][:50] + ["Roche", "Karolinska", "Tanaka"]
    pinyin = [p.name.lower() for p in people if p.name_zh][:60]
    from kiosk.pinyin import pinyin_keys
    initials = [pinyin_keys(z)[1] for z in zh_names[:40]]
    queries = {
        "latin": latin,
        "chinese (full)": zh_names,
        "chinese (1-2 chars)": [z[:1] for z in zh_names[:40]] + [z[1:3] for z in zh_names[:40]],
        "pinyin (full)": pinyin,
        "pinyin (initials)": initials,
        "plain code": plain[:50],
    }
    print()
    print(f"{'step':<34}{'figure':>16}")
    print(f"{'seed server (attendees)':<34}{seed_s:>14.1f} s")
    print(f"{'export bundle':<34}{export_s:>14.1f} s")
    print(f"{'load bundle into kiosk':<34}{load_s:>14.1f} s")
    print(f"{'kiosk database size':<34}{size_mb:>13.1f} MB")
    print()
    print(f"{'check-in (decision + commit)':<34}{'median ms':>12}{'p99 ms':>10}   target p99 <= 5 ms")
    for label, values in (("signed badge, first entry", signed_ms), ("plain code", plain_ms),
                          ("signed badge, already in", repeat_ms)):
        print(f"  {label:<32}{statistics.median(values):>12.2f}{pct(values, 99):>10.2f}")
    print()
    print(f"{'search':<34}{'median ms':>12}{'p95 ms':>10}   target p95 <= 30 ms")
    for label, qs in queries.items():
        values = [timed(lambda q=q: search_attendees(kiosk, q)) for q in qs]
        print(f"  {label:<32}{statistics.median(values):>12.2f}{pct(values, 95):>10.2f}")
    kiosk.close()


if __name__ == "__main__":
    main()
