"""Badges as one vector, searchable PDF, without Qt: fpdf2, with HarfBuzz shaping (uharfbuzz).

Text is real text in embedded font subsets, so a PDF of 2,000 badges stays small, prints sharp
on any printer, and can be searched for a name. Arabic is shaped and set right to left by
HarfBuzz and fpdf2's bidi support; characters the first font lacks come from the next font of
the chain (kiosk.badgefonts). The QR is drawn as filled rectangles, one per run of dark modules.
"""
from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import segno

from kiosk import badgefonts
from kiosk.badgelayout import PT, Band, BadgeText, Op, QrBox, TextLine, layout
from kiosk.badgetemplates import Template
from kiosk.errors import BadInput

QR_BORDER = 2  # quiet zone, modules (inside the template's QR box)
# scripts whose widths change when shaped (joining forms, marks): measured through HarfBuzz
_NEEDS_SHAPING = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff\u0300-\u036f]")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def qr_matrix(code: str) -> list[list[bool]]:
    """The QR's modules (True: dark), quiet zone included, at error correction M.

    zxing-cpp (already here for decoding) writes a symbol in about 2 ms; segno, which picks its
    mask in Python, takes about 17 ms: a third of the time of a 2,000-badge batch."""
    try:
        import numpy as np
        import zxingcpp

        symbol = zxingcpp.create_barcode(code, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        core = (np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)) < 128).tolist()
    except (ImportError, AttributeError, TypeError, ValueError):  # zxing-cpp 2 has no create_barcode
        core = None
    if core is None:
        qr = segno.make(code, error="m", boost_error=False)
        return [[bool(v) for v in row] for row in qr.matrix_iter(scale=1, border=QR_BORDER)]
    blank = [False] * (len(core[0]) + 2 * QR_BORDER)
    return [blank] * QR_BORDER + [[False] * QR_BORDER + row + [False] * QR_BORDER for row in core] + \
        [blank] * QR_BORDER


def qr_runs(code: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR's size in modules (with its quiet zone) and its dark runs as (row, first column, length)."""
    rows = qr_matrix(code)
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(rows), runs


class BadgePdf:
    """One PDF of many badges: `add` each attendee's badge, then `save`."""

    def __init__(self, template: Template, texts: Iterable[str] = (), title: str = "Badges"):
        """`texts`: everything the badges will say, so only the fonts they need are loaded and embedded
        (a CJK font costs seconds to load and subset); the Latin font is always there."""
        from fpdf import FPDF  # lazy: only badge commands load the PDF writer

        self.template = template
        self.pdf = FPDF(unit="mm", format=template.page_size)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_title(title)
        self.pdf.set_creator("Forum Kiosk")
        needed = badgefonts.links_for("".join(texts))
        self._widths: dict[bool, list] = {False: [], True: []}  # advance widths, in chain order
        for link in needed:
            regular, bold = badgefonts.find(link, False), badgefonts.find(link, True)
            self.pdf.add_font(link.key, "", regular.path, collection_font_number=regular.index)
            self._widths[False].append(self.pdf.fonts[link.key].cw)
            if bold.is_bold or link is needed[0]:  # else the regular face stands in (fallback is not exact)
                self.pdf.add_font(link.key, "B", bold.path, collection_font_number=bold.index)
            self._widths[True].append(self.pdf.fonts.get(f"{link.key}b", self.pdf.fonts[link.key]).cw)
        self._first = needed[0].key
        self.pdf.set_fallback_fonts([link.key for link in needed[1:]], exact_match=False)
        self.pdf.set_text_shaping(True)
        self._measured: dict[tuple[str, float, bool], float] = {}
        self._held: dict[str, bool] = {}  # character -> some loaded font has it
        self.count = 0

    def measure(self, text: str, size: float, bold: bool) -> float:
        """Width in mm. From the fonts' advance widths, except where shaping changes them (Arabic)."""
        key = (text, size, bold)
        width = self._measured.get(key)
        if width is None:
            if _NEEDS_SHAPING.search(text):
                self.pdf.set_font(self._first, "B" if bold else "", size)
                width = self.pdf.get_string_width(text)
            else:
                width = sum(self._advance(ord(c), bold) for c in text) * size * 0.001 * PT
            if len(self._measured) > 50_000:
                self._measured.clear()
            self._measured[key] = width
        return width

    def _advance(self, code: int, bold: bool) -> float:
        for cw in self._widths[bold]:
            if code in cw:  # cw is a defaultdict: test before reading
                return cw[code]
        return 1000.0

    def add(self, data: BadgeText) -> None:
        """The next badge: a new page, or the next place on the sheet."""
        per_page = self.template.sheet.per_page if self.template.sheet else 1
        if self.count % per_page == 0:
            self.pdf.add_page()
        origin = self.template.slot(self.count)
        self.draw(layout(self.template, data, self.measure, origin))
        self.count += 1

    def draw(self, ops: list[Op]) -> None:
        pdf = self.pdf
        for op in ops:
            if isinstance(op, Band):
                pdf.set_fill_color(*_rgb(op.colour))
                pdf.rect(op.x, op.y, op.w, op.h, style="F")
            elif isinstance(op, TextLine):
                self._check_glyphs(op.text, op.bold)
                pdf.set_font(self._first, "B" if op.bold else "", op.size)
                pdf.set_text_color(*_rgb(op.colour))
                pdf.set_xy(op.x, op.y)
                pdf.cell(w=op.w, h=op.h, text=op.text, align={"left": "L", "right": "R"}.get(op.align, "C"))
            elif isinstance(op, QrBox):
                self._qr(op)

    def _qr(self, op: QrBox) -> None:
        """One filled path of rectangles (one per run of dark modules) on a white square."""
        modules, runs = qr_runs(op.code)
        unit = op.size / modules
        self.pdf.set_fill_color(255, 255, 255)
        self.pdf.rect(op.x, op.y, op.size, op.size, style="F")
        k, page_h = self.pdf.k, self.pdf.h
        path = [f"{(op.x + x * unit) * k:.3f} {(page_h - op.y - (y + 1) * unit) * k:.3f} {length * unit * k:.3f} "
                f"{unit * k:.3f} re" for y, x, length in runs]
        self.pdf._out("q 0 g " + " ".join(path) + " f Q")  # fpdf2 has no public call for one many-part path

    def save(self, out: str | Path) -> Path:
        """Write the PDF readable by its owner only (names, organisations, signed badge codes)."""
        out = Path(out)
        if out.suffix.lower() != ".pdf":
            raise BadInput(f"{out}: the badge file must end in .pdf")
        if self.count == 0:
            self.pdf.add_page()  # an empty batch is still a valid (blank) PDF
        write_private(out, bytes(self.pdf.output()))
        return out

    def missing_glyphs(self) -> list[str]:
        """Characters drawn so far that no loaded font holds (they print as empty boxes)."""
        return sorted(c for c, held in self._held.items() if not held)

    def _check_glyphs(self, text: str, bold: bool) -> None:
        for c in text:
            if c not in self._held:
                self._held[c] = c.isspace() or not c.isprintable() or any(ord(c) in cw for cw in self._widths[bold])


def write_private(out: Path, data: bytes) -> None:
    """Write atomically (a temporary file renamed) with mode 0600, whatever umask or old file there was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)  # mkstemp creates it 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
