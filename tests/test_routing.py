"""Routes on the demo hall: along aisles, never through booths or walls, and truly shortest."""
from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from kiosk.hallmap import load_hall, point_in_polygon
from kiosk.paths import demo
from kiosk.routing import CLEARANCE_M, WALK_SPEED_M_S, NoRoute, booth_fronts, route, route_to_point


@pytest.fixture(scope="module")
def hall():
    return load_hall(demo() / "hall.json")


def _samples(points, step=0.05) -> np.ndarray:
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        n = max(2, math.ceil(math.dist((ax, ay), (bx, by)) / step) + 1)
        t = np.linspace(0.0, 1.0, n)[:, None]
        out.append(np.array([ax, ay]) * (1 - t) + np.array([bx, by]) * t)
    return np.concatenate(out)


def _hits_rects(pts: np.ndarray, rects: np.ndarray) -> bool:
    x, y = pts[:, 0:1], pts[:, 1:2]
    return bool(((x > rects[:, 0]) & (x < rects[:, 2]) & (y > rects[:, 1]) & (y < rects[:, 3])).any())


def _solid(hall, margin: float) -> np.ndarray:
    """Booths, walls and the stage as rects grown by `margin` (independent of the routing code)."""
    rects = [(x0 - margin, y0 - margin, x1 + margin, y1 + margin) for x0, y0, x1, y1 in (b.bbox for b in hall.booths)]
    for w in hall.walls:
        g = w.thickness / 2 + margin
        for (ax, ay), (bx, by) in zip(w.points, w.points[1:]):
            rects.append((min(ax, bx) - g, min(ay, by) - g, max(ax, bx) + g, max(ay, by) + g))
    for f in hall.facilities:
        if f.rect:
            x, y, w_, h_ = f.rect
            rects.append((x - margin, y - margin, x + w_ + margin, y + h_ + margin))
    return np.array(rects)


def test_no_route_between_any_two_booths_crosses_a_booth_or_wall(hall):
    """From the front of every booth to every other booth: 3540 routes, checked every 5 cm."""
    solid = _solid(hall, CLEARANCE_M - 0.05)  # keeps nearly the full clearance from every booth edge
    ids = [b.id for b in hall.booths]
    checked = 0
    for a in ids:
        start = booth_fronts(hall, a)[0]
        for b in ids:
            if a == b:
                continue
            r = route(hall, start, b)
            pts = _samples(r.points)
            assert not _hits_rects(pts, solid), f"route {a} -> {b} crosses an obstacle: {r.points}"
            assert all(point_in_polygon(tuple(p), hall.outline) for p in pts[:: 20])
            end = r.points[-1]
            bx0, by0, bx1, by1 = hall.booth(b).bbox
            gap = math.hypot(max(bx0 - end[0], 0, end[0] - bx1), max(by0 - end[1], 0, end[1] - by1))
            assert gap == pytest.approx(CLEARANCE_M, abs=0.01), "a route ends in front of its booth"
            checked += 1
    assert checked == len(ids) * (len(ids) - 1)


def _grid_distances(hall, start, cell=0.25, step_free=False):
    """Brute-force Dijkstra on an 8-connected grid of free floor, independent of the routing code."""
    x0, y0, x1, y1 = hall.bounds
    xs = np.arange(x0 + cell / 2, x1, cell)
    ys = np.arange(y0 + cell / 2, y1, cell)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    solid = _solid(hall, CLEARANCE_M)
    if step_free:
        extra = [(a.bbox[0] - CLEARANCE_M, a.bbox[1] - CLEARANCE_M, a.bbox[2] + CLEARANCE_M, a.bbox[3] + CLEARANCE_M)
                 for a in hall.steps]
        solid = np.concatenate([solid, np.array(extra)])
    x, y = pts[:, 0:1], pts[:, 1:2]
    blocked = ((x > solid[:, 0]) & (x < solid[:, 2]) & (y > solid[:, 1]) & (y < solid[:, 3])).any(axis=1)
    blocked |= (pts[:, 0] < x0 + CLEARANCE_M) | (pts[:, 0] > x1 - CLEARANCE_M)
    blocked |= (pts[:, 1] < y0 + CLEARANCE_M) | (pts[:, 1] > y1 - CLEARANCE_M)
    free = ~blocked.reshape(gx.shape)
    nx_, ny_ = free.shape
    si = int(np.argmin(np.hypot(gx - start[0], gy - start[1]) + np.where(free, 0, 1e9)))
    s = divmod(si, ny_)
    dist = np.full(free.shape, np.inf)
    dist[s] = math.dist(start, (gx[s], gy[s]))
    heap = [(dist[s], s)]
    moves = [(dx, dy, cell * math.hypot(dx, dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if dx or dy]
    while heap:
        d, (i, j) = heapq.heappop(heap)
        if d > dist[i, j]:
            continue
        for dx, dy, w in moves:
            a, b = i + dx, j + dy
            if 0 <= a < nx_ and 0 <= b < ny_ and free[a, b] and (dx == 0 or dy == 0 or (free[i + dx, j] and free[i, j + dy])):
                nd = d + w
                if nd < dist[a, b]:
                    dist[a, b] = nd
                    heapq.heappush(heap, (nd, (a, b)))
    return gx, gy, dist


@pytest.mark.parametrize("step_free", [False, True])
def test_routes_are_the_shortest_walk(hall, step_free):
    """Never longer than the best path on a fine grid, and not shorter than the grid metric allows."""
    start = hall.kiosk_position()
    gx, gy, dist = _grid_distances(hall, start, step_free=step_free)
    for b in hall.booths:
        r = route(hall, start, b.id, step_free=step_free)
        best = math.inf
        for fx, fy in booth_fronts(hall, b.id, step_free=step_free):
            near = np.hypot(gx - fx, gy - fy)
            mask = near <= 0.3
            best = min(best, float(np.min(dist[mask] + near[mask])) if mask.any() else math.inf)
        assert math.isfinite(best)
        assert r.distance_m <= best + 1e-6, f"{b.id}: {r.distance_m:.2f} m is longer than a grid path {best:.2f} m"
        # an 8-connected grid is at most 8.3 % longer than the straight-line optimum
        assert r.distance_m >= best / 1.0824 - 0.6, f"{b.id}: {r.distance_m:.2f} m is impossibly short"
        assert r.walk_seconds == pytest.approx(r.distance_m / WALK_SPEED_M_S)


def test_step_free_routes_avoid_steps_and_others_may_use_them(hall):
    steps = np.array([a.bbox for a in hall.steps])
    start = hall.kiosk_position()
    through_steps = 0
    for b in hall.booths:
        free = route(hall, start, b.id, step_free=True)
        assert not _hits_rects(_samples(free.points), steps), f"step-free route to {b.id} uses steps"
        plain = route(hall, start, b.id)
        assert plain.distance_m <= free.distance_m + 1e-6
        through_steps += _hits_rects(_samples(plain.points), steps)
    assert through_steps > 0, "the demo plan puts steps on some shortest routes"


def test_unknown_booth_and_point_targets(hall):
    with pytest.raises(NoRoute, match="Z99"):
        route(hall, hall.kiosk_position(), "Z99")
    office = next(f for f in hall.facilities if f.id == "office")
    r = route_to_point(hall, hall.kiosk_position(), office.pos)
    assert math.dist(r.points[-1], office.pos) < 1e-6
    walls = _solid(hall, 0.0)[len(hall.booths):]
    assert not _hits_rects(_samples(r.points), walls), "the way into the office goes through its door"


# ------------------------------------------------------------ turn-by-turn


def _r(points, target=""):
    from kiosk.routing import Route
    d = sum(math.dist(a, b) for a, b in zip(points, points[1:]))
    return Route(tuple(points), d, d / WALK_SPEED_M_S, target)


def test_directions_turns_follow_the_walkers_left_and_right():
    from kiosk.routing import Leg, directions
    # y points down the plan: walking "up" the screen then towards smaller x is a left turn
    d = directions(_r([(10, 20), (10, 8), (3, 8)]))
    assert d.legs == (Leg(12, "left"), Leg(7, ""))
    assert directions(_r([(10, 20), (10, 8), (17, 8)])).legs[0].turn == "right"
    assert directions(_r([(0, 0), (10, 0), (15, 4)])).legs[0].turn == "slight_right"  # about 39 degrees


def test_directions_fold_small_bends_and_jogs():
    from kiosk.routing import Leg, directions
    wobbly = directions(_r([(0, 0), (5, 0.4), (10, 0), (10.4, 0.3), (12, 0)]))
    assert wobbly.legs == (Leg(12, ""),)  # gentle bends and a 0.5 m jog are just walking on
    assert directions(_r([(0, 0)])).legs == ()


def test_directions_say_which_side_the_booth_is_on(hall):
    from kiosk.routing import directions
    kiosk = hall.kiosk_position("kiosk-1")
    d = directions(route(hall, kiosk, "B13"), hall)
    # from the kiosk up the aisle, left along the B row: B13 is then on the right
    assert [leg.turn for leg in d.legs] == ["left", ""] and d.booth_side == "right" and d.target == "B13"
    assert sum(leg.metres for leg in d.legs) == pytest.approx(route(hall, kiosk, "B13").distance_m, abs=2)
    east = directions(route(hall, kiosk, "C20"), hall)
    assert len(east.legs) == 1 and east.booth_side == "left"  # straight along the bottom aisle, C20 to the north
