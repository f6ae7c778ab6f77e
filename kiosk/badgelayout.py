"""Laying out one badge from a template: which text goes where, at what size, on how many lines.

The layout is drawn by two painters, the server's PDF writer (kiosk.badgepdf) and the desk's
Qt printer (ui.printing); each passes its own `measure` (text width in mm at a size in pt), so
both fit the text to the same boxes with their own font metrics.

Fitting a text: explicit line breaks are kept (a name typed on two lines); a text that does not
fit on one line wraps, up to the box's `lines`, at spaces and between Chinese or Japanese
characters; only then does it shrink, down to the box's `min_size`; what still does not fit is
cut with "…" rather than run off the badge.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.badgeprint import names_to_print, type_look
from kiosk.badgetemplates import Element, Template
from kiosk.eventdata import DEFAULT_BADGE_TYPES, BadgeType
from kiosk.models import Attendee, Event

Measure = Callable[[str, float, bool], float]  # (text, size pt, bold) -> width mm
PT = 25.4 / 72  # mm per point
LINE_HEIGHT = 1.22  # a line's height, in font sizes
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u2028\u2029]")
# characters that may end a line on their own: ideographs, kana, fullwidth forms (not Hangul: Korean uses spaces)
_BREAK_ANYWHERE = re.compile(r"([\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                             r"\U00020000-\U0003ffff])")


@dataclass(frozen=True)
class Band:
    x: float
    y: float
    w: float
    h: float
    colour: str


@dataclass(frozen=True)
class TextLine:
    x: float  # the line's box, mm on the page
    y: float
    w: float
    h: float
    text: str
    size: float  # pt
    bold: bool
    colour: str
    align: str


@dataclass(frozen=True)
class QrBox:
    x: float
    y: float
    size: float
    code: str


Op = Band | TextLine | QrBox


@dataclass(frozen=True)
class BadgeText:
    """The values a template's fields take for one attendee."""

    values: dict[str, str]
    type_colour: str
    code: str


def badge_text(attendee: Attendee, code: str, event: Event | None,
               types: tuple[BadgeType, ...] = DEFAULT_BADGE_TYPES) -> BadgeText:
    """`types`: the event's badge types (kiosk.eventdata.badge_types_from_store): the band's label and colour."""
    label, colour = type_look(attendee.badge_type, types)
    event_name, event_zh = (event.name, event.name_zh) if event else ("", "")
    name, name_zh = names_to_print(attendee.name, attendee.name_zh)
    values = {"event": event_zh or event_name, "event_second": event_name if event_zh else "", "name": name,
              "name_zh": name_zh, "organisation": attendee.organisation, "title": attendee.title,
              "type_label": label, "id": attendee.id}
    return BadgeText(values, colour, code)


def clean(text: str) -> str:
    """Line breaks as \\n, other control characters gone, spaces squeezed within each line."""
    text = _CONTROLS.sub(" ", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def layout(template: Template, data: BadgeText, measure: Measure, origin: tuple[float, float] = (0.0, 0.0)) -> list[Op]:
    """Everything to draw for one badge whose top-left corner is at `origin` (mm on the page)."""
    ox, oy = origin
    ops: list[Op] = []
    for e in template.elements:
        colour = data.type_colour if e.colour == "type" else e.colour
        if e.kind == "band":
            ops.append(Band(ox + e.x, oy + e.y, e.w, e.h, colour))
        elif e.kind == "qr":
            side = min(e.w, e.h)
            ops.append(QrBox(ox + e.x + (e.w - side) / 2, oy + e.y + (e.h - side) / 2, side, data.code))
        else:
            text = _text_of(e, data.values)
            if text:
                ops.extend(_place(e, fit(text, e.w, e.h, e.size, e.min_size, e.lines, e.bold, measure), colour, ox, oy))
    return ops


def _text_of(e: Element, values: dict[str, str]) -> str:
    if e.only_if and not clean(values.get(e.only_if, "")):
        return ""
    return clean(values.get(e.field, "")) or (clean(values.get(e.otherwise, "")) if e.otherwise else "")


def _place(e: Element, fitted: tuple[float, list[str]], colour: str, ox: float, oy: float) -> list[TextLine]:
    size, lines = fitted
    lh = size * PT * LINE_HEIGHT
    top = oy + e.y + max(0.0, (e.h - lh * len(lines)) / 2)
    return [TextLine(ox + e.x, top + i * lh, e.w, lh, line, size, e.bold, colour, _aligned(e.align, line))
            for i, line in enumerate(lines)]


def _aligned(align: str, line: str) -> str:
    """A right-to-left line (Arabic, Hebrew) starts at the right where the template says left."""
    if align == "center":
        return align
    for c in line:
        kind = unicodedata.bidirectional(c)
        if kind in ("R", "AL"):
            return {"left": "right", "right": "left"}[align]
        if kind == "L":
            break
    return align


def fit(text: str, width: float, height: float, size: float, min_size: float, max_lines: int, bold: bool,
        measure: Measure) -> tuple[float, list[str]]:
    """The largest size (pt, in 0.5 pt steps) at which the text fits the box in at most max_lines lines."""
    text = clean(text)
    sizes = [size]
    while sizes[-1] - 0.5 >= min_size:
        sizes.append(sizes[-1] - 0.5)
    lo, hi = 0, len(sizes) - 1  # binary search for the first (largest) size that fits
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        lines = _wrap_to(text, width, height, sizes[mid], max_lines, bold, measure)
        if lines is not None:
            best, hi = (sizes[mid], lines), mid - 1
        else:
            lo = mid + 1
    return best if best is not None else (sizes[-1], _cut(text, width, height, sizes[-1], max_lines, bold, measure))


def _room(height: float, size: float, max_lines: int) -> int:
    """How many lines of this size the box holds (0: not even one)."""
    return min(max_lines, int(height / (size * PT * LINE_HEIGHT) + 1e-6))


def _wrap_to(text: str, width: float, height: float, size: float, max_lines: int, bold: bool,
             measure: Measure) -> list[str] | None:
    room = _room(height, size, max_lines)
    if room < 1:
        return None
    lines = wrap(_paragraphs(text, room), width, size, bold, measure)
    return lines if lines is not None and len(lines) <= room else None


def _paragraphs(text: str, room: int) -> list[str]:
    """Explicit lines; beyond the room there is, the rest joins the last line."""
    paragraphs = text.split("\n")
    return paragraphs[:room - 1] + [" ".join(paragraphs[room - 1:])] if len(paragraphs) > room else paragraphs


def _tokens(paragraph: str) -> list[tuple[str, bool]]:
    """(piece, space before it): words, and each ideograph on its own so lines may break between them."""
    out: list[tuple[str, bool]] = []
    for n, word in enumerate(paragraph.split(" ")):
        pieces = [p for p in _BREAK_ANYWHERE.split(word) if p]
        out.extend((piece, n > 0 and i == 0) for i, piece in enumerate(pieces))
    return out


def wrap(paragraphs: list[str], width: float, size: float, bold: bool, measure: Measure) -> list[str] | None:
    """Greedy line filling; None when a single word is wider than the box."""
    lines: list[str] = []
    for paragraph in paragraphs:
        line = ""
        for piece, space in _tokens(paragraph):
            candidate = f"{line} {piece}" if line and space else line + piece
            if measure(candidate, size, bold) <= width:
                line = candidate
            elif not line or measure(piece, size, bold) > width:
                return None
            else:
                lines.append(line)
                line = piece
        if line:
            lines.append(line)
    return lines


def _cut(text: str, width: float, height: float, size: float, max_lines: int, bold: bool,
         measure: Measure) -> list[str]:
    """At the smallest size: break anywhere, and end the last line with "…" if text is left over."""
    room = max(1, _room(height, size, max_lines))
    chars = list(" ".join(text.split("\n")))
    lines: list[str] = []
    while chars and len(lines) < room:
        line = ""
        while chars and measure(line + chars[0], size, bold) <= width:
            line += chars.pop(0)
        if not line:  # one character wider than the box: draw it anyway
            line = chars.pop(0)
        lines.append(line.strip())
    if chars:
        last = lines[-1]
        while last and measure(last + "…", size, bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return [line for line in lines if line]
