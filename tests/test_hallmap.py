"""The hall plan loader: the demo plan matches the demo event, and bad files say what is wrong."""
from __future__ import annotations

import json

import pytest

from kiosk.hallmap import HallError, generate_hall, load_hall
from kiosk.paths import demo


def _demo_raw() -> dict:
    return json.loads((demo() / "hall.json").read_text(encoding="utf-8"))


def test_demo_hall_has_a_booth_for_every_exhibitor_booth():
    hall = load_hall(demo() / "hall.json")
    event = json.loads((demo() / "event.json").read_text(encoding="utf-8"))
    wanted = {b for e in event["exhibitors"] for b in e["booths"]}
    assert wanted == {b.id for b in hall.booths}
    assert hall.kiosk_position() == tuple(hall.kiosks["kiosk-1"])
    assert hall.kiosk_position("kiosk-2") == tuple(hall.kiosks["kiosk-2"])
    assert hall.kiosk_position("no-such-kiosk") == tuple(hall.kiosks["kiosk-1"])
    assert {f.type for f in hall.facilities} >= {"toilet", "cafe", "stage", "exit", "lift", "stairs"}
    assert hall.steps


def _write(tmp_path, raw) -> object:
    path = tmp_path / "hall.json"
    path.write_text(raw if isinstance(raw, str) else json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda r: r.pop("booths"), "missing 'booths'"),
    (lambda r: r["booths"].append(dict(r["booths"][0])), "appears twice"),
    (lambda r: r["booths"][3].update(rect=[1, 2, -3, 3]), "width and height must be positive"),
    (lambda r: r["booths"][3].pop("rect"), "needs a 'rect'"),
    (lambda r: r["facilities"][0].update(type="jacuzzi"), "unknown facility type 'jacuzzi'"),
    (lambda r: r["kiosks"].update({"kiosk-1": [9.5, 12.5]}), "stands inside booth 'A01'"),
    (lambda r: r["booths"][0].update(rect=[500, 500, 3, 3]), "outside the hall outline"),
    (lambda r: r.update(default_kiosk="k9"), "'default_kiosk' 'k9'"),
    (lambda r: r.update(outline=[[0, 0], "x", [1, 1]]), "outline[1]"),
])
def test_bad_plans_name_the_file_and_the_problem(tmp_path, mutate, message):
    raw = _demo_raw()
    mutate(raw)
    path = _write(tmp_path, raw)
    with pytest.raises(HallError) as err:
        load_hall(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_not_json_and_missing_file(tmp_path):
    with pytest.raises(HallError, match="not valid JSON .line 1"):
        load_hall(_write(tmp_path, "{booths: ["))
    with pytest.raises(HallError, match="not found"):
        load_hall(tmp_path / "nope.json")


def test_generated_hall_has_the_asked_booths_inside_without_overlap():
    hall = generate_hall(500, seed=3)
    assert len(hall.booths) == 500
    assert len({b.id for b in hall.booths}) == 500
    x0, y0, x1, y1 = hall.bounds
    boxes = sorted(b.bbox for b in hall.booths)
    for bx0, by0, bx1, by1 in boxes:
        assert x0 < bx0 < bx1 < x1 and y0 < by0 < by1 < y1
    # no two booths share floor (touching edges is fine)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:i + 12]:
            assert not (a[0] < b[2] - 1e-9 and b[0] < a[2] - 1e-9 and a[1] < b[3] - 1e-9 and b[1] < a[3] - 1e-9)
