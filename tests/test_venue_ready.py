"""Devices ready for a venue: staff and exhibitor PINs set on the server reach devices by sync and
bundle; a PIN set on the device; the address devices use, remembered by serve for enroll."""
from __future__ import annotations

import io
import json

import pytest

from entrypoints import kiosk_cli
from entrypoints import server_cli as admin
from kiosk import pin
from kiosk.bundle import load_bundle
from kiosk.store import Store
from sync.protocol import parse_setup_code
from sync.rounds import SyncClient
from tests.helpers_sync import bundle_root, enrolled_kiosk
from tests.sql import sql


def run(monkeypatch, capsys, main, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def set_server_pin(monkeypatch, capsys, db, value: str, *who: str) -> None:
    rc, _, err = run(monkeypatch, capsys, admin.main, "set-pin", "--db", str(db), *who, stdin=value + "\n")
    assert rc == 0, err


def test_role_and_exhibitor_pins_reach_the_devices_that_need_them(tmp_path, monkeypatch, capsys, server_db, server):
    set_server_pin(monkeypatch, capsys, server_db, "482913", "--role", "desk")
    set_server_pin(monkeypatch, capsys, server_db, "775100", "--role", "attendee")
    set_server_pin(monkeypatch, capsys, server_db, "390127", "--role", "exhibitor")
    set_server_pin(monkeypatch, capsys, server_db, "604433", "--exhibitor", "EX01")
    set_server_pin(monkeypatch, capsys, server_db, "118822", "--exhibitor", "EX02")
    desk = enrolled_kiosk(tmp_path / "desk.db", server_db, server.url, "desk", "Desk 1")
    booth = enrolled_kiosk(tmp_path / "booth.db", server_db, server.url, "exhibitor", "Booth", "EX01")
    try:
        SyncClient(desk).round()
        SyncClient(booth).round()
        assert pin.verify(desk, "482913").ok
        assert not pin.verify(desk, "775100").ok  # the attendee kiosks' PIN does not open a desk
        assert pin.verify(booth, "390127").ok
        assert pin.verify(booth, "604433", scope="exhibitor").ok
        # another exhibitor's PIN record never reaches this exhibitor's pad, nor the desks' one
        held = json.loads(booth.get_meta("server_pins"))
        assert set(held) == {"role:exhibitor", "ex:EX01"}
        set_server_pin(monkeypatch, capsys, server_db, "482914", "--role", "desk")
        SyncClient(desk).round()
        assert pin.verify(desk, "482914").ok and not pin.verify(desk, "482913").ok
    finally:
        desk.close()
        booth.close()
    assert "482914" not in json.dumps(sql(server_db).execute("SELECT * FROM pins").fetchall())


def test_a_pin_set_on_the_device_stays_until_the_server_changes_its_own(tmp_path, monkeypatch, capsys,
                                                                        server_db, server):
    set_server_pin(monkeypatch, capsys, server_db, "482913", "--role", "desk")
    desk = enrolled_kiosk(tmp_path / "desk.db", server_db, server.url, "desk", "Desk 1")
    SyncClient(desk).round()
    desk.close()
    kiosk_db = str(tmp_path / "desk.db")
    rc, out, err = run(monkeypatch, capsys, kiosk_cli.main, "set-pin", "--db", kiosk_db, stdin="2468\n")
    assert rc == 0 and json.loads(out) == {"pin": "staff", "set": True}, err
    store = Store(kiosk_db)
    try:
        bundle = tmp_path / "again.bundle"  # the server's same PIN arriving again changes nothing
        run(monkeypatch, capsys, admin.main, "export-bundle", "--db", str(server_db), "--out", str(bundle))
        load_bundle(bundle, store, bundle_root(bundle))
        SyncClient(store).round()
        assert pin.verify(store, "2468").ok
    finally:
        store.close()
    set_server_pin(monkeypatch, capsys, server_db, "135790", "--role", "desk")
    store = Store(kiosk_db)
    try:
        SyncClient(store).round()
        assert pin.verify(store, "135790").ok and not pin.verify(store, "2468").ok
    finally:
        store.close()


def test_a_bundle_carries_the_pins(tmp_path, monkeypatch, capsys, server_db):
    set_server_pin(monkeypatch, capsys, server_db, "482913", "--role", "desk")
    bundle = tmp_path / "event.bundle"
    assert run(monkeypatch, capsys, admin.main, "export-bundle", "--db", str(server_db), "--out", str(bundle))[0] == 0
    store = Store(tmp_path / "k.db")
    try:
        load_bundle(bundle, store, bundle_root(bundle))  # a bundle-only desk: no server, PIN ready
        assert pin.verify(store, "482913").ok
    finally:
        store.close()


@pytest.mark.parametrize("value, problem", [("1234", "6 to 12 digits"), ("12345a", "6 to 12 digits"),
                                            ("", "no PIN on standard input")])
def test_a_short_or_missing_server_pin_is_refused(monkeypatch, capsys, server_db, value, problem):
    rc, _, err = run(monkeypatch, capsys, admin.main, "set-pin", "--db", str(server_db), "--role", "desk",
                     stdin=value + "\n")
    assert rc == 1 and problem in err
    assert sql(server_db).execute("SELECT count(*) FROM pins").fetchone()[0] == 0


def test_enroll_uses_the_remembered_public_url_and_warns_about_loopback(monkeypatch, capsys, server_db):
    rc, out, err = run(monkeypatch, capsys, admin.main, "enroll", "--db", str(server_db), "--role", "desk",
                       "--name", "Desk 1")
    assert rc == 0 and parse_setup_code(out.strip())[0] == "https://127.0.0.1:8765"
    assert "warning: the setup code points at https://127.0.0.1:8765, which only this computer can reach" in err
    admin._remember_public_url(server_db, "http://kiosks.venue.example:8765/", "0.0.0.0")
    rc, out, err = run(monkeypatch, capsys, admin.main, "enroll", "--db", str(server_db), "--role", "desk",
                       "--name", "Desk 2")
    assert rc == 0 and parse_setup_code(out.strip())[0] == "http://kiosks.venue.example:8765"
    assert "warning" not in err
    rc, _, err = run(monkeypatch, capsys, admin.main, "serve", "--db", str(server_db), "--public-url",
                     "ftp://venue/")
    assert rc == 1 and "is not a server address" in err
