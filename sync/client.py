"""The kiosk's side of sync: enrol, push the outbox, pull changes, ask the server first at desks.

A round is push, then pull. Nothing is lost or doubled whatever fails in between:
- push: outbox items go up in batches; each keeps its client-made id, so a batch that
  reached the server but whose answer was lost is answered "duplicate" when sent again;
  an item leaves the `pending` state only when the server answered it (accepted,
  duplicate, conflict -> `sent`; refused -> `rejected`, kept with the reason);
- pull: each page is applied with the new cursor in one transaction, so a kiosk killed
  half-way resumes at the page it was on.
Not thread-safe, like the Store it works on: one SyncClient per thread.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk import config, eventdata
from kiosk.checkin import check, next_sessions
from kiosk.errors import KioskError
from kiosk.handoff import HandoffCase, clean
from kiosk.identify import DeviceContext, iso, new_id, utcnow
from kiosk.models import Direction, PersonRef, PublicKey, Status, Verdict
from kiosk.store import Store
from sync.protocol import (
    API,
    ATTENDEE_FIELDS,
    AUTH_SCHEME,
    CHECKIN_FIELDS,
    parse_setup_code,
)

Progress = Callable[[int, int], None]
OFFLINE_RETRY_SECONDS = 15  # after a desk's online check failed, decide locally at once for this long
TIMEOUT = (3.05, 30.0)


class SyncError(KioskError):
    """Sync could not run; the message says why in words an operator understands."""


class Unreachable(SyncError):
    """The server did not answer (network down, server down, or answering 5xx)."""


class NotEnrolled(SyncError):
    pass


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


@dataclass(frozen=True)
class ConflictItem:
    """One offline scan that collided with another device's, for the staff list."""

    id: str
    attendee_id: str
    name: str
    reason: str
    point: str  # the point's name where known
    device: str
    at: str
    other_device: str
    other_at: str  # for reason "revoked": when the badge was revoked
    seen: bool
    revocation: str = ""  # for reason "revoked": why ("lost", "reprinted", "cancelled", ...)


def make_session(retries: bool = True) -> requests.Session:
    """One session per client; bounded retries with backoff (POSTs are idempotent by item id)."""
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


def _parse(t: str) -> datetime:
    d = datetime.fromisoformat(t)
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


class SyncClient:
    def __init__(self, store: Store, session: requests.Session | None = None, timeout=TIMEOUT,
                 page_size: int = 5000, batch_size: int = 500):
        self.store = store
        self.session = session or make_session()
        self.timeout = timeout
        self.page_size = page_size
        self.batch_size = batch_size
        self._offsets: list[tuple[float, float]] = []  # (round trip, offset) samples this round

    # -- plumbing --------------------------------------------------------------------------------
    @property
    def url(self) -> str | None:
        return self.store.get_meta("server_url")

    def _headers(self) -> dict:
        token = self.store.get_meta("device_token")
        if not self.url or not token:
            raise NotEnrolled("this kiosk is not enrolled with a server (run: kiosk enroll SETUP_CODE --db ...)")
        return {"Authorization": f"{AUTH_SCHEME} {token}"}

    def _call(self, method: str, path: str, timeout=None, auth: tuple[str, dict] | None = None,
              **kw) -> requests.Response:
        """One request; `auth` (url, headers) lets a helper thread call without touching the store."""
        base, headers = auth or (self.url, self._headers())
        sent = time.time()
        try:
            r = self.session.request(method, f"{base}{API}{path}", headers=headers,
                                     timeout=timeout or self.timeout, **kw)
        except requests.RequestException as exc:  # refused, timed out, or broken off mid-answer
            raise Unreachable(f"server {base} not reachable ({type(exc).__name__})") from None
        if r.status_code >= 500:
            raise Unreachable(f"server {base} answered {r.status_code}")
        if r.status_code == 401:
            raise SyncError("the server refused this device's token (revoked? enrol again)")
        self._sample_clock(r, sent, time.time())
        return r

    def _sample_clock(self, r: requests.Response, sent: float, got: float) -> None:
        try:
            server = _parse(r.headers["x-server-time"]).timestamp()
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
        return self.store.db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]

    def push(self) -> PushResult:
        total = PushResult()
        batch_size = self.batch_size
        while True:
            rows = self.store.db.execute(
                "SELECT id, kind, payload FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
                [batch_size]).fetchall()
            if not rows:
                return total
            items = [{"id": r[0], "kind": r[1], "payload": json.loads(r[2])} for r in rows]
            try:
                r = self._call("POST", "/push", json={"items": items})
            except Unreachable:
                self._count_attempt([i["id"] for i in items])
                raise
            if r.status_code == 200:
                total += self._record_results(r.json()["results"])
            elif r.status_code in (403, 422) and isinstance(r.json().get("items"), list) and r.json()["items"]:
                self._reject(r.json()["items"])  # the rest goes again on the next loop
                total += PushResult(rejected=len(r.json()["items"]))
            elif r.status_code == 413 and batch_size > 1:
                batch_size = max(1, batch_size // 4)
                continue
            elif r.status_code in (413, 422):
                self._reject([{"id": i["id"], "reason": f"refused by the server ({r.status_code})"} for i in items])
                total += PushResult(rejected=len(items))
            else:
                raise SyncError(f"server refused the upload ({r.status_code}: {r.text[:200]})")
            total += PushResult(batches=1)

    def _count_attempt(self, ids: list[str]) -> None:
        marks = ",".join("?" * len(ids))
        self.store.db.execute(f"UPDATE outbox SET attempts = attempts + 1 WHERE id IN ({marks})", ids)

    def _reject(self, items: list[dict]) -> None:
        with self.store.transaction():
            for it in items:
                self.store.db.execute("UPDATE outbox SET state = 'rejected', result = ? WHERE id = ?",
                                      [json.dumps({"status": "rejected", "reason": it.get("reason", "")}),
                                       it.get("id")])

    def _record_results(self, results: list[dict]) -> PushResult:
        counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0}
        with self.store.transaction():
            for res in results:
                status = res.get("status")
                counts[status] = counts.get(status, 0) + 1
                state = "rejected" if status == "rejected" else "sent"
                self.store.db.execute("UPDATE outbox SET state = ?, result = ?, attempts = attempts + 1 WHERE id = ?",
                                      [state, json.dumps(res, ensure_ascii=False), res["id"]])
                if status == "conflict":
                    self._save_conflict(res)
        return PushResult(counts["accepted"], counts["duplicate"], counts["conflict"], counts["rejected"])

    def _save_conflict(self, res: dict) -> None:
        record_id = res["id"].partition(":")[2]
        d = res.get("detail") or {}
        row = self.store.db.execute("SELECT name, device_id, corrected_time FROM checkins WHERE id = ?",
                                    [record_id]).fetchone()
        self.store.db.execute(
            "INSERT INTO conflicts(id, kind, record_id, attendee_id, name, reason, detail, created_at, point_id, "
            "device_id, at, other_record_id, other_device_id, other_at) VALUES (?, 'checkin', ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
            [f"checkin:{record_id}", record_id, d.get("attendee_id"), row[0] if row else "", res.get("reason", ""),
             json.dumps(d, ensure_ascii=False), iso(utcnow()), d.get("point_id"), row[1] if row else None,
             row[2] if row else None, d.get("other_record"), d.get("other_device"), d.get("other_time")])
        if d.get("other_device") and d.get("other_device_name"):
            self.store.db.execute("INSERT OR IGNORE INTO devices(id, name) VALUES (?, ?)",
                                  [d["other_device"], d["other_device_name"]])

    # -- pull ------------------------------------------------------------------------------------
    def pull(self, progress: Progress | None = None) -> PullResult:
        """Fetch pages after the stored cursor until the server has nothing more.

        The next page is fetched while this one is written (the cursor is in the page
        header), so network and disk overlap; each page lands with its cursor atomically."""
        from concurrent.futures import ThreadPoolExecutor

        cursor = int(self.store.get_meta("pull_cursor") or 0)
        counts: dict[str, int] = {}
        pages = done = 0
        auth = (self.url, self._headers())
        with ThreadPoolExecutor(1, thread_name_prefix="pull") as fetcher:
            body = self._page(cursor, auth)
            while body["cursor"] != cursor:
                more = bool(body.get("more"))
                ahead = fetcher.submit(self._page, int(body["cursor"]), auth) if more else None
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

    def _page(self, cursor: int, auth: tuple[str, dict]) -> dict:
        r = self._call("GET", "/pull", params={"cursor": cursor, "limit": self.page_size}, auth=auth)
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


OUTBOX_KEEP_DAYS = 7.0


def outbox_keep_days(store: Store) -> float:
    """How long answered (`sent`) outbox rows are kept: the meta setting `outbox_keep_days`, else
    KIOSK_OUTBOX_KEEP_DAYS, else 7 days. 0 or less keeps them for ever."""
    import os

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
    return store.db.execute("DELETE FROM outbox WHERE state = 'sent' AND created_at < ?", [cutoff]).rowcount


def sync_status(store: Store) -> SyncStatus:
    one = lambda sql: store.db.execute(sql).fetchone()[0]  # noqa: E731
    online = store.get_meta("online")
    return SyncStatus(
        enrolled=bool(store.get_meta("device_token")),
        online=None if online is None else online == "1",
        pending=one("SELECT count(*) FROM outbox WHERE state = 'pending'"),
        rejected=one("SELECT count(*) FROM outbox WHERE state = 'rejected'"),
        conflicts_unseen=one("SELECT count(*) FROM conflicts WHERE seen = 0"),
        last_sync=store.get_meta("last_sync_at"), last_error=store.get_meta("last_sync_error"),
        server_url=store.get_meta("server_url"), device_name=store.get_meta("device_name"))


# -- applying a pulled page --------------------------------------------------------------------------
def _upsert_sql(table: str, cols: tuple[str, ...] | list[str], key: str, update: list[str] | None = None) -> str:
    update = update if update is not None else [c for c in cols if c not in key.split(",")]
    sets = ", ".join(f"{c} = excluded.{c}" for c in update)
    return (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT({key}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING"))


def apply_page(store: Store, body: dict) -> dict[str, int]:
    """Write one pulled page and its cursor in one transaction; return counts by kind."""
    counts: dict[str, int] = {}
    db = store.db
    with store.transaction():
        if body.get("event"):
            data = eventdata.from_json(body["event"], source="server")
            current = store.get_meta("event_id")
            if current and current != data.event.id:
                raise SyncError(f"the server holds event {data.event.id}, this kiosk holds {current}")
            eventdata.save_to_store(store, data)
            store.set_meta("event_id", data.event.id)
            if body.get("hall"):
                store.set_meta("hall", body["hall"])
            counts["event"] = 1
        if body.get("attendees"):
            fields = body["attendee_fields"]
            if not set(fields) <= set(ATTENDEE_FIELDS):
                raise SyncError("the server sent attendee fields this kiosk does not know")
            db.conn.executemany(_upsert_sql("attendees", fields, "id"), body["attendees"])
            counts["attendees"] = len(body["attendees"])
        if body.get("checkins"):
            fields = body["checkin_fields"]
            if not set(fields) <= set(CHECKIN_FIELDS):
                raise SyncError("the server sent check-in fields this kiosk does not know")
            sql = _upsert_sql("checkins", fields, "id", update=[]).replace(
                "DO NOTHING", "DO UPDATE SET undone = max(checkins.undone, excluded.undone)")
            db.conn.executemany(sql, body["checkins"])
            counts["checkins"] = len(body["checkins"])
        if body.get("revocations"):
            store.save_revocations(body["revocations"])
            counts["revocations"] = len(body["revocations"])
        if body.get("keys"):

            store.save_public_keys(PublicKey(int(k["key_id"]), k["public_key"], bool(k["valid"])) for k in body["keys"])
            counts["keys"] = len(body["keys"])
        if body.get("devices"):
            db.conn.executemany(_upsert_sql("devices", ("id", "name", "role", "exhibitor_id"), "id"),
                                [(d["id"], d["name"], d["role"], d.get("exhibitor_id")) for d in body["devices"]])
            counts["devices"] = len(body["devices"])
        if body.get("conflicts"):
            cols = ("id", "kind", "record_id", "attendee_id", "name", "reason", "detail", "created_at", "point_id",
                    "device_id", "at", "other_record_id", "other_device_id", "other_at")
            db.conn.executemany(_upsert_sql("conflicts", cols, "id"), [[c.get(k) for k in cols]
                                                                      for c in body["conflicts"]])
            counts["conflicts"] = len(body["conflicts"])
        if body.get("leads"):
            cols = ("id", "exhibitor_id", "attendee_id", "name", "name_zh", "organisation", "badge_type", "title",
                    "email", "phone", "notes", "rating", "tags", "device_id", "created_at", "updated_at", "scans",
                    "deleted")
            rows = [[json.dumps(lead[c], ensure_ascii=False) if c == "tags" else lead.get(c) for c in cols]
                    for lead in body["leads"]]
            # the same visitor may have a local lead under another id (made offline on this device): the
            # row is the visitor's, and keeps its local id, so a screen holding that id still finds it
            db.conn.executemany(_upsert_sql("leads", cols, "exhibitor_id, attendee_id",
                                            update=[c for c in cols if c not in ("id", "exhibitor_id",
                                                                                 "attendee_id")]), rows)
            counts["leads"] = len(rows)
        if body.get("notes"):
            cols = ("id", "exhibitor_id", "attendee_id", "device_id", "text", "updated_at")
            db.conn.executemany(_upsert_sql("lead_notes", cols, "id"), [[n.get(c) for c in cols]
                                                                       for n in body["notes"]])
            counts["notes"] = len(body["notes"])
        if body.get("leads") or body.get("notes"):
            pairs = {(x["exhibitor_id"], x["attendee_id"]) for x in [*body.get("leads", []), *body.get("notes", [])]}
            reapply_pending_leads(store, pairs)
        store.set_meta("pull_cursor", str(int(body["cursor"])))
    return counts


def reapply_pending_leads(store: Store, pairs: set[tuple[str, str]]) -> None:
    """Put this device's not-yet-uploaded lead changes back on top of a pulled lead.

    A pull can bring a merged state older than an edit made here after the round's push;
    without this the edit would look lost until the next round brought it back."""
    if not pairs:
        return
    db = store.db
    rows = db.execute("SELECT kind, payload FROM outbox WHERE state = 'pending' "
                      "AND kind IN ('lead', 'lead_scan', 'lead_edit') ORDER BY seq").fetchall()
    for kind, raw in rows:
        try:
            p = json.loads(raw)
        except ValueError:
            continue
        key = (p.get("exhibitor_id"), p.get("attendee_id"))
        if key not in pairs:
            continue
        where, args = "exhibitor_id = ? AND attendee_id = ?", list(key)
        if kind in ("lead", "lead_scan"):
            db.execute(f"UPDATE leads SET deleted = 0 WHERE {where}", args)
        if kind == "lead":
            _change_tags(store, key, p.get("tags") or [], [])
        if kind != "lead_edit":
            continue
        if p.get("rating") is not None:
            db.execute(f"UPDATE leads SET rating = ? WHERE {where}", [int(p["rating"]), *args])
        if p.get("deleted") is not None:
            db.execute(f"UPDATE leads SET deleted = ? WHERE {where}", [int(bool(p["deleted"])), *args])
        if p.get("tags_add") or p.get("tags_remove"):
            _change_tags(store, key, p.get("tags_add") or [], p.get("tags_remove") or [])
        note = p.get("note")
        if isinstance(note, dict) and note.get("note_id"):
            db.execute("INSERT INTO lead_notes(id, exhibitor_id, attendee_id, device_id, text, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET text = excluded.text, "
                       "updated_at = excluded.updated_at",
                       [note["note_id"], *key, p.get("device_id"), note.get("text", ""), p.get("at")])


def _change_tags(store: Store, key: tuple[str, str], add: list[str], remove: list[str]) -> None:
    row = store.db.execute("SELECT tags FROM leads WHERE exhibitor_id = ? AND attendee_id = ?", list(key)).fetchone()
    if row is None:
        return
    tags = [t for t in json.loads(row[0] or "[]") if t not in remove]
    tags += [t for t in add if t not in tags]
    store.db.execute("UPDATE leads SET tags = ? WHERE exhibitor_id = ? AND attendee_id = ?",
                     [json.dumps(tags, ensure_ascii=False), *key])


# -- enrolment -----------------------------------------------------------------------------------------
def enroll(store: Store, setup_code: str, session: requests.Session | None = None) -> dict:
    """Exchange a setup code for this device's long-lived token and remember the server."""
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
        store.db.execute("INSERT OR REPLACE INTO devices(id, name, role, exhibitor_id) VALUES (?, ?, ?, ?)",
                         [body["device_id"], body["name"], body["role"], body.get("exhibitor_id")])
    return {"device": body["device_id"], "name": body["name"], "role": body["role"],
            "exhibitor": body.get("exhibitor_id"), "server": url}


# -- online first at desks ----------------------------------------------------------------------------
_online_session: requests.Session | None = None


def _session_for_checks() -> requests.Session:
    global _online_session
    if _online_session is None:
        _online_session = make_session(retries=False)
    return _online_session


def check_online(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
                 point_id: str | None = None, source: str = "camera", timeout: float | None = None) -> Verdict | None:
    """Ask the server for the verdict while it answers fast; None means "decide locally".

    None comes back when the kiosk is not enrolled, was offline a moment ago, or could not
    connect at all. When the request may have reached the server but the answer did not
    come in time, this decides locally itself under the same record id, so the record
    cannot exist twice once the outbox is pushed."""
    if not store.get_meta("device_token") or not store.get_meta("server_url"):
        return None
    retry_at = store.get_meta("online_retry_at")
    now = utcnow()
    if retry_at and _parse(retry_at) > now:
        return None
    if store.db.execute("SELECT 1 FROM outbox WHERE state = 'pending' AND kind IN ('checkin', 'undo') "
                        "LIMIT 1").fetchone():
        return None  # the server lacks this desk's latest records (an undo, say): its verdict could contradict them
    if timeout is None:
        timeout = config.load(store).online_timeout_seconds
    record_id = new_id()
    point_id = point_id or ctx.point_id  # the door this desk stands at, as check() would use
    body = {"code": code if isinstance(code, str) else "", "record_id": record_id, "point_id": point_id,
            "direction": direction.value, "device_time": iso(now), "source": source}
    url = store.get_meta("server_url")
    headers = {"Authorization": f"{AUTH_SCHEME} {store.get_meta('device_token')}"}
    reached = False
    try:
        r = _session_for_checks().post(f"{url}{API}/checkin", json=body, headers=headers,
                                       timeout=(min(timeout, 0.5), timeout))
        reached = True
        if r.status_code >= 500 or r.status_code == 401:
            raise requests.ConnectionError(f"status {r.status_code}")
        if r.status_code != 200:  # e.g. unknown point: the local rules give the right refusal
            return None
        answer = r.json()
    except (requests.RequestException, ValueError) as exc:
        _go_offline(store, now)
        if reached or not _never_sent(exc):  # e.g. the connection dropped after the server recorded it
            return check(store, code, ctx, direction, now=now, source=source, point_id=point_id, record_id=record_id)
        return None
    if store.get_meta("online") != "1" or store.get_meta("online_retry_at"):
        store.set_meta("online", "1")
        store.set_meta("online_retry_at", None)
    return _adopt(store, answer, now)


def _never_sent(exc: Exception) -> bool:
    """True only when no connection was made, so the server cannot hold the record: any other
    failure (a dropped connection, a cut or slow answer) may come after the server committed."""
    from urllib3.exceptions import NewConnectionError

    if isinstance(exc, requests.ConnectTimeout):
        return True
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])  # requests wraps urllib3's MaxRetryError
        return isinstance(reason, NewConnectionError)
    return False


def _go_offline(store: Store, now: datetime) -> None:
    store.set_meta("online", "0")
    store.set_meta("online_retry_at", iso(now + timedelta(seconds=OFFLINE_RETRY_SECONDS)))


def _adopt(store: Store, answer: dict, now: datetime) -> Verdict:
    """Keep the server's record locally under the same id (already sent), and build the verdict."""
    v = answer["verdict"]
    record = answer.get("record")
    a = v.get("attendee")
    person = PersonRef(a["id"], a.get("name", ""), a.get("name_zh", ""), a.get("organisation", ""),
                       a.get("badge_type", "")) if a else None
    if person is not None:
        local = store.attendee(person.id)
        if local is not None and local.attention:
            person = PersonRef(person.id, person.name, person.name_zh, person.organisation, person.badge_type,
                               local.attention)
    status = Status(v["status"])
    with store.transaction():
        if record is not None:
            store.db.execute(_upsert_sql("checkins", CHECKIN_FIELDS, "id", update=[]),
                             [record[c] for c in CHECKIN_FIELDS])
            store.db.execute(
                "INSERT OR IGNORE INTO outbox(id, kind, payload, created_at, state, result) "
                "VALUES (?, 'checkin', ?, ?, 'sent', ?)",
                [f"checkin:{record['id']}", json.dumps(record, ensure_ascii=False), iso(now),
                 json.dumps({"status": "accepted", "online": True})])
        elif not status.accepted:
            store.db.execute(
                "INSERT OR IGNORE INTO scan_log(id, event_id, status, attendee_id, point_id, direction, device_id, "
                "device_time, detail, handoff) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id(), store.get_meta("event_id") or "", status.value, person.id if person else None,
                 v.get("point"), v.get("direction"), store.get_meta("device_id"), iso(now), v.get("detail", ""),
                 v.get("handoff") or None])
    previous = v.get("previous") or {}
    corrected = _parse(record["corrected_time"]) if record else now
    return Verdict(status, person, v.get("point", ""), Direction(v.get("direction", "entry")),
                   record_id=v.get("record"), previous_time=previous.get("time"),
                   previous_device=v.get("previous_device_name") or previous.get("device"),
                   detail=v.get("detail", ""), handoff=v.get("handoff", ""), decided_by="server",
                   next_sessions=tuple(next_sessions(store, person.badge_type, corrected))
                   if status is Status.OK and person else ())


_local_listeners: list[Callable[[], None]] = []


def on_local_record(callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback` (from the deciding thread) whenever decide() queued a record locally;
    the sync service uses it to push at once. Returns a function that unregisters it."""
    _local_listeners.append(callback)
    return lambda: callback in _local_listeners and _local_listeners.remove(callback)


def decide(store: Store, code: str, ctx: DeviceContext, direction: Direction = Direction.ENTRY,
           point_id: str | None = None, source: str = "camera") -> Verdict:
    """A desk's scan, online first: the server's verdict while it answers fast, else the local one."""
    verdict = None
    if ctx.role in ("desk", "attendee"):
        verdict = check_online(store, code, ctx, direction, point_id=point_id, source=source)
    if verdict is None:
        verdict = check(store, code, ctx, direction, source=source, point_id=point_id)
    if verdict.decided_by == "local":
        for listener in list(_local_listeners):
            try:
                listener()
            except Exception:  # noqa: BLE001 - a listener must not break a scan
                pass
    return verdict


# -- for screens ------------------------------------------------------------------------------------------
def device_label(store: Store, device_id: str | None) -> str:
    """A device's name ("Desk 2") where known, else its id."""
    if not device_id:
        return ""
    row = store.db.execute("SELECT name FROM devices WHERE id = ?", [device_id]).fetchone()
    return row[0] if row and row[0] else device_id


def list_conflicts(store: Store, include_seen: bool = True) -> list[ConflictItem]:
    rows = store.db.execute(
        "SELECT c.id, c.attendee_id, c.name, c.reason, c.point_id, c.device_id, c.at, c.other_device_id, "
        "c.other_at, c.seen, coalesce(p.name, c.point_id), coalesce(d1.name, c.device_id), "
        "coalesce(d2.name, c.other_device_id), c.detail FROM conflicts c LEFT JOIN points p ON p.id = c.point_id "
        "LEFT JOIN devices d1 ON d1.id = c.device_id LEFT JOIN devices d2 ON d2.id = c.other_device_id "
        + ("" if include_seen else "WHERE c.seen = 0 ") + "ORDER BY c.seen, c.at DESC").fetchall()
    return [ConflictItem(r[0], r[1] or "", r[2] or "", r[3], r[10] or "", r[11] or "", r[6] or "", r[12] or "",
                         r[8] or "", bool(r[9]), _revocation(r[13]) if r[3] == "revoked" else "") for r in rows]


def _revocation(detail: str | None) -> str:
    try:
        value = json.loads(detail or "{}").get("revocation")
    except (ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def mark_conflicts_seen(store: Store, ids: list[str]) -> None:
    if ids:
        marks = ",".join("?" * len(ids))
        store.db.execute(f"UPDATE conflicts SET seen = 1 WHERE id IN ({marks})", ids)


# -- desk look-ups and badge reissue (run on the network pool, never on the GUI thread) ---------------
DESK_TIMEOUT = (2.0, 10.0)
_desk_session: requests.Session | None = None


def server_auth(store: Store) -> tuple[str, dict] | None:
    """(server url, headers) for a call made away from the store's thread; None when not enrolled."""
    url, token = store.get_meta("server_url"), store.get_meta("device_token")
    if not url or not token:
        return None
    return url, {"Authorization": f"{AUTH_SCHEME} {token}"}


def _desk_call(method: str, auth: tuple[str, dict], path: str, timeout=None, **kw) -> requests.Response:
    global _desk_session
    if _desk_session is None:
        _desk_session = make_session(retries=False)
    base, headers = auth
    try:
        r = _desk_session.request(method, f"{base}{API}{path}", headers=headers, timeout=timeout or DESK_TIMEOUT,
                                  **kw)
    except requests.RequestException as exc:
        raise Unreachable(f"server {base} not reachable ({type(exc).__name__})") from None
    if r.status_code >= 500:
        raise Unreachable(f"server {base} answered {r.status_code}")
    if r.status_code == 401:
        raise SyncError("the server refused this device's token (revoked? enrol again)")
    return r


def fetch_handoff(auth: tuple[str, dict], code: str, timeout=None):
    """The server's record of a hand-off code (kiosk.handoff.HandoffCase), or None if it has none."""
    from urllib.parse import quote

    r = _desk_call("GET", auth, f"/handoff/{quote(clean(code), safe='')}", timeout)
    if r.status_code in (404, 422):
        return None
    if r.status_code != 200:
        raise SyncError(f"the server refused the look-up ({r.status_code}: {r.text[:200]})")
    return HandoffCase.from_json(r.json(), found_on="server")


@dataclass(frozen=True)
class Reissued:
    """A badge the server reissued: the new signed code, and the issue it revoked."""

    attendee_id: str
    issue: int
    code: str
    revoked_issue: int


_pending_reprints: dict[str, str] = {}  # attendee id -> request id of a reissue not yet answered
_pending_lock = threading.Lock()


def request_reprint(auth: tuple[str, dict], attendee_id: str, timeout=None, request_id: str | None = None,
                    attempts: int = 2) -> Reissued:
    """Ask the server for a new badge issue (the old one is revoked there); raises Unreachable.

    Safe to repeat: the request carries an id made here, and until an answer arrives the same
    id is used again, both for the retry inside this call and when staff press print once more.
    So a reissue whose answer was lost is answered again, not done twice (which would revoke
    the badge just issued)."""
    from urllib.parse import quote

    with _pending_lock:
        request_id = request_id or _pending_reprints.setdefault(attendee_id, new_id())
    path = f"/badges/{quote(attendee_id, safe='')}/reprint"
    for attempt in range(max(1, attempts)):
        try:
            r = _desk_call("POST", auth, path, timeout, json={"request_id": request_id})
            break
        except Unreachable:
            if attempt + 1 >= max(1, attempts):
                raise
            time.sleep(0.2)
    if r.status_code != 200:
        raise SyncError(f"the server did not reissue the badge ({r.status_code}: {r.text[:200]})")
    body = r.json()
    with _pending_lock:
        if _pending_reprints.get(attendee_id) == request_id:
            del _pending_reprints[attendee_id]
    return Reissued(body["attendee_id"], int(body["issue"]), body["code"], int(body["revoked_issue"]))


def adopt_reissue(store: Store, reissued: Reissued) -> None:
    """Know the new issue locally at once (the next pull brings the same): the new badge scans
    here and the old one is refused, even before the next sync round."""
    event = store.event()
    with store.transaction():
        store.db.execute("UPDATE attendees SET badge_issue = max(badge_issue, ?) WHERE id = ?",
                         [reissued.issue, reissued.attendee_id])
        store.save_revocations([{"event_id": event.id if event else "", "attendee_id": reissued.attendee_id,
                                 "issue": reissued.revoked_issue, "reason": "reprinted",
                                 "created_at": iso(utcnow())}])
