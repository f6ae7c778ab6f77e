"""The exhibition hall plan: geometry an organiser can replace, shared by the map and routing.

One JSON file (format in docs/hall-format.md) is read into frozen dataclasses here, and
checked so that a typo in the organiser's file names the file and the problem instead of
surfacing later as a broken map. Coordinates are metres, x to the right, y downwards (the
same orientation as the screen, so the map needs no flip).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import BadInput

Point = tuple[float, float]

FACILITY_TYPES: tuple[str, ...] = (
    "toilet", "cafe", "stage", "exit", "stairs", "lift", "info", "first_aid", "cloakroom", "meeting",
)


class HallError(BadInput):
    """A hall file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Booth:
    id: str  # the booth number, as in event.json's exhibitors[].booths
    polygon: tuple[Point, ...]
    label: str = ""

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def center(self) -> Point:
        x0, y0, x1, y1 = self.bbox
        return (x0 + x1) / 2, (y0 + y1) / 2


@dataclass(frozen=True)
class Wall:
    points: tuple[Point, ...]  # a polyline
    thickness: float = 0.2


@dataclass(frozen=True)
class Place:
    """An entrance or a facility: something with a position, a type and a name."""

    id: str
    type: str
    pos: Point
    name: str = ""
    name_zh: str = ""
    rect: tuple[float, float, float, float] | None = None  # x, y, w, h: drawn and not walkable


@dataclass(frozen=True)
class Area:
    """A region of floor with steps: walkable, but not for a step-free route."""

    id: str
    polygon: tuple[Point, ...]
    name: str = ""
    name_zh: str = ""

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Background:
    """Where the venue's own plan image lies under the booths; the image travels apart (meta
    `hall_background`, base64 PNG) and is drawn only when its SHA-256 matches this."""

    sha256: str
    width: int  # pixels
    height: int
    origin: Point  # the hall point (metres) at the image's top-left corner
    m_per_px: float  # metres per image pixel, the same across and down

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 in metres."""
        x, y = self.origin
        return x, y, x + self.width * self.m_per_px, y + self.height * self.m_per_px


@dataclass(frozen=True, eq=False)  # identity equality: routing caches its graph per Hall object
class Hall:
    name: str
    outline: tuple[Point, ...]
    booths: tuple[Booth, ...]
    walls: tuple[Wall, ...] = ()
    entrances: tuple[Place, ...] = ()
    facilities: tuple[Place, ...] = ()
    steps: tuple[Area, ...] = ()
    kiosks: dict[str, Point] = field(default_factory=dict)
    default_kiosk: str = ""
    name_zh: str = ""
    background: Background | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {b.id: b for b in self.booths})

    def booth(self, booth_id: str) -> Booth:
        """The booth with that number; KeyError if the plan has none."""
        return self._by_id[booth_id]  # type: ignore[attr-defined]

    def has_booth(self, booth_id: str) -> bool:
        return booth_id in self._by_id  # type: ignore[attr-defined]

    def kiosk_position(self, kiosk_id: str | None = None) -> Point:
        """Where "You are here" is drawn and routes start; the default kiosk when unnamed or unknown."""
        if kiosk_id and kiosk_id in self.kiosks:
            return self.kiosks[kiosk_id]
        if self.default_kiosk in self.kiosks:
            return self.kiosks[self.default_kiosk]
        if self.kiosks:
            return next(iter(self.kiosks.values()))
        if self.entrances:
            return self.entrances[0].pos
        x0, y0, x1, y1 = self.bounds
        return (x0 + x1) / 2, y1

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.outline]
        ys = [p[1] for p in self.outline]
        return min(xs), min(ys), max(xs), max(ys)


def background_image(text: str | None, bg: Background | None) -> bytes | None:
    """The stored plan image (meta `hall_background`, base64) when it is the one the hall names;
    None otherwise, and then the map is drawn without a background."""
    if not text or bg is None:
        return None
    try:
        png = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return png if hashlib.sha256(png).hexdigest() == bg.sha256 else None


# ---------------------------------------------------------------- loading


def load_hall(path: str | Path) -> Hall:
    """Read and validate a hall plan; HallError names the file and the problem."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HallError(f"{path}: hall plan not found") from None
    except UnicodeDecodeError:
        raise HallError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise HallError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    try:
        return hall_from_dict(raw)
    except HallError as exc:
        raise HallError(f"{path}: {exc}") from None


def hall_from_dict(raw: object, check_inside: bool = True) -> Hall:
    """Build a Hall from parsed JSON (the bundle carries it this way too).

    check_inside=False leaves out the checks of where booths and kiosks stand, so that
    `kiosk.hallcheck` can report every such problem instead of the first."""
    if not isinstance(raw, dict):
        raise HallError("the top level must be a JSON object")
    outline = _points(raw.get("outline"), "outline", minimum=3)
    booths = tuple(_booth(b, i) for i, b in enumerate(_list(raw, "booths")))
    if not booths:
        raise HallError("'booths' is empty: a hall plan needs at least one booth")
    seen: set[str] = set()
    for b in booths:
        if b.id in seen:
            raise HallError(f"booth {b.id!r} appears twice")
        seen.add(b.id)
    walls = tuple(_wall(w, i) for i, w in enumerate(_list(raw, "walls", required=False)))
    entrances = tuple(_place(e, f"entrances[{i}]", "entrance") for i, e in enumerate(_list(raw, "entrances", required=False)))
    facilities = tuple(_place(f, f"facilities[{i}]", None) for i, f in enumerate(_list(raw, "facilities", required=False)))
    steps = tuple(_area(a, i) for i, a in enumerate(_list(raw, "steps", required=False)))
    kiosks_raw = raw.get("kiosks", {}) or {}
    if not isinstance(kiosks_raw, dict):
        raise HallError("'kiosks' must be an object like {\"kiosk-1\": [x, y]}")
    kiosks = {str(k): _point(v, f"kiosks.{k}") for k, v in kiosks_raw.items()}
    default = str(raw.get("default_kiosk") or (next(iter(kiosks)) if kiosks else ""))
    if kiosks and default not in kiosks:
        raise HallError(f"'default_kiosk' {default!r} is not one of the kiosks {sorted(kiosks)}")
    hall = Hall(name=str(raw.get("name", "")), name_zh=str(raw.get("name_zh", "")), outline=outline, booths=booths,
                walls=walls, entrances=entrances, facilities=facilities, steps=steps, kiosks=kiosks,
                default_kiosk=default, background=_background(raw.get("background")))
    if check_inside:
        _check_inside(hall)
    return hall


def _background(v: object) -> Background | None:
    if v is None:
        return None
    if not isinstance(v, dict):
        raise HallError("'background' must be an object (written by kiosk-server import-hall)")
    sha = v.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64:
        raise HallError("background.sha256: expected the image's SHA-256 as 64 hex digits")
    size = [v.get("width"), v.get("height")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in size):
        raise HallError(f"background: width and height must be positive whole pixels, got {size}")
    scale = _number(v.get("m_per_px"), "background.m_per_px")
    if scale <= 0:
        raise HallError("background.m_per_px must be positive")
    return Background(sha256=sha, width=size[0], height=size[1], origin=_point(v.get("origin"), "background.origin"),
                      m_per_px=scale)


def _list(raw: dict, key: str, required: bool = True) -> list:
    value = raw.get(key)
    if value is None:
        if required:
            raise HallError(f"missing '{key}'")
        return []
    if not isinstance(value, list):
        raise HallError(f"'{key}' must be a list")
    return value


def _number(v: object, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise HallError(f"{where}: expected a number, got {v!r}")
    return float(v)


def _point(v: object, where: str) -> Point:
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise HallError(f"{where}: expected a point [x, y], got {v!r}")
    return _number(v[0], where), _number(v[1], where)


def _points(v: object, where: str, minimum: int) -> tuple[Point, ...]:
    if not isinstance(v, list) or len(v) < minimum:
        raise HallError(f"{where}: expected a list of at least {minimum} points [x, y]")
    return tuple(_point(p, f"{where}[{i}]") for i, p in enumerate(v))


def _rect(v: object, where: str) -> tuple[float, float, float, float]:
    if not isinstance(v, list) or len(v) != 4:
        raise HallError(f"{where}: expected a rectangle [x, y, width, height], got {v!r}")
    x, y, w, h = (_number(n, where) for n in v)
    if w <= 0 or h <= 0:
        raise HallError(f"{where}: width and height must be positive, got {v!r}")
    return x, y, w, h


def _shape(d: dict, where: str) -> tuple[Point, ...]:
    if "rect" in d:
        x, y, w, h = _rect(d["rect"], f"{where}.rect")
        return (x, y), (x + w, y), (x + w, y + h), (x, y + h)
    if "polygon" in d:
        return _points(d["polygon"], f"{where}.polygon", minimum=3)
    raise HallError(f"{where}: needs a 'rect' [x, y, w, h] or a 'polygon' [[x, y], ...]")


def _booth(d: object, i: int) -> Booth:
    where = f"booths[{i}]"
    if not isinstance(d, dict) or not str(d.get("id", "")).strip():
        raise HallError(f"{where}: expected an object with an 'id' (the booth number)")
    where = f"booth {d['id']!r}"
    return Booth(id=str(d["id"]).strip(), polygon=_shape(d, where), label=str(d.get("label", "")))


def _wall(d: object, i: int) -> Wall:
    where = f"walls[{i}]"
    if not isinstance(d, dict):
        raise HallError(f"{where}: expected an object with 'points' or 'rect'")
    thickness = _number(d.get("thickness", 0.2), f"{where}.thickness")
    if thickness <= 0:
        raise HallError(f"{where}: thickness must be positive")
    if "rect" in d:
        x, y, w, h = _rect(d["rect"], f"{where}.rect")
        # a rectangular wall is a closed outline of thickness `thickness`
        return Wall(points=((x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)), thickness=thickness)
    return Wall(points=_points(d.get("points"), f"{where}.points", minimum=2), thickness=thickness)


def _place(d: object, where: str, kind: str | None) -> Place:
    if not isinstance(d, dict) or "id" not in d:
        raise HallError(f"{where}: expected an object with an 'id'")
    ptype = kind or str(d.get("type", ""))
    if kind is None and ptype not in FACILITY_TYPES:
        raise HallError(f"{where}: unknown facility type {ptype!r}; use one of {', '.join(FACILITY_TYPES)}")
    rect = _rect(d["rect"], f"{where}.rect") if "rect" in d else None
    if "pos" in d:
        pos = _point(d["pos"], f"{where}.pos")
    elif rect:
        pos = (rect[0] + rect[2] / 2, rect[1] + rect[3] / 2)
    else:
        raise HallError(f"{where}: needs a 'pos' [x, y]")
    return Place(id=str(d["id"]), type=ptype, pos=pos, name=str(d.get("name", "")),
                 name_zh=str(d.get("name_zh", "")), rect=rect)


def _area(d: object, i: int) -> Area:
    where = f"steps[{i}]"
    if not isinstance(d, dict):
        raise HallError(f"{where}: expected an object with 'rect' or 'polygon'")
    return Area(id=str(d.get("id", f"steps-{i}")), polygon=_shape(d, where), name=str(d.get("name", "")),
                name_zh=str(d.get("name_zh", "")))


def point_in_polygon(p: Point, poly: tuple[Point, ...]) -> bool:
    """Even-odd rule; points on the edge may go either way."""
    x, y = p
    inside = False
    n = len(poly)
    for i in range(n):
        x1, y1 = poly[i]
        x2, y2 = poly[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            if x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _check_inside(hall: Hall) -> None:
    x0, y0, x1, y1 = hall.bounds
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        raise HallError("'outline' has no area")
    for b in hall.booths:
        cx, cy = b.center
        if not point_in_polygon((cx, cy), hall.outline):
            raise HallError(f"booth {b.id!r} lies outside the hall outline")
    for kid, pos in hall.kiosks.items():
        if not point_in_polygon(pos, hall.outline):
            raise HallError(f"kiosk {kid!r} at {list(pos)} lies outside the hall outline")
        for b in hall.booths:
            if _in_bbox(pos, b.bbox):
                raise HallError(f"kiosk {kid!r} at {list(pos)} stands inside booth {b.id!r}")


def _in_bbox(p: Point, bbox: tuple[float, float, float, float]) -> bool:
    return bbox[0] < p[0] < bbox[2] and bbox[1] < p[1] < bbox[3]


# ---------------------------------------------------------------- generated halls (benchmarks)


def generate_hall(n_booths: int, seed: int = 0, booth_size: float = 3.0) -> Hall:
    """A believable hall of n booths in back-to-back blocks of 2 x 5, for benchmarks and tests.

    Booth ids are "G001"... in reading order; aisle widths vary with the seed.
    """
    rng = random.Random(seed)
    per_block = 10
    n_blocks = max(1, math.ceil(n_booths / per_block))
    cols = max(1, round(math.sqrt(n_blocks * 1.6)))
    rows = math.ceil(n_blocks / cols)
    block_w, block_h = 5 * booth_size, 2 * booth_size
    col_aisles = [rng.uniform(3.0, 5.0) for _ in range(cols + 1)]
    row_aisles = [rng.uniform(3.0, 5.0) for _ in range(rows + 1)]
    width = cols * block_w + sum(col_aisles)
    height = rows * block_h + sum(row_aisles)
    booths: list[Booth] = []
    n = 0
    y = row_aisles[0]
    for r in range(rows):
        x = col_aisles[0]
        for c in range(cols):
            for half in range(2):
                for k in range(5):
                    if n >= n_booths:
                        break
                    n += 1
                    bx, by = x + k * booth_size, y + half * booth_size
                    booths.append(Booth(id=f"G{n:03d}", polygon=((bx, by), (bx + booth_size, by),
                                                                 (bx + booth_size, by + booth_size), (bx, by + booth_size))))
            x += block_w + col_aisles[c + 1]
        y += block_h + row_aisles[r + 1]
    outline = ((0.0, 0.0), (width, 0.0), (width, height), (0.0, height))
    steps: list[Area] = []
    for i in range(max(1, rows // 2)):
        # a short flight of steps across one cross aisle
        c = rng.randrange(cols)
        ax = col_aisles[0] + c * block_w + sum(col_aisles[1:c + 1])
        ay = row_aisles[0] + (i * 2 % rows) * block_h + sum(row_aisles[1:(i * 2 % rows) + 1]) + block_h
        steps.append(Area(id=f"steps-{i}", polygon=((ax, ay), (ax + block_w, ay), (ax + block_w, ay + row_aisles[(i * 2 % rows) + 1]),
                                                      (ax, ay + row_aisles[(i * 2 % rows) + 1]))))
    entrances = (Place(id="main", type="entrance", pos=(width / 2, height), name="Main entrance", name_zh="主入口"),)
    facilities = (
        Place(id="wc-1", type="toilet", pos=(1.0, height / 2), name="Toilets", name_zh="洗手间"),
        Place(id="cafe", type="cafe", pos=(width - 1.5, height / 3), name="Café", name_zh="咖啡"),
        Place(id="exit-1", type="exit", pos=(0.0, height / 4), name="Emergency exit", name_zh="安全出口"),
        Place(id="lift", type="lift", pos=(width - 1.5, 1.5), name="Lift", name_zh="电梯"),
    )
    kiosk = (width / 2 + col_aisles[0] / 4, height - row_aisles[-1] / 2)
    return Hall(name=f"Generated hall ({n_booths} booths)", outline=outline, booths=tuple(booths), walls=(),
                entrances=entrances, facilities=facilities, steps=tuple(steps), kiosks={"kiosk-1": kiosk},
                default_kiosk="kiosk-1")
