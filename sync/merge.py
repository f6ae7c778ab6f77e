"""Server-side lead merge: several devices of one exhibitor edit the same lead offline.

A lead is one row per (exhibitor, attendee) whatever device created it. Edits merge so
that nobody's work is lost:
- notes: every device writes its own entries (note ids made by the device); all are kept;
- rating: the last writer by corrected time wins (ties broken by device id, so every
  server replaying the same edits ends in the same state);
- tags: an add-wins set (a tag is shown unless its latest removal is later than its latest add);
- deleted: last writer wins, like the rating; a new scan of the visitor brings a lead back.
Contact details beyond name and organisation come from the server's attendee record, and
only when that attendee consented.
"""
from __future__ import annotations

from datetime import datetime, timezone

from kiosk.errors import Refused
from kiosk.identify import new_id
from sync.protocol import LeadEditPayload, LeadPayload, LeadScanPayload
from sync.serverdb import ServerDB


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _contact(db: ServerDB, attendee_id: str) -> dict:
    a = db.store.attendee(attendee_id)
    if a is None:
        return {}
    base = {"name": a.name, "name_zh": a.name_zh, "organisation": a.organisation, "badge_type": a.badge_type}
    if a.consent:
        base.update(title=a.title, email=a.email, phone=a.phone)
    else:
        base.update(title="", email="", phone="")
    return base


def _ensure_lead(db: ServerDB, lead_id: str, exhibitor_id: str, attendee_id: str, device_id: str, at: str,
                 person: dict | None = None) -> tuple[str, bool]:
    """The server's lead for this visitor, created if needed; (id, created)."""
    found = db.leads.find(exhibitor_id, attendee_id)
    if found is not None:
        return found, False
    data = {"id": lead_id, "exhibitor_id": exhibitor_id, "attendee_id": attendee_id, "name": "", "name_zh": "",
            "organisation": "", "badge_type": "attendee", "title": "", "email": "", "phone": "",
            "device_id": device_id, "created_at": at, "updated_at": at, "tags": "[]", "scans": 0, "notes": ""}
    data.update({k: v for k, v in (person or {}).items() if v is not None and k in data})
    data.update(_contact(db, attendee_id))  # the server's record wins; contact only with consent
    data["name"] = data["name"] or attendee_id
    if db.leads.id_taken(lead_id):
        data["id"] = new_id()  # a client id reused for another visitor: never overwrite
    db.leads.add(data)
    return data["id"], True


def _tags_changed(db: ServerDB, exhibitor_id: str, attendee_id: str, add: list[str], remove: list[str],
                  at: str) -> None:
    for tag in {t.strip() for t in add if t.strip()}:
        db.leads.tag_added(exhibitor_id, attendee_id, tag[:80], at)
    for tag in {t.strip() for t in remove if t.strip()}:
        db.leads.tag_removed(exhibitor_id, attendee_id, tag[:80], at)


def _refresh(db: ServerDB, exhibitor_id: str, attendee_id: str, at: str) -> None:
    """Recompute the lead's derived columns (tags, notes text) from the merged parts."""
    tags = db.leads.shown_tags(exhibitor_id, attendee_id)
    notes = db.leads.note_texts(exhibitor_id, attendee_id)
    db.leads.set_derived(exhibitor_id, attendee_id, tags, "\n".join(notes), at)


def _lww(db: ServerDB, exhibitor_id: str, attendee_id: str, field: str, at: str, device_id: str) -> bool:
    """True if an edit of `field` ('rating' or 'deleted') at `at` is the newest so far, and record it."""
    row = db.leads.last_edit(exhibitor_id, attendee_id, field)
    if row and row[0] is not None and (row[0], row[1] or "") > (at, device_id):
        return False
    db.leads.save_edit(exhibitor_id, attendee_id, field, at, device_id)
    return True


def apply_lead(db: ServerDB, device_id: str, p: LeadPayload) -> dict:
    lead_id, created = _ensure_lead(db, p.id, p.exhibitor_id, p.attendee_id, device_id, p.created_at,
                                    person=p.model_dump(include={"name", "name_zh", "organisation", "badge_type"}))
    db.leads.count_scan(lead_id, at=p.created_at)
    if _lww(db, p.exhibitor_id, p.attendee_id, "deleted", p.created_at, device_id):
        db.leads.set_deleted(lead_id, False)
    _tags_changed(db, p.exhibitor_id, p.attendee_id, p.tags, [], p.created_at)
    _refresh(db, p.exhibitor_id, p.attendee_id, p.updated_at or p.created_at)
    return {"lead_id": lead_id, "merged": not created}


def apply_lead_scan(db: ServerDB, device_id: str, p: LeadScanPayload) -> dict:
    lead_id, created = _ensure_lead(db, p.id or f"{p.exhibitor_id}-{p.attendee_id}", p.exhibitor_id,
                                    p.attendee_id, device_id, p.at)
    db.leads.count_scan(lead_id)
    if _lww(db, p.exhibitor_id, p.attendee_id, "deleted", p.at, device_id):
        db.leads.set_deleted(lead_id, False)
    _refresh(db, p.exhibitor_id, p.attendee_id, p.at)
    return {"lead_id": lead_id, "merged": not created}


class NoteOwnedElsewhere(Refused):
    """A note id that belongs to another lead or exhibitor: refused, nothing changed."""


def apply_lead_edit(db: ServerDB, device_id: str, p: LeadEditPayload) -> dict:
    if p.note is not None:
        row = db.leads.note(p.note.note_id)
        if row is not None and (row[0], row[1]) != (p.exhibitor_id, p.attendee_id):
            raise NoteOwnedElsewhere(f"note {p.note.note_id} belongs to another lead")
    lead_id, created = _ensure_lead(db, f"{p.exhibitor_id}-{p.attendee_id}", p.exhibitor_id, p.attendee_id,
                                    device_id, p.at)
    if created:
        db.leads.set_scans(lead_id, 1)
    if p.note is not None and (row is None or (row[2] or "") <= p.at):
        db.leads.save_note(p.note.note_id, p.exhibitor_id, p.attendee_id, device_id, p.note.text, p.at)
    if p.rating is not None and _lww(db, p.exhibitor_id, p.attendee_id, "rating", p.at, device_id):
        db.leads.set_rating(lead_id, p.rating)
    if p.deleted is not None and _lww(db, p.exhibitor_id, p.attendee_id, "deleted", p.at, device_id):
        db.leads.set_deleted(lead_id, p.deleted)
    _tags_changed(db, p.exhibitor_id, p.attendee_id, p.tags_add, p.tags_remove, p.at)
    _refresh(db, p.exhibitor_id, p.attendee_id, p.at)
    return {"lead_id": lead_id}
