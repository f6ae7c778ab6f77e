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

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests

from kiosk import selfprint
from kiosk.identify import iso, utcnow
from kiosk.store import Store
from sync.protocol import HEALTH_HEADER, health_header
from sync.pullpage import apply_page
from sync.transport import TIMEOUT, NotEnrolled, ServerAddress, SyncError, Unreachable, call, make_session, parse_time

Progress = Callable[[int, int], None]
OUTBOX_KEEP_DAYS = 7.0


@dataclass(frozen=True)
class PushResult:
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    batches: int = 0

    def __add__(self, o: "PushResult") -> "PushResult":
        return PushResult(self.accepted + o.accepted, self.duplicate + o.duplicate, self.conflict + o.conflict,
                          self.rejected + o.rejected, self.batches + o.batches)

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
        r = call(self.session, address or self._address(), method, path, timeout=self.timeout, **kw)
        self._sample_clock(r, sent, time.time())
        return r

    def _sample_clock(self, r: requests.Response, sent: float, got: float) -> None:
        try:
            server = parse_time(r.headers["x-server-time"]).timestamp()
        except (ValueError, KeyError, TypeError):
            return
        self._offsets.append((got - sent, server - (sent + got) / 2))

    def _save_clock(self) -> float:
        """The offset measured with the fastest round trip this round (least network noise)."""
        if not self._offsets:
            return float(self.store.get_meta("clock_offset") or 0.0)
        offset = min(self._offsets)[1]
        self.store.set_meta("clock_offset", f"{offset:.3f}")
        self._offsets.clear()
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
                total += PushResult(c["accepted"], c["duplicate"], c["conflict"], c["rejected"])
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
        with ThreadPoolExecutor(1, thread_name_prefix="pull") as fetcher:
            body = self._page(cursor, address)
            while body["cursor"] != cursor:
                more = bool(body.get("more"))
                ahead = fetcher.submit(self._page, int(body["cursor"]), address) if more else None
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
                body = ahead.result()
        return PullResult(pages, counts, cursor)

    def _page(self, cursor: int, address: ServerAddress) -> dict:
        r = self._call("GET", "/pull", address, params={"cursor": cursor, "limit": self.page_size},
                       headers=self._health)
        if r.status_code != 200:
            raise SyncError(f"server refused the download ({r.status_code}: {r.text[:200]})")
        return r.json()

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
        server_url=store.get_meta("server_url"), device_name=store.get_meta("device_name"))
