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
    tls_pin: str | None = None  # SHA-256 of the server certificate, from the setup code

    @property
    def headers(self) -> dict:
        return {"Authorization": f"{AUTH_SCHEME} {self.token}"}

    @property
    def authenticated(self) -> bool:
        """HTTPS: the server proved it holds the pinned (or a CA-verified) certificate's key."""
        return self.url.startswith("https://")

    @classmethod
    def of(cls, store: Store) -> "ServerAddress | None":
        """None when the device is not enrolled."""
        url, token = store.get_meta("server_url"), store.get_meta("device_token")
        return cls(url, token, store.get_meta("tls_pin")) if url and token else None


class PinnedAdapter(HTTPAdapter):
    """HTTPS to a server whose certificate has exactly this SHA-256 (urllib3's assert_fingerprint).

    The certificate is self-signed, so the CA check is off and the fingerprint is the check: any
    other certificate (a rogue access point's, a second server's) fails the handshake."""

    def __init__(self, pin: str, **kw):
        self.pin = pin.replace(":", "").lower()
        super().__init__(**kw)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host, pool = super().build_connection_pool_key_attributes(request, False, cert)
        pool["assert_fingerprint"] = self.pin
        return host, pool

    def cert_verify(self, conn, url, verify, cert):
        super().cert_verify(conn, url, False, cert)
        conn.assert_fingerprint = self.pin


def _retry(retries: bool) -> Retry | int:
    if not retries:
        return 0
    return Retry(total=4, connect=3, read=2, status=3, backoff_factor=0.25, backoff_max=4,
                 status_forcelist=(429, 500, 502, 503, 504), allowed_methods=None,
                 respect_retry_after_header=True, raise_on_status=False)


def make_session(retries: bool = True, pin: str | None = None) -> requests.Session:
    """Bounded retries with backoff for sync (its POSTs are idempotent by item id); none for calls a
    person waits for, which decide locally instead of waiting. With `pin`, HTTPS is to that
    certificate only (`call` pins each address's own certificate on any session)."""
    s = requests.Session()
    size = {"pool_connections": 2, "pool_maxsize": 4} if retries else {}
    adapter = HTTPAdapter(max_retries=_retry(retries), **size)
    s.mount("http://", adapter)
    s.mount("https://", PinnedAdapter(pin, max_retries=_retry(retries), **size) if pin else adapter)
    return s


def pin_session(session: requests.Session, address: ServerAddress) -> None:
    """Make HTTPS to this address go only to its pinned certificate (mounted for its URL, once)."""
    if not (address.tls_pin and address.authenticated):
        return
    current = session.get_adapter(address.url)
    if isinstance(current, PinnedAdapter) and current.pin == address.tls_pin.replace(":", "").lower():
        return
    session.mount(address.url.rstrip("/") + "/", PinnedAdapter(address.tls_pin, max_retries=current.max_retries))


def call(session: requests.Session, address: ServerAddress, method: str, path: str, timeout=TIMEOUT,
         **kw) -> requests.Response:
    """One request to the device API; Unreachable for no answer or a 5xx, SyncError for a refused token."""
    pin_session(session, address)
    try:
        headers = {**address.headers, **kw.pop("headers", {})}
        r = session.request(method, f"{address.url}{API}{path}", headers=headers, timeout=timeout, **kw)
    except requests.exceptions.SSLError:
        raise Unreachable(f"server {address.url} did not show this event's certificate: not talking to it "
                          "(another server on this address? see docs/security.md)") from None
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
