"""What an attendee import changes on the server, worked out before anything is written, then
written in one transaction (so `--check` shows exactly what a real run would do).

Attendees are matched by id: new ones are added, changed ones updated (a reprint's badge issue and a
desk's note are kept), rows marked cancelled and, with `--cancel-missing`, attendees the file no
longer lists are revoked (every badge issue, reason `cancelled`) — never deleted, so their
check-ins and leads stay explained.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.models import Attendee
from sync.importer import ImportFile, ImportProblems
from sync.serverdb import ServerDB

COMPARED = ("name", "name_zh", "organisation", "title", "email", "phone", "badge_type", "consent", "code")
CANCELLED = "cancelled"


@dataclass
class ImportPlan:
    added: list[Attendee] = field(default_factory=list)
    updated: list[tuple[Attendee, list[str]]] = field(default_factory=list)  # with the fields that change
    unchanged: int = 0
    cancelled: list[Attendee] = field(default_factory=list)
    still_cancelled: list[str] = field(default_factory=list)  # listed as active, but revoked earlier
    skipped: int = 0  # cancelled rows for attendees never imported

    def summary(self, source: ImportFile, written: bool) -> dict:
        return {"imported": len(source.rows), "file": str(source.path), "added": len(self.added),
                "updated": len(self.updated), "unchanged": self.unchanged, "cancelled": len(self.cancelled),
                "skipped": self.skipped, "still_cancelled": len(self.still_cancelled), "written": written,
                "encoding": source.encoding, "delimiter": source.delimiter}

    def changes(self) -> list[dict]:
        """One line per change, for --check."""
        out = [{"change": "add", "id": a.id, "name": a.name} for a in self.added]
        out += [{"change": "update", "id": a.id, "name": a.name, "fields": f} for a, f in self.updated]
        out += [{"change": "cancel", "id": a.id, "name": a.name} for a in self.cancelled]
        out += [{"change": "stays cancelled", "id": i} for i in self.still_cancelled]
        return out


def plan_import(db: ServerDB, source: ImportFile, cancel_missing: bool = False) -> ImportPlan:
    """Compare the file with the database; refuse codes that already belong to someone the file
    does not list (a scan of that code would find either of them)."""
    event = db.store.event()
    existing = {a.id: a for a in db.store.snapshot.attendees()}
    revoked = {r["attendee_id"] for r in db.store.snapshot.revocations()
               if r["issue"] == 0 and r["reason"] and (event is None or r["event_id"] == event.id)}
    listed = {row.attendee.id for row in source.rows} | set(source.cancelled)
    by_code = {a.code: a.id for a in existing.values() if a.code}
    plan = ImportPlan()
    problems = []
    for row in source.rows:
        a = row.attendee
        holder = by_code.get(a.code) if a.code else None
        if holder is not None and holder != a.id and holder not in listed:
            problems.append(f"{source.path}: row {row.number}, column 'code': {a.code!r} is already the code of "
                            f"attendee {holder}, who is not in this file")
        old = existing.get(a.id)
        if old is None:
            plan.added.append(a)
        else:
            diff = [f for f in COMPARED if getattr(old, f) != getattr(a, f)]
            if diff:
                plan.updated.append((a, diff))
            else:
                plan.unchanged += 1
        if a.id in revoked:
            plan.still_cancelled.append(a.id)
    if problems:
        raise ImportProblems(source.path, problems)
    gone = [i for i in source.cancelled if i in existing]
    plan.skipped = len(source.cancelled) - len(gone)
    if cancel_missing:
        gone += [i for i in existing if i not in listed]
    plan.cancelled = [existing[i] for i in dict.fromkeys(gone) if i not in revoked]
    return plan


def apply_import(db: ServerDB, plan: ImportPlan) -> None:
    """All of it or none of it: one write transaction."""
    with db.write():
        db.upsert_attendees([*plan.added, *(a for a, _ in plan.updated)])
        for a in plan.cancelled:
            db.revoke(a.id, 0, CANCELLED)
