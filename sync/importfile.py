"""A registration export read as a header and rows of text, whatever it was saved as.

CSV with any of the usual delimiters (`,` `;` tab `|`, found by the stdlib `csv.Sniffer` restricted
to those four, or an Excel `sep=` first line) or XLSX (openpyxl, read-only). The text encoding is
decided, never guessed silently: a byte-order mark wins; else UTF-8 if the bytes are UTF-8; else
GB18030 (GBK) or Windows-1252, whichever reads as plausible text; if both do, or neither, or rows
mix UTF-8 with another encoding, the file is refused with the row named (`--encoding` decides).
docs/attendee-csv.md is the contract.
"""
from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from kiosk.errors import BadInput

DELIMITERS = ",;\t|"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# punctuation Windows-1252 text really holds; anything else non-ASCII that is not a letter is suspect
_LATIN_PUNCT = set("\u00a0’‘“”–—…€°·«»§©®™ªº×¿¡´¨¸¹²³½¼¾£¥¢•‚„")
_MAX_SUSPECT = 0.2  # share of suspect characters above which a reading is implausible


class FileProblem(BadInput):
    """A file that cannot be read as a table; the message names the file and, where it can, the row."""


@dataclass
class Table:
    """The header and the data rows, each with its row number as a spreadsheet would show it."""

    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if raw[:4] == b"PK\x03\x04":  # by content: platforms name CSV downloads .xls and workbooks .csv
        return _read_xlsx(path, raw)
    if raw[:4] == b"\xd0\xcf\x11\xe0":
        raise FileProblem(f"{path}: an Excel 97-2003 workbook (.xls), which is not read: save it as .xlsx "
                          f"or as CSV UTF-8")
    text, used = _decode(raw, path, encoding)
    return _read_csv(text, path, used)


# -- encodings ---------------------------------------------------------------------------------------
def _row_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _decode(raw: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        return _decode_as(raw, path, encoding), encoding
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return _decode_as(raw, path, name), name
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise FileProblem(f"{path}: row {_row_of(raw, nul)}: NUL byte (a UTF-16 file without a "
                          f"byte-order mark? save it as UTF-8, or name the encoding with --encoding utf-16-le)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_row = _row_of(raw, exc.start)
    _refuse_mixed(raw, path, bad_row)
    readings = {name: _plausible(raw, name) for name in ("gb18030", "cp1252")}
    good = [name for name, ok in readings.items() if ok]
    if len(good) == 1:
        return raw.decode(good[0]), good[0]
    if good:
        raise FileProblem(f"{path}: the encoding is ambiguous: it reads as GBK/GB18030 and as Windows-1252 "
                          f"(row {bad_row} is the first that is not UTF-8); name it with --encoding gb18030 or "
                          f"--encoding cp1252, or save the file as UTF-8")
    raise FileProblem(f"{path}: row {bad_row}: not UTF-8, and neither GBK/GB18030 nor Windows-1252 reads as text; "
                      f"name the encoding with --encoding or save the file as UTF-8")


def _decode_as(raw: bytes, path: Path, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileProblem(f"--encoding {encoding!r}: not an encoding this Python knows") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path}: row {_row_of(raw, exc.start)}: not {encoding} text "
                          f"(byte 0x{raw[exc.start]:02X}); check --encoding") from None
    if "\x00" in text:
        raise FileProblem(f"{path}: row {text.count(chr(10), 0, text.index(chr(0))) + 1}: NUL character "
                          f"in the text; is --encoding right?")
    return text.lstrip("\ufeff")


def _refuse_mixed(raw: bytes, path: Path, bad_row: int) -> None:
    """A file that is not UTF-8 but has rows with UTF-8 multi-byte text was written by two programs:
    whichever single encoding we pick, some names come out garbled."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if max(line, default=0) < 0x80:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise FileProblem(f"{path}: mixed encodings: row {number} is UTF-8 but row {bad_row} is not; save the "
                          f"whole file in one encoding (UTF-8), or name one with --encoding")


def _plausible(raw: bytes, encoding: str) -> bool:
    """Whether `raw` decoded as `encoding` looks like names and organisations rather than mojibake."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    units = suspects = 0
    if encoding == "gb18030":
        for ch in text:
            if ord(ch) < 0x80:
                continue
            units += 1
            if _odd_gbk(ch):
                suspects += 1
    else:
        for run in _non_ascii_runs(text):
            units += 1
            # Chinese read as Windows-1252 gives runs of 2+ accented capitals and symbols (张三 → ÕÅÈý)
            if len(run) > 2 or any(not _latin_like(ch) for ch in run) or (len(run) == 2 and not run.islower()):
                suspects += 1
    return units > 0 and suspects <= _MAX_SUSPECT * units


def _odd_gbk(ch: str) -> bool:
    """A Latin letter read as GBK pairs with the ASCII letter after it (é+s → 閟): a second byte below
    0x80, which real Chinese text has only in rare extension characters. Name characters beyond GB2312
    (喆 堃 燊 䶮) have a high second byte and are CJK ideographs, so they pass."""
    raw = ch.encode("gb18030")
    cjk = unicodedata.name(ch, "").startswith("CJK")
    return (len(raw) == 2 and raw[1] < 0x80) or not (cjk or _in_gb2312(ch))


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _non_ascii_runs(text: str) -> list[str]:
    runs, current = [], []
    for ch in text:
        if ord(ch) >= 0x80:
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def _latin_like(ch: str) -> bool:
    return ch in _LATIN_PUNCT or unicodedata.category(ch).startswith("L")


# -- CSV -----------------------------------------------------------------------------------------------
def _read_csv(text: str, path: Path, encoding: str) -> Table:
    lines = text.splitlines(keepends=True)
    first = lines[0].strip() if lines else ""
    skipped = 0
    if first.lower().startswith("sep=") and len(first) == 5:  # Excel's own delimiter hint
        delimiter, text, skipped = first[4], text[len(lines[0]):], 1
    else:
        delimiter = _sniff(text)
    if not text.strip():
        raise FileProblem(f"{path}: the file is empty")
    # strict: a stray quote after a closed quoted field is refused rather than silently dropped
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=True)
    table: Table | None = None
    start = 1 + skipped
    try:
        for row in reader:
            end = reader.line_num + skipped
            if table is None:
                table = Table([c.strip() for c in row], encoding=encoding, delimiter=delimiter)
            else:
                if end > start and len(row) != len(table.header):
                    raise FileProblem(f"{path}: row {start}: a quoted field opened here runs on to row {end} "
                                      f"({len(row)} fields, the header has {len(table.header)}): "
                                      f"an unterminated quote?")
                table.rows.append((start, row))
            start = end + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise FileProblem(f"{path}: row {start}: a quoted field opened here is never closed "
                              f"(an unterminated quote)") from None
        if reader.line_num + skipped > start:
            raise FileProblem(f"{path}: row {start}: a quoted field opened here runs on to row "
                              f"{reader.line_num + skipped}, where {exc} (an unterminated quote?)") from None
        raise FileProblem(f"{path}: row {start}: {exc}") from None
    if table is None:
        raise FileProblem(f"{path}: the file is empty")
    return table


def _sniff(text: str) -> str:
    """The delimiter by csv.Sniffer over the first 64 KiB, checked against the header: a sniffed
    delimiter the header does not hold loses to the candidate the header holds most of."""
    sample = text[:64 * 1024]
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:  # one line, or too few rows to vote
        sniffed = ""
    if sniffed and counts.get(sniffed):
        return sniffed
    return best if counts[best] else ","


# -- XLSX ----------------------------------------------------------------------------------------------
def _read_xlsx(path: Path, raw: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileProblem(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        return _sheet_table(path, wb)
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile workbook breaks openpyxl's XML parsing in many ways
        raise FileProblem(f"{path}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from None
    finally:
        wb.close()


def _sheet_table(path: Path, wb) -> Table:
    """The first worksheet; rows keep their spreadsheet numbers, trailing empty cells are dropped."""
    table: Table | None = None
    for number, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        if table is None:
            if cells:
                table = Table([c.strip() for c in cells], encoding="xlsx", delimiter="")
            continue
        for i, cell in enumerate(cells):
            if "\x00" in cell:
                raise FileProblem(f"{path}: row {number}, column {i + 1}: NUL character in the cell")
        table.rows.append((number, cells))
    if table is None:
        raise FileProblem(f"{path}: the first worksheet is empty")
    width = len(table.header)
    table.rows = [(n, cells + [""] * (width - len(cells))) for n, cells in table.rows]
    return table


def _cell_text(value: object) -> str:
    """A cell as the text the organiser sees: 12345 not 12345.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)
