"""Check-in rules: one scan in, exactly one verdict out, recorded before anyone is told.

`check()` is the single entry point for the desk, the self-service kiosk, the CLI and the
central server (which runs the same rules over its own copy of the data). A confirmed scan
and its outbox row are written in one transaction before `check()` returns, so a screen
never says "done" for a scan that a power cut could still lose.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from kiosk import eventdata
from kiosk.errors import Refused
from kiosk.identify import DeviceContext, Identified, enqueue, identify, iso, new_id, normalise, utcnow
from kiosk.leads import capture_lead, capture_unnamed, fresh_context, get_lead
from kiosk.models import Counts, Direction, Lead, Session, Status, Verdict
from kiosk.store import Store


def handoff_code() -> str:
    """Six characters a visitor can read out at the desk; no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


def last_scan_at_point(store: Store, attendee_id: str, point_id: str) -> tuple[str, str, str] | None:
    """(direction, corrected_time, device_id) of the latest valid record, or None."""
    return store.checkins.last_at_point(attendee_id, point_id)


def _allowed_types(store: Store, point_id: str) -> tuple[str, ...] | None:
    point = store.point(point_id)
    if point is None or point.session_id is None:
        return None
    session = store.session(point.session_id)
    return session.allowed_types if session else None


def check(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
          now: datetime | None = None, source: str = "camera", point_id: str | None = None,
          record_id: str | None = None) -> Verdict:
    """Decide one scan and record it (with its outbox row) before returning the verdict.

    `record_id` lets the server record an online check-in under the id the device made, so
    the device's own copy of the record is the same one, never a second."""
    now = now or utcnow()
    code = normalise(code)
    point_id = point_id or ctx.point_id
    event = store.event()
    event_id = event.id if event else ""
    who = identify(store, code, event_id)
    if who.status is None and ctx.role == "exhibitor":
        return capture_lead(store, who, ctx, now, code=code)
    if ctx.role == "exhibitor" and who.detail == "no_such_code" and not store.attendee_count():
        return capture_unnamed(store, code, ctx, now)  # no attendee list here: the server names it
    return _apply_rules(store, who, ctx, point_id, direction, now, source, record_id, code=code)


def _admitted_everywhere(store: Store, badge_type: str) -> bool:
    """The event file may admit a badge type at every door (access "all"), whatever a session lists."""
    return any(b.id == badge_type and b.access == "all" for b in eventdata.badge_types_from_store(store))


def _apply_rules(store: Store, who: Identified, ctx: DeviceContext, point_id: str, direction: Direction,
                 now: datetime, source: str, record_id: str | None = None, code: str = "") -> Verdict:
    """What happens to an identified person at a point: refusal, session rule, re-entry, or a record.

    `code`: what was scanned, kept with a refusal for the desk's recent list (empty for a check-in by hand)."""
    if who.status is not None:
        return _refuse(store, who.status, who, ctx, point_id, direction, now, who.detail, code)
    allowed = _allowed_types(store, point_id)
    if (direction is Direction.ENTRY and allowed is not None and who.badge_type not in allowed
            and not _admitted_everywhere(store, who.badge_type)):
        return _refuse(store, Status.NOT_ALLOWED, who, ctx, point_id, direction, now, f"type:{who.badge_type}", code)
    last = last_scan_at_point(store, who.attendee_id, point_id)
    if direction is Direction.ENTRY and last is not None and last[0] == Direction.ENTRY.value:
        verdict = Verdict(Status.ALREADY_CHECKED_IN, who.person, point_id, direction,
                          previous_time=last[1], previous_device=last[2])
        log_scan(store, verdict, ctx, now, code)
        return verdict
    return record_checkin(store, who, ctx, point_id, direction, now, source,
                          detail="" if direction is Direction.ENTRY or last else "no_entry", record_id=record_id)


def record_checkin(store: Store, who: Identified, ctx: DeviceContext, point_id: str, direction: Direction,
                   now: datetime, source: str, detail: str = "", record_id: str | None = None) -> Verdict:
    """Write an accepted check-in and its outbox row in one transaction."""
    record_id = record_id or new_id()
    person = who.person
    corrected = now + timedelta(seconds=ctx.clock_offset)
    row = {
        "id": record_id, "event_id": store.get_meta("event_id") or "", "attendee_id": person.id,
        "point_id": point_id, "direction": direction.value, "device_id": ctx.device_id,
        "device_time": iso(now), "corrected_time": iso(corrected), "source": source,
        "name": person.name, "name_zh": person.name_zh, "organisation": person.organisation,
        "badge_type": person.badge_type, "undone": 0,
    }
    with store.transaction():
        store.checkins.record(row)
        # the badge's issue goes up with the record: the server flags an offline entry made
        # with a badge revoked before it (a plain code has no issue)
        issue = who.claims.issue if who.claims is not None else None
        enqueue(store, "checkin", {**row, "badge_issue": issue}, now, item_id=record_id)
    return Verdict(Status.OK, person, point_id, direction, record_id=record_id, detail=detail,
                   next_sessions=tuple(next_sessions(store, person.badge_type, corrected)))


def _refuse(store: Store, status: Status, who: Identified, ctx: DeviceContext, point_id: str,
            direction: Direction, now: datetime, detail: str, code: str = "") -> Verdict:
    verdict = Verdict(status, who.person, point_id, direction, detail=detail, handoff=handoff_code())
    log_scan(store, verdict, ctx, now, code)
    return verdict


def log_scan(store: Store, verdict: Verdict, ctx: DeviceContext, now: datetime, code: str = "") -> None:
    """Refusals are kept (and pushed) so a desk can look a hand-off code up later; the scanned code
    stays on this device (the desk shows it for a code that names nobody)."""
    row = {"id": new_id(), "event_id": store.get_meta("event_id") or "", "status": verdict.status.value,
           "attendee_id": verdict.attendee.id if verdict.attendee else None, "point_id": verdict.point_id,
           "direction": verdict.direction.value, "device_id": ctx.device_id, "device_time": iso(now),
           "detail": verdict.detail, "handoff": verdict.handoff or None}
    with store.transaction():
        store.checkins.log_scan({**row, "code": code or None})
        enqueue(store, "scan", row, now, item_id=row["id"])


def undo_last(store: Store, ctx: DeviceContext, now: datetime | None = None,
              expected: str | None = None) -> Verdict | None:
    """Annul this device's most recent accepted entry (a wrong tap at the desk).

    `expected`: the record id staff confirmed; if another check-in became the latest meanwhile,
    nothing is annulled (None), so the desk never undoes someone it did not name."""
    now = now or utcnow()
    latest = store.checkins.latest_of_device(ctx.device_id)
    if latest is None or (expected is not None and latest[0] != expected):
        return None
    checkin_id, person, point_id = latest
    with store.transaction():
        store.checkins.mark_undone(checkin_id)
        enqueue(store, "undo", {"checkin_id": checkin_id, "device_id": ctx.device_id, "at": iso(now)}, now)
    return Verdict(Status.OK, person, point_id, record_id=checkin_id, detail="undone")


def entrance_point_ids(store: Store) -> list[str]:
    return [p.id for p in store.points() if p.session_id is None]


def counts(store: Store, now: datetime | None = None) -> Counts:
    """Checked in of expected (distinct attendees at the entrance), by badge type, last 15 minutes."""
    now = now or utcnow()
    points = entrance_point_ids(store) or [p.id for p in store.points()]
    expected = store.checkins.expected_by_type()
    arrived = store.checkins.arrived_by_type(points)
    recent = store.checkins.arrived_since(points, iso(now - timedelta(minutes=15)))
    types = sorted(set(expected) | set(arrived))
    by_type = {t: (arrived.get(t, 0), expected.get(t, 0)) for t in types}
    return Counts(expected=sum(expected.values()), checked_in=sum(arrived.values()),
                  by_type=by_type, last_15_min=recent)


def inside_count(store: Store, room_id: str) -> int:
    """People whose latest scan at any door of the room was an entry."""
    points = [p.id for p in store.points() if p.room_id == room_id]
    if not points:
        return 0
    return store.checkins.inside(points)


def next_sessions(store: Store, badge_type: str, now: datetime, limit: int = 3) -> list[Session]:
    """Sessions not yet over that this badge type may enter, soonest first."""
    out = []
    for s in store.sessions():
        try:
            ends = datetime.fromisoformat(s.ends_at)
        except ValueError:
            continue
        if ends > now and (not badge_type or badge_type in s.allowed_types) and s.kind != "exhibition":
            out.append(s)
    return out[:limit]


def check_attendee(store: Store, attendee_id: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
                   now: datetime | None = None, source: str = "manual", point_id: str | None = None) -> Verdict:
    """A check-in by hand at the desk (the person has no badge to scan): the same rules as check()."""
    now = now or utcnow()
    point_id = point_id or ctx.point_id
    attendee = store.attendee(attendee_id)
    if attendee is None:
        return _refuse(store, Status.UNKNOWN, Identified(Status.UNKNOWN, detail="no_such_attendee"), ctx,
                       point_id, direction, now, "no_such_attendee")
    event = store.event()
    reason = store.revocation(event.id if event else "", attendee.id, 0)
    who = Identified(Status.REVOKED if reason else None, attendee, detail=reason or "")
    return _apply_rules(store, who, ctx, point_id, direction, now, source)


def lead_scan(store: Store, code: str, base: DeviceContext, source: str = "camera") -> tuple[Verdict, Lead | None]:
    """An exhibitor device's scan: the verdict and the lead it saved or updated. The device's binding
    is read afresh (it may have been enrolled to an exhibitor since the screen started)."""
    ctx = fresh_context(store, base)
    if not ctx.exhibitor_id:
        raise Refused("this device is not bound to an exhibitor")
    verdict = check(store, code, ctx, source=source)
    lead = get_lead(store, verdict.record_id) if verdict.status.accepted and verdict.record_id else None
    return verdict, lead
