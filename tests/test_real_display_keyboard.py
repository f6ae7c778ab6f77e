"""The on-screen keyboard on a real X display: wholly on screen, its keys type into the focused field
(Latin and pinyin → Chinese), in landscape and portrait; the window never grows past the screen."""
from __future__ import annotations

import pytest

from kiosk import pin
from tests.factories import PEOPLE, demo_event_store
from tests.realdisplay import Kiosk, OnScreenKeyboard, displays, start, wait_until  # noqa: F401 - fixtures
from tests.sql import sql

pytestmark = pytest.mark.realdisplay


def _type_on_screen(kiosk: Kiosk, field: str, text: str) -> dict:
    """Tap the field, tap the keys; the field's text once the kiosk shows it."""
    kiosk.tap_widget(field)
    osk = OnScreenKeyboard(kiosk)
    osk.type(text)
    return kiosk.wait_for(lambda s: (s["focus"] or {}).get("text", "").lower() == text, 10,
                          f"{text!r} did not arrive in {field}")


def _assert_on_screen(kiosk: Kiosk, state: dict) -> None:
    width, height = kiosk.display.size
    x, y, w, h = state["keyboard"]
    assert x >= 0 and y >= 0 and x + w <= width and y + h <= height, f"keyboard at {state['keyboard']}"
    assert state["window"] == [0, 0, width, height] and kiosk.geometry() == (0, 0, width, height)
    fx, fy, fw, fh = state["places"][state["focus"]["name"]]
    assert fy + fh <= y, "the keyboard covers the field it types into"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_keyboard_keys_type_into_the_desk_search_and_the_keyboard_is_whole(start, size):
    kiosk = start(size)
    state = _type_on_screen(kiosk, "deskSearch", "zhang")
    kiosk.display.screenshot(f"keyboard-desk-search-{size[0]}x{size[1]}")
    _assert_on_screen(kiosk, state)
    assert state["focus"]["name"] == "deskSearch"
    # the screen above stays usable: what was found shows above the keyboard
    state = kiosk.wait_for(lambda s: "deskResults" in s["places"], 10, "no results above the keyboard")
    rx, ry, rw, rh = state["places"]["deskResults"]
    assert ry < state["keyboard"][1] and rh >= 48


def test_pinyin_on_the_keyboard_puts_chinese_in_the_field(start):
    kiosk = start(language="zh_CN")
    kiosk.tap_widget("deskSearch")
    osk = OnScreenKeyboard(kiosk)
    keys_only = osk.rect()[3]
    osk.type("nihao")  # the pinyin is composed over the field; the candidates show in a bar above the keys
    state = kiosk.wait_for(lambda s: s["keyboard"][3] > keys_only, 10, "no candidates for the pinyin")
    assert state["keyboard_locale"] == "zh_CN"
    osk.tap("candidate")
    state = kiosk.wait_for(lambda s: s["focus"]["text"] == "你好", 10, "the first candidate did not arrive")
    kiosk.display.screenshot("keyboard-pinyin")
    _assert_on_screen(kiosk, state)


def test_keyboard_keys_type_into_the_attendee_exhibitor_search(start):
    kiosk = start(role="attendee")
    kiosk.tap_widget("attract")
    kiosk.tap_widget("home-map")
    state = _type_on_screen(kiosk, "exhibitorSearch", "bio")
    kiosk.display.screenshot("keyboard-attendee-search")
    _assert_on_screen(kiosk, state)


def _exhibitor_db(tmp_path):
    """An exhibitor's booth device for EX01, its exhibitor PIN 2468."""
    store, key = demo_event_store(tmp_path / "kiosk.db", role="exhibitor", device_id="ex-1")
    store.set_meta("exhibitor_id", "EX01")
    pin.set_pin(store, "1234")
    pin.set_pin(store, "2468", scope="exhibitor")
    store.close()
    return tmp_path / "kiosk.db", key


def test_keyboard_keys_type_a_lead_note_that_is_saved(start):
    kiosk = start(role="exhibitor", make=_exhibitor_db)
    for digit in "2468":
        kiosk.tap_widget(f"pinKey-{digit}")
    kiosk.tap_widget("pinKey-OK")
    kiosk.wait_for(lambda s: "leadsLock" in s["places"], 10, "the lead screen did not unlock")
    kiosk.type(kiosk.badge(PEOPLE[0]) + "\n", delay_ms=4)  # the visitor's badge, by the USB scanner
    x, y, w, h = kiosk.wait_for(lambda s: "leadList" in s["places"] and "Zhang Wei" in "\n".join(s["texts"]), 15,
                                "no lead in the list")["places"]["leadList"]
    kiosk.tap(x + w // 3, y + 40)
    state = _type_on_screen(kiosk, "leadNote", "wants demo")
    kiosk.display.screenshot("keyboard-lead-note")
    _assert_on_screen(kiosk, state)
    kiosk.tap_widget("saveNote")
    db = kiosk.db
    wait_until(lambda: sql(db).execute("SELECT count(*) FROM lead_notes WHERE lower(text) = 'wants demo'")
               .fetchone()[0] == 1, 10, "the note typed on the keyboard was not saved")
