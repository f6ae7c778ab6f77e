"""Walking routes across the hall: along aisles, never through a booth or a wall.

The walkable graph is a visibility graph. Every obstacle (booth, wall segment, walled-off
facility such as the stage, and for step-free routes every area with steps) is grown by a
clearance, so a route keeps half a shoulder's width from booth edges; the graph's nodes are
the corners of the grown obstacles that lie in free floor, and two nodes are joined when
the straight line between them touches no obstacle's interior. Shortest paths on such a
graph are the true shortest walks around the obstacles, and the graph is small (the corners
of whole booth blocks, since corners between touching booths lie inside a neighbour), so
it is built once per hall and a route costs a few milliseconds even for 500 booths.

Routing treats a polygon booth, a step area and a diagonal wall by their bounding box: it
may detour a little around odd shapes but never crosses them.
"""
from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass

import networkx as nx
import numpy as np

from kiosk.hallmap import Hall, Point, point_in_polygon

WALK_SPEED_M_S = 1.2
CLEARANCE_M = 0.5
_EPS = 1e-7


class NoRoute(LookupError):
    """No walkable way from the start to the target (or the target is not on the plan)."""


@dataclass(frozen=True)
class Route:
    points: tuple[Point, ...]  # from the start to the booth's front, in metres
    distance_m: float
    walk_seconds: float
    target: str = ""  # the booth id (or "" for a point target)

    @property
    def walk_minutes(self) -> int:
        """Rounded up, at least one: what a sign would say."""
        return max(1, math.ceil(self.walk_seconds / 60))


@dataclass
class _Graph:
    hall: Hall
    step_free: bool
    rects: np.ndarray  # (N, 4) grown obstacles xmin, ymin, xmax, ymax
    edges_a: np.ndarray  # outline edges (E, 2) start points
    edges_b: np.ndarray
    graph: nx.Graph
    nodes: np.ndarray  # (K, 2) node coordinates; node i of the graph is nodes[i]
    lock: threading.Lock


_cache: "weakref.WeakKeyDictionary[Hall, dict[bool, _Graph]]" = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


# ---------------------------------------------------------------- obstacles and geometry


def obstacle_rects(hall: Hall, step_free: bool = False, clearance: float = CLEARANCE_M) -> np.ndarray:
    """The grown obstacles routing avoids, as an (N, 4) array of xmin, ymin, xmax, ymax."""
    rects: list[tuple[float, float, float, float]] = []
    for b in hall.booths:
        x0, y0, x1, y1 = b.bbox
        rects.append((x0 - clearance, y0 - clearance, x1 + clearance, y1 + clearance))
    for w in hall.walls:
        grow = w.thickness / 2 + clearance
        for (ax, ay), (bx, by) in zip(w.points, w.points[1:]):
            rects.append((min(ax, bx) - grow, min(ay, by) - grow, max(ax, bx) + grow, max(ay, by) + grow))
    for f in hall.facilities:
        if f.rect:
            x, y, w_, h_ = f.rect
            rects.append((x - clearance, y - clearance, x + w_ + clearance, y + h_ + clearance))
    if step_free:
        for a in hall.steps:
            x0, y0, x1, y1 = a.bbox
            rects.append((x0 - clearance, y0 - clearance, x1 + clearance, y1 + clearance))
    return merge_rects(np.array(rects, dtype=float).reshape(-1, 4))


def merge_rects(rects: np.ndarray) -> np.ndarray:
    """Fuse overlapping rects that share a full side span into one (a row, then a block of booths).

    The union is exact, so routing sees the same free floor with a tenth of the obstacles.
    """
    cur = [tuple(np.round(r, 9)) for r in rects]
    for _ in range(4):
        before = len(cur)
        for axis in (0, 1):
            lo, hi, olo, ohi = (0, 2, 1, 3) if axis == 0 else (1, 3, 0, 2)
            cur.sort(key=lambda r: (r[olo], r[ohi], r[lo]))
            out: list[tuple] = []
            for r in cur:
                if out and out[-1][olo] == r[olo] and out[-1][ohi] == r[ohi] and r[lo] <= out[-1][hi]:
                    m = list(out[-1])
                    m[hi] = max(m[hi], r[hi])
                    out[-1] = tuple(m)
                else:
                    out.append(r)
            cur = out
        if len(cur) == before:
            break
    return np.array(cur, dtype=float).reshape(-1, 4)


def segments_blocked(p: np.ndarray, q: np.ndarray, rects: np.ndarray) -> np.ndarray:
    """For M segments p->q, whether each passes through the open interior of any rect.

    Liang-Barsky clipping, vectorised: a segment running along a rect's edge or touching
    a corner is free, so routes may follow the grown outline of a booth block.
    """
    if len(rects) == 0 or len(p) == 0:
        return np.zeros(len(p), dtype=bool)
    px, py = p[:, 0:1], p[:, 1:2]
    dx, dy = q[:, 0:1] - px, q[:, 1:2] - py
    xmin, ymin, xmax, ymax = (rects[:, i][None, :] for i in range(4))
    with np.errstate(divide="ignore", invalid="ignore"):
        lo, hi = _slab(px, dx, xmin, xmax)
        lo_y, hi_y = _slab(py, dy, ymin, ymax)
    t0 = np.maximum(np.maximum(lo, lo_y), 0.0)
    t1 = np.minimum(np.minimum(hi, hi_y), 1.0)
    t0, t1 = np.minimum(t0, 2.0), np.maximum(t1, -1.0)  # keep misses finite: (inf + -inf) would be nan
    tm = (t0 + t1) / 2
    mx, my = px + dx * tm, py + dy * tm
    inside = (t1 - t0 > 1e-9) & (mx > xmin + _EPS) & (mx < xmax - _EPS) & (my > ymin + _EPS) & (my < ymax - _EPS)
    return inside.any(axis=1)


def _slab(p: np.ndarray, d: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    moving = np.abs(d) > 1e-12
    ta = (lo_b - p) / np.where(moving, d, 1.0)
    tb = (hi_b - p) / np.where(moving, d, 1.0)
    lo = np.where(moving, np.minimum(ta, tb), np.where((p > lo_b + _EPS) & (p < hi_b - _EPS), -np.inf, np.inf))
    hi = np.where(moving, np.maximum(ta, tb), np.where((p > lo_b + _EPS) & (p < hi_b - _EPS), np.inf, -np.inf))
    return lo, hi


def _crosses_outline(p: np.ndarray, q: np.ndarray, ea: np.ndarray, eb: np.ndarray) -> np.ndarray:
    """Whether each segment p->q properly crosses an edge of the hall outline."""
    if len(p) == 0:
        return np.zeros(0, dtype=bool)
    p1, p2 = p[:, None, :], q[:, None, :]
    q1, q2 = ea[None, :, :], eb[None, :, :]

    def orient(a, b, c):
        return (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])

    o1, o2 = orient(p1, p2, q1), orient(p1, p2, q2)
    o3, o4 = orient(q1, q2, p1), orient(q1, q2, p2)
    return ((o1 * o2 < -_EPS) & (o3 * o4 < -_EPS)).any(axis=1)


def _free_points(pts: np.ndarray, rects: np.ndarray, hall: Hall, clearance: float) -> np.ndarray:
    """Mask of points outside every grown obstacle and at least `clearance` inside the outline."""
    if len(pts) == 0:
        return np.zeros(0, dtype=bool)
    x, y = pts[:, 0:1], pts[:, 1:2]
    if len(rects):
        inside_any = ((x > rects[:, 0] + _EPS) & (x < rects[:, 2] - _EPS)
                      & (y > rects[:, 1] + _EPS) & (y < rects[:, 3] - _EPS)).any(axis=1)
    else:
        inside_any = np.zeros(len(pts), dtype=bool)
    ok = ~inside_any
    for i, pt in enumerate(pts):
        if ok[i]:
            ok[i] = point_in_polygon((pt[0], pt[1]), hall.outline) and _edge_distance(hall, pt) >= clearance - 1e-6
    return ok


def _edge_distance(hall: Hall, pt: np.ndarray) -> float:
    best = math.inf
    poly = hall.outline
    for i in range(len(poly)):
        ax, ay = poly[i]
        bx, by = poly[(i + 1) % len(poly)]
        vx, vy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((pt[0] - ax) * vx + (pt[1] - ay) * vy) / (vx * vx + vy * vy or 1.0)))
        best = min(best, math.hypot(pt[0] - ax - t * vx, pt[1] - ay - t * vy))
    return best


def _outline_corners(hall: Hall, clearance: float) -> list[Point]:
    """Candidates near each outline corner; those inside the hall survive the free check."""
    c = clearance * 1.0001
    return [(cx + sx * c, cy + sy * c) for cx, cy in hall.outline for sx in (-1, 1) for sy in (-1, 1)]


# ---------------------------------------------------------------- graph


def walk_graph(hall: Hall, step_free: bool = False) -> _Graph:
    """The visibility graph of the hall, built on first use and cached per Hall object."""
    with _cache_lock:
        per_hall = _cache.setdefault(hall, {})
        g = per_hall.get(step_free)
        if g is None:
            g = _build(hall, step_free)
            per_hall[step_free] = g
        return g


def _build(hall: Hall, step_free: bool, clearance: float = CLEARANCE_M) -> _Graph:
    rects = obstacle_rects(hall, step_free, clearance)
    bump = 1e-4  # corners a hair outside their own rect so they count as free floor
    cand = np.concatenate([
        np.stack([rects[:, 0] - bump, rects[:, 1] - bump], axis=1),
        np.stack([rects[:, 2] + bump, rects[:, 1] - bump], axis=1),
        np.stack([rects[:, 2] + bump, rects[:, 3] + bump], axis=1),
        np.stack([rects[:, 0] - bump, rects[:, 3] + bump], axis=1),
        np.array(_outline_corners(hall, clearance), dtype=float).reshape(-1, 2),
    ])
    # a corner on or inside another grown obstacle is never needed (it is a seam between
    # touching booths): drop it, so a whole block of booths keeps only its outer corners.
    n = len(rects)
    owner = np.concatenate([np.tile(np.arange(n), 4), np.full(len(cand) - 4 * n, -1)])
    x, y = cand[:, 0:1], cand[:, 1:2]
    tol = 2 * bump
    on_other = ((x >= rects[:, 0] - tol) & (x <= rects[:, 2] + tol)
                & (y >= rects[:, 1] - tol) & (y <= rects[:, 3] + tol))
    on_other[owner >= 0, owner[owner >= 0]] = False
    cand = cand[~on_other.any(axis=1)]
    cand = cand[_free_points(cand, rects, hall, clearance)]
    cand = np.unique(np.round(cand, 6), axis=0)
    edges_a = np.array(hall.outline, dtype=float)
    edges_b = np.roll(edges_a, -1, axis=0)
    graph = nx.Graph()
    k = len(cand)
    graph.add_nodes_from(range(k))
    ii, jj = np.triu_indices(k, 1)
    chunk = max(1, 400_000 // max(1, len(rects)))
    for s in range(0, len(ii), chunk):
        a, b = ii[s:s + chunk], jj[s:s + chunk]
        blocked = segments_blocked(cand[a], cand[b], rects) | _crosses_outline(cand[a], cand[b], edges_a, edges_b)
        ok = ~blocked
        d = np.hypot(*(cand[a[ok]] - cand[b[ok]]).T)
        graph.add_weighted_edges_from(zip(a[ok].tolist(), b[ok].tolist(), d.tolist()))
    return _Graph(hall=hall, step_free=step_free, rects=rects, edges_a=edges_a, edges_b=edges_b, graph=graph,
                  nodes=cand, lock=threading.Lock())


def _snap_free(g: _Graph, p: Point) -> Point:
    """Move a start point that stands within the clearance of an obstacle out into free floor."""
    x, y = p
    for _ in range(8):
        pts = np.array([[x, y]])
        if _free_points(pts, g.rects, g.hall, CLEARANCE_M)[0]:
            return x, y
        r = g.rects
        hit = np.where((x > r[:, 0]) & (x < r[:, 2]) & (y > r[:, 1]) & (y < r[:, 3]))[0]
        if len(hit):
            x0, y0, x1, y1 = r[hit[0]]
            moves = [(x0 - 1e-3 - x, 0.0), (x1 + 1e-3 - x, 0.0), (0.0, y0 - 1e-3 - y), (0.0, y1 + 1e-3 - y)]
            mx, my = min(moves, key=lambda m: abs(m[0]) + abs(m[1]))
            x, y = x + mx, y + my
        else:  # too near the outline: step towards the hall's middle
            bx0, by0, bx1, by1 = g.hall.bounds
            cx, cy = (bx0 + bx1) / 2, (by0 + by1) / 2
            d = math.hypot(cx - x, cy - y) or 1.0
            x, y = x + (cx - x) / d * CLEARANCE_M, y + (cy - y) / d * CLEARANCE_M
    return x, y


# ---------------------------------------------------------------- booth fronts and routes


def booth_fronts(hall: Hall, booth_id: str, step_free: bool = False) -> list[Point]:
    """Walkable points just in front of each open side of a booth (mid-side, at the clearance)."""
    g = walk_graph(hall, step_free)
    return _fronts(g, booth_id)


def _fronts(g: _Graph, booth_id: str) -> list[Point]:
    try:
        x0, y0, x1, y1 = g.hall.booth(booth_id).bbox
    except KeyError:
        raise NoRoute(f"booth {booth_id!r} is not on the hall plan") from None
    c = CLEARANCE_M + 1e-3
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    cand = np.array([[mx, y0 - c], [mx, y1 + c], [x0 - c, my], [x1 + c, my]])
    free = _free_points(cand, g.rects, g.hall, CLEARANCE_M)
    return [(float(a), float(b)) for a, b in cand[free]]


def route(hall: Hall, start_xy: Point, booth_id: str, step_free: bool = False) -> Route:
    """The shortest walk from start_xy to the nearest open side of the booth.

    Raises NoRoute when the booth is unknown or walled in.
    """
    g = walk_graph(hall, step_free)
    targets = _fronts(g, booth_id)
    if not targets:
        raise NoRoute(f"booth {booth_id!r} has no open side to walk up to")
    return _route(g, start_xy, targets, booth_id)


def route_to_point(hall: Hall, start_xy: Point, goal_xy: Point, step_free: bool = False) -> Route:
    """The shortest walk to a place (a facility, an entrance), stopping in free floor next to it."""
    g = walk_graph(hall, step_free)
    return _route(g, start_xy, [_snap_free(g, goal_xy)], "")


def unreachable_booths(hall: Hall, start_xy: Point, step_free: bool = False) -> list[str]:
    """The booths route() would find no way to from start_xy, all in one pass (check-hall): the
    graph's part connected to the start, then for each booth whether an open side sees it."""
    g = walk_graph(hall, step_free)
    start = np.array([_snap_free(g, (float(start_xy[0]), float(start_xy[1])))])
    k = len(g.nodes)
    seen = np.zeros(k, dtype=bool)
    if k:
        p = np.repeat(start, k, axis=0)
        seen = ~(segments_blocked(p, g.nodes, g.rects) | _crosses_outline(p, g.nodes, g.edges_a, g.edges_b))
    seeds = set(np.nonzero(seen)[0].tolist())
    reach: set[int] = set()
    with g.lock:  # route() adds and removes its own nodes under this lock
        for part in nx.connected_components(g.graph):
            if part & seeds:
                reach |= part
    goals = np.concatenate([start, g.nodes[sorted(reach)]]) if reach else start
    out = []
    for b in hall.booths:
        fronts = np.array(_fronts(g, b.id), dtype=float).reshape(-1, 2)
        p = np.repeat(fronts, len(goals), axis=0)
        q = np.tile(goals, (len(fronts), 1))
        if not len(p) or (segments_blocked(p, q, g.rects) | _crosses_outline(p, q, g.edges_a, g.edges_b)).all():
            out.append(b.id)
    return out


def _route(g: _Graph, start_xy: Point, targets: list[Point], label: str) -> Route:
    start = _snap_free(g, (float(start_xy[0]), float(start_xy[1])))
    ends = [start, *targets]
    pts = np.array(ends, dtype=float)
    k = len(g.nodes)
    # visibility from the start and targets to every node, and start <-> target directly
    a = np.repeat(np.arange(len(pts)), k)
    b = np.tile(np.arange(k), len(pts))
    p, q = pts[a], g.nodes[b] if k else np.zeros((0, 2))
    vis = ~(segments_blocked(p, q, g.rects) | _crosses_outline(p, q, g.edges_a, g.edges_b))
    direct_q = pts[1:]
    direct_p = np.repeat(pts[:1], len(direct_q), axis=0)
    direct = ~(segments_blocked(direct_p, direct_q, g.rects) | _crosses_outline(direct_p, direct_q, g.edges_a, g.edges_b))
    s_id, sink = "start", "sink"
    with g.lock:
        graph = g.graph
        added = [s_id, sink] + [("t", i) for i in range(len(targets))]
        try:
            graph.add_node(s_id)
            graph.add_node(sink)
            for i in range(len(pts)):
                node = s_id if i == 0 else ("t", i - 1)
                if i:
                    graph.add_edge(node, sink, weight=0.0)
                row = vis[i * k:(i + 1) * k]
                idx = np.nonzero(row)[0]
                d = np.hypot(*(g.nodes[idx] - pts[i]).T) if len(idx) else []
                graph.add_weighted_edges_from((node, int(j), float(w)) for j, w in zip(idx, d))
            for i, ok in enumerate(direct):
                if ok:
                    graph.add_edge(s_id, ("t", i), weight=float(math.dist(pts[0], pts[i + 1])))
            try:
                dist, path = nx.single_source_dijkstra(graph, s_id, sink)
            except nx.NetworkXNoPath:
                raise NoRoute(f"no walkable way to {label or 'that place'}") from None
        finally:
            graph.remove_nodes_from(added)
    coords: list[Point] = []
    if math.dist(start, start_xy) > 1e-9:
        coords.append((float(start_xy[0]), float(start_xy[1])))
    for n in path[:-1]:
        if n == s_id:
            coords.append(start)
        elif isinstance(n, tuple):
            coords.append(targets[n[1]])
        else:
            coords.append((float(g.nodes[n][0]), float(g.nodes[n][1])))
    total = sum(math.dist(u, v) for u, v in zip(coords, coords[1:]))
    return Route(points=tuple(coords), distance_m=total, walk_seconds=total / WALK_SPEED_M_S, target=label)


# ---------------------------------------------------------------- turn-by-turn


STRAIGHT_DEG = 20.0  # a bend gentler than this is walking on
SLIGHT_DEG = 60.0  # up to this it is "bear left/right", beyond it a turn
SHORT_LEG_M = 1.0  # a jog shorter than this is folded into the next leg


@dataclass(frozen=True)
class Leg:
    """Walk `metres`, then make `turn` ("left", "right", "slight_left", "slight_right"; "" after the last leg)."""

    metres: int
    turn: str = ""


@dataclass(frozen=True)
class Directions:
    """A route told as a visitor walks it: legs with the turns between them, then which side the booth is on.

    The core says what to do; the screen words it in the visitor's language.
    """

    legs: tuple[Leg, ...]
    booth_side: str = "ahead"  # "left" | "right" | "ahead" on arrival
    target: str = ""


def _turn_deg(a: Point, b: Point, c: Point) -> float:
    """Signed heading change at b walking a -> b -> c, in degrees; positive is a right turn
    (the plan's y axis points down the screen, so clockwise on screen is to the walker's right)."""
    h1 = math.atan2(b[1] - a[1], b[0] - a[0])
    h2 = math.atan2(c[1] - b[1], c[0] - b[0])
    return math.degrees((h2 - h1 + math.pi) % (2 * math.pi) - math.pi)


def _simplify(points: list[Point]) -> list[Point]:
    pts = [points[0]]
    for p in points[1:]:
        if math.dist(p, pts[-1]) > 0.05:
            pts.append(p)
    changed = True
    while changed and len(pts) > 2:
        changed = False
        for i in range(1, len(pts) - 1):
            short = math.dist(pts[i - 1], pts[i]) < SHORT_LEG_M
            if short or abs(_turn_deg(pts[i - 1], pts[i], pts[i + 1])) < STRAIGHT_DEG:
                del pts[i]
                changed = True
                break
    return pts


def _side(heading_from: Point, heading_to: Point, target: Point) -> str:
    """Where target lies for someone walking heading_from -> heading_to and standing at heading_to."""
    dx, dy = heading_to[0] - heading_from[0], heading_to[1] - heading_from[1]
    vx, vy = target[0] - heading_to[0], target[1] - heading_to[1]
    ang = math.degrees(math.atan2(dx * vy - dy * vx, dx * vx + dy * vy))
    if abs(ang) < 35:
        return "ahead"
    return "right" if ang > 0 else "left"


def directions(route: Route, hall: Hall | None = None) -> Directions:
    """Turn-by-turn steps for a route: straight stretches in whole metres, turns between them,
    and the side the booth is on at the end (needs the hall to know where the booth is)."""
    pts = _simplify(list(route.points)) if route.points else []
    if len(pts) < 2:
        return Directions((), "ahead", route.target)
    legs: list[Leg] = []
    for i in range(1, len(pts)):
        turn = ""
        if i < len(pts) - 1:
            deg = _turn_deg(pts[i - 1], pts[i], pts[i + 1])
            turn = ("slight_" if abs(deg) < SLIGHT_DEG else "") + ("right" if deg > 0 else "left")
        legs.append(Leg(max(1, round(math.dist(pts[i - 1], pts[i]))), turn))
    side = "ahead"
    if hall is not None and route.target and hall.has_booth(route.target):
        side = _side(pts[-2], pts[-1], hall.booth(route.target).center)
    return Directions(tuple(legs), side, route.target)
