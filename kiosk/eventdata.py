"""Event structure as JSON: the organiser's event file (docs/event-format.md), bundles and sync all share it.

Session times in an event file are local clock times ("09:00") on one of the event's days;
`load_event` puts them on that date (or, for a live demo, on the same day counted from today)
in the event's time zone. kiosk/eventfile.py checks an organiser's file and writes one back.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.errors import BadInput
from kiosk.models import BADGE_TYPES, CheckinPoint, Event, Exhibitor, Room, Session


class EventDataError(BadInput):
    """The event file is not usable; the message names the file and the problem."""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    name_zh: str
    color: str = "#607D8B"


@dataclass(frozen=True)
class BadgeType:
    """One of the six types the signed badge encodes, as this event names and colours it.

    `access`: "sessions" (admitted where a session's allowed_types lists the type) or "all"
    (every door, whatever the session lists: organisers' own staff)."""
    id: str
    label: str
    label_zh: str
    color: str
    access: str = "sessions"


ACCESS_RULES = ("sessions", "all")
DEFAULT_BADGE_TYPES: tuple[BadgeType, ...] = (
    BadgeType("attendee", "ATTENDEE", "参会嘉宾", "#1565C0"), BadgeType("vip", "VIP", "贵宾", "#B8860B"),
    BadgeType("speaker", "SPEAKER", "演讲嘉宾", "#6A1B9A"), BadgeType("press", "PRESS", "媒体", "#C62828"),
    BadgeType("exhibitor", "EXHIBITOR", "参展商", "#2E7D32"), BadgeType("staff", "STAFF", "工作人员", "#37474F"))


def complete_badge_types(given) -> tuple[BadgeType, ...]:
    """All six types in the badge's order: the event's own where it defines them, else the defaults."""
    by_id = {b.id: b for b in given}
    return tuple(by_id.get(d.id, d) for d in DEFAULT_BADGE_TYPES)


@dataclass(frozen=True)
class EventData:
    event: Event
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    points: tuple[CheckinPoint, ...]
    exhibitors: tuple[Exhibitor, ...]
    categories: tuple[Category, ...] = field(default=())
    dates: tuple[str, ...] = ()  # every day of the event, ISO; () means the one day event.date
    badge_types: tuple[BadgeType, ...] = DEFAULT_BADGE_TYPES

    @property
    def days(self) -> tuple[str, ...]:
        return self.dates or ((self.event.date,) if self.event.date else ())

    def to_json(self) -> dict:
        """The wire form used by bundles and the sync protocol (absolute session times)."""
        return {
            "event": {**self.event.__dict__, "dates": list(self.days)},
            "badge_types": [b.__dict__ for b in self.badge_types],
            "rooms": [r.__dict__ for r in self.rooms],
            "sessions": [{**s.__dict__, "allowed_types": list(s.allowed_types), "speakers": list(s.speakers)}
                         for s in self.sessions],
            "points": [p.__dict__ for p in self.points],
            "exhibitors": [{**e.__dict__, "booths": list(e.booths), "products": list(e.products),
                            "categories": list(e.categories)} for e in self.exhibitors],
            "categories": [c.__dict__ for c in self.categories],
        }


PUBLIC_URL_MAX = 80  # characters: the link shares a small QR code with the route's words


def public_url(value: str, source: str = "event data") -> str:
    """The organiser's page for phones: an http(s) address without spaces, short enough for the QR."""
    value = str(value).strip()
    if not value:
        return ""
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise EventDataError(f"{source}: event public_url must be an http:// or https:// address, got {value!r}")
    if len(value) > PUBLIC_URL_MAX:
        raise EventDataError(f"{source}: event public_url is {len(value)} characters; at most {PUBLIC_URL_MAX} fit "
                             "the kiosk's phone QR")
    return value


def _at(day: Date, clock: str, tz: ZoneInfo) -> str:
    if "T" in clock:  # already absolute
        return datetime.fromisoformat(clock).isoformat()
    hour, minute = (int(x) for x in clock.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).isoformat()


def _exhibitor(e: dict) -> Exhibitor:
    """`category` is the main one (the map colour); `categories` all of them, the main one first."""
    cats = tuple(e.get("categories") or ())
    category = e.get("category") or (cats[0] if cats else "")
    if category and category not in cats:
        cats = (category, *cats)
    return Exhibitor(id=e["id"], name=e["name"], name_zh=e.get("name_zh", ""), category=category,
                     booths=tuple(e.get("booths", [])), description=e.get("description", ""),
                     description_zh=e.get("description_zh", ""), products=tuple(e.get("products", [])),
                     website=e.get("website", ""), categories=cats)


def from_json(data: dict, on_date: Date | None = None, source: str = "event data") -> EventData:
    """Build EventData from the JSON shape; raise EventDataError with a precise message.

    With `on_date` the first day moves there and every other day by the same number of days."""
    try:
        ev = data["event"]
        tz = ZoneInfo(ev.get("timezone") or "Asia/Shanghai")
        given = [Date.fromisoformat(d) for d in (ev.get("dates") or [ev["date"]])]
        shift = (on_date - given[0]) if on_date else timedelta(0)
        days = [d + shift for d in given]
        day = days[0]
        event = Event(id=ev["id"], name=ev["name"], name_zh=ev.get("name_zh", ""), venue=ev.get("venue", ""),
                      venue_zh=ev.get("venue_zh", ""), date=day.isoformat(), timezone=str(tz),
                      public_url=public_url(ev.get("public_url") or "", source))
        rooms = tuple(Room(r["id"], r["name"], r.get("name_zh", ""), int(r.get("capacity", 0)))
                      for r in data.get("rooms", []))
        sessions = []
        for s in data.get("sessions", []):
            allowed = tuple(s.get("allowed_types") or BADGE_TYPES)
            bad = [t for t in allowed if t not in BADGE_TYPES]
            if bad:
                raise EventDataError(f"{source}: session {s.get('id')}: unknown badge type {bad[0]!r}")
            s_day = Date.fromisoformat(s["date"]) + shift if s.get("date") else day
            sessions.append(Session(
                id=s["id"], title=s["title"], title_zh=s.get("title_zh", ""), room_id=s.get("room_id", ""),
                starts_at=_at(s_day, s.get("starts_at") or s["start"], tz),
                ends_at=_at(s_day, s.get("ends_at") or s["end"], tz),
                allowed_types=allowed, speakers=tuple(s.get("speakers", [])), kind=s.get("kind", "session")))
        points = tuple(CheckinPoint(p["id"], p["name"], p.get("name_zh", ""), p.get("session_id"),
                                    p.get("room_id")) for p in data.get("points", []))
        exhibitors = tuple(_exhibitor(e) for e in data.get("exhibitors", []))
        categories = tuple(Category(c["id"], c["name"], c.get("name_zh", ""), c.get("color", "#607D8B"))
                           for c in data.get("categories", []))
        badge_types = complete_badge_types(
            BadgeType(b["id"], b.get("label") or b["id"].upper(), b.get("label_zh", ""), b.get("color") or "#1565C0",
                      b.get("access") or "sessions") for b in data.get("badge_types", []))
    except EventDataError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EventDataError(f"{source}: malformed event data ({type(exc).__name__}: {exc})") from exc
    if not points:
        points = (CheckinPoint("entrance", "Event entrance", "活动入口"),)
    dates = tuple(d.isoformat() for d in days) if len(days) > 1 else ()
    return EventData(event, rooms, tuple(sessions), points, exhibitors, categories, dates, badge_types)


def load_event(path: str | Path, on_date: Date | None = None) -> EventData:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventDataError(f"{path}: cannot read event data ({exc})") from exc
    return from_json(data, on_date, source=str(path))


def save_to_store(store, data: EventData, keep_exhibitors: bool = False) -> None:
    """Make the store's event structure exactly `data` (rows it no longer lists go), in one transaction.

    `keep_exhibitors`: leave the exhibitors as they are (an event file without an exhibitors list)."""
    with store.transaction():
        store.save_event(data.event, data.rooms, data.sessions, data.points,
                         None if keep_exhibitors else data.exhibitors, replace=True)
        store.set_meta("categories", json.dumps([c.__dict__ for c in data.categories], ensure_ascii=False))
        store.set_meta("badge_types", json.dumps([b.__dict__ for b in data.badge_types], ensure_ascii=False))
        store.set_meta("event_dates", json.dumps(list(data.dates)))


def categories_from_store(store) -> tuple[Category, ...]:
    return tuple(Category(**c) for c in json.loads(store.get_meta("categories") or "[]"))


def badge_types_from_store(store) -> tuple[BadgeType, ...]:
    """The event's six badge types (labels, colours, access), defaults where it named none."""
    return complete_badge_types(BadgeType(**b) for b in json.loads(store.get_meta("badge_types") or "[]"))


def from_store(store) -> EventData:
    event = store.event()
    if event is None:
        raise EventDataError(f"{store.path}: no event in this database")
    return EventData(event, tuple(store.rooms()), tuple(store.sessions()), tuple(store.points()),
                     tuple(store.exhibitors()), categories_from_store(store),
                     tuple(json.loads(store.get_meta("event_dates") or "[]")), badge_types_from_store(store))
