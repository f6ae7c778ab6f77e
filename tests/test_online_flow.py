"""The desk's online-first check never holds up the database thread, and keeps scan order.

The fault proxy holds the server's answer until the test releases it: meanwhile the desk still
searches, and a second scan and an undo wait their turn behind the first scan. Afterwards each
scan is on the server exactly once.
"""
from __future__ import annotations

import sqlite3

import pytest

from kiosk import checkin
from kiosk import config as kconfig
from kiosk.models import Scan, Status
from kiosk.store import Store
from sync.rounds import SyncClient
from tests.helpers_sync import badge, enrolled_kiosk
from tests.shell_fixtures import start_kiosk, stop_kiosk


@pytest.fixture
def desk(qapp, qtbot, tmp_path, server_db, proxy):
    """A desk enrolled through the proxy, with every attendee pulled, that waits long for the server."""
    store = enrolled_kiosk(tmp_path / "desk.db", server_db, proxy.url, "desk", "Desk 1")
    SyncClient(store).round()
    cfg = kconfig.load(store)
    kconfig.save(store, type(cfg)(**{**cfg.__dict__, "online_timeout_seconds": 30.0, "sync_interval_seconds": 3600}))
    store.close()
    kiosk = start_kiosk(qapp, qtbot, tmp_path / "desk.db")
    yield kiosk
    proxy.release()
    stop_kiosk(kiosk)


def _server_rows(server_db, sql: str) -> list[tuple]:
    with sqlite3.connect(server_db) as db:
        return db.execute(sql).fetchall()


def test_a_held_answer_blocks_neither_search_nor_order(desk, qtbot, server_db, proxy):
    screen = desk.desk
    shown = []
    show = screen.show_verdict
    screen.show_verdict = lambda v: (shown.append(v), show(v))
    first, second = badge(server_db, "A000201"), badge(server_db, "A000202")

    proxy.set("hold")
    screen.handle_scan(Scan(first, "camera"))
    qtbot.waitUntil(proxy.holding.is_set, timeout=10000)  # the scan reached the server, which decided
    # the server has decided; its answer is held. The desk keeps answering searches meanwhile
    qtbot.keyClicks(screen.search, "A000123")
    qtbot.waitUntil(lambda: screen.results.count() > 0, timeout=5000)
    # a second scan and an undo queue behind the first; nothing is shown before its verdict
    screen.handle_scan(Scan(second, "camera"))
    ctx = screen.services.context  # an undo through the same queue (the desk's own asks first, then names it)
    screen.services.checkins.submit(lambda s: checkin.undo_last(s, ctx), screen._undone)
    qtbot.wait(300)
    assert shown == [] and proxy.holding.is_set()

    proxy.release()
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=15000)
    one, two, undo = shown
    assert (one.status, one.attendee.id, one.decided_by) == (Status.OK, "A000201", "server")
    assert (two.status, two.attendee.id) == (Status.OK, "A000202")
    assert (undo.detail, undo.attendee.id) == ("undone", "A000202")  # the undo followed the second scan

    store = Store(desk.db_path)
    try:
        SyncClient(store).round()
        assert store.sync.pending_count() == 0
    finally:
        store.close()
    rows = _server_rows(server_db, "SELECT attendee_id, undone FROM checkins ORDER BY attendee_id")
    assert rows == [("A000201", 0), ("A000202", 1)]  # each scan once; the undo reached the server


def test_a_self_service_kiosk_asks_the_server_first_too(qapp, qtbot, tmp_path, server_db, server):
    store = enrolled_kiosk(tmp_path / "kiosk.db", server_db, server.url, "attendee", "Kiosk 1")
    SyncClient(store).round()
    store.close()
    kiosk = start_kiosk(qapp, qtbot, tmp_path / "kiosk.db", role="attendee")
    try:
        screen = kiosk.window.screen("attendee")
        screen.handle_scan(Scan(badge(server_db, "A000150"), "camera"))
        page = screen.checkin_page
        qtbot.waitUntil(lambda: getattr(page, "verdict", None) is not None, timeout=10000)
        assert (page.verdict.status, page.verdict.decided_by) == (Status.OK, "server")
        assert _server_rows(server_db, "SELECT attendee_id FROM checkins") == [("A000150",)]
    finally:
        stop_kiosk(kiosk)
