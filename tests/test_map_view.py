"""The hall map widget, driven as a visitor would: taps, drags, double-taps; plus its zoom maths."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from kiosk.hallmap import load_hall
from kiosk.models import Exhibitor
from kiosk.paths import demo
from kiosk.routing import route
from ui.map_view import DIMMED_OPACITY, MAX_SCALE, HallMapView, MapLegend, clamp_scale, fit_scale, short_name, zoom_about


@pytest.fixture(scope="module")
def event():
    return json.loads((demo() / "event.json").read_text(encoding="utf-8"))


@pytest.fixture
def view(qtbot, event):
    exhibitors = [Exhibitor(**{**e, "booths": tuple(e["booths"]), "products": tuple(e["products"])})
                  for e in event["exhibitors"]]
    v = HallMapView(load_hall(demo() / "hall.json"), exhibitors, {c["id"]: c["color"] for c in event["categories"]})
    qtbot.addWidget(v)
    v.resize(1000, 760)
    v.show()
    qtbot.waitExposed(v)
    return v


# ------------------------------------------------------------ pure zoom maths


def test_zoom_about_keeps_the_anchor_fixed_and_clamps():
    anchor_scene, anchor_view, centre = (12.0, 30.0), (700.0, 120.0), (500.0, 380.0)
    new, c = zoom_about(10.0, 2.0, anchor_scene, anchor_view, centre, 5.0, 100.0)
    assert new == 20.0
    # where the anchor lands after the zoom: (scene - centre_scene) * scale + viewport centre
    assert (anchor_scene[0] - c[0]) * new + centre[0] == pytest.approx(anchor_view[0])
    assert (anchor_scene[1] - c[1]) * new + centre[1] == pytest.approx(anchor_view[1])
    assert zoom_about(90.0, 2.0, anchor_scene, anchor_view, centre, 5.0, 100.0)[0] == 100.0
    assert zoom_about(6.0, 0.1, anchor_scene, anchor_view, centre, 5.0, 100.0)[0] == 5.0
    assert clamp_scale(3.0, 5.0, 4.0) == 5.0  # a tiny window: "fits" wins over the max
    assert fit_scale((50.0, 40.0), (1000.0, 400.0), margin=1.0) == 10.0
    assert short_name("Changping Healthcare Industry Fund") == "Changping…"


# ------------------------------------------------------------ taps and gestures


@pytest.mark.parametrize("booth", ["A01", "B13", "C20"])
def test_tapping_a_booth_emits_its_id(qtbot, view, booth):
    with qtbot.waitSignal(view.booth_tapped, timeout=1000) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.booth_view_pos(booth))
    assert sig.args == [booth]


def test_tapping_a_facility_and_empty_floor(qtbot, view):
    cafe = next(f for f in view.hall.facilities if f.id == "cafe")
    with qtbot.waitSignal(view.facility_tapped, timeout=1000) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(QPointF(*cafe.pos)))
    assert sig.args == ["cafe"]
    with qtbot.assertNotEmitted(view.booth_tapped):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(QPointF(28.0, 10.0)))


def test_dragging_pans_without_tapping(qtbot, view):
    view.focus_booth("B03")
    start = view.booth_view_pos("B03")
    with qtbot.assertNotEmitted(view.booth_tapped):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        for dx in range(10, 140, 20):
            qtbot.mouseMove(view.viewport(), start + QPoint(min(dx, 120), 0))
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(120, 0))
    assert view.booth_view_pos("B03").x() - start.x() == pytest.approx(120, abs=3)


def test_double_tap_zooms_about_the_finger_then_back_to_the_whole_hall(qtbot, view):
    lo, _hi = view.zoom_limits()
    before = view.scale_px_per_m()
    finger = view.booth_view_pos("A14")
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=finger)
    assert view.scale_px_per_m() == pytest.approx(before * 2)
    after = view.booth_view_pos("A14")
    assert abs(after.x() - finger.x()) <= 2 and abs(after.y() - finger.y()) <= 2
    for _ in range(12):
        view.zoom_by(2.0, finger)
    assert view.scale_px_per_m() == MAX_SCALE
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=finger)
    assert view.scale_px_per_m() == pytest.approx(lo / 0.8)  # fitted again
    view.zoom_by(0.01)
    assert view.scale_px_per_m() == pytest.approx(lo)


def test_labels_keep_their_size_and_appear_when_there_is_room(view):
    def label_px_height():
        num = view._labels["A03"][0]
        return num.deviceTransform(view.viewportTransform()).mapRect(num.boundingRect()).height()

    view.resize(500, 380)
    view.fit_all()
    small = label_px_height()
    assert view.label_visible("A03") == (False, False)  # 3 m booths are too small to label here
    view.focus_booth("A03", scale=60)
    assert view.label_visible("A03") == (True, True)
    assert label_px_height() == pytest.approx(small)


# ------------------------------------------------------------ state shown


def test_highlight_dims_the_others_and_clears(view):
    view.highlight(["A03", "B07", "NOPE"])
    assert view.highlighted() == {"A03", "B07"}
    assert view._booth_items["A03"].opacity() == 1.0
    assert view._booth_items["C01"].opacity() == DIMMED_OPACITY
    view.highlight([])
    assert all(item.opacity() == 1.0 for item in view._booth_items.values())


def test_route_is_drawn_from_you_are_here(view):
    r = route(view.hall, view.hall.kiosk_position(), "A18")
    view.show_route(r)
    assert [c for p in view.route_path() for c in p] == pytest.approx([c for p in r.points for c in p])
    you = view._you.pos()
    assert (you.x(), you.y()) == pytest.approx(r.points[0])
    view.show_route(None)
    assert view.route_path() == []


def test_chinese_labels(view):
    view.set_language("zh")
    assert view._labels["A03"][1].text() == "诺诚健华"


def test_legend_taps_select_and_clear_a_category(qtbot, event):
    legend = MapLegend([(c["id"], c["name"], c["color"]) for c in event["categories"]])
    qtbot.addWidget(legend)
    legend.show()
    assert legend.button("ai").minimumHeight() >= 48
    with qtbot.waitSignal(legend.category_tapped) as sig:
        qtbot.mouseClick(legend.button("ai"), Qt.MouseButton.LeftButton)
    assert sig.args == ["ai"] and legend.button("ai").isChecked()
    with qtbot.waitSignal(legend.category_tapped) as sig:
        qtbot.mouseClick(legend.button("ai"), Qt.MouseButton.LeftButton)
    assert sig.args == [""] and not legend.button("ai").isChecked()
