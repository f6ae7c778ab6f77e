"""Badges in bulk on the server: who gets one, and one PDF holding them all.

The PDF is written by kiosk.badgepdf from a template (kiosk.badgetemplates); each badge's QR is
signed here with the event's current key and badge issue. A batch counts as printed in the
server's print log (beside the desks' prints that arrive by sync), so `--not-printed` later
selects only the people who have no badge yet.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.badgelayout import badge_text
from kiosk.badgepdf import BadgePdf
from kiosk.badgetemplates import Template
from kiosk.errors import BadInput, NotFound, Refused
from kiosk.eventdata import badge_types_from_store
from kiosk.models import BADGE_TYPES, Attendee
from sync.serverdb import ServerDB

BATCH_DEVICE = "server"  # the device id a batch's prints are logged under


@dataclass(frozen=True)
class Selection:
    ids: tuple[str, ...] = ()
    badge_type: str = ""
    not_printed: bool = False


def select(db: ServerDB, choice: Selection) -> tuple[list[Attendee], int]:
    """The attendees to print, in the order given (ids) or stored, and how many revoked ones were left out."""
    event = db.store.event()
    if event is None:
        raise Refused(f"{db.path}: no event yet (create or seed one first)")
    if choice.badge_type and choice.badge_type not in BADGE_TYPES:
        raise BadInput(f"--type {choice.badge_type!r} is not a badge type ({', '.join(BADGE_TYPES)})")
    if choice.ids:
        found = {i: db.store.attendee(i) for i in dict.fromkeys(choice.ids)}
        unknown = [i for i, a in found.items() if a is None]
        if unknown:
            raise NotFound(f"no attendee with id {', '.join(map(repr, unknown[:10]))}"
                           f"{f' (and {len(unknown) - 10} more)' if len(unknown) > 10 else ''} in {db.path}")
        people: Iterable[Attendee] = found.values()
    else:
        people = db.store.snapshot.attendees()
    printed = db.store.prints.attendees_printed() if choice.not_printed else set()
    chosen, revoked = [], 0
    for a in people:
        if (choice.badge_type and a.badge_type != choice.badge_type) or a.id in printed:
            continue
        if db.store.revocation(event.id, a.id, a.badge_issue):
            revoked += 1  # cancelled, or a lost badge: the desk reissues it
            continue
        chosen.append(a)
    return chosen, revoked


def write_badges(db: ServerDB, template: Template, people: list[Attendee], out: str | Path) -> dict:
    """One PDF with a badge per attendee; logged as printed once the file is written."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise BadInput(f"{out}: the badge file must end in .pdf")
    event = db.store.event()
    types = badge_types_from_store(db.store)  # the event file's labels and colours
    badges = [badge_text(a, db.badge_code(a), event, types) for a in people]
    pdf = BadgePdf(template, (v for b in badges for v in b.values.values()),
                   title=f"{event.name} badges" if event else "Badges")
    for b in badges:
        pdf.add(b)
    pdf.save(out)
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    with db.write():
        for a in people:
            db.store.prints.add(a.id, BATCH_DEVICE, now, f"pdf:{out.name}", a.badge_issue)
    per_page = template.sheet.per_page if template.sheet else 1
    return {"file": str(out), "template": template.id, "badges": len(people),
            "pages": max(1, -(-len(people) // per_page)), "missing_glyphs": pdf.missing_glyphs()}
