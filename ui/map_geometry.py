"""The hall map's arithmetic, free of Qt: zoom limits, framing, level of detail, caption placement.

HallMapView asks these functions and only applies the answers to its items, so every rule
about what fits where can be tested with plain numbers.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

MAX_SCALE = 120.0  # pixels per metre at the closest zoom: a 3 m booth fills 360 px
FIT_MARGIN = 0.97  # the whole hall uses this share of the viewport when fitted
MIN_OF_FIT = 0.8  # one may zoom out a little past "fits", never further
NAME_MAX_LINES = 3
NAME_MIN_WIDTH_PX = 34  # narrower than this, a booth shows its number only
WHEEL_STEP = 1.25  # zoom factor of one mouse-wheel notch
HOME_MARGIN_M = 1.5  # around the booths and "You are here" in the default view

Point = tuple[float, float]


# ---------------------------------------------------------------- zoom

def clamp_scale(scale: float, lo: float, hi: float) -> float:
    """Keep the zoom between the fitted hall (lo) and the closest zoom (hi)."""
    if hi < lo:
        hi = lo
    return max(lo, min(hi, scale))


def zoom_about(scale: float, factor: float, anchor_scene: Point, anchor_view: Point,
               viewport_center: Point, lo: float, hi: float) -> tuple[float, Point]:
    """Zoom by factor keeping the scene point under anchor_view fixed on screen.

    Returns (new scale, scene point to centre the view on). With view = (scene - centre) *
    scale + viewport_center, solving for the centre that maps anchor_scene to anchor_view.
    """
    new = clamp_scale(scale * factor, lo, hi)
    cx = anchor_scene[0] - (anchor_view[0] - viewport_center[0]) / new
    cy = anchor_scene[1] - (anchor_view[1] - viewport_center[1]) / new
    return new, (cx, cy)


def fit_scale(hall_size: Point, viewport_size: Point, margin: float = FIT_MARGIN) -> float:
    """Pixels per metre at which the whole hall fits the viewport."""
    w, h = hall_size
    vw, vh = viewport_size
    if w <= 0 or h <= 0 or vw <= 0 or vh <= 0:
        return 1.0
    return min(vw / w, vh / h) * margin


def frame_in(bounds: tuple[float, float, float, float], viewport_size: Point, reserved_right: float = 0.0,
             margin: float = FIT_MARGIN) -> tuple[float, Point]:
    """(scale, centre) showing bounds whole in the viewport left of a strip of reserved_right pixels
    (where the zoom buttons float), so the buttons never cover what is framed."""
    x0, y0, x1, y1 = bounds
    vw, vh = viewport_size
    usable = max(1.0, vw - reserved_right)
    scale = fit_scale((x1 - x0, y1 - y0), (usable, vh), margin)
    return scale, ((x0 + x1) / 2 + reserved_right / 2 / scale, (y0 + y1) / 2)


Box = tuple[float, float, float, float]


def home_bounds(booth_boxes: Iterable[Box], you: Point | None, hall_bounds: Box,
                margin_m: float = HOME_MARGIN_M) -> Box:
    """The default view: every booth and "You are here", with a margin, inside the hall. On a 1080p kiosk
    the whole hall puts a 3 m booth at about 58 px, too small for names at a size read from a metre;
    the booths' own area brings them to about 80 px ("Whole hall" still shows the rest)."""
    boxes = list(booth_boxes)
    if not boxes:
        return hall_bounds
    xs = [b[0] for b in boxes] + [b[2] for b in boxes] + ([you[0]] if you else [])
    ys = [b[1] for b in boxes] + [b[3] for b in boxes] + ([you[1]] if you else [])
    hx0, hy0, hx1, hy1 = hall_bounds
    return (max(hx0, min(xs) - margin_m), max(hy0, min(ys) - margin_m),
            min(hx1, max(xs) + margin_m), min(hy1, max(ys) + margin_m))


def zoom_limits(fit: float) -> tuple[float, float]:
    """(lo, hi) pixels per metre: a little past "whole hall fits" out, MAX_SCALE in."""
    lo = fit * MIN_OF_FIT
    return lo, max(lo, MAX_SCALE)


def at_closest_zoom(scale: float, hi: float) -> bool:
    """Zoomed all the way in (a double-tap then goes back to the whole hall)."""
    return scale >= hi * 0.999


def wheel_factor(angle_delta_y: float) -> float:
    """Zoom factor for a wheel turn; 120 units are one notch."""
    return WHEEL_STEP ** (angle_delta_y / 120.0)


def bounds_centre(bounds: tuple[float, float, float, float]) -> Point:
    """The middle of (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = bounds
    return (x0 + x1) / 2, (y0 + y1) / 2


def frame(points: Sequence[Point], viewport_size: Point, margin_m: float, max_scale: float) -> tuple[float, Point]:
    """(scale, centre) that show every point with margin_m metres around them, no closer than
    max_scale; the caller still clamps the scale to the zoom limits."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    width = max(xs) - min(xs) + 2 * margin_m
    height = max(ys) - min(ys) + 2 * margin_m
    scale = min(viewport_size[0] / width, viewport_size[1] / height, max_scale)
    return scale, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


# ---------------------------------------------------------------- level of detail

class LabelRoom(NamedTuple):
    """What a booth's box on screen has room for: its number, and a name of so many lines."""

    number: bool
    name_width: float
    name_lines: int  # 0: no name


def label_room(box_px: Point, number_px: Point, line_height: float) -> LabelRoom:
    """Level of detail: the number shows when it fits the booth on screen; the name needs the
    number, a usable width and at least one line under it (at most NAME_MAX_LINES)."""
    w_px, h_px = box_px
    nw, nh = number_px
    number = w_px >= nw + 4 and h_px >= nh + 2
    lines = min(NAME_MAX_LINES, int((h_px - nh - 5) // line_height))
    name_width = w_px - 4
    if not number or name_width < NAME_MIN_WIDTH_PX or lines < 1:
        lines = 0
    return LabelRoom(number, name_width, lines)


def label_offsets(number_height: float, name_height: float) -> tuple[float, float]:
    """Vertical offsets of number and name (name_height 0 when hidden), centred together."""
    block = number_height + name_height
    return -block / 2, -block / 2 + number_height


# ---------------------------------------------------------------- routes and captions

def point_along(points: Sequence[Point], metres: float) -> Point:
    """The point `metres` along a polyline from its start (its end when shorter)."""
    left = metres
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        d = math.hypot(x1 - x0, y1 - y0)
        if d >= left and d > 0:
            t = left / d
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        left -= d
    return tuple(points[-1])


def label_side(origin: Point, others: Iterable[Point], radius: float = 8.0) -> str:
    """Where to put a mark's caption ("below", "above", "right" or "left") so it points away
    from the nearby marks (entrances, facilities) it would otherwise cover."""
    sides = {"below": (0.0, 1.0), "above": (0.0, -1.0), "right": (1.0, 0.0), "left": (-1.0, 0.0)}
    cost = dict.fromkeys(sides, 0.0)
    ox, oy = origin
    for x, y in others:
        dx, dy = x - ox, y - oy
        d = math.hypot(dx, dy)
        if d > radius or d < 1e-9:
            continue
        for side, (sx, sy) in sides.items():
            cost[side] += max(0.0, (dx * sx + dy * sy) / d) / max(d, 0.5)
    return min(sides, key=lambda k: (cost[k], list(sides).index(k)))


def caption_offset(side: str, size: Point, radius: float) -> Point:
    """Top-left of a caption of size (w, h) beside a round mark of radius, on that side
    (a little further out left and right, where the text runs towards the mark)."""
    w, h = size
    return {"below": (-w / 2, radius), "above": (-w / 2, -radius - h),
            "right": (radius + 4, -h / 2), "left": (-radius - 4 - w, -h / 2)}[side]
