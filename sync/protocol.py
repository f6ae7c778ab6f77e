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
SIGNATURE_HEADER = "x-kiosk-signature"  # the event root's signature over a pulled page's exact bytes
ROOT_HEADER = "x-kiosk-root"  # the root's public key, learned once by a device enrolled before roots
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

ItemStatus = Literal["accepted", "duplicate", "conflict", "rejected", "later"]
# "later": not applied, not remembered; the device keeps the item and sends it again in a later round
# (a lead over the device's rate limit, and every item after it in that batch, so order is kept).

# Lead pushes per device (docs/security.md): a token bucket kept in the server database, so several
# server processes share it. Each lead or lead_scan item takes one token; a refused proof takes five.
LEAD_RATE_PER_SECOND = 1.0
LEAD_BURST = 20
LEAD_REFUSAL_COST = 5
MAX_CODE = 4096


class SetupCodeError(BadInput):
    """The setup code is not one of ours; the message says what is wrong."""


def make_setup_code(url: str, token: str, root: str | None = None, tls: str | None = None) -> str:
    """Server address plus one-time token, shell- and QR-safe (no quotes, no spaces); with the event
    root's fingerprint and the server certificate's SHA-256, which the device pins (docs/setup-code.md)."""
    fields = {"v": HANDSHAKE_VERSION, "url": url, "token": token}
    fields.update({k: v for k, v in (("root", root), ("tls", tls)) if v})
    raw = json.dumps(fields, separators=(",", ":"))
    return SETUP_PREFIX + base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def setup_code_pins(code: str) -> tuple[str | None, str | None]:
    """(root fingerprint, certificate SHA-256) a setup code carries; None where it has none.
    Call after parse_setup_code accepted the code."""
    body = (code or "").strip()[len(SETUP_PREFIX):]
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    root, tls = data.get("root"), data.get("tls")
    if (root is not None and not isinstance(root, str)) or (tls is not None and not isinstance(tls, str)):
        raise SetupCodeError("the setup code is damaged (copy it again)")
    return root or None, (tls or "").replace(":", "").lower() or None


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
    trust_root: str | None = None  # the event root's public key; the device checks it against the code


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
    code: str | None = Field(default=None, max_length=MAX_CODE)  # the scanned badge: the proof of the visit


class LeadScanPayload(_Strict):
    id: str | None = None
    exhibitor_id: str = _Id
    attendee_id: str = _Id
    device_id: str | None = ""
    at: str = Field(max_length=64)
    code: str | None = Field(default=None, max_length=MAX_CODE)  # the scanned badge: the proof of the visit


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


# -- answers, as the OpenAPI document shows them (sync/server.py) ---------------------------------
class ErrorLoc(BaseModel):
    loc: list[str | int]
    msg: str


class RefusedItem(BaseModel):
    id: str
    reason: str


class ErrorBody(BaseModel):
    """Every 4xx answer: `detail` in words; `errors` for a malformed request (422), `items` for the push
    items that made a whole batch refused (403: outside the device's scope, 422: malformed)."""

    detail: str
    errors: list[ErrorLoc] | None = None
    items: list[RefusedItem] | None = None


ERROR_MEANINGS = {
    400: "the request's framing is broken (a Content-Length that is not a number)",
    401: "no device token, or an unknown or revoked one",
    403: "this device's role or exhibitor may not do this (nothing was changed)",
    404: "no such thing (attendee, hand-off code, file format)",
    409: "refused by the event's state (e.g. a badge that cannot be reissued)",
    413: "the request body is over the size limit",
    422: "the request is malformed, or names something the event does not hold",
}


def error_responses(*codes: int) -> dict:
    """FastAPI `responses=` for these status codes, all with the ErrorBody shape."""
    return {c: {"model": ErrorBody, "description": ERROR_MEANINGS[c]} for c in codes}


class TimeResponse(BaseModel):
    server_time: str
    device: str
    name: str
    role: str


class PullPage(BaseModel):
    """One page of changes (docs/sync.md). Only the keys for kinds that changed are present;
    attendees and check-ins come as rows of values in the order of their `*_fields` list."""

    model_config = ConfigDict(extra="allow")
    cursor: int
    more: bool
    remaining: int
    server_time: str
    event: dict | None = None
    hall: str | None = None
    attendee_fields: list[str] | None = None
    attendees: list[list] | None = None
    checkin_fields: list[str] | None = None
    checkins: list[list] | None = None
    revocations: list[dict] | None = None
    keys: list[dict] | None = None
    devices: list[dict] | None = None
    conflicts: list[dict] | None = None
    leads: list[dict] | None = None
    notes: list[dict] | None = None
    pins: dict | None = None
    logos: list[dict] | None = None


class ReprintResponse(BaseModel):
    attendee_id: str
    issue: int
    code: str
    revoked_issue: int
    request_id: str | None
    server_time: str


def push_item_schemas(ref: str = "#/components/schemas/{model}") -> tuple[dict, dict]:
    """(the push item schema: one branch per kind with that kind's payload, the payload schemas by name).

    The server validates a payload only after the kind and scope checks, so the request model keeps
    `payload` a plain object; this is what the OpenAPI document shows devices instead."""
    components: dict = {}
    branches = []
    for kind, model in PAYLOADS.items():
        schema = model.model_json_schema(ref_template=ref)
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
        branches.append({"type": "object", "title": f"{kind} item", "required": ["id", "kind", "payload"],
                         "properties": {"id": {"type": "string", "minLength": 3, "maxLength": 200},
                                        "kind": {"const": kind, "type": "string"},
                                        "payload": {"$ref": ref.format(model=model.__name__)}}})
    return {"oneOf": branches, "title": "PushItem"}, components
