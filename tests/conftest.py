"""Shared fixtures. Qt runs offscreen so the suite needs no display."""
from __future__ import annotations

import os
import sys
import time
import weakref

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "")  # tests type directly; the virtual keyboard is tested on its own

import pytest

from kiosk.store import Store
from sync.server import EmbeddedServer
from tests.helpers_net import FaultProxy
from tests.helpers_sync import seeded_server_db

# -- no QThread or QTimer outlives its test (napari's dangling-qthreads/qtimers check) ----------------
DANGLING_GRACE_S = 0.5  # a single-shot timer due this soon, or a thread finishing its last step, may end


@pytest.fixture(autouse=True)
def _no_dangling_qt(request):
    """Fails a Qt test that leaves a QThread running or a QTimer active after its teardown.

    A timer still ticking after the test fires into the next test's widgets (or deleted ones);
    a running thread outlives the objects it uses. Tracks what Python code starts during the test
    (QTimer.start, QThread.start; the static QTimer.singleShot is not tracked) and, after the
    fixtures' teardown, processes events and deferred deletes for up to DANGLING_GRACE_S.
    Only tests that use `qtbot` or `qapp` pay for it. Opt out with
    @pytest.mark.allow_dangling("why"), naming the app code that should stop it.
    """
    if not {"qtbot", "qapp"} & set(request.fixturenames) or request.node.get_closest_marker("allow_dangling"):
        yield
        return
    from PySide6.QtCore import QThread, QTimer

    started: list[tuple[weakref.ref, str]] = []

    def tracking(real):
        def start(self, *args, **kwargs):
            started.append((weakref.ref(self), _caller(sys._getframe(1))))
            return real(self, *args, **kwargs)
        return start

    real = QTimer.start, QThread.start
    QTimer.start, QThread.start = tracking(real[0]), tracking(real[1])
    try:
        yield
    finally:
        QTimer.start, QThread.start = real
    left = _wait_for_dangling(started)
    if left:
        pytest.fail("left running after the test (stop it in the test's teardown, e.g. the app's "
                    "shutdown()):\n  " + "\n  ".join(left), pytrace=False)


def _caller(frame) -> str:
    return f"{os.path.relpath(frame.f_code.co_filename)}:{frame.f_lineno} in {frame.f_code.co_name}"


def _still_running(started) -> list[str]:
    from PySide6.QtCore import QThread
    from shiboken6 import isValid

    left, seen = [], set()
    for ref, where in started:
        obj = ref()
        if obj is None or id(obj) in seen or not isValid(obj):
            continue
        seen.add(id(obj))
        if isinstance(obj, QThread):
            if obj.isRunning():
                left.append(f"QThread {obj.objectName() or type(obj).__name__!r} started at {where}")
        elif obj.isActive():
            parent = obj.parent()
            owner = f" of {type(parent).__name__}" if parent is not None else ""
            left.append(f"QTimer {obj.objectName() or '(unnamed)'}{owner}, {obj.interval()} ms"
                        f"{', single shot' if obj.isSingleShot() else ''}, started at {where}")
    return left


def _wait_for_dangling(started) -> list[str]:
    """What is still running once events (deferred deletes too) had DANGLING_GRACE_S to end it."""
    from PySide6.QtCore import QCoreApplication, QEvent

    deadline = time.monotonic() + DANGLING_GRACE_S
    while True:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
        left = _still_running(started)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.01)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()


# -- the real server --------------------------------------------------------------------------------
@pytest.fixture
def server_attendees() -> int:
    """How many demo attendees `server_db` seeds; a module overrides this fixture to seed fewer."""
    return 300


@pytest.fixture
def server_db(tmp_path, server_attendees):
    """A server database file seeded with the demo event (the real ServerDB, no server running)."""
    return seeded_server_db(tmp_path / "server.db", server_attendees)


@pytest.fixture
def server(server_db):
    """The real FastAPI server on 127.0.0.1 (a free port), serving `server_db`; stopped after the test."""
    with EmbeddedServer(server_db) as srv:
        yield srv


@pytest.fixture
def proxy(server):
    """A FaultProxy in front of `server`: passes traffic until the test tells it to misbehave."""
    with FaultProxy(server.port) as p:
        yield p


@pytest.fixture
def tls_server(server_db):
    """The real server speaking HTTPS with the certificate it made (`.tls_pin` is its SHA-256)."""
    with EmbeddedServer(server_db, tls=True) as srv:
        yield srv


@pytest.fixture(params=["http", "https"])
def link(request, server_db):
    """A FaultProxy in front of the real server, once over plain HTTP and once over TLS (the proxy
    works on TCP, so faults cut TLS records the same way). `.url`, and `.pin` for enrolment."""
    tls = request.param == "https"
    with EmbeddedServer(server_db, tls=tls) as srv, FaultProxy(srv.port, scheme=request.param) as p:
        p.pin = srv.tls_pin
        yield p
