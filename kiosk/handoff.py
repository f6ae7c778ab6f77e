"""Hand-off codes: the six characters a refused visitor brings from a kiosk to the desk.

A refusal's code is kept in `scan_log` with what was decided (and pushed to the server as
an outbox item of kind "scan"), so staff at any desk can see what happened without the
visitor having to explain. The same lookup runs on a kiosk's store and on the server's.
Looking a code up records nothing: it is not a scan of a badge.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.models import PersonRef
from kiosk.store import Store

HANDOFF_PREFIX = "FKH:"  # a hand-off code as a QR, so a desk scanner can tell it from a badge
HANDOFF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I (kiosk.checkin.handoff_code)
HANDOFF_LENGTH = 6
MAX_CODE = 16


@dataclass(frozen=True)
class HandoffCase:
    """What happened at the kiosk that showed this code."""

    code: str
    status: str  # the verdict's machine code (kiosk.models.Status value)
    attendee: PersonRef | None
    device_id: str
    device_name: str  # the kiosk's name where known, else its id
    point_id: str
    point_name: str
    point_name_zh: str
    direction: str
    at: str  # the kiosk's time of the scan (ISO)
    detail: str  # e.g. the revocation reason
    found_on: str = "here"  # here | server

    def to_json(self) -> dict:
        a = self.attendee
        return {"code": self.code, "status": self.status,
                "attendee": None if a is None else {"id": a.id, "name": a.name, "name_zh": a.name_zh,
                                                    "organisation": a.organisation, "badge_type": a.badge_type,
                                                    "attention": a.attention},
                "device_id": self.device_id, "device_name": self.device_name, "point_id": self.point_id,
                "point_name": self.point_name, "point_name_zh": self.point_name_zh, "direction": self.direction,
                "at": self.at, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict, found_on: str = "server") -> "HandoffCase":
        a = data.get("attendee")
        person = None if not a else PersonRef(str(a.get("id", "")), a.get("name") or "", a.get("name_zh") or "",
                                              a.get("organisation") or "", a.get("badge_type") or "",
                                              a.get("attention") or "")
        text = lambda k: str(data.get(k) or "")  # noqa: E731
        return cls(text("code"), text("status"), person, text("device_id"), text("device_name"), text("point_id"),
                   text("point_name"), text("point_name_zh"), text("direction") or "entry", text("at"),
                   text("detail"), found_on)


def clean(code: str) -> str:
    """Upper case, no spaces or dashes: what staff type is rarely exact."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")[:MAX_CODE]


def looks_like_handoff(code: str) -> bool:
    code = clean(code)
    return len(code) == HANDOFF_LENGTH and all(ch in HANDOFF_ALPHABET for ch in code)


def handoff_in(scanned: str, typed: bool) -> tuple[str, bool] | None:
    """(code, explicit) when a scan may be a hand-off code, else None.

    A QR read as "FKH:<code>" is one for certain (explicit); six characters typed by staff
    may be one, unless an attendee holds that registration code (the caller checks)."""
    if not isinstance(scanned, str):
        return None
    text = scanned.strip()
    if text.upper().startswith(HANDOFF_PREFIX):
        return clean(text[len(HANDOFF_PREFIX):]), True
    if typed and looks_like_handoff(text):
        return clean(text), False
    return None


def lookup(store: Store, code: str, found_on: str = "here") -> HandoffCase | None:
    """The latest scan that showed this code, with the person, the kiosk's name and the point."""
    code = clean(code)
    if not code:
        return None
    row = store.checkins.by_handoff(code)
    if row is None:
        return None
    person = None
    if row[1]:
        a = store.attendee(row[1])
        person = PersonRef(a.id, a.name, a.name_zh, a.organisation, a.badge_type, a.attention) if a \
            else PersonRef(row[1], "")
    return HandoffCase(code, row[0], person, row[2] or "", row[3] or "", row[4] or "", row[5] or "", row[6] or "",
                       row[7] or "entry", row[8] or "", row[9] or "", found_on)
