"""The organiser's event file: create-event on an empty server, update-event reaching kiosks, export-event."""
from __future__ import annotations

import json
from datetime import date

import pytest

from entrypoints import server_cli as admin
from kiosk import eventdata, paths
from kiosk.bundle import load_bundle
from kiosk.checkin import DeviceContext, check
from kiosk.eventfile import read_event_file
from kiosk.models import Attendee, Status
from kiosk.store import Store
from sync import devices
from sync.rounds import SyncClient
from sync.server import EmbeddedServer
from sync.serverdb import ServerDB
from tests.helpers_sync import badge, bundle_root, enrolled_kiosk
from tests.sql import sql


def two_day_event() -> dict:
    """A small real-looking event: two days in Berlin, a press-only session, its own badge wording."""
    return {
        "event": {"id": "MEDTEC26", "name": "MedTec Summit 2026", "name_zh": "2026医疗技术峰会",
                  "venue": "Messe Berlin", "venue_zh": "柏林展览中心", "dates": ["2026-05-12", "2026-05-13"],
                  "timezone": "Europe/Berlin"},
        "badge_types": [{"id": "staff", "label": "CREW", "label_zh": "工作组", "color": "#000000", "access": "all"},
                        {"id": "vip", "label": "GUEST OF HONOUR", "label_zh": "特邀嘉宾", "color": "#AA8800"}],
        "rooms": [{"id": "hall-a", "name": "Hall A", "name_zh": "A厅", "capacity": 400},
                  {"id": "press", "name": "Press Centre", "name_zh": "新闻中心", "capacity": 40}],
        "sessions": [
            {"id": "keynote", "title": "Keynote", "title_zh": "主旨演讲", "room_id": "hall-a", "start": "09:00",
             "end": "10:00"},
            {"id": "briefing", "title": "Press briefing", "room_id": "press", "date": "2026-05-13",
             "start": "11:00", "end": "11:45", "allowed_types": ["press", "vip"]}],
        "points": [{"id": "entrance", "name": "Entrance", "name_zh": "入口"},
                   {"id": "press-door", "name": "Press Centre door", "session_id": "briefing", "room_id": "press"},
                   {"id": "side-door", "name": "Side door"}],
        "categories": [{"id": "imaging", "name": "Imaging", "name_zh": "影像", "color": "#1565C0"}],
        "exhibitors": [{"id": "X1", "name": "Lumen Imaging", "name_zh": "流明影像", "category": "imaging",
                        "booths": ["B1", "B2"]}],
    }


def q(holder, query: str) -> list[tuple]:
    conn = sql(holder)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def write(path, doc) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = admin.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def created(tmp_path, capsys):
    db = tmp_path / "server.db"
    rc, _, err = run(capsys, "create-event", write(tmp_path / "event.json", two_day_event()), "--db", str(db))
    assert rc == 0, err
    return db


def test_an_export_creates_an_event_that_exports_identically(tmp_path, capsys, created):
    first, second = tmp_path / "export1.json", tmp_path / "export2.json"
    assert run(capsys, "export-event", "--db", str(created), "--out", str(first))[0] == 0
    assert run(capsys, "create-event", str(first), "--db", str(tmp_path / "again.db"))[0] == 0
    assert run(capsys, "export-event", "--db", str(tmp_path / "again.db"), "--out", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    doc = json.loads(first.read_text(encoding="utf-8"))
    assert doc["event"]["dates"] == ["2026-05-12", "2026-05-13"]
    briefing = next(s for s in doc["sessions"] if s["id"] == "briefing")
    assert (briefing["date"], briefing["start"], briefing["end"]) == ("2026-05-13", "11:00", "11:45")
    crew = next(b for b in doc["badge_types"] if b["id"] == "staff")
    assert crew == {"id": "staff", "label": "CREW", "label_zh": "工作组", "color": "#000000", "access": "all"}


def test_the_demo_event_round_trips_through_export(tmp_path, capsys):
    """The demo is one event file like any other: loaded by create-event, exported, loaded again."""
    out1, out2 = tmp_path / "demo1.json", tmp_path / "demo2.json"
    assert run(capsys, "create-event", str(paths.demo() / "event.json"), "--db", str(tmp_path / "a.db"))[0] == 0
    run(capsys, "export-event", "--db", str(tmp_path / "a.db"), "--out", str(out1))
    run(capsys, "create-event", str(out1), "--db", str(tmp_path / "b.db"))
    run(capsys, "export-event", "--db", str(tmp_path / "b.db"), "--out", str(out2))
    assert out1.read_bytes() == out2.read_bytes()
    assert len(json.loads(out1.read_text(encoding="utf-8"))["exhibitors"]) == 58


def test_sessions_sit_on_their_own_day_in_the_event_time_zone(tmp_path):
    data, _ = read_event_file(write(tmp_path / "e.json", two_day_event()))
    times = {s.id: s.starts_at for s in data.sessions}
    assert times == {"keynote": "2026-05-12T09:00:00+02:00", "briefing": "2026-05-13T11:00:00+02:00"}
    moved, _ = read_event_file(tmp_path / "e.json", on_date=date(2026, 6, 1))  # a live demo: same day offsets
    assert {s.id: s.starts_at[:10] for s in moved.sessions} == {"keynote": "2026-06-01", "briefing": "2026-06-02"}


def test_attendees_import_into_a_created_event(tmp_path, capsys, created):
    """No demo event needed any more: create-event, then the registration list."""
    csv = tmp_path / "reg.csv"
    csv.write_text("id,name,badge_type\nM001,Ada Lovelace,press\n", encoding="utf-8")
    rc, _, err = run(capsys, "import-attendees", str(csv), "--db", str(created))
    assert rc == 0, err
    assert q(created, "SELECT event_id, name FROM attendees") == [("MEDTEC26", "Ada Lovelace")]


def test_every_problem_of_a_bad_file_is_named_and_nothing_is_created(tmp_path, capsys):
    doc = two_day_event()
    doc["event"]["timezone"] = "Berlin"
    doc["sessions"][0]["room_id"] = "hall-z"
    doc["sessions"][1]["end"] = "10:30"
    doc["points"][1]["session_id"] = "brefing"
    doc["badge_types"][0]["id"] = "crew"
    doc["exhibitors"][0]["category"] = "optics"
    doc["rooms"][0]["capacity"] = "many"
    doc["sesions"] = []
    db = tmp_path / "new.db"
    rc, _, err = run(capsys, "create-event", write(tmp_path / "bad.json", doc), "--db", str(db))
    assert rc == 1
    for line in ("8 problems", "file: unknown section 'sesions'",
                 "event: timezone 'Berlin' is not an IANA time zone",
                 'badge_types[0] "crew": badge types are the six the signed badge holds',
                 """rooms[0] "hall-a": 'capacity' must be a whole number""",
                 """sessions[0] "keynote": room_id 'hall-z' is not a room""",
                 'sessions[1] "briefing": ends at 10:30, not after it starts (11:00)',
                 """points[1] "press-door": session_id 'brefing' is not a session""",
                 """exhibitors[0] "X1": category 'optics' is not a category"""):
        assert line in err, line
    assert not db.exists()


def test_a_file_that_is_not_json_names_line_and_column(tmp_path, capsys):
    bad = tmp_path / "e.json"
    bad.write_text('{"event": {"id": "E1",}\n}', encoding="utf-8")
    rc, _, err = run(capsys, "create-event", str(bad), "--db", str(tmp_path / "s.db"))
    assert rc == 1 and f"error: {bad}: not JSON (line 1, column" in err


def test_create_event_refuses_a_database_that_holds_an_event(tmp_path, capsys, created):
    rc, _, err = run(capsys, "create-event", write(tmp_path / "e2.json", two_day_event()), "--db", str(created))
    assert rc == 1 and "already holds event MEDTEC26 (change it with update-event)" in err


def test_update_event_cannot_change_the_event_id(tmp_path, capsys, created):
    doc = two_day_event()
    doc["event"]["id"] = "MEDTEC27"
    rc, _, err = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
    assert rc == 1 and "event id 'MEDTEC27' differs from the database's 'MEDTEC26'" in err


def test_removing_a_door_or_session_with_check_ins_is_refused_with_the_reason(tmp_path, capsys, created):
    db = ServerDB(created)
    db.upsert_attendees([_person("P1", "press")])
    db.close()
    kiosk = Store(tmp_path / "k.db")
    try:
        run(capsys, "export-bundle", "--db", str(created), "--out", str(tmp_path / "b.bundle"))
        load_bundle(tmp_path / "b.bundle", kiosk, bundle_root(tmp_path / "b.bundle"))
        ctx = DeviceContext.from_store(kiosk)
        verdict = check(kiosk, badge(created, "P1"), ctx, point_id="press-door")
        assert verdict.status is Status.OK
        _copy_checkins(kiosk, created)
    finally:
        kiosk.close()
    doc = two_day_event()
    doc["points"] = [p for p in doc["points"] if p["id"] != "press-door"]
    rc, _, err = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
    assert rc == 1 and "point 'press-door' has 1 check-ins" in err and "(keep them in the file)" in err
    doc = two_day_event()
    doc["sessions"] = doc["sessions"][:1]
    doc["points"] = [p for p in doc["points"] if p["id"] != "press-door"]
    rc, _, err = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
    assert rc == 1 and "session 'briefing' has 1 check-ins at its door" in err
    assert q(created, "SELECT id FROM points ORDER BY id") == [("entrance",), ("press-door",), ("side-door",)]


def _person(attendee_id: str, badge_type: str) -> Attendee:
    return Attendee(attendee_id, f"Person {attendee_id}", badge_type=badge_type)


def _copy_checkins(kiosk: Store, server_path) -> None:
    """The kiosk's check-ins as the server would hold them after a push (no server needed here)."""
    db = ServerDB(server_path)
    try:
        rows = q(kiosk.path, "SELECT id, event_id, attendee_id, point_id, direction, device_id, device_time, "
                               "corrected_time FROM checkins")
        with db.store.transaction():
            for r in rows:
                db.store.shared_connection()["checkins"].insert(dict(zip(
                    ("id", "event_id", "attendee_id", "point_id", "direction", "device_id", "device_time",
                     "corrected_time"), r)))
    finally:
        db.close()


def test_an_update_reaches_an_enrolled_kiosk_by_sync(tmp_path, capsys, created):
    with EmbeddedServer(created) as server:
        kiosk = enrolled_kiosk(tmp_path / "desk.db", created, server.url, "desk", "Desk 1")
        try:
            SyncClient(kiosk).round()
            assert {p.id for p in kiosk.points()} == {"entrance", "press-door", "side-door"}
            doc = two_day_event()
            doc["points"] = [p for p in doc["points"] if p["id"] != "side-door"]
            doc["rooms"][0]["name"] = "Hall A (main stage)"
            doc["badge_types"][1]["label"] = "HONOURED GUEST"
            rc, _, err = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
            assert rc == 0, err
            SyncClient(kiosk).round()
            assert {p.id for p in kiosk.points()} == {"entrance", "press-door"}
            assert kiosk.room("hall-a").name == "Hall A (main stage)"
            vip = next(b for b in eventdata.badge_types_from_store(kiosk) if b.id == "vip")
            assert (vip.label, vip.label_zh) == ("HONOURED GUEST", "特邀嘉宾")
        finally:
            kiosk.close()


def test_an_update_without_exhibitors_keeps_them(tmp_path, capsys, created):
    doc = two_day_event()
    del doc["exhibitors"]
    rc, out, _ = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
    assert rc == 0 and json.loads(out)["exhibitors"] == "kept"
    assert q(created, "SELECT id FROM exhibitors") == [("X1",)]
    doc["exhibitors"] = []
    assert run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))[0] == 0
    assert q(created, "SELECT count(*) FROM exhibitors") == [(0,)]
    assert q(created, "SELECT count(*) FROM booths") == [(0,)]


def test_a_badge_type_with_access_all_enters_every_door(tmp_path, capsys, created):
    """Crew (staff, access "all") pass the press-only door; an attendee does not."""
    db = ServerDB(created)
    db.upsert_attendees([_person("S1", "staff"), _person("T1", "attendee")])
    db.close()
    run(capsys, "export-bundle", "--db", str(created), "--out", str(tmp_path / "b.bundle"))
    kiosk = Store(tmp_path / "k.db")
    try:
        load_bundle(tmp_path / "b.bundle", kiosk, bundle_root(tmp_path / "b.bundle"))
        ctx = DeviceContext.from_store(kiosk)
        assert check(kiosk, badge(created, "S1"), ctx, point_id="press-door").status is Status.OK
        assert check(kiosk, badge(created, "T1"), ctx, point_id="press-door").status is Status.NOT_ALLOWED
    finally:
        kiosk.close()


def test_the_example_in_event_format_md_is_a_good_event_file(tmp_path):
    """docs/event-format.md's example is what an organiser copies first: it must load."""
    text = (paths.assets().parent / "docs" / "event-format.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    data, lists_exhibitors = read_event_file(write(tmp_path / "example.json", json.loads(example)))
    assert data.days == ("2026-05-12", "2026-05-13") and lists_exhibitors
    assert {b.id: b.access for b in data.badge_types}["staff"] == "all"


def test_screens_use_the_event_s_own_badge_wording(qapp):
    """Staff worded "CREW"/工作组 by the event file: the desk and verdict cards say so, in both languages."""
    from PySide6.QtCore import QLocale

    from ui.verdict import badge_type_name, use_event_badge_types

    crew = eventdata.BadgeType("staff", "CREW", "工作组", "#000000", "all")
    try:
        use_event_badge_types(eventdata.complete_badge_types([crew]))
        assert badge_type_name("staff") == "CREW"
        assert badge_type_name("vip") == "VIP"  # not renamed: the translated default
        QLocale.setDefault(QLocale("zh_CN"))
        assert badge_type_name("staff") == "工作组"
    finally:
        QLocale.setDefault(QLocale("en_US"))
        use_event_badge_types(eventdata.DEFAULT_BADGE_TYPES)
    assert badge_type_name("staff") == "Staff"


def test_removing_an_exhibitor_with_a_device_is_refused(tmp_path, capsys, created):
    db = ServerDB(created)
    try:
        devices.register(db, "exhibitor", "Lumen booth", "X1")
    finally:
        db.close()
    doc = two_day_event()
    doc["exhibitors"] = []
    rc, _, err = run(capsys, "update-event", write(tmp_path / "e.json", doc), "--db", str(created))
    assert rc == 1 and "exhibitor 'X1' has an enrolled device (Lumen booth)" in err
    assert q(created, "SELECT id FROM exhibitors") == [("X1",)]
