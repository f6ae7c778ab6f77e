"""docs/organiser-guide.md, followed step by step as a new organiser would, with the real server and CLIs:
empty server -> event file -> exhibitors with a logo -> attendees -> badge -> PINs -> enrol a desk, an
attendee kiosk and an exhibitor tablet -> a check-in and a lead."""
from __future__ import annotations

import io
import json

import openpyxl
from PIL import Image

from entrypoints import kiosk_cli
from entrypoints import server_cli as admin
from kiosk import pin
from kiosk.store import Store
from sync.protocol import parse_setup_code
from sync.server import EmbeddedServer

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


def test_the_organiser_guide_end_to_end(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "server.db")
    # 1. the event file
    (tmp_path / "event.json").write_text(json.dumps(EVENT, ensure_ascii=False), encoding="utf-8")
    out, _ = admin_run(monkeypatch, capsys, "create-event", str(tmp_path / "event.json"), "--db", db)
    assert json.loads(out)["days"] == 2
    # 2. exhibitors, from a spreadsheet with a logo beside it
    folder = tmp_path / "exhibitors"
    folder.mkdir()
    Image.new("RGB", (640, 320), "#f9a825").save(folder / "sunrise.png")
    book = openpyxl.Workbook()
    book.active.append(["id", "name", "name_zh", "booths", "categories", "products", "logo"])
    book.active.append(["X1", "Sunrise Solar", "日升光伏", "S1;S2", "solar", "panels;inverters", "sunrise.png"])
    book.save(folder / "list.xlsx")
    out, _ = admin_run(monkeypatch, capsys, "import-exhibitors", str(folder / "list.xlsx"), "--db", db)
    assert json.loads(out)["logos"] == 1
    # 3. attendees, from the registration system's export
    (tmp_path / "registrations.csv").write_text(
        "id,Full Name,Company\nM0001,Chen Jing,Shenzhen Grid\nM0002,Lars Berg,Nordic Wind\n", encoding="utf-8")
    admin_run(monkeypatch, capsys, "import-attendees", str(tmp_path / "registrations.csv"), "--db", db,
              "--map", "Full Name=name,Company=organisation")
    # 4. a badge
    out, _ = admin_run(monkeypatch, capsys, "badge", "M0001", "--db", db, "--out", str(tmp_path / "M0001.pdf"))
    code = out.strip()
    assert code.startswith("FK1:") and (tmp_path / "M0001.pdf").stat().st_size > 0
    # 5. PINs, then the server and its address
    for who, value in ((("--role", "desk"), "246810"), (("--role", "attendee"), "135791"),
                       (("--role", "exhibitor"), "864200"), (("--exhibitor", "X1"), "975310")):
        admin_run(monkeypatch, capsys, "set-pin", "--db", db, *who, stdin=value + "\n")
    with EmbeddedServer(db) as server:
        admin._remember_public_url(tmp_path / "server.db", server.url, "127.0.0.1")  # as serve --public-url
        # 6. devices
        codes = {}
        for role, name, extra in (("desk", "Desk 1", ()), ("attendee", "Lobby kiosk", ()),
                                  ("exhibitor", "Sunrise booth", ("--exhibitor", "X1"))):
            out, _ = admin_run(monkeypatch, capsys, "enroll", "--db", db, "--role", role, "--name", name, *extra)
            codes[role] = out.strip()
            assert parse_setup_code(codes[role])[0] == server.url
        for role in codes:
            rc, summary = kiosk_run(capsys, "enroll", codes[role], "--db", str(tmp_path / f"{role}.db"))
            assert rc == 0 and "sync_error" not in summary, summary
        stores = {role: Store(tmp_path / f"{role}.db") for role in codes}
        try:
            assert pin.verify(stores["desk"], "246810").ok
            assert pin.verify(stores["attendee"], "135791").ok
            assert pin.verify(stores["exhibitor"], "864200").ok
            assert pin.verify(stores["exhibitor"], "975310", scope="exhibitor").ok
            assert stores["attendee"].logos.get("X1") is not None
            assert stores["attendee"].exhibitor("X1").booths == ("S1", "S2")
        finally:
            for s in stores.values():
                s.close()
        # 7. on the day: a check-in at the desk, a lead at the booth
        rc, verdict = kiosk_run(capsys, "check", code, "--db", str(tmp_path / "desk.db"))
        assert rc == 0 and verdict["status"] == "ok" and verdict["decided_by"] == "server"
        rc, verdict = kiosk_run(capsys, "check", code, "--db", str(tmp_path / "exhibitor.db"))
        assert rc == 0 and verdict["status"] == "lead_saved"
        kiosk_run(capsys, "sync", "--db", str(tmp_path / "exhibitor.db"))
    out, _ = admin_run(monkeypatch, capsys, "stats", "--db", db)
    stats = json.loads(out)
    assert (stats["attendees"], stats["checked_in"], stats["leads"]) == (2, 1, 1)
    out, _ = admin_run(monkeypatch, capsys, "export-leads", "--db", db, "--exhibitor", "X1",
                       "--out", str(tmp_path / "leads.xlsx"))
    assert json.loads(out)["leads"] == 1
