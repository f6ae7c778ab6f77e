"""docs/screenshots/ from the real-display tier: the real app on Xvfb with no window manager, driven
by X input, in English and Chinese, landscape and portrait, under the file names the README uses.

Opt-in (each screen costs a kiosk start): `./run screenshots`, or
`KIOSK_DOCS_SCREENSHOTS=1 pytest -m realdisplay tests/test_real_display_docs.py`. Screens this tier
cannot reach by touch yet (the hand-off case, a revoked badge, the route, the lead screens) and the agenda (it needs
the demo day's clock) keep the
offscreen scripts' pictures (tests/screenshots*.py).
"""
from __future__ import annotations

import os
import time

import pytest

from tests.factories import PEOPLE
from tests.realdisplay import DOCS_ENV, Kiosk, OnScreenKeyboard, displays, start, wait_until  # noqa: F401
from tests.sql import sql

pytestmark = [pytest.mark.realdisplay,
              pytest.mark.skipif(os.environ.get(DOCS_ENV) != "1", reason=f"docs screenshots: set {DOCS_ENV}=1")]

LANGS = [("en", "en"), ("zh_CN", "zh")]  # kiosk language, the attendee pictures' short suffix
LANDSCAPE, PORTRAIT = (1920, 1080), (1080, 1920)


def _entries(kiosk: Kiosk) -> int:
    return sql(kiosk.db).execute("SELECT count(*) FROM checkins WHERE undone = 0").fetchone()[0]


def _settle(seconds: float = 1.0) -> None:
    time.sleep(seconds)  # animations and background results land


@pytest.mark.parametrize("lang", [code for code, _ in LANGS])
def test_role_picker(start, lang):
    kiosk = start(LANDSCAPE, role=None, language=lang)
    kiosk.wait_for(lambda s: s["screen"] == "roles", 10, "no role picker")
    kiosk.display.docs_shot(f"01_role_picker_{lang}")


@pytest.mark.parametrize("lang", [code for code, _ in LANGS])
def test_desk(start, lang):
    kiosk = start(LANDSCAPE, language=lang)
    kiosk.wait_for(lambda s: s["screen"] == "desk", 10, "no desk")
    _settle()
    kiosk.display.docs_shot(f"02_desk_{lang}")
    code = kiosk.badge(PEOPLE[0])
    kiosk.type(code + "\n", delay_ms=4)
    wait_until(lambda: _entries(kiosk) == 1, 20, "not checked in")
    _settle()
    kiosk.display.docs_shot(f"04_verdict_ok_{lang}")
    time.sleep(3.5)  # past the scanner's debounce: the same badge again
    kiosk.type(code + "\n", delay_ms=4)
    _settle(2)
    kiosk.display.docs_shot(f"04_verdict_already_checked_in_{lang}")
    kiosk.type("NOPE-4242\n", delay_ms=4)
    _settle(2)
    kiosk.display.docs_shot(f"04_verdict_unknown_{lang}")
    kiosk.tap(1400, 600)  # the card goes; this desk's recent scans show
    _settle(2)
    kiosk.display.docs_shot(f"08_desk_recent_scans_{lang}")


@pytest.mark.parametrize("lang", [code for code, _ in LANGS])
def test_desk_portrait_with_the_keyboard(start, lang):
    kiosk = start(PORTRAIT, language=lang)
    kiosk.wait_for(lambda s: s["screen"] == "desk", 10, "no desk")
    _settle()
    kiosk.display.docs_shot(f"10_desk_portrait_{lang}")
    kiosk.tap_widget("deskSearch")
    osk = OnScreenKeyboard(kiosk)
    osk.type("zhang")  # in Chinese: pinyin, then the first candidate
    if lang == "zh_CN":
        _settle()
        osk.tap("candidate")
    _settle(2)
    kiosk.display.docs_shot(f"12_desk_keyboard_portrait_{lang}")


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
@pytest.mark.parametrize("lang,short", LANGS)
def test_attendee(start, lang, short, size):
    kiosk = start(size, role="attendee", language=lang)
    suffix = f"{short}-{size[0]}x{size[1]}"
    kiosk.wait_for(lambda s: "attract" in s["places"], 10, "no attract screen")
    _settle()
    kiosk.display.docs_shot(f"attendee-attract-{suffix}")
    kiosk.tap_widget("attract")
    kiosk.wait_for(lambda s: "attendeeHome" in s["places"], 10, "no home")
    _settle()
    kiosk.display.docs_shot(f"attendee-home-{suffix}")
    kiosk.tap_widget("home-agenda")
    kiosk.wait_for(lambda s: "agendaPage" in s["places"], 10, "no agenda")
    _settle()
    # the demo event is dated 2023-11-18, so the real clock finds no session today: not for the docs
    kiosk.display.screenshot(f"attendee-agenda-{suffix}")
    kiosk.tap_widget("homeButton")
    kiosk.tap_widget("home-map")
    kiosk.tap_widget("exhibitorSearch")
    OnScreenKeyboard(kiosk).type("bio")
    _settle(2)
    kiosk.display.docs_shot(f"attendee-search-{suffix}")
