"""Checks of a hall plan that a load alone does not make: every problem, each naming its booth.

`kiosk-server check-hall` prints these and `import-hall` refuses a plan with errors. Loading
(`kiosk.hallmap`) stops at the first fault of form; this module finds all faults of layout:
booths outside or sticking out of the outline, booths overlapping, booths nobody can walk
up to (through the same routing graph the kiosk draws routes with), and, given the event's
exhibitors, booths nobody exhibits at and exhibitors whose booth is not on the plan.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.hallmap import Booth, Hall, Point, point_in_polygon
from kiosk.models import Exhibitor
from kiosk.routing import unreachable_booths

_EPS = 1e-6


@dataclass(frozen=True)
class Problem:
    level: str  # "error" (the map or routes go wrong) or "warning" (worth a look)
    booth: str  # the booth id, or "" for a problem of the plan as a whole
    text: str

    def line(self, source: str = "") -> str:
        """One report line; `source`: the hall file, named first as in every file error."""
        where = (f"{source}: " if source else "") + (f"booth {self.booth}: " if self.booth else "")
        return f"{self.level}: {where}{self.text}"


def check_hall(hall: Hall, exhibitors: Sequence[Exhibitor] | None = None) -> list[Problem]:
    """Every problem found, errors first, in booth order within each check."""
    out = outside(hall)
    out += overlaps(hall)
    out += kiosks(hall)
    away = {p.booth for p in out if "outline" in p.text}
    out += unreachable(hall, skip=away)
    if exhibitors is not None:
        out += unassigned(hall, exhibitors)
    return sorted(out, key=lambda p: p.level != "error")


def outside(hall: Hall) -> list[Problem]:
    """Booths whose middle lies outside the outline, or that stick out of it (or into a notch)."""
    found = []
    edges = _edges(hall.outline)
    for b in hall.booths:
        if not point_in_polygon(b.center, hall.outline):
            found.append(Problem("error", b.id, "lies outside the hall outline"))
        elif not all(_inside_or_on(p, hall.outline) for p in b.polygon) or _crossing(_edges(b.polygon), edges):
            found.append(Problem("error", b.id, "sticks out of the hall outline"))
    return found


def overlaps(hall: Hall) -> list[Problem]:
    """Pairs of booths whose floors overlap (touching sides are fine: booths stand back to back)."""
    found = []
    order = sorted(hall.booths, key=lambda b: b.bbox[0])
    for i, a in enumerate(order):
        _, ay0, ax1, ay1 = a.bbox
        for b in order[i + 1:]:
            bx0, by0, _, by1 = b.bbox
            if bx0 >= ax1 - _EPS:
                break  # sorted by left edge: nothing further right can overlap a
            if by0 >= ay1 - _EPS or ay0 >= by1 - _EPS:
                continue
            if _polygons_overlap(a, b):
                first, second = sorted((a.id, b.id))
                found.append(Problem("error", first, f"overlaps booth {second}"))
    return sorted(found, key=lambda p: p.booth)


def kiosks(hall: Hall) -> list[Problem]:
    """Kiosk positions off the floor or inside a booth: "You are here" and every route start there."""
    found = []
    for kid, pos in hall.kiosks.items():
        if not point_in_polygon(pos, hall.outline):
            found.append(Problem("error", "", f"kiosk {kid} at {list(pos)} lies outside the hall outline"))
        for b in hall.booths:
            x0, y0, x1, y1 = b.bbox
            if x0 < pos[0] < x1 and y0 < pos[1] < y1:
                found.append(Problem("error", b.id, f"kiosk {kid} at {list(pos)} stands inside this booth"))
    return found


def unreachable(hall: Hall, skip: set[str] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    """Booths with no walkable way from the default kiosk (or the first entrance)."""
    start = hall.kiosk_position()
    where = f"kiosk {hall.default_kiosk}" if hall.kiosks else "the entrance"
    return [Problem("error", bid, f"cannot be reached on foot from {where} "
                                  "(no open side faces a walkable aisle more than 1 m wide)")
            for bid in unreachable_booths(hall, start) if bid not in skip]


def unassigned(hall: Hall, exhibitors: Sequence[Exhibitor], missing_level: str = "error") -> list[Problem]:
    """Booths no exhibitor has (warnings), and exhibitors whose booth the plan lacks (their
    booth cannot be shown: an error for check-hall, a warning while importing a new plan)."""
    taken = {b for e in exhibitors for b in e.booths}
    found = [Problem("warning", b.id, "no exhibitor has this booth") for b in hall.booths if b.id not in taken]
    for e in exhibitors:
        if not e.booths:
            found.append(Problem("warning", "", f"exhibitor {e.id} ({e.name}) has no booth"))
        for bid in e.booths:
            if not hall.has_booth(bid):
                found.append(Problem(missing_level, bid, f"exhibitor {e.id} ({e.name}) has this booth, "
                                                   "but the hall plan has no such booth"))
    return found


# ---------------------------------------------------------------- geometry


def _edges(poly: Sequence[Point]) -> list[tuple[Point, Point]]:
    return [(poly[i], poly[(i + 1) % len(poly)]) for i in range(len(poly))]


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    if abs(_orient(a, b, p)) > _EPS * max(1.0, abs(b[0] - a[0]) + abs(b[1] - a[1])):
        return False
    return (min(a[0], b[0]) - _EPS <= p[0] <= max(a[0], b[0]) + _EPS
            and min(a[1], b[1]) - _EPS <= p[1] <= max(a[1], b[1]) + _EPS)


def _inside_or_on(p: Point, poly: Sequence[Point]) -> bool:
    return any(_on_segment(p, a, b) for a, b in _edges(poly)) or point_in_polygon(p, tuple(poly))


def _strictly_inside(p: Point, poly: Sequence[Point]) -> bool:
    return not any(_on_segment(p, a, b) for a, b in _edges(poly)) and point_in_polygon(p, tuple(poly))


def _proper_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """The two segments cross at one point inside both (touching or running along does not count)."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    return ((d1 > _EPS and d2 < -_EPS) or (d1 < -_EPS and d2 > _EPS)) and \
        ((d3 > _EPS and d4 < -_EPS) or (d3 < -_EPS and d4 > _EPS))


def _crossing(edges_a: list[tuple[Point, Point]], edges_b: list[tuple[Point, Point]]) -> bool:
    return any(_proper_cross(a1, a2, b1, b2) for a1, a2 in edges_a for b1, b2 in edges_b)


def _middle(poly: Sequence[Point]) -> Point:
    return sum(p[0] for p in poly) / len(poly), sum(p[1] for p in poly) / len(poly)


def _area(poly: Sequence[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in _edges(poly))) / 2


def _convex(poly: Sequence[Point]) -> bool:
    turns = [_orient(poly[i - 2], poly[i - 1], poly[i]) for i in range(len(poly))]
    return all(t >= -_EPS for t in turns) or all(t <= _EPS for t in turns)


def _clip(subject: Sequence[Point], clip: Sequence[Point]) -> list[Point]:
    """Sutherland-Hodgman: the part of subject inside the convex polygon clip."""
    sign = 1.0 if sum(a[0] * b[1] - b[0] * a[1] for a, b in _edges(clip)) > 0 else -1.0
    out = list(subject)
    for c1, c2 in _edges(clip):
        if not out:
            break
        src, out = out, []
        for i, p in enumerate(src):
            q = src[i - 1]
            p_in, q_in = sign * _orient(c1, c2, p) >= 0, sign * _orient(c1, c2, q) >= 0
            if p_in != q_in:
                out.append(_cut(q, p, c1, c2))
            if p_in:
                out.append(p)
    return out


def _cut(p: Point, q: Point, a: Point, b: Point) -> Point:
    dp, dq = _orient(a, b, p), _orient(a, b, q)
    t = dp / (dp - dq)
    return p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])


def _polygons_overlap(a: Booth, b: Booth) -> bool:
    """Interiors meet (more than a square centimetre): the exact shared area when one booth is
    convex (rectangles always are), else edges crossing or one's corner or middle inside the other."""
    for p, q in ((a, b), (b, a)):
        if _convex(q.polygon):
            return _area(_clip(p.polygon, q.polygon)) > 1e-4
    if _crossing(_edges(a.polygon), _edges(b.polygon)):
        return True
    for p, q in ((a, b), (b, a)):
        if any(_strictly_inside(v, q.polygon) for v in p.polygon) or _strictly_inside(_middle(p.polygon), q.polygon):
            return True
    return False
