"""Sync rounds in the background, their outcome back to the screen as signals.

One worker thread owns its own Store and SyncClient (SQLite connections stay on the thread
that made them). It runs a round every `interval` seconds, and at once when `poke()` is
called after a local scan; after a failure it waits longer each time (up to a minute), so
a kiosk whose network is gone does not spin, and comes back by itself when it returns.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.errors import KioskError
from kiosk.store import Store
from sync.rounds import SyncClient, sync_status
from sync.transport import SyncError

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 60.0


class SyncService(QObject):
    """Signals (delivered on the GUI thread):
        status_changed(SyncStatus): online/offline, records waiting, last sync, unseen conflicts.
        progress(int, int): records pulled so far and in all, during a pull.
        conflicts_changed(list): ConflictItem list, after each round and after mark_seen.
        round_finished(dict): what moved (RoundResult.to_json()).
        failed(str): why a round did not complete.
        identity_changed(dict): device_id, role, exhibitor_id as enrolled (first round, and after
            any enrolment), so the screens record under the ids the server knows.
    """

    status_changed = Signal(object)
    progress = Signal(int, int)
    conflicts_changed = Signal(list)
    round_finished = Signal(dict)
    failed = Signal(str)
    identity_changed = Signal(dict)

    def __init__(self, db_path: str | Path, interval: float = 10.0,
                 prepare: Callable[[Store], None] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.interval = max(0.5, float(interval))
        self._prepare = prepare
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._seen: list[str] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def set_prepare(self, prepare: Callable | None) -> None:
        """What the sync thread runs on its store before the first round (the demo's enrolment)."""
        self._prepare = prepare

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to finish its current request and wait for it."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def poke(self) -> None:
        """A local scan just happened: push it now rather than at the next tick."""
        self._wake.set()

    def mark_seen(self, ids: list[str]) -> None:
        with self._lock:
            self._seen.extend(ids)
        self._wake.set()

    # -- worker thread -------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            store = Store(self.db_path)
        except KioskError as exc:  # reported on screen; the kiosk keeps working offline
            self.failed.emit(str(exc))
            return
        try:
            if self._prepare is not None:
                try:
                    self._prepare(store)
                except (KioskError, OSError) as exc:  # e.g. the demo server not up: the rounds try again
                    log.warning("sync preparation failed: %s", exc)
                    self.failed.emit(str(exc))
            client = SyncClient(store)
            failures = 0
            identity: dict | None = None
            while not self._stop.is_set():
                now = {k: store.get_meta(k) for k in ("device_id", "role", "exhibitor_id", "clock_offset")}
                if now != identity and now["device_id"]:
                    identity = now
                    self.identity_changed.emit(dict(now))
                with self._lock:
                    seen, self._seen = self._seen, []
                if seen:
                    store.sync.mark_conflicts_seen(seen)
                if store.get_meta("device_token"):
                    try:
                        result = client.round(progress=lambda d, t: self.progress.emit(d, t))
                        failures = 0
                        self.round_finished.emit(result.to_json())
                    except SyncError as exc:
                        failures += 1
                        self.failed.emit(str(exc))
                    except Exception as exc:  # noqa: BLE001 - a bug must not kill the sync thread
                        failures += 1
                        log.exception("sync round failed")
                        self.failed.emit(str(exc))
                self.status_changed.emit(sync_status(store))
                self.conflicts_changed.emit(store.sync.conflicts())
                wait = min(MAX_BACKOFF_SECONDS, self.interval * (2 ** failures)) if failures else self.interval
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            store.close()
