"""The real-display tier (tests/realdisplay.py): the kiosk on Xvfb, no window manager, real X input."""
from __future__ import annotations

import time

import pytest

from tests.factories import PEOPLE, badge_for
from tests.realdisplay import Display, Kiosk, missing_tools, wait_until
from tests.shell_fixtures import make_db
from tests.sql import sql

pytestmark = pytest.mark.realdisplay

SEARCH_FIELD = (1000, 118)  # the desk's search field at 1920x1080


@pytest.fixture(scope="module")
def display():
    assert not missing_tools(), f"./run installs {', '.join(missing_tools())}; the real-display tier needs them"
    d = Display(1920, 1080)
    yield d
    d.close()


@pytest.fixture
def desk(tmp_path, display):
    db, key = make_db(tmp_path)
    kiosk = Kiosk(display, db)
    yield kiosk, db, key
    kiosk.stop()


def _entries(db) -> int:
    return sql(db).execute("SELECT count(*) FROM checkins WHERE undone = 0").fetchone()[0]


def test_the_desk_fills_the_screen_without_a_window_manager(desk):
    kiosk, _, _ = desk
    wait_until(lambda: kiosk.geometry() == (0, 0, 1920, 1080), 10, f"window at {kiosk.geometry()}")
    kiosk.display.screenshot("desk-start")


def test_a_scanner_at_4_ms_a_key_with_nothing_focused_checks_in(desk):
    kiosk, db, key = desk
    kiosk.type(badge_for(PEOPLE[0], key) + "\n", delay_ms=4)
    wait_until(lambda: _entries(db) == 1, 20, "the scanned badge was not checked in")
    kiosk.display.screenshot("desk-scanned")
    assert kiosk.geometry() == (0, 0, 1920, 1080)


def test_a_person_typing_a_name_into_the_search_is_not_a_scan(desk):
    kiosk, db, _ = desk
    kiosk.tap(*SEARCH_FIELD)
    kiosk.type("Zhang", delay_ms=120)
    kiosk.display.screenshot("desk-typed-search")
    refusals = sql(db).execute("SELECT count(*) FROM scan_log").fetchone()[0]
    assert (_entries(db), refusals) == (0, 0), "a person's typing was taken for a scan"


@pytest.mark.parametrize("delay_ms", [4, 15])
def test_a_scanner_with_the_search_field_focused_still_checks_in(desk, delay_ms):
    kiosk, db, key = desk
    kiosk.tap(*SEARCH_FIELD)
    kiosk.type(badge_for(PEOPLE[1], key) + "\n", delay_ms=delay_ms)
    wait_until(lambda: _entries(db) == 1, 20, "the scanned badge was not checked in")
    refusals = sql(db).execute("SELECT count(*) FROM scan_log").fetchone()[0]
    kiosk.display.screenshot(f"desk-scanned-focused-{delay_ms}ms")
    assert refusals == 0, "fragments of the code were taken for scans"


def test_the_on_screen_keyboard_keeps_the_window_on_the_screen(desk):
    kiosk, _, _ = desk
    kiosk.tap(*SEARCH_FIELD)
    time.sleep(1.5)  # the keyboard slides in; the geometry is then checked once, not waited for
    kiosk.display.screenshot("desk-keyboard")
    assert kiosk.geometry() == (0, 0, 1920, 1080)
