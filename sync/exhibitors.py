"""`kiosk-server import-exhibitors`: the organiser's exhibitor list (CSV or XLSX) with logos beside it.

Every row is checked, and every logo opened and shrunk, before anything is written; then all
of it lands in one transaction, so a bad file leaves the database as it was. Each problem names
the file, the row (as a spreadsheet numbers it: the header is row 1) and what is wrong.
Logos are stored in the database (small PNG or JPEG), so they reach kiosks with the event by
bundle and sync instead of being files inside the installed app.

The CSV/XLSX reading here is deliberately small (comma or tab, UTF-8); the attendee importer has
its own richer reader, and the two may share one later.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import BadInput, Refused
from kiosk.eventdata import categories_from_store
from kiosk.models import Exhibitor
from kiosk.travel import MAX_LOGO_BYTES
from sync.serverdb import ServerDB

COLUMNS = ("id", "name", "name_zh", "booths", "categories", "description", "description_zh", "products",
           "website", "logo")
REQUIRED = ("id", "name")
LIST_SEP = ";"
MAX_ERRORS = 20
MAX_LOGO_FILE = 10 * 1024 * 1024  # a logo file bigger than this is not a logo
MAX_LOGO_PIXELS = 40_000_000  # refuse decompression bombs before decoding
LOGO_EDGE = 256  # stored logos fit in this square: enough for the 128 px tile on a 2x screen
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


class ExhibitorFileError(BadInput):
    """Everything wrong with an exhibitor file, in one message."""


@dataclass
class _Report:
    path: Path
    problems: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int | None, problem: str) -> None:
        self.problems.append((row or 0, f"row {row}: {problem}" if row else problem))

    def raise_any(self) -> None:
        if not self.problems:
            return
        n = len(self.problems)
        more = f"\n  … and {n - MAX_ERRORS} more" if n > MAX_ERRORS else ""
        shown = [text for _, text in sorted(self.problems, key=lambda p: p[0])[:MAX_ERRORS]]
        raise ExhibitorFileError(f"{self.path}: {n} problem{'s' if n > 1 else ''}, nothing imported:\n  "
                                 + "\n  ".join(shown) + more)


# -- reading the table ---------------------------------------------------------------------------
def parse_mapping(text: str | None) -> dict[str, str]:
    """'Their Header=our_column,…' -> {their header: our column}."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        theirs, eq, ours = part.partition("=")
        if not eq or not theirs.strip() or not ours.strip():
            raise BadInput(f"column mapping {part.strip()!r}: expected THEIR_HEADER=our_column")
        if ours.strip() not in COLUMNS:
            raise BadInput(f"column mapping {part.strip()!r}: {ours.strip()!r} is not one of {', '.join(COLUMNS)}")
        out[theirs.strip()] = ours.strip()
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path) -> list[list[str]]:
    """All rows of a CSV (UTF-8, comma or tab) or the first sheet of an XLSX, as text."""
    if not path.is_file():
        raise ExhibitorFileError(f"{path}: no such file")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        raise ExhibitorFileError(f"{path}: an exhibitor list is a .csv or .xlsx file")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExhibitorFileError(f"{path}: not UTF-8 text (byte {exc.start}); save it as \"CSV UTF-8\"") from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[list[str]]:
    # lazy: only this format needs openpyxl
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ExhibitorFileError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        return [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


# -- checking rows -------------------------------------------------------------------------------
def _split(value: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in value.split(LIST_SEP) if x.strip())


def _records(rows: list[list[str]], mapping: dict[str, str], report: _Report) -> list[tuple[int, dict]]:
    if not rows or not any(rows[0]):
        report.add(None, "the file is empty (expected a header row: " + ",".join(COLUMNS) + ")")
        return []
    header = [mapping.get(h, h) for h in rows[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        report.add(1, f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                      f"(known: {', '.join(COLUMNS)}; rename them with --map 'Their Header=our_column')")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.add(1, f"no {' or '.join(missing)} column")
    if unknown or missing:
        return []
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) > len(header) and any(row[len(header):]):
            report.add(number, f"{len(row)} cells but the header has {len(header)} columns")
            continue
        out.append((number, {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}))
    return out


def _logo(listing: Path, name: str, number: int, report: _Report) -> tuple[str, bytes] | None:
    """The logo file beside the list, checked and shrunk to a small PNG (or JPEG for photos)."""
    # lazy: Pillow is needed for logos only
    from PIL import Image, UnidentifiedImageError

    folder = listing.parent.resolve()
    path = (folder / name).resolve()
    if not path.is_relative_to(folder):
        report.add(number, f"logo {name!r} must be a file in the folder of {listing.name} (or below it)")
        return None
    if not path.is_file():
        report.add(number, f"logo file {name!r} not found beside {listing.name}")
        return None
    if path.stat().st_size > MAX_LOGO_FILE:
        report.add(number, f"logo {name!r} is {path.stat().st_size // 1024 // 1024} MB (at most 10 MB)")
        return None
    try:
        with Image.open(path) as im:
            if im.format not in ("PNG", "JPEG", "WEBP", "GIF"):
                report.add(number, f"logo {name!r} is {im.format}, not a PNG, JPEG, WebP or GIF image")
                return None
            if im.width * im.height > MAX_LOGO_PIXELS:
                report.add(number, f"logo {name!r} is {im.width}×{im.height} pixels, too large to be a logo")
                return None
            im.load()
            return _shrunk(im)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        report.add(number, f"logo {name!r} is not a readable image ({type(exc).__name__})")
        return None


def _shrunk(im) -> tuple[str, bytes]:
    from PIL import Image

    im = im.convert("RGBA")
    im.thumbnail((LOGO_EDGE, LOGO_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    im.save(out, "PNG", optimize=True)
    if out.tell() <= MAX_LOGO_BYTES:
        return "image/png", out.getvalue()
    flat = Image.new("RGB", im.size, "white")
    flat.paste(im, mask=im.getchannel("A"))
    for quality in (85, 70, 50):
        out = io.BytesIO()
        flat.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_LOGO_BYTES:
            break
    return "image/jpeg", out.getvalue()


def _exhibitor(number: int, rec: dict, categories: set[str], report: _Report) -> Exhibitor:
    """The row as an exhibitor; its problems go to the report (the caller imports nothing if any)."""
    for col in REQUIRED:
        if not rec.get(col):
            report.add(number, f"{col} is empty")
    if rec.get("id") and not ID.match(rec["id"]):
        report.add(number, f"id {rec['id']!r} must be 1 to 32 letters, digits, '.', '_' or '-'")
    cats = _split(rec.get("categories", ""))
    for c in cats:
        if c not in categories:
            report.add(number, f"category {c!r} is not one of the event's ({', '.join(sorted(categories)) or 'none'}); "
                               "add it to the event file's categories")
    website = rec.get("website", "")
    if website and not re.match(r"^https?://[^\s/]+\.[^\s]+$", website):
        report.add(number, f"website {website!r} is not an http(s):// address")
    return Exhibitor(id=rec["id"], name=rec["name"], name_zh=rec.get("name_zh", ""),
                     category=cats[0] if cats else "", booths=_split(rec.get("booths", "")),
                     description=rec.get("description", ""), description_zh=rec.get("description_zh", ""),
                     products=_split(rec.get("products", "")), website=website, categories=cats)


def read_exhibitors(db: ServerDB, path: str | Path, mapping: dict[str, str] | None = None
                    ) -> tuple[list[Exhibitor], dict[str, tuple[str, bytes]]]:
    """The file's exhibitors and logos, all checked against the event in `db`; raises naming every problem."""
    path = Path(path)
    report = _Report(path)
    records = _records(read_table(path), mapping or {}, report)
    categories = {c.id for c in categories_from_store(db.store)}
    existing_booths = {b: e.id for e in db.store.exhibitors() for b in e.booths}
    seen_ids: dict[str, int] = {}
    booth_rows: dict[str, tuple[int, str]] = {}
    exhibitors, logos = [], {}
    for number, rec in records:
        ex = _exhibitor(number, rec, categories, report)
        if ex.id in seen_ids:
            report.add(number, f"id {ex.id!r} is also on row {seen_ids[ex.id]}")
            continue
        seen_ids[ex.id] = number
        for booth in ex.booths:
            if booth in booth_rows:
                report.add(number, f"booth {booth!r} is also {booth_rows[booth][1]!r}'s (row {booth_rows[booth][0]})")
            booth_rows.setdefault(booth, (number, ex.id))
        exhibitors.append(ex)
        if rec.get("logo"):
            logo = _logo(path, rec["logo"], number, report)
            if logo:
                logos[ex.id] = logo
    in_file = {e.id for e in exhibitors}
    for booth, (number, ex_id) in booth_rows.items():
        owner = existing_booths.get(booth)
        if owner and owner != ex_id and owner not in in_file:
            report.add(number, f"booth {booth!r} belongs to exhibitor {owner!r}, who is not in this file")
    if not records and not report.problems:
        report.add(None, "no exhibitor rows under the header")
    report.raise_any()
    return exhibitors, logos


def import_exhibitors(db: ServerDB, path: str | Path, mapping: dict[str, str] | None = None) -> dict:
    """Add or update the file's exhibitors (others stay), with their booths and logos, all or nothing."""
    event = db.store.event()
    if event is None:
        raise Refused(f"{db.path}: no event yet (create it first: kiosk-server create-event FILE)")
    exhibitors, logos = read_exhibitors(db, path, mapping)
    known = {e.id for e in db.store.exhibitors()}
    with db.store.transaction():
        for ex in exhibitors:
            db.store.save_exhibitor(ex, event.id)
        for ex_id, (mime, data) in logos.items():
            db.store.logos.save(ex_id, mime, data)
    new = sum(1 for e in exhibitors if e.id not in known)
    return {"file": str(path), "exhibitors": len(exhibitors), "new": new, "updated": len(exhibitors) - new,
            "logos": len(logos)}
