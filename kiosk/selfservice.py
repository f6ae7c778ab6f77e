"""What the attendee self-service kiosk asks of the core: its map data, the agenda, self check-in.

Qt-free so the screens stay thin: they run these functions through the task manager (on the
database thread) and only draw what comes back.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime

from kiosk import checkin, paths
from kiosk.eventdata import Category, categories_from_store
from kiosk.hallmap import Hall, HallError, background_image, hall_from_dict, load_hall
from kiosk.models import Direction, Exhibitor, Room, Session, Status, Verdict
from kiosk.routing import Route
from kiosk.store import Store


@dataclass(frozen=True)
class MapData:
    """Everything the map page needs, read once: the hall plan, who exhibits, category colours."""

    hall: Hall | None
    exhibitors: tuple[Exhibitor, ...]
    categories: tuple[Category, ...]
    kiosk_id: str = ""
    error: str = ""  # why there is no hall, in words for the log and the staff
    logos: dict[str, bytes] = field(default_factory=dict)  # exhibitor id -> PNG/JPEG, as the organiser gave
    background: bytes | None = None  # the venue's plan (PNG) placed by hall.background; None: none


def hall_from_store(store: Store) -> Hall:
    """The hall plan that came with the bundle; the demo plan when the device has none."""
    text = store.get_meta("hall")
    if text:
        try:
            return hall_from_dict(json.loads(text))
        except (ValueError, HallError) as exc:
            raise HallError(f"the hall plan in the kiosk database is not usable: {exc}") from None
    return load_hall(paths.demo() / "hall.json")


def load_map_data(store: Store) -> MapData:
    exhibitors = tuple(store.exhibitors())
    categories = categories_from_store(store)
    kiosk_id = store.get_meta("kiosk_position") or store.get_meta("device_id") or ""
    logos = {ex: data for ex, (_, data) in store.logos.all().items()}
    try:
        hall = hall_from_store(store)
    except HallError as exc:
        return MapData(None, exhibitors, categories, kiosk_id, str(exc), logos)
    background = background_image(store.get_meta("hall_background"), hall.background)
    return MapData(hall, exhibitors, categories, kiosk_id, logos=logos, background=background)


# ---------------------------------------------------------------- agenda


@dataclass(frozen=True)
class AgendaItem:
    session: Session
    room: Room | None
    inside: int | None = None  # people in the room now; None when this kiosk has no door scans for it


@dataclass(frozen=True)
class Agenda:
    now: tuple[AgendaItem, ...] = ()
    next: tuple[AgendaItem, ...] = ()
    at: str = ""  # ISO time the agenda was computed for
    has_occupancy: bool = False


def _parse(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def agenda_at(store: Store, now: datetime, next_limit: int = 6) -> Agenda:
    """Sessions running now and the ones starting next (soonest first), with live room occupancy."""
    rooms = {r.id: r for r in store.rooms()}
    scanned = store.checkins.rooms_with_scans()
    inside = {rid: checkin.inside_count(store, rid) for rid in scanned}
    running: list[AgendaItem] = []
    upcoming: list[tuple[datetime, AgendaItem]] = []
    for s in store.sessions():
        start, end = _parse(s.starts_at), _parse(s.ends_at)
        if start is None or end is None or end <= now:
            continue
        item = AgendaItem(s, rooms.get(s.room_id), inside.get(s.room_id))
        if start <= now:
            running.append(item)
        else:
            upcoming.append((start, item))
    running.sort(key=lambda it: (it.session.kind == "exhibition", it.session.starts_at))
    upcoming.sort(key=lambda t: t[0])
    return Agenda(tuple(running), tuple(it for _, it in upcoming[:next_limit]), now.isoformat(),
                  bool(scanned))


# ---------------------------------------------------------------- self check-in


def self_checkin(store: Store, code: str, ctx: checkin.DeviceContext, now: datetime | None = None,
                 source: str = "camera") -> Verdict:
    """An attendee checks themselves in at the kiosk's point: the same rules as the desk.

    A repeat entry still gets the person's next sessions, since at a self-service kiosk it is
    nearly always the owner looking for where to go.
    """
    now = now or checkin.utcnow()
    return with_next_sessions(store, checkin.check(store, code, ctx, Direction.ENTRY, now=now, source=source), now)


def with_next_sessions(store: Store, verdict: Verdict, now: datetime) -> Verdict:
    """A repeat entry at a self-service kiosk still says where to go next (the server's verdict too)."""
    if verdict.status is Status.ALREADY_CHECKED_IN and verdict.attendee and not verdict.next_sessions:
        sessions = checkin.next_sessions(store, verdict.attendee.badge_type, now)
        verdict = replace(verdict, next_sessions=tuple(sessions))
    return verdict


def rooms_by_id(store: Store) -> dict[str, Room]:
    return {r.id: r for r in store.rooms()}


# ---------------------------------------------------------------- phone summary


PHONE_QR_MAX_VERSION = 6  # 41 modules: at 6 px a module the code is under 300 px and a phone reads it at once
PHONE_QR_ERROR = "l"  # a code on a clean screen needs little redundancy; segno raises it when room is left


@dataclass(frozen=True)
class PhoneSummary:
    """The text a visitor's phone reads from the on-screen QR code: a few lines in their language."""

    text: str
    booth: str
    lines: tuple[str, ...] = field(default=())

    def qr_version(self) -> int:
        return qr_version(self.text)


def qr_version(text: str) -> int:
    """The QR version (size) the text needs at PHONE_QR_ERROR."""
    import segno  # pure Python, loaded only when a route is shown

    return segno.make_qr(text, error=PHONE_QR_ERROR, encoding="utf-8" if not text.isascii() else None).version


def phone_link(public_url: str, booth_id: str) -> str:
    """The organiser's page for phones, "{booth}" in it replaced by the booth; "" when none is set."""
    return public_url.replace("{booth}", booth_id) if public_url else ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip(" &,-·") + "…"


def phone_summary(exhibitor: Exhibitor, booth_id: str, route: Route | None, zh: bool = False,
                  step_free: bool = False, directions: str = "", link: str = "") -> PhoneSummary:
    """What the route QR carries, in the visitor's language: who, which booth, how far, the way
    in words and the organiser's page (only when one is configured), small enough for a QR of
    version PHONE_QR_MAX_VERSION: the way in words goes first, then the name is shortened.

    directions: the turn-by-turn sentence already worded in that language (ui.route_words).
    """
    name = exhibitor.name_zh if zh and exhibitor.name_zh else exhibitor.name
    where = f"展位 {booth_id}" if zh else f"Booth {booth_id}"
    if route is not None:
        metres, minutes = round(route.distance_m), route.walk_minutes
        where += f" · {metres} 米 · 步行约 {minutes} 分钟" if zh else f" · {metres} m · about {minutes} min walk"
        if step_free:
            where += " · 无台阶" if zh else " · step-free"
    tries = [[name, where, directions], [name, where], [_cut(name, 12 if zh else 24), where], [where]]
    lines: list[str] = []
    for lines in tries:
        lines = [x for x in lines if x] + ([link] if link else [])
        if qr_version("\n".join(lines)) <= PHONE_QR_MAX_VERSION:
            break
    return PhoneSummary("\n".join(lines), booth_id, tuple(lines))


# ---------------------------------------------------------------- where this kiosk stands


KIOSK_POSITION_KEY = "kiosk_position"


@dataclass(frozen=True)
class KioskPlace:
    """A kiosk position of the hall plan, with the nearest landmark so staff can tell them apart."""

    id: str
    x: float
    y: float
    near: str = ""
    near_zh: str = ""
    chosen: bool = False


def kiosk_places(store: Store) -> list[KioskPlace]:
    """The plan's "kiosks" entries (where "You are here" can be), marking the one this kiosk uses."""
    try:
        hall = hall_from_store(store)
    except HallError:
        return []
    current = store.get_meta(KIOSK_POSITION_KEY) or store.get_meta("device_id") or ""
    if current not in hall.kiosks:
        current = hall.default_kiosk
    marks = [(p.pos, p.name, p.name_zh) for p in (*hall.entrances, *hall.facilities) if p.name]
    out = []
    for kid, (x, y) in hall.kiosks.items():
        near = min(marks, key=lambda m: (m[0][0] - x) ** 2 + (m[0][1] - y) ** 2, default=None)
        out.append(KioskPlace(kid, x, y, near[1] if near else "", near[2] if near else "", kid == current))
    return out


def set_kiosk_position(store: Store, kiosk_id: str) -> None:
    """Where this kiosk stands on the plan: "You are here" and routes start there."""
    store.set_meta(KIOSK_POSITION_KEY, kiosk_id)


def kiosk_position(store: Store) -> str:
    return store.get_meta(KIOSK_POSITION_KEY) or store.get_meta("device_id") or ""
