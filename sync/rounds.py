"""A sync round: push the outbox, pull what changed, measure the server's clock.

Nothing is lost or doubled whatever fails in between (docs/sync.md):
- push: outbox items go up in batches; each keeps its client-made id, so a batch that
  reached the server but whose answer was lost is answered "duplicate" when sent again;
  an item leaves the `pending` state only when the server answered it (accepted,
  duplicate, conflict -> `sent`; refused -> `rejected`, kept with the reason);
- pull: each page is applied with the new cursor in one transaction (pullpage.py), so a
  kiosk killed half-way resumes at the page it was on.
Not thread-safe, like the Store it works on: one SyncClient per thread.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests

from kiosk import selfprint, trust
from kiosk.identify import iso, utcnow
from kiosk.store import Store
from kiosk.trust import TrustError
from sync.protocol import HEALTH_HEADER, ROOT_HEADER, SIGNATURE_HEADER, health_header
from sync.pullpage import apply_page
from sync.transport import TIMEOUT, NotEnrolled, ServerAddress, SyncError, Unreachable, call, make_session, parse_time

Progress = Callable[[int, int], None]
OUTBOX_KEEP_DAYS = 7.0
MAX_CLOCK_STEP = 600.0  # seconds; a larger offset is shown to staff, never applied by itself


@dataclass(frozen=True)
class PushResult:
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    batches: int = 0
    later: int = 0  # deferred by the server's rate limit, still pending

    def __add__(self, o: "PushResult") -> "PushResult":
        return PushResult(self.accepted + o.accepted, self.duplicate + o.duplicate, self.conflict + o.conflict,
                          self.rejected + o.rejected, self.batches + o.batches, self.later + o.later)

    @property
    def sent(self) -> int:
        return self.accepted + self.duplicate + self.conflict


@dataclass(frozen=True)
class PullResult:
    pages: int = 0
    counts: dict = field(default_factory=dict)
    cursor: int = 0


@dataclass(frozen=True)
class RoundResult:
    push: PushResult
    pull: PullResult
    clock_offset: float
    seconds: float

    def to_json(self) -> dict:
        return {"pushed": self.push.__dict__, "pulled": {"pages": self.pull.pages, **self.pull.counts},
                "cursor": self.pull.cursor, "clock_offset": round(self.clock_offset, 3),
                "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class SyncStatus:
    """What the top bar shows."""

    enrolled: bool
    online: bool | None  # None: not tried yet
    pending: int
    rejected: int
    conflicts_unseen: int
    last_sync: str | None
    last_error: str | None
    server_url: str | None
    device_name: str | None
    clock_skew: float | None = None  # seconds the device clock is off, when too far to correct silently


class SyncClient:
    def __init__(self, store: Store, session: requests.Session | None = None, timeout=TIMEOUT,
                 page_size: int = 5000, batch_size: int = 500):
        self.store = store
        self.session = session or make_session()
        self.timeout = timeout
        self.page_size = page_size
        self.batch_size = batch_size
        self._offsets: list[tuple[float, float]] = []  # (round trip, offset) samples this round
        self._health: dict[str, str] = {}  # the health header sent with this round's pull

    # -- plumbing --------------------------------------------------------------------------------
    def _address(self) -> ServerAddress:
        address = ServerAddress.of(self.store)
        if address is None:
            raise NotEnrolled("this kiosk is not enrolled with a server (run: kiosk enroll SETUP_CODE --db ...)")
        return address

    def _call(self, method: str, path: str, address: ServerAddress | None = None, **kw) -> requests.Response:
        """One request; `address` lets the pull's fetcher thread call without touching the store."""
        sent = time.time()
        address = address or self._address()
        r = call(self.session, address, method, path, timeout=self.timeout, **kw)
        if address.authenticated:  # a clock from an unauthenticated answer could be anyone's
            self._sample_clock(r, sent, time.time())
        return r

    def _sample_clock(self, r: requests.Response, sent: float, got: float) -> None:
        try:
            server = parse_time(r.headers["x-server-time"]).timestamp()
        except (ValueError, KeyError, TypeError):
            return
        self._offsets.append((got - sent, server - (sent + got) / 2))

    def _save_clock(self) -> float:
        """The offset measured with the fastest round trip this round (least network noise).

        Beyond MAX_CLOCK_STEP it is kept aside (`clock_skew`, shown in the status bar) and the
        offset in use stays: a wrong clock is for staff to fix, not for a server to move."""
        if not self._offsets:
            return float(self.store.get_meta("clock_offset") or 0.0)
        offset = min(self._offsets)[1]
        self._offsets.clear()
        if abs(offset) > MAX_CLOCK_STEP:
            self.store.set_meta("clock_skew", f"{offset:.3f}")
            return float(self.store.get_meta("clock_offset") or 0.0)
        self.store.set_meta("clock_offset", f"{offset:.3f}")
        self.store.set_meta("clock_skew", None)
        return offset

    # -- push ------------------------------------------------------------------------------------
    def pending_count(self) -> int:
        return self.store.sync.pending_count()

    def push(self) -> PushResult:
        total = PushResult()
        batch_size = self.batch_size
        while True:
            items = self.store.sync.pending_items(batch_size)
            if not items:
                return total
            try:
                r = self._call("POST", "/push", json={"items": items})
            except Unreachable:
                self.store.sync.count_attempt([i["id"] for i in items])
                raise
            if r.status_code == 200:
                c = self.store.sync.record_answers(r.json()["results"], iso(utcnow()))
                total += PushResult(c["accepted"], c["duplicate"], c["conflict"], c["rejected"], later=c["later"])
                if c["later"]:  # the server's lead rate limit: the rest waits for the next round
                    return total + PushResult(batches=1)
            elif r.status_code in (403, 422) and isinstance(r.json().get("items"), list) and r.json()["items"]:
                self.store.sync.reject(r.json()["items"])  # the rest goes again on the next loop
                total += PushResult(rejected=len(r.json()["items"]))
            elif r.status_code == 413 and batch_size > 1:
                batch_size = max(1, batch_size // 4)
                continue
            elif r.status_code in (413, 422):
                self.store.sync.reject([{"id": i["id"], "reason": f"refused by the server ({r.status_code})"}
                                        for i in items])
                total += PushResult(rejected=len(items))
            else:
                raise SyncError(f"server refused the upload ({r.status_code}: {r.text[:200]})")
            total += PushResult(batches=1)

    # -- pull ------------------------------------------------------------------------------------
    def pull(self, progress: Progress | None = None) -> PullResult:
        """Fetch pages after the stored cursor until the server has nothing more.

        The next page is fetched while this one is written (the cursor is in the page
        header), so network and disk overlap; each page lands with its cursor atomically."""
        cursor = int(self.store.get_meta("pull_cursor") or 0)
        health = selfprint.health(self.store)  # read here: the fetcher thread must not touch the store
        self._health = {HEALTH_HEADER: health_header(health)} if health else {}
        counts: dict[str, int] = {}
        pages = done = 0
        address = self._address()
        root = trust.pinned_root(self.store)
        with ThreadPoolExecutor(1, thread_name_prefix="pull") as fetcher:
            body, signer = self._page(cursor, address, root)
            if root is None:  # enrolled before event roots existed: learn it now, once, over the token
                trust.pin_root(self.store, signer, "sync")
                root = signer
            while body["cursor"] != cursor:
                more = bool(body.get("more"))
                ahead = fetcher.submit(self._page, int(body["cursor"]), address, root) if more else None
                try:
                    page_counts = apply_page(self.store, body)
                except BaseException:
                    if ahead is not None:
                        ahead.cancel()
                    raise
                for k, v in page_counts.items():
                    counts[k] = counts.get(k, 0) + v
                pages += 1
                cursor = int(body["cursor"])
                done += sum(page_counts.values())
                if progress is not None:
                    progress(done, done + int(body.get("remaining", 0)))
                if ahead is None:
                    break
                body = ahead.result()[0]
        return PullResult(pages, counts, cursor)

    def _page(self, cursor: int, address: ServerAddress, root: str | None) -> tuple[dict, str]:
        """One page, believed only if the event root signed its exact bytes: (page, the root that signed).
        `root` None (nothing pinned yet) accepts the root the answer names."""
        r = self._call("GET", "/pull", address, params={"cursor": cursor, "limit": self.page_size},
                       headers=self._health)
        if r.status_code != 200:
            raise SyncError(f"server refused the download ({r.status_code}: {r.text[:200]})")
        signer = r.headers.get(ROOT_HEADER) or ""
        if root is not None and signer != root:
            raise SyncError(f"the server signs with another event root than this kiosk trusts "
                            f"({trust.fingerprint(root)}): not this event's server; nothing taken from it")
        try:
            trust.verify(root or signer, r.content, r.headers.get(SIGNATURE_HEADER, ""))
        except TrustError as exc:
            raise SyncError(f"the server's data is not signed by the event root ({exc}); nothing taken from it") \
                from None
        return json.loads(r.content), root or signer

    # -- a round ---------------------------------------------------------------------------------
    def round(self, progress: Progress | None = None) -> RoundResult:
        """Push, then pull; records the clock offset and the outcome for the status bar."""
        started = time.monotonic()
        try:
            pushed = self.push()
            pulled = self.pull(progress)
            pushed += self.push()  # anything scanned while pulling
        except SyncError as exc:
            self.store.set_meta("last_sync_error", str(exc))
            self.store.set_meta("online", "0")
            raise
        offset = self._save_clock()
        prune_sent(self.store)
        self.store.purge_for_role(self.store.get_meta("role"))  # what this role must not hold (kiosk.roles)
        self.store.set_meta("last_sync_at", iso(utcnow()))
        self.store.set_meta("last_sync_error", None)
        self.store.set_meta("online", "1")
        self.store.set_meta("online_retry_at", None)
        return RoundResult(pushed, pulled, offset, time.monotonic() - started)

    def status(self) -> SyncStatus:
        return sync_status(self.store)


def outbox_keep_days(store: Store) -> float:
    """How long answered (`sent`) outbox rows are kept: the meta setting `outbox_keep_days`, else
    KIOSK_OUTBOX_KEEP_DAYS, else 7 days. 0 or less keeps them for ever."""
    for value in (store.get_meta("outbox_keep_days"), os.environ.get("KIOSK_OUTBOX_KEEP_DAYS")):
        try:
            if value not in (None, ""):
                return float(value)
        except ValueError:
            continue
    return OUTBOX_KEEP_DAYS


def prune_sent(store: Store, now: datetime | None = None) -> int:
    """Delete `sent` outbox rows older than the kept age; returns how many went.

    Only rows the server answered go: pending rows still have to reach it and rejected ones
    are kept with their reason for staff. The records themselves (check-ins, leads) stay."""
    days = outbox_keep_days(store)
    if days <= 0:
        return 0
    cutoff = iso((now or utcnow()) - timedelta(days=days))
    return store.sync.prune_sent(cutoff)


def sync_status(store: Store) -> SyncStatus:
    online = store.get_meta("online")
    pending, rejected, unseen = store.sync.status_counts()
    return SyncStatus(
        enrolled=bool(store.get_meta("device_token")),
        online=None if online is None else online == "1",
        pending=pending, rejected=rejected, conflicts_unseen=unseen,
        last_sync=store.get_meta("last_sync_at"), last_error=store.get_meta("last_sync_error"),
        server_url=store.get_meta("server_url"), device_name=store.get_meta("device_name"),
        clock_skew=float(store.get_meta("clock_skew")) if store.get_meta("clock_skew") else None)
