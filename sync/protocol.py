"""The sync wire format: what devices and the server say to each other, in one place.

Requests are validated with pydantic before anything touches the database, so a malformed
or hostile body is a 4xx answer that changed nothing. Pull responses are built as plain
JSON (lists of rows with a field header) because 100,000 attendees through model objects
would cost more time than the network.
"""
from __future__ import annotations

import base64
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.errors import BadInput

API = "/api/v1"
SETUP_PREFIX = "fk1."
HANDSHAKE_VERSION = 1
AUTH_SCHEME = "Device"
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_PUSH_ITEMS = 2000
PULL_PAGE_DEFAULT = 5000
PULL_PAGE_MAX = 20000

# attendee columns sent on pull, in this order (pinyin/initials precomputed by the server)
ATTENDEE_FIELDS = ("id", "event_id", "name", "name_zh", "organisation", "title", "email", "phone", "badge_type",
                   "consent", "code", "attention", "badge_issue", "pinyin", "initials")
CHECKIN_FIELDS = ("id", "event_id", "attendee_id", "point_id", "direction", "device_id", "device_time",
                  "corrected_time", "source", "name", "name_zh", "organisation", "badge_type", "undone")

# a device's health, sent with every pull (sync.rounds): "printer=stopped"; kept small on purpose
HEALTH_HEADER = "X-Kiosk-Health"
_HEALTH_WORD = re.compile(r"^[a-z0-9_-]{1,24}$")


def health_header(health: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(health.items()))


def parse_health(text: str | None) -> dict[str, str]:
    """The header as a dict; anything not of the form word=word (a few of them) is dropped."""
    out: dict[str, str] = {}
    for part in (text or "")[:256].split(";")[:8]:
        key, _, value = part.strip().partition("=")
        if _HEALTH_WORD.match(key) and _HEALTH_WORD.match(value):
            out[key] = value
    return out


# what each role may push
KINDS_BY_ROLE = {
    "desk": {"checkin", "undo", "scan", "print"},
    "attendee": {"checkin", "undo", "scan", "print"},  # "print": a self-service kiosk's badges
    "exhibitor": {"lead", "lead_scan", "lead_edit", "scan"},
}

ItemStatus = Literal["accepted", "duplicate", "conflict", "rejected"]


class SetupCodeError(BadInput):
    """The setup code is not one of ours; the message says what is wrong."""


def make_setup_code(url: str, token: str) -> str:
    """Server address plus one-time token, shell- and QR-safe (no quotes, no spaces)."""
    raw = json.dumps({"v": HANDSHAKE_VERSION, "url": url, "token": token}, separators=(",", ":"))
    return SETUP_PREFIX + base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_setup_code(code: str) -> tuple[str, str]:
    code = (code or "").strip()
    if not code.startswith(SETUP_PREFIX):
        raise SetupCodeError("not a Forum Kiosk setup code (it should start with 'fk1.')")
    body = code[len(SETUP_PREFIX):]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        version, url, token = data["v"], data["url"], data["token"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SetupCodeError("the setup code is damaged (copy it again)") from exc
    if not isinstance(version, int) or version > HANDSHAKE_VERSION:
        raise SetupCodeError(f"setup code version {version} is newer than this kiosk understands")
    if not (isinstance(url, str) and url.startswith(("http://", "https://")) and isinstance(token, str) and token):
        raise SetupCodeError("the setup code has no usable server address or token")
    return url.rstrip("/"), token


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", str_max_length=4000)


class EnrollRequest(_Strict):
    token: str = Field(min_length=8, max_length=200)
    hardware: str = Field(default="", max_length=200)
    software: str = Field(default="", max_length=200)


class EnrollResponse(BaseModel):
    device_id: str
    name: str
    role: str
    exhibitor_id: str | None
    api_token: str
    server_time: str
    event_id: str | None


class PushItem(_Strict):
    id: str = Field(min_length=3, max_length=200)
    kind: Literal["checkin", "undo", "scan", "lead", "lead_scan", "lead_edit", "print"]
    payload: dict


class PushRequest(_Strict):
    items: list[PushItem] = Field(max_length=MAX_PUSH_ITEMS)


class ItemResult(BaseModel):
    id: str
    status: ItemStatus
    reason: str = ""
    detail: dict = Field(default_factory=dict)


class PushResponse(BaseModel):
    results: list[ItemResult]
    server_time: str


class OnlineCheckRequest(_Strict):
    code: str = Field(max_length=4000)
    record_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    point_id: str | None = Field(default=None, max_length=200)
    direction: Literal["entry", "exit"] = "entry"
    device_time: str = Field(max_length=64)
    source: str = Field(default="camera", max_length=32)


class ReprintRequest(_Strict):
    """A desk's badge reissue. The request id (made by the desk, like a check-in record id) makes
    the call safe to repeat: the same id answers the same new badge and never bumps the issue again."""

    request_id: str | None = Field(default=None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


# -- per-kind payloads (validated on the server before anything is written) ----------------------
_Id = Field(min_length=1, max_length=200)


class CheckinPayload(_Strict):
    id: str = _Id
    event_id: str = Field(default="", max_length=200)
    attendee_id: str = _Id
    point_id: str = _Id
    direction: Literal["entry", "exit"]
    device_id: str = Field(default="", max_length=200)
    device_time: str = Field(max_length=64)
    corrected_time: str = Field(max_length=64)
    source: str | None = Field(default="camera", max_length=32)
    name: str | None = ""
    name_zh: str | None = ""
    organisation: str | None = ""
    badge_type: str | None = ""
    undone: int = 0
    badge_issue: int | None = Field(default=None, ge=0, le=255)  # the signed badge's issue; None: a plain code


class UndoPayload(_Strict):
    checkin_id: str = _Id
    device_id: str = Field(default="", max_length=200)
    at: str = Field(max_length=64)


class ScanPayload(_Strict):
    id: str = _Id
    event_id: str | None = ""
    status: str = Field(max_length=40)
    attendee_id: str | None = None
    point_id: str | None = None
    direction: str | None = None
    device_id: str | None = None
    device_time: str | None = None
    detail: str | None = ""
    handoff: str | None = None


class LeadPayload(_Strict):
    id: str = _Id
    exhibitor_id: str = _Id
    attendee_id: str = _Id
    name: str = Field(default="", max_length=400)
    name_zh: str | None = ""
    organisation: str | None = ""
    badge_type: str | None = "attendee"
    device_id: str | None = ""
    created_at: str = Field(max_length=64)
    updated_at: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=100)


class LeadScanPayload(_Strict):
    id: str | None = None
    exhibitor_id: str = _Id
    attendee_id: str = _Id
    device_id: str | None = ""
    at: str = Field(max_length=64)


class NoteEdit(_Strict):
    note_id: str = Field(min_length=1, max_length=100)
    text: str = Field(default="", max_length=4000)


class LeadEditPayload(_Strict):
    exhibitor_id: str = _Id
    attendee_id: str = _Id
    device_id: str | None = ""
    at: str = Field(max_length=64)
    note: NoteEdit | None = None
    rating: int | None = Field(default=None, ge=0, le=5)
    tags_add: list[str] = Field(default_factory=list, max_length=100)
    tags_remove: list[str] = Field(default_factory=list, max_length=100)
    deleted: bool | None = None


class PrintPayload(_Strict):
    """A badge a desk printed (its print log), so the server knows who has a badge."""

    id: str = _Id
    attendee_id: str = _Id
    printed_at: str = Field(max_length=64)
    target: str = Field(default="", max_length=400)
    issue: int = Field(default=1, ge=0, le=255)


PAYLOADS: dict[str, type[_Strict]] = {
    "checkin": CheckinPayload, "undo": UndoPayload, "scan": ScanPayload, "lead": LeadPayload,
    "lead_scan": LeadScanPayload, "lead_edit": LeadEditPayload, "print": PrintPayload,
}


def validate_payload(kind: str, payload: dict) -> _Strict:
    """Raise ValueError naming the first problem."""
    try:
        return PAYLOADS[kind].model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise ValueError(f"{where}: {first.get('msg', 'invalid')}") from None
