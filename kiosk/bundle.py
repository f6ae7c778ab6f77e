"""Event bundles: everything a kiosk needs in one file, for venues without a network.

A bundle is gzip-compressed JSON with the event structure, attendees, revocations and the
public keys only (private keys never leave the server), signed by the event's trust root
(kiosk/trust.py). Loading reads at most MAX_FILE_BYTES of file and MAX_JSON_BYTES of JSON
(a gzip bomb stops there), checks the signature against the root this kiosk pinned (or the
fingerprint given with --trust), validates every record (kiosk/bundleschema.py), and only then
writes it in one transaction: a bad or foreign bundle leaves the kiosk exactly as it was.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import uuid
import zlib
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

from kiosk import bundleschema, eventdata, travel, trust
from kiosk.errors import BadInput
from kiosk.models import Attendee
from kiosk.private import private_file
from kiosk.store import Store
from kiosk.trust import RootKey, TrustError

FORMAT = "forum-kiosk-bundle"
VERSION = 2
_ATTENDEE_FIELDS = [f.name for f in fields(Attendee)]
MAX_FILE_BYTES = 64 * 1024 * 1024  # compressed; 10,000 demo attendees make 370 kB
MAX_JSON_BYTES = 128 * 1024 * 1024  # after decompression; a gzip bomb stops here
MAX_RATIO = 40  # bundles compress about 4:1; a bomb 1000:1. JSON beyond 40x the file is refused early
_CHUNK = 1024 * 1024


class BundleError(BadInput):
    """The message names the file and what is wrong with it."""


def _canonical(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def export_bundle(store: Store, out: str | Path, root: RootKey, pins: dict[str, str] | None = None) -> dict:
    """Write the store's event, attendees, revocations, public keys and logos, and the server's PIN
    records (`pins`, scope -> scrypt record), signed by `root`; return a summary."""
    out = Path(out)
    data = eventdata.from_store(store)
    attendees = [[getattr(a, f) for f in _ATTENDEE_FIELDS] for a in store.snapshot.attendees()]
    created = datetime.now(timezone.utc).isoformat()
    body = {
        "issued_at": created,
        "event_data": data.to_json(),
        "attendee_fields": _ATTENDEE_FIELDS,
        "attendees": attendees,
        "revocations": store.snapshot.revocations(),
        "public_keys": [k.__dict__ for k in store.public_keys()],
        "hall": store.get_meta("hall"),
        "logos": travel.logos_out(store),
        "pins": pins or {},
        "hall_background": store.get_meta("hall_background"),  # base64 PNG named by hall.background
    }
    raw_body = _canonical(body)
    doc = {"format": FORMAT, "version": VERSION, "created_at": created, "root": root.public,
           "signature": root.sign(raw_body), "sha256": hashlib.sha256(raw_body).hexdigest(), "body": body}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with private_file(tmp) as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as fh:
        fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    tmp.replace(out)
    return {"file": str(out), "event": data.event.id, "attendees": len(attendees),
            "public_keys": len(body["public_keys"]), "bytes": out.stat().st_size, "root": root.fingerprint}


def _read_capped(path: Path) -> bytes:
    """The decompressed bytes, refusing a file or a content over the limits without holding more."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise BundleError(f"{path}: no such file") from exc
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc})") from exc
    if size > MAX_FILE_BYTES:
        raise BundleError(f"{path}: {size} bytes, larger than a bundle may be ({MAX_FILE_BYTES} bytes)")
    limit = min(MAX_JSON_BYTES, max(_CHUNK, size * MAX_RATIO))
    out = bytearray()
    try:
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise BundleError(f"{path}: unpacks to more than {limit // (1024 * 1024)} MB (at most "
                                      f"{MAX_RATIO} times its size, {MAX_JSON_BYTES // (1024 * 1024)} MB in all); "
                                      "not a bundle (or a hostile one)")
    except (OSError, EOFError, zlib.error) as exc:
        raise BundleError(f"{path}: not a readable bundle (damaged or not gzip JSON: {exc})") from exc
    return bytes(out)


def read_bundle(path: str | Path) -> tuple[dict, str]:
    """Parse a bundle and check its signature against the root it names; (body, root public key).

    Whether that root is the one to believe is the caller's question (load_bundle)."""
    path = Path(path)
    try:
        doc = json.loads(_read_capped(path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BundleError(f"{path}: not a readable bundle (damaged or not gzip JSON: {exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BundleError(f"{path}: not a Forum Kiosk bundle")
    if doc.get("version") == 1:
        raise BundleError(f"{path}: an unsigned bundle (version 1) from an older server; export it again")
    if doc.get("version") != VERSION:
        raise BundleError(f"{path}: bundle version {doc.get('version')} is not supported (expected {VERSION})")
    body = doc.get("body")
    if not isinstance(body, dict):
        raise BundleError(f"{path}: the bundle has no body")
    raw_body = _canonical(body)
    if hashlib.sha256(raw_body).hexdigest() != doc.get("sha256"):
        raise BundleError(f"{path}: checksum mismatch, the file was changed or damaged")
    root = doc.get("root")
    try:
        trust.verify(root if isinstance(root, str) else "", raw_body, doc.get("signature"))
    except TrustError as exc:
        raise BundleError(f"{path}: not signed by its event root: {exc}") from None
    return body, root


def _trusted_root(store: Store, root: str, trust_fingerprint: str | None, path: Path) -> None:
    """The bundle's root must be the pinned one, or the one the operator named with --trust."""
    pinned = trust.pinned_root(store)
    if trust_fingerprint and not trust.same_fingerprint(trust_fingerprint, trust.fingerprint(root)):
        raise BundleError(f"{path}: signed by another root than --trust {trust_fingerprint}; not loaded")
    if pinned and pinned != root:
        raise BundleError(f"{path}: signed by another event root than the one this kiosk trusts "
                          f"({trust.fingerprint(pinned)}); not loaded")
    if not pinned and not trust_fingerprint:
        raise BundleError(f"{path}: this kiosk trusts no event root yet: load it with --trust FINGERPRINT "
                          "(printed by kiosk-server export-bundle and on the enrolment sheet)")


def _checked(body: dict, path: Path) -> dict:
    """Every section validated; what load_bundle writes."""
    where = str(path)
    try:
        data = eventdata.from_json(body["event_data"], source=where)
    except KeyError as exc:
        raise BundleError(f"{path}: malformed bundle (no {exc})") from exc
    bundleschema.event_strings(data, where)
    names = body.get("attendee_fields")
    if names != _ATTENDEE_FIELDS:
        raise BundleError(f"{path}: attendee columns {names} do not match this version")
    attendees = [Attendee(**r.model_dump()) for r in bundleschema.attendee_rows(body.get("attendees"), names, where)]
    issued = body.get("issued_at")
    if not isinstance(issued, str) or len(issued) > 64:
        raise BundleError(f"{path}: malformed bundle (no issue time)")
    return {"data": data, "attendees": attendees, "issued_at": issued,
            "keys": bundleschema.public_keys(body.get("public_keys"), where),
            "revocations": bundleschema.revocations(body.get("revocations", []), data.event.id, where),
            "hall": bundleschema.hall(body.get("hall"), where)}


def load_bundle(path: str | Path, store: Store, trust_fingerprint: str | None = None) -> dict:
    """Set a kiosk database up from a bundle; role stays as enrolled, else `desk`.

    `trust_fingerprint` is needed the first time (nothing pinned yet) and must match if given."""
    path = Path(path)
    body, root = read_bundle(path)
    _trusted_root(store, root, trust_fingerprint, path)
    try:
        checked = _checked(body, path)
    except BundleError:
        raise
    except BadInput as exc:
        raise BundleError(str(exc)) from None
    data, attendees, keys, revocations = checked["data"], checked["attendees"], checked["keys"], checked["revocations"]
    current = store.get_meta("event_id")
    if current and current != data.event.id:
        raise BundleError(f"{path}: bundle is for event {data.event.id}, this kiosk holds {current}")
    last = store.get_meta("bundle_issued_at")
    if last and checked["issued_at"] < last:
        raise BundleError(f"{path}: older than the bundle this kiosk already loaded ({last}); not loaded")
    with store.transaction():
        trust.pin_root(store, root, "bundle")
        eventdata.save_to_store(store, data)
        store.save_public_keys(keys)
        store.save_revocations(revocations)
        store.upsert_attendees(attendees, data.event.id)
        if checked["hall"]:
            store.set_meta("hall", checked["hall"])
        if body.get("hall_background"):
            store.set_meta("hall_background", body["hall_background"])
        store.set_meta("event_id", data.event.id)
        if not store.get_meta("role"):
            store.set_meta("role", "desk")
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
        store.set_meta("bundle_issued_at", checked["issued_at"])
    return {"event": data.event.id, "attendees": len(attendees), "public_keys": len(keys),
            "revocations": len(revocations), "role": store.get_meta("role"), "device": store.get_meta("device_id"),
            "root": trust.fingerprint(root)}
