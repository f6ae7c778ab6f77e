"""Exhibitor leads: capture by scan, then notes, rating and tags, merged across devices.

A lead is one visitor for one exhibitor: (exhibitor_id, attendee_id). Every change is
written with its outbox row in one transaction as a small edit ("lead_edit"), not as a
whole record, so edits made on several devices of the same exhibitor merge on the server
without one device overwriting another: each device owns its own note text, ratings go
to the latest writer, tags are added and removed as sets.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, replace
from datetime import datetime

from kiosk.errors import BadInput, NotFound
from kiosk.identify import DeviceContext, Identified, enqueue, iso, new_id, utcnow
from kiosk.models import BadgeClaims, Lead, Status, Verdict
from kiosk.store import Store

DEFAULT_TAGS = ("wants demo", "decision maker", "follow up", "send quote", "partner", "hot")
NOT_A_VISITOR = ("staff", "exhibitor")  # scanning these is usually a mistake; see capture_lead
PLACEHOLDER = "code:"  # attendee id of a lead whose plain code this device could not look up


def placeholder_id(code: str) -> str:
    """The stand-in attendee id for a plain code this device cannot name ("lead saved, name after sync").

    A hash, not the code, and the same for every scan of that code, so a second scan finds the lead.
    The server resolves it from the pushed code and answers the real id."""
    return PLACEHOLDER + hashlib.sha256(code.encode("utf-8")).hexdigest()[:20]


def is_placeholder(attendee_id: str | None) -> bool:
    return bool(attendee_id) and attendee_id.startswith(PLACEHOLDER)


def capture_unnamed(store: Store, code: str, ctx: DeviceContext, now: datetime) -> Verdict:
    """A plain code an exhibitor device cannot look up (it holds no attendee list): saved under a
    stand-in id with no name; the server checks the code and fills the name in at the next sync."""
    who = Identified(None, claims=BadgeClaims("", placeholder_id(code), "attendee", 0, ""))
    verdict = capture_lead(store, who, ctx, now, code=code)
    return replace(verdict, detail="name_after_sync") if verdict.status.accepted else verdict


def capture_lead(store: Store, who: Identified, ctx: DeviceContext, now: datetime, code: str = "") -> Verdict:
    """lead_saved for a new visitor, lead_updated for one this exhibitor already has.

    `code` is what was scanned: it travels with the lead, as the server's proof that the visitor
    was met (the server refuses a lead without a badge of that attendee).

    Staff and exhibitor badges are not leads unless the exhibitor switched
    `leads_from_staff` on: the verdict then says what the badge is and saves nothing.
    """
    person = who.person
    exhibitor_id = ctx.exhibitor_id or ""
    if not exhibitor_id:  # a lead nobody owns would be refused by the server: say so, save nothing
        return Verdict(Status.NOT_ALLOWED, person, ctx.point_id, detail="no_exhibitor")
    if person.badge_type in NOT_A_VISITOR and store.get_meta("leads_from_staff") != "1":
        return Verdict(Status.NOT_ALLOWED, person, ctx.point_id, detail=f"type:{person.badge_type}")
    existing = store.leads.id_for(exhibitor_id, person.id)
    stamp = iso(now)
    with store.transaction():
        if existing is None:
            lead_id = new_id()
            contact = who.attendee if who.attendee is not None and who.attendee.consent else None
            data = {"id": lead_id, "exhibitor_id": exhibitor_id, "attendee_id": person.id, "name": person.name,
                    "name_zh": person.name_zh, "organisation": person.organisation,
                    "badge_type": person.badge_type, "title": contact.title if contact else "",
                    "email": contact.email if contact else "", "phone": contact.phone if contact else "",
                    "device_id": ctx.device_id, "created_at": stamp, "updated_at": stamp, "tags": "[]"}
            store.leads.add(data)
            enqueue(store, "lead", {**data, "tags": [], "code": code}, now, item_id=new_id())
            status = Status.LEAD_SAVED
        else:
            lead_id = existing
            store.leads.rescanned(lead_id, stamp)
            enqueue(store, "lead_scan", {"id": lead_id, "exhibitor_id": exhibitor_id, "attendee_id": person.id,
                                         "device_id": ctx.device_id, "at": stamp, "code": code}, now)
            status = Status.LEAD_UPDATED
    return Verdict(status, person, ctx.point_id, record_id=lead_id)


def get_lead(store: Store, lead_id: str) -> Lead | None:
    return store.leads.get(lead_id)


def count_leads(store: Store, exhibitor_id: str) -> int:
    return store.leads.count(exhibitor_id)


def list_leads(store: Store, exhibitor_id: str, query: str = "", tag: str | None = None,
               sort: str = "time") -> list[Lead]:
    """This exhibitor's leads only; newest first, or best rated first."""
    leads = store.leads.of_exhibitor(exhibitor_id, by_rating=sort == "rating")
    if tag:
        leads = [lead for lead in leads if tag in lead.tags]
    q = query.strip().lower()
    if q:
        leads = [lead for lead in leads if q in " ".join(
            [lead.name, lead.name_zh, lead.organisation, lead.notes, " ".join(lead.tags)]).lower()]
    return leads


def _edit(store: Store, ctx: DeviceContext, lead: Lead, change: dict, now: datetime) -> None:
    payload = {"exhibitor_id": lead.exhibitor_id, "attendee_id": lead.attendee_id, "device_id": ctx.device_id,
               "at": iso(now), **change}
    enqueue(store, "lead_edit", payload, now)


def _require(store: Store, ctx: DeviceContext, lead_id: str) -> Lead:
    lead = get_lead(store, lead_id)
    if lead is None or lead.exhibitor_id != (ctx.exhibitor_id or ""):
        raise NotFound(f"no lead {lead_id} for this exhibitor")
    return lead


def set_note(store: Store, ctx: DeviceContext, lead_id: str, text: str, now: datetime | None = None) -> Lead:
    """Replace this device's note on the lead; other devices' notes stay as they are."""
    now = now or utcnow()
    lead = _require(store, ctx, lead_id)
    own = store.leads.device_note(lead.exhibitor_id, lead.attendee_id, ctx.device_id)
    note_id = own[0] if own else uuid.uuid4().hex
    text = text[:4000]
    with store.transaction():
        store.leads.save_note({"id": note_id, "exhibitor_id": lead.exhibitor_id, "attendee_id": lead.attendee_id,
                               "device_id": ctx.device_id, "text": text, "updated_at": iso(now)})
        store.leads.touch(lead_id, iso(now))
        _edit(store, ctx, lead, {"note": {"note_id": note_id, "text": text}}, now)
    return get_lead(store, lead_id)


def own_note(store: Store, ctx: DeviceContext, lead_id: str) -> str:
    lead = _require(store, ctx, lead_id)
    own = store.leads.device_note(lead.exhibitor_id, lead.attendee_id, ctx.device_id)
    return own[1] if own else ""


def set_rating(store: Store, ctx: DeviceContext, lead_id: str, rating: int, now: datetime | None = None) -> Lead:
    if not 0 <= int(rating) <= 5:
        raise BadInput("a rating is 0 (none) to 5")
    now = now or utcnow()
    lead = _require(store, ctx, lead_id)
    with store.transaction():
        store.leads.set_rating(lead_id, int(rating), iso(now))
        _edit(store, ctx, lead, {"rating": int(rating)}, now)
    return get_lead(store, lead_id)


def set_tags(store: Store, ctx: DeviceContext, lead_id: str, tags: list[str] | tuple[str, ...],
             now: datetime | None = None) -> Lead:
    """Send only what changed, so another device's tags on the same lead are kept."""
    now = now or utcnow()
    lead = _require(store, ctx, lead_id)
    new = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    added = [t for t in new if t not in lead.tags]
    removed = [t for t in lead.tags if t not in new]
    if not added and not removed:
        return lead
    with store.transaction():
        store.leads.set_tags(lead_id, new, iso(now))
        _edit(store, ctx, lead, {"tags_add": added, "tags_remove": removed}, now)
    return get_lead(store, lead_id)


def delete_lead(store: Store, ctx: DeviceContext, lead_id: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    lead = _require(store, ctx, lead_id)
    with store.transaction():
        store.leads.mark_deleted(lead_id, iso(now))
        _edit(store, ctx, lead, {"deleted": True}, now)


def tag_choices(store: Store) -> list[str]:
    """The qualifiers this exhibitor configured, or sensible defaults."""
    saved = store.get_meta("lead_tags")
    return json.loads(saved) if saved else list(DEFAULT_TAGS)


def set_tag_choices(store: Store, tags: list[str]) -> None:
    store.set_meta("lead_tags", json.dumps([t.strip() for t in tags if t.strip()], ensure_ascii=False))


def lead_rows_for_export(store: Store, exhibitor_id: str, sort: str = "time") -> list[dict]:
    """This exhibitor's leads (never another's, never deleted ones) as plain rows for
    kiosk.leadfile.export_leads: the same fields, so kiosk and server files have the same columns."""
    return [asdict(lead) for lead in list_leads(store, exhibitor_id, sort=sort)]


def bound_exhibitor(store: Store) -> tuple[str, str, str] | None:
    """(id, name, name_zh) of the exhibitor this device was enrolled for, or None when unbound."""
    exhibitor_id = store.get_meta("exhibitor_id")
    if not exhibitor_id:
        return None
    ex = store.exhibitor(exhibitor_id)
    return (exhibitor_id, ex.name if ex else exhibitor_id, ex.name_zh if ex else "")


def other_notes(store: Store, ctx: DeviceContext, lead_id: str) -> list[tuple[str, str]]:
    """(device_id, text) of the notes other devices of this exhibitor wrote, oldest first; read-only here."""
    lead = _require(store, ctx, lead_id)
    return store.leads.other_notes(lead.exhibitor_id, lead.attendee_id, ctx.device_id)


def leads_from_staff(store: Store) -> bool:
    """Whether staff and exhibitor badges become leads too (off by default: usually a mis-scan)."""
    return store.get_meta("leads_from_staff") == "1"


def set_leads_from_staff(store: Store, on: bool) -> None:
    store.set_meta("leads_from_staff", "1" if on else "0")


def fresh_context(store: Store, ctx: DeviceContext) -> DeviceContext:
    """The screen's context with the device binding as the store holds it now.

    Enrolment (possibly on the sync thread, after the screen was built) sets this device's id
    and exhibitor; a lead must be written under those, never under a stale or empty exhibitor."""
    from dataclasses import replace

    return replace(ctx, device_id=store.get_meta("device_id") or ctx.device_id,
                   exhibitor_id=store.get_meta("exhibitor_id") or ctx.exhibitor_id)


def lead_settings(store: Store) -> tuple[list[str], bool]:
    """The exhibitor's tag choices, and whether staff and exhibitor badges count as leads."""
    return tag_choices(store), leads_from_staff(store)


def save_lead_settings(store: Store, tags: list[str], from_staff: bool) -> None:
    with store.transaction():
        set_tag_choices(store, tags)
        set_leads_from_staff(store, from_staff)


def device_names(store: Store, device_ids) -> dict[str, str]:
    """The names ("Booth tablet 2") of these devices that this device knows (its own from enrolment,
    the others' from pulled device rows); an id without a known name is left out."""
    names = {d: store.sync.device_name(d) for d in set(device_ids) if d}
    return {d: n for d, n in names.items() if n}


def lead_for_editing(store: Store, base: DeviceContext, lead_id: str) -> tuple | None:
    """(lead, this device's note, other devices' notes, tag choices, device id, device names) for
    the lead editor; None when the lead is not this exhibitor's (another exhibitor's leads never
    open). The names (device id -> name) cover this device, the one that first scanned the lead
    and those that wrote the other notes, so the editor never needs to show an id."""
    ctx = fresh_context(store, base)
    lead = get_lead(store, lead_id)
    if lead is None or lead.exhibitor_id != (ctx.exhibitor_id or ""):
        return None
    others = other_notes(store, ctx, lead_id)
    names = device_names(store, [ctx.device_id, lead.device_id, *(d for d, _ in others)])
    return lead, own_note(store, ctx, lead_id), others, tag_choices(store), ctx.device_id, names
