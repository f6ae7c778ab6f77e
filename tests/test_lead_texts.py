"""The lead capture screen's words and small list rules, without building the screen."""
from __future__ import annotations

from kiosk.models import Lead, Status, Verdict
from ui.lead_texts import (capture_texts, count_text, empty_text, lead_item_text, lock_hint, lock_title,
                           pin_refused_text, stars_text, wait_text)
from ui.names import both_names, local_name
from ui.tag_settings import with_tag, without_row


def lead(**kw) -> Lead:
    return Lead(**{"id": "L1", "exhibitor_id": "X1", "attendee_id": "A1", "name": "Wei Zhang", **kw})


def test_capture_texts_say_what_happened_to_the_lead():
    assert capture_texts(Verdict(Status.LEAD_SAVED), lead())[0] == "Lead saved"
    title, step = capture_texts(Verdict(Status.LEAD_UPDATED), lead(scans=3))
    assert title == "Lead updated" and "scanned 3 times" in step
    assert "scanned 2 times" in capture_texts(Verdict(Status.LEAD_UPDATED), None)[1]
    assert capture_texts(Verdict(Status.NOT_ALLOWED, detail="type:staff"), None)[0] == "Event staff badge"
    assert capture_texts(Verdict(Status.NOT_ALLOWED, detail="type:exhibitor"), None)[0] == "Exhibitor badge"
    assert capture_texts(Verdict(Status.NOT_ALLOWED, detail="no_exhibitor"), None)[0] == "Not linked to an exhibitor"
    title, step = capture_texts(Verdict(Status.UNKNOWN), None)
    assert title == "Badge not recognised" and step.startswith("No lead saved.")


def test_list_rows_show_names_stars_and_what_is_known():
    row = lead(name_zh="张伟", rating=4, organisation="BeiGene", tags=("hot", "demo"))
    assert lead_item_text(row, "18/11 09:05") == "Wei Zhang  张伟    ★★★★☆\nBeiGene  ·  18/11 09:05  ·  hot, demo"
    assert lead_item_text(lead(), "") == "Wei Zhang\n"  # unrated, nothing else known
    assert stars_text(0) == "☆☆☆☆☆" and stars_text(9) == "★★★★★"


def test_counts_and_the_empty_list():
    assert count_text(12, 12) == "12 leads" and count_text(1, 1) == "1 lead"
    assert count_text(3, 12) == "3 of 12 leads"
    assert empty_text(0).startswith("No leads yet")
    assert empty_text(5) == "No lead matches the search or the tag."


def test_pin_pad_words_follow_the_step():
    assert lock_title("unlock") == "Exhibitor PIN" and lock_title("repeat") == "Enter the new PIN again"
    assert lock_title("other") == ""
    assert lock_hint("unlock", "BeiGene").startswith("Leads of BeiGene.")
    assert "staff PIN" in lock_hint("staff", "")
    assert pin_refused_text("no_pin") == "No exhibitor PIN is set on this device."
    assert pin_refused_text("wrong") == "Wrong PIN."
    assert wait_text(4.2) == "Too many wrong PINs. Try again in 5 s."
    assert wait_text(5.0) == "Too many wrong PINs. Try again in 5 s."


def test_names_in_two_languages():
    assert both_names("Wei Zhang", "张伟") == "Wei Zhang  张伟"
    assert both_names("Acme", "Acme") == "Acme" and both_names("Acme", "") == "Acme"
    assert local_name("BeiGene", "百济神州", zh=True) == "百济神州"
    assert local_name("BeiGene", "", zh=True) == "BeiGene"
    assert local_name("BeiGene", "百济神州", zh=False) == "BeiGene"


def test_tag_list_edits():
    assert with_tag(["hot"], "  demo ") == ["hot", "demo"]
    assert with_tag(["hot"], "hot") == ["hot"] and with_tag(["hot"], "   ") == ["hot"]
    assert with_tag([], "x" * 50) == ["x" * 40]
    assert without_row(["a", "b", "c"], 1) == ["a", "c"]
    assert without_row(["a"], -1) == ["a"] and without_row(["a"], 3) == ["a"]
