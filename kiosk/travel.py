"""What an organiser sets on the server and every kiosk needs besides the event structure:
exhibitor logos and PIN records, in the JSON shape shared by bundles and sync pages."""
from __future__ import annotations

import base64
import binascii

from kiosk.errors import BadInput
from kiosk.pin import apply_server_pins
from kiosk.store import Store

LOGO_TYPES = ("image/png", "image/jpeg")
MAX_LOGO_BYTES = 64 * 1024  # after the importer shrank it (sync/exhibitors.py); a page carries many


def logos_out(store: Store, exhibitor_ids: list[str] | None = None) -> list[dict]:
    """Logos as JSON: `data` is base64, or None for a logo that was removed."""
    held = store.logos.all()
    ids = sorted(held) if exhibitor_ids is None else exhibitor_ids
    return [{"exhibitor_id": ex, "mime": held[ex][0] if ex in held else None,
             "data": base64.b64encode(held[ex][1]).decode("ascii") if ex in held else None} for ex in ids]


def logos_in(store: Store, items: list[dict]) -> int:
    """Store logos received from the server (checked again: a kiosk trusts no size or type blindly)."""
    count = 0
    with store.transaction():
        for item in items:
            ex = str(item["exhibitor_id"])
            if item.get("data") is None:
                store.logos.delete(ex)
                count += 1
                continue
            if item.get("mime") not in LOGO_TYPES:
                raise BadInput(f"logo of {ex}: type {item.get('mime')!r} is not PNG or JPEG")
            try:
                data = base64.b64decode(item["data"], validate=True)
            except (binascii.Error, TypeError, ValueError) as exc:
                raise BadInput(f"logo of {ex}: not base64 ({exc})") from None
            if len(data) > MAX_LOGO_BYTES:
                raise BadInput(f"logo of {ex}: {len(data)} bytes, more than {MAX_LOGO_BYTES}")
            store.logos.save(ex, item["mime"], data)
            count += 1
    return count


def pins_in(store: Store, records: dict) -> list[str]:
    """The server's PIN records (bundle or sync); see kiosk.pin.apply_server_pins."""
    if not isinstance(records, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in records.items()):
        raise BadInput("PIN records must map scopes to records")
    return apply_server_pins(store, records)
