"""Badges as one vector, searchable PDF, without Qt: fpdf2, with HarfBuzz shaping (uharfbuzz).

Text is real text in embedded font subsets, so a PDF of 2,000 badges stays small, prints sharp
on any printer, and can be searched for a name. Arabic is shaped and set right to left by
HarfBuzz and fpdf2's bidi support; characters the first font lacks come from the next font of
the chain (kiosk.badgefonts). The QR is drawn as filled rectangles, one per run of dark modules.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import segno

from kiosk import badgefonts
from kiosk.badgelayout import Band, BadgeText, Op, QrBox, TextLine, layout
from kiosk.badgetemplates import Template
from kiosk.errors import BadInput

QR_BORDER = 2  # quiet zone, modules (inside the template's QR box)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def qr_runs(code: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR's size in modules (with its quiet zone) and its dark runs as (row, first column, length)."""
    qr = segno.make(code, error="m", boost_error=False)
    rows = [list(r) for r in qr.matrix_iter(scale=1, border=QR_BORDER)]
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

    def __init__(self, template: Template, title: str = "Badges"):
        from fpdf import FPDF  # lazy: only badge commands load the PDF writer

        self.template = template
        self.pdf = FPDF(unit="mm", format=template.page_size)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_title(title)
        self.pdf.set_creator("Forum Kiosk")
        keys = []
        for link in badgefonts.CHAIN:
            for bold in (False, True):
                f = badgefonts.find(link, bold)
                self.pdf.add_font(link.key, "B" if bold else "", f.path, collection_font_number=f.index)
            keys.append(link.key)
        self.pdf.set_fallback_fonts(keys[1:], exact_match=False)
        self.pdf.set_text_shaping(True)
        self._first = keys[0]
        self.count = 0

    def measure(self, text: str, size: float, bold: bool) -> float:
        self.pdf.set_font(self._first, "B" if bold else "", size)
        return self.pdf.get_string_width(text)

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
                pdf.set_font(self._first, "B" if op.bold else "", op.size)
                pdf.set_text_color(*_rgb(op.colour))
                pdf.set_xy(op.x, op.y)
                pdf.cell(w=op.w, h=op.h, text=op.text, align={"left": "L", "right": "R"}.get(op.align, "C"))
            elif isinstance(op, QrBox):
                self._qr(op)

    def _qr(self, op: QrBox) -> None:
        modules, runs = qr_runs(op.code)
        unit = op.size / modules
        self.pdf.set_fill_color(255, 255, 255)
        self.pdf.rect(op.x, op.y, op.size, op.size, style="F")
        self.pdf.set_fill_color(0, 0, 0)
        for y, x, length in runs:
            self.pdf.rect(op.x + x * unit, op.y + y * unit, length * unit, unit, style="F")

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
        """Characters drawn so far that no font of the chain holds (they print as empty boxes)."""
        return sorted({chr(c) for font in self.pdf.fonts.values() for c in getattr(font, "missing_glyphs", [])})


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
