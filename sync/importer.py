"""Attendee CSV import from a registration system (UTF-8 with or without BOM, or GBK).

The whole file is parsed and checked before anything is written, so a bad row stops the
import with its row and column named and the database untouched. Re-importing updates by
`id`.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from kiosk.errors import BadInput
from kiosk.models import BADGE_TYPES, Attendee

COLUMNS = ("id", "name", "name_zh", "organisation", "title", "email", "phone", "badge_type", "consent", "code")
REQUIRED = ("id", "name")
_YES = {"yes", "y", "1", "true", "是"}
_NO = {"no", "n", "0", "false", "否", ""}


class ImportError_(BadInput):
    """A CSV problem, with file, row and column in the message."""


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_(f"{path}: neither UTF-8 nor GBK text")


def parse_mapping(spec: str | None) -> dict[str, str]:
    """"their_header=our_column,..." → {their_header: our_column}."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ImportError_(f"column mapping {part!r}: expected THEIR_HEADER=our_column")
        theirs, ours = (p.strip() for p in part.split("=", 1))
        if ours not in COLUMNS:
            raise ImportError_(f"column mapping {part!r}: {ours!r} is not one of {', '.join(COLUMNS)}")
        mapping[theirs] = ours
    return mapping


def read_attendees(path: str | Path, mapping: dict[str, str] | None = None) -> list[Attendee]:
    path = Path(path)
    try:
        text = _decode(path.read_bytes(), path)
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read ({exc.strerror or exc})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportError_(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise ImportError_(f"{path}: row 1: {exc}") from exc
    mapping = mapping or {}
    columns = [mapping.get(h.strip(), h.strip().lower()) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportError_(f"{path}: row 1: missing required column {missing[0]!r} "
                           f"(header is {', '.join(header)}; map other names with --map)")
    out: list[Attendee] = []
    seen: dict[str, int] = {}
    try:
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise ImportError_(f"{path}: row {line}: {len(row)} fields, the header has {len(columns)}")
            rec = {c: v.strip() for c, v in zip(columns, row) if c in COLUMNS}
            out.append(_attendee(rec, path, line, seen))
    except csv.Error as exc:
        raise ImportError_(f"{path}: row {reader.line_num}: {exc}") from exc
    return out


def _attendee(rec: dict[str, str], path: Path, line: int, seen: dict[str, int]) -> Attendee:
    def fail(column: str, problem: str) -> ImportError_:
        return ImportError_(f"{path}: row {line}, column {column!r}: {problem}")

    for col in REQUIRED:
        if not rec.get(col):
            raise fail(col, "is empty but required")
    if len(rec["id"]) > 24 or any(ch in rec["id"] for ch in "\x1f\r\n"):
        raise fail("id", "must be at most 24 plain characters")
    if rec["id"] in seen:
        raise fail("id", f"{rec['id']!r} appears twice (also row {seen[rec['id']]})")
    seen[rec["id"]] = line
    badge_type = (rec.get("badge_type") or "attendee").lower()
    if badge_type not in BADGE_TYPES:
        raise fail("badge_type", f"{badge_type!r} is not one of {', '.join(BADGE_TYPES)}")
    consent_raw = (rec.get("consent") or "").lower()
    if consent_raw not in _YES | _NO:
        raise fail("consent", f"{rec.get('consent')!r} is not yes/no or 1/0")
    email = rec.get("email", "")
    if email and "@" not in email:
        raise fail("email", f"{email!r} is not an e-mail address")
    return Attendee(id=rec["id"], name=rec["name"], name_zh=rec.get("name_zh", ""),
                    organisation=rec.get("organisation", ""), title=rec.get("title", ""), email=email,
                    phone=rec.get("phone", ""), badge_type=badge_type, consent=consent_raw in _YES,
                    code=rec.get("code", ""))
