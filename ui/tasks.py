"""Work off the GUI thread, results back on it: Anki's TaskManager, kiosk-sized.

One single-thread executor owns the device's `Store` (SQLite connections must stay on the
thread that made them, and one writer keeps scans in order); a second, small pool does
network calls. Callbacks always run on the GUI thread, delivered by a queued signal.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk import notify
from kiosk.store import Store

log = logging.getLogger(__name__)
T = TypeVar("T")

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskManager(QObject):
    """Runs store and network work in the background.

    Signals:
        _closures_pending: private; wakes the GUI thread to run queued callbacks.
    """

    _closures_pending = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._store: Store | None = None
        self._open_error: BaseException | None = None
        self._lock = threading.Lock()
        self._closures: list[Callable[[], None]] = []
        self._closed = False
        self._stopping = False
        self._db = ThreadPoolExecutor(1, thread_name_prefix="db", initializer=self._open_store)
        self._net = ThreadPoolExecutor(2, thread_name_prefix="net")
        self._closures_pending.connect(self._run_closures)

    # -- the store lives on the db thread ---------------------------------------------------
    def _open_store(self) -> None:
        try:
            self._store = Store(self.db_path)
        except BaseException as exc:  # reported with the first task that needs the store
            self._open_error = exc

    def _with_store(self, fn: Callable[[Store], T]) -> T:
        if self._store is None:
            raise self._open_error or RuntimeError("the kiosk database is closed")
        return fn(self._store)

    # -- public API -------------------------------------------------------------------------
    def run_db(self, fn: Callable[[Store], T], on_done: Done | None = None,
               on_error: Failed | None = None) -> Future | None:
        """Run fn(store) on the database thread; on_done(result) later on the GUI thread.

        After shutdown() this does nothing and returns None (a late timer must not crash the exit).
        """
        if self._stopping:
            return None
        fut = self._db.submit(self._with_store, fn)
        self._attach(fut, on_done, on_error)
        return fut

    def run_net(self, fn: Callable[[], T], on_done: Done | None = None,
                on_error: Failed | None = None) -> Future | None:
        """Run fn() on the network pool (HTTP, rendering files); never touch the store there."""
        if self._stopping:
            return None
        fut = self._net.submit(fn)
        self._attach(fut, on_done, on_error)
        return fut

    def call_db(self, fn: Callable[[Store], T], timeout: float = 30.0) -> T:
        """Blocking: for the composition root at start-up only, before any screen shows."""
        return self._db.submit(self._with_store, fn).result(timeout)

    def run_on_main(self, closure: Callable[[], None]) -> None:
        with self._lock:
            if self._closed:
                return
            self._closures.append(closure)
        self._closures_pending.emit()

    def shutdown(self) -> None:
        """Finish queued database work, close the store on its own thread, stop the pools."""
        if self._closed or self._stopping:
            return
        self._stopping = True
        self._net.shutdown(wait=True, cancel_futures=True)
        try:
            self._db.submit(self._close_store).result(30)
        except Exception:
            log.exception("closing the kiosk database failed")
        self._db.shutdown(wait=True)
        with self._lock:
            self._closed = True
            pending, self._closures = self._closures, []
        for closure in pending:  # results that arrived during shutdown still reach the screen
            closure()

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- plumbing ---------------------------------------------------------------------------
    def _attach(self, fut: Future, on_done: Done | None, on_error: Failed | None) -> None:
        def finished(f: Future) -> None:
            self.run_on_main(lambda: self._deliver(f, on_done, on_error))

        fut.add_done_callback(finished)

    @staticmethod
    def _deliver(fut: Future, on_done: Done | None, on_error: Failed | None) -> None:
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            if on_error is not None:
                on_error(exc)
            else:
                log.error("background task failed", exc_info=exc)
                notify.error(str(exc) or exc.__class__.__name__)
            return
        if on_done is not None:
            on_done(fut.result())

    @Slot()
    def _run_closures(self) -> None:
        if QThread.currentThread() is not self.thread():
            log.warning("closures run off the GUI thread")
        with self._lock:
            pending, self._closures = self._closures, []
        for closure in pending:
            try:
                closure()
            except Exception:
                log.exception("a task callback failed")
