"""Soak: the real kiosk, offscreen, scanning for a long time; reports growth of memory and handles.

    ./run bench soak                 # one hour (the target: no growth beyond noise over an hour)
    ./run bench soak --quick         # three minutes
    ./run bench soak --minutes 480 --interval 2 --csv soak.csv

The whole composition root runs (ui.app.KioskApp: task manager and database thread, scan stream,
desk screen with its verdict card, idle watcher, sounds off) on a real database with 5,000
attendees. Scans arrive every `--interval` seconds, taking turns: a USB-wedge burst typed into
the window (key events through the app's WedgeFilter), a typed code handed to the app, and a
repeat of an earlier badge (already checked in); meanwhile the camera worker decodes a looping
video of badges. Every `--sample` seconds it records RSS, open file descriptors, threads, live
QObjects and Python objects; after a warm-up it fits a line through the samples and prints the
growth per hour, next to the noise (the spread of the samples around the line).
"""
from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = ""  # the virtual keyboard would take the typed keys

import psutil  # noqa: E402

from kiosk import pin  # noqa: E402
from kiosk.models import Attendee, Scan  # noqa: E402
from tests.factories import badge_for, demo_event_store  # noqa: E402
from tests.helpers_scan import write_badge_video  # noqa: E402

METRICS = ("rss_mb", "fds", "threads", "qobjects", "pyobjects")


def make_people(n: int) -> list[Attendee]:
    return [Attendee(f"S{i:05d}", f"Soak Person {i}", "", "Soak Org", code=f"SOAK-{i:05d}") for i in range(n)]


def prepare(folder: Path, attendees: int) -> tuple[Path, list[str], list[str], Path]:
    """A desk database, the plain codes, some signed badges, and a looping badge video."""
    people = make_people(attendees)
    store, key = demo_event_store(folder / "kiosk.db", people=people)
    pin.set_pin(store, "1234")
    store.close()
    plain = [p.code for p in people]
    signed = [badge_for(p, key) for p in people[:20]]
    video = write_badge_video(folder / "badges.avi", signed[:4], seconds_per_code=1.5, fps=10,
                              size=(960, 540), gap_seconds=1.0)
    return folder / "kiosk.db", plain, signed, video


def count_qobjects(app) -> int:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    tops = QApplication.topLevelWidgets()
    return 1 + len(app.findChildren(QObject)) + sum(1 + len(w.findChildren(QObject)) for w in tops)


class Soak:
    def __init__(self, args, folder: Path):
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui.app import KioskApp

        self.args = args
        self.db, self.plain, self.signed, self.video = prepare(folder, args.attendees)
        self.app = QApplication.instance() or QApplication(["soak"])
        self.kiosk = KioskApp(self.app, self.db, role="desk", windowed=True, camera=str(self.video), sounds=False)
        self.kiosk.window.resize(1280, 800)
        self.kiosk.window.show()
        self.proc = psutil.Process()
        self.samples: list[dict] = []
        self.scans = {"wedge": 0, "typed": 0, "repeat": 0}
        self.verdicts: dict[str, int] = {}
        self.received: dict[str, int] = {}
        self.started = time.monotonic()
        self.next_plain = 0
        self.turn = 0
        desk = self.kiosk.desk
        original = desk.show_verdict

        def counting(verdict, _orig=original):
            self.verdicts[verdict.status.value] = self.verdicts.get(verdict.status.value, 0) + 1
            _orig(verdict)

        desk.show_verdict = counting  # count what reaches the screen; the card still shows it
        if self.kiosk.services.scans is not None:  # the merged stream the app itself listens to
            self.kiosk.services.scans.scan.connect(self._received)
        self.scan_timer = QTimer(interval=int(args.interval * 1000), timeout=self.scan)
        self.sample_timer = QTimer(interval=int(args.sample * 1000), timeout=self.sample)
        QTimer.singleShot(int(args.minutes * 60_000), self.finish)

    def _received(self, scan) -> None:
        self.received[scan.source] = self.received.get(scan.source, 0) + 1

    def run(self) -> None:
        self.sample()
        self.scan_timer.start()
        self.sample_timer.start()
        self.app.exec()

    # -- the traffic ---------------------------------------------------------------------------
    def scan(self) -> None:
        kind = ("wedge", "typed", "repeat")[self.turn % 3]
        self.turn += 1
        if kind == "repeat":  # a badge the camera video keeps showing: already checked in
            code = self.signed[self.turn % 4]
        else:
            code = self.plain[self.next_plain % len(self.plain)]
            self.next_plain += 1
        if kind == "wedge":
            self._wedge(code)
        else:
            self.kiosk._on_scan(Scan(code, "typed", time.monotonic()))
        self.scans[kind] += 1

    def _wedge(self, code: str) -> None:
        """Keys as a scanner sends them: a fast burst into the window, then Enter."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        handle = self.kiosk.window.windowHandle()
        for ch in code:
            QTest.keyClick(handle, ch)
        QTest.keyClick(handle, Qt.Key.Key_Return)

    # -- measuring -----------------------------------------------------------------------------
    def sample(self) -> None:
        gc.collect()
        row = {
            "t_min": (time.monotonic() - self.started) / 60,
            "rss_mb": self.proc.memory_info().rss / 1e6,
            "fds": self.proc.num_fds() if hasattr(self.proc, "num_fds") else self.proc.num_handles(),
            "threads": self.proc.num_threads(),
            "qobjects": count_qobjects(self.app),
            "pyobjects": len(gc.get_objects()),
            "scans": sum(self.scans.values()),
        }
        self.samples.append(row)
        if self.args.verbose:
            print("  ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
                  flush=True)

    def finish(self) -> None:
        self.sample()
        self.scan_timer.stop()
        self.sample_timer.stop()
        k = self.kiosk
        k.window.allow_close = True
        k.window.close()
        k.shutdown()
        self.app.quit()


def slope_per_hour(ts: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares growth per hour, and the noise: the spread of the samples around the line."""
    if len(ts) < 3:
        return 0.0, 0.0
    mt, my = statistics.fmean(ts), statistics.fmean(ys)
    var = sum((t - mt) ** 2 for t in ts)
    slope = sum((t - mt) * (y - my) for t, y in zip(ts, ys)) / var if var else 0.0
    residuals = [y - (my + slope * (t - mt)) for t, y in zip(ts, ys)]
    return slope * 60, statistics.pstdev(residuals)


def summary(samples: list[dict], warmup_min: float) -> list[tuple[str, float, float, float, float]]:
    steady = [s for s in samples if s["t_min"] >= warmup_min] or samples
    rows = []
    for m in METRICS:
        per_hour, noise = slope_per_hour([s["t_min"] for s in steady], [s[m] for s in steady])
        rows.append((m, steady[0][m], steady[-1][m], per_hour, noise))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Long run of the kiosk offscreen with scans")
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--quick", action="store_true", help="three minutes")
    ap.add_argument("--interval", type=float, default=3.0, help="seconds between scans")
    ap.add_argument("--sample", type=float, default=None, help="seconds between samples")
    ap.add_argument("--warmup", type=float, default=None, help="minutes left out of the fit")
    ap.add_argument("--attendees", type=int, default=5000)
    ap.add_argument("--csv", help="write every sample to this CSV file")
    ap.add_argument("--verbose", action="store_true", help="print each sample")
    args = ap.parse_args(argv)
    if args.quick:
        args.minutes = 3.0
    args.sample = args.sample or (10.0 if args.minutes <= 5 else 30.0)
    args.warmup = args.warmup if args.warmup is not None else min(5.0, args.minutes / 3)

    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
        print(f"Soak: {args.minutes:g} min, a scan every {args.interval:g} s, sample every {args.sample:g} s, "
              f"warm-up {args.warmup:g} min, {args.attendees} attendees, camera on a looping badge video",
              flush=True)
        soak = Soak(args, Path(tmp))
        soak.run()
        samples = soak.samples
        if args.csv:
            with open(args.csv, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=list(samples[0]))
                w.writeheader()
                w.writerows(samples)
        total = sum(soak.scans.values())
        soak_sent_wedge, soak_received_wedge = soak.scans["wedge"], soak.received.get("wedge", 0)
        shown = sum(soak.verdicts.values())
        print(f"scans sent: {total} ({', '.join(f'{k} {v}' for k, v in soak.scans.items())}); "
              f"verdicts shown: {shown} ({', '.join(f'{k} {v}' for k, v in sorted(soak.verdicts.items()))}); "
              f"scans the app received: {', '.join(f'{k} {v}' for k, v in sorted(soak.received.items()))}")
        print(f"{'metric':<11}{'after warm-up':>15}{'end':>12}{'growth/hour':>14}{'noise (sd)':>12}")
        for name, first, last, per_hour, noise in summary(samples, args.warmup):
            print(f"{name:<11}{first:>15.1f}{last:>12.1f}{per_hour:>+14.1f}{noise:>12.1f}")
        span = samples[-1]["t_min"] - min((s["t_min"] for s in samples if s["t_min"] >= args.warmup),
                                          default=0.0)
        print(f"(fit over {span:.1f} min of {len(samples)} samples; a growth per hour that is small next to "
              f"the noise, or a run shorter than an hour, is not a leak verdict)")
        del soak
    wedge_ok = soak_received_wedge == soak_sent_wedge
    if not wedge_ok:
        print(f"the app received {soak_received_wedge} of {soak_sent_wedge} wedge scans")
    return 0 if total and shown >= total and wedge_ok else 1


if __name__ == "__main__":
    sys.exit(main())
