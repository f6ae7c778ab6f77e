"""The pull feed: one page of what changed after a device's cursor, shaped for its role.

Pages follow the server's change sequence, so a page is the same whether it is fetched
once or again after an interruption, and a device with nothing new costs one indexed
query. Audiences keep scopes: an exhibitor device gets event data, keys, revocations and
its own exhibitor's leads and notes, never the attendee list or the check-ins; an attendee
kiosk gets the attendee list without the columns kiosk.roles withholds (e-mail, phone, ...).
"""
from __future__ import annotations

from datetime import datetime, timezone

from kiosk import eventdata, roles, travel
from sync.devices import Device
from sync.protocol import ATTENDEE_FIELDS, CHECKIN_FIELDS
from sync.serverdb import ServerDB

LEAD_FIELDS = ("id", "exhibitor_id", "attendee_id", "name", "name_zh", "organisation", "badge_type", "title",
               "email", "phone", "notes", "rating", "tags", "device_id", "created_at", "updated_at", "scans",
               "deleted")


def audiences(device: Device) -> list[str]:
    if device.role == "exhibitor":
        return ["all", f"ex:{device.exhibitor_id}"]
    return ["all", "staff"]


def page(db: ServerDB, device: Device, cursor: int, limit: int) -> dict:
    aud = audiences(device)
    log = db.changes
    with db.read():  # one snapshot for the whole page (commit-ordered: sync.serverdb.changes)
        changes = log.after(aud, cursor, limit)
        out: dict = {"cursor": cursor, "more": False, "remaining": 0,
                     "server_time": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
        if not changes:
            return out
        last = changes[-1][0]
        kinds: dict[str, list[str]] = {}
        for _, kind, key in changes:
            kinds.setdefault(kind, []).append(key)
        if "event" in kinds:
            out["event"] = eventdata.from_store(db.store).to_json()
            out["hall"] = db.store.get_meta("hall")
        if "hallplan" in kinds:
            out["hall_background"] = db.store.get_meta("hall_background")
        fields = roles.attendee_fields(device.role, ATTENDEE_FIELDS)  # withheld columns never leave the server
        if "attendee" in kinds and fields:
            out["attendee_fields"] = list(fields)
            out["attendees"] = log.attendees(aud, cursor, last, fields)
        if "checkin" in kinds:
            out["checkin_fields"] = list(CHECKIN_FIELDS)
            out["checkins"] = log.checkins(aud, cursor, last, CHECKIN_FIELDS)
        if "revocation" in kinds:
            wanted = set(kinds["revocation"])
            out["revocations"] = [r for r in log.revocations() if f"{r['attendee_id']}|{r['issue']}" in wanted]
        if "key" in kinds:
            out["keys"] = log.public_keys([int(k) for k in kinds["key"]])
        if "device" in kinds:
            out["devices"] = log.devices(kinds["device"])
        if "conflict" in kinds:
            out["conflicts"] = log.conflicts(aud, cursor, last)
        if "lead" in kinds:
            leads = []
            for key in kinds["lead"]:
                ex, _, att = key.partition("|")
                leads += log.lead(ex, att, LEAD_FIELDS)
            out["leads"] = leads
        if "note" in kinds:
            out["notes"] = log.notes(aud, cursor, last)
        if "pin" in kinds:
            out["pins"] = db.event_setup.pins(kinds["pin"])
        if "logo" in kinds:
            out["logos"] = travel.logos_out(db.store, kinds["logo"])
        out["cursor"] = last
        out["remaining"] = log.count(aud, last)
        out["more"] = out["remaining"] > 0
    return out
