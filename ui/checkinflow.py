"""A device's check-ins one at a time, in scan order, asking the server without blocking the store.

A scan at a desk (or a self-service kiosk) may ask the server first (sync/onlinecheck.py).
The asking runs on the network pool between two steps on the database thread, so searches,
counts and the recent list keep answering while the server thinks. What must not overtake a
scan waiting for its answer goes through this queue: the next scan, an undo, a check-in by
hand. Each job's result reaches the screen in the order the jobs were submitted.

A job's first step runs on the database thread and returns either its result or an `Ask`:
the attempt to send, and what to run on the database thread with the server's answer.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk import notify
from kiosk.models import Verdict
from kiosk.store import Store
from sync.onlinecheck import Answer, Attempt, OnlineChecker, Outcome
from ui.tasks import TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ask:
    """Ask the server about `attempt`, then run `then(store, answer)` on the database thread."""

    attempt: Attempt
    then: Callable[[Store, Answer], Any]


@dataclass
class _Job:
    first: Callable[[Store], Any]
    done: Callable[[Any], None]
    failed: Callable[[BaseException], None] | None


class CheckinFlow:
    """One online check in flight per device; everything queued behind it is decided after it.

    `on_local_record` is called (on the GUI thread) after a job that recorded something here
    for the server, so the sync service pushes it now rather than at its next tick."""

    def __init__(self, tasks: TaskManager, checker: OnlineChecker, on_local_record: Callable[[], None]):
        self._tasks = tasks
        self._checker = checker
        self._on_local_record = on_local_record
        self._jobs: deque[_Job] = deque()
        self._running: _Job | None = None

    def local_record(self) -> None:
        """Something else recorded here for the server (a self-printed badge): push it now."""
        self._on_local_record()

    @property
    def busy(self) -> bool:
        return self._running is not None or bool(self._jobs)

    def submit(self, first: Callable[[Store], Any], done: Callable[[Any], None],
               failed: Callable[[BaseException], None] | None = None) -> None:
        self._jobs.append(_Job(first, done, failed))
        self._next()

    def _next(self) -> None:
        if self._running is not None or not self._jobs:
            return
        job = self._running = self._jobs.popleft()
        if self._tasks.run_db(job.first, lambda r: self._step(job, r), lambda e: self._fail(job, e)) is None:
            self._running = None  # the task manager has shut down: nothing more runs
            self._jobs.clear()

    def _step(self, job: _Job, result: Any) -> None:
        if isinstance(result, Ask):
            self._tasks.run_net(lambda: self._checker.ask(result.attempt),
                                lambda answer: self._answered(job, result, answer),
                                lambda exc: self._answered(job, result, Answer(Outcome.MAYBE_RECORDED)))
            return
        self._running = None
        if _recorded_here(result):
            self._on_local_record()
        job.done(result)
        self._next()

    def _answered(self, job: _Job, ask: Ask, answer: Answer) -> None:
        self._tasks.run_db(lambda s: ask.then(s, answer), lambda r: self._step(job, r), lambda e: self._fail(job, e))

    def _fail(self, job: _Job, exc: BaseException) -> None:
        self._running = None
        if job.failed is not None:
            job.failed(exc)
        else:  # as the task manager does for a task without its own error handler
            log.error("a check-in job failed", exc_info=exc)
            notify.error(str(exc) or exc.__class__.__name__)
        self._next()


def _recorded_here(result: Any) -> bool:
    """A verdict decided on this device (or a tuple carrying one) left something in the outbox."""
    verdicts = [r for r in (result if isinstance(result, tuple) else (result,)) if isinstance(r, Verdict)]
    return any(v.decided_by == "local" for v in verdicts)
