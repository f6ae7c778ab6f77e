"""Pinyin keys for Chinese names, so "zhang wei" and "zw" find 张伟 on a Latin keyboard."""
from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def pinyin_keys(text: str) -> tuple[str, str]:
    """Return (full pinyin without spaces, initials) for the Chinese characters in text.

    Latin text passes through lower-cased, so a mixed name still matches its own letters.
    """
    if not text or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "", ""
    syllables = [s.lower() for s in lazy_pinyin(text, errors="ignore") if s.strip()]
    initials = [s[0] for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if s.strip()]
    return "".join(syllables), "".join(initials).lower()


def has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
