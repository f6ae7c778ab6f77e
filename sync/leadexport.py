"""`kiosk-server export-leads`: one exhibitor's merged leads as CSV (with BOM) or XLSX."""
from __future__ import annotations

from kiosk.leadfile import export_leads
from kiosk.models import Lead
from sync.serverdb import ServerDB

__all__ = ["export_leads", "lead_rows"]


def lead_rows(db: ServerDB, exhibitor_id: str) -> list[Lead]:
    """The exhibitor's leads (deleted ones left out), newest first."""
    return db.leads.for_export(exhibitor_id)
