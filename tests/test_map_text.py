"""Booth label texts without fonts: which name a booth shows, and how it wraps."""
from __future__ import annotations

from kiosk.models import Exhibitor
from ui.map_text import booth_name, label_worth_showing, short_name, wrap_label


def measure(text: str) -> float:  # 7 px a Latin letter, 12 px a Chinese character
    return sum(12 if ord(c) > 0x2E80 else 7 for c in text)


def test_names_wrap_between_words_and_end_in_an_ellipsis_when_cut():
    assert wrap_label("BeiGene", 60, 2, measure) == ["BeiGene"]
    assert wrap_label("Ruijie Vascular Robotics", 60, 3, measure) == ["Ruijie", "Vascular", "Robotics"]
    two = wrap_label("Ruijie Vascular Robotics", 60, 2, measure)
    assert two[0] == "Ruijie" and two[1].endswith("…") and measure(two[1]) <= 60
    assert wrap_label("Biotechnological", 60, 2, measure)[0].endswith("…")  # a long word is cut, not spilled
    zh = wrap_label("锐捷血管介入机器人", 50, 2, measure)
    assert zh == ["锐捷血管", "介入机…"] and all(measure(line) <= 50 for line in zh)
    assert wrap_label("BeiGene", 60, 0, measure) == []


def test_a_cut_name_is_shown_only_when_it_says_something():
    assert label_worth_showing("BeiGene", ["BeiGene"])
    assert not label_worth_showing("Changping Healthcare", ["C…"])
    assert label_worth_showing("锐捷血管介入机器人", ["锐捷…"])
    assert not label_worth_showing("BeiGene", [])
    assert short_name("Changping Healthcare Industry Fund") == "Changping…"
    assert short_name("BeiGene") == "BeiGene"


def test_booth_name_follows_the_language_when_there_is_a_chinese_name():
    e = Exhibitor(id="e1", name="BeiGene", name_zh="百济神州", category="bio", booths=("A01",))
    assert booth_name(e, "en") == "BeiGene"
    assert booth_name(e, "zh") == "百济神州"
    assert booth_name(Exhibitor(id="e2", name="Acme", name_zh="", category="", booths=()), "zh") == "Acme"
    assert booth_name(None, "zh") == ""
