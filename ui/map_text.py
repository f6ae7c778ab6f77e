"""Booth label texts, free of Qt: which name a booth shows, and how it wraps into the booth.

Measuring is passed in (a font's horizontalAdvance on screen, len in tests), so the wrapping
rules are tested without fonts.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.models import Exhibitor

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def booth_name(exhibitor: Exhibitor | None, language: str) -> str:
    """The exhibitor name a booth shows: Chinese when the map speaks Chinese and there is one."""
    if exhibitor is None:
        return ""
    if language.startswith("zh") and exhibitor.name_zh:
        return exhibitor.name_zh
    return exhibitor.name


def short_name(name: str, limit: int = 14) -> str:
    """A booth label that fits: the name cut at a word boundary with an ellipsis."""
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0] if " " in name[:limit] else name[:limit - 1]
    return cut.rstrip(" &,-") + "…"


def _join(line: str, token: str) -> str:
    if not line:
        return token
    spaced = not (_CJK.match(line[-1]) or _CJK.match(token[0]))
    return line + (" " if spaced else "") + token


def _elide(text: str, width: float, measure: Callable[[str], float]) -> str:
    """text cut so that text + "…" fits width (at least one character is kept)."""
    text = text.rstrip()
    while len(text) > 1 and measure(text + "…") > width:
        text = text[:-1].rstrip()
    return text.rstrip(" &,-·/") + "…"


def wrap_label(text: str, width: float, max_lines: int, measure: Callable[[str], float]) -> list[str]:
    """A name wrapped into at most max_lines lines of width pixels; the last shown line ends
    in "…" when the name goes on. Latin names break between words (a word longer than a
    line is cut with "…"), Chinese between any two characters."""
    tokens = _TOKENS.findall(text)
    lines: list[str] = []
    line = ""
    i = 0
    while i < len(tokens) and len(lines) < max_lines:
        candidate = _join(line, tokens[i])
        if measure(candidate) <= width:
            line, i = candidate, i + 1
        elif line:
            lines.append(line)
            line = ""
        else:
            lines.append(_elide(tokens[i], width, measure))
            i += 1
    if line and len(lines) < max_lines:
        lines.append(line)
        line = ""
    if (i < len(tokens) or line) and lines and not lines[-1].endswith("…"):
        lines[-1] = _elide(lines[-1] + " " + tokens[min(i, len(tokens) - 1)], width, measure) \
            if measure(lines[-1] + "…") > width else lines[-1] + "…"
    return lines


def label_worth_showing(text: str, lines: list[str]) -> bool:
    """A wrapped name says something: a whole first word, or a few letters of it (two for Chinese)."""
    if not lines:
        return False
    if not lines[0].endswith("…"):
        return True
    shown = lines[0].rstrip("…")
    return len(shown) >= (2 if _CJK.match(text[:1] or " ") else 4)
