"""Attendees from a registration export: rows of a table (sync.importfile) through a mapping
(sync.importspec) to checked `Attendee`s, every problem in the file collected before any is reported.

Nothing here writes: sync.importplan compares the result with the database and applies it in one
transaction. docs/attendee-csv.md is the contract.
"""
from __future__ import annotations

import base64
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.errors import BadInput
from kiosk.models import BADGE_TYPES, Attendee
from sync.importfile import FileProblem, Table, read_table
from sync.importspec import ANY, FIELDS, ImportSpec, build_spec

MAX_ID_BYTES = 24  # what the signed badge has room for beside the event id and a name (badge-format.md)
MAX_CODE = 64
MAX_REPORTED = 20
_YES = {"yes", "y", "1", "true", "是"}
_NO = {"no", "n", "0", "false", "否", ""}
_IDENTIFIERS = ("id", "code")  # parts joined with "-" rather than a space


class ImportProblems(BadInput):
    """Every problem found in the file (the first MAX_REPORTED shown, then a count), one per line;
    each line after the first carries its own `error: ` as the CLI prints the first."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_REPORTED]
        lines = list(shown)
        if len(problems) > 1:
            more = f" (the first {len(shown)} shown)" if len(problems) > len(shown) else ""
            lines.append(f"{path}: {len(problems)} problems in all{more}; nothing was imported")
        super().__init__("\nerror: ".join(lines))


@dataclass
class Row:
    number: int
    attendee: Attendee


@dataclass
class ImportFile:
    """What a file says: the attendees to keep (with their rows) and the ids it marks cancelled."""

    path: Path
    rows: list[Row] = field(default_factory=list)
    cancelled: dict[str, int] = field(default_factory=dict)  # id → row
    encoding: str = ""
    delimiter: str = ""


def read_attendees(path: str | Path, spec: ImportSpec | None = None, encoding: str | None = None) -> ImportFile:
    """Read and check the whole file; raise ImportProblems listing every bad row, or return it all."""
    path = Path(path)
    spec = spec or build_spec()
    table = read_table(path, encoding)
    columns = _resolve(table, spec, path)
    out = ImportFile(path, encoding=table.encoding, delimiter=table.delimiter)
    problems: list[str] = []
    seen_ids: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    width = len(table.header)
    for number, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            problems.append(f"{path}: row {number}: {len(cells)} fields, the header has {width}")
            continue
        row_problems: list[str] = []
        rec = _record(cells, columns, spec, path, number, row_problems)
        _check_unique(rec, columns, path, number, seen_ids, seen_codes, row_problems)
        attendee, status = _attendee(rec, columns, path, number, row_problems)
        if attendee is not None and status == "cancelled":
            out.cancelled[attendee.id] = number
        elif attendee is not None:
            out.rows.append(Row(number, attendee))
        problems.extend(row_problems)
    if problems:
        raise ImportProblems(path, problems)
    return out


# -- header → fields -----------------------------------------------------------------------------------
def _find(header: list[str], name: str) -> int | None:
    """The column with this header: exact (after trimming), else ignoring case; the first if repeated."""
    for i, h in enumerate(header):
        if h == name:
            return i
    folded = name.casefold()
    return next((i for i, h in enumerate(header) if h.casefold() == folded), None)


@dataclass(frozen=True)
class Column:
    """One field's source: the column indexes joined, and how to name it in a message."""

    indexes: tuple[int, ...]
    label: str


def _resolve(table: Table, spec: ImportSpec, path: Path) -> dict[str, Column]:
    header = table.header
    columns: dict[str, Column] = {}
    for name, headers in spec.sources.items():
        found = [_find(header, h) for h in headers]
        if None in found:
            if name in spec.optional:
                continue
            missing = headers[found.index(None)]
            via = f"--map or --preset {spec.preset}" if spec.preset else "--map"
            raise FileProblem(f"{path}: row 1: no column {missing!r} for {name} ({via}; the header is "
                              f"{', '.join(header)})")
        joined = "+".join(header[i] for i in found)
        columns[name] = Column(tuple(found), repr(name) if joined == name else f"'{joined}' ({name})")
    # a header named as a field feeds it, unless a preset says exactly which columns to use (pretix's
    # order-level "Email" is the buyer's, not the attendee's); `status` only ever by --map or a preset
    for i, h in enumerate(header if not spec.preset else []):
        name = h.strip().lower()
        if name in FIELDS and name != "status" and name not in columns and \
                not any(i in c.indexes for c in columns.values()):
            columns[name] = Column((i,), repr(name))
    if "name" not in columns:
        raise FileProblem(f"{path}: row 1: missing required column 'name' (header is {', '.join(header)}; "
                          f"map other names with --map or --preset)")
    if "id" not in columns and "code" not in columns:
        raise FileProblem(f"{path}: row 1: missing required column 'id' (header is {', '.join(header)}; "
                          f"map other names with --map or --preset, or give a 'code' column to derive ids from)")
    return columns


def _record(cells: list[str], columns: dict[str, Column], spec: ImportSpec, path: Path, number: int,
            problems: list[str]) -> dict[str, str]:
    rec: dict[str, str] = {}
    for name, col in columns.items():
        value = join_parts([cells[i] for i in col.indexes], identifier=name in _IDENTIFIERS)
        table = spec.values.get(name, {})
        mapped = table.get(value.casefold(), table.get(ANY) if value else None)
        if mapped is not None:
            value = mapped
        elif name in ("badge_type", "status") and value and value.lower() not in _allowed(name):
            problems.append(f"{path}: row {number}, column {col.label}: {value!r} is not one of "
                            f"{', '.join(_allowed(name))}; map it with --values '{name}:{_q(value)}=…'")
            continue
        rec[name] = value
    return rec


def _allowed(name: str) -> tuple[str, ...]:
    return BADGE_TYPES if name == "badge_type" else ("active", "cancelled")


def _q(value: str) -> str:
    return f'"{value}"' if any(ch in value for ch in ',=+;:"') else value


def _cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return name.startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA")) or 0x3000 <= ord(ch) <= 0x303F


def join_parts(parts: list[str], identifier: bool = False) -> str:
    """Columns joined into one value: with a space, with nothing between Chinese, Japanese or Korean
    parts (姓+名 → 张三), with "-" for an id or code (order+position → ABC12-1). Empty parts drop out."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if not out:
            out = part
        elif identifier:
            out += "-" + part
        elif _cjk(out[-1]) and _cjk(part[0]):
            out += part
        else:
            out += " " + part
    return out


# -- one row → attendee --------------------------------------------------------------------------------
def derived_id(code: str) -> str:
    """A stable id for a file that has codes but no ids: `c-` and 16 base32 characters of the code's
    SHA-256 (the code itself may be a secret and long, and the id is printed in the badge's QR)."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "c-" + base64.b32encode(digest).decode("ascii")[:16].lower()


def _attendee(rec: dict[str, str], columns: dict[str, Column], path: Path, number: int,
              problems: list[str]) -> tuple[Attendee | None, str]:
    def fail(name: str, problem: str) -> None:
        problems.append(f"{path}: row {number}, column {columns[name].label if name in columns else repr(name)}: "
                        f"{problem}")

    code = rec.get("code", "")
    if code and (len(code) > MAX_CODE or any(ord(ch) < 32 or ch == "\x7f" for ch in code)):
        fail("code", f"must be at most {MAX_CODE} characters without control characters ({len(code)} given)")
    elif code.startswith("FK1:"):
        fail("code", "must not start with FK1: (that is how signed badges begin)")
    if "id" in columns:
        ident = rec.get("id", "")
        if not ident:
            fail("id", "is empty but required")
        elif len(ident.encode("utf-8")) > MAX_ID_BYTES or any(ord(ch) < 32 for ch in ident):
            fail("id", f"{ident!r} is too long for the signed badge: an id holds at most {MAX_ID_BYTES} bytes "
                       f"(24 Latin characters, 8 Chinese) and no control characters; map a longer registration "
                       f"code to 'code' instead, and leave 'id' out to derive ids from the codes")
    else:
        if not code:
            fail("code", "is empty, and the file has no 'id' column: the id is made from the code")
        ident = derived_id(code) if code else ""
    name = rec.get("name", "")
    if not name:
        fail("name", "is empty but required")
    badge_type = (rec.get("badge_type") or "attendee").lower()
    if badge_type not in BADGE_TYPES:
        fail("badge_type", f"{badge_type!r} is not one of {', '.join(BADGE_TYPES)}")
    consent_raw = (rec.get("consent") or "").lower()
    if consent_raw not in _YES | _NO:
        fail("consent", f"{rec.get('consent')!r} is not yes/no or 1/0")
    email = rec.get("email", "")
    if email and "@" not in email:
        fail("email", f"{email!r} is not an e-mail address")
    status = (rec.get("status") or "active").lower()
    if status not in ("active", "cancelled"):
        fail("status", f"{status!r} is not one of active, cancelled")
    if problems:
        return None, status
    return Attendee(id=ident, name=name, name_zh=rec.get("name_zh", ""), organisation=rec.get("organisation", ""),
                    title=rec.get("title", ""), email=email, phone=rec.get("phone", ""), badge_type=badge_type,
                    consent=consent_raw in _YES, code=code), status


def _check_unique(rec: dict[str, str], columns: dict[str, Column], path: Path, number: int,
                  seen_ids: dict[str, int], seen_codes: dict[str, int], problems: list[str]) -> None:
    """Two rows with one id, or one code (an order number used as the code of a two-ticket order:
    the second person could never check in), are refused with both rows named, whatever else is
    wrong with the row."""
    ident, code = rec.get("id", ""), rec.get("code", "")
    if ident and "id" in columns:
        if ident in seen_ids:
            problems.append(f"{path}: row {number}, column {columns['id'].label}: {ident!r} appears twice "
                            f"(also row {seen_ids[ident]})")
        seen_ids.setdefault(ident, number)
    if code:
        if code in seen_codes:
            problems.append(f"{path}: row {number}, column {columns['code'].label}: {code!r} is also the "
                            f"code of row {seen_codes[code]}; every person needs their own code")
        seen_codes.setdefault(code, number)
