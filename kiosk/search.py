"""Attendee search for the desk: name, organisation, pinyin, plain code, Chinese substrings.

Full-text (FTS5 trigram) answers queries of three or more characters; trigram cannot see
shorter ones, so one- and two-character queries (a Chinese surname, pinyin initials like
"zw") fall back to an indexed prefix match and a bounded LIKE scan.
"""
from __future__ import annotations

import re

from kiosk.models import Attendee
from kiosk.pinyin import has_han
from kiosk.store import Store

_SPACES = re.compile(r"\s+")


def search_attendees(store: Store, query: str, limit: int = 30) -> list[Attendee]:
    """Best matches first: exact code or id, then full-text, then substring fallback."""
    q = _SPACES.sub(" ", (query or "").strip())[:100]
    if not q:
        return []
    found: list[Attendee] = []
    seen: set[str] = set()

    def add(items: list[Attendee]) -> None:
        for a in items:
            if a.id not in seen and len(found) < limit:
                seen.add(a.id)
                found.append(a)

    exact = store.attendee_by_code(q) or store.attendee(q)
    if exact:
        add([exact])
    compact = q.replace(" ", "").lower()
    terms = {q.lower(), compact} if " " in q else {q.lower()}
    for term in terms:
        if len(term) >= 3:
            add(store.attendees_by_rowids(store.search.full_text(term, limit)))
    if len(found) < limit and len(compact) <= 2:
        add(_short_query(store, compact, limit))
    return found


def _short_query(store: Store, q: str, limit: int) -> list[Attendee]:
    """One or two characters: indexed prefix matches first, a bounded scan only if they find nothing."""
    if has_han(q):
        rowids = store.search.name_zh_prefix(q, limit)
        if len(rowids) < limit:
            rowids += store.search.name_zh_containing(q, limit)
        if not rowids:
            rowids = store.search.organisation_containing(q, limit)
    else:
        rowids = store.search.initials_prefix(q, limit)
    return store.attendees_by_rowids(list(dict.fromkeys(rowids)))
