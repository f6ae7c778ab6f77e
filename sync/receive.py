"""Applying a device's pushed outbox items on the server, each exactly once.

The item id ("<kind>:<uuid>", made by the device) is the idempotency key: an item seen
before is answered "duplicate" and changes nothing. An offline entry that collides with
another device's entry at the same point is stored anyway (the door already let the
person in; the record is the truth of what happened) and answered "conflict", with the
other device and time, so the device can put it on its staff conflict list. An offline
entry made with a badge that had already been revoked (the device could not know) is
likewise stored and answered "conflict", with reason "revoked".
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from kiosk.leads import is_placeholder
from sync import leadproof, merge
from sync.devices import Device
from sync.protocol import (KINDS_BY_ROLE, CheckinPayload, ItemResult, LeadEditPayload, LeadPayload, LeadScanPayload,
                           PrintPayload, PushItem, ScanPayload, UndoPayload, validate_payload)
from sync.serverdb import ServerDB

log = logging.getLogger(__name__)
LEAD_KINDS = ("lead", "lead_scan")  # the pushes that take a token from the device's lead budget


class Refused(Exception):
    """The whole batch is refused (4xx) and nothing is written; `items` names the offenders."""

    def __init__(self, status: int, message: str, items: list[dict]):
        super().__init__(message)
        self.status = status
        self.items = items


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def validate(device: Device, items: list[PushItem]) -> list:
    """Every item checked before anything is written: kind allowed, payload well-formed, in scope."""
    allowed = KINDS_BY_ROLE.get(device.role, set())
    forbidden, malformed, parsed = [], [], []
    for item in items:
        if item.kind not in allowed:
            forbidden.append({"id": item.id, "reason": f"a {device.role} device cannot send {item.kind}"})
            continue
        try:
            payload = validate_payload(item.kind, item.payload)
        except ValueError as exc:
            malformed.append({"id": item.id, "reason": str(exc)})
            continue
        if item.kind in ("checkin", "scan", "print") and item.id != f"{item.kind}:{payload.id}":
            malformed.append({"id": item.id, "reason": "item id must be '<kind>:<record id>'"})
            continue
        ex = getattr(payload, "exhibitor_id", None)
        if ex is not None and ex != device.exhibitor_id:
            forbidden.append({"id": item.id, "reason": "another exhibitor's lead"})
            continue
        parsed.append((item, payload))
    if forbidden:
        raise Refused(403, "items outside this device's scope", forbidden)
    if malformed:
        raise Refused(422, "malformed items", malformed)
    return parsed


def apply_batch(db: ServerDB, device: Device, items: list[PushItem]) -> list[ItemResult]:
    """Validate all, then apply all in one transaction: a batch lands whole or not at all."""
    parsed = validate(device, items)
    results: list[ItemResult] = []
    with db.write():
        budget = leadproof.LeadBudget(db, device)
        for item, payload in parsed:
            if results and results[-1].status == "later":
                results.append(_later(item, budget))  # keep the device's order: nothing after a deferred item
                continue
            if item.kind in LEAD_KINDS and not _seen(db, item.id) and not budget.take():
                results.append(_later(item, budget))
                log.warning("device %s (%s) over its lead rate: %s and the rest of its batch deferred",
                            device.id, device.name, item.id)
                continue
            result = _apply(db, device, item, payload)
            if result.status == "rejected" and item.kind in LEAD_KINDS and result.reason != "refused_before":
                budget.refused()
            results.append(result)
        budget.save()
        db.devices.touch(device.id, _now())
    return results


def _later(item: PushItem, budget: leadproof.LeadBudget) -> ItemResult:
    return ItemResult(id=item.id, status="later", reason="rate_limited",
                      detail={"retry_after": round(budget.seconds_to_next(), 1)})


def _seen(db: ServerDB, item_id: str) -> str | None:
    return db.pushes.status(item_id)


def _receipt(db: ServerDB, device: Device, item: PushItem, status: str) -> None:
    db.pushes.record(item.id, device.id, item.kind, status, _now())


def _apply(db: ServerDB, device: Device, item: PushItem, payload) -> ItemResult:
    seen = _seen(db, item.id)
    if seen == "rejected":
        return ItemResult(id=item.id, status="rejected", reason="refused_before")
    if seen:
        return ItemResult(id=item.id, status="duplicate")
    handler = _HANDLERS[item.kind]
    try:
        result = handler(db, device, item, payload)
    except merge.NoteOwnedElsewhere as exc:
        result = ItemResult(id=item.id, status="rejected", reason=str(exc))
    if result.status == "rejected":  # refused items are never kept silently: the device and this log say so
        log.warning("refused %s from device %s (%s): %s", item.id, device.id, device.name, result.reason)
    _receipt(db, device, item, result.status)
    return result


def _device_name(db: ServerDB, device_id: str) -> str:
    name = db.devices.name(device_id)
    return device_id if name is None else name


def find_collision(db: ServerDB, record: dict) -> tuple | None:
    """Another device's valid entry at this point that this entry doubles, or None.

    The neighbour in time decides: the record just before this one (or, for an entry that
    arrives late but happened first, the one just after) is an entry from another device."""
    if record["direction"] != "entry" or record.get("undone"):
        return None
    for before in (True, False):
        row = db.checkins.neighbour(record["attendee_id"], record["point_id"], record["corrected_time"],
                                    not_id=record["id"], before=before)
        if row is not None:
            if row[3] == "entry" and row[1] != record["device_id"]:
                return row
            if before:
                return None  # the latest record before this one is ours or an exit: no double entry
    return None


def find_revocation(db: ServerDB, record: dict, badge_issue: int | None) -> dict | None:
    """The revocation that was already in force when this entry happened, or None.

    A revocation of every issue (issue 0: lost, cancelled) applies to any code of the
    attendee; one of a single issue (a reprint) only to a signed badge of that issue, so the
    new badge's holder is never flagged. A revocation without a readable time counts as in
    force: staff rather see one row too many than miss a cancelled badge."""
    if record["direction"] != "entry" or record.get("undone"):
        return None
    event_id = record.get("event_id") or (db.store.event().id if db.store.event() else "")
    issues = [0] if badge_issue is None else [0, badge_issue]
    rows = db.checkins.revocations(event_id, record["attendee_id"], issues)
    scanned = _when(record["corrected_time"])
    for issue, reason, created_at in rows:
        revoked = _when(created_at)
        if revoked is None or scanned is None or revoked <= scanned:
            return {"issue": issue, "reason": reason or "revoked", "at": created_at}
    return None


def _when(text: str | None) -> datetime | None:
    try:
        t = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def desk_refusal(db: ServerDB, p: CheckinPayload) -> str | None:
    """Why a pushed check-in does not fit the event (it is then refused, not stored), or None."""
    if db.store.attendee(p.attendee_id) is None:
        return "unknown_attendee"
    if db.store.point(p.point_id) is None:
        return "unknown_point"
    if _when(p.device_time) is None or _when(p.corrected_time) is None:
        return "bad_time"
    return None


def _checkin(db: ServerDB, device: Device, item: PushItem, p: CheckinPayload) -> ItemResult:
    if db.checkins.exists(p.id):
        return ItemResult(id=item.id, status="duplicate")  # e.g. recorded online, answer lost
    refused = desk_refusal(db, p)
    if refused:
        return ItemResult(id=item.id, status="rejected", reason=refused,
                          detail={"attendee_id": p.attendee_id, "point_id": p.point_id})
    record = {**p.model_dump(exclude={"badge_issue"}), "device_id": device.id, "undone": int(bool(p.undone))}
    revoked = find_revocation(db, record, p.badge_issue)
    other = None if revoked else find_collision(db, record)
    db.checkins.add(record)
    if revoked is None and other is None:
        return ItemResult(id=item.id, status="accepted")
    if revoked is not None:
        reason = "revoked"
        detail = {"revocation": revoked["reason"], "revoked_issue": revoked["issue"], "other_time": revoked["at"],
                  "point_id": p.point_id, "attendee_id": p.attendee_id}
        others = {"other_record_id": None, "other_device_id": None, "other_at": revoked["at"]}
    else:
        reason = "already_checked_in"
        detail = {"other_record": other[0], "other_device": other[1], "other_device_name": _device_name(db, other[1]),
                  "other_time": other[2], "point_id": p.point_id, "attendee_id": p.attendee_id}
        others = {"other_record_id": other[0], "other_device_id": other[1], "other_at": other[2]}
    db.pushes.save_conflict({
        "id": f"checkin:{p.id}", "kind": "checkin", "record_id": p.id, "attendee_id": p.attendee_id,
        "name": p.name or "", "reason": reason, "detail": json.dumps(detail, ensure_ascii=False),
        "created_at": _now(), "seen": 0, "point_id": p.point_id, "device_id": device.id,
        "at": p.corrected_time, **others})
    return ItemResult(id=item.id, status="conflict", reason=reason, detail=detail)


def _undo(db: ServerDB, device: Device, item: PushItem, p: UndoPayload) -> ItemResult:
    if _when(p.at) is None:
        return ItemResult(id=item.id, status="rejected", reason="bad_time")
    owner = db.checkins.owner(p.checkin_id)
    if owner is None:
        return ItemResult(id=item.id, status="rejected", reason="unknown_checkin")
    if owner != device.id:
        return ItemResult(id=item.id, status="rejected", reason="not_this_devices_checkin")
    db.checkins.mark_undone(p.checkin_id)
    return ItemResult(id=item.id, status="accepted")


def _scan(db: ServerDB, device: Device, item: PushItem, p: ScanPayload) -> ItemResult:
    db.checkins.log_scan(p.id, p.event_id, p.status, p.attendee_id, p.point_id, p.direction, device.id,
                         p.device_time, p.detail, p.handoff)
    return ItemResult(id=item.id, status="accepted")


def _lead_refused(item: PushItem, reason: str, p) -> ItemResult:
    return ItemResult(id=item.id, status="rejected", reason=reason, detail={"attendee_id": p.attendee_id})


def _named(db: ServerDB, p, proof: tuple[str, str | None] | None = None):
    """The payload under the real attendee id when the device sent its stand-in for a plain code
    (kiosk.leads.placeholder_id): from this push's proof, else from an earlier push's."""
    if not is_placeholder(p.attendee_id):
        return p
    real = proof[0] if proof and proof[1] is None else db.leads.alias(p.exhibitor_id, p.attendee_id)
    if real is None:
        return p
    db.leads.save_alias(p.exhibitor_id, p.attendee_id, real)
    return p.model_copy(update={"attendee_id": real})


def _accepted(item: PushItem, sent, detail: dict) -> ItemResult:
    if is_placeholder(sent.attendee_id):  # the device renames its lead: "name after sync"
        detail = {**detail, "placeholder": sent.attendee_id}
    return ItemResult(id=item.id, status="accepted", detail=detail)


def _lead(db: ServerDB, device: Device, item: PushItem, p: LeadPayload) -> ItemResult:
    proof = leadproof.proven(db, p.code, p.attendee_id)
    if proof[1]:
        return _lead_refused(item, proof[1], p)
    named = _named(db, p, proof)
    return _accepted(item, p, {**merge.apply_lead(db, device.id, named), "attendee_id": named.attendee_id})


def _lead_scan(db: ServerDB, device: Device, item: PushItem, p: LeadScanPayload) -> ItemResult:
    named = _named(db, p)
    known = not is_placeholder(named.attendee_id) and db.leads.find(p.exhibitor_id, named.attendee_id) is not None
    # a rescan of a lead the server already holds releases nothing new; one queued before codes were
    # sent (no code) is counted. Everything else proves the visit like a new lead.
    if not (known and not p.code):
        proof = leadproof.proven(db, p.code, p.attendee_id)
        if proof[1]:
            return _lead_refused(item, proof[1], p)
        named = _named(db, p, proof)
    return _accepted(item, p, {**merge.apply_lead_scan(db, device.id, named), "attendee_id": named.attendee_id})


def _lead_edit(db: ServerDB, device: Device, item: PushItem, p: LeadEditPayload) -> ItemResult:
    named = _named(db, p)
    if db.leads.find(p.exhibitor_id, named.attendee_id) is None:  # an edit never creates a lead: only a scan does
        return _lead_refused(item, "no_such_lead", p)
    return _accepted(item, p, {**merge.apply_lead_edit(db, device.id, named), "attendee_id": named.attendee_id})


def _print(db: ServerDB, device: Device, item: PushItem, p: PrintPayload) -> ItemResult:
    """A desk's print joins the server's print log (once: the item id is the idempotency key)."""
    db.store.prints.add(p.attendee_id, device.id, p.printed_at, p.target, p.issue)
    return ItemResult(id=item.id, status="accepted")


_HANDLERS = {"checkin": _checkin, "undo": _undo, "scan": _scan, "lead": _lead, "lead_scan": _lead_scan,
             "lead_edit": _lead_edit, "print": _print}
