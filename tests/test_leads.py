"""Lead capture on an exhibitor device, at the kiosk level: real store files and signed badges."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from kiosk import checkin, leads, pin
from kiosk.checkin import DeviceContext
from kiosk.errors import BadInput, NotFound
from kiosk.models import Status
from tests.factories import PEOPLE, badge_for, demo_event_store
from tests.sql import sql

ZHANG, MARIA, LI, WANG, CHEN = PEOPLE
T0 = datetime(2023, 11, 18, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def booth(tmp_path):
    store, key = demo_event_store(tmp_path / "ex.db", role="exhibitor", device_id="ex-1")
    store.set_meta("exhibitor_id", "EX01")
    yield store, key, DeviceContext.from_store(store)
    store.close()


def scan(store, ctx, code, now=T0):
    return checkin.check(store, code, ctx, now=now)


def test_scan_saves_a_lead_then_a_repeat_scan_updates_it(booth):
    store, key, ctx = booth
    first = scan(store, ctx, badge_for(ZHANG, key))
    assert first.status is Status.LEAD_SAVED and first.attendee.name == "Zhang Wei"
    again = scan(store, ctx, badge_for(ZHANG, key), T0 + timedelta(minutes=5))
    assert again.status is Status.LEAD_UPDATED and again.record_id == first.record_id
    found = leads.list_leads(store, "EX01")
    assert len(found) == 1 and found[0].scans == 2 and found[0].device_id == "ex-1"


def test_badge_alone_is_enough_offline_with_no_attendee_list(tmp_path):
    store, key = demo_event_store(tmp_path / "empty.db", people=[], role="exhibitor", device_id="ex-9")
    store.set_meta("exhibitor_id", "EX01")
    verdict = checkin.check(store, badge_for(LI, key), DeviceContext.from_store(store), now=T0)
    assert verdict.status is Status.LEAD_SAVED
    lead = leads.get_lead(store, verdict.record_id)
    assert (lead.name, lead.name_zh, lead.organisation) == ("Li Na", "李娜", "BeiGene")
    assert lead.email == lead.phone == lead.title == ""  # nothing known beyond the badge
    store.close()


def test_contact_details_only_for_attendees_who_consented(booth):
    store, key, ctx = booth
    sql(store).execute("UPDATE attendees SET email = 'maria@example.org', phone = '+39 555' WHERE id = 'A2'")  # known, no consent
    zhang = leads.get_lead(store, scan(store, ctx, badge_for(ZHANG, key)).record_id)
    maria = leads.get_lead(store, scan(store, ctx, badge_for(MARIA, key)).record_id)
    assert zhang.email == "zw@example.org"  # consented
    assert store.attendee("A2").email == "maria@example.org"
    assert maria.email == "" and maria.phone == ""  # did not consent: name and organisation only
    rows = {r["attendee_id"]: r for r in leads.lead_rows_for_export(store, "EX01")}
    assert rows["A1"]["email"] == "zw@example.org" and rows["A2"]["email"] == ""


def test_staff_and_exhibitor_badges_say_what_they_are_and_save_nothing(booth):
    store, key, ctx = booth
    for person in (CHEN, WANG):
        verdict = scan(store, ctx, badge_for(person, key))
        assert verdict.status is Status.NOT_ALLOWED and verdict.detail == f"type:{person.badge_type}"
    assert leads.list_leads(store, "EX01") == []
    store.set_meta("leads_from_staff", "1")  # the exhibitor asked for them
    assert scan(store, ctx, badge_for(CHEN, key)).status is Status.LEAD_SAVED


def test_edit_notes_rating_tags_and_they_stick(booth):
    store, key, ctx = booth
    lead_id = scan(store, ctx, badge_for(ZHANG, key)).record_id
    leads.set_note(store, ctx, lead_id, "想要演示 — wants a demo on Tuesday")
    leads.set_rating(store, ctx, lead_id, 4)
    leads.set_tags(store, ctx, lead_id, ["wants demo", "decision maker"])
    leads.set_tags(store, ctx, lead_id, ["decision maker", "follow up"])
    lead = leads.get_lead(store, lead_id)
    assert lead.notes == "想要演示 — wants a demo on Tuesday" and lead.rating == 4
    assert lead.tags == ("decision maker", "follow up")
    edits = [json.loads(p) for (p,) in sql(store).execute(
        "SELECT payload FROM outbox WHERE kind = 'lead_edit' ORDER BY seq").fetchall()]
    assert {"tags_add": ["follow up"], "tags_remove": ["wants demo"]}.items() <= edits[-1].items()
    with pytest.raises(BadInput):
        leads.set_rating(store, ctx, lead_id, 6)


def test_search_sort_and_tag_filter(booth):
    store, key, ctx = booth
    ids = {}
    for i, person in enumerate((ZHANG, MARIA, LI)):
        ids[person.id] = scan(store, ctx, badge_for(person, key), T0 + timedelta(minutes=i)).record_id
    leads.set_rating(store, ctx, ids["A1"], 5, T0 + timedelta(minutes=10))
    leads.set_rating(store, ctx, ids["A2"], 2, T0 + timedelta(minutes=11))
    leads.set_tags(store, ctx, ids["A3"], ["hot"], T0 + timedelta(minutes=12))
    assert [lead.attendee_id for lead in leads.list_leads(store, "EX01")] == ["A3", "A2", "A1"]
    assert [lead.attendee_id for lead in leads.list_leads(store, "EX01", sort="rating")][:2] == ["A1", "A2"]
    assert [lead.attendee_id for lead in leads.list_leads(store, "EX01", tag="hot")] == ["A3"]
    assert [lead.attendee_id for lead in leads.list_leads(store, "EX01", query="李")] == ["A3"]
    assert [lead.attendee_id for lead in leads.list_leads(store, "EX01", query="roche")] == ["A2"]


def test_delete_hides_the_lead_and_a_new_scan_brings_it_back(booth):
    store, key, ctx = booth
    lead_id = scan(store, ctx, badge_for(ZHANG, key)).record_id
    leads.delete_lead(store, ctx, lead_id)
    assert leads.list_leads(store, "EX01") == [] and leads.get_lead(store, lead_id) is None
    assert leads.lead_rows_for_export(store, "EX01") == []
    assert scan(store, ctx, badge_for(ZHANG, key)).status is Status.LEAD_UPDATED
    assert len(leads.list_leads(store, "EX01")) == 1


def test_another_exhibitors_leads_are_never_listed_or_editable(booth):
    store, key, ctx = booth
    mine = scan(store, ctx, badge_for(ZHANG, key)).record_id
    other = DeviceContext("ex-other", role="exhibitor", exhibitor_id="EX02")
    theirs = checkin.check(store, badge_for(MARIA, key), other, now=T0).record_id
    assert [lead.id for lead in leads.list_leads(store, "EX01")] == [mine]
    assert [r["attendee_id"] for r in leads.lead_rows_for_export(store, "EX01")] == ["A1"]
    with pytest.raises(NotFound):
        leads.set_note(store, ctx, theirs, "not mine")
    with pytest.raises(NotFound):
        leads.delete_lead(store, ctx, theirs)


def test_tag_choices_are_configurable(booth):
    store, _, _ = booth
    assert "wants demo" in leads.tag_choices(store)
    leads.set_tag_choices(store, ["要演示", " budget ", ""])
    assert leads.tag_choices(store) == ["要演示", "budget"]


def test_exhibitor_pin_is_separate_from_the_staff_pin(booth):
    store, _, _ = booth
    pin.set_pin(store, "1234")
    pin.set_pin(store, "5678", scope="exhibitor")
    assert pin.verify(store, "5678", now=10, scope="exhibitor").ok
    assert not pin.verify(store, "1234", now=10, scope="exhibitor").ok  # the staff PIN does not open leads
    for _ in range(4):
        pin.verify(store, "0000", now=20, scope="exhibitor")
    assert pin.remaining_lock(store, 21, scope="exhibitor") > 0
    assert pin.remaining_lock(store, 21) == 0 and pin.verify(store, "1234", now=21).ok  # staff pad unaffected
    assert "5678" not in (store.get_meta("exhibitor_pin_hash") or "")


def test_bound_exhibitor(booth):
    store, _, _ = booth
    assert leads.bound_exhibitor(store) == ("EX01", "BeiGene", "百济神州")


# -- with the real server: two devices of one exhibitor merge; another exhibitor's device gets nothing --------
@pytest.mark.parametrize("server_attendees", [60])
def test_two_devices_merge_and_another_exhibitor_receives_none(tmp_path, server_db, server):
    from sync.rounds import SyncClient
    from tests.helpers_sync import badge, enrolled_kiosk

    a = enrolled_kiosk(tmp_path / "a.db", server_db, server.url, "exhibitor", "Booth 1", "EX01")
    b = enrolled_kiosk(tmp_path / "b.db", server_db, server.url, "exhibitor", "Booth 2", "EX01")
    other = enrolled_kiosk(tmp_path / "o.db", server_db, server.url, "exhibitor", "Rival booth", "EX02")
    try:
        stores = (a, b, other)
        for s in stores:
            SyncClient(s).round()
        ctx_a, ctx_b, ctx_o = (DeviceContext.from_store(s) for s in stores)
        assert (ctx_a.exhibitor_id, ctx_b.exhibitor_id, ctx_o.exhibitor_id) == ("EX01", "EX01", "EX02")
        visitor, second = badge(server_db, "A000007"), badge(server_db, "A000008")
        # both booth devices scan the same visitor offline, each edits it through the screen's API
        la = checkin.check(a, visitor, ctx_a).record_id
        lb = checkin.check(b, visitor, ctx_b).record_id
        checkin.check(b, second, ctx_b)
        leads.set_note(a, ctx_a, la, "来自设备一：想要演示")
        leads.set_rating(a, ctx_a, la, 3, T0)
        leads.set_tags(a, ctx_a, la, ["wants demo"], T0)
        leads.set_note(b, ctx_b, lb, "from device two: send the price list")
        leads.set_rating(b, ctx_b, lb, 5, T0 + timedelta(minutes=1))
        leads.set_tags(b, ctx_b, lb, ["decision maker"], T0 + timedelta(minutes=1))
        # the rival exhibitor scans the same visitor too
        lo = checkin.check(other, visitor, ctx_o).record_id
        leads.set_note(other, ctx_o, lo, "rival's secret note")
        for s in (a, b, other, a, b, other):
            SyncClient(s).round()

        for s, ctx in ((a, ctx_a), (b, ctx_b)):
            mine = leads.list_leads(s, "EX01")
            assert sorted(lead.attendee_id for lead in mine) == ["A000007", "A000008"]
            merged = next(lead for lead in mine if lead.attendee_id == "A000007")
            assert "来自设备一：想要演示" in merged.notes and "send the price list" in merged.notes
            assert merged.rating == 5 and set(merged.tags) == {"wants demo", "decision maker"}
            assert merged.scans == 2
            others = leads.other_notes(s, ctx, merged.id)  # the editor shows the other device's note
            assert len(others) == 1 and others[0][1] != leads.own_note(s, ctx, merged.id)
            *_, device_id, names = leads.lead_for_editing(s, ctx, merged.id)  # what the editor shows: names
            assert names[device_id] == ("Booth 1" if s is a else "Booth 2")
            assert names[others[0][0]] == ("Booth 2" if s is a else "Booth 1")
            assert all("rival" not in lead.notes for lead in mine)
            held = {r[0] for r in sql(s).execute("SELECT DISTINCT exhibitor_id FROM leads")}
            assert held == {"EX01"}  # this device holds no other exhibitor's leads at all
            assert sql(s).execute("SELECT count(*) FROM lead_notes WHERE exhibitor_id != 'EX01'").fetchone()[0] == 0
        rival = {r[0] for r in sql(other).execute("SELECT DISTINCT exhibitor_id FROM leads")}
        assert rival == {"EX02"}  # and the rival got none of EX01's
        assert [lead.notes for lead in leads.list_leads(other, "EX02")] == ["rival's secret note"]
        assert "A000008" not in {r[0] for r in sql(other).execute("SELECT attendee_id FROM leads")}
        assert sql(other).execute("SELECT count(*) FROM lead_notes WHERE exhibitor_id = 'EX01'").fetchone()[0] == 0
    finally:
        for s in (a, b, other):
            s.close()
