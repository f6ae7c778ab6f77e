"""The server's side of an online check-in: the desk's rules, run over everyone's records.

The device sends the code, the record id it made, and its own clock; the server decides
with the same `kiosk.checkin.check()` a kiosk uses, so a badge used at another desk a
moment ago is caught. The record is written under the device's id (retrying the request
after a lost answer returns the same record, never a second one).
"""
from __future__ import annotations

from datetime import datetime, timezone

from kiosk.checkin import check
from kiosk.errors import BadInput, NotFound, Refused
from kiosk.identify import DeviceContext, default_point, iso
from kiosk.models import Direction, Status
from sync.devices import Device
from sync.protocol import CHECKIN_FIELDS, OnlineCheckRequest
from sync.serverdb import ServerDB


def _parse_time(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput("device_time is not an ISO date-time") from None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _record(db: ServerDB, record_id: str) -> dict | None:
    return db.checkins.record(record_id, CHECKIN_FIELDS)


def _device_name(db: ServerDB, device_id: str | None) -> str | None:
    if not device_id:
        return None
    name = db.devices.name(device_id)
    return device_id if name is None else name


def decide(db: ServerDB, dev: Device, body: OnlineCheckRequest) -> dict:
    """One verdict, recorded on the server before it is answered."""
    now = datetime.now(timezone.utc)
    device_time = _parse_time(body.device_time)
    store = db.store
    point_id = body.point_id or default_point(store)
    if store.point(point_id) is None:
        raise NotFound(f"no check-in point {point_id!r}")
    with db.write():
        existing = _record(db, body.record_id)
        if existing is not None:
            if existing["device_id"] != dev.id:
                raise Refused("record id already used by another device")
            return {"status": Status.OK.value, "record": existing, "server_time": iso(now), "repeat": True,
                    "verdict": _verdict_json(existing)}
        ctx = DeviceContext(device_id=dev.id, role="desk", point_id=point_id,
                            clock_offset=(now - device_time).total_seconds())
        verdict = check(store, body.code, ctx, Direction(body.direction), now=device_time, source=body.source,
                        point_id=point_id, record_id=body.record_id)
        db.discard_device_queue()
        record = None
        if verdict.status is Status.OK:
            record = _record(db, body.record_id)
            db.pushes.record(f"checkin:{body.record_id}", dev.id, "checkin", "accepted", iso(now))
    out = verdict.to_json()
    out["previous_device_name"] = _device_name(db, verdict.previous_device)
    return {"status": verdict.status.value, "verdict": out, "record": record, "server_time": iso(now)}


def _verdict_json(record: dict) -> dict:
    return {"status": "ok", "attendee": {"id": record["attendee_id"], "name": record["name"],
                                         "name_zh": record["name_zh"], "organisation": record["organisation"],
                                         "badge_type": record["badge_type"]},
            "point": record["point_id"], "direction": record["direction"], "record": record["id"],
            "decided_by": "server"}
