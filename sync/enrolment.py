"""Enrolment: a setup code from `kiosk-server enroll` becomes this device's long-lived token."""
from __future__ import annotations

import requests

from kiosk import trust
from kiosk.identify import iso, utcnow
from kiosk.store import Store
from kiosk.trust import TrustError
from sync.protocol import API, parse_setup_code, setup_code_pins
from sync.transport import TIMEOUT, SyncError, Unreachable, make_session


def enroll(store: Store, setup_code: str, session: requests.Session | None = None) -> dict:
    """Exchange a setup code for this device's token and remember the server; returns a summary."""
    url, token = parse_setup_code(setup_code)
    root_fingerprint, tls_pin = setup_code_pins(setup_code)
    session = session or make_session(pin=tls_pin)
    try:
        r = session.post(f"{url}{API}/enroll", json={"token": token, "software": "forum-kiosk"}, timeout=TIMEOUT)
    except requests.exceptions.SSLError:
        raise Unreachable(f"server {url} did not show the certificate the setup code names: not enrolled "
                          "(another server on this address, or a code for another server)") from None
    except requests.RequestException as exc:
        raise Unreachable(f"server {url} not reachable ({type(exc).__name__})") from None
    if r.status_code == 403:
        raise SyncError(f"the server refused the setup code: {r.json().get('detail', '')}")
    if r.status_code != 200:
        raise SyncError(f"enrolment failed ({r.status_code}: {r.text[:200]})")
    body = r.json()
    root = _checked_root(body.get("trust_root"), root_fingerprint)
    current = store.get_meta("event_id")
    if current and body.get("event_id") and current != body["event_id"]:
        raise SyncError(f"the server runs event {body['event_id']}, this kiosk holds {current}")
    with store.transaction():
        for key, value in (("server_url", url), ("device_token", body["api_token"]),
                           ("device_id", body["device_id"]), ("device_name", body["name"]),
                           ("role", body["role"]), ("exhibitor_id", body.get("exhibitor_id")),
                           ("enrolled_at", iso(utcnow())), ("tls_pin", tls_pin)):
            store.set_meta(key, value)
        trust.pin_root(store, root, "enrolment")
        store.sync.remember_device(body["device_id"], body["name"], body["role"], body.get("exhibitor_id"))
    return {"device": body["device_id"], "name": body["name"], "role": body["role"],
            "exhibitor": body.get("exhibitor_id"), "server": url, "root": trust.fingerprint(root)}


def _checked_root(root: object, expected: str | None) -> str:
    """The server's event root, which must be the one the setup code names (when it names one)."""
    if not isinstance(root, str) or not root:
        raise SyncError("the server has no event root (an older server?): not enrolled")
    try:
        got = trust.fingerprint(root)
    except TrustError as exc:
        raise SyncError(f"the server's event root is not usable ({exc}): not enrolled") from None
    if expected and not trust.same_fingerprint(expected, got):
        raise SyncError(f"the server's event root {got} is not the one in the setup code ({expected}): "
                        "not this event's server; not enrolled")
    return root
