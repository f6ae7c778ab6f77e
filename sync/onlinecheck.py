"""Online first at desks and attendee kiosks: the server's verdict while it answers fast, else the local one.

One check is three steps, so that HTTP never runs on the database thread:
  1. `prepare()` on the database thread: is asking worth it (enrolled, not offline a moment
     ago, nothing of this device's still unsent), and the record id the scan will carry
     wherever it is decided;
  2. `OnlineChecker.ask()` on the network pool: one POST, no retries, a short timeout;
  3. `finish()` on the database thread: keep the server's record under that same id, or
     decide locally under it when the server may have recorded it but the answer was lost.
So a scan is never counted twice (docs/sync.md) and a slow server holds up no other store
work. `decide()` runs the three in a row for a caller without threads (the CLI, tests).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import requests

from kiosk import config
from kiosk.checkin import check, next_sessions
from kiosk.identify import DeviceContext, iso, new_id, utcnow
from kiosk.models import Direction, PersonRef, Status, Verdict
from kiosk.store import Store
from sync.protocol import API, CHECKIN_FIELDS
from sync.transport import ServerAddress, make_session, never_sent, parse_time, pin_session

OFFLINE_RETRY_SECONDS = 15  # after an online check failed, decide locally at once for this long
ROLES_ONLINE_FIRST = ("desk", "attendee")


@dataclass(frozen=True)
class Attempt:
    """One scan about to be asked online; `record_id` is its id on the server and here alike."""

    code: str
    ctx: DeviceContext
    direction: Direction
    point_id: str
    source: str
    record_id: str
    now: datetime
    address: ServerAddress
    timeout: float


class Outcome(enum.Enum):
    ANSWERED = "answered"  # the server decided (and recorded, if accepted)
    NOT_SENT = "not_sent"  # no connection was made: the server holds nothing
    MAYBE_RECORDED = "maybe_recorded"  # sent, but the answer was lost or late: it may hold the record
    DECLINED = "declined"  # the server would not decide this one (e.g. an unknown point): decide here


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    body: dict | None = None


def prepare(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
            point_id: str | None = None, source: str = "camera", timeout: float | None = None) -> Attempt | None:
    """Step 1 (database thread). None: decide locally at once, without asking."""
    if ctx.role not in ROLES_ONLINE_FIRST:
        return None
    address = ServerAddress.of(store)
    if address is None:
        return None
    now = utcnow()
    retry_at = store.get_meta("online_retry_at")
    if retry_at and parse_time(retry_at) > now:
        return None
    if store.sync.has_unsent_records():
        return None  # the server lacks this device's latest records (an undo, say): its verdict could contradict them
    if timeout is None:
        timeout = config.load(store).online_timeout_seconds
    return Attempt(code if isinstance(code, str) else "", ctx, direction, point_id or ctx.point_id, source,
                   new_id(), now, address, timeout)


class OnlineChecker:
    """Step 2 (network pool): asks the server. Owns its HTTP session; one per device, built by the
    composition root (or by `decide()` for a one-off caller)."""

    def __init__(self, session: requests.Session | None = None):
        self._session = session or make_session(retries=False)

    def ask(self, attempt: Attempt) -> Answer:
        body = {"code": attempt.code, "record_id": attempt.record_id, "point_id": attempt.point_id,
                "direction": attempt.direction.value, "device_time": iso(attempt.now), "source": attempt.source}
        reached = False
        pin_session(self._session, attempt.address)  # HTTPS only to the certificate the setup code pinned
        try:
            r = self._session.post(f"{attempt.address.url}{API}/checkin", json=body, headers=attempt.address.headers,
                                   timeout=(min(attempt.timeout, 0.5), attempt.timeout))
            reached = True
            if r.status_code >= 500 or r.status_code == 401:
                raise requests.ConnectionError(f"status {r.status_code}")
            if r.status_code != 200:
                return Answer(Outcome.DECLINED)
            return Answer(Outcome.ANSWERED, r.json())
        except (requests.RequestException, ValueError) as exc:
            if reached or not never_sent(exc):  # e.g. the connection dropped after the server recorded it
                return Answer(Outcome.MAYBE_RECORDED)
            return Answer(Outcome.NOT_SENT)

    def close(self) -> None:
        self._session.close()


def finish(store: Store, attempt: Attempt, answer: Answer) -> Verdict:
    """Step 3 (database thread): the verdict, recorded here before it is returned."""
    if answer.outcome is Outcome.ANSWERED:
        _back_online(store)
        return _adopt(store, answer.body, attempt.now, attempt.code)
    if answer.outcome is not Outcome.DECLINED:
        _go_offline(store, attempt.now)
    # under the attempt's id and time: if the server did record it, the push is answered "duplicate"
    return check(store, attempt.code, attempt.ctx, attempt.direction, now=attempt.now, source=attempt.source,
                 point_id=attempt.point_id, record_id=attempt.record_id)


def decide(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
           point_id: str | None = None, source: str = "camera", timeout: float | None = None,
           checker: OnlineChecker | None = None) -> Verdict:
    """The three steps in a row on one thread (no screen waits on this thread's other work)."""
    attempt = prepare(store, code, ctx, direction, point_id, source, timeout)
    if attempt is None:
        return check(store, code, ctx, direction, source=source, point_id=point_id)
    return finish(store, attempt, (checker or OnlineChecker()).ask(attempt))


def check_online(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
                 point_id: str | None = None, source: str = "camera", timeout: float | None = None,
                 checker: OnlineChecker | None = None) -> Verdict | None:
    """Like decide(), but None where nothing was recorded and the caller should decide locally."""
    attempt = prepare(store, code, ctx, direction, point_id, source, timeout)
    if attempt is None:
        return None
    answer = (checker or OnlineChecker()).ask(attempt)
    if answer.outcome is Outcome.NOT_SENT:
        _go_offline(store, attempt.now)
        return None
    if answer.outcome is Outcome.DECLINED:
        return None
    return finish(store, attempt, answer)


def _back_online(store: Store) -> None:
    if store.get_meta("online") != "1" or store.get_meta("online_retry_at"):
        store.set_meta("online", "1")
        store.set_meta("online_retry_at", None)


def _go_offline(store: Store, now: datetime) -> None:
    store.set_meta("online", "0")
    store.set_meta("online_retry_at", iso(now + timedelta(seconds=OFFLINE_RETRY_SECONDS)))


def _adopt(store: Store, answer: dict, now: datetime, code: str = "") -> Verdict:
    """Keep the server's record locally under the same id (already sent), and build the verdict; a refusal
    keeps the scanned `code` too (the desk's recent list shows it when it names nobody)."""
    v = answer["verdict"]
    record = answer.get("record")
    person = _person(store, v.get("attendee"))
    status = Status(v["status"])
    with store.transaction():
        if record is not None:
            store.sync.keep_server_record(CHECKIN_FIELDS, record, iso(now))
        elif not status.accepted:
            store.sync.keep_server_refusal({
                "id": new_id(), "event_id": store.get_meta("event_id") or "", "status": status.value,
                "attendee_id": person.id if person else None, "point_id": v.get("point"),
                "direction": v.get("direction"), "device_id": store.get_meta("device_id"), "device_time": iso(now),
                "detail": v.get("detail", ""), "handoff": v.get("handoff") or None, "code": code or None})
    previous = v.get("previous") or {}
    corrected = parse_time(record["corrected_time"]) if record else now
    return Verdict(status, person, v.get("point", ""), Direction(v.get("direction", "entry")),
                   record_id=v.get("record"), previous_time=previous.get("time"),
                   previous_device=v.get("previous_device_name") or previous.get("device"),
                   detail=v.get("detail", ""), handoff=v.get("handoff", ""), decided_by="server",
                   next_sessions=tuple(next_sessions(store, person.badge_type, corrected))
                   if status is Status.OK and person else ())


def _person(store: Store, a: dict | None) -> PersonRef | None:
    """The server's person, with this device's attention flag (kept locally, not sent)."""
    if not a:
        return None
    person = PersonRef(a["id"], a.get("name", ""), a.get("name_zh", ""), a.get("organisation", ""),
                       a.get("badge_type", ""))
    local = store.attendee(person.id)
    return replace(person, attention=local.attention) if local is not None and local.attention else person
