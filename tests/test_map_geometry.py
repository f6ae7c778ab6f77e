"""The hall map's arithmetic with plain numbers: zoom, framing, level of detail, caption placement."""
from __future__ import annotations

import pytest

from ui.map_geometry import (MAX_SCALE, NAME_MAX_LINES, at_closest_zoom, bounds_centre, caption_offset, clamp_scale,
                             fit_scale, frame, frame_in, home_bounds, label_offsets, label_room, label_side,
                             point_along, wheel_factor,
                             zoom_about, zoom_limits)


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
    assert fit_scale((0.0, 40.0), (1000.0, 400.0)) == 1.0  # a degenerate hall does not divide by zero


def test_zoom_limits_reach_a_little_past_fit_and_never_below_it_at_the_top():
    assert zoom_limits(10.0) == (8.0, MAX_SCALE)
    lo, hi = zoom_limits(1000.0)  # a huge screen on a tiny hall: the closest zoom is the fitted one
    assert lo == hi == 800.0


def test_double_tap_and_wheel_rules():
    assert at_closest_zoom(MAX_SCALE, MAX_SCALE)
    assert at_closest_zoom(MAX_SCALE * 0.9995, MAX_SCALE)  # rounding on the way in still counts
    assert not at_closest_zoom(MAX_SCALE * 0.99, MAX_SCALE)
    assert wheel_factor(120) == pytest.approx(1.25)
    assert wheel_factor(-240) == pytest.approx(1 / 1.25 ** 2)


def test_frame_shows_every_point_with_a_margin():
    scale, centre = frame([(0.0, 0.0), (20.0, 10.0)], (1000.0, 500.0), 5.0, 100.0)
    assert centre == (10.0, 5.0)
    assert scale == pytest.approx(min(1000 / 30, 500 / 20))
    assert frame([(3.0, 3.0), (3.0, 3.0)], (1000.0, 1000.0), 1.0, 30.0)[0] == 30.0  # one point: the cap
    assert bounds_centre((0.0, 10.0, 40.0, 30.0)) == (20.0, 20.0)


def test_label_room_number_then_name_lines():
    number = (30.0, 18.0)
    assert label_room((20.0, 60.0), number, 14.0) == (False, 16.0, 0)  # too narrow for the number
    assert label_room((40.0, 60.0), number, 14.0) == (True, 36.0, 2)  # (60 - 18 - 5) // 14 lines
    assert label_room((36.0, 60.0), number, 14.0).name_lines == 0  # too narrow for a name
    assert label_room((80.0, 30.0), number, 14.0).name_lines == 0  # no line under the number
    assert label_room((80.0, 400.0), number, 14.0).name_lines == NAME_MAX_LINES


def test_number_and_name_are_centred_together():
    assert label_offsets(18.0, 0.0) == (-9.0, 9.0)
    num_dy, name_dy = label_offsets(18.0, 30.0)
    assert num_dy == -24.0 and name_dy == -6.0 and name_dy + 30.0 == -num_dy


def test_point_along_a_polyline():
    path = [(0.0, 0.0), (3.0, 0.0), (3.0, 4.0)]
    assert point_along(path, 2.0) == (2.0, 0.0)
    assert point_along(path, 5.0) == (3.0, 2.0)
    assert point_along(path, 50.0) == (3.0, 4.0)  # past the end: the end


def test_caption_side_points_away_from_nearby_marks():
    assert label_side((26, 41.5), [(28, 44)]) == "above"  # the entrance is below right
    assert label_side((10, 10), [(10, 7), (13, 10)]) == "below"
    assert label_side((10, 10), []) == "below"
    assert label_side((10, 10), [(10, 40)]) == "below"  # far marks do not count


def test_caption_offset_clears_the_mark_on_its_side():
    w, h, r = 100.0, 20.0, 21.0
    assert caption_offset("below", (w, h), r) == (-50.0, 21.0)
    assert caption_offset("above", (w, h), r) == (-50.0, -41.0)
    assert caption_offset("right", (w, h), r) == (25.0, -10.0)
    x, y = caption_offset("left", (w, h), r)
    assert x + w == -25.0 and y == -10.0


def test_the_default_view_frames_the_booths_and_you_are_here_large_enough_to_read():
    hall = (0.0, 0.0, 56.0, 44.0)
    booths = [(9.0, 12.0, 12.0, 15.0), (44.0, 35.0, 47.0, 38.0)]
    bounds = home_bounds(booths, (26.0, 41.5), hall)
    assert bounds == (7.5, 10.5, 48.5, 43.0)  # 1.5 m around, kept inside the hall
    scale, centre = frame_in(bounds, (1174, 883))
    assert 3 * scale >= 75 and 3 * frame_in(hall, (1174, 883))[0] < 60  # a 3 m booth: ~58 px whole hall
    assert centre == ((7.5 + 48.5) / 2, (10.5 + 43.0) / 2)
    assert home_bounds([], None, hall) == hall


def test_framing_keeps_a_reserved_strip_clear():
    scale, (cx, _cy) = frame_in((0.0, 0.0, 10.0, 10.0), (1000, 500), reserved_right=100)
    right_edge_px = (10.0 - cx) * scale + 1000 / 2
    assert right_edge_px <= 900  # the framed area ends left of the strip
