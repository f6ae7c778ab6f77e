"""The on-screen keyboard on a real X display: wholly on screen, its keys type into the focused field
(Latin and pinyin → Chinese), in landscape and portrait; the window never grows past the screen."""
from __future__ import annotations

import pytest

from tests.realdisplay import Kiosk, OnScreenKeyboard, displays, start  # noqa: F401 - fixtures

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
