"""Cold start of `kiosk demo --windowed` to the first interactive frame, and resident memory
with the camera running a looping badge video. Targets: at most 2 s and 300 MB.

    ./run bench startup [--runs N] [--seconds S]

Each start is a fresh process (imports, fonts, database, window); the app writes the time of
its first painted frame to KIOSK_STARTUP_PROBE and, with KIOSK_EXIT_AFTER_FIRST_FRAME=1, leaves.
The first run also seeds the demo data and is reported on its own.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CMD = [sys.executable, "-c", "import sys; from entrypoints.kiosk_cli import main; sys.exit(main(sys.argv[1:]))"]


def _env(**extra: str) -> dict:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(extra)
    return env


def one_start(data_dir: Path, probe: Path) -> float:
    probe.unlink(missing_ok=True)
    t0 = time.time()
    done = subprocess.run(CMD + ["demo", "--windowed", "--role", "desk", "--camera", "none",
                                 "--data-dir", str(data_dir)],
                          env=_env(KIOSK_STARTUP_PROBE=str(probe), KIOSK_EXIT_AFTER_FIRST_FRAME="1"),
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not probe.exists():
        raise RuntimeError(f"kiosk demo failed ({done.returncode}): {done.stderr[-2000:]}")
    return float(probe.read_text()) - t0


def memory_with_camera(data_dir: Path, seconds: float) -> tuple[float, float]:
    from tests.helpers_scan import sample_codes, write_badge_video
    video = write_badge_video(data_dir / "bench-badges.avi", sample_codes(4), seconds_per_code=1.0, fps=15,
                              gap_seconds=0.5)
    proc = subprocess.Popen(CMD + ["demo", "--windowed", "--role", "desk", "--camera", str(video),
                                   "--data-dir", str(data_dir)],
                            env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples = []
    try:
        p = psutil.Process(proc.pid)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.25)
            if proc.poll() is not None:
                raise RuntimeError("the kiosk exited while measuring memory")
            samples.append(p.memory_info().rss / 2**20)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return max(samples), samples[-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=12.0)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "demo"
        probe = Path(tmp) / "probe"
        first = one_start(data, probe)
        times = [one_start(data, probe) for _ in range(args.runs)]
        peak, last = memory_with_camera(data, args.seconds)
    median = statistics.median(times)
    print(f"first start (seeds the demo data): {first:.2f} s")
    print(f"cold start to first frame, {args.runs} runs: median {median:.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f})  target <= 2.0 s  {'OK' if median <= 2.0 else 'OVER'}")
    print(f"resident memory with the camera looping a video for {args.seconds:.0f} s: peak {peak:.0f} MB, "
          f"last {last:.0f} MB  target <= 300 MB  {'OK' if peak <= 300 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
