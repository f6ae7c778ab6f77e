"""The hall map widget, driven as a visitor would: taps, drags, double-taps (its maths: test_map_geometry)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt

from kiosk.hallmap import load_hall
from kiosk.models import Exhibitor
from kiosk.paths import demo
from kiosk.routing import route
from tests.helpers_qt import settle
from ui.map_geometry import MAX_SCALE
from ui.map_text import name_tokens
from ui.map_view import DIMMED_OPACITY, HallMapView, MapLegend


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


# ------------------------------------------------------------ taps and gestures


@pytest.mark.parametrize("booth", ["A01", "B13", "C20"])
def test_tapping_a_booth_emits_its_id(qtbot, view, booth):
    with qtbot.waitSignal(view.booth_tapped, timeout=2000) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.booth_view_pos(booth))
    assert sig.args == [booth]


def test_double_tap_on_a_booth_zooms_without_opening_it(qtbot, view):
    taps = []
    view.booth_tapped.connect(taps.append)
    finger = view.booth_view_pos("B13")
    before = view.scale_px_per_m()
    # the first tap of the pair, as Qt delivers it: press, release, then the double-click press
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=finger)
    assert view.pending_tap() and taps == []  # waiting for a possible second tap
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=finger)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=finger)
    assert view.scale_px_per_m() == pytest.approx(before * 2)
    assert not view.pending_tap() and taps == []  # the zoom dropped the waiting tap: no booth panel behind it
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.booth_view_pos("B13"))
    qtbot.waitUntil(lambda: taps == ["B13"], timeout=2000)  # a single tap still opens it


def test_tapping_a_facility_and_empty_floor(qtbot, view):
    cafe = next(f for f in view.hall.facilities if f.id == "cafe")
    with qtbot.waitSignal(view.facility_tapped, timeout=2000) as sig:
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


def test_kiosk_sized_map_labels_are_big_named_and_never_overlap(view, qtbot):
    """The map area of a 1920x1080 kiosk at its default view, then zooming in and out."""
    view.resize(1174, 880)  # beside the zoom buttons
    view.home()
    settle()
    num, name = view._labels["B13"]
    assert num._font.pixelSize() >= 16 and num._font.bold()
    assert name._font.pixelSize() >= 18  # read from a metre (issue 12)
    named = [b.id for b in view.hall.booths if view.label_visible(b.id)[1]]
    occupied = [b for b in view._by_booth if view.hall.has_booth(b)]
    assert len(named) >= 0.75 * len(occupied), set(occupied) - set(named)  # the rest show their number
    assert view.label_lines("B13")[0] == "Ruijie"  # wrapped at a word, not cut to "Ruijie…"
    booth = view.mapFromScene(view._booth_items["B13"].boundingRect()).boundingRect()
    assert booth.width() >= 75  # the default view frames the booths, not the empty hall around them
    for factor in (1.0, 0.8, 1.5, 2.0, 3.0):
        view.home()
        view.zoom_by(factor)
        rects = [(bid, r) for bid in view._labels for r in view.label_rects(bid)]
        for bid, r in rects:  # a label stays inside its booth
            booth = view.mapFromScene(view._booth_items[bid].boundingRect()).boundingRect()
            assert QRectF(booth).adjusted(-1, -1, 1, 1).contains(r), (factor, bid)
        boxes = {}
        for bid, r in rects:
            boxes.setdefault(bid, []).append(r)
        ids = list(boxes)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                assert not any(ra.intersects(rb) for ra in boxes[a] for rb in boxes[b]), (factor, a, b)


def test_you_are_here_does_not_cover_the_entrance(view):
    view.resize(1260, 800)
    view.fit_all()
    caption = view.you_caption_rect()
    for e in view.hall.entrances:
        mark = view.mapFromScene(QPointF(*e.pos))
        assert not caption.adjusted(-17, -17, 17, 17).contains(QPointF(mark)), e.id


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
    view.resize(1260, 800)
    view.home()
    assert view.label_lines("B13")[0].startswith("锐捷")
    for b in view.hall.booths:  # whole words on every line, never a line that starts with the dot
        text = view._labels[b.id][1].text()
        for line in view.label_lines(b.id):
            assert line[0] not in "·、，。）", (b.id, line)
            assert any(text.startswith(line.rstrip("…"), i) for i in range(len(text))), (b.id, line)
        words = name_tokens(text)
        shown = "".join(x.rstrip("…") for x in view.label_lines(b.id))
        if shown and not any(x.endswith("…") for x in view.label_lines(b.id)):
            assert shown == "".join(w.strip() for w in words).replace(" ", ""), b.id
        ends = {len("".join(w.strip() for w in words[:k])) for k in range(len(words) + 1)}
        offset = 0
        for line in view.label_lines(b.id)[:-1]:  # every wrap falls between two words
            offset += len(line)
            assert offset in ends, (b.id, view.label_lines(b.id))


def test_legend_taps_select_and_clear_a_category(qtbot, event):
    legend = MapLegend([(c["id"], c["name"], c["color"]) for c in event["categories"]])
    qtbot.addWidget(legend)
    legend.show()
    assert legend.button("ai").minimumHeight() >= 48
    assert legend.button("ai").fontInfo().pixelSize() >= 20  # readable chips wherever the legend is used
    with qtbot.waitSignal(legend.category_tapped) as sig:
        qtbot.mouseClick(legend.button("ai"), Qt.MouseButton.LeftButton)
    assert sig.args == ["ai"] and legend.button("ai").isChecked()
    with qtbot.waitSignal(legend.category_tapped) as sig:
        qtbot.mouseClick(legend.button("ai"), Qt.MouseButton.LeftButton)
    assert sig.args == [""] and not legend.button("ai").isChecked()


@pytest.mark.parametrize("booth", ["B13", "A03", "C20", "B01"])
def test_you_are_here_caption_leaves_the_route_in_view_and_the_marker_covers_its_start(view, booth):
    view.resize(1260, 800)
    side_without_route = view._you_side
    r = route(view.hall, view.hall.kiosk_position(), booth)
    view.show_route(r)
    caption = view.you_caption_rect()
    path = view._route_items[1].path()
    for i in range(1, 101):  # the route's on-screen pixels, first to last
        pt = QPointF(view.mapFromScene(path.pointAtPercent(i / 100)))
        assert not caption.contains(pt), f"the caption hides the route at {i}%"
    assert view._you.zValue() > max(it.zValue() for it in view._route_items)  # the marker over the route's start
    view.show_route(None)
    assert view._you_side == side_without_route  # back where it sits without a route
