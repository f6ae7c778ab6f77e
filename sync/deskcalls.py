"""What a desk asks the server for while staff wait: a hand-off code's case, a reissued badge.

Run on the network pool, never on the database thread; the address is read there first
(`ServerAddress.of`). State (the session, reprint requests not yet answered) lives in one
`DeskCalls` object per device, built by the composition root.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests

from kiosk import badges
from kiosk.handoff import HandoffCase, clean
from kiosk.identify import iso, new_id, utcnow
from kiosk.store import Store
from sync.transport import ServerAddress, SyncError, Unreachable, call, make_session

DESK_TIMEOUT = (2.0, 10.0)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reissued:
    """A badge the server reissued: the new signed code, and the issue it revoked."""

    attendee_id: str
    issue: int
    code: str
    revoked_issue: int


class DeskCalls:
    def __init__(self, session: requests.Session | None = None):
        self._session = session or make_session(retries=False)
        self._pending_reprints: dict[str, str] = {}  # attendee id -> request id of a reissue not yet answered
        self._lock = threading.Lock()

    def fetch_handoff(self, address: ServerAddress, code: str, timeout=None) -> HandoffCase | None:
        """The server's record of a hand-off code, or None if it has none."""
        r = call(self._session, address, "GET", f"/handoff/{quote(clean(code), safe='')}", timeout or DESK_TIMEOUT)
        if r.status_code in (404, 422):
            return None
        if r.status_code != 200:
            raise SyncError(f"the server refused the look-up ({r.status_code}: {r.text[:200]})")
        return HandoffCase.from_json(r.json(), found_on="server")

    def request_reprint(self, address: ServerAddress, attendee_id: str, timeout=None, request_id: str | None = None,
                        attempts: int = 2) -> Reissued:
        """Ask the server for a new badge issue (the old one is revoked there); raises Unreachable.

        Safe to repeat: the request carries an id made here, and until an answer arrives the same
        id is used again, both for the retry inside this call and when staff press print once more.
        So a reissue whose answer was lost is answered again, not done twice (which would revoke
        the badge just issued)."""
        with self._lock:
            request_id = request_id or self._pending_reprints.setdefault(attendee_id, new_id())
        path = f"/badges/{quote(attendee_id, safe='')}/reprint"
        for attempt in range(max(1, attempts)):
            try:
                r = call(self._session, address, "POST", path, timeout or DESK_TIMEOUT,
                         json={"request_id": request_id})
                break
            except Unreachable:
                if attempt + 1 >= max(1, attempts):
                    raise
                time.sleep(0.2)
        if r.status_code != 200:
            raise SyncError(f"the server did not reissue the badge ({r.status_code}: {r.text[:200]})")
        body = r.json()
        with self._lock:
            if self._pending_reprints.get(attendee_id) == request_id:
                del self._pending_reprints[attendee_id]
        return Reissued(body["attendee_id"], int(body["issue"]), body["code"], int(body["revoked_issue"]))

    def close(self) -> None:
        self._session.close()


def adopt_reissue(store: Store, reissued: Reissued) -> bool:
    """Know the new issue locally at once (the next pull brings the same): the new badge scans
    here and the old one is refused, even before the next sync round.

    Only when the new code is a badge for this attendee and issue signed by a key this device
    trusts: an answer alone does not change an attendee (docs/security.md). Otherwise nothing
    changes here and the next (signed) pull brings the new issue; returns whether it was adopted."""
    event = store.event()
    try:
        claims = badges.decode(reissued.code, store.public_keys(), event.id if event else "")
    except badges.BadgeError:
        log.warning("reissued badge for %s does not verify with this device's keys; left to the next sync",
                    reissued.attendee_id)
        return False
    if (claims.attendee_id, claims.issue) != (reissued.attendee_id, reissued.issue):
        log.warning("reissued badge names %s issue %s, not %s issue %s; not adopted", claims.attendee_id,
                    claims.issue, reissued.attendee_id, reissued.issue)
        return False
    with store.transaction():
        store.sync.raise_badge_issue(reissued.attendee_id, reissued.issue)
        store.save_revocations([{"event_id": event.id if event else "", "attendee_id": reissued.attendee_id,
                                 "issue": reissued.revoked_issue, "reason": "reprinted",
                                 "created_at": iso(utcnow())}])
    return True


def device_label(store: Store, device_id: str | None) -> str:
    """A device's name ("Desk 2") where known, else its id."""
    if not device_id:
        return ""
    return store.sync.device_name(device_id) or device_id
