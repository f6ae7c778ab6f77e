"""Event bundles: everything a kiosk needs in one file, for venues without a network.

A bundle is gzip-compressed JSON with the event structure, attendees, revocations and the
public keys only (private keys never leave the server). Loading validates the whole file
before touching the database, then writes it in one transaction: a bad bundle leaves the
kiosk exactly as it was.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import uuid
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

from kiosk import eventdata, roles, travel
from kiosk.errors import BadInput
from kiosk.models import Attendee, PublicKey
from kiosk.store import Store

FORMAT = "forum-kiosk-bundle"
VERSION = 1
_ATTENDEE_FIELDS = [f.name for f in fields(Attendee)]


class BundleError(BadInput):
    """The message names the file and what is wrong with it."""


def _for_role(attendee: Attendee, withheld: tuple[str, ...]) -> list:
    return [(False if f == "consent" else "") if f in withheld else getattr(attendee, f) for f in _ATTENDEE_FIELDS]


def _pins_for_role(pins: dict[str, str], role: str | None) -> dict[str, str]:
    """The PIN records a device of `role` may hold, as the pull feed sends them (None: all of them)."""
    if role is None:
        return pins
    if role == "exhibitor":
        return {k: v for k, v in pins.items() if k.startswith("ex:") or k == "role:exhibitor"}
    return {k: v for k, v in pins.items() if not k.startswith("ex:")}


def export_bundle(store: Store, out: str | Path, pins: dict[str, str] | None = None, role: str | None = None) -> dict:
    """Write the store's event, attendees, revocations, public keys and logos, and the server's PIN
    records (`pins`, scope -> scrypt record); return a summary. With `role`, only what a device of
    that role may hold (kiosk.roles): no attendees for exhibitors, no contact columns for attendee kiosks."""
    out = Path(out)
    data = eventdata.from_store(store)
    if role is not None and role not in roles.ROLES:
        raise BadInput(f"no role {role!r} (one of {', '.join(roles.ROLES)})")
    withheld = roles.withheld_fields(role) if role else ()
    people = store.snapshot.attendees() if role is None or roles.holds_attendees(role) else []
    attendees = [_for_role(a, withheld) for a in people]
    body = {
        "event_data": data.to_json(),
        "attendee_fields": _ATTENDEE_FIELDS,
        "attendees": attendees,
        "revocations": store.snapshot.revocations(),
        "public_keys": [k.__dict__ for k in store.public_keys()],
        "hall": store.get_meta("hall"),
        "logos": travel.logos_out(store),
        "pins": _pins_for_role(pins or {}, role),
    }
    if role is not None:
        body["role"] = role
    raw_body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    doc = {"format": FORMAT, "version": VERSION, "created_at": datetime.now(timezone.utc).isoformat(),
           "sha256": hashlib.sha256(raw_body).hexdigest(), "body": body}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with gzip.open(tmp, "wb", compresslevel=6) as fh:
        fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    tmp.replace(out)
    return {"file": str(out), "event": data.event.id, "role": role or "all", "attendees": len(attendees),
            "public_keys": len(body["public_keys"]), "bytes": out.stat().st_size}


def read_bundle(path: str | Path) -> dict:
    """Parse and check a bundle file completely; raise BundleError naming the problem."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as fh:
            doc = json.loads(fh.read().decode("utf-8"))
    except FileNotFoundError as exc:
        raise BundleError(f"{path}: no such file") from exc
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise BundleError(f"{path}: not a readable bundle (damaged or not gzip JSON: {exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BundleError(f"{path}: not a Forum Kiosk bundle")
    if doc.get("version") != VERSION:
        raise BundleError(f"{path}: bundle version {doc.get('version')} is not supported (expected {VERSION})")
    body = doc.get("body")
    raw_body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if hashlib.sha256(raw_body).hexdigest() != doc.get("sha256"):
        raise BundleError(f"{path}: checksum mismatch, the file was changed or damaged")
    return body


def _attendees_from(body: dict, path: Path) -> list[Attendee]:
    names = body.get("attendee_fields")
    if names != _ATTENDEE_FIELDS:
        raise BundleError(f"{path}: attendee columns {names} do not match this version")
    out = []
    for i, row in enumerate(body.get("attendees", []), start=1):
        if not isinstance(row, list) or len(row) != len(names):
            raise BundleError(f"{path}: attendee row {i}: expected {len(names)} fields")
        a = Attendee(**dict(zip(names, row)))
        if not a.id or not a.name:
            raise BundleError(f"{path}: attendee row {i}: id and name are required")
        out.append(a)
    return out


def load_bundle(path: str | Path, store: Store) -> dict:
    """Set a kiosk database up from a bundle; role stays as enrolled, else `desk`."""
    path = Path(path)
    body = read_bundle(path)
    try:
        data = eventdata.from_json(body["event_data"], source=str(path))
        keys = [PublicKey(int(k["key_id"]), str(k["public_key"]), bool(k["valid"])) for k in body["public_keys"]]
        revocations = list(body.get("revocations", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"{path}: malformed bundle ({exc})") from exc
    attendees = _attendees_from(body, path)
    current = store.get_meta("event_id")
    if current and current != data.event.id:
        raise BundleError(f"{path}: bundle is for event {data.event.id}, this kiosk holds {current}")
    with store.transaction():
        eventdata.save_to_store(store, data)
        store.save_public_keys(keys)
        store.save_revocations(revocations)
        store.upsert_attendees(attendees, data.event.id)
        if body.get("hall"):
            store.set_meta("hall", body["hall"])
        store.set_meta("event_id", data.event.id)
        if not store.get_meta("role"):
            store.set_meta("role", body.get("role") if body.get("role") in roles.ROLES else "desk")
        try:
            travel.logos_in(store, body.get("logos") or [])
            travel.pins_in(store, body.get("pins") or {})
        except (KeyError, TypeError) as exc:
            raise BundleError(f"{path}: malformed logos or PINs ({exc})") from exc
        except BadInput as exc:
            raise BundleError(f"{path}: {exc}") from exc
        if not store.get_meta("device_id"):
            store.set_meta("device_id", f"kiosk-{uuid.uuid4().hex[:8]}")
        store.set_meta("bundle_loaded_at", datetime.now(timezone.utc).isoformat())
    store.purge_for_role(store.get_meta("role"))  # a full bundle on a narrower device keeps only its part
    return {"event": data.event.id, "attendees": len(attendees), "public_keys": len(keys),
            "revocations": len(revocations), "role": store.get_meta("role"), "device": store.get_meta("device_id")}
