"""Pinyin keys for Chinese names, so "zhang wei" and "zw" find 张伟 on a Latin keyboard.

pypinyin is imported on first use and without its phrase dictionary: the phrases cost
about 50 MB of memory in every kiosk process and help with words, not with people's
names. Names have their own trap instead: a surname that is read differently from the
same character elsewhere (曾 is Zeng as a surname, ceng in 曾经), so the first character
of a name is read as a surname.
"""
from __future__ import annotations

import os
from functools import lru_cache

# surnames whose everyday reading differs from the dictionary's first one
SURNAMES = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
            "乐": "yue", "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin", "秘": "bi", "尉": "yu",
            "召": "shao", "繁": "po", "员": "yun", "万俟": "moqi", "尉迟": "yuchi"}


def _pypinyin():
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    import pypinyin

    return pypinyin


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def name_syllables(text: str, person: bool = True) -> list[str]:
    """The pinyin syllables of Chinese text; a person's first character(s) read as a surname."""
    pypinyin = _pypinyin()
    surname = _surname(text) if person else ""
    syllables = [SURNAMES[surname]] if surname else []
    return syllables + [s.lower() for s in pypinyin.lazy_pinyin(text[len(surname):], errors="ignore") if s.strip()]


def _surname(text: str) -> str:
    return next((s for s in sorted(SURNAMES, key=len, reverse=True) if text.startswith(s)), "")


@lru_cache(maxsize=4096)
def pinyin_keys(text: str, person: bool = False) -> tuple[str, str]:
    """Return (full pinyin without spaces, initials) for the Chinese characters in text.

    `person` reads the first character(s) as a surname (曾 → zeng); a company such as
    乐普 keeps the dictionary reading. Text without Chinese characters gives ("", "").
    """
    if not text or not has_han(text):
        return "", ""
    pypinyin = _pypinyin()
    surname = _surname(text) if person else ""
    syllables = name_syllables(text, person)
    initials = [s[0] for s in syllables if s]
    if surname and len(surname) == 2:  # a two-character surname has two initials
        initials = [SURNAMES[surname][0], _second_initial(surname, pypinyin)] + initials[1:]
    return "".join(syllables), "".join(initials).lower()


def _second_initial(surname: str, pypinyin) -> str:
    return pypinyin.lazy_pinyin(surname[1], style=pypinyin.Style.FIRST_LETTER)[0].lower()
