"""The route QR a visitor takes to their phone: a short summary in their language, a small code
(version 6 at most) drawn at 6 px a module or more, and a link only where the organiser set one."""
from __future__ import annotations

import json

import numpy as np
import pytest
import zxingcpp

from kiosk import paths
from kiosk.eventdata import EventDataError, from_json
from kiosk.hallmap import load_hall
from kiosk.models import Exhibitor
from kiosk.routing import directions, route
from kiosk.selfservice import PHONE_QR_MAX_VERSION, phone_link, phone_summary, qr_version
from tests.attendee_fixtures import ensure_catalogue, open_kiosk
from tests.helpers_qt import settle
from tests.test_attendee_ui import open_map, tap
from ui.route_words import chinese_words, phrase_directions

QUIET = 8  # modules of margin, 4 a side


def _exhibitors() -> list[Exhibitor]:
    event = json.loads((paths.demo() / "event.json").read_text(encoding="utf-8"))
    return [Exhibitor(**{**e, "booths": tuple(e["booths"]), "products": tuple(e["products"])})
            for e in event["exhibitors"]]


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("zh", [False, True], ids=["en", "zh"])
def test_every_demo_booth_fits_a_version_6_code_in_one_language(zh):
    hall = load_hall(paths.demo() / "hall.json")
    start = hall.kiosk_position()
    link = "https://forum.example.org/expo#{booth}"
    for e in _exhibitors():
        for booth in e.booths:
            r = route(hall, start, booth, True)
            words = phrase_directions(directions(r, hall), chinese_words if zh else lambda t: t)
            for url in ("", phone_link(link, booth)):
                s = phone_summary(e, booth, r, zh, True, words, url)
                assert qr_version(s.text) <= PHONE_QR_MAX_VERSION, (booth, s.text)
                assert _has_han(s.text) == zh or (not zh and _has_han(e.name)), s.text
                assert s.text.endswith(url)  # the link is never dropped to make room
                assert ("https://" in s.text) == bool(url)  # and there is none unless configured
                assert booth in s.lines[0] or booth in s.lines[1]


def test_the_way_in_words_goes_before_the_booth_is_cut():
    e = Exhibitor(id="x", name="Zhongguancun Life Science Park Service Center and Incubator of Many Words",
                  name_zh="", category="", booths=("C06",))
    hall = load_hall(paths.demo() / "hall.json")
    r = route(hall, hall.kiosk_position(), "C06")
    long_words = ("Walk 10 m, turn left, walk 4 m, bear right, walk 12 m, turn right, booth C06 is on your right "
                  "after 9 m.")
    s = phone_summary(e, "C06", r, False, False, long_words, "https://forum.example.org/a/very/long/path/expo")
    assert qr_version(s.text) <= PHONE_QR_MAX_VERSION
    assert any(line.startswith("Booth C06 · ") for line in s.lines)


def test_public_url_is_an_optional_checked_event_field(tmp_path):
    base = json.loads((paths.demo() / "event.json").read_text(encoding="utf-8"))
    assert from_json(base).event.public_url == ""
    base["event"]["public_url"] = "https://forum.example.org/expo#{booth}"
    data = from_json(base)
    assert data.event.public_url == "https://forum.example.org/expo#{booth}"
    for bad in ("forum.example.org", "javascript:alert(1)", "https://a b", "https://x.org/" + "a" * 90):
        base["event"]["public_url"] = bad
        with pytest.raises(EventDataError, match="public_url"):
            from_json(base)
    from kiosk.eventdata import save_to_store
    from kiosk.store import Store
    store = Store(tmp_path / "k.db")
    save_to_store(store, data)
    assert store.event().public_url == "https://forum.example.org/expo#{booth}"  # the kiosk file keeps it
    assert from_json(json.loads(json.dumps(data.to_json()))).event.public_url == data.event.public_url  # the wire
    store.close()


def _decode(pixmap) -> tuple[str, int, float]:
    """(text, version, pixels a module) of the QR as drawn on screen."""
    img = pixmap.toImage().convertToFormat(pixmap.toImage().Format.Format_Grayscale8)
    arr = np.array(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())[:, :img.width()]
    found = zxingcpp.read_barcodes(arr)
    assert len(found) == 1
    version = int(found[0].extra["Version"])
    return found[0].text, version, img.width() / (17 + 4 * version + QUIET)


@pytest.mark.parametrize("size", [(1920, 996), (1080, 1836)], ids=["landscape", "portrait"])
def test_the_route_qr_on_screen_is_version_6_at_most_and_6_px_a_module(qtbot, tmp_path, size):
    ensure_catalogue()
    k = open_kiosk(qtbot, tmp_path, size=size)
    page = open_map(qtbot, k)
    for language, booth in (("en", "C06"), ("zh_CN", "B07")):  # the longest names of the demo
        k.translations.set_language(language)
        page.open_booth(booth)
        tap(qtbot, page.panel.route_button)
        qtbot.waitUntil(lambda: page.panel.route is not None and page.panel.phone.isVisible(), timeout=5000)
        settle()
        code = page.panel.phone.code
        text, version, module_px = _decode(code.pixmap())
        assert text == page.panel.phone.payload() and version <= 6 and module_px >= 6, (language, version, module_px)
        assert code.pixmap().width() <= code.width()  # drawn 1:1, not scaled down by the label
        assert _has_han(text) == (language == "zh_CN") and "https://" not in text
        assert code.visibleRegion().boundingRect() == code.rect()
        page.close_booth()
    k.translations.set_language("en")




def test_the_organisers_event_file_checks_and_exports_public_url(tmp_path):
    from kiosk.eventfile import check_document, to_document
    doc = json.loads((paths.demo() / "event.json").read_text(encoding="utf-8"))
    doc["event"]["public_url"] = "forum.example.org"
    with pytest.raises(EventDataError, match="public_url must be an http"):
        check_document(doc, "event.json")
    doc["event"]["public_url"] = "https://forum.example.org/expo#{booth}"
    check_document(doc, "event.json")
    assert to_document(from_json(doc))["event"]["public_url"] == "https://forum.example.org/expo#{booth}"
