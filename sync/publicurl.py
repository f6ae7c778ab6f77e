"""The address devices should use to reach this server, remembered by `serve --public-url` for `enroll`.

A setup code carrying a loopback address (127.0.0.1, localhost, ::1) makes a kiosk talk to
itself: `enroll` warns whenever that is all it can put in the code."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from kiosk.errors import BadInput
from sync.serverdb import ServerDB

META_KEY = "server_public_url"  # not the event's own public web address


def check_url(url: str) -> str:
    """An http(s) address with a host and nothing after it but an optional `/`; returned without the `/`."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise BadInput(f"{url!r} is not a server address ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username:
        raise BadInput(f"{url!r} is not a server address such as http://192.168.1.10:8765")
    return url.strip().rstrip("/")


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def remember(db: ServerDB, url: str) -> str:
    url = check_url(url)
    db.store.set_meta(META_KEY, url)
    return url


def remembered(db: ServerDB) -> str | None:
    return db.store.get_meta(META_KEY)
