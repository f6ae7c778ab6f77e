"""A self-printing attendee kiosk and the real server: its prints sync, its print queue's health reaches staff."""
from __future__ import annotations

import json

from entrypoints import server_cli as admin
from kiosk import selfprint
from kiosk.checkin import DeviceContext
from kiosk.identify import utcnow
from kiosk.models import PersonRef, Status, Verdict
from sync.protocol import parse_health
from sync.rounds import SyncClient
from tests.helpers_sync import enrolled_kiosk
from tests.sql import sql


def devices_json(server_db, capsys) -> dict:
    capsys.readouterr()
    assert admin.main(["devices", "--db", str(server_db)]) == 0
    return {d["name"]: d for d in map(json.loads, capsys.readouterr().out.splitlines())}


def test_a_stopped_queue_reaches_the_server_as_the_kiosks_health_and_prints_sync(tmp_path, server_db, server,
                                                                                  capsys):
    kiosk = enrolled_kiosk(tmp_path / "kiosk.db", server_db, server.url, "attendee", "Hall kiosk")
    try:
        SyncClient(kiosk).round()
        assert "health" not in devices_json(server_db, capsys)["Hall kiosk"]
        selfprint.set_health(kiosk, selfprint.QueueState.STOPPED)
        SyncClient(kiosk).round()
        health = devices_json(server_db, capsys)["Hall kiosk"]["health"]
        assert health["printer"] == "stopped" and health["at"]
        # the kiosk prints again: a badge logged here reaches the server's print log
        who = kiosk.attendee(sql(kiosk).execute("SELECT id FROM attendees ORDER BY id LIMIT 1").fetchone()[0])
        verdict = Verdict(Status.OK, PersonRef(who.id, who.name, who.name_zh, who.organisation, who.badge_type))
        plan = selfprint.plan(kiosk, verdict, who.code or "REG")
        selfprint.set_health(kiosk, selfprint.QueueState.READY)
        selfprint.record(kiosk, plan, DeviceContext.from_store(kiosk).device_id, "badgepdf", utcnow())
        SyncClient(kiosk).round()
        assert devices_json(server_db, capsys)["Hall kiosk"]["health"]["printer"] == "ready"
        assert sql(server_db).execute("SELECT attendee_id, target FROM print_log").fetchall() == [(who.id, "badgepdf")]
    finally:
        kiosk.close()


def test_the_health_header_takes_only_a_few_plain_words():
    assert parse_health("printer=stopped") == {"printer": "stopped"}
    assert parse_health("printer=stopped;x=<script>;" + "a=b;" * 50) == {"printer": "stopped", "a": "b"}
    assert parse_health("printer=" + "x" * 300) == {}
    assert parse_health(None) == {}
