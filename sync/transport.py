"""HTTP to the central server: sessions, addresses, and the errors a failed call becomes.

Every module that talks to the server goes through `call()`, so a refused token, a server
error and a broken connection read the same everywhere. No state lives here: sessions belong
to the objects that use them (a sync client, the online checker, the desk's calls).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from urllib3.util.retry import Retry

from kiosk.errors import KioskError
from kiosk.store import Store
from sync.protocol import API, AUTH_SCHEME

TIMEOUT = (3.05, 30.0)


class SyncError(KioskError):
    """Sync could not run; the message says why in words an operator understands."""


class Unreachable(SyncError):
    """The server did not answer (network down, server down, or answering 5xx)."""


class NotEnrolled(SyncError):
    pass


@dataclass(frozen=True)
class ServerAddress:
    """Where this device's server is and the token it shows: read on the database thread, used on any."""

    url: str
    token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"{AUTH_SCHEME} {self.token}"}

    @classmethod
    def of(cls, store: Store) -> "ServerAddress | None":
        """None when the device is not enrolled."""
        url, token = store.get_meta("server_url"), store.get_meta("device_token")
        return cls(url, token) if url and token else None


def make_session(retries: bool = True) -> requests.Session:
    """Bounded retries with backoff for sync (its POSTs are idempotent by item id); none for calls a
    person waits for, which decide locally instead of waiting."""
    s = requests.Session()
    if retries:
        retry = Retry(total=4, connect=3, read=2, status=3, backoff_factor=0.25, backoff_max=4,
                      status_forcelist=(429, 500, 502, 503, 504), allowed_methods=None,
                      respect_retry_after_header=True, raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry, pool_connections=2, pool_maxsize=4)
    else:
        adapter = HTTPAdapter(max_retries=0)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


def call(session: requests.Session, address: ServerAddress, method: str, path: str, timeout=TIMEOUT,
         **kw) -> requests.Response:
    """One request to the device API; Unreachable for no answer or a 5xx, SyncError for a refused token."""
    try:
        headers = {**address.headers, **kw.pop("headers", {})}
        r = session.request(method, f"{address.url}{API}{path}", headers=headers, timeout=timeout, **kw)
    except requests.RequestException as exc:  # refused, timed out, or broken off mid-answer
        raise Unreachable(f"server {address.url} not reachable ({type(exc).__name__})") from None
    if r.status_code >= 500:
        raise Unreachable(f"server {address.url} answered {r.status_code}")
    if r.status_code == 401:
        raise SyncError("the server refused this device's token (revoked? enrol again)")
    return r


def never_sent(exc: Exception) -> bool:
    """True only when no connection was made, so the server cannot hold the request: any other
    failure (a dropped connection, a cut or slow answer) may come after the server committed."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])  # requests wraps urllib3's MaxRetryError
        return isinstance(reason, NewConnectionError)
    return False


def parse_time(text: str) -> datetime:
    t = datetime.fromisoformat(text)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
