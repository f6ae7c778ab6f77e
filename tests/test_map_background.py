"""The venue's plan under the booths of the kiosk map: drawn where the calibration puts it, muted,
never in the way of a tap, and left out when the image is not the one the hall names."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

from kiosk.hallmap import background_image, hall_from_dict
from kiosk.hallplan import calibration_from_scale, prepare_plan
from ui.map_view import HallMapView

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def plan():
    """The PDF plan of tests/data, prepared as import-hall does, and the hall naming it."""
    prepared = prepare_plan(DATA / "venue-plan.pdf", calibration_from_scale("14.1732", "100,80"))
    raw = json.loads((DATA / "venue-hall.json").read_text(encoding="utf-8"))
    bg = prepared.background
    raw["background"] = {"sha256": bg.sha256, "width": bg.width, "height": bg.height, "origin": list(bg.origin),
                         "m_per_px": bg.m_per_px}
    return hall_from_dict(raw), prepared


def _view(qtbot, hall, png) -> HallMapView:
    v = HallMapView(hall, [], {}, background=png)
    qtbot.addWidget(v)
    v.resize(1000, 760)
    v.show()
    qtbot.waitExposed(v)
    return v


def _colour_at(view: HallMapView, x_m: float, y_m: float):
    return view.grab().toImage().pixelColor(view.mapFromScene(QPointF(x_m, y_m)))


def test_the_plan_shows_under_the_map_where_its_calibration_puts_it(qtbot, plan):
    hall, prepared = plan
    with_plan = _view(qtbot, hall, prepared.png)
    without = _view(qtbot, hall, None)
    assert with_plan.plan_shown() and not without.plan_shown()
    dock = _colour_at(with_plan, 26.0, 17.5)  # the loading dock's edge, drawn on the plan only
    assert dock.blue() > dock.red() + 30
    plain = _colour_at(without, 26.0, 17.5)
    assert (plain.red(), plain.green(), plain.blue()) == (255, 255, 255)
    column = _colour_at(with_plan, 20.0, 15.0)
    assert 60 < column.red() < 200  # dark, but muted: booths and names stay what one reads
    assert _colour_at(with_plan, 7.5, 7.5) == _colour_at(without, 7.5, 7.5)  # booths are drawn over the plan


def test_a_booth_on_the_plan_still_answers_a_tap(qtbot, plan):
    hall, prepared = plan
    view = _view(qtbot, hall, prepared.png)
    with qtbot.waitSignal(view.booth_tapped, timeout=2000) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.booth_view_pos("B04"))
    assert sig.args == ["B04"]


def test_an_image_that_is_not_the_named_one_is_not_drawn(qtbot, plan):
    hall, prepared = plan
    other = prepare_plan(DATA / "venue-plan.png", calibration_from_scale("20", "40,30"))
    assert background_image(base64.b64encode(prepared.png).decode(), hall.background) == prepared.png
    assert background_image(other.encoded(), hall.background) is None
    assert background_image("not base64!", hall.background) is None
    view = _view(qtbot, hall, b"\x89PNG\r\n\x1a\n damaged")
    assert not view.plan_shown()


def test_the_attendee_kiosk_map_shows_the_plan_it_was_sent(qtbot, tmp_path):
    """A kiosk whose database holds a plan with a background (as sync or a bundle leave it) draws it."""
    from kiosk import paths
    from tests.attendee_fixtures import open_kiosk

    prepared = prepare_plan(DATA / "venue-plan.png", calibration_from_scale("20", "40,30"))
    bg = prepared.background
    raw = json.loads((paths.demo() / "hall.json").read_text(encoding="utf-8"))
    raw["background"] = {"sha256": bg.sha256, "width": bg.width, "height": bg.height, "origin": list(bg.origin),
                         "m_per_px": bg.m_per_px}

    def with_plan(store, _key):
        store.set_meta("hall", json.dumps(raw))
        store.set_meta("hall_background", prepared.encoded())

    kiosk = open_kiosk(qtbot, tmp_path, prepare=with_plan)
    assert kiosk.screen.map_page.view.plan_shown()
