"""Hall map benchmark on a generated hall of 500 booths: build, search-to-highlight, route, pan frame.

Run: .venv/bin/python -m tests.bench.map   (offscreen; prints figures, targets alongside)
"""
from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.directory import Directory, matching_booths  # noqa: E402
from kiosk.hallmap import Background, generate_hall  # noqa: E402
from kiosk.models import Exhibitor  # noqa: E402
from kiosk.routing import NoRoute, booth_fronts, route, walk_graph  # noqa: E402
from ui.map_view import HallMapView  # noqa: E402

CATEGORIES = {"biomedicine": "#2E7D32", "ai": "#1565C0", "robotics": "#6A1B9A", "devices": "#EF6C00",
              "services": "#00838F", "finance": "#AD1457"}
HAN = "华康生物医药科技健瑞源中关村北京天明博新诚安泰智慧精准基因细胞创"
WORDS = ["Bio", "Gene", "Medical", "Robotics", "Health", "Pharma", "Cell", "Data", "Vision", "Care", "Tech", "Capital"]


def exhibitors_for(booth_ids: list[str], rng: random.Random) -> list[Exhibitor]:
    out = []
    for i, b in enumerate(booth_ids):
        zh = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 4))) + rng.choice(["科技", "生物", "医疗", "资本"])
        en = f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(WORDS)} {i}"
        out.append(Exhibitor(id=f"X{i:03d}", name=en, name_zh=zh, category=rng.choice(list(CATEGORIES)), booths=(b,),
                             description="Demo exhibitor for the benchmark.", products=(rng.choice(WORDS).lower() + " kit",)))
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    rng = random.Random(7)
    hall = generate_hall(500, seed=7)
    exhibitors = exhibitors_for([b.id for b in hall.booths], rng)

    t = time.perf_counter()
    walk_graph(hall)
    walk_graph(hall, step_free=True)
    t_graph = time.perf_counter() - t
    t = time.perf_counter()
    view = HallMapView(hall, exhibitors, CATEGORIES)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    t_scene = time.perf_counter() - t
    t = time.perf_counter()
    directory = Directory(exhibitors)
    t_index = time.perf_counter() - t
    g = walk_graph(hall)
    print(f"hall: {len(hall.booths)} booths, {len(g.rects)} merged obstacles, "
          f"graph {g.graph.number_of_nodes()} nodes / {g.graph.number_of_edges()} edges")
    print(f"build: walk graphs (plain + step-free) {t_graph * 1000:.0f} ms, scene+view {t_scene * 1000:.0f} ms, "
          f"directory index {t_index * 1000:.0f} ms")

    queries = []
    for e in rng.sample(exhibitors, 60):
        queries += [e.booths[0], e.name.split()[0][:4], e.name_zh[:2]]
    queries += ["kang", "hk", "zgc", "robot", "bio", "a", "g1", "kit", "医"]
    times = []
    for q in queries:
        t = time.perf_counter()
        view.highlight(matching_booths(directory.search(q)))
        times.append(time.perf_counter() - t)
    print(f"search-to-highlight: {len(times)} queries, median {statistics.median(times) * 1000:.2f} ms, "
          f"p95 {pct(times, 0.95) * 1000:.2f} ms (target <= 50 ms)")
    view.highlight([])

    ids = [b.id for b in hall.booths]
    rtimes = []
    unreachable = 0
    for i in range(300):
        start = hall.kiosk_position() if i % 2 else booth_fronts(hall, rng.choice(ids))[0]
        t = time.perf_counter()
        try:
            route(hall, start, rng.choice(ids), step_free=(i % 5 == 0))
        except NoRoute:  # a booth whose only open side faces steps has no step-free route
            unreachable += 1
        rtimes.append(time.perf_counter() - t)
    print(f"route: {len(rtimes)} routes, median {statistics.median(rtimes) * 1000:.2f} ms, "
          f"p95 {pct(rtimes, 0.95) * 1000:.2f} ms (target <= 50 ms); {unreachable} step-free targets unreachable")

    for scale, label in ((view.zoom_limits()[0] / 0.8, "whole hall"), (25.0, "25 px/m")):
        view.fit_all()
        if label != "whole hall":
            view.zoom_by(scale / view.scale_px_per_m(), QPoint(640, 400))
        image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
        ftimes = []
        bar = view.horizontalScrollBar()
        for step in range(80):
            bar.setValue(bar.value() + (30 if (step // 20) % 2 == 0 else -30))
            t = time.perf_counter()
            view.viewport().render(image)
            ftimes.append(time.perf_counter() - t)
        print(f"pan frame ({label}, 1280x800): median {statistics.median(ftimes) * 1000:.1f} ms, "
              f"p95 {pct(ftimes, 0.95) * 1000:.1f} ms (target median <= 16 ms)")
    view.close()
    bench_plan(app, hall, exhibitors)


def plan_png(hall, px_per_m: float) -> tuple[bytes, Background]:
    """A venue plan of the generated hall as import-hall stores one: at most 3072 px a side, calibrated."""
    from PIL import Image, ImageDraw

    from kiosk.hallplan import MAX_SIDE, Calibration, _finish

    x0, y0, x1, y1 = hall.bounds
    img = Image.new("RGB", (round((x1 - x0) * px_per_m), round((y1 - y0) * px_per_m)), "#FFFFFF")
    d = ImageDraw.Draw(img)
    for b in hall.booths:
        bx0, by0, bx1, by1 = b.bbox
        d.rectangle([bx0 * px_per_m, by0 * px_per_m, bx1 * px_per_m, by1 * px_per_m], outline="#5D4037", width=3)
        d.text((bx0 * px_per_m + 6, by0 * px_per_m + 6), b.id, fill="#5D4037")
    for k in range(0, img.size[0], 37):  # hatching: a plan is busy, not flat colour
        d.line([k, 0, k - img.size[1], img.size[1]], fill="#E0E0E0")
    prepared = _finish(img, 1.0, Calibration(1 / px_per_m, (x0, y0)), Path("bench-plan.png"))
    assert max(prepared.background.width, prepared.background.height) <= MAX_SIDE
    return prepared.png, prepared.background


def pan_frames(app, view) -> tuple[float, float]:
    image = QImage(view.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    bar = view.horizontalScrollBar()
    ftimes = []
    for step in range(80):
        bar.setValue(bar.value() + (30 if (step // 20) % 2 == 0 else -30))
        t = time.perf_counter()
        view.viewport().render(image)
        ftimes.append(time.perf_counter() - t)
    return statistics.median(ftimes), pct(ftimes, 0.95)


def bench_plan(app, hall, exhibitors) -> None:
    """The same hall with a 3072 px venue plan under the booths: build, and pan frames at three zooms."""
    import dataclasses

    t = time.perf_counter()
    png, bg = plan_png(hall, 60.0)
    t_prep = time.perf_counter() - t
    hall = dataclasses.replace(hall, background=bg)
    t = time.perf_counter()
    view = HallMapView(hall, exhibitors, CATEGORIES, background=png)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    t_scene = time.perf_counter() - t
    print(f"plan: {bg.width}x{bg.height} px PNG, {len(png) // 1024} KB; prepare {t_prep * 1000:.0f} ms, "
          f"scene+view with plan {t_scene * 1000:.0f} ms")
    for scale, label in ((0.0, "whole hall"), (25.0, "25 px/m"), (100.0, "100 px/m")):
        view.fit_all()
        if scale:
            view.zoom_by(scale / view.scale_px_per_m(), QPoint(640, 400))
        median, p95 = pan_frames(app, view)
        print(f"pan frame with plan ({label}, 1280x800): median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
              f"(target median <= 16 ms)")
    view.close()


if __name__ == "__main__":
    main()
