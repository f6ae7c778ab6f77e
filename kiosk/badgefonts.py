"""The badge fonts: a fallback chain found through fontconfig at run time.

Names come from everywhere: Polish `Łódź`, Turkish `ı`, Arabic, Korean, Japanese kana and
Chinese characters up to CJK Extension B (`𠮷`). No single font holds them all, so badge text
is set in the first font of the chain and each character the font lacks comes from the next
font that has it. The fonts are Debian packages (see ./run), looked up with `fc-match` so a
machine with the fonts in other places (or newer versions) works too; a missing one is a clear
error naming the package to install, never a badge with empty boxes.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from kiosk.errors import NotFound


@dataclass(frozen=True)
class FontLink:
    """One font of the chain: what it is for, its fontconfig family, and the Debian package holding it."""

    key: str  # the name the PDF writer registers it under
    family: str
    package: str
    covers: str


CHAIN = (
    FontLink("latin", "Noto Sans", "fonts-noto-core", "Latin (with Extended), Greek, Cyrillic"),
    FontLink("arabic", "Noto Sans Arabic", "fonts-noto-core", "Arabic"),
    FontLink("cjk", "Noto Sans CJK SC", "fonts-noto-cjk", "Chinese, Japanese kana, Korean Hangul"),
    FontLink("hanb", "HanaMinB", "fonts-hanazono", "CJK Extension B and later (rare name characters)"),
    FontLink("hana", "HanaMinA", "fonts-hanazono", "CJK Extension A and compatibility ideographs"),
)


@dataclass(frozen=True)
class FontFile:
    link: FontLink
    bold: bool
    path: str
    index: int  # the face inside a .ttc collection
    is_bold: bool  # the file found is a bold face (else the regular one stands in)


def _fc_match(pattern: str) -> tuple[list[str], str, int, int]:
    exe = shutil.which("fc-match")
    if exe is None:
        raise NotFound("badge fonts: fc-match is not installed (install the Debian package fontconfig)")
    out = subprocess.run([exe, "-f", "%{family}\t%{file}\t%{index}\t%{weight}", pattern], capture_output=True,
                         text=True, timeout=30, check=False).stdout
    parts = out.split("\t")
    if len(parts) != 4:
        return [], "", 0, 0
    families, path, index, weight = parts
    try:
        return [f.strip() for f in families.split(",")], path, int(index or 0), int(float(weight or 0))
    except ValueError:
        return [], "", 0, 0


@lru_cache(maxsize=None)
def find(link: FontLink, bold: bool = False) -> FontFile:
    """The file of one link of the chain, or NotFound naming the package to install."""
    families, path, index, weight = _fc_match(f"{link.family}:bold" if bold else f"{link.family}:regular")
    if link.family not in families or not path:
        raise NotFound(f"badge fonts: no font {link.family!r} for {link.covers} "
                       f"(install the Debian package {link.package})")
    return FontFile(link, bold, path, index, weight >= 200)


def chain(bold: bool = False) -> list[FontFile]:
    """Every font of the chain, in order; NotFound names the first missing package."""
    return [find(link, bold) for link in CHAIN]


@lru_cache(maxsize=None)
def cmap(path: str, index: int) -> frozenset[int]:
    """The code points a font file holds (for checks: which font a character comes from)."""
    from fontTools.ttLib import TTFont  # lazy: only the glyph checks need it

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


def font_for(char: str, bold: bool = False) -> FontFile | None:
    """The font of the chain that draws this character, or None: it would print as an empty box."""
    for f in chain(bold):
        if ord(char) in cmap(f.path, f.index):
            return f
    return None


def links_for(text: str) -> list[FontLink]:
    """The fonts of the chain `text` needs (the first, Latin, always): the others are not loaded at all."""
    codes = {ord(c) for c in text if not c.isspace()}
    needed = [CHAIN[0]]
    for link in CHAIN:
        f = find(link)
        held = codes & cmap(f.path, f.index)
        if held and link is not CHAIN[0]:
            needed.append(link)
        codes -= held
    return needed


def missing(text: str, bold: bool = False) -> list[str]:
    """The characters of `text` no font of the chain holds (whitespace and controls need no glyph)."""
    return sorted({c for c in text if not c.isspace() and c.isprintable() and font_for(c, bold) is None})
