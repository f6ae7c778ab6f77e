"""The event's trust root: one Ed25519 key per event that signs what a device may believe.

The server holds the private half (in its database, with its backup). A device pins the public
half once: at enrolment (the setup code carries its fingerprint), at USB set-up
(`kiosk load-bundle FILE --trust FINGERPRINT`), or, for a device enrolled before roots existed,
at its next sync over its existing token. From then on a bundle or a pulled page is believed
only if this root signed it: a USB stick or a rogue server cannot add a badge key, drop a
revocation or rename an attendee (docs/security.md).

The fingerprint people compare is 120 bits of SHA-256 of the raw public key, in base32 groups:
`ABCD-EFGH-IJKL-MNOP-QRST-UVWX`, short enough to read aloud, far beyond the 80 bits a
collision search would need to be cheap.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.errors import BadInput
from kiosk.store import Store

FINGERPRINT_BYTES = 15  # 120 bits, 24 base32 characters
_META_ROOT = "trust_root"
_META_HOW = "trust_root_from"


class TrustError(BadInput):
    """A signature or root that does not check out; the message says which."""


class RootKey:
    """The private half, on the server only."""

    def __init__(self, private: Ed25519PrivateKey):
        self._key = private

    @classmethod
    def generate(cls) -> "RootKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_base64(cls, text: str) -> "RootKey":
        return cls(Ed25519PrivateKey.from_private_bytes(base64.b64decode(text)))

    def private_base64(self) -> str:
        raw = self._key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
        return base64.b64encode(raw).decode("ascii")

    @property
    def public(self) -> str:
        raw = self._key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self._key.sign(data)).decode("ascii")


def _raw_public(public: str) -> bytes:
    try:
        raw = base64.b64decode(public, validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise TrustError("the signing root is not a base64 public key") from exc
    if len(raw) != 32:
        raise TrustError("the signing root is not a 32-byte Ed25519 public key")
    return raw


def fingerprint(public: str) -> str:
    """What people compare: `ABCD-EFGH-IJKL-MNOP-QRST-UVWX` (120 bits of SHA-256)."""
    digest = hashlib.sha256(_raw_public(public)).digest()[:FINGERPRINT_BYTES]
    text = base64.b32encode(digest).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def normalise(text: str) -> str:
    """A fingerprint as typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def same_fingerprint(a: str, b: str) -> bool:
    return bool(normalise(a)) and normalise(a) == normalise(b)


def verify(public: str, data: bytes, signature: str) -> None:
    """Raise TrustError unless `signature` is this root's over exactly `data`."""
    try:
        sig = base64.b64decode(signature or "", validate=True)
        Ed25519PublicKey.from_public_bytes(_raw_public(public)).verify(sig, data)
    except (InvalidSignature, binascii.Error, ValueError, TypeError) as exc:
        raise TrustError("the signature does not match (changed after signing, or signed by someone else)") \
            from exc


def pinned_root(store: Store) -> str | None:
    """The root this device believes, or None before it learned one."""
    return store.get_meta(_META_ROOT)


def pin_root(store: Store, public: str, how: str) -> None:
    """Remember the root (`how`: enrolment, bundle, sync); refuses to replace a different one."""
    _raw_public(public)
    current = pinned_root(store)
    if current and current != public:
        raise TrustError(f"this kiosk trusts root {fingerprint(current)}, not {fingerprint(public)}")
    if current != public:
        with store.transaction():
            store.set_meta(_META_ROOT, public)
            store.set_meta(_META_HOW, how)
