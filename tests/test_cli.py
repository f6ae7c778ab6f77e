"""The command-line contract of docs/cli.md, run as an operator would: real processes, real files."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def run(*args, check=False):
    tool = args[0]
    proc = subprocess.run([str(BIN / tool), *args[1:]], capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def venue(tmp_path_factory):
    d = tmp_path_factory.mktemp("venue")
    run("kiosk-server", "seed-demo", "--db", str(d / "server.db"), "--attendees", "300", check=True)
    out = run("kiosk-server", "export-bundle", "--db", str(d / "server.db"), "--out", str(d / "event.bundle"),
              check=True)
    (d / "root.txt").write_text(json.loads(out.stdout)["root"])
    return d


def trust(venue) -> tuple[str, str]:
    """The --trust option an operator copies from export-bundle's output."""
    return "--trust", (venue / "root.txt").read_text()


def test_round_trip_seed_bundle_badge_check(venue, tmp_path):
    kiosk_db = tmp_path / "kiosk.db"
    loaded = json.loads(run("kiosk", "load-bundle", str(venue / "event.bundle"), "--db", str(kiosk_db), *trust(venue),
                            check=True).stdout)
    assert loaded["attendees"] == 300 and loaded["role"] == "desk"
    badge = run("kiosk-server", "badge", "A000007", "--db", str(venue / "server.db"), "--out",
                str(tmp_path / "badge.png"), check=True)
    code = badge.stdout.strip()
    assert code.startswith("FK1:") and (tmp_path / "badge.png").stat().st_size > 10_000
    first = run("kiosk", "check", code, "--db", str(kiosk_db))
    assert first.returncode == 0 and json.loads(first.stdout)["status"] == "ok"
    assert json.loads(first.stdout)["attendee"]["id"] == "A000007"
    second = run("kiosk", "check", code, "--db", str(kiosk_db))
    assert second.returncode == 1 and json.loads(second.stdout)["status"] == "already_checked_in"
    tampered = code[:-12] + ("A" if code[-12] != "A" else "B") + code[-11:]
    forged = run("kiosk", "check", tampered, "--db", str(kiosk_db))
    assert forged.returncode == 1 and json.loads(forged.stdout)["status"] == "forged"


def test_badge_as_pdf_and_the_scanner_reads_the_png(venue, tmp_path):
    out = run("kiosk-server", "badge", "A000002", "--db", str(venue / "server.db"), "--out",
              str(tmp_path / "b.pdf"), check=True)
    assert (tmp_path / "b.pdf").read_bytes()[:5] == b"%PDF-"
    assert out.stdout.strip().startswith("FK1:")


def test_exhibitors_and_stats_print_json(venue):
    lines = run("kiosk-server", "exhibitors", "--db", str(venue / "server.db"), check=True).stdout.splitlines()
    first = json.loads(lines[0])
    assert len(lines) >= 50 and {"id", "name", "booth"} <= set(first)
    stats = json.loads(run("kiosk-server", "stats", "--db", str(venue / "server.db"), check=True).stdout)
    assert {"attendees", "checked_in", "scans", "conflicts", "leads"} <= set(stats)
    assert stats["attendees"] == 300


def test_usage_errors_exit_2_and_operator_errors_exit_1_without_traceback(venue, tmp_path):
    assert run("kiosk", "check").returncode == 2
    missing = run("kiosk", "check", "X", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr and "nope.db" in missing.stderr
    bad = tmp_path / "broken.bundle"
    bad.write_bytes(b"\x1f\x8b garbage")
    res = run("kiosk", "load-bundle", str(bad), "--db", str(tmp_path / "k.db"))
    assert res.returncode == 1 and "broken.bundle" in res.stderr and "Traceback" not in res.stderr
    res = run("kiosk-server", "badge", "NOBODY", "--db", str(venue / "server.db"), "--out", str(tmp_path / "x.png"))
    assert res.returncode == 1 and "NOBODY" in res.stderr


def test_unknown_point_is_explained(venue, tmp_path):
    kiosk_db = tmp_path / "k.db"
    run("kiosk", "load-bundle", str(venue / "event.bundle"), "--db", str(kiosk_db), *trust(venue), check=True)
    res = run("kiosk", "check", "REG-000001", "--db", str(kiosk_db), "--point", "roof")
    assert res.returncode == 1 and "roof" in res.stderr and "entrance" in res.stderr


def test_session_door_and_exit_from_the_cli(venue, tmp_path):
    kiosk_db = tmp_path / "k.db"
    run("kiosk", "load-bundle", str(venue / "event.bundle"), "--db", str(kiosk_db), *trust(venue), check=True)
    code = run("kiosk-server", "badge", "A000003", "--db", str(venue / "server.db"), "--out",
               str(tmp_path / "b.png"), check=True).stdout.strip()
    inside = run("kiosk", "check", code, "--db", str(kiosk_db), "--point", "door-main-forum")
    out = run("kiosk", "check", code, "--db", str(kiosk_db), "--point", "door-main-forum", "--exit")
    assert json.loads(inside.stdout)["status"] == "ok"
    assert json.loads(out.stdout)["direction"] == "exit" and out.returncode == 0


def test_exhibitor_device_exports_its_leads_from_the_command_line(venue, tmp_path):
    import csv

    from kiosk.store import Store
    kiosk_db = tmp_path / "ex.db"
    run("kiosk", "load-bundle", str(venue / "event.bundle"), "--db", str(kiosk_db), *trust(venue), check=True)
    s = Store(kiosk_db)
    s.set_meta("role", "exhibitor")
    s.set_meta("exhibitor_id", "EX01")
    s.close()
    visitor = _first_attendee_of_type(venue / "server.db", "attendee")
    code = run("kiosk-server", "badge", visitor, "--db", str(venue / "server.db"), "--out",
               str(tmp_path / "b.png"), check=True).stdout.strip()
    lead = run("kiosk", "check", code, "--db", str(kiosk_db))
    assert lead.returncode == 0 and json.loads(lead.stdout)["status"] == "lead_saved"
    out = tmp_path / "leads.csv"
    res = run("kiosk", "export-leads", "--db", str(kiosk_db), "--out", str(out), check=True)
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "Name" and len(rows) == 2 and json.loads(res.stdout)["leads"] == 1
    assert rows[1][rows[0].index("Scanned on device")].startswith("kiosk-")  # which device met them
    desk = tmp_path / "desk.db"
    run("kiosk", "load-bundle", str(venue / "event.bundle"), "--db", str(desk), *trust(venue), check=True)
    refused = run("kiosk", "export-leads", "--db", str(desk), "--out", str(out))
    assert refused.returncode == 1 and "not an exhibitor device" in refused.stderr


def _first_attendee_of_type(db, badge_type):
    import sqlite3
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM attendees WHERE badge_type = ? ORDER BY id LIMIT 1",
                            [badge_type]).fetchone()[0]


def test_demo_without_a_display_says_so_instead_of_aborting(tmp_path):
    import os
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    res = subprocess.run([str(BIN / "kiosk"), "demo", "--data-dir", str(tmp_path / "demo")], capture_output=True,
                         text=True, timeout=120, env=env)
    assert res.returncode == 1 and "no screen" in res.stderr and "xvfb-run" in res.stderr


DATA = Path(__file__).parent / "data"
MISTYPED_DB_COMMANDS = [
    ["badge", "A1", "--out", "b.png"], ["badges", "--out", "b.pdf"], ["export-bundle", "--out", "e.bundle"],
    ["export-leads", "--exhibitor", "X1", "--out", "l.csv"], ["enroll", "--role", "desk", "--name", "Desk 1"],
    ["import-attendees", str(DATA / "eventbrite-attendees.csv"), "--preset", "eventbrite"], ["devices"],
    ["revoke-device", "D1"], ["exhibitors"], ["stats"], ["update-event", "event.json"],
    ["export-event", "--out", "out.json"], ["import-exhibitors", "exhibitors.csv"], ["set-pin", "--role", "desk"],
    ["import-hall", str(DATA / "venue-hall.json")], ["check-hall", str(DATA / "venue-hall.json")],
    ["serve", "--port", "1"],
]


@pytest.mark.parametrize("argv", MISTYPED_DB_COMMANDS, ids=lambda a: a[0])
def test_a_mistyped_server_db_is_refused_by_every_command_and_never_created(argv, tmp_path, monkeypatch, capsys):
    """Only create-event and seed-demo make a server database; a typo elsewhere must not leave a new, empty one
    (which `stats` would then report as an event with nobody in it)."""
    import io

    from entrypoints import server_cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "event.json").write_text('{"event": {"id": "E1", "name": "E"}}', encoding="utf-8")
    (tmp_path / "exhibitors.csv").write_text("id,name\nX1,Lumen\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("246810\n"))
    assert server_cli.main([*argv, "--db", "typo.db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: typo.db: no server database") and "Traceback" not in err
    assert not (tmp_path / "typo.db").exists()
