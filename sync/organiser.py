"""The organiser's own event on the server: create it from an event file, update it, export it.

An update replaces the structure with the file's (what it no longer lists goes, on the server and,
by sync, on every kiosk) but never loses a record: a point or session with check-ins, or an
exhibitor with leads, stays, and the update is refused naming it. The event id never changes:
it is inside every badge already printed.
"""
from __future__ import annotations

from datetime import date as Date
from pathlib import Path

from kiosk import eventdata, eventfile
from kiosk import pin as kpin
from kiosk.errors import BadInput, NotFound, Refused
from kiosk.models import ROLES
from sync.serverdb import ServerDB


def _summary(data: eventdata.EventData, path: Path, kept_exhibitors: bool) -> dict:
    return {"event": data.event.id, "file": str(path), "days": len(data.days), "rooms": len(data.rooms),
            "sessions": len(data.sessions), "points": len(data.points), "categories": len(data.categories),
            "exhibitors": "kept" if kept_exhibitors else len(data.exhibitors)}


def load_event(db: ServerDB, data: eventdata.EventData, keep_exhibitors: bool = False) -> None:
    """Store a checked event structure and make sure badges can be signed for it."""
    eventdata.save_to_store(db.store, data, keep_exhibitors=keep_exhibitors)
    db.signing_key()


def create_event(db_path: str | Path, path: str | Path, on_date: Date | None = None) -> dict:
    """A new database's event, from an organiser's event file (checked before any database is made)."""
    path = Path(path)
    data, _ = eventfile.read_event_file(path, on_date)
    db = ServerDB(db_path)
    try:
        current = db.store.event()
        if current is not None:
            raise Refused(f"{db_path}: already holds event {current.id} (change it with update-event)")
        load_event(db, data)
    finally:
        db.close()
    return _summary(data, path, False)


def _losses(db: ServerDB, old: eventdata.EventData, new: eventdata.EventData, keep_exhibitors: bool) -> list[str]:
    """What the update would remove although records point at it, in words."""
    problems = []
    new_points = {p.id for p in new.points}
    gone_points = [p for p in old.points if p.id not in new_points]
    used = db.event_setup.checkins_at([p.id for p in gone_points])
    problems += [f"point {p.id!r} has {used[p.id]} check-ins" for p in gone_points if p.id in used]
    new_sessions = {s.id for s in new.sessions}
    for s in old.sessions:
        if s.id in new_sessions:
            continue
        doors = [p.id for p in old.points if p.session_id == s.id]
        count = sum(db.event_setup.checkins_at(doors).values())
        if count:
            problems.append(f"session {s.id!r} has {count} check-ins at its door{'s' if len(doors) > 1 else ''}")
    if not keep_exhibitors:
        new_ex = {e.id for e in new.exhibitors}
        gone = [e.id for e in old.exhibitors if e.id not in new_ex]
        leads = db.event_setup.leads_of(gone)
        problems += [f"exhibitor {ex!r} has {n} leads" for ex, n in leads.items()]
        problems += [f"exhibitor {d.exhibitor_id!r} has an enrolled device ({d.name})"
                     for d in db.devices.all() if d.exhibitor_id in gone and not d.revoked]
    return problems


def update_event(db: ServerDB, path: str | Path) -> dict:
    """Replace the event's structure with the file's; kiosks get it by their next sync."""
    path = Path(path)
    old = _require(db)
    data, lists_exhibitors = eventfile.read_event_file(path)
    if data.event.id != old.event.id:
        raise Refused(f"{path}: event id {data.event.id!r} differs from the database's {old.event.id!r}; "
                      f"the id is inside every badge and cannot change")
    problems = _losses(db, old, data, keep_exhibitors=not lists_exhibitors)
    if problems:
        raise Refused(f"{path}: not updated, it would remove what records refer to: " + "; ".join(problems)
                      + " (keep them in the file)")
    load_event(db, data, keep_exhibitors=not lists_exhibitors)
    return _summary(data, path, not lists_exhibitors)


def export_event(db: ServerDB, out: str | Path) -> dict:
    """The event as an organiser's file, the same shape create-event and update-event read."""
    data = _require(db)
    written = eventfile.write_event_file(data, out)
    return _summary(data, written, False)


def _require(db: ServerDB) -> eventdata.EventData:
    if db.store.event() is None:
        raise Refused(f"{db.path}: no event yet (create it first: kiosk-server create-event FILE)")
    return eventdata.from_store(db.store)


def set_server_pin(db: ServerDB, pin: str, role: str | None = None, exhibitor: str | None = None) -> dict:
    """The staff PIN of every device of a role, or one exhibitor's PIN; devices get it by sync or bundle."""
    if (role is None) == (exhibitor is None):
        raise BadInput("give --role or --exhibitor")
    if not (pin.isdigit() and kpin.SERVER_PIN_DIGITS <= len(pin) <= 12):
        raise BadInput(f"a PIN set on the server is {kpin.SERVER_PIN_DIGITS} to 12 digits "
                       f"(its hash reaches public kiosks, so a short one could be guessed)")
    _require(db)
    if role is not None and role not in ROLES:
        raise BadInput(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    if exhibitor is not None and db.store.exhibitor(exhibitor) is None:
        raise NotFound(f"no exhibitor {exhibitor!r} (see kiosk-server exhibitors)")
    scope = f"role:{role}" if role else f"ex:{exhibitor}"
    db.event_setup.set_pin(scope, kpin.hash_record(pin))
    return {"pin": scope, "set": True}
