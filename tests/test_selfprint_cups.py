"""The attendee kiosk prints on a real CUPS queue (our own cupsd with Debian's cups-pdf printer), and says
so plainly when the queue is stopped (as CUPS stops a printer out of paper, jammed or offline)."""
from __future__ import annotations

import subprocess

from tests.cups_queue import QUEUE
from tests.factories import PEOPLE, badge_for
from tests.sql import sql
from tests.test_badge_cups import _clear, _page_mm, _scan, cups  # noqa: F401  (the cups fixture)
from tests.test_selfprint import db, printing_kiosk, scan_to_confirm, tap

ZHANG = PEOPLE[0]


def _kiosk(qtbot, tmp_path, cups, monkeypatch):
    # the badge is painted on a worker thread: libcups there finds our cupsd through the environment
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    return printing_kiosk(qtbot, tmp_path, printer=QUEUE)


def test_the_kiosk_prints_the_badge_on_a_real_cups_queue(qtbot, tmp_path, cups, monkeypatch):
    k = _kiosk(qtbot, tmp_path, cups, monkeypatch)
    _clear(cups, "badge-A1")
    code = badge_for(ZHANG, k.key)
    page = scan_to_confirm(qtbot, k, code)
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: page.state in ("taken", "cannot"), timeout=60_000)
    assert page.state == "taken", page.texts()
    out = cups.wait_for_pdf("badge-A1")
    try:
        w, h = sorted(_page_mm(out))
        assert abs(w - 105) <= 1 and abs(h - 148) <= 1  # the event's template (A6) at its size
        assert _scan(out, tmp_path) == [code]  # the code they showed, on the badge
    finally:
        out.unlink()
    assert db(k, "SELECT target FROM print_log") == [(QUEUE,)]
    assert k.tasks.call_db(lambda s: s.get_meta("health_printer")) == "ready"


def test_a_stopped_queue_says_use_the_next_kiosk_and_the_check_in_stands(qtbot, tmp_path, cups, monkeypatch):
    k = _kiosk(qtbot, tmp_path, cups, monkeypatch)
    subprocess.run(["cupsdisable", "-r", "Out of paper", QUEUE], env=cups._env, check=True, timeout=30)
    page = scan_to_confirm(qtbot, k, badge_for(ZHANG, k.key))
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: page.state in ("taken", "cannot"), timeout=60_000)
    assert page.state == "cannot"
    text = page.texts()
    assert "cannot print" in text and "next kiosk or the registration desk" in text and "You are checked in" in text
    assert "Zhang Wei" not in text
    assert db(k, "SELECT count(*) FROM checkins WHERE attendee_id = 'A1'") == [(1,)]
    assert db(k, "SELECT count(*) FROM print_log") == [(0,)]
    assert db(k, "SELECT count(*) FROM outbox WHERE kind = 'print'") == [(0,)]
    qtbot.waitUntil(lambda: k.tasks.call_db(lambda s: s.get_meta("health_printer")) == "stopped", timeout=5000)
    # staff start the queue again: the next visitor's badge prints
    subprocess.run(["cupsenable", QUEUE], env=cups._env, check=True, timeout=30)
    _clear(cups, "badge-A1")
    tap(qtbot, page.done_button)
    page = scan_to_confirm(qtbot, k, badge_for(ZHANG, k.key))
    tap(qtbot, page.yes)
    qtbot.waitUntil(lambda: page.state in ("taken", "cannot"), timeout=60_000)
    assert page.state == "taken"
    cups.wait_for_pdf("badge-A1").unlink()
    assert sql(tmp_path / "kiosk.db").execute("SELECT count(*) FROM print_log").fetchone()[0] == 1
