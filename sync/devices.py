"""Devices of the central server: registration, the one-time setup code, long-lived tokens.

Tokens are random (256 bits), so a plain SHA-256 is enough to store them: a stolen server
database does not reveal a usable token, and checking one costs microseconds per request
(a password hash like argon2 would add ~50 ms to every scan).
"""
from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.models import ROLES
from kiosk.private import claim
from sync.protocol import parse_health
from sync.serverdb import ServerDB
from sync.serverdb.devices import DeviceRow

SETUP_VALID_DAYS = 7
DEFAULT_URL = "https://127.0.0.1:8765"


class DeviceError(KioskError):
    """An operator or device mistake; the message says which."""


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    role: str
    exhibitor_id: str | None
    revoked: bool = False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def register(db: ServerDB, role: str, name: str, exhibitor_id: str | None = None,
             device_id: str | None = None) -> tuple[Device, str]:
    """Create a device and return it with its one-time setup token (shown once, stored hashed).

    With `device_id` (the demo, whose kiosk already holds its id) the device is registered under
    that id, or registered again if the id is known: its records stay its own, its old token stops."""
    if role not in ROLES:
        raise DeviceError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    name = (name or "").strip()
    if not name:
        raise DeviceError("a device needs a name, e.g. 'Desk 2'")
    if role == "exhibitor":
        if not exhibitor_id:
            raise DeviceError("an exhibitor device needs --exhibitor ID")
        if db.store.exhibitor(exhibitor_id) is None:
            raise DeviceError(f"no exhibitor {exhibitor_id!r} (see kiosk-server exhibitors)")
    elif exhibitor_id:
        raise DeviceError("--exhibitor is only for role exhibitor")
    token = secrets.token_urlsafe(24)
    device = Device(device_id or f"dev-{uuid.uuid4().hex[:10]}", name, role, exhibitor_id)
    add = db.devices.register_again if device_id else db.devices.add
    with db.write():
        add(device.id, name, role, exhibitor_id, setup_hash=hash_token(token), created_at=_now().isoformat(),
            setup_expires=(_now() + timedelta(days=SETUP_VALID_DAYS)).isoformat())
    return device, token


def _device(row: DeviceRow) -> Device:
    return Device(row.id, row.name, row.role, row.exhibitor_id, row.revoked)


def exchange(db: ServerDB, setup_token: str) -> tuple[Device, str]:
    """Trade a one-time setup token for a long-lived device token; the setup token dies."""
    with db.write():
        row = db.devices.by_setup_hash(hash_token(setup_token))
        if row is None or row.revoked:
            raise DeviceError("unknown or already used setup code")
        if row.setup_expires and datetime.fromisoformat(row.setup_expires) < _now():
            raise DeviceError("this setup code has expired; enrol the device again")
        token = secrets.token_urlsafe(32)
        db.devices.enrol(row.id, hash_token(token), _now().isoformat())
    return _device(row), token


def authenticate(db: ServerDB, token: str) -> Device | None:
    """The device holding this token, or None if unknown or revoked."""
    if not token or len(token) > 200:
        return None
    row = db.devices.by_token_hash(hash_token(token))
    if row is None or row.revoked:
        return None
    return _device(row)


def revoke(db: ServerDB, device_id: str) -> None:
    """The device's token stops working at once; its records already uploaded stay."""
    with db.write():
        found = db.devices.revoke(device_id)
    if not found:
        raise DeviceError(f"no device {device_id!r}")


def report_health(db: ServerDB, device_id: str, header: str | None, at: str) -> None:
    """Keep what the device says of its health (the X-Kiosk-Health header), when it says anything."""
    health = parse_health(header)
    if health:
        with db.write():
            db.devices.set_health(device_id, json.dumps(health, sort_keys=True), at)


def health_of(db: ServerDB) -> dict[str, dict]:
    """device id -> its last health report with the time ("at"), for `kiosk-server devices`."""
    return {d: {**json.loads(h), "at": at} for d, (h, at) in db.devices.health().items()}


def list_devices(db: ServerDB) -> list[Device]:
    return [_device(r) for r in db.devices.all()]


def setup_qr(code: str, out: str | Path, caption: tuple[str, ...] = ()) -> Path:
    """The setup code as a QR image, for a kiosk's camera or a phone, with caption lines under it
    (the device, and the event root's fingerprint staff compare for a USB set-up)."""
    import io

    import segno
    from PIL import Image, ImageDraw

    from kiosk.badgeprint import font

    buf = io.BytesIO()
    segno.make(code, error="m").save(buf, kind="png", scale=8, border=4)
    qr = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    line_h = 30
    sheet = Image.new("L", (max(qr.width, 560), qr.height + line_h * len(caption) + (12 if caption else 0)), 255)
    sheet.paste(qr, ((sheet.width - qr.width) // 2, 0))
    draw = ImageDraw.Draw(sheet)
    for i, line in enumerate(caption):
        draw.text((16, qr.height + i * line_h), line, fill=0, font=font(22))
    out = claim(out)  # the setup code is a credential until it is used: owner-only
    sheet.save(out, "PNG")
    return out

