"""Badge templates as data: JSON files in assets/badge-templates (the format is docs/badge-templates.md).

A template says how big a badge is, where it sits on the page (one per page, or a grid on a
sheet), and where each box goes: colour bands, text boxes bound to attendee fields, the QR.
The server's PDF writer and the desk's Qt printer draw the same template, so a badge looks
the same from both.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths
from kiosk.errors import BadInput, NotFound

FIELDS = ("event", "event_second", "name", "name_zh", "organisation", "title", "type_label", "id")
KINDS = ("band", "text", "qr")
ALIGNS = ("left", "center", "right")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


@dataclass(frozen=True)
class Element:
    kind: str  # band | text | qr
    x: float  # mm from the badge's left edge
    y: float  # mm from the badge's top edge
    w: float
    h: float
    field: str = ""
    otherwise: str = ""  # text: the field shown when `field` is empty ("else" in the file)
    only_if: str = ""  # text: shown only when this field is not empty
    size: float = 12.0  # text: largest size, pt
    min_size: float = 6.0  # text: smallest size before the text is cut with "…"
    lines: int = 1  # text: most lines; wrapping comes before shrinking
    bold: bool = False
    colour: str = "#000000"  # "type": the badge type's colour
    align: str = "center"


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float
    columns: int
    rows: int
    left: float = 0.0
    top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class Template:
    id: str
    description: str
    width: float  # the badge, mm
    height: float
    elements: tuple[Element, ...]
    sheet: Sheet | None = None  # None: each badge is a page of its own size

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.sheet.width, self.sheet.height) if self.sheet else (self.width, self.height)

    def slot(self, n: int) -> tuple[float, float]:
        """Top-left corner (mm) of the n-th badge on its page."""
        if self.sheet is None:
            return 0.0, 0.0
        s = self.sheet
        col, row = n % s.columns, (n // s.columns) % s.rows
        return s.left + col * (self.width + s.gap_x), s.top + row * (self.height + s.gap_y)


def folder() -> Path:
    return paths.assets() / "badge-templates"


def names() -> list[str]:
    return sorted(p.stem for p in folder().glob("*.json"))


def load(name_or_path: str) -> Template:
    """A bundled template by name (`a6`), or a template file (`my-badge.json`)."""
    path = Path(name_or_path)
    if path.suffix.lower() != ".json":
        if not _NAME.match(name_or_path) or not (folder() / f"{name_or_path}.json").is_file():
            raise NotFound(f"no badge template {name_or_path!r} (see kiosk-server templates: {', '.join(names())})")
        path = folder() / f"{name_or_path}.json"
    elif not path.is_file():
        raise NotFound(f"{path}: no such template file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"{path}: not a JSON template ({exc})") from None
    return parse(data, str(path))


def parse(data: object, where: str) -> Template:
    """Check a template's data; BadInput names the file and element at fault."""
    if not isinstance(data, dict):
        raise BadInput(f"{where}: a template is a JSON object")
    if "layout" in data:  # the boxes of another bundled template (a sheet of A6 badges)
        if not isinstance(data["layout"], str) or not _NAME.match(data["layout"]):
            raise BadInput(f"{where}: layout must name a bundled template")
        base = load(data["layout"])
        raw_elements = None
    else:
        base, raw_elements = None, data.get("elements")
        if not isinstance(raw_elements, list) or not raw_elements:
            raise BadInput(f"{where}: elements must be a non-empty list")
    badge = data.get("badge")
    if not isinstance(badge, dict):
        raise BadInput(f"{where}: badge must be an object with width and height (mm)")
    width, height = _mm(badge, "width", f"{where}: badge"), _mm(badge, "height", f"{where}: badge")
    if base is not None and (abs(base.width - width) > 1 or abs(base.height - height) > 1):
        raise BadInput(f"{where}: badge size differs from layout {base.id!r} ({base.width} x {base.height} mm)")
    elements = base.elements if base else tuple(_element(e, f"{where}: element {i + 1}", width, height)
                                                 for i, e in enumerate(raw_elements))
    sheet = _sheet(data["sheet"], where, width, height) if data.get("sheet") is not None else None
    tid = data.get("id", Path(where).stem)
    return Template(str(tid), str(data.get("description", "")), width, height, elements, sheet)


def _mm(obj: dict, key: str, where: str, default: float | None = None, lo: float = 0.0) -> float:
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= 1000:
        raise BadInput(f"{where}: {key} must be a number of millimetres ({lo} to 1000)")
    return float(value)


def _element(e: object, where: str, width: float, height: float) -> Element:
    if not isinstance(e, dict):
        raise BadInput(f"{where}: an element is a JSON object")
    kind = e.get("kind")
    if kind not in KINDS:
        raise BadInput(f"{where}: kind must be one of {', '.join(KINDS)}")
    x, y, w = _mm(e, "x", where), _mm(e, "y", where), _mm(e, "w", where, e.get("size") if kind == "qr" else None)
    h = _mm(e, "h", where, w if kind == "qr" else None)
    if x + w > width + 0.01 or y + h > height + 0.01 or w <= 0 or h <= 0:
        raise BadInput(f"{where}: the box ({x}, {y}, {w} x {h} mm) lies outside the {width} x {height} mm badge")
    colour = e.get("colour", "#000000")
    if not (colour == "type" or (isinstance(colour, str) and _COLOUR.match(colour))):
        raise BadInput(f"{where}: colour must be #RRGGBB or \"type\"")
    if kind != "text":
        return Element(kind, x, y, w, h, colour=colour)
    for key in ("field", "else", "only_if"):
        if key in e and e[key] not in FIELDS:
            raise BadInput(f"{where}: {key} must be one of {', '.join(FIELDS)}")
    if "field" not in e:
        raise BadInput(f"{where}: a text element needs a field")
    size, min_size = _mm(e, "size", where, 12, lo=2), _mm(e, "min_size", where, 6, lo=2)
    lines = e.get("lines", 1)
    if not isinstance(lines, int) or isinstance(lines, bool) or not 1 <= lines <= 6:
        raise BadInput(f"{where}: lines must be 1 to 6")
    if e.get("align", "center") not in ALIGNS:
        raise BadInput(f"{where}: align must be one of {', '.join(ALIGNS)}")
    return Element("text", x, y, w, h, e["field"], e.get("else", ""), e.get("only_if", ""), size,
                   min(size, min_size), lines, bool(e.get("bold", False)), colour, e.get("align", "center"))


def _sheet(s: object, where: str, width: float, height: float) -> Sheet:
    if not isinstance(s, dict):
        raise BadInput(f"{where}: sheet must be an object")
    cols, rows = s.get("columns"), s.get("rows")
    if not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 20 for n in (cols, rows)):
        raise BadInput(f"{where}: sheet columns and rows must be 1 to 20")
    sheet = Sheet(_mm(s, "width", f"{where}: sheet"), _mm(s, "height", f"{where}: sheet"), cols, rows,
                  _mm(s, "left", f"{where}: sheet", 0), _mm(s, "top", f"{where}: sheet", 0),
                  _mm(s, "gap_x", f"{where}: sheet", 0), _mm(s, "gap_y", f"{where}: sheet", 0))
    right = sheet.left + cols * width + (cols - 1) * sheet.gap_x
    bottom = sheet.top + rows * height + (rows - 1) * sheet.gap_y
    if right > sheet.width + 0.01 or bottom > sheet.height + 0.01:
        raise BadInput(f"{where}: {cols} x {rows} badges of {width} x {height} mm do not fit the "
                       f"{sheet.width} x {sheet.height} mm sheet")
    return sheet
