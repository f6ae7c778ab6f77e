"""A rogue server on the venue network cannot plant a badge key, move a clock or be talked to (issue 14).

Everything here is real: two server instances (the event's and a rogue with its own root and
certificate) on 127.0.0.1, kiosk databases enrolled with setup codes, sync rounds over HTTPS.
"""
from __future__ import annotations

import sqlite3
import stat
import time
import types

import pytest

from entrypoints import kiosk_cli as cli
from kiosk import trust
from kiosk.checkin import DeviceContext, check
from kiosk.models import BadgeClaims
from sync import tls
from sync.rounds import MAX_CLOCK_STEP, SyncClient, sync_status
from sync.server import EmbeddedServer, server_certificate
from sync.serverdb import ServerDB
from sync.transport import SyncError, Unreachable
from tests.helpers_sync import badge, enrolled_kiosk, register, root_fingerprint, seeded_server_db, setup_code
from tests.sql import sql


def _rogue_db(genuine_db, path, same_tokens: bool):
    """A second server database with its own event root and a planted badge key.

    same_tokens: a copy of the genuine database (so the kiosk's token works there, as if the rogue had
    sniffed it); else a fresh event of its own."""
    if same_tokens:
        with sqlite3.connect(genuine_db) as src, sqlite3.connect(path) as dst:
            src.backup(dst)  # WAL and all
    else:
        seeded_server_db(path, 30)
    db = ServerDB(path)
    try:
        sql(db.store).execute("DELETE FROM trust_root")
        db.trust_root()  # another root
        key = db.rotate_key()  # the planted key, published to every device on the next pull
        claims = BadgeClaims(event_id="LSF2023", attendee_id="X999999", badge_type="vip", key_id=0, name="Mallory")
        from kiosk import badges

        forged = badges.encode(claims, key)
    finally:
        db.close()
    return path, forged


def _keys(store):
    return sorted((k.key_id, k.public_key) for k in store.public_keys())


def test_enrolment_over_tls_pins_root_and_certificate_and_syncs(tmp_path, server_db, tls_server):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, tls_server.url, tls=tls_server.tls_pin)
    assert tls_server.url.startswith("https://")
    assert store.get_meta("tls_pin") == tls_server.tls_pin
    assert trust.fingerprint(trust.pinned_root(store)) == root_fingerprint(server_db)
    result = SyncClient(store).round()
    assert result.pull.counts["attendees"] == 300
    assert abs(float(store.get_meta("clock_offset"))) < 1.0  # measured over the pinned connection
    store.close()


def test_a_rogue_tls_server_on_the_kiosks_address_is_not_talked_to(tmp_path, server_db):
    """The rogue holds the same database (tokens too) but not the certificate's key: the kiosk stops
    at the handshake, before sending its token or a scan, and takes nothing from it."""
    genuine = EmbeddedServer(server_db, tls=True).start()
    store = enrolled_kiosk(tmp_path / "k.db", server_db, genuine.url, tls=genuine.tls_pin)
    SyncClient(store).round()
    keys_before, port = _keys(store), genuine.port
    genuine.stop()
    rogue_path, forged = _rogue_db(server_db, tmp_path / "rogue.db", same_tokens=True)
    rogue = EmbeddedServer(rogue_path, port=port, tls=True).start()
    try:
        assert rogue.tls_pin != genuine.tls_pin and rogue.url == genuine.url
        check(store, badge(server_db, "A000050"), DeviceContext.from_store(store))  # a scan waiting to go
        with pytest.raises(Unreachable, match="did not show this event's certificate"):
            SyncClient(store).round()
    finally:
        rogue.stop()
    assert sync_status(store).pending == 1  # the scan waits for the real server
    assert sql(rogue_path).execute("SELECT count(*) FROM received").fetchone()[0] == 0  # never sent
    assert _keys(store) == keys_before
    assert check(store, forged, DeviceContext.from_store(store)).status.value == "forged"
    store.close()


def test_a_rogue_server_with_a_stolen_token_cannot_plant_a_key(tmp_path, server_db, server):
    """Over plain HTTP (a loopback set-up) the rogue can answer: its pages are signed by another root."""
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    SyncClient(store).round()
    keys_before = _keys(store)
    rogue_path, forged = _rogue_db(server_db, tmp_path / "rogue.db", same_tokens=True)
    with EmbeddedServer(rogue_path) as rogue:
        store.set_meta("server_url", rogue.url)
        store.set_meta("pull_cursor", "0")
        with pytest.raises(SyncError, match="another event root"):
            SyncClient(store).round()
    assert _keys(store) == keys_before
    assert check(store, forged, DeviceContext.from_store(store)).status.value == "forged"
    store.close()


def test_a_kiosk_enrolled_before_roots_learns_it_once_at_its_next_sync(tmp_path, server_db, server):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    sql(store).execute("DELETE FROM meta WHERE key IN ('trust_root', 'trust_root_from')")
    SyncClient(store).round()
    assert trust.fingerprint(trust.pinned_root(store)) == root_fingerprint(server_db)
    assert store.get_meta("trust_root_from") == "sync"
    rogue_path, forged = _rogue_db(server_db, tmp_path / "rogue.db", same_tokens=True)
    with EmbeddedServer(rogue_path) as rogue:  # once learned, another root is refused
        store.set_meta("server_url", rogue.url)
        with pytest.raises(SyncError, match="another event root"):
            SyncClient(store).round()
    store.close()


def test_a_setup_code_naming_another_root_does_not_enrol_and_leaves_no_file(tmp_path, server_db, server, capsys):
    rogue_path, _ = _rogue_db(server_db, tmp_path / "rogue.db", same_tokens=False)
    with EmbeddedServer(rogue_path) as rogue:
        from sync.protocol import make_setup_code

        code = make_setup_code(rogue.url, register(rogue_path), root=root_fingerprint(server_db))
        kiosk_db = tmp_path / "k.db"
        assert cli.main(["enroll", code, "--db", str(kiosk_db)]) == 1
    err = capsys.readouterr().err
    assert "not the one in the setup code" in err and "Traceback" not in err
    assert not list(tmp_path.glob("k.db*"))


def test_enrolment_with_the_wrong_certificate_pin_fails_and_leaves_no_file(tmp_path, server_db, tls_server, capsys):
    code = setup_code(server_db, tls_server.url, tls="00" * 32)
    assert cli.main(["enroll", code, "--db", str(tmp_path / "k.db")]) == 1
    assert "certificate" in capsys.readouterr().err
    assert not list(tmp_path.glob("k.db*"))


def test_a_failed_load_bundle_leaves_no_database(tmp_path, capsys):
    bad = tmp_path / "x.bundle"
    bad.write_bytes(b"not gzip")
    assert cli.main(["load-bundle", str(bad), "--db", str(tmp_path / "k.db"), "--trust", "AAAA"]) == 1
    assert not list(tmp_path.glob("k.db*"))


def test_a_clock_offset_beyond_ten_minutes_is_shown_not_applied(tmp_path, server_db, tls_server, monkeypatch):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, tls_server.url, tls=tls_server.tls_pin)
    SyncClient(store).round()
    applied = float(store.get_meta("clock_offset"))

    real = time.time
    slow = types.SimpleNamespace(time=lambda: real() - 1200, monotonic=time.monotonic)  # 20 minutes behind
    monkeypatch.setattr("sync.rounds.time", slow)
    SyncClient(store).round()
    assert float(store.get_meta("clock_offset")) == applied
    skew = sync_status(store).clock_skew
    assert skew is not None and skew > MAX_CLOCK_STEP
    store.close()


def test_over_plain_http_the_servers_clock_is_not_used(tmp_path, server_db, server):
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    SyncClient(store).round()
    assert store.get_meta("clock_offset") is None
    store.close()


def test_the_server_certificate_names_this_machine_and_its_key_is_owner_only(tmp_path, server_db):
    from cryptography import x509

    cert_path, key_path, pin = server_certificate(server_db)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "127.0.0.1" in {str(ip) for ip in alt.get_values_for_type(x509.IPAddress)}
    assert "localhost" in alt.get_values_for_type(x509.DNSName)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert server_certificate(server_db)[2] == pin  # made once, kept
    db = ServerDB(server_db)
    try:
        assert db.store.get_meta(tls.META_FINGERPRINT) == pin
    finally:
        db.close()


def test_serve_refuses_plain_http_off_loopback(server_db):
    from sync.server import serve

    with pytest.raises(tls.CertificateError, match="loopback only"):
        serve(server_db, host="0.0.0.0", insecure_http=True)


def test_staff_see_a_clock_too_far_off_in_the_status_corner(qtbot):
    from sync.rounds import SyncStatus
    from ui.i18n import Translations
    from ui.syncstatus import SyncStatusWidget

    w = SyncStatusWidget()
    qtbot.addWidget(w)
    w.show()
    w.set_status(SyncStatus(True, True, 0, 0, 0, None, None, "https://x", "Desk 1", clock_skew=-1262.0))
    assert w.clock.isVisible() and "21 min" in w.clock.text()
    translations = Translations()
    try:
        translations.set_language("zh_CN")
        w.retranslate()
        assert "时钟偏差 21 分钟" in w.clock.text()
    finally:
        translations.set_language("en")
    w.set_status(SyncStatus(True, True, 0, 0, 0, None, None, "https://x", "Desk 1"))
    assert not w.clock.isVisible()


def test_kiosk_server_enroll_puts_root_and_certificate_in_the_code_and_on_the_sheet(tmp_path, server_db, capsys):
    from entrypoints import server_cli
    from kiosk.scanner import scan_files
    from sync.protocol import setup_code_pins

    sheet = tmp_path / "desk.png"
    assert server_cli.main(["enroll", "--db", str(server_db), "--role", "desk", "--name", "Desk 7",
                            "--qr", str(sheet)]) == 0
    captured = capsys.readouterr()
    code = captured.out.strip()
    root, pin = setup_code_pins(code)
    assert root == root_fingerprint(server_db) and root in captured.err
    assert pin == tls.fingerprint(tls.default_paths(server_db)[0])  # the certificate serve will use
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    assert scan_files([str(sheet)])[0]["codes"] == [code]
    assert server_cli.main(["enroll", "--db", str(server_db), "--role", "desk", "--name", "Proxy desk",
                            "--url", "https://kiosk.example.org", "--no-pin"]) == 0
    assert setup_code_pins(capsys.readouterr().out.strip()) == (root, None)


def test_a_signed_page_with_a_malformed_key_is_refused_with_nothing_written(tmp_path, server_db, server):
    """Even the event's own server (a bug, a hand-edited database) cannot store a key that is not one."""
    store = enrolled_kiosk(tmp_path / "k.db", server_db, server.url)
    SyncClient(store).round()
    keys_before = _keys(store)
    with sql(server_db) as con:
        con.execute("INSERT INTO public_keys(key_id, public_key, valid) VALUES (9, 'c2hvcnQ=', 1)")
    with pytest.raises(SyncError, match="public key 1: public_key"):
        SyncClient(store).round()
    assert _keys(store) == keys_before
    store.close()
