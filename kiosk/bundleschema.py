"""Every record of a bundle checked against its schema before anything is written.

A bundle comes on a USB stick from anyone: a wrong type (`badge_issue: "abc"`), a NUL byte, a
key that is not 32 bytes or a hall plan that does not parse is refused at load, naming the row,
instead of a traceback later in `kiosk check`. Types are strict (no "1" for 1, no 1 for true).
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import fields, is_dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

from kiosk.errors import BadInput
from kiosk.hallmap import HallError, hall_from_dict
from kiosk.models import BADGE_TYPES, PublicKey

MAX_TEXT = 2000
MAX_HALL_CHARS = 4 * 1024 * 1024


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("holds a NUL character")
    return text


Text = Annotated[StrictStr, Field(max_length=MAX_TEXT), AfterValidator(_no_nul)]
Id = Annotated[StrictStr, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]


def _badge_type(text: str) -> str:
    if text not in BADGE_TYPES:
        raise ValueError(f"unknown badge type {text!r} (one of: {', '.join(BADGE_TYPES)})")
    return text


def _key32(text: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc
    if len(raw) != 32:
        raise ValueError("not a 32-byte Ed25519 public key")
    return text


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class AttendeeRecord(_Record):
    id: Id
    name: Annotated[StrictStr, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_no_nul)]
    name_zh: Text
    organisation: Text
    title: Text
    email: Text
    phone: Text
    badge_type: Annotated[StrictStr, AfterValidator(_badge_type)]
    consent: StrictBool
    code: Text
    attention: Text
    badge_issue: Annotated[StrictInt, Field(ge=1, le=255)]


class RevocationRecord(_Record):
    event_id: Id
    attendee_id: Id
    issue: Annotated[StrictInt, Field(ge=0, le=255)]
    reason: Annotated[Text, Field(max_length=200)] | None = None
    created_at: Annotated[Text, Field(max_length=64)] | None = None


class KeyRecord(_Record):
    key_id: Annotated[StrictInt, Field(ge=1, le=255)]
    public_key: Annotated[StrictStr, Field(max_length=100), AfterValidator(_key32)]
    valid: StrictBool


def _why(exc: ValidationError) -> str:
    e = exc.errors()[0]
    where = ".".join(str(x) for x in e.get("loc", ())) or "value"
    return f"{where}: {e.get('msg', 'invalid')}"


def attendee_rows(rows: object, names: list[str], where: str) -> list[AttendeeRecord]:
    if not isinstance(rows, list):
        raise BadInput(f"{where}: 'attendees' must be a list")
    out = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(names):
            raise BadInput(f"{where}: attendee row {i}: expected a list of {len(names)} fields")
        try:
            out.append(AttendeeRecord.model_validate(dict(zip(names, row))))
        except ValidationError as exc:
            raise BadInput(f"{where}: attendee row {i} ({str(row[0])[:40]!r}): {_why(exc)}") from None
    return out


def revocations(rows: object, event_id: str, where: str) -> list[dict]:
    if not isinstance(rows, list):
        raise BadInput(f"{where}: 'revocations' must be a list")
    out = []
    for i, row in enumerate(rows, start=1):
        try:
            rec = RevocationRecord.model_validate(row)
        except ValidationError as exc:
            raise BadInput(f"{where}: revocation {i}: {_why(exc)}") from None
        if rec.event_id != event_id:
            raise BadInput(f"{where}: revocation {i} is for event {rec.event_id}, the bundle's is {event_id}")
        out.append(rec.model_dump())
    return out


def public_keys(rows: object, where: str) -> list[PublicKey]:
    if not isinstance(rows, list):
        raise BadInput(f"{where}: 'public_keys' must be a list")
    out = []
    for i, row in enumerate(rows, start=1):
        try:
            rec = KeyRecord.model_validate(row)
        except ValidationError as exc:
            raise BadInput(f"{where}: public key {i}: {_why(exc)}") from None
        out.append(PublicKey(rec.key_id, rec.public_key, rec.valid))
    return out


def hall(text: object, where: str) -> str | None:
    """The hall plan (JSON text) must parse as a hall, or be absent."""
    if text in (None, ""):
        return None
    if not isinstance(text, str) or len(text) > MAX_HALL_CHARS:
        raise BadInput(f"{where}: 'hall' must be the hall plan's JSON text (at most {MAX_HALL_CHARS} characters)")
    try:
        hall_from_dict(json.loads(text))
    except (ValueError, HallError) as exc:
        raise BadInput(f"{where}: hall plan: {exc}") from None
    return text


def event_strings(data: object, where: str) -> None:
    """Every text field of the event structure is text without NUL (from_json takes what it is given)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif is_dataclass(item):
            for f in fields(item):
                value = getattr(item, f.name)
                if f.type in ("str", str) and not isinstance(value, str):
                    raise BadInput(f"{where}: event data: {type(item).__name__}.{f.name} must be text")
                if str(f.type).startswith("tuple[str") and not all(isinstance(v, str) for v in value):
                    raise BadInput(f"{where}: event data: {type(item).__name__}.{f.name} must be a list of text")
                if isinstance(value, str) and ("\x00" in value or len(value) > MAX_TEXT * 4):
                    raise BadInput(f"{where}: event data: {type(item).__name__}.{f.name} is not usable text")
                if isinstance(value, (list, tuple)) or is_dataclass(value):
                    stack.append(value)
