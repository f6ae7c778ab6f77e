"""The desk's own recent scans, newest first: accepted check-ins and refusals in one list.

Staff glance at it to answer "did that person just go through?" and tap a row to open the
attendee; it reads only this device's records, so it costs two indexed queries.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.store import Store


@dataclass(frozen=True)
class RecentScan:
    at: str  # ISO time (corrected for check-ins, the device's for refusals)
    status: str  # a kiosk.models.Status value
    direction: str
    attendee_id: str | None
    name: str
    name_zh: str
    undone: bool = False
    detail: str = ""
    code: str = ""  # what was scanned, for a refusal (the only clue when the code names nobody)


def recent_scans(store: Store, device_id: str, limit: int = 15) -> list[RecentScan]:
    checkins = store.checkins.recent_records(device_id, limit)
    refusals = store.checkins.recent_refusals(device_id, limit)
    rows = [RecentScan(r[0], "ok", r[1], r[2], r[3] or "", r[4] or "", bool(r[5])) for r in checkins]
    rows += [RecentScan(r[0] or "", r[1], r[2] or "entry", r[3], r[4] or "", r[5] or "", False, r[6] or "",
                        r[7] or "")
             for r in refusals]
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit]
