"""Plain data objects that cross layer boundaries (store, rules, sync, screens).

Nothing here knows about SQLite, HTTP or Qt; every object is a frozen dataclass so a
screen can hold one without fearing that another thread changes it underneath.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

BADGE_TYPES: tuple[str, ...] = ("attendee", "vip", "speaker", "press", "exhibitor", "staff")
ROLES: tuple[str, ...] = ("attendee", "desk", "exhibitor")


class Status(str, Enum):
    """The verdicts of docs/cli.md; the value is the stable machine code."""

    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN = "unknown"
    FORGED = "forged"
    REVOKED = "revoked"
    WRONG_EVENT = "wrong_event"
    NOT_ALLOWED = "not_allowed"
    LEAD_SAVED = "lead_saved"
    LEAD_UPDATED = "lead_updated"

    @property
    def accepted(self) -> bool:
        return self in (Status.OK, Status.LEAD_SAVED, Status.LEAD_UPDATED)


class Direction(str, Enum):
    ENTRY = "entry"
    EXIT = "exit"


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    name_zh: str = ""
    venue: str = ""
    venue_zh: str = ""
    date: str = ""  # ISO date of the (first) day
    timezone: str = "Asia/Shanghai"
    public_url: str = ""  # a web page phones can open (the kiosk's route QR links to it); "" when none


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    name_zh: str = ""
    capacity: int = 0


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    title_zh: str
    room_id: str
    starts_at: str  # ISO datetime with offset
    ends_at: str
    allowed_types: tuple[str, ...] = BADGE_TYPES
    speakers: tuple[str, ...] = ()
    kind: str = "session"  # main | panel | press | exhibition


@dataclass(frozen=True)
class CheckinPoint:
    """Where a device scans: the event entrance (no session) or one session's door."""

    id: str
    name: str
    name_zh: str = ""
    session_id: str | None = None
    room_id: str | None = None


@dataclass(frozen=True)
class Exhibitor:
    id: str
    name: str
    name_zh: str
    category: str
    booths: tuple[str, ...]
    description: str = ""
    description_zh: str = ""
    products: tuple[str, ...] = ()
    website: str = ""
    categories: tuple[str, ...] = ()  # all of its categories, `category` (the map colour) first


@dataclass(frozen=True)
class Attendee:
    id: str
    name: str
    name_zh: str = ""
    organisation: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    badge_type: str = "attendee"
    consent: bool = False
    code: str = ""  # plain code from another registration system
    attention: str = ""  # "needs attention" note shown at the desk
    badge_issue: int = 1  # bumped on reprint; older issues are revoked


@dataclass(frozen=True)
class BadgeClaims:
    """What a signed badge says about its holder; trusted once the signature verifies."""

    event_id: str
    attendee_id: str
    badge_type: str
    key_id: int
    name: str
    name_zh: str = ""
    organisation: str = ""
    issue: int = 1
    version: int = 1


@dataclass(frozen=True)
class PublicKey:
    key_id: int
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    valid: bool = True


@dataclass(frozen=True)
class Checkin:
    id: str  # client-made uuid: the idempotency key all the way to the server
    event_id: str
    attendee_id: str
    point_id: str
    direction: Direction
    device_id: str
    device_time: str
    corrected_time: str
    source: str = "camera"
    undone: bool = False


@dataclass(frozen=True)
class PersonRef:
    """Who a verdict is about, as far as the device knows."""

    id: str
    name: str
    name_zh: str = ""
    organisation: str = ""
    badge_type: str = ""
    attention: str = ""


@dataclass(frozen=True)
class Verdict:
    """Exactly one per scan: what the screen shows and the CLI prints."""

    status: Status
    attendee: PersonRef | None = None
    point_id: str = ""
    direction: Direction = Direction.ENTRY
    record_id: str | None = None  # the check-in or lead written, if any
    previous_time: str | None = None  # already_checked_in: when
    previous_device: str | None = None  # already_checked_in: where
    detail: str = ""  # a short machine-readable reason, e.g. "malformed", "type:press"
    handoff: str = ""  # short code a desk can type to see what happened
    decided_by: str = "local"  # local | server
    next_sessions: tuple[Session, ...] = ()

    def to_json(self) -> dict:
        """The JSON line of `kiosk check` (docs/cli.md)."""
        person = None
        if self.attendee is not None:
            person = {
                "id": self.attendee.id,
                "name": self.attendee.name,
                "name_zh": self.attendee.name_zh,
                "organisation": self.attendee.organisation,
                "badge_type": self.attendee.badge_type,
            }
        out = {
            "status": self.status.value,
            "attendee": person,
            "point": self.point_id,
            "direction": self.direction.value,
            "record": self.record_id,
            "decided_by": self.decided_by,
        }
        if self.previous_time:
            out["previous"] = {"time": self.previous_time, "device": self.previous_device}
        if self.detail:
            out["detail"] = self.detail
        if self.handoff:
            out["handoff"] = self.handoff
        return out


@dataclass(frozen=True)
class Lead:
    id: str
    exhibitor_id: str
    attendee_id: str
    name: str
    organisation: str = ""
    name_zh: str = ""
    badge_type: str = "attendee"
    email: str = ""
    phone: str = ""
    title: str = ""
    notes: str = ""
    rating: int = 0  # 0 = unrated, 1..5
    tags: tuple[str, ...] = ()
    device_id: str = ""
    created_at: str = ""
    updated_at: str = ""
    scans: int = 1


@dataclass(frozen=True)
class Counts:
    """Live numbers for the desk."""

    expected: int
    checked_in: int
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type -> (in, expected)
    last_15_min: int = 0


@dataclass(frozen=True)
class Scan:
    """One code read by any input: camera, USB wedge scanner, or typed by staff."""

    code: str
    source: str  # camera | wedge | typed | handoff
    at: float = 0.0  # time.monotonic() when it was read


@dataclass(frozen=True)
class ConflictItem:
    """One offline scan that collided with another device's, for the staff list."""

    id: str
    attendee_id: str
    name: str
    reason: str
    point: str  # the point's name where known
    device: str
    at: str
    other_device: str
    other_at: str  # for reason "revoked": when the badge was revoked
    seen: bool
    revocation: str = ""  # for reason "revoked": why ("lost", "reprinted", "cancelled", ...)


@dataclass(frozen=True)
class PrintRecord:
    """One badge printed at a desk."""

    attendee_id: str
    printed_at: str
    target: str  # printer name, or the PDF file written
    issue: int
