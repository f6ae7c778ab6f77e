"""Exhibitor lead capture: a scan on an exhibitor device becomes (or refreshes) a lead."""
from __future__ import annotations

from datetime import datetime

from kiosk.checkin import DeviceContext, Identified, enqueue, iso, new_id
from kiosk.models import Status, Verdict
from kiosk.store import Store


def capture_lead(store: Store, who: Identified, ctx: DeviceContext, now: datetime) -> Verdict:
    """lead_saved for a new visitor, lead_updated for one this exhibitor already has."""
    person = who.person
    exhibitor_id = ctx.exhibitor_id or ""
    row = store.db.execute("SELECT id, scans FROM leads WHERE exhibitor_id = ? AND attendee_id = ?",
                           [exhibitor_id, person.id]).fetchone()
    stamp = iso(now)
    with store.transaction():
        if row is None:
            lead_id = new_id()
            contact = who.attendee if who.attendee is not None and who.attendee.consent else None
            data = {"id": lead_id, "exhibitor_id": exhibitor_id, "attendee_id": person.id, "name": person.name,
                    "name_zh": person.name_zh, "organisation": person.organisation,
                    "badge_type": person.badge_type, "title": contact.title if contact else "",
                    "email": contact.email if contact else "", "phone": contact.phone if contact else "",
                    "device_id": ctx.device_id, "created_at": stamp, "updated_at": stamp, "tags": "[]"}
            store.db["leads"].insert(data)
            enqueue(store, "lead", {**data, "tags": []}, now, item_id=new_id())
            status = Status.LEAD_SAVED
        else:
            lead_id = row[0]
            store.db.execute("UPDATE leads SET scans = scans + 1, deleted = 0, updated_at = ? WHERE id = ?",
                             [stamp, lead_id])
            enqueue(store, "lead_scan", {"id": lead_id, "exhibitor_id": exhibitor_id, "attendee_id": person.id,
                                         "device_id": ctx.device_id, "at": stamp}, now)
            status = Status.LEAD_UPDATED
    return Verdict(status, person, ctx.point_id, record_id=lead_id,
                   detail=f"type:{person.badge_type}" if person.badge_type in ("staff", "exhibitor") else "")


