"""Booth label texts without fonts: which name a booth shows, and how it wraps."""
from __future__ import annotations

from kiosk.models import Exhibitor
from ui.map_text import BREAK_HINT, booth_name, label_worth_showing, name_tokens, short_name, wrap_label


def measure(text: str) -> float:  # 7 px a Latin letter, 12 px a Chinese character
    return sum(12 if ord(c) > 0x2E80 else 7 for c in text)


def test_names_wrap_between_words_and_end_in_an_ellipsis_when_cut():
    assert wrap_label("BeiGene", 60, 2, measure) == ["BeiGene"]
    assert wrap_label("Ruijie Vascular Robotics", 60, 3, measure) == ["Ruijie", "Vascular", "Robotics"]
    two = wrap_label("Ruijie Vascular Robotics", 60, 2, measure)
    assert two[0] == "Ruijie" and two[1].endswith("…") and measure(two[1]) <= 60
    assert wrap_label("Biotechnological", 60, 2, measure)[0].endswith("…")  # a long word is cut, not spilled
    zh = wrap_label("锐捷血管介入机器人", 50, 2, measure)
    assert zh == ["锐捷血管", "介入…"] and all(measure(line) <= 50 for line in zh)  # whole words: 机器人 not cut
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


def test_chinese_names_wrap_between_words_never_inside_one():
    assert name_tokens("百济神州") == ["百济", "神州"]
    assert name_tokens("锐捷血管介入机器人") == ["锐捷", "血管", "介入", "机器人"]
    assert name_tokens("中关村生命科学园服务中心") == ["中关村", "生命科学园", "服务中心"]
    assert "".join(name_tokens("灵犀健康大模型实验室")) == "灵犀健康大模型实验室"
    assert name_tokens("灵犀健康大模型实验室") == ["灵犀", "健康", "大模型", "实验室"]
    assert name_tokens("昌平人才服务站") == ["昌平", "人才", "服务站"]
    assert name_tokens("华策临床CRO") == ["华策", "临床", "CRO"]
    assert all(len(t) >= 2 for t in name_tokens("知远知识产权事务所"))  # never a one-character line
    assert wrap_label("锐捷血管介入机器人", 48, 3, measure) == ["锐捷血管", "介入", "机器人"]
    assert wrap_label("中关村" + BREAK_HINT + "生命科学园", 80, 2, measure) == ["中关村", "生命科学园"]  # the organiser's break


def test_no_line_starts_with_a_middle_dot_or_a_closing_mark():
    for width in range(30, 130, 6):
        for name in ("施普林格·自然", "Springer · Nature", "同仁堂（北京）", "北京，生物科技"):
            for line in wrap_label(name, width, 3, measure):
                assert line[0] not in "·・、，。）)", (name, width, line)
    assert name_tokens("施普林格·自然") == ["施普林格·", "自然"]  # each side of the dot is one foreign name
    assert wrap_label("施普林格·自然", 60, 2, measure) == ["施普林格·", "自然"]


def test_a_name_is_not_cut_when_it_fits_whole():
    for name in ("百济神州", "同仁堂", "BeiGene", "Tong Ren Tang"):
        assert "".join(wrap_label(name, 200, 2, measure)).replace(" ", "") == name.replace(" ", "")
    assert not label_worth_showing("Shenzhou Medical AI", ["Shen…"])  # a bit of a word says nothing
    assert label_worth_showing("Shenzhou Medical AI", ["Shenzhou…"])
