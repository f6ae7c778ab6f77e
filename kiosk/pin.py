"""PINs (the staff PIN, and an exhibitor PIN on lead-capture devices): hashed with scrypt,
with a growing lockout after failed tries.

Each PIN has a `scope` ("staff" by default, "exhibitor" for the exhibitor's own staff); a
scope has its own hash, failure count and lockout, so a locked exhibitor pad does not lock
the staff settings, and neither PIN opens the other's screen.

Everything lives in the store's meta table, so neither the hash nor the lockout can be
reset by restarting the kiosk. A few tries are free (a fat finger on a touch screen);
after that each failure locks the pad for twice as long as the one before.

The lockout counts down on the monotonic clock, never the wall clock: setting the kiosk's
clock forward does not end it. What is stored is the monotonic deadline with the boot it
belongs to, and the seconds left when it was last looked at; after a reboot (a new monotonic
clock) the lock resumes with those seconds left.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from kiosk.errors import BadInput
from kiosk.store import Store

DEMO_PIN = "1234"
FREE_TRIES = 3
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
_N, _R, _P = 2**14, 8, 1  # about 16 MB and tens of milliseconds per try


@dataclass(frozen=True)
class PinResult:
    ok: bool
    wait_seconds: float = 0.0  # > 0: locked, try again after this long
    failures: int = 0
    reason: str = ""  # "" | "wrong" | "locked" | "no_pin" | "malformed"


SCOPES = ("staff", "exhibitor")


def _keys(scope: str) -> tuple[str, str, str]:
    """Meta keys (hash, failures, locked-until); the staff PIN keeps its original names."""
    if scope not in SCOPES:
        raise BadInput(f"unknown PIN scope {scope!r}")
    prefix = "" if scope == "staff" else f"{scope}_"
    return f"{prefix}pin_hash", f"{prefix}pin_failures", f"{prefix}pin_locked_until"


def _hash(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and 4 <= len(pin) <= 12


def hash_record(pin: str) -> str:
    """The stored form of a PIN (scrypt with a fresh salt, as JSON): what travels, never the digits."""
    salt = secrets.token_bytes(16)
    return json.dumps({"alg": "scrypt", "n": _N, "r": _R, "p": _P, "salt": salt.hex(),
                       "hash": _hash(pin, salt, _N, _R, _P).hex()})


def set_pin(store: Store, pin: str, scope: str = "staff") -> None:
    """Store a new PIN (4 to 12 digits) and clear any lockout."""
    if not valid_pin(pin):
        raise BadInput("a PIN is 4 to 12 digits")
    adopt_record(store, hash_record(pin), scope)


def adopt_record(store: Store, record: str, scope: str = "staff") -> None:
    """Take a PIN record made elsewhere (the server's `set-pin`) as this device's PIN; clears any lockout."""
    rec = json.loads(record)
    if rec.get("alg") != "scrypt" or not {"n", "r", "p", "salt", "hash"} <= set(rec):
        raise BadInput("not a PIN record")
    k_hash, k_fail, k_until = _keys(scope)
    with store.transaction():
        store.set_meta(k_hash, record)
        store.set_meta(k_fail, "0")
        store.set_meta(k_until, "0")


# -- PINs set on the server (kiosk-server set-pin): scope "role:<role>" or "ex:<exhibitor id>" -----
SERVER_PIN_DIGITS = 6  # its hash reaches public kiosks: fewer digits would be guessed offline


def apply_server_pins(store: Store, records: dict[str, str]) -> list[str]:
    """Remember the server's PIN records and adopt the ones for this device's role and exhibitor.

    A record is adopted when it differs from the one last adopted, so a PIN set on the device
    (`kiosk set-pin`, the settings screen) stays until the server's PIN for it changes again.
    Returns the local scopes that changed."""
    with store.transaction():
        known = json.loads(store.get_meta("server_pins") or "{}")
        known.update(records)
        store.set_meta("server_pins", json.dumps(known, sort_keys=True))
        role, exhibitor = store.get_meta("role") or "desk", store.get_meta("exhibitor_id")
        wanted = {"staff": known.get(f"role:{role}"),
                  "exhibitor": known.get(f"ex:{exhibitor}") if role == "exhibitor" and exhibitor else None}
        changed = []
        for scope, record in wanted.items():
            adopted_key = f"{_keys(scope)[0]}_from_server"
            if record and record != store.get_meta(adopted_key):
                adopt_record(store, record, scope)
                store.set_meta(adopted_key, record)
                changed.append(scope)
    return changed


def has_pin(store: Store, scope: str = "staff") -> bool:
    return bool(store.get_meta(_keys(scope)[0]))


def ensure_pin(store: Store, default: str = DEMO_PIN, scope: str = "staff") -> None:
    """Set the demo PIN unless a PIN already exists."""
    if not has_pin(store, scope):
        set_pin(store, default, scope)


def lock_seconds(failures: int) -> float:
    """How long the pad locks after this many consecutive failures: 0, 0, 0, 30, 60, 120 ..."""
    if failures <= FREE_TRIES:
        return 0.0
    return float(min(FIRST_LOCK_SECONDS * 2 ** (failures - FREE_TRIES - 1), MAX_LOCK_SECONDS))


def _boot_id() -> str:
    """Which run of the monotonic clock this is (it restarts with the machine)."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:  # elsewhere: the boot time, to the minute
        return str(round((time.time() - time.monotonic()) / 60))


def _lock_record(seconds: float, now: float) -> str:
    if seconds <= 0:
        return "0"
    return json.dumps({"until": now + seconds, "left": seconds, "boot": _boot_id()})


def remaining_lock(store: Store, now: float | None = None, scope: str = "staff") -> float:
    """Seconds the pad stays locked; `now` is a monotonic reading (tests pass their own)."""
    now = time.monotonic() if now is None else now
    raw = store.get_meta(_keys(scope)[2]) or "0"
    try:
        rec = json.loads(raw)
    except ValueError:
        return 0.0
    if isinstance(rec, (int, float)):  # a wall-clock deadline from before: what was left of it
        return min(max(0.0, float(rec) - time.time()), float(MAX_LOCK_SECONDS))
    try:
        until, left, boot = float(rec["until"]), float(rec["left"]), str(rec["boot"])
    except (KeyError, TypeError, ValueError):
        return float(MAX_LOCK_SECONDS)  # a damaged record locks rather than frees
    if boot == _boot_id():
        return max(0.0, min(until - now, left))
    return max(0.0, left)  # rebooted: the lock did not count down while the kiosk was off


def verify(store: Store, pin: str, now: float | None = None, scope: str = "staff") -> PinResult:
    """Check a PIN; count failures and lock the pad once the free tries are used up."""
    now = time.monotonic() if now is None else now
    k_hash, k_fail, k_until = _keys(scope)
    failures = int(store.get_meta(k_fail) or 0)
    wait = remaining_lock(store, now, scope)
    if wait > 0:
        store.set_meta(k_until, _lock_record(wait, now))  # re-anchored: after a reboot it resumes from here
        return PinResult(False, wait, failures, "locked")
    raw = store.get_meta(k_hash)
    if not raw:
        return PinResult(False, 0.0, failures, "no_pin")
    try:
        rec = json.loads(raw)
        expected = bytes.fromhex(rec["hash"])
        got = _hash(pin, bytes.fromhex(rec["salt"]), int(rec["n"]), int(rec["r"]), int(rec["p"]))
    except (ValueError, KeyError, TypeError):
        return PinResult(False, 0.0, failures, "malformed")
    if hmac.compare_digest(expected, got):
        with store.transaction():
            store.set_meta(k_fail, "0")
            store.set_meta(k_until, "0")
        return PinResult(True, 0.0, 0)
    failures += 1
    lock = lock_seconds(failures)
    with store.transaction():
        store.set_meta(k_fail, str(failures))
        store.set_meta(k_until, _lock_record(lock, now))
    return PinResult(False, lock, failures, "wrong")


def change_pin(store: Store, old: str | None, new: str, repeat: str, scope: str = "staff",
               now: float | None = None) -> PinResult:
    """Replace a PIN after checking the new one twice and, unless old is None, the current one.

    The new PIN is checked before the old one, so a typo in the new PIN costs no try; a wrong
    old PIN counts as a failed try with the same lockout as the pad (no way round it here).
    Staff change the exhibitor PIN with old=None: they are already past the staff PIN.
    Reasons beyond verify()'s: "invalid" (not 4 to 12 digits), "mismatch" (the two differ).
    """
    if not valid_pin(new):
        return PinResult(False, reason="invalid")
    if new != repeat:
        return PinResult(False, reason="mismatch")
    if old is not None:
        checked = verify(store, old, now, scope)
        if not checked.ok:
            return checked
    set_pin(store, new, scope)
    return PinResult(True)
