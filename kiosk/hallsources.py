"""Booth rectangles from the files venues hand out: a CSV (`id,x,y,w,h`) or an SVG from CAD.

Both give the `booths` list of the hall format (docs/hall-format.md), in metres. An SVG is
read with defusedxml (no entity expansion, no external references: a hostile file cannot
blow up memory or read local files), its group transforms are applied, and its user units
become metres from the root's own size (`width="56000mm" viewBox="0 0 56000 …"`) or the
unit the organiser names. Every error names the file, the row or element, and the problem.
"""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from kiosk.hallmap import HallError

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100  # group nesting: CAD exports use a handful; a deeper file is hostile or broken
UNITS_M = {"m": 1.0, "cm": 0.01, "mm": 0.001}
# lengths inside an SVG, in CSS pixels (user units) per unit: the SVG spec's fixed ratios
_CSS_PX = {"": 1.0, "px": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96 / 72, "pc": 16.0}
_SVG = "{http://www.w3.org/2000/svg}"
_SKIP = {"defs", "clipPath", "mask", "pattern", "symbol", "marker", "metadata"}
_AUTO_ID = re.compile(r"^(rect|path|g|layer|svg|use|polygon)[-_]?\d+$", re.IGNORECASE)
_INKSCAPE_LABEL = "{http://www.inkscape.org/namespaces/inkscape}label"

Affine = tuple[float, float, float, float, float, float]  # a b c d e f: x' = a x + c y + e, y' = b x + d y + f
_IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def parse_units(text: str | None) -> float | None:
    """`m`, `cm`, `mm` or a number of metres per unit; None when not given."""
    if text is None:
        return None
    t = text.strip().lower()
    if t in UNITS_M:
        return UNITS_M[t]
    try:
        value = float(t)
    except ValueError:
        raise HallError(f"--booth-units {text!r}: use m, cm, mm or a number of metres per unit") from None
    if not math.isfinite(value) or value <= 0:
        raise HallError(f"--booth-units {text!r}: must be a positive number of metres per unit")
    return value


def read_booths(path: str | Path, units: float | None = None, drawing_scale: float = 1.0) -> list[dict]:
    """The booths of a .csv or .svg file as hall-format dicts, in metres."""
    path = Path(path)
    data = _read(path)
    if path.suffix.lower() == ".csv":
        booths = booths_from_csv(data, path, units or 1.0)
    elif path.suffix.lower() == ".svg":
        booths = booths_from_svg(data, path, units, drawing_scale)
    else:
        raise HallError(f"{path}: booth rectangles come from a .csv or .svg file")
    if not booths:
        raise HallError(f"{path}: no booths found")
    return booths


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise HallError(f"{path}: {size // 1024 // 1024} MB is too large for a booth file "
                            f"(at most {MAX_BYTES // 1024 // 1024} MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise HallError(f"{path}: no such file") from None


# ---------------------------------------------------------------- CSV


def booths_from_csv(data: bytes, path: Path, m_per_unit: float = 1.0) -> list[dict]:
    """`id,x,y,w,h` (and an optional `label`), one booth a row; x, y the top-left corner."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HallError(f"{path}: not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("id", "x", "y", "w", "h") if c not in header]
    if missing:
        raise HallError(f"{path}: row 1: missing column(s) {', '.join(missing)} (expected id,x,y,w,h)")
    reader.fieldnames = header
    booths, seen = [], {}
    for row_no, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        bid = (row.get("id") or "").strip()
        where = f"{path}: row {row_no}"
        if not bid:
            raise HallError(f"{where}: empty booth id")
        if bid in seen:
            raise HallError(f"{where}: booth {bid!r} already on row {seen[bid]}")
        seen[bid] = row_no
        x, y, w, h = (_csv_number(row.get(k), f"{where}, column {k}") * m_per_unit for k in ("x", "y", "w", "h"))
        if w <= 0 or h <= 0:
            raise HallError(f"{where}: booth {bid!r}: width and height must be positive")
        booth = {"id": bid, "rect": [_mm(x), _mm(y), _mm(w), _mm(h)]}
        if (row.get("label") or "").strip():
            booth["label"] = row["label"].strip()
        booths.append(booth)
    return booths


def _csv_number(v: str | None, where: str) -> float:
    try:
        n = float((v or "").strip())
    except ValueError:
        raise HallError(f"{where}: expected a number, got {v!r}") from None
    if not math.isfinite(n):
        raise HallError(f"{where}: expected a finite number, got {v!r}")
    return n


def _mm(v: float) -> float:
    return round(v, 3)


# ---------------------------------------------------------------- SVG


def booths_from_svg(data: bytes, path: Path, m_per_unit: float | None = None, drawing_scale: float = 1.0) -> list[dict]:
    """Rects (and polygons) with a booth id (those inside a group named `booths` when there is one), in metres."""
    try:
        root = safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HallError(f"{path}: refused: the SVG declares entities or external references ({exc}); "
                        "export it again without a DTD") from None
    except safe_xml.ParseError as exc:
        raise HallError(f"{path}: not well-formed XML ({exc})") from None
    if _local(root.tag) != "svg":
        raise HallError(f"{path}: the root element is <{_local(root.tag)}>, not <svg>")
    scale = m_per_unit if m_per_unit is not None else _root_unit(root, path)
    scale *= drawing_scale
    group = next((g for g in root.iter() if _local(g.tag) == "g" and _name_of(g).lower() == "booths"), None)
    rects: list[tuple[str, str, list[tuple[float, float]]]] = []
    _walk(group if group is not None else root, _IDENTITY if group is None else _group_transform(root, group, path),
          path, rects)
    booths, seen = [], {}
    for bid, where, corners in rects:
        if bid in seen:
            raise HallError(f"{path}: {where}: booth {bid!r} appears twice (also {seen[bid]})")
        seen[bid] = where
        pts = [(x * scale, y * scale) for x, y in corners]
        booths.append(_booth_dict(bid, pts))
    return booths


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _name_of(el) -> str:
    return el.get("data-booth") or el.get(_INKSCAPE_LABEL) or el.get("id") or ""


def _booth_id(el) -> str:
    """The booth id of a rect: `data-booth`, else its id (Illustrator's `_x31_01` escapes decoded)."""
    if el.get("data-booth"):
        return el.get("data-booth").strip()
    raw = (el.get("id") or "").strip()
    if not raw or _AUTO_ID.match(raw):
        return ""
    return re.sub(r"_x([0-9A-Fa-f]{2,4})_", lambda m: chr(int(m.group(1), 16)), raw)


def _root_unit(root, path: Path) -> float:
    """Metres per user unit from `width` with a unit (mm, cm, m, in) and the `viewBox` width."""
    width, box = (root.get("width") or "").strip(), (root.get("viewBox") or "").replace(",", " ").split()
    m = re.fullmatch(r"([0-9.eE+-]+)\s*(mm|cm|m|in)", width)
    if m and len(box) == 4:
        try:
            per = {"mm": 0.001, "cm": 0.01, "m": 1.0, "in": 0.0254}[m.group(2)]
            value = float(m.group(1)) * per / float(box[2])
        except (ValueError, ZeroDivisionError):
            value = 0.0
        if math.isfinite(value) and value > 0:
            return value
    raise HallError(f"{path}: the <svg> has no size in mm, cm, m or in with a viewBox (width={width or 'none'!r}), "
                    "so its units are unknown: give --booth-units m|cm|mm|METRES_PER_UNIT")


def _group_transform(root, target, path: Path) -> Affine:
    """The combined transform of target's ancestors and target itself."""
    parents = {child: parent for parent in root.iter() for child in parent}
    chain = [target]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    m = _IDENTITY
    for el in reversed(chain):
        m = _mul(m, _transform(el.get("transform"), path, el))
    return m


def _walk(el, parent: Affine, path: Path, out: list, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise HallError(f"{path}: {_describe(el)}: groups nested more than {MAX_DEPTH} deep; not a plan")
    for child in el:
        tag = _local(child.tag)
        if tag in _SKIP:
            continue
        m = _mul(parent, _transform(child.get("transform"), path, child))
        if tag in ("rect", "polygon", "polyline"):
            bid = _booth_id(child)
            if bid:
                corners = _rect_corners(child, m, path) if tag == "rect" else _poly_corners(child, m, path)
                out.append((bid, _describe(child), corners))
        elif tag in ("g", "a", "switch"):
            _walk(child, m, path, out, depth + 1)


def _describe(el) -> str:
    return f"<{_local(el.tag)} id={el.get('id')!r}>" if el.get("id") else f"<{_local(el.tag)}>"


def _rect_corners(el, m: Affine, path: Path) -> list[tuple[float, float]]:
    x, y, w, h = (_length(el.get(k, "0"), path, el, k) for k in ("x", "y", "width", "height"))
    if w <= 0 or h <= 0:
        raise HallError(f"{path}: {_describe(el)}: width and height must be positive")
    return [_apply(m, px, py) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]


def _poly_corners(el, m: Affine, path: Path) -> list[tuple[float, float]]:
    """A closed outline drawn as <polygon> or <polyline> (CAD exports draw booths that way too)."""
    try:
        nums = [float(n) for n in re.split(r"[\s,]+", (el.get("points") or "").strip()) if n]
    except ValueError:
        raise HallError(f"{path}: {_describe(el)}: points={el.get('points')!r} are not numbers") from None
    if len(nums) % 2 or not all(math.isfinite(n) for n in nums):
        raise HallError(f"{path}: {_describe(el)}: points={el.get('points')!r} are not pairs of numbers x,y")
    pts = list(zip(nums[0::2], nums[1::2]))
    if len(pts) > 3 and pts[0] == pts[-1]:
        pts = pts[:-1]  # a closed polyline repeats its first point
    if len(pts) < 3:
        raise HallError(f"{path}: {_describe(el)}: a booth outline needs at least 3 points x,y")
    return [_apply(m, x, y) for x, y in pts]


def _length(text: str, path: Path, el, attr: str) -> float:
    m = re.fullmatch(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-z]*)\s*", text or "")
    if not m or m.group(2) not in _CSS_PX or not math.isfinite(float(m.group(1))):
        raise HallError(f"{path}: {_describe(el)}: {attr}={text!r} is not a length")
    return float(m.group(1)) * _CSS_PX[m.group(2)]


_TRANSFORM = re.compile(r"\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?")


def _transform(text: str | None, path: Path, el) -> Affine:
    """An SVG transform list (matrix, translate, scale, rotate, skewX, skewY) as one matrix."""
    m = _IDENTITY
    if not text or not text.strip():
        return m
    pos = 0
    while pos < len(text):
        match = _TRANSFORM.match(text, pos)
        if not match:
            if text[pos:].strip():
                raise HallError(f"{path}: {_describe(el)}: cannot read transform {text!r}")
            break
        pos = match.end()
        try:
            args = [float(a) for a in re.split(r"[\s,]+", match.group(2).strip()) if a]
        except ValueError:
            raise HallError(f"{path}: {_describe(el)}: cannot read transform {text!r}") from None
        m = _mul(m, _one(match.group(1), args, text, path, el))
    return m


def _one(name: str, a: list[float], text: str, path: Path, el) -> Affine:
    counts = {"matrix": (6,), "translate": (1, 2), "scale": (1, 2), "rotate": (1, 3), "skewX": (1,), "skewY": (1,)}
    if len(a) not in counts[name]:
        raise HallError(f"{path}: {_describe(el)}: {name}() in transform {text!r} takes {counts[name]} numbers")
    if name == "matrix":
        return a[0], a[1], a[2], a[3], a[4], a[5]
    if name == "translate":
        return 1.0, 0.0, 0.0, 1.0, a[0], a[1] if len(a) > 1 else 0.0
    if name == "scale":
        return a[0], 0.0, 0.0, a[1] if len(a) > 1 else a[0], 0.0, 0.0
    if name == "rotate":
        r = math.radians(a[0])
        rot = (math.cos(r), math.sin(r), -math.sin(r), math.cos(r), 0.0, 0.0)
        if len(a) == 3:
            return _mul(_mul((1.0, 0.0, 0.0, 1.0, a[1], a[2]), rot), (1.0, 0.0, 0.0, 1.0, -a[1], -a[2]))
        return rot
    t = math.tan(math.radians(a[0]))
    return (1.0, 0.0, t, 1.0, 0.0, 0.0) if name == "skewX" else (1.0, t, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Affine, n: Affine) -> Affine:
    """m then n applied to a point is m(n(p)): the parent's matrix times the child's."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _apply(m: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _booth_dict(bid: str, pts: list[tuple[float, float]]) -> dict:
    """A rect when the corners stay axis-aligned (translate and scale), else a polygon."""
    xs, ys = sorted({_mm(p[0]) for p in pts}), sorted({_mm(p[1]) for p in pts})
    if len(xs) == 2 and len(ys) == 2:
        return {"id": bid, "rect": [xs[0], ys[0], _mm(xs[1] - xs[0]), _mm(ys[1] - ys[0])]}
    return {"id": bid, "polygon": [[_mm(x), _mm(y)] for x, y in pts]}
