"""Applying one pulled page: everything in it and the new cursor land in one transaction.

So a kiosk killed half-way through a first pull resumes at the page it was on (docs/sync.md).
Field lists come from the page; they are checked against the protocol before anything is written.
"""
from __future__ import annotations

from kiosk import bundleschema, eventdata, travel
from kiosk.errors import BadInput
from kiosk.store import Store
from sync.protocol import ATTENDEE_FIELDS, CHECKIN_FIELDS
from sync.transport import SyncError

DEVICE_FIELDS = ("id", "name", "role", "exhibitor_id")


def _fields(body: dict, name: str, known: tuple[str, ...], what: str) -> list[str]:
    fields = body[name]
    if not set(fields) <= set(known):
        raise SyncError(f"the server sent {what} fields this kiosk does not know")
    return fields


def apply_page(store: Store, body: dict) -> dict[str, int]:
    """Write one pulled page and its cursor in one transaction; return counts by kind."""
    counts: dict[str, int] = {}
    with store.transaction():
        if body.get("event"):
            _apply_event(store, body)
            counts["event"] = 1
        if body.get("hall_background"):
            store.set_meta("hall_background", body["hall_background"])
            counts["hall_background"] = 1
        if body.get("attendees"):
            store.sync.upsert_rows("attendees", _fields(body, "attendee_fields", ATTENDEE_FIELDS, "attendee"),
                                   body["attendees"])
            counts["attendees"] = len(body["attendees"])
        if body.get("checkins"):
            store.sync.add_checkins(_fields(body, "checkin_fields", CHECKIN_FIELDS, "check-in"), body["checkins"])
            counts["checkins"] = len(body["checkins"])
        if body.get("revocations"):
            store.save_revocations(_checked(bundleschema.revocations, body["revocations"],
                                            store.get_meta("event_id") or ""))
            counts["revocations"] = len(body["revocations"])
        if body.get("keys"):
            keys = [{**k, "valid": bool(k["valid"])} if isinstance(k, dict) and k.get("valid") in (0, 1) else k
                    for k in body["keys"]]  # the server's rows say 0/1
            store.save_public_keys(_checked(bundleschema.public_keys, keys))
            counts["keys"] = len(body["keys"])
        if body.get("devices"):
            rows = [[d.get(f) for f in DEVICE_FIELDS] for d in body["devices"]]
            store.sync.upsert_rows("devices", DEVICE_FIELDS, rows)
            counts["devices"] = len(body["devices"])
        if body.get("conflicts"):
            store.sync.upsert_conflicts(body["conflicts"])
            counts["conflicts"] = len(body["conflicts"])
        if body.get("leads"):
            store.sync.upsert_leads(body["leads"])
            counts["leads"] = len(body["leads"])
        if body.get("notes"):
            store.sync.upsert_notes(body["notes"])
            counts["notes"] = len(body["notes"])
        if body.get("leads") or body.get("notes"):
            pairs = {(x["exhibitor_id"], x["attendee_id"]) for x in [*body.get("leads", []), *body.get("notes", [])]}
            store.sync.reapply_pending_leads(pairs)
        if body.get("pins") or body.get("logos"):
            counts.update(_apply_travel(store, body))
        store.set_meta("pull_cursor", str(int(body["cursor"])))
    return counts


def _checked(validate, rows, *args):
    """Keys and revocations pass the bundle's schema too (a signed page from a faulty server must
    not store a 5-byte key or a text issue)."""
    try:
        return validate(rows, *args, "the server's page") if args else validate(rows, "the server's page")
    except BadInput as exc:
        raise SyncError(str(exc)) from None


def _apply_event(store: Store, body: dict) -> None:
    data = eventdata.from_json(body["event"], source="server")
    current = store.get_meta("event_id")
    if current and current != data.event.id:
        raise SyncError(f"the server holds event {data.event.id}, this kiosk holds {current}")
    eventdata.save_to_store(store, data)
    store.set_meta("event_id", data.event.id)
    if body.get("hall"):
        store.set_meta("hall", body["hall"])


def _apply_travel(store: Store, body: dict) -> dict[str, int]:
    """PIN records and logos the organiser set on the server."""
    try:
        counts = {"pins": len(travel.pins_in(store, body.get("pins") or {}))}
        counts["logos"] = travel.logos_in(store, body.get("logos") or [])
    except (BadInput, KeyError, TypeError) as exc:
        raise SyncError(f"the server sent PINs or logos this kiosk cannot use ({exc})") from None
    return counts
