"""The signed badge format: what a badge's QR code says, and how a device trusts it offline.

Wire format: ``FK1:`` + Base45(payload + Ed25519 signature over payload).

Base45 (RFC 9285) only uses the 45 characters of the QR alphanumeric mode, which packs
5.5 bits per character instead of byte mode's 8: that is what lets a signature (64 bytes)
plus a name and organisation fit a version-7 QR code at error correction M (174
characters). The payload is::

    byte 0   format version (high nibble) | badge type index (low nibble)
    byte 1   key id
    byte 2   badge issue (bumped on reprint, so a lost badge can be revoked)
    rest     UTF-8 fields joined by 0x1F: event id, attendee id, name, name_zh, organisation

When name and organisation do not fit, the organisation is shortened first, then the
Chinese name, then the name; the ids never are. Private keys stay on the server: devices
only ever see `PublicKey` rows and verify with any valid one.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import base45
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.errors import BadInput
from kiosk.models import BADGE_TYPES, BadgeClaims, PublicKey

PREFIX = "FK1:"
VERSION = 1
SIG_LEN = 64
MAX_CODE_CHARS = 174  # QR version 7, error correction M, alphanumeric mode
_MAX_PAYLOAD = (MAX_CODE_CHARS - len(PREFIX)) // 3 * 2 + (1 if (MAX_CODE_CHARS - len(PREFIX)) % 3 == 2 else 0) - SIG_LEN
_SEP = b"\x1f"
_MAX_INPUT = 4096  # anything longer is not one of ours, whatever it says


class BadgeError(Exception):
    """Base of the documented errors; `code` is the verdict detail."""

    code = "badge_error"


class NotABadge(BadgeError):
    """Not our signed format at all: treat as a plain code."""

    code = "not_a_badge"


class MalformedBadge(BadgeError):
    """Has our prefix but cannot be parsed: a damaged or made-up badge."""

    code = "malformed"


class ForgedBadge(BadgeError):
    """Parses, but no valid key verifies the signature."""

    code = "forged"


class WrongEventBadge(BadgeError):
    """Genuine, but issued for another event."""

    code = "wrong_event"

    def __init__(self, claims: BadgeClaims):
        super().__init__(f"badge for event {claims.event_id}")
        self.claims = claims


@dataclass(frozen=True)
class SigningKey:
    """A private key with its id; lives only in the server's database."""

    key_id: int
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, key_id: int) -> "SigningKey":
        return cls(key_id, Ed25519PrivateKey.generate())

    @classmethod
    def from_base64(cls, key_id: int, raw: str) -> "SigningKey":
        return cls(key_id, Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw)))

    def private_base64(self) -> str:
        from cryptography.hazmat.primitives import serialization as s

        raw = self.private.private_bytes(s.Encoding.Raw, s.PrivateFormat.Raw, s.NoEncryption())
        return base64.b64encode(raw).decode()

    def public(self) -> PublicKey:
        from cryptography.hazmat.primitives import serialization as s

        raw = self.private.public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw)
        return PublicKey(self.key_id, base64.b64encode(raw).decode(), True)


def looks_signed(code: str) -> bool:
    """True when the code claims to be our format (it may still be forged)."""
    return code.startswith(PREFIX)


def _cut_utf8(text: str, max_bytes: int) -> bytes:
    """Shorten text to at most max_bytes of UTF-8 without splitting a character."""
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return raw
    return raw[: max(0, max_bytes)].decode("utf-8", "ignore").encode("utf-8")


def _payload(claims: BadgeClaims) -> bytes:
    if claims.badge_type not in BADGE_TYPES:
        raise BadInput(f"unknown badge type {claims.badge_type!r}")
    if not (0 <= claims.key_id < 256 and 0 <= claims.issue < 256):
        raise BadInput("key id and issue must fit one byte")
    head = bytes([(VERSION << 4) | BADGE_TYPES.index(claims.badge_type), claims.key_id, claims.issue])
    ids = [claims.event_id.encode(), claims.attendee_id.encode()]
    room = _MAX_PAYLOAD - len(head) - sum(map(len, ids)) - 4 * len(_SEP)
    if room < 4:
        raise BadInput("event and attendee ids are too long for a badge")
    name = _cut_utf8(claims.name, room)
    room -= len(name)
    name_zh = _cut_utf8(claims.name_zh, room)
    room -= len(name_zh)
    org = _cut_utf8(claims.organisation, room)
    return head + _SEP.join([*ids, name, name_zh, org])


def encode(claims: BadgeClaims, key: SigningKey) -> str:
    """Sign the claims with the given key and return the ASCII code to put in the QR."""
    claims = BadgeClaims(**{**claims.__dict__, "key_id": key.key_id})
    payload = _payload(claims)
    signature = key.private.sign(payload)
    return PREFIX + base45.b45encode(payload + signature).decode("ascii")


def _parse(payload: bytes) -> BadgeClaims:
    if len(payload) < 3:
        raise MalformedBadge("payload too short")
    version, type_index = payload[0] >> 4, payload[0] & 0x0F
    if version != VERSION or type_index >= len(BADGE_TYPES):
        raise MalformedBadge("unknown version or badge type")
    fields = payload[3:].split(_SEP)
    if len(fields) != 5:
        raise MalformedBadge("wrong number of fields")
    try:
        event_id, attendee_id, name, name_zh, org = (f.decode("utf-8") for f in fields)
    except UnicodeDecodeError as exc:
        raise MalformedBadge("fields are not UTF-8") from exc
    if not event_id or not attendee_id:
        raise MalformedBadge("missing ids")
    return BadgeClaims(
        event_id=event_id,
        attendee_id=attendee_id,
        badge_type=BADGE_TYPES[type_index],
        key_id=payload[1],
        name=name,
        name_zh=name_zh,
        organisation=org,
        issue=payload[2],
        version=version,
    )


def decode(code: str, keys: list[PublicKey] | tuple[PublicKey, ...], event_id: str) -> BadgeClaims:
    """Verify a code offline and return its claims.

    Raises only the documented errors: NotABadge, MalformedBadge, ForgedBadge,
    WrongEventBadge. Any valid key may verify (rotation keeps several valid at once).
    """
    if not isinstance(code, str) or not looks_signed(code):
        raise NotABadge("no FK1 prefix")
    if len(code) > _MAX_INPUT:
        raise MalformedBadge("too long")
    body = code[len(PREFIX):]
    try:
        raw = base45.b45decode(body)
    except Exception as exc:  # the library raises ValueError and friends on bad text
        raise MalformedBadge("not Base45") from exc
    if len(raw) <= SIG_LEN + 3:
        raise MalformedBadge("too short")
    payload, signature = raw[:-SIG_LEN], raw[-SIG_LEN:]
    claims = _parse(payload)
    if not _verifies(payload, signature, claims.key_id, keys):
        raise ForgedBadge("signature does not verify")
    if claims.event_id != event_id:
        raise WrongEventBadge(claims)
    return claims


def _verifies(payload: bytes, signature: bytes, key_id: int, keys) -> bool:
    candidates = [k for k in keys if k.valid and k.key_id == key_id]
    for key in candidates:
        try:
            Ed25519PublicKey.from_public_bytes(base64.b64decode(key.public_key)).verify(signature, payload)
            return True
        except (InvalidSignature, ValueError):
            continue
    return False
