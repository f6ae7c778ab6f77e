"""`kiosk-server export-leads`: one exhibitor's merged leads as CSV (with BOM) or XLSX."""
from __future__ import annotations

import json

from kiosk.leadfile import export_leads
from kiosk.models import Lead
from sync.serverdb import ServerDB

__all__ = ["export_leads", "lead_rows"]


def lead_rows(db: ServerDB, exhibitor_id: str) -> list[Lead]:
    """The exhibitor's leads (deleted ones left out), newest first."""
    rows = db.db.execute(
        "SELECT id, exhibitor_id, attendee_id, name, organisation, name_zh, badge_type, email, phone, title, "
        "notes, rating, tags, device_id, created_at, updated_at, scans FROM leads "
        "WHERE exhibitor_id = ? AND deleted = 0 ORDER BY created_at DESC, id", [exhibitor_id]).fetchall()
    return [Lead(*r[:12], tuple(json.loads(r[12] or "[]")), *r[13:]) for r in rows]

