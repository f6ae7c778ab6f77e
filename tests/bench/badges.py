"""Benchmark: a batch of badges in one PDF, as `kiosk-server badges` writes it.

    ./run bench badges                  # 2,000 A6 badges (target <= 60 s)
    ./run bench badges --badges 500 --template a4-4up

Prints the whole batch (signing, layout, fonts, PDF) and its parts, and a baseline measured in
the same run on the same machine: the PDF library writing as many empty pages, so a slow or
busy machine shows as a slow baseline rather than as a slow badge writer. Also the CPU time
(a shared machine's wall clock runs slow when other work competes for the cores).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader

from kiosk import badgetemplates
from sync.badgebatch import Selection, select, write_badges
from sync.demo import seed_demo
from sync.serverdb import ServerDB

TARGET_S = 60.0


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(start: tuple[float, float]) -> tuple[float, float]:
    wall, cpu = clocks()
    return wall - start[0], cpu - start[1]


def empty_pages(n: int, out: Path) -> None:
    pdf = FPDF(unit="mm", format=(105, 148))
    for _ in range(n):
        pdf.add_page()
    pdf.output(str(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--badges", type=int, default=2000)
    ap.add_argument("--template", default="a6")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-badges-"))
    print(f"Badge batch benchmark: {args.badges:,} badges, template {args.template}, in {tmp}")
    db = ServerDB(tmp / "server.db")
    seed_demo(db, args.badges)
    template = badgetemplates.load(args.template)

    start = clocks()
    empty_pages(args.badges, tmp / "empty.pdf")
    base_wall, base_cpu = since(start)

    start = clocks()
    people, revoked = select(db, Selection())
    select_wall, _ = since(start)
    start = clocks()
    result = write_badges(db, template, people, tmp / "badges.pdf")
    wall, cpu = since(start)
    db.close()
    pages = len(PdfReader(tmp / "badges.pdf").pages)
    size_mb = (tmp / "badges.pdf").stat().st_size / 1e6

    print()
    print(f"{'step':<44}{'wall s':>10}{'cpu s':>10}")
    print(f"{'baseline: ' + format(args.badges, ',') + ' empty pages (fpdf2)':<44}{base_wall:>10.1f}{base_cpu:>10.1f}")
    print(f"{'choose attendees':<44}{select_wall:>10.2f}")
    print(f"{'write the badge PDF':<44}{wall:>10.1f}{cpu:>10.1f}   target <= {TARGET_S:.0f} s")
    print()
    print(f"badges {result['badges']:,} ({revoked} revoked left out), pages {pages:,}, {size_mb:.1f} MB, "
          f"{wall / max(1, result['badges']) * 1000:.1f} ms per badge, missing glyphs: {result['missing_glyphs']}")
    print(f"badges vs empty pages: {wall / max(base_wall, 1e-9):.1f}x the baseline's time")
    busy = base_wall / max(base_cpu, 1e-9)  # how much slower than its CPU time the wall clock ran here
    if busy > 1.5:
        print(f"the machine is busy: the baseline's wall clock ran {busy:.1f}x its CPU time; the batch's CPU "
              f"time ({cpu:.1f} s) is what it would take on an idle core")
    print("PASS" if wall <= TARGET_S else "OVER TARGET", f"({wall:.1f} s for {result['badges']:,} badges)")


if __name__ == "__main__":
    main()
