"""kiosk-server import-hall / check-hall with real files: a CAD SVG, a CSV, a PNG and a PDF plan,
hostile files refused, and the plan reaching a kiosk by sync and by bundle.

The files are in tests/data (written by tests/data/make_hall_files.py): a 40 x 30 m hall with
blocks A, B and 301-303; the plan shows a column at (20, 15) m and a loading dock drawn only on
the plan, so a pixel test can tell the plan is calibrated and drawn.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from entrypoints import server_cli as admin
from kiosk.bundle import export_bundle, load_bundle
from kiosk.hallmap import HallError, background_image, hall_from_dict
from kiosk.hallsources import read_booths
from kiosk.selfservice import load_map_data
from kiosk.store import Store
from sync.rounds import SyncClient
from sync.serverdb import ServerDB
from tests.helpers_sync import bundle_root, enrolled_kiosk

DATA = Path(__file__).resolve().parent / "data"
HALL = DATA / "venue-hall.json"
REFERENCE = {b["id"]: b["rect"] for b in json.loads(HALL.read_text(encoding="utf-8"))["booths"]}
PNG_ARGS = ["--background", str(DATA / "venue-plan.png"), "--scale", "20", "--origin", "40,30"]
PDF_ARGS = ["--background", str(DATA / "venue-plan.pdf"), "--scale", "14.1732", "--origin", "100,80"]


@pytest.fixture
def server_attendees() -> int:
    return 20


def run(capsys, *argv) -> tuple[int, str, str]:
    code = admin.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def stored(db_path: Path) -> tuple[str | None, str | None]:
    db = ServerDB(db_path)
    try:
        return db.store.get_meta("hall"), db.store.get_meta("hall_background")
    finally:
        db.close()


def stored_plan(db_path: Path) -> tuple[dict, Image.Image]:
    hall_text, image_text = stored(db_path)
    raw = json.loads(hall_text)
    png = background_image(image_text, hall_from_dict(raw).background)
    assert png is not None, "the stored image is not the one the hall names"
    return raw, Image.open(io.BytesIO(png)).convert("RGB")


def pixel_at(raw: dict, image: Image.Image, x_m: float, y_m: float) -> tuple[int, int, int]:
    bg = raw["background"]
    px = (x_m - bg["origin"][0]) / bg["m_per_px"]
    py = (y_m - bg["origin"][1]) / bg["m_per_px"]
    return image.getpixel((round(px), round(py)))


# ---------------------------------------------------------------- booths from files


def test_cad_svg_booths_match_the_plan_in_metres():
    """mm units from the root's size, a y-up flip and a nested translate, Illustrator's _x33_01 for 301;
    the walls layer, <defs> and generated ids (rect4410) are not booths."""
    booths = {b["id"]: b["rect"] for b in read_booths(DATA / "venue-booths-cad.svg")}
    assert booths == REFERENCE


def test_csv_booths_match_the_plan():
    assert {b["id"]: b["rect"] for b in read_booths(DATA / "venue-booths.csv")} == REFERENCE


def test_svg_rotated_group_and_named_units(tmp_path):
    """A quarter turn keeps a rectangle a rectangle; any other turn makes it a polygon."""
    svg = tmp_path / "rot.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">'
                   '<g id="booths" transform="rotate(90 10 10)"><rect id="K1" x="10" y="10" width="20" height="10"/>'
                   '<rect id="K2" x="10" y="10" width="10" height="10" transform="rotate(-45 10 10)"/></g>'
                   '<g><rect id="outside-the-layer" x="0" y="0" width="5" height="5"/></g></svg>', encoding="utf-8")
    with pytest.raises(HallError, match="units are unknown"):
        read_booths(svg)
    k1, k2 = read_booths(svg, units=0.1)
    assert k1 == {"id": "K1", "rect": [0.0, 1.0, 1.0, 2.0]}
    assert k2["id"] == "K2" and sorted(k2["polygon"]) == [[0.293, 1.707], [1.0, 1.0], [1.0, 2.414], [1.707, 1.707]]


@pytest.mark.parametrize("text, message", [
    ("id,x,y,w\nA1,1,2,3\n", "row 1: missing column"),
    ("id,x,y,w,h\nA1,1,2,3,3\nA1,5,2,3,3\n", "row 3: booth 'A1' already on row 2"),
    ("id,x,y,w,h\nA1,1,two,3,3\n", "row 2, column y: expected a number"),
    ("id,x,y,w,h\nA1,1,2,0,3\n", "row 2: booth 'A1': width and height must be positive"),
])
def test_csv_errors_name_the_file_and_row(tmp_path, text, message):
    path = tmp_path / "booths.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HallError, match=message) as info:
        read_booths(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("name", ["hostile-laughs.svg", "hostile-external.svg"])
def test_hostile_svg_is_refused_and_nothing_stored_changes(tmp_path, server_db, capsys, name):
    before = stored(server_db)
    code, out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--booths", DATA / name)
    assert code == 1 and out == ""
    assert f"{name}: refused" in err and "entities" in err
    assert "root:" not in err  # /etc/passwd was not read into the message
    assert stored(server_db) == before


def test_svg_that_is_not_xml_names_the_file(tmp_path):
    bad = tmp_path / "plan.svg"
    bad.write_text("<svg><rect id='A1'", encoding="utf-8")
    with pytest.raises(HallError, match=r"plan\.svg: not well-formed XML"):
        read_booths(bad)


# ---------------------------------------------------------------- background plans


def test_png_plan_is_stored_calibrated_and_kept_on_a_later_import(server_db, capsys):
    code, out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--booths", DATA / "venue-booths-cad.svg",
                         *PNG_ARGS)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["booths"] == 23 and summary["background"]["m_per_px"] == 0.05
    raw, image = stored_plan(server_db)
    assert raw["background"]["origin"] == [-2.0, -1.5]
    assert max(pixel_at(raw, image, 20.0, 15.0)) < 60  # the column, dark, where the hall has it
    assert min(pixel_at(raw, image, 22.0, 25.0)) > 240  # open floor, white
    # re-importing the booths without --background keeps the plan; --no-background drops it
    assert run(capsys, "import-hall", HALL, "--db", server_db)[0] == 0
    assert stored_plan(server_db)[0]["background"] == raw["background"]
    assert run(capsys, "import-hall", HALL, "--db", server_db, "--no-background")[0] == 0
    assert "background" not in json.loads(stored(server_db)[0])


def test_two_reference_points_calibrate_like_scale_and_origin(server_db, capsys):
    code, _out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--background", DATA / "venue-plan.png",
                          "--calibrate", "40,30=0,0;840,630=40,30")
    assert code == 0, err
    raw, image = stored_plan(server_db)
    assert raw["background"]["origin"] == [-2.0, -1.5] and raw["background"]["m_per_px"] == pytest.approx(0.05)
    assert max(pixel_at(raw, image, 20.0, 15.0)) < 60  # the column


def test_pdf_plan_is_rendered_and_calibrated_in_points(server_db, capsys):
    code, _out, err = run(capsys, "import-hall", HALL, "--db", server_db, *PDF_ARGS)
    assert code == 0, err
    raw, image = stored_plan(server_db)
    assert max(image.size) == 3072  # the page rendered at the stored size, not a thumbnail
    assert max(pixel_at(raw, image, 20.0, 15.0)) < 60  # the column
    r, _g, b = pixel_at(raw, image, 26.0, 17.5)  # the loading dock's left edge, blue
    assert b > r + 60
    assert min(pixel_at(raw, image, 22.0, 25.0)) > 240


def _bomb_png() -> bytes:
    """A 30,000 x 30,000 PNG header over a few bytes of data: decoding it would take 900 MB."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name, content, message", [
    ("plan.png", b"GIF89a not a plan", "not a PNG, JPEG or PDF file"),
    ("plan.png", None, "too large a plan"),
    ("plan.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR broken", "damaged or unreadable PNG"),
    ("plan.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "damaged or unreadable PDF"),
    ("plan.jpg", b"\xff\xd8\xff\xe0 truncated", "damaged or unreadable JPEG"),
])
def test_bad_or_hostile_plan_image_is_refused_and_nothing_changes(tmp_path, server_db, capsys, name, content, message):
    assert run(capsys, "import-hall", HALL, "--db", server_db, *PNG_ARGS)[0] == 0
    before = stored(server_db)
    path = tmp_path / name
    path.write_bytes(_bomb_png() if content is None else content)
    code, out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--background", path, "--scale", "20")
    assert code == 1 and out == ""
    assert err.startswith(f"error: {path}: ") and message in err
    assert stored(server_db) == before


@pytest.mark.parametrize("args, message", [
    (["--background", DATA / "venue-plan.png"], "needs its calibration"),
    (["--background", DATA / "venue-plan.png", "--calibrate", "0,0=0,0;800,0=0,40"], "turn the plan by 90.0 degrees"),
    (["--background", DATA / "venue-plan.png", "--scale", "20", "--origin", "2000,2000"], "misses most of the hall"),
    (["--background", DATA / "venue-plan.png", "--scale", "-3"], "must be a positive number"),
    (["--scale", "20"], "go with --background"),
])
def test_calibration_mistakes_are_refused(server_db, capsys, args, message):
    before = stored(server_db)
    code, _out, err = run(capsys, "import-hall", HALL, "--db", server_db, *args)
    assert code == 1 and message in err
    assert stored(server_db) == before


# ---------------------------------------------------------------- check-hall


def _hall_with(tmp_path, *extra) -> Path:
    raw = json.loads(HALL.read_text(encoding="utf-8"))
    raw["booths"] += list(extra)
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_check_hall_names_each_booth_outside_overlapping_or_unreachable(tmp_path, capsys):
    path = _hall_with(
        tmp_path,
        {"id": "OUT", "rect": [45, 5, 3, 3]},  # beyond the east wall
        {"id": "EDGE", "rect": [37, 2, 4, 3]},  # half through it
        {"id": "OVER", "rect": [7.5, 7.5, 3, 3]},  # on top of A01/A02/A06/A07
        # a booth closed in on four sides by others, no aisle to it
        {"id": "N", "rect": [32.5, 12, 3, 1.5]}, {"id": "S", "rect": [32.5, 16.5, 3, 1.5]},
        {"id": "W", "rect": [31, 12, 1.5, 6]}, {"id": "E", "rect": [35.5, 12, 1.5, 6]},
        {"id": "SHUT", "rect": [32.5, 13.5, 3, 3]})
    code, out, err = run(capsys, "check-hall", path)
    assert code == 1
    lines = out.splitlines()
    assert f"error: {path}: booth OUT: lies outside the hall outline" in lines  # the file, the booth, the problem
    assert f"error: {path}: booth EDGE: sticks out of the hall outline" in lines
    assert {ln for ln in lines if "overlaps" in ln} == {
        f"error: {path}: booth A01: overlaps booth OVER", f"error: {path}: booth A02: overlaps booth OVER",
        f"error: {path}: booth A06: overlaps booth OVER", f"error: {path}: booth A07: overlaps booth OVER"}
    assert any(ln.startswith(f"error: {path}: booth SHUT: cannot be reached on foot") for ln in lines)
    assert not any(f"booth {b}:" in out for b in ("A03", "B01", "301", "N", "S", "W", "E"))
    assert all(ln.startswith(f"error: {path}: booth ") for ln in lines)
    assert "8 error(s)" in err


def test_check_hall_passes_a_good_plan_and_booths_from_svg(capsys):
    code, out, err = run(capsys, "check-hall", HALL, "--booths", DATA / "venue-booths-cad.svg")
    assert (code, out) == (0, "") and "0 error(s), 0 warning(s)" in err


def test_check_hall_with_db_reports_exhibitors_and_booths_that_do_not_meet(server_db, capsys):
    code, out, _ = run(capsys, "check-hall", HALL, "--db", server_db)
    assert code == 1
    # the demo exhibitors stand at A01..C20; this venue has A01-A10, B01-B10, 301-303
    assert f"warning: {HALL}: booth 301: no exhibitor has this booth" in out
    assert any(ln.startswith(f"error: {HALL}: booth C05: exhibitor ") and "the hall plan has no such booth" in ln
               for ln in out.splitlines())
    assert "booth A03:" not in out


def test_import_hall_refuses_a_plan_with_errors_and_keeps_the_old_one(tmp_path, server_db, capsys):
    before = stored(server_db)
    code, out, err = run(capsys, "import-hall", _hall_with(tmp_path, {"id": "OVER", "rect": [7.5, 7.5, 3, 3]}),
                         "--db", server_db, *PNG_ARGS)
    assert code == 1 and out == ""
    assert "booth A01: overlaps booth OVER" in err and "nothing was imported" in err
    assert stored(server_db) == before


def test_a_hall_file_error_names_the_file_and_element(tmp_path, server_db, capsys):
    raw = json.loads(HALL.read_text(encoding="utf-8"))
    raw["booths"][3]["rect"] = [1, 2, -3, 3]
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    before = stored(server_db)
    code, _out, err = run(capsys, "import-hall", path, "--db", server_db)
    assert code == 1 and f"{path}: booth 'A04'.rect: width and height must be positive" in err
    assert stored(server_db) == before


# ---------------------------------------------------------------- reaching the kiosk


def test_plan_reaches_a_kiosk_by_sync_once(tmp_path, server_db, server, capsys):
    kiosk = enrolled_kiosk(tmp_path / "k.db", server_db, server.url, "attendee", "Hall kiosk")
    try:
        SyncClient(kiosk).round()
        assert load_map_data(kiosk).background is None
        assert run(capsys, "import-hall", HALL, "--db", server_db, *PNG_ARGS)[0] == 0
        SyncClient(kiosk).round()
        data = load_map_data(kiosk)
        assert data.hall.has_booth("301") and not data.hall.has_booth("C20")
        assert data.background is not None
        assert hashlib.sha256(data.background).hexdigest() == data.hall.background.sha256
        # an exhibitor change sends the event again, not the image
        db = ServerDB(server_db)
        try:
            db.store.set_meta("categories", db.store.get_meta("categories"))
        finally:
            db.close()
        kiosk.set_meta("hall_background", "stale")  # were the image sent again, this would be replaced
        SyncClient(kiosk).round()
        assert kiosk.get_meta("hall_background") == "stale"
    finally:
        kiosk.close()


def test_plan_travels_in_the_bundle(tmp_path, server_db, capsys):
    assert run(capsys, "import-hall", HALL, "--db", server_db, *PDF_ARGS)[0] == 0
    db = ServerDB(server_db)
    try:
        export_bundle(db.store, tmp_path / "event.bundle", db.trust_root())
    finally:
        db.close()
    kiosk = Store(tmp_path / "kiosk.db")
    try:
        load_bundle(tmp_path / "event.bundle", kiosk, bundle_root(tmp_path / "event.bundle"))
        data = load_map_data(kiosk)
        assert data.background is not None and data.hall.background.width == 3072
        assert base64.b64decode(kiosk.get_meta("hall_background")) == data.background
    finally:
        kiosk.close()


def test_svg_nested_beyond_reason_is_refused_not_a_crash(tmp_path):
    path = tmp_path / "deep.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40m" viewBox="0 0 40 30">' + "<g>" * 5000
                    + '<rect id="A01" x="1" y="1" width="3" height="3"/>' + "</g>" * 5000 + "</svg>", encoding="utf-8")
    with pytest.raises(HallError, match="nested more than 100 deep"):
        read_booths(path)


def test_a_kiosk_standing_in_a_booth_is_reported_and_not_imported(tmp_path, server_db, capsys):
    raw = json.loads(HALL.read_text(encoding="utf-8"))
    raw["kiosks"] = {"kiosk-1": [30, 27], "kiosk-2": [7, 7]}  # in A01
    path = tmp_path / "hall.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    before = stored(server_db)
    code, out, _ = run(capsys, "check-hall", path)
    assert code == 1 and f"error: {path}: booth A01: kiosk kiosk-2 at [7.0, 7.0] stands inside this booth" in out
    code, _, err = run(capsys, "import-hall", path, "--db", server_db)
    assert code == 1 and "stands inside this booth" in err and stored(server_db) == before


def test_a_jpeg_plan_and_a_large_plan_scaled_down_with_its_calibration(tmp_path, server_db, capsys):
    """A JPEG photo of the plan works like a PNG; a plan wider than 3072 px is stored at 3072 px and
    its metres per pixel grow to match, so the column still lands on (20, 15) m."""
    big = Image.open(DATA / "venue-plan.png").convert("RGB")
    big = big.resize((big.width * 6, big.height * 6), Image.Resampling.NEAREST)  # 5280 x 3960, 120 px/m
    big.save(tmp_path / "plan.jpg", quality=90)
    code, out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--background", tmp_path / "plan.jpg",
                         "--scale", "120", "--origin", "240,180")
    assert code == 0, err
    raw, image = stored_plan(server_db)
    assert image.size == (3072, 2304)
    assert raw["background"]["m_per_px"] == pytest.approx(44 / 3072)  # 5280 px of 1/120 m over 3072 px
    assert json.loads(out)["background"]["origin"] == [-2.0, -1.5]
    assert max(pixel_at(raw, image, 20.0, 15.0)) < 90
    assert min(pixel_at(raw, image, 22.0, 25.0)) > 230


def test_a_transparent_plan_lies_on_white_paper(tmp_path, server_db, capsys):
    """CAD programs export plans with a transparent background; dropping the alpha would turn it black."""
    plan = Image.new("RGBA", (880, 660), (0, 0, 0, 0))
    plan.paste((0, 0, 0, 255), (436, 326, 444, 334))  # the column at (20, 15) m
    plan.save(tmp_path / "plan.png")
    code, _out, err = run(capsys, "import-hall", HALL, "--db", server_db, "--background", tmp_path / "plan.png",
                          "--scale", "20", "--origin", "40,30")
    assert code == 0, err
    raw, image = stored_plan(server_db)
    assert pixel_at(raw, image, 22.0, 25.0) == (255, 255, 255)
    assert max(pixel_at(raw, image, 20.0, 15.0)) < 60


def test_import_hall_into_a_database_that_does_not_exist_is_refused(tmp_path, capsys):
    code, _out, err = run(capsys, "import-hall", HALL, "--db", tmp_path / "typo.db")
    assert code == 1 and "typo.db: no server database" in err
    assert not (tmp_path / "typo.db").exists()


def test_check_hall_finds_the_same_unreachable_booths_as_routes_do():
    """check-hall's one-pass reachability against route() booth by booth, on a generated hall whose
    step areas cut some booths off for step-free walkers."""
    from kiosk.hallmap import generate_hall
    from kiosk.routing import NoRoute, route, unreachable_booths

    hall = generate_hall(120, seed=7)
    start = hall.kiosk_position()
    for step_free in (False, True):
        expected = []
        for b in hall.booths:
            try:
                route(hall, start, b.id, step_free=step_free)
            except NoRoute:
                expected.append(b.id)
        assert unreachable_booths(hall, start, step_free=step_free) == expected
    assert unreachable_booths(hall, start, step_free=True)  # the case is not empty


def test_svg_booths_drawn_as_polygons_and_polylines(tmp_path):
    svg = tmp_path / "poly.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40m" height="30m" viewBox="0 0 40 30">'
                   '<polygon id="L1" points="1,1 5,1 5,3 3,3 3,5 1,5"/>'
                   '<polyline id="P1" points="10,1 13,1 13,4 10,4 10,1"/>'
                   '<rect id="Z1" x="1e999" y="0" width="3" height="3"/></svg>', encoding="utf-8")
    with pytest.raises(HallError, match=r"poly\.svg: <rect id='Z1'>: x='1e999' is not a length"):
        read_booths(svg)
    svg.write_text(svg.read_text(encoding="utf-8").replace('x="1e999"', 'x="20"'), encoding="utf-8")
    booths = {b["id"]: b for b in read_booths(svg)}
    assert booths["L1"]["polygon"] == [[1.0, 1.0], [5.0, 1.0], [5.0, 3.0], [3.0, 3.0], [3.0, 5.0], [1.0, 5.0]]
    assert booths["P1"]["rect"] == [10.0, 1.0, 3.0, 3.0]
    assert booths["Z1"]["rect"] == [20.0, 0.0, 3.0, 3.0]
