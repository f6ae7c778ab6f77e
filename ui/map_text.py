"""Booth label texts, free of Qt: which name a booth shows, and how it wraps into the booth.

Measuring is passed in (a font's horizontalAdvance on screen, len in tests), so the wrapping
rules are tested without fonts.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.models import Exhibitor

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+")
_NO_LINE_START = "·・、，。：；！？）》」』】〕…,.;:!?)]}%"  # never begins a line: it sticks to what it follows
_NO_LINE_END = "（《「『【〔([{"  # never ends a line: it sticks to what comes next
BREAK_HINT = "\u200b"  # a zero-width space in a name marks where it may wrap (the organiser's choice)

# Words of exhibitor names longer than two characters, kept whole when a Chinese name wraps; other
# Han text is read in pairs, the usual length of a word (百济|神州, 昌平|医药|健康|产业|基金).
LONG_WORDS = (
    "中关村", "科学园", "研究院", "研究所", "实验室", "机器人", "大模型", "心血管", "自动化", "出版社",
    "事务所", "服务站", "服务中心", "知识产权", "生命科学", "人工智能", "医疗器械", "生物医药", "生物科技",
    "有限公司", "股份", "集团", "同仁堂", "埃斯顿", "产业园", "孵化器", "工作室", "医学院", "体外诊断",
    "数字健康", "云计算", "大数据", "互联网", "创新中心", "检测认证", "天使联盟",
)
_ONE_CHAR_SUFFIX = "所院站馆局社厂部室园店号云"  # a lone last character joins the word before it


def _han_words(run: str) -> list[str]:
    """A run of Han characters cut into words: known long words whole, the rest in pairs, a lone
    character joined to its neighbour (never a one-character line)."""
    words: list[str] = []
    i = 0
    by_length = sorted(LONG_WORDS, key=len, reverse=True)
    while i < len(run):
        word = next((w for w in by_length if run.startswith(w, i)), "")
        if not word:
            rest = len(run) - i
            # look ahead: a known word starting one character on keeps this character with the one before
            ahead = rest >= 2 and any(run.startswith(w, i + 1) for w in by_length)
            word = run[i:i + (1 if ahead else 2)]
        words.append(word)
        i += len(word)
    merged: list[str] = []
    for w in words:
        if len(w) == 1 and merged and (w in _ONE_CHAR_SUFFIX or len(merged[-1]) <= 2):
            merged[-1] += w
        elif merged and len(merged[-1]) == 1:
            merged[-1] += w
        else:
            merged.append(w)
    return merged


def name_tokens(text: str) -> list[str]:
    """The pieces a name may wrap between: Latin words, Chinese words (see _han_words), a transliterated
    name on each side of "·" kept whole. Punctuation that may not begin a line stays on the piece
    before it, an opening mark on the piece after. A piece that had a space before it starts with one."""
    tokens: list[str] = []
    glue_next = False
    for chunk in text.split():
        transliterated = "·" in chunk  # 施普林格·自然: a foreign name on each side of the dot
        space = bool(tokens)  # the chunk's first piece had a space before it
        for part in (p for sub in chunk.split(BREAK_HINT) for p in _RUNS.findall(sub) + [BREAK_HINT]):
            if part == BREAK_HINT:
                glue_next = False
                continue
            whole = not _HAN.match(part) or (transliterated and len(part) <= 5)
            for piece in [part] if whole else _han_words(part):
                if tokens and piece[0] in _NO_LINE_START:
                    tokens[-1] += (" " if space else "") + piece  # "A · B": the dot stays on the line before
                elif tokens and not space and glue_next:
                    tokens[-1] += piece
                else:
                    tokens.append((" " if space else "") + piece)
                glue_next = piece[-1] in _NO_LINE_END
                space = False
    return tokens


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
    """A piece added to a line: with its space between Latin words, none between Chinese words."""
    if not line:
        return token.lstrip(" ")
    if token.startswith(" "):
        return line + token
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
    in "…" when the name goes on. Lines break between the pieces of name_tokens (Latin words,
    Chinese words), never before "·" or a closing mark; a piece longer than a line is cut with "…"."""
    tokens = name_tokens(text)
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
            lines.append(_elide(tokens[i].lstrip(" "), width, measure))
            i += 1
    if line and len(lines) < max_lines:
        lines.append(line)
        line = ""
    if (i < len(tokens) or line) and lines and not lines[-1].endswith("…"):
        lines[-1] = _elide(_join(lines[-1], tokens[min(i, len(tokens) - 1)]), width, measure) \
            if measure(lines[-1] + "…") > width else lines[-1] + "…"
    return lines


def label_worth_showing(text: str, lines: list[str]) -> bool:
    """A wrapped name says something: its first piece whole (a word, a Chinese word), not "Shenz…"."""
    if not lines:
        return False
    if not lines[0].endswith("…"):
        return True
    tokens = name_tokens(text)
    return bool(tokens) and lines[0].rstrip("…").startswith(tokens[0].strip())
