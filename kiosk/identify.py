"""Who is scanning and who was scanned: the device's context and a code turned into a person.

Shared by the check-in rules (checkin.py) and lead capture (leads.py), which both start from
`identify()` and record through `enqueue()`; neither imports the other's module for it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from kiosk import badges
from kiosk.models import Attendee, BadgeClaims, PersonRef, Status
from kiosk.store import Store

MAX_PLAIN_CODE = 256
_CONTROL = dict.fromkeys(range(32))


@dataclass(frozen=True)
class DeviceContext:
    """Who is scanning, and where: read from the store's meta at start-up."""

    device_id: str
    role: str = "desk"
    point_id: str = "entrance"
    exhibitor_id: str | None = None
    clock_offset: float = 0.0  # seconds to add to the device clock to get server time

    @classmethod
    def from_store(cls, store: Store) -> "DeviceContext":
        return cls(
            device_id=store.get_meta("device_id") or "local",
            role=store.get_meta("role") or "desk",
            point_id=store.get_meta("point_id") or default_point(store),
            exhibitor_id=store.get_meta("exhibitor_id"),
            clock_offset=float(store.get_meta("clock_offset") or 0.0),
        )


def default_point(store: Store) -> str:
    """The event entrance: the first point without a session."""
    points = store.points()
    entrance = next((p for p in points if p.session_id is None), None)
    return entrance.id if entrance else (points[0].id if points else "entrance")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def new_id() -> str:
    return uuid.uuid4().hex


def normalise(code: object) -> str:
    """What a scanner or a keyboard sends, minus terminators and control characters."""
    if not isinstance(code, str):
        return ""
    # lone surrogates (invalid UTF-8 on a command line) cannot go into SQLite: make them "?"
    text = code.translate(_CONTROL).encode("utf-8", "replace").decode("utf-8")
    return text if badges.looks_signed(text) else text.strip()


def _person(attendee: Attendee | None, claims: BadgeClaims | None) -> PersonRef | None:
    if attendee is not None:
        return PersonRef(attendee.id, attendee.name, attendee.name_zh, attendee.organisation,
                         attendee.badge_type, attendee.attention)
    if claims is not None:
        return PersonRef(claims.attendee_id, claims.name, claims.name_zh, claims.organisation,
                         claims.badge_type)
    return None


@dataclass(frozen=True)
class Identified:
    """What a code says about its holder, before any rule about where they stand."""

    status: Status | None  # a refusal already decided by the code alone, else None
    attendee: Attendee | None = None
    claims: BadgeClaims | None = None
    detail: str = ""

    @property
    def person(self) -> PersonRef | None:
        return _person(self.attendee, self.claims)

    @property
    def attendee_id(self) -> str | None:
        return self.attendee.id if self.attendee else (self.claims.attendee_id if self.claims else None)

    @property
    def badge_type(self) -> str:
        return self.attendee.badge_type if self.attendee else (self.claims.badge_type if self.claims else "")


def identify(store: Store, code: str, event_id: str) -> Identified:
    """Turn a code into a known person or a refusal: signature, revocation, lookup."""
    if badges.looks_signed(code):
        try:
            claims = badges.decode(code, store.public_keys(), event_id)
        except badges.WrongEventBadge as exc:
            return Identified(Status.WRONG_EVENT, claims=exc.claims, detail=f"event:{exc.claims.event_id}")
        except (badges.MalformedBadge, badges.ForgedBadge, badges.NotABadge) as exc:
            return Identified(Status.FORGED, detail=exc.code)
        attendee = store.attendee(claims.attendee_id)
        reason = store.revocation(event_id, claims.attendee_id, claims.issue)
        if reason is None and attendee is not None and claims.issue < attendee.badge_issue:
            reason = "reprinted"
        if reason:
            return Identified(Status.REVOKED, attendee, claims, detail=reason)
        return Identified(None, attendee, claims)
    if not code or len(code) > MAX_PLAIN_CODE:
        return Identified(Status.UNKNOWN, detail="empty" if not code else "too_long")
    attendee = store.attendee_by_code(code)
    if attendee is None:
        return Identified(Status.UNKNOWN, detail="no_such_code")
    reason = store.revocation(event_id, attendee.id, 0)
    if reason:
        return Identified(Status.REVOKED, attendee, detail=reason)
    return Identified(None, attendee)


def enqueue(store: Store, kind: str, payload: dict, now: datetime, item_id: str | None = None) -> str:
    """Queue a record for the server. Must run inside the caller's transaction."""
    item_id = item_id or new_id()
    store.outbox.add(kind, payload, iso(now), item_id)
    return item_id


def record_print(store: Store, attendee: Attendee, device_id: str, target: str, now: datetime) -> int:
    """A badge printed here: into the print log and, in the same transaction, the outbox, so the
    server learns who has a badge (`kiosk-server badges --not-printed`). Returns this attendee's prints."""
    item_id = new_id()
    with store.transaction():
        count = store.prints.add(attendee.id, device_id, iso(now), target, attendee.badge_issue)
        enqueue(store, "print", {"id": item_id, "attendee_id": attendee.id, "printed_at": iso(now),
                                 "target": target[:400], "issue": attendee.badge_issue}, now, item_id)
    return count
