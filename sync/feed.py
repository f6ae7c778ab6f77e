"""The pull feed: one page of what changed after a device's cursor, shaped for its role.

Pages follow the server's change sequence, so a page is the same whether it is fetched
once or again after an interruption, and a device with nothing new costs one indexed
query. Audiences keep scopes: an exhibitor device gets event data, keys, revocations and
its own exhibitor's leads and notes, never the attendee list or the check-ins.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from kiosk import eventdata
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


def _rows(db: ServerDB, sql: str, args: list) -> list[dict]:
    cur = db.db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def page(db: ServerDB, device: Device, cursor: int, limit: int) -> dict:
    aud = audiences(device)
    marks = ",".join("?" * len(aud))
    with db.store.transaction():  # one snapshot for the whole page
        changes = db.db.execute(
            f"SELECT seq, kind, key FROM changes WHERE audience IN ({marks}) AND seq > ? ORDER BY seq LIMIT ?",
            [*aud, cursor, limit]).fetchall()
        out: dict = {"cursor": cursor, "more": False, "remaining": 0,
                     "server_time": datetime.now(timezone.utc).isoformat(timespec="milliseconds")}
        if not changes:
            return out
        last = changes[-1][0]
        kinds: dict[str, list[str]] = {}
        for _, kind, key in changes:
            kinds.setdefault(kind, []).append(key)
        span = f"c.audience IN ({marks}) AND c.seq > ? AND c.seq <= ?"
        args = [*aud, cursor, last]
        if "event" in kinds:
            out["event"] = eventdata.from_store(db.store).to_json()
            out["hall"] = db.store.get_meta("hall")
        if "attendee" in kinds:
            cols = ", ".join(f"a.{c}" for c in ATTENDEE_FIELDS)
            out["attendee_fields"] = list(ATTENDEE_FIELDS)
            out["attendees"] = [list(r) for r in db.db.execute(
                f"SELECT {cols} FROM changes c JOIN attendees a ON a.id = c.key "
                f"WHERE c.kind = 'attendee' AND {span}", args)]
        if "checkin" in kinds:
            cols = ", ".join(f"k.{c}" for c in CHECKIN_FIELDS)
            out["checkin_fields"] = list(CHECKIN_FIELDS)
            out["checkins"] = [list(r) for r in db.db.execute(
                f"SELECT {cols} FROM changes c JOIN checkins k ON k.id = c.key "
                f"WHERE c.kind = 'checkin' AND {span}", args)]
        if "revocation" in kinds:
            wanted = set(kinds["revocation"])
            out["revocations"] = [r for r in _rows(
                db, "SELECT event_id, attendee_id, issue, reason, created_at FROM revocations", [])
                if f"{r['attendee_id']}|{r['issue']}" in wanted]
        if "key" in kinds:
            out["keys"] = _rows(db, f"SELECT key_id, public_key, valid FROM public_keys WHERE key_id IN "
                                    f"({','.join('?' * len(kinds['key']))})", [int(k) for k in kinds["key"]])
        if "device" in kinds:
            out["devices"] = _rows(db, f"SELECT id, name, role, exhibitor_id, revoked FROM devices WHERE id IN "
                                       f"({','.join('?' * len(kinds['device']))})", kinds["device"])
        if "conflict" in kinds:
            out["conflicts"] = _rows(
                db, f"SELECT k.id, k.kind, k.record_id, k.attendee_id, k.name, k.reason, k.detail, k.created_at, "
                    f"k.point_id, k.device_id, k.at, k.other_record_id, k.other_device_id, k.other_at "
                    f"FROM changes c JOIN conflicts k ON k.id = c.key WHERE c.kind = 'conflict' AND {span}", args)
        if "lead" in kinds:
            cols = ", ".join(LEAD_FIELDS)
            leads = []
            for key in kinds["lead"]:
                ex, _, att = key.partition("|")
                leads += _rows(db, f"SELECT {cols} FROM leads WHERE exhibitor_id = ? AND attendee_id = ?", [ex, att])
            for lead in leads:
                lead["tags"] = json.loads(lead["tags"] or "[]")
            out["leads"] = leads
        if "note" in kinds:
            out["notes"] = _rows(
                db, f"SELECT n.id, n.exhibitor_id, n.attendee_id, n.device_id, n.text, n.updated_at "
                    f"FROM changes c JOIN lead_notes n ON n.id = c.key WHERE c.kind = 'note' AND {span}", args)
        out["cursor"] = last
        out["remaining"] = db.changes_count(aud, last)
        out["more"] = out["remaining"] > 0
    return out
