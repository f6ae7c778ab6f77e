"""A lead needs a scan: the server checks the scanned badge before it records a lead.

Without this an exhibitor device could push leads for A000001, A000002, ... without meeting
anyone, and the next pull would hand it names, organisations and (for those who consented) the
contact details of every attendee. A lead or lead_scan push therefore carries the code the device
scanned. A signed badge (docs/badge-format.md) proves itself: its signature, its event and an
attendee this server holds, not revoked. A plain code is its own proof: it must be the code of that
attendee in the server's list. Each device's lead pushes are also rate-limited (`LEAD_RATE_PER_SECOND`
sustained, bursts of `LEAD_BURST`) in the database, so guessing plain codes is slow.
"""
from __future__ import annotations

import time

from kiosk.identify import identify, normalise
from kiosk.leads import is_placeholder, placeholder_id
from sync.devices import Device
from sync.protocol import LEAD_BURST, LEAD_RATE_PER_SECOND, LEAD_REFUSAL_COST
from sync.serverdb import ServerDB

BUCKET = "lead"


def refusal(db: ServerDB, code: str | None, attendee_id: str) -> str | None:
    """Why this code does not prove a visit of `attendee_id`, or None when it does."""
    return proven(db, code, attendee_id)[1]


def proven(db: ServerDB, code: str | None, attendee_id: str) -> tuple[str, str | None]:
    """(the attendee the code proves a visit of, None) or (attendee_id, why not).

    `attendee_id` may be a booth's stand-in for a plain code it could not look up
    (kiosk.leads.placeholder_id): then the code must be the one it stands for, and the answer is
    the attendee the server finds for it."""
    if not code:
        return attendee_id, "no_badge_code"
    code = normalise(code)
    if is_placeholder(attendee_id) and placeholder_id(code) != attendee_id:
        return attendee_id, "badge_of_another_attendee"
    event = db.store.event()
    who = identify(db.store, code, event.id if event else "")
    if who.status is not None:
        return attendee_id, f"badge_{who.status.value}"  # badge_forged, _unknown, _revoked, _wrong_event
    if who.attendee is None:
        return attendee_id, "unknown_attendee"  # a genuine signature for an id this server does not hold
    if not is_placeholder(attendee_id) and who.attendee.id != attendee_id:
        return attendee_id, "badge_of_another_attendee"
    return who.attendee.id, None


class LeadBudget:
    """One device's lead tokens for one push, read once and written back once (inside the push's write)."""

    def __init__(self, db: ServerDB, device: Device, now: float | None = None):
        self._db = db
        self._device = device.id
        self._now = time.time() if now is None else now
        self.tokens = db.rates.level(device.id, BUCKET, self._now, LEAD_RATE_PER_SECOND, LEAD_BURST)

    def take(self, cost: float = 1.0) -> bool:
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def spend(self, cost: float) -> None:
        """A refusal costs even when it overdraws (down to one burst below zero)."""
        self.tokens = max(-float(LEAD_BURST), self.tokens - cost)

    def refused(self) -> None:
        self.spend(LEAD_REFUSAL_COST - 1)  # on top of the token `take` already spent

    def seconds_to_next(self) -> float:
        return max(0.0, (1.0 - self.tokens) / LEAD_RATE_PER_SECOND)

    def save(self) -> None:
        self._db.rates.save(self._device, BUCKET, self.tokens, self._now)
