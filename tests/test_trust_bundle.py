"""A USB stick is not trusted: bundles are signed by the event root the kiosk pinned (issue 14).

Each attack is made the way an attacker would: open the genuine bundle, change the body,
recompute the checksum (anyone can), and either keep the old signature or sign with a root
of their own. Every one is refused and the kiosk database stays as it was.
"""
from __future__ import annotations

import base64
import gzip
import json
import stat
import tracemalloc
from pathlib import Path

import pytest

from kiosk import badges
from kiosk.bundle import BundleError, _canonical, export_bundle, load_bundle
from kiosk.checkin import DeviceContext, check
from kiosk.store import Store
from kiosk.trust import RootKey, fingerprint
from sync.serverdb import ServerDB
from tests.helpers_sync import seeded_server_db


@pytest.fixture(scope="module")
def venue(tmp_path_factory):
    d = tmp_path_factory.mktemp("venue")
    seeded_server_db(d / "server.db", 60)
    db = ServerDB(d / "server.db")
    try:
        summary = export_bundle(db.store, d / "event.bundle", db.trust_root())
        genuine_code = db.badge_code(db.store.attendee("A000005"))
    finally:
        db.close()
    return {"dir": d, "root": summary["root"], "code": genuine_code}


def _doc(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


def _write(doc: dict, out: Path, resign: RootKey | None = None) -> Path:
    """The attacker's bundle: checksum recomputed; signature kept, or made with their own root."""
    raw = _canonical(doc["body"])
    import hashlib

    doc["sha256"] = hashlib.sha256(raw).hexdigest()
    if resign is not None:
        doc["root"], doc["signature"] = resign.public, resign.sign(raw)
    out.write_bytes(gzip.compress(json.dumps(doc, ensure_ascii=False).encode()))
    return out


def _attacker_key(key_id: int) -> tuple[badges.SigningKey, dict]:
    key = badges.SigningKey.generate(key_id)
    return key, {"key_id": key_id, "public_key": key.public().public_key, "valid": True}


def _forged_vip(key: badges.SigningKey) -> str:
    from kiosk.models import BadgeClaims

    claims = BadgeClaims(event_id="LSF2023", attendee_id="X999999", badge_type="vip", key_id=0, name="Mallory")
    return badges.encode(claims, key)


def _tamper_added_key(body: dict) -> None:
    body["public_keys"].append(_attacker_key(77)[1])


def _tamper_replaced_key(body: dict) -> None:
    body["public_keys"][0]["public_key"] = _attacker_key(1)[1]["public_key"]


def _tamper_renamed(body: dict) -> None:
    body["attendees"][0][1] = "Mallory Renamed"


def _tamper_dropped_revocation(body: dict) -> None:
    body["revocations"] = []


TAMPERS = {"added key": _tamper_added_key, "replaced key": _tamper_replaced_key,
           "renamed attendee": _tamper_renamed, "dropped revocation": _tamper_dropped_revocation}


@pytest.mark.parametrize("attack", sorted(TAMPERS))
def test_a_changed_bundle_with_a_recomputed_checksum_is_refused(venue, tmp_path, attack):
    doc = _doc(venue["dir"] / "event.bundle")
    TAMPERS[attack](doc["body"])
    bad = _write(doc, tmp_path / "bad.bundle")
    store = Store(tmp_path / "k.db")
    with pytest.raises(BundleError, match="not signed by its event root"):
        load_bundle(bad, store, venue["root"])
    assert store.event() is None and store.attendee_count() == 0
    store.close()


@pytest.mark.parametrize("attack", sorted(TAMPERS))
def test_a_bundle_re_signed_by_another_root_is_refused_by_a_kiosk_that_pinned_the_event(venue, tmp_path, attack):
    store = Store(tmp_path / "k.db")
    load_bundle(venue["dir"] / "event.bundle", store, venue["root"])
    before = (store.public_keys(), store.attendee("A000001"), store.snapshot.revocations())
    doc = _doc(venue["dir"] / "event.bundle")
    TAMPERS[attack](doc["body"])
    doc["body"]["issued_at"] = "2099-01-01T00:00:00+00:00"
    bad = _write(doc, tmp_path / "bad.bundle", resign=RootKey.generate())
    with pytest.raises(BundleError, match="another event root"):
        load_bundle(bad, store)
    with pytest.raises(BundleError, match="another root than --trust"):  # naming the genuine root does not help
        load_bundle(bad, store, venue["root"])
    assert (store.public_keys(), store.attendee("A000001"), store.snapshot.revocations()) == before
    store.close()


def test_the_forged_vip_badge_of_an_added_key_stays_forged(venue, tmp_path):
    """The attack of the issue: a badge signed with a planted key must not check in."""
    key, record = _attacker_key(77)
    doc = _doc(venue["dir"] / "event.bundle")
    doc["body"]["public_keys"].append(record)
    store = Store(tmp_path / "k.db")
    load_bundle(venue["dir"] / "event.bundle", store, venue["root"])
    with pytest.raises(BundleError):
        load_bundle(_write(doc, tmp_path / "bad.bundle"), store)
    verdict = check(store, _forged_vip(key), DeviceContext.from_store(store))
    assert verdict.status.value == "forged"
    assert check(store, venue["code"], DeviceContext.from_store(store)).status.value == "ok"
    store.close()


def test_a_first_bundle_needs_the_fingerprint_and_a_wrong_one_is_refused(venue, tmp_path):
    store = Store(tmp_path / "k.db")
    with pytest.raises(BundleError, match="--trust FINGERPRINT"):
        load_bundle(venue["dir"] / "event.bundle", store)
    with pytest.raises(BundleError, match="another root than --trust"):
        load_bundle(venue["dir"] / "event.bundle", store, fingerprint(RootKey.generate().public))
    assert store.event() is None
    summary = load_bundle(venue["dir"] / "event.bundle", store, venue["root"].lower().replace("-", " "))
    assert summary["root"] == venue["root"] and summary["attendees"] == 60
    store.close()


def test_a_genuine_but_older_bundle_does_not_roll_the_kiosk_back(venue, tmp_path):
    store = Store(tmp_path / "k.db")
    load_bundle(venue["dir"] / "event.bundle", store, venue["root"])
    db = ServerDB(venue["dir"] / "server.db")
    try:
        export_bundle(db.store, tmp_path / "newer.bundle", db.trust_root())
    finally:
        db.close()
    load_bundle(tmp_path / "newer.bundle", store)
    with pytest.raises(BundleError, match="older than the bundle"):
        load_bundle(venue["dir"] / "event.bundle", store)
    store.close()


def test_an_unsigned_version_1_bundle_is_refused(venue, tmp_path):
    doc = _doc(venue["dir"] / "event.bundle")
    doc["version"] = 1
    doc.pop("signature")
    store = Store(tmp_path / "k.db")
    with pytest.raises(BundleError, match="unsigned"):
        load_bundle(_write(doc, tmp_path / "old.bundle"), store, venue["root"])
    store.close()


# -- hostile contents --------------------------------------------------------------------------------
def test_a_gzip_bomb_is_refused_without_taking_gigabytes(tmp_path):
    """1 MB on the stick, a gigabyte unpacked: reading stops at the limit."""
    member = gzip.compress(b"0" * (1024 * 1024), compresslevel=9)
    head = gzip.compress(b'{"format":"forum-kiosk-bundle","version":2,"body":"')
    bomb = tmp_path / "bomb.bundle"
    bomb.write_bytes(head + member * (1024 * 1024 // len(member)))
    assert bomb.stat().st_size <= 1.1 * 1024 * 1024
    store = Store(tmp_path / "k.db")
    tracemalloc.start()
    try:
        with pytest.raises(BundleError, match="unpacks to more than"):
            load_bundle(bomb, store, "AAAA")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert store.event() is None
    store.close()


def _signed_variant(venue, tmp_path, change) -> Path:
    """A bundle the genuine root signed, with a malformed record in it (a server bug or a stolen root
    must still not crash a kiosk)."""
    doc = _doc(venue["dir"] / "event.bundle")
    change(doc["body"])
    db = ServerDB(venue["dir"] / "server.db")
    try:
        return _write(doc, tmp_path / "odd.bundle", resign=db.trust_root())
    finally:
        db.close()


MALFORMED = {
    "badge_issue text": (lambda b: b["attendees"][0].__setitem__(11, "abc"), "attendee row 1.*badge_issue"),
    "consent text": (lambda b: b["attendees"][2].__setitem__(8, "yes"), "attendee row 3.*consent"),
    "NUL in a name": (lambda b: b["attendees"][1].__setitem__(1, "Ann\x00"), "attendee row 2.*NUL"),
    "unknown badge type": (lambda b: b["attendees"][0].__setitem__(7, "god"), "unknown badge type"),
    "short row": (lambda b: b["attendees"][4].pop(), "attendee row 5"),
    "key of 5 bytes": (lambda b: b["public_keys"][0].__setitem__("public_key", base64.b64encode(b"12345").decode()),
                       "public key 1.*32-byte"),
    "key id text": (lambda b: b["public_keys"][0].__setitem__("key_id", "1"), "public key 1.*key_id"),
    "revocation issue text": (lambda b: b["revocations"][0].__setitem__("issue", "x"), "revocation 1.*issue"),
    "hall garbage": (lambda b: b.__setitem__("hall", "{\"booths\": 5}"), "hall plan"),
    "event id a number": (lambda b: b["event_data"]["event"].__setitem__("id", 5), "Event.id must be text"),
    "attendees not a list": (lambda b: b.__setitem__("attendees", {"a": 1}), "must be a list"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_records_are_refused_at_load_naming_the_record(venue, tmp_path, case):
    change, message = MALFORMED[case]
    store = Store(tmp_path / "k.db")
    with pytest.raises(BundleError, match=message):
        load_bundle(_signed_variant(venue, tmp_path, change), store, venue["root"])
    assert store.event() is None and store.attendee_count() == 0
    store.close()


def test_the_bundle_file_is_owner_only(venue):
    assert stat.S_IMODE((venue["dir"] / "event.bundle").stat().st_mode) == 0o600
