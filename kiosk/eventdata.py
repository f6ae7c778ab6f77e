"""Event structure as JSON: the demo's assets/demo/event.json, bundles and sync all share it.

Session times in the demo file are local clock times ("09:00"); `load_event` puts them on
a date (the event's own by default, or today for a live demo) in the event's time zone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime
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
class EventData:
    event: Event
    rooms: tuple[Room, ...]
    sessions: tuple[Session, ...]
    points: tuple[CheckinPoint, ...]
    exhibitors: tuple[Exhibitor, ...]
    categories: tuple[Category, ...] = field(default=())

    def to_json(self) -> dict:
        """The wire form used by bundles and the sync protocol (absolute session times)."""
        return {
            "event": self.event.__dict__,
            "rooms": [r.__dict__ for r in self.rooms],
            "sessions": [{**s.__dict__, "allowed_types": list(s.allowed_types), "speakers": list(s.speakers)}
                         for s in self.sessions],
            "points": [p.__dict__ for p in self.points],
            "exhibitors": [{**e.__dict__, "booths": list(e.booths), "products": list(e.products)}
                           for e in self.exhibitors],
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


def from_json(data: dict, on_date: Date | None = None, source: str = "event data") -> EventData:
    """Build EventData from the JSON shape; raise EventDataError with a precise message."""
    try:
        ev = data["event"]
        tz = ZoneInfo(ev.get("timezone") or "Asia/Shanghai")
        day = on_date or Date.fromisoformat(ev["date"])
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
            sessions.append(Session(
                id=s["id"], title=s["title"], title_zh=s.get("title_zh", ""), room_id=s.get("room_id", ""),
                starts_at=_at(day, s.get("starts_at") or s["start"], tz),
                ends_at=_at(day, s.get("ends_at") or s["end"], tz),
                allowed_types=allowed, speakers=tuple(s.get("speakers", [])), kind=s.get("kind", "session")))
        points = tuple(CheckinPoint(p["id"], p["name"], p.get("name_zh", ""), p.get("session_id"),
                                    p.get("room_id")) for p in data.get("points", []))
        exhibitors = tuple(Exhibitor(
            id=e["id"], name=e["name"], name_zh=e.get("name_zh", ""), category=e.get("category", ""),
            booths=tuple(e.get("booths", [])), description=e.get("description", ""),
            description_zh=e.get("description_zh", ""), products=tuple(e.get("products", [])),
            website=e.get("website", "")) for e in data.get("exhibitors", []))
        categories = tuple(Category(c["id"], c["name"], c.get("name_zh", ""), c.get("color", "#607D8B"))
                           for c in data.get("categories", []))
    except EventDataError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EventDataError(f"{source}: malformed event data ({type(exc).__name__}: {exc})") from exc
    if not points:
        points = (CheckinPoint("entrance", "Event entrance", "活动入口"),)
    return EventData(event, rooms, tuple(sessions), points, exhibitors, categories)


def load_event(path: str | Path, on_date: Date | None = None) -> EventData:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EventDataError(f"{path}: cannot read event data ({exc})") from exc
    return from_json(data, on_date, source=str(path))


def save_to_store(store, data: EventData) -> None:
    """Write the structure into a kiosk (or server) store, and remember the categories."""
    store.save_event(data.event, data.rooms, data.sessions, data.points, data.exhibitors)
    store.set_meta("categories", json.dumps([c.__dict__ for c in data.categories], ensure_ascii=False))


def categories_from_store(store) -> tuple[Category, ...]:
    return tuple(Category(**c) for c in json.loads(store.get_meta("categories") or "[]"))


def from_store(store) -> EventData:
    event = store.event()
    if event is None:
        raise EventDataError(f"{store.path}: no event in this database")
    return EventData(event, tuple(store.rooms()), tuple(store.sessions()), tuple(store.points()),
                     tuple(store.exhibitors()), categories_from_store(store))
