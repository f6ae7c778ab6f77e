"""Writing an exhibitor's leads to a file a sales team opens in Excel: CSV (UTF-8 with BOM) or XLSX.

Shared by the server's `export-leads` and the kiosk's own lead export; Qt-free. The BOM
is what makes Excel read UTF-8, so Chinese names show instead of mojibake. Cells that
start like a formula are prefixed with an apostrophe so a badge name cannot run a formula
on a sales laptop (CSV injection).
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import asdict, is_dataclass
from pathlib import Path

from kiosk.errors import BadInput
from kiosk.models import Lead
from kiosk.private import claim

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"), ("name_zh", "Chinese name"), ("organisation", "Organisation"), ("title", "Title"),
    ("email", "Email"), ("phone", "Phone"), ("badge_type", "Badge type"), ("rating", "Rating"),
    ("tags", "Tags"), ("notes", "Notes"), ("scans", "Scans"), ("created_at", "First scanned"),
    ("updated_at", "Last change"), ("device_id", "Scanned on device"), ("attendee_id", "Attendee ID"),
)
FORMATS = (".csv", ".xlsx")


class LeadFileError(BadInput):
    pass


def _safe(value) -> str | int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _row(lead: Lead | dict) -> list:
    data = asdict(lead) if is_dataclass(lead) else dict(lead)
    return [_safe(data.get(key, "")) for key, _ in COLUMNS]


def export_leads(rows: Iterable[Lead | dict], out: str | os.PathLike) -> int:
    """Write leads to `out` (.csv or .xlsx by its ending) atomically; return how many."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise LeadFileError(f"{out}: the lead file must end in .csv or .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    header = [title for _, title in COLUMNS]
    count = 0
    claim(tmp)  # contact details: owner-only
    if suffix == ".csv":
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for lead in rows:
                writer.writerow(_row(lead))
                count += 1
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Leads")
        ws.freeze_panes = "A2"
        ws.append(header)
        for lead in rows:
            ws.append(_row(lead))
            count += 1
        wb.save(tmp)
    tmp.replace(out)
    return count
