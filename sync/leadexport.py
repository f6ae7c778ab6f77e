"""`kiosk-server export-leads`: one exhibitor's merged leads as CSV (with BOM) or XLSX."""
from __future__ import annotations

import json
from pathlib import Path

from kiosk.leadfile import FORMATS, LeadFileError, export_leads
from kiosk.models import Lead
from sync.serverdb import ServerDB

__all__ = ["export_leads", "export_leads_command", "lead_rows"]


def lead_rows(db: ServerDB, exhibitor_id: str) -> list[Lead]:
    """The exhibitor's leads (deleted ones left out), newest first."""
    rows = db.db.execute(
        "SELECT id, exhibitor_id, attendee_id, name, organisation, name_zh, badge_type, email, phone, title, "
        "notes, rating, tags, device_id, created_at, updated_at, scans FROM leads "
        "WHERE exhibitor_id = ? AND deleted = 0 ORDER BY created_at DESC, id", [exhibitor_id]).fetchall()
    return [Lead(*r[:12], tuple(json.loads(r[12] or "[]")), *r[13:]) for r in rows]


def export_leads_command(args) -> int:
    from sync.admin import CliError

    if Path(args.out).suffix.lower() not in FORMATS:
        raise CliError(f"{args.out}: the lead file must end in .csv or .xlsx")
    db = ServerDB(args.db)
    try:
        exhibitor = db.store.exhibitor(args.exhibitor)
        if exhibitor is None:
            raise CliError(f"no exhibitor {args.exhibitor!r} (see kiosk-server exhibitors)")
        try:
            count = export_leads(lead_rows(db, args.exhibitor), args.out)
        except LeadFileError as exc:
            raise CliError(str(exc)) from exc
    finally:
        db.close()
    print(json.dumps({"exhibitor": args.exhibitor, "name": exhibitor.name, "leads": count, "file": str(args.out)},
                     ensure_ascii=False))
    return 0
