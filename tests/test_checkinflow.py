"""The check-in flow on its own: jobs finish in the order they were submitted, a failing job does
not stop the ones behind it, and its error reaches the screen."""
from __future__ import annotations

from kiosk import notify
from kiosk.errors import Refused
from sync.onlinecheck import OnlineChecker
from ui.checkinflow import CheckinFlow
from ui.tasks import TaskManager


def test_jobs_finish_in_order_and_a_failure_is_reported_and_passed_by(qtbot, tmp_path):
    tasks = TaskManager(tmp_path / "kiosk.db")
    pokes, done, messages = [], [], []
    unsubscribe = notify.subscribe(lambda level, text: messages.append((level, text)), lambda fields: None)
    try:
        flow = CheckinFlow(tasks, OnlineChecker(), lambda: pokes.append(1))

        def refuse(store):
            raise Refused("this device is not bound to an exhibitor")

        flow.submit(lambda s: s.set_meta("n", "1") or 1, done.append)
        flow.submit(refuse, done.append)
        flow.submit(lambda s: int(s.get_meta("n")) + 1, done.append)
        qtbot.waitUntil(lambda: len(done) == 2 and not flow.busy, timeout=5000)
        assert done == [1, 2]
        assert ("error", "this device is not bound to an exhibitor") in messages
        assert pokes == []  # no verdict was decided here, so nothing waits for the server
    finally:
        unsubscribe()
        tasks.shutdown()
