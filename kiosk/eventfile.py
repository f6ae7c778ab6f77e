"""The organiser's event file (docs/event-format.md): checked element by element, and written back.

`read_event_file` reports every problem at once, each naming the element (`sessions[3] "opening":
room_id "hall-9" is not a room`), so an organiser fixes a file in one pass; nothing is stored
until the whole file is good. `to_document` is the inverse: `export-event` writes the very shape
`create-event` reads, with clock times on the event's days in its time zone.
"""
from __future__ import annotations

import json
import re
from datetime import date as Date
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.eventdata import ACCESS_RULES, EventData, EventDataError, from_json, public_url
from kiosk.models import BADGE_TYPES

MAX_ERRORS = 20
EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$")  # inside every signed badge: short and plain
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

TOP_KEYS = ("event", "badge_types", "rooms", "sessions", "points", "categories", "exhibitors")
KEYS = {
    "event": ("id", "name", "name_zh", "venue", "venue_zh", "date", "dates", "timezone", "public_url"),
    "badge_types": ("id", "label", "label_zh", "color", "access"),
    "rooms": ("id", "name", "name_zh", "capacity"),
    "sessions": ("id", "title", "title_zh", "room_id", "date", "start", "end", "allowed_types", "speakers", "kind"),
    "points": ("id", "name", "name_zh", "session_id", "room_id"),
    "categories": ("id", "name", "name_zh", "color"),
    "exhibitors": ("id", "name", "name_zh", "category", "categories", "booths", "description", "description_zh",
                   "products", "website"),
}
REQUIRED = {"event": ("id", "name"), "badge_types": ("id",), "rooms": ("id", "name"),
            "sessions": ("id", "title", "start", "end"), "points": ("id", "name"), "categories": ("id", "name"),
            "exhibitors": ("id", "name")}
LISTS = ("dates", "allowed_types", "speakers", "booths", "products", "categories")


class _Problems:
    def __init__(self, source: str):
        self.source, self.items = source, []

    def add(self, where: str, problem: str) -> None:
        self.items.append(f"{where}: {problem}")

    def raise_any(self) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_ERRORS]
        more = f"\n  … and {len(self.items) - MAX_ERRORS} more" if len(self.items) > MAX_ERRORS else ""
        raise EventDataError(f"{self.source}: {len(self.items)} problem{'s' if len(self.items) > 1 else ''} "
                             f"in the event file:\n  " + "\n  ".join(shown) + more)


def _where(section: str, i: int, item: dict) -> str:
    ident = item.get("id") if isinstance(item, dict) else None
    return f"{section}[{i}]" + (f" {json.dumps(ident, ensure_ascii=False)}" if isinstance(ident, str) else "")


def _check_fields(p: _Problems, section: str, where: str, item) -> bool:
    """Keys, required values and plain types of one element; False when it is not an object."""
    if not isinstance(item, dict):
        p.add(where, "must be an object {…}")
        return False
    for key in item:
        if key not in KEYS[section]:
            p.add(where, f"unknown key {key!r} (known: {', '.join(KEYS[section])})")
    for key in REQUIRED[section]:
        if item.get(key) in (None, ""):
            p.add(where, f"{key!r} is required")
    for key, value in item.items():
        if key in LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                p.add(where, f"{key!r} must be a list of strings")
        elif key == "capacity":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                p.add(where, "'capacity' must be a whole number, 0 or more")
        elif value is not None and not isinstance(value, str):
            p.add(where, f"{key!r} must be a string")
    return True


def _section(p: _Problems, doc: dict, section: str) -> list[dict]:
    """The section's good elements; duplicate ids reported."""
    items = doc.get(section) or []
    if not isinstance(items, list):
        p.add(section, "must be a list […]")
        return []
    good, seen = [], {}
    for i, item in enumerate(items):
        where = _where(section, i, item)
        if not _check_fields(p, section, where, item):
            continue
        ident = item.get("id")
        if isinstance(ident, str) and ident:
            if ident in seen:
                p.add(where, f"id {ident!r} is used twice (also {section}[{seen[ident]}])")
            seen.setdefault(ident, i)
        good.append((where, item))
    return good


def _check_event(p: _Problems, ev) -> tuple[list[Date], ZoneInfo | None]:
    if not _check_fields(p, "event", "event", ev):
        return [], None
    if isinstance(ev.get("id"), str) and ev["id"] and not EVENT_ID.match(ev["id"]):
        p.add("event", f"id {ev['id']!r} must be 1 to 16 letters, digits, '.', '_' or '-' (it is in every badge)")
    try:
        public_url(ev.get("public_url") or "", "x")
    except EventDataError as exc:
        p.add("event", str(exc).split(": ", 1)[1])
    tz = None
    try:
        tz = ZoneInfo(ev.get("timezone") or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        p.add("event", f"timezone {ev.get('timezone')!r} is not an IANA time zone such as 'Asia/Shanghai'")
    raw = ev.get("dates") or ([ev["date"]] if ev.get("date") else [])
    if not raw:
        p.add("event", "'date' (one day) or 'dates' (every day, first to last) is required")
    days = []
    for d in raw if isinstance(raw, list) else []:
        try:
            days.append(Date.fromisoformat(d))
        except (TypeError, ValueError):
            p.add("event", f"date {d!r} is not YYYY-MM-DD")
    if days and sorted(set(days)) != days:
        p.add("event", "'dates' must be in order, each day once")
    if days and ev.get("date") and ev.get("dates") and ev["date"] != days[0].isoformat():
        p.add("event", f"'date' {ev['date']!r} must be the first of 'dates' ({days[0].isoformat()})")
    return days, tz


def _check_sessions(p: _Problems, sessions, days: list[Date], rooms: set[str]) -> None:
    for where, s in sessions:
        if s.get("room_id") and s["room_id"] not in rooms:
            p.add(where, f"room_id {s['room_id']!r} is not a room")
        for t in s.get("allowed_types") or []:
            if t not in BADGE_TYPES:
                p.add(where, f"unknown badge type {t!r} in allowed_types (one of {', '.join(BADGE_TYPES)})")
        if s.get("date"):
            try:
                if days and Date.fromisoformat(s["date"]) not in days:
                    p.add(where, f"date {s['date']} is not one of the event's days")
            except (TypeError, ValueError):
                p.add(where, f"date {s['date']!r} is not YYYY-MM-DD")
        clocks = [s.get(k) for k in ("start", "end")]
        for key, value in zip(("start", "end"), clocks):
            if isinstance(value, str) and value and not CLOCK.match(value):
                p.add(where, f"{key} {value!r} is not a clock time HH:MM (24 h)")
        if all(isinstance(c, str) and CLOCK.match(c) for c in clocks) and clocks[0] >= clocks[1]:
            p.add(where, f"ends at {clocks[1]}, not after it starts ({clocks[0]})")


def check_document(doc, source: str) -> None:
    """Raise EventDataError listing every problem of an event file's JSON; return when it is good."""
    p = _Problems(source)
    if not isinstance(doc, dict):
        p.add("file", "must be a JSON object {…}")
        p.raise_any()
    for key in doc:
        if key not in TOP_KEYS:
            p.add("file", f"unknown section {key!r} (known: {', '.join(TOP_KEYS)})")
    if "event" not in doc:
        p.add("file", "the 'event' section is required")
    days, _ = _check_event(p, doc.get("event", {}))
    for where, b in _section(p, doc, "badge_types"):
        if b.get("id") and b["id"] not in BADGE_TYPES:
            p.add(where, f"badge types are the six the signed badge holds: {', '.join(BADGE_TYPES)}")
        if b.get("color") and not COLOUR.match(str(b["color"])):
            p.add(where, f"color {b['color']!r} is not #RRGGBB")
        if b.get("access") and b["access"] not in ACCESS_RULES:
            p.add(where, f"access {b['access']!r} is not one of {', '.join(ACCESS_RULES)}")
    rooms = {r["id"] for _, r in _section(p, doc, "rooms")}
    sessions = _section(p, doc, "sessions")
    _check_sessions(p, sessions, days, rooms)
    session_ids = {s["id"] for _, s in sessions}
    for where, pt in _section(p, doc, "points"):
        if pt.get("session_id") and pt["session_id"] not in session_ids:
            p.add(where, f"session_id {pt['session_id']!r} is not a session")
        if pt.get("room_id") and pt["room_id"] not in rooms:
            p.add(where, f"room_id {pt['room_id']!r} is not a room")
    categories = _section(p, doc, "categories")
    for where, c in categories:
        if c.get("color") and not COLOUR.match(str(c["color"])):
            p.add(where, f"color {c['color']!r} is not #RRGGBB")
    category_ids = {c["id"] for _, c in categories}
    booth_owner: dict[str, str] = {}
    for where, e in _section(p, doc, "exhibitors"):
        for cat in dict.fromkeys([e.get("category"), *(e.get("categories") or [])]):
            if cat and isinstance(cat, str) and cat not in category_ids:
                p.add(where, f"category {cat!r} is not a category")
        for booth in e.get("booths") or []:
            if isinstance(booth, str) and booth_owner.setdefault(booth, e["id"]) != e["id"]:
                p.add(where, f"booth {booth!r} is already exhibitor {booth_owner[booth]!r}'s booth")
    p.raise_any()


def read_event_file(path: str | Path, on_date: Date | None = None) -> tuple[EventData, bool]:
    """The checked event of an organiser's file, and whether the file lists exhibitors at all."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise EventDataError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise EventDataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise EventDataError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except OSError as exc:
        raise EventDataError(f"{path}: cannot read ({exc.strerror})") from None
    check_document(doc, str(path))
    return from_json(doc, on_date, source=str(path)), "exhibitors" in doc


def _local(iso: str, tz: ZoneInfo) -> datetime:
    return datetime.fromisoformat(iso).astimezone(tz)


def to_document(data: EventData) -> dict:
    """The event as an organiser's file: what create-event reads, so an export loads back unchanged."""
    tz = ZoneInfo(data.event.timezone or "Asia/Shanghai")
    ev = data.event
    event = {"id": ev.id, "name": ev.name, "name_zh": ev.name_zh, "venue": ev.venue, "venue_zh": ev.venue_zh,
             "date": ev.date, "timezone": ev.timezone}
    if ev.public_url:
        event["public_url"] = ev.public_url
    if data.dates:
        event["dates"] = list(data.dates)
    sessions = []
    for s in data.sessions:
        start, end = _local(s.starts_at, tz), _local(s.ends_at, tz)
        sessions.append({"id": s.id, "title": s.title, "title_zh": s.title_zh, "room_id": s.room_id,
                         "date": start.date().isoformat(), "start": start.strftime("%H:%M"),
                         "end": end.strftime("%H:%M"), "allowed_types": list(s.allowed_types),
                         "speakers": list(s.speakers), "kind": s.kind})
    return {
        "event": event,
        "badge_types": [b.__dict__ for b in data.badge_types],
        "rooms": [r.__dict__ for r in data.rooms],
        "sessions": sessions,
        "points": [p.__dict__ for p in data.points],
        "categories": [c.__dict__ for c in data.categories],
        "exhibitors": [_exhibitor(e) for e in data.exhibitors],
    }


def _exhibitor(e) -> dict:
    out = {**e.__dict__, "booths": list(e.booths), "products": list(e.products)}
    del out["categories"]
    if len(e.categories) > 1:  # only then more than `category` says
        out["categories"] = list(e.categories)
    return out


def write_event_file(data: EventData, out: str | Path) -> Path:
    """Write the organiser's form of the event (UTF-8 JSON, indented, stable order)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(to_document(data), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out)
    return out
