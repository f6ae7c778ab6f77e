"""docs/organiser-guide.md, followed step by step as a new organiser would, with the real server and CLIs:
empty server -> event file -> exhibitors with a logo -> the hall with the venue's plan under it -> an
Eventbrite export (--preset eventbrite) -> one PDF of badges -> PINs -> `serve --public-url` (a real
server process on 127.0.0.1) -> enrol a desk, an attendee kiosk and an exhibitor tablet -> a printed badge
checks in at the desk and is a lead at the booth."""
from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import requests
import zxingcpp
from PIL import Image

from entrypoints import kiosk_cli
from entrypoints import server_cli as admin
from kiosk import pin
from kiosk.selfservice import load_map_data
from kiosk.store import Store
from sync.protocol import parse_setup_code

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"

EVENT = {
    "event": {"id": "GREEN27", "name": "Green Energy Forum 2027", "name_zh": "2027绿色能源论坛",
              "venue": "Shenzhen Convention Center", "venue_zh": "深圳会展中心",
              "dates": ["2027-03-09", "2027-03-10"], "timezone": "Asia/Shanghai"},
    "badge_types": [{"id": "staff", "label": "CREW", "label_zh": "工作组", "access": "all"}],
    "rooms": [{"id": "hall-1", "name": "Hall 1", "name_zh": "1号厅", "capacity": 600}],
    "sessions": [{"id": "opening", "title": "Opening", "title_zh": "开幕式", "room_id": "hall-1",
                  "start": "09:00", "end": "10:00"}],
    "points": [{"id": "entrance", "name": "Main entrance", "name_zh": "主入口"},
               {"id": "hall-1-door", "name": "Hall 1 door", "session_id": "opening", "room_id": "hall-1"}],
    "categories": [{"id": "solar", "name": "Solar", "name_zh": "光伏", "color": "#F9A825"}],
}


def admin_run(monkeypatch, capsys, *argv, stdin: str = "") -> tuple[str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = admin.main(list(argv))
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out, err


def kiosk_run(capsys, *argv) -> tuple[int, dict]:
    rc = kiosk_cli.main(list(argv))
    out, err = capsys.readouterr()
    assert out, err
    return rc, json.loads(out.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: str, port: int, public_url: str) -> subprocess.Popen:
    """Step 5's `kiosk-server serve … --public-url URL`, as a real process (here on 127.0.0.1)."""
    proc = subprocess.Popen([sys.executable, "-m", "entrypoints.server_cli", "serve", "--db", db, "--host", "127.0.0.1",
                             "--port", str(port), "--public-url", public_url], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{public_url}/openapi.json", timeout=1, verify=False).status_code == 200:
                return proc
        except requests.ConnectionError:
            time.sleep(0.05)
        if proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"server did not start: {proc.communicate()[1].decode()[-500:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def badge_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """The QR of every page of the badge PDF, as a camera at a desk reads the printed badges."""
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "badge")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("badge*.png"))
    return [r.text for page in pages for r in zxingcpp.read_barcodes(Image.open(page))]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_the_organiser_guide_end_to_end(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "server.db")
    # 1. the event file, on an empty server
    (tmp_path / "event.json").write_text(json.dumps(EVENT, ensure_ascii=False), encoding="utf-8")
    out, _ = admin_run(monkeypatch, capsys, "create-event", str(tmp_path / "event.json"), "--db", db)
    assert json.loads(out)["days"] == 2
    # 2. exhibitors, from a spreadsheet with a logo beside it; their booths are on the hall plan
    folder = tmp_path / "exhibitors"
    folder.mkdir()
    Image.new("RGB", (640, 320), "#f9a825").save(folder / "sunrise.png")
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "name_zh", "booths", "categories", "products", "logo"])
    book.active.append(["X1", "Sunrise Solar", "日升光伏", "A01;A02", "solar", "panels;inverters", "sunrise.png"])
    book.save(folder / "list.xlsx")
    out, _ = admin_run(monkeypatch, capsys, "import-exhibitors", str(folder / "list.xlsx"), "--db", db)
    assert json.loads(out)["logos"] == 1
    # 3. the hall, with the venue's plan under the booths (20 px per metre, the hall's 0,0 at pixel 40,30)
    admin_run(monkeypatch, capsys, "check-hall", str(DATA / "venue-hall.json"), "--db", db)  # exit 0: no errors
    out, err = admin_run(monkeypatch, capsys, "import-hall", str(DATA / "venue-hall.json"), "--db", db,
                         "--background", str(DATA / "venue-plan.png"), "--scale", "20", "--origin", "40,30")
    hall = json.loads(out)
    assert hall["booths"] == 23 and hall["background"]["m_per_px"] == 0.05
    # booths nobody has yet: warned (the file and the booth named), not refused
    assert hall["warnings"] > 0 and f"warning: {DATA / 'venue-hall.json'}: booth B01" in err
    # 4. attendees, the registration system's export as it is (Eventbrite's attendee report)
    admin_run(monkeypatch, capsys, "import-attendees", str(DATA / "eventbrite-attendees.csv"), "--db", db,
              "--preset", "eventbrite", "--check")
    assert json.loads(admin_run(monkeypatch, capsys, "stats", "--db", db)[0])["attendees"] == 0  # --check wrote nothing
    out, _ = admin_run(monkeypatch, capsys, "import-attendees", str(DATA / "eventbrite-attendees.csv"), "--db", db,
                       "--preset", "eventbrite")
    assert json.loads(out)["added"] == 4  # Tom Baker, "Not Attending", is not an attendee
    # 5. badges: one PDF for everyone
    out, _ = admin_run(monkeypatch, capsys, "badges", "--db", db, "--out", str(tmp_path / "badges.pdf"),
                       "--template", "a6")
    batch = json.loads(out)
    assert batch["badges"] == batch["pages"] == 4 and not batch["missing_glyphs"]
    assert "Désirée Müller" in pdf_text(tmp_path / "badges.pdf")  # Eventbrite's First Name + Last Name
    codes = badge_codes(tmp_path / "badges.pdf", tmp_path)
    assert len(codes) == 4 and all(c.startswith("FK1:") for c in codes)
    # 6. PINs, then the server with its address
    for who, value in ((("--role", "desk"), "246810"), (("--role", "attendee"), "135791"),
                       (("--role", "exhibitor"), "864200"), (("--exhibitor", "X1"), "975310")):
        admin_run(monkeypatch, capsys, "set-pin", "--db", db, *who, stdin=value + "\n")
    url = f"https://127.0.0.1:{free_port()}"
    server = serve(db, int(url.rsplit(":", 1)[1]), url)
    try:
        # 7. devices
        setup = {}
        for role, name, extra in (("desk", "Desk 1", ()), ("attendee", "Lobby kiosk", ()),
                                  ("exhibitor", "Sunrise booth", ("--exhibitor", "X1"))):
            out, _ = admin_run(monkeypatch, capsys, "enroll", "--db", db, "--role", role, "--name", name, *extra)
            setup[role] = out.strip()
            assert parse_setup_code(setup[role])[0] == url  # the address serve --public-url remembered
        for role in setup:
            rc, summary = kiosk_run(capsys, "enroll", setup[role], "--db", str(tmp_path / f"{role}.db"))
            assert rc == 0 and "sync_error" not in summary, summary
        stores = {role: Store(tmp_path / f"{role}.db") for role in setup}
        try:
            assert pin.verify(stores["desk"], "246810").ok and not pin.verify(stores["desk"], "135791").ok
            assert pin.verify(stores["attendee"], "135791").ok
            assert pin.verify(stores["exhibitor"], "864200").ok
            assert pin.verify(stores["exhibitor"], "975310", scope="exhibitor").ok
            assert stores["attendee"].logos.get("X1") is not None
            assert stores["attendee"].exhibitor("X1").booths == ("A01", "A02")
            hall_map = load_map_data(stores["attendee"])  # the attendee kiosk's map: the venue's booths on its plan
            assert hall_map.hall is not None and len(hall_map.hall.booths) == 23
            assert hall_map.background is not None
        finally:
            for s in stores.values():
                s.close()
        # 8. on the day: a printed badge checks in at the desk and is a lead at the booth (the desk waits
        # longer than a venue's 1 s for the server's answer: the test must not depend on this machine's load)
        monkeypatch.setenv("KIOSK_ONLINE_TIMEOUT_SECONDS", "20")
        rc, verdict = kiosk_run(capsys, "check", codes[0], "--db", str(tmp_path / "desk.db"))
        assert rc == 0 and verdict["status"] == "ok" and verdict["decided_by"] == "server", verdict
        assert verdict["attendee"]["name"] == "Désirée Müller"
        rc, verdict = kiosk_run(capsys, "check", codes[0], "--db", str(tmp_path / "exhibitor.db"))
        assert rc == 0 and verdict["status"] == "lead_saved"
        kiosk_run(capsys, "sync", "--db", str(tmp_path / "exhibitor.db"))
    finally:
        stop(server)
    out, _ = admin_run(monkeypatch, capsys, "stats", "--db", db)
    stats = json.loads(out)
    assert (stats["checked_in"], stats["leads"]) == (1, 1)
    out, _ = admin_run(monkeypatch, capsys, "export-leads", "--db", db, "--exhibitor", "X1",
                       "--out", str(tmp_path / "leads.xlsx"))
    assert json.loads(out)["leads"] == 1
