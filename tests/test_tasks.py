"""ui.tasks.TaskManager on its own: real store files, real threads, results back on the GUI thread."""
from __future__ import annotations

import threading

import pytest

from kiosk.store import Store
from ui.tasks import TaskManager

WAIT = 5.0  # seconds a background step may take before the test calls it stuck


@pytest.fixture
def db_path(tmp_path):
    """A kiosk database file made (and closed) the way the app finds it at start-up."""
    path = tmp_path / "kiosk.db"
    Store(path).close()
    return path


@pytest.fixture
def tasks(qapp, db_path):
    """A TaskManager on that file; shut down after the test so its threads never outlive it."""
    tm = TaskManager(db_path)
    yield tm
    tm.shutdown()


class Blocker:
    """A db task that holds the database thread: `started` once it runs, until the test calls release()."""

    def __init__(self):
        self.started, self._release = threading.Event(), threading.Event()

    def __call__(self, _store) -> None:
        self.started.set()
        assert self._release.wait(WAIT), "the test never released the database thread"

    def release(self) -> None:
        self._release.set()


def test_run_db_passes_the_store_and_delivers_the_result_on_the_gui_thread(qtbot, tasks):
    seen = {}

    def work(store):
        seen["worker"] = threading.current_thread()
        store.set_meta("greeting", "你好")
        return store.get_meta("greeting")

    def done(result):
        seen["result"], seen["callback"] = result, threading.current_thread()

    tasks.run_db(work, done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == "你好"
    assert seen["callback"] is threading.main_thread()
    assert seen["worker"] is not threading.main_thread()


def test_an_error_goes_to_on_error_and_not_to_on_done(qtbot, tasks):
    done, errors = [], []

    def fail(_store):
        raise ValueError("no such badge")

    tasks.run_db(fail, done.append, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert [str(e) for e in errors] == ["no such badge"] and isinstance(errors[0], ValueError)
    assert done == []


def test_db_tasks_run_and_report_in_the_order_they_were_queued(qtbot, tasks):
    hold = Blocker()
    tasks.run_db(hold)  # everything below queues up behind it
    ran, reported = [], []

    def write(store, i):
        ran.append(i)
        store.set_meta("last", str(i))
        return i

    for i in range(20):
        tasks.run_db(lambda s, i=i: write(s, i), reported.append)
    hold.release()
    qtbot.waitUntil(lambda: len(reported) == 20)
    assert ran == list(range(20))
    assert reported == list(range(20))
    assert tasks.call_db(lambda s: s.get_meta("last")) == "19"


def test_run_net_runs_while_the_database_thread_is_busy(qtbot, tasks):
    hold = Blocker()
    tasks.run_db(hold)
    assert hold.started.wait(WAIT)
    net = []
    tasks.run_net(lambda: threading.current_thread().name, net.append)
    try:
        qtbot.waitUntil(lambda: bool(net), timeout=int(WAIT * 1000))  # it does not wait behind the held db task
    finally:
        hold.release()
    db_name = tasks.call_db(lambda _s: threading.current_thread().name)
    assert net[0] != db_name and net[0] != threading.main_thread().name


def test_shutdown_finishes_queued_db_work_then_closes_the_store(qapp, db_path):
    tm = TaskManager(db_path)
    hold = Blocker()
    tm.run_db(hold)
    reported = []
    for i in range(5):
        tm.run_db(lambda s, i=i: s.set_meta(f"k{i}", str(i)) or i, reported.append)
    assert hold.started.wait(WAIT)
    assert db_path.with_name("kiosk.db-wal").exists()  # the db thread holds the store open (WAL)
    threading.Timer(0.1, hold.release).start()  # the queue is still full when shutdown() begins
    tm.shutdown()
    assert reported == [0, 1, 2, 3, 4]  # queued work ran, and its results still reached the caller
    assert not db_path.with_name("kiosk.db-wal").exists()  # the last connection closed (SQLite removes it)
    store = Store(db_path)
    try:
        assert [store.get_meta(f"k{i}") for i in range(5)] == ["0", "1", "2", "3", "4"]
    finally:
        store.close()


def test_nothing_runs_after_shutdown(qtbot, tasks):
    tasks.shutdown()
    assert tasks.run_db(lambda s: s.set_meta("late", "1")) is None  # a late timer's task: dropped, no error
    assert tasks.run_net(lambda: "late") is None
    tasks.shutdown()  # a second shutdown (the window's close after the app's) is harmless


def test_a_store_that_cannot_open_reports_to_the_first_task(qtbot, tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not an SQLite file" * 100)
    tm = TaskManager(bad)
    try:
        errors = []
        tm.run_db(lambda s: s.get_meta("x"), on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors))
        assert "cannot open the kiosk database" in str(errors[0])
    finally:
        tm.shutdown()
