"""Pinyin keys: people's surnames read as surnames, companies as words, and a light import."""
import subprocess
import sys

from kiosk.pinyin import pinyin_keys


def test_a_persons_polyphonic_surname_is_read_as_a_surname():
    assert pinyin_keys("曾国藩", person=True) == ("zengguofan", "zgf")
    assert pinyin_keys("单田芳", person=True)[0] == "shantianfang"
    assert pinyin_keys("尉迟恭", person=True) == ("yuchigong", "ycg")


def test_a_company_keeps_the_dictionary_reading():
    assert pinyin_keys("乐普医疗")[0] == "lepuyiliao"
    assert pinyin_keys("百济神州") == ("baijishenzhou", "bjsz")


def test_latin_text_has_no_keys():
    assert pinyin_keys("Maria Rossi") == ("", "")


def test_the_kiosk_does_not_load_the_50_mb_phrase_dictionary():
    probe = ("import kiosk.pinyin as p, sys; p.pinyin_keys('张伟');"
             "print('pypinyin.phrases_dict' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
