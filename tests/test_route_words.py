"""Turn-by-turn words and logo initials, without building the booth panel."""
from __future__ import annotations

from kiosk.routing import Directions, Leg
from ui.logos import initials
from ui.route_words import chinese_words, phrase_directions

ROUTE = Directions(legs=(Leg(10, "left"), Leg(4, "slight_right"), Leg(9)), booth_side="right", target="B13")


def same(text: str) -> str:
    return text


def test_directions_read_as_one_sentence():
    assert phrase_directions(ROUTE, same) == "Walk 10 m, turn left, walk 4 m, bear right, booth B13 is on your right " \
                                             "after 9 m."
    straight = Directions(legs=(Leg(7),), booth_side="nowhere", target="A01")
    assert phrase_directions(straight, same) == "Booth A01 is straight ahead after 7 m."  # unknown side: ahead
    assert phrase_directions(None, same) == "" and phrase_directions(Directions(legs=()), same) == ""


def test_the_phone_summary_gets_chinese_words_whatever_the_screen_shows():
    text = phrase_directions(ROUTE, chinese_words)
    assert "B13" in text and any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_initials_for_a_logo_tile():
    assert initials("BeiGene") == "BE"
    assert initials("Changping Laboratory") == "CL"
    assert initials("The Bank of China") == "BC"  # small words do not count
    assert initials("百济神州") == "百济"
    assert initials("") == "?"
