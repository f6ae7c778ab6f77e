"""Screen sizes and the idle reset on a real X display: 1280x800 and a portrait totem fit without
clipping; "still there?" comes before the reset, a touch keeps the screen, and the reset forgets the person."""
from __future__ import annotations

import pytest

from tests.realdisplay import Kiosk, displays, start  # noqa: F401 - fixtures

pytestmark = pytest.mark.realdisplay


def _inside(rect: list[int], size: tuple[int, int]) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1]


def _fills_the_screen(kiosk: Kiosk, state: dict) -> None:
    width, height = kiosk.display.size
    assert state["window"] == [0, 0, width, height] and kiosk.geometry() == (0, 0, width, height)


def test_the_role_picker_fits_1280x800(start):
    kiosk = start((1280, 800), role=None)
    state = kiosk.wait_for(lambda s: s["screen"] == "roles" and not s["cut"], 10, "the role picker shows cut text")
    kiosk.display.screenshot("roles-1280x800")
    _fills_the_screen(kiosk, state)
    for role in ("desk", "attendee", "exhibitor"):
        rect = state["places"][f"role-{role}"]
        assert _inside(rect, (1280, 800)) and rect[3] >= 48, f"role-{role} at {rect}"
    assert not state["cut"], f"cut: {state['cut']}"


@pytest.mark.parametrize("size", [(1280, 800), (1080, 1920)], ids=["1280x800", "portrait"])
def test_the_desk_fits_the_screen(start, size):
    kiosk = start(size)
    state = kiosk.wait_for(lambda s: s["screen"] == "desk" and not s["cut"], 10, "the desk shows cut text")
    kiosk.display.screenshot(f"desk-{size[0]}x{size[1]}")
    _fills_the_screen(kiosk, state)
    for name in ("eventTitle", "deskSearch", "checkCodeButton", "undoButton", "cameraPreview", "recentScans"):
        assert name in state["places"] and _inside(state["places"][name], size), f"{name} not wholly on screen"
    assert not state["cut"], f"cut: {state['cut']}"  # the header's event name among them


def test_the_attendee_header_is_whole_in_portrait_and_shows_no_staff_information(start):
    kiosk = start((1080, 1920), role="attendee")
    kiosk.tap_widget("attract")
    state = kiosk.wait_for(lambda s: "attendeeHome" in s["places"] and "eventTitle" not in s["cut"], 10,
                           "no home screen with the whole event name")
    kiosk.display.screenshot("attendee-home-1080x1920")
    _fills_the_screen(kiosk, state)
    assert "eventTitle" not in state["cut"]
    assert "syncStatus" not in state["places"] and "pointLabel" not in state["places"]
    assert not any(t in state["texts"] for t in ("Stand-alone", "Online", "Offline", "Event entrance · Entry"))


def test_still_there_comes_before_the_reset_and_the_reset_forgets_the_person(start):
    kiosk = start(idle_seconds=12)  # the warning shows 4 s before the reset
    kiosk.tap_widget("deskSearch")
    kiosk.type("zhang", delay_ms=120)
    x, y, w, h = kiosk.wait_for(lambda s: "deskResults" in s["places"], 10, "no results")["places"]["deskResults"]
    kiosk.tap(x + 200, y + 30)
    kiosk.wait_for(lambda s: "Zhang Wei" in s["texts"], 10, "the person did not open")
    state = kiosk.wait_for(lambda s: "Still there?" in s["texts"], 15, "no warning before the reset")
    assert "Zhang Wei" in state["texts"]
    kiosk.tap(60, 500)  # anywhere: the person is still here
    state = kiosk.wait_for(lambda s: "Still there?" not in s["texts"], 3, "the warning stayed after a touch")
    assert "Zhang Wei" in state["texts"] and state["screen"] == "desk"
    kiosk.wait_for(lambda s: "Still there?" in s["texts"], 15, "no warning before the reset")
    kiosk.display.screenshot("idle-warning")
    state = kiosk.wait_for(lambda s: not any("Zhang" in t for t in s["texts"]), 10, "the person stayed on screen")
    kiosk.display.screenshot("idle-reset")
    assert state["screen"] == "desk" and "Still there?" not in state["texts"]
    assert kiosk.geometry() == (0, 0, 1920, 1080)
