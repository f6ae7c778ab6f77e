"""`kiosk-server import-exhibitors`: the organiser's list with logos beside it, checked whole, reaching kiosks."""
from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest
from PIL import Image

from entrypoints import server_cli as admin
from kiosk import travel
from kiosk.bundle import load_bundle
from kiosk.errors import BadInput
from kiosk.store import Store
from sync.rounds import SyncClient
from tests.helpers_sync import bundle_root, enrolled_kiosk
from tests.sql import sql

HEADER = "id,name,name_zh,booths,categories,description,description_zh,products,website,logo\n"


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = admin.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def count(db, query: str):
    conn = sql(db)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


@pytest.fixture
def listing(tmp_path):
    folder = tmp_path / "exhibitors"
    folder.mkdir()
    Image.new("RGB", (1200, 600), "#00a651").save(folder / "lumen.png")
    Image.new("RGB", (900, 900), "#aa0000").save(folder / "optic.jpg", quality=95)
    (folder / "list.csv").write_text(
        HEADER + "EX90,Lumen Imaging,流明影像,Z1;Z2,biomedicine;ai,MRI for all,人人可用的核磁,MRI;CT,"
                 "https://lumen.example,lumen.png\n"
                 "EX91,Optic AG,,Z3,ai,,,,,optic.jpg\n", encoding="utf-8")
    return folder / "list.csv"


def test_exhibitors_and_their_logos_are_imported(capsys, server_db, listing):
    rc, out, err = run(capsys, "import-exhibitors", str(listing), "--db", str(server_db))
    assert rc == 0, err
    assert json.loads(out) == {"file": str(listing), "exhibitors": 2, "new": 2, "updated": 0, "logos": 2}
    assert count(server_db, "SELECT id, category, categories FROM exhibitors WHERE id LIKE 'EX9%' ORDER BY id") == [
        ("EX90", "biomedicine", '["biomedicine", "ai"]'), ("EX91", "ai", '["ai"]')]
    assert count(server_db, "SELECT id FROM booths WHERE exhibitor_id = 'EX90' ORDER BY id") == [("Z1",), ("Z2",)]
    for ex, mime in count(server_db, "SELECT exhibitor_id, mime FROM logos"):
        data = count(server_db, f"SELECT data FROM logos WHERE exhibitor_id = '{ex}'")[0][0]
        with Image.open(io.BytesIO(data)) as im:
            assert max(im.size) <= 256 and len(data) <= travel.MAX_LOGO_BYTES  # shrunk for the wire
            assert im.getpixel((10, 10))[:3] in ((0, 166, 81), (170, 0, 0)) or mime == "image/jpeg"


def test_logos_reach_an_attendee_kiosk_by_sync_and_by_bundle(tmp_path, capsys, server_db, server, listing):
    kiosk = enrolled_kiosk(tmp_path / "attendee.db", server_db, server.url, "attendee", "Kiosk 1")
    try:
        SyncClient(kiosk).round()
        assert kiosk.logos.get("EX90") is None
        assert run(capsys, "import-exhibitors", str(listing), "--db", str(server_db))[0] == 0
        SyncClient(kiosk).round()
        assert kiosk.exhibitor("EX90").booths == ("Z1", "Z2")
        mime, data = kiosk.logos.get("EX90")
        assert mime == "image/png" and Image.open(io.BytesIO(data)).size == (256, 128)
    finally:
        kiosk.close()
    run(capsys, "export-bundle", "--db", str(server_db), "--out", str(tmp_path / "e.bundle"))
    offline = Store(tmp_path / "offline.db")
    try:
        load_bundle(tmp_path / "e.bundle", offline, bundle_root(tmp_path / "e.bundle"))
        assert set(offline.logos.all()) == {"EX90", "EX91"}
    finally:
        offline.close()


def test_an_xlsx_list_with_its_own_headers(tmp_path, capsys, server_db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Exhibitor No.", "Company", "公司名称", "Stand"])
    sheet.append(["EX95", "Nordic Scan", "北欧扫描", "Z9"])
    sheet.append([96, "Numbers Inc", None, "Z10;Z11"])  # a number typed into the id column
    book.save(tmp_path / "list.xlsx")
    rc, _, err = run(capsys, "import-exhibitors", str(tmp_path / "list.xlsx"), "--db", str(server_db),
                       "--map", "Exhibitor No.=id,Company=name,公司名称=name_zh,Stand=booths")
    assert rc == 0, err
    assert count(server_db, "SELECT id, name_zh FROM exhibitors WHERE id IN ('EX95', '96') ORDER BY id") == [
        ("96", ""), ("EX95", "北欧扫描")]


def test_every_problem_is_named_with_its_row_and_nothing_is_imported(tmp_path, capsys, server_db):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "fake.png").write_bytes(b"<html>not an image</html>")
    bad = folder / "bad.csv"
    bad.write_text(HEADER + "EX90,Good One,,Z1,ai,,,,,\n"
                            "EX91,Wrong,,A01,nope,,,,ftp://x,fake.png\n"
                            "EX91,Twice,,,,,,,,missing.png\n"
                            ",No Id,,Z1,,,,,,../../etc/passwd\n", encoding="utf-8")
    before = count(server_db, "SELECT count(*) FROM exhibitors")
    rc, _, err = run(capsys, "import-exhibitors", str(bad), "--db", str(server_db))
    assert rc == 1
    for text in (f"error: {bad}: 8 problems, nothing imported",
                 "row 3: category 'nope' is not one of the event's",
                 "row 3: website 'ftp://x' is not an http(s):// address",
                 "row 3: logo 'fake.png' is not a readable image",
                 "row 3: booth 'A01' belongs to exhibitor 'EX01', who is not in this file",
                 "row 4: id 'EX91' is also on row 3",
                 "row 5: id is empty",
                 "row 5: booth 'Z1' is also 'EX90''s (row 2)",
                 "row 5: logo '../../etc/passwd' must be a file in the folder of bad.csv"):
        assert text in err, text
    assert count(server_db, "SELECT count(*) FROM exhibitors") == before
    assert count(server_db, "SELECT count(*) FROM logos") == [(0,)]


def test_a_header_without_id_is_refused_with_the_known_columns(tmp_path, capsys, server_db):
    (tmp_path / "l.csv").write_text("Company,Stand\nA,B\n", encoding="utf-8")
    rc, _, err = run(capsys, "import-exhibitors", str(tmp_path / "l.csv"), "--db", str(server_db))
    assert rc == 1 and "row 1: unknown columns 'Company', 'Stand'" in err and "--map" in err


def test_a_huge_image_is_refused_before_it_is_decoded(tmp_path, capsys, server_db):
    Image.new("1", (8000, 8000)).save(tmp_path / "bomb.png")  # tiny file, 64 megapixels
    (tmp_path / "l.csv").write_text("id,name,logo\nEX90,Bomb,bomb.png\n", encoding="utf-8")
    rc, _, err = run(capsys, "import-exhibitors", str(tmp_path / "l.csv"), "--db", str(server_db))
    assert rc == 1 and "row 2: logo 'bomb.png' is 8000×8000 pixels, too large to be a logo" in err


def test_a_reimport_updates_and_moves_booths(tmp_path, capsys, server_db, listing):
    run(capsys, "import-exhibitors", str(listing), "--db", str(server_db))
    listing.write_text(HEADER + "EX90,Lumen Imaging GmbH,,Z7,ai,,,,,\n", encoding="utf-8")
    rc, out, _ = run(capsys, "import-exhibitors", str(listing), "--db", str(server_db))
    assert rc == 0 and json.loads(out)["updated"] == 1
    assert count(server_db, "SELECT id FROM booths WHERE exhibitor_id = 'EX90'") == [("Z7",)]
    assert count(server_db, "SELECT name FROM exhibitors WHERE id = 'EX90'") == [("Lumen Imaging GmbH",)]
    assert count(server_db, "SELECT count(*) FROM logos WHERE exhibitor_id = 'EX90'") == [(1,)]  # kept


def test_a_kiosk_refuses_an_oversized_or_foreign_logo(store):
    """A kiosk checks what arrives too: no huge blobs, only PNG or JPEG."""
    big = base64.b64encode(b"\0" * (travel.MAX_LOGO_BYTES + 1)).decode()
    with pytest.raises(BadInput, match="more than"):
        travel.logos_in(store, [{"exhibitor_id": "EX01", "mime": "image/png", "data": big}])
    with pytest.raises(BadInput, match="not PNG or JPEG"):
        travel.logos_in(store, [{"exhibitor_id": "EX01", "mime": "image/svg+xml", "data": "PHN2Zz4="}])
    assert store.logos.all() == {}
