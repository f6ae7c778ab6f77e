"""Exhibitor search for the attendee kiosk: by name (English or Chinese), pinyin, booth or product.

A visitor types on a touch keyboard, often in pinyin without tones or spaces ("baiji",
"bjsz"), or reads a booth number off a sign ("a1" for A01). The index is built once per
exhibitor list; a search is a scan over prepared lower-case strings, which for a few hundred
exhibitors takes well under a millisecond and needs no database.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.models import Exhibitor
from kiosk.pinyin import has_han, pinyin_keys

# rank of each kind of match; the best one per exhibitor counts
EXACT_BOOTH = 100
NAME_EXACT = 90
NAME_PREFIX = 80
BOOTH_PREFIX = 75
WORD_PREFIX = 70
NAME_SUBSTRING = 60
PINYIN = 50
PRODUCT = 40
CATEGORY = 30
DESCRIPTION = 20

_BOOTH = re.compile(r"^([a-z]+)[\s\-]*0*(\d+)$")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[\w']+")


def normalise_booth(text: str) -> str:
    """"A1", "a-01", "A 001" -> "a1": a booth number as a visitor may type it."""
    t = text.strip().lower()
    m = _BOOTH.match(t)
    return f"{m.group(1)}{int(m.group(2))}" if m else t


@dataclass(frozen=True)
class _Entry:
    exhibitor: Exhibitor
    order: int
    name: str
    name_zh: str
    words: tuple[str, ...]
    pinyin: str
    initials: str
    booths: tuple[str, ...]  # normalised
    booth_texts: tuple[str, ...]  # lower-case as written
    products: str
    category: str
    description: str


class Directory:
    """The exhibitor index of one event; build once, search on every keystroke."""

    def __init__(self, exhibitors: Iterable[Exhibitor], category_names: Mapping[str, Iterable[str]] | None = None):
        """category_names maps a category id to its display names (English, Chinese) so "robot" finds the category."""
        cats = {k: " ".join(v).lower() for k, v in (category_names or {}).items()}
        self._entries: list[_Entry] = []
        for i, e in enumerate(exhibitors):
            full, initials = pinyin_keys(e.name_zh)
            self._entries.append(_Entry(
                exhibitor=e, order=i, name=e.name.lower(), name_zh=e.name_zh,
                words=tuple(_WORD.findall(e.name.lower())), pinyin=full, initials=initials,
                booths=tuple(normalise_booth(b) for b in e.booths), booth_texts=tuple(b.lower() for b in e.booths),
                products=" | ".join(e.products).lower() + " | " + " | ".join(e.products),
                category=(e.category.lower() + " " + cats.get(e.category, "")).strip(),
                description=(e.description + " " + e.description_zh).lower()))
        self._by_booth = {b: en.exhibitor for en in self._entries for b in en.exhibitor.booths}

    def __len__(self) -> int:
        return len(self._entries)

    def by_booth(self, booth_id: str) -> Exhibitor | None:
        """Who stands at this booth (for a tap on the map)."""
        return self._by_booth.get(booth_id)

    def search(self, query: str, category: str | None = None, limit: int | None = None) -> list[Exhibitor]:
        """Best matches first; an empty query lists everyone (in the category) by booth."""
        q = _SPACE.sub(" ", (query or "").strip().lower())[:80]
        pool = [en for en in self._entries if category is None or en.exhibitor.category == category]
        if not q:
            found = sorted(pool, key=lambda en: (en.exhibitor.booths[:1], en.order))
            return [en.exhibitor for en in found[:limit]]
        scored = [(s, en) for en in pool if (s := self._score(en, q))]
        scored.sort(key=lambda t: (-t[0], t[1].name))
        return [en.exhibitor for _, en in scored[:limit]]

    @staticmethod
    def _score(en: _Entry, q: str) -> int:
        compact = q.replace(" ", "")
        booth_q = normalise_booth(q)
        if booth_q in en.booths or q in en.booth_texts:
            return EXACT_BOOTH
        if q == en.name or (en.name_zh and q == en.name_zh):
            return NAME_EXACT
        if en.name.startswith(q) or (en.name_zh and en.name_zh.startswith(q)):
            return NAME_PREFIX
        if len(compact) <= 4 and any(b.startswith(compact) for b in en.booth_texts) and any(c.isdigit() for c in compact):
            return BOOTH_PREFIX
        if any(w.startswith(q) for w in en.words):
            return WORD_PREFIX
        if q in en.name or (en.name_zh and q in en.name_zh):
            return NAME_SUBSTRING
        if en.pinyin and compact.isascii() and (en.pinyin.startswith(compact) or en.initials.startswith(compact)
                                                or (len(compact) >= 3 and compact in en.pinyin)):
            return PINYIN
        if q in en.products:
            return PRODUCT
        if q in en.category:
            return CATEGORY
        if len(q) >= 2 or has_han(q):
            if q in en.description:
                return DESCRIPTION
        return 0


def matching_booths(exhibitors: Iterable[Exhibitor]) -> list[str]:
    """The booth ids of a result list, in order, for HallMapView.highlight()."""
    seen: set[str] = set()
    out: list[str] = []
    for e in exhibitors:
        for b in e.booths:
            if b not in seen:
                seen.add(b)
                out.append(b)
    return out
