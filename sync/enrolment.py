"""Enrolment: a setup code from `kiosk-server enroll` becomes this device's long-lived token."""
from __future__ import annotations

import requests

from kiosk.identify import iso, utcnow
from kiosk.store import Store
from sync.protocol import API, parse_setup_code
from sync.transport import TIMEOUT, SyncError, Unreachable, make_session


def enroll(store: Store, setup_code: str, session: requests.Session | None = None) -> dict:
    """Exchange a setup code for this device's token and remember the server; returns a summary."""
    url, token = parse_setup_code(setup_code)
    session = session or make_session()
    try:
        r = session.post(f"{url}{API}/enroll", json={"token": token, "software": "forum-kiosk"}, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise Unreachable(f"server {url} not reachable ({type(exc).__name__})") from None
    if r.status_code == 403:
        raise SyncError(f"the server refused the setup code: {r.json().get('detail', '')}")
    if r.status_code != 200:
        raise SyncError(f"enrolment failed ({r.status_code}: {r.text[:200]})")
    body = r.json()
    current = store.get_meta("event_id")
    if current and body.get("event_id") and current != body["event_id"]:
        raise SyncError(f"the server runs event {body['event_id']}, this kiosk holds {current}")
    with store.transaction():
        for key, value in (("server_url", url), ("device_token", body["api_token"]),
                           ("device_id", body["device_id"]), ("device_name", body["name"]),
                           ("role", body["role"]), ("exhibitor_id", body.get("exhibitor_id")),
                           ("enrolled_at", iso(utcnow()))):
            store.set_meta(key, value)
        store.sync.remember_device(body["device_id"], body["name"], body["role"], body.get("exhibitor_id"))
    return {"device": body["device_id"], "name": body["name"], "role": body["role"],
            "exhibitor": body.get("exhibitor_id"), "server": url}
