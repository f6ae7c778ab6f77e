"""Badge artwork: a printable badge (PNG, or PDF by the file's ending) with its signed QR.

Drawn with Pillow so the server and the kiosk render the same badge without Qt. The QR is
made by segno at error correction M; the code is ASCII, so no ECI is needed.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from kiosk import paths
from kiosk.errors import BadInput
from kiosk.eventdata import DEFAULT_BADGE_TYPES, BadgeType
from kiosk.models import Attendee
from kiosk.private import claim

_FONT_CANDIDATES = [
    "fonts/NotoSansSC-Regular.otf",  # bundled (assets/fonts), if present
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "fonts/NotoSansSC-Subset.otf",  # bundled subset (GB2312 + the app's text): the packaged app's floor
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/System/Library/Fonts/PingFang.ttc",
]
WIDTH, HEIGHT = 1000, 1400  # pixels: a 100 x 140 mm badge at 254 dpi


def type_look(badge_type: str, types: tuple[BadgeType, ...] = DEFAULT_BADGE_TYPES) -> tuple[str, str]:
    """The badge band's text (Chinese and English label) and colour, as the event file words and colours the type."""
    chosen = next((b for b in types if b.id == badge_type), None) or \
        next((b for b in DEFAULT_BADGE_TYPES if b.id == badge_type), None)
    if chosen is None:
        return badge_type.upper(), "#1565C0"
    zh = chosen.label_zh if chosen.label_zh != chosen.label else ""
    return f"{zh}  {chosen.label}".strip(), chosen.color


def names_to_print(name: str, name_zh: str) -> tuple[str, str]:
    """(name, name_zh) as the badge prints them: a Chinese name the same as the name (the zh preset fills
    both from 姓名) is printed once, as the name."""
    return (name, "") if " ".join(name_zh.split()) == " ".join(name.split()) else (name, name_zh)


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    """A font with Simplified Chinese glyphs; index 2 of the Noto CJK collection is SC."""
    for candidate in _FONT_CANDIDATES:
        path = paths.assets() / candidate if not candidate.startswith(("/", "C:")) else Path(candidate)
        if bold and "Regular" in path.name:
            bold_path = path.with_name(path.name.replace("Regular", "Bold"))
            path = bold_path if bold_path.exists() else path
        elif bold and path.name.endswith("-Subset.otf"):
            bold_path = path.with_name(path.name.replace("-Subset.otf", "-Subset-Bold.otf"))
            path = bold_path if bold_path.exists() else path
        if path.exists():
            try:
                return ImageFont.truetype(str(path), size, index=2 if path.suffix == ".ttc" and "Noto" in path.name
                                          else 0)
            except OSError:
                continue
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, max_width: int, size: int, bold: bool = False):
    while size > 18:
        f = font(size, bold)
        if draw.textlength(text, font=f) <= max_width:
            return f
        size -= 4
    return font(size, bold)


def badge_image(attendee: Attendee, code: str, event_name: str = "", event_name_zh: str = "",
                types: tuple[BadgeType, ...] = DEFAULT_BADGE_TYPES) -> Image.Image:
    """One fixed layout as a picture (the PNG of `kiosk-server badge`); templates and PDFs: kiosk.badgepdf.
    `types`: the event's badge types (kiosk.eventdata.badge_types_from_store), for the band's label and colour."""
    attendee = replace(attendee, **{f: " ".join(getattr(attendee, f).split())  # one line each: no line breaks
                                    for f in ("name", "name_zh", "organisation")})
    attendee = replace(attendee, name_zh=names_to_print(attendee.name, attendee.name_zh)[1])
    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(img)
    label, colour = type_look(attendee.badge_type, types)
    draw.rectangle([0, 0, WIDTH, 150], fill="#0D3B66")
    draw.text((WIDTH // 2, 55), event_name_zh or event_name, font=_fit(draw, event_name_zh or event_name, 900, 46, True),
              fill="white", anchor="mm")
    if event_name_zh and event_name:
        draw.text((WIDTH // 2, 110), event_name, font=_fit(draw, event_name, 900, 30), fill="white", anchor="mm")
    y = 240
    if attendee.name_zh:
        draw.text((WIDTH // 2, y), attendee.name_zh, font=_fit(draw, attendee.name_zh, 900, 120, True),
                  fill="black", anchor="mm")
        y += 120
    draw.text((WIDTH // 2, y), attendee.name, font=_fit(draw, attendee.name, 900, 80 if attendee.name_zh else 110,
                                                          True), fill="black", anchor="mm")
    y += 95
    if attendee.organisation:
        draw.text((WIDTH // 2, y), attendee.organisation, font=_fit(draw, attendee.organisation, 900, 48),
                  fill="#333333", anchor="mm")
    qr = segno.make(code, error="m", boost_error=False)
    scale = max(1, 560 // (qr.symbol_size(scale=1, border=2)[0]))
    qr_img = qr.to_pil(scale=scale, border=2) if hasattr(qr, "to_pil") else _qr_pil(qr, scale)
    qr_img = qr_img.convert("RGB")
    img.paste(qr_img, ((WIDTH - qr_img.width) // 2, 560))
    draw.rectangle([0, HEIGHT - 190, WIDTH, HEIGHT], fill=colour)
    draw.text((WIDTH // 2, HEIGHT - 95), label, font=_fit(draw, label, 940, 84, True), fill="white", anchor="mm")
    return img


def _qr_pil(qr: segno.QRCode, scale: int) -> Image.Image:
    """segno without its PIL plugin: draw the matrix ourselves."""
    matrix = [list(row) for row in qr.matrix_iter(scale=scale, border=2)]
    img = Image.new("1", (len(matrix[0]), len(matrix)), 1)
    px = img.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                px[x, y] = 0
    return img


def render_badge(attendee: Attendee, code: str, out: str | Path, event_name: str = "",
                 event_name_zh: str = "", types: tuple[BadgeType, ...] = DEFAULT_BADGE_TYPES) -> Path:
    """Write the badge as PNG, or PDF when the file ends in .pdf; return the path."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".pdf"):
        raise BadInput(f"{out}: badge files end in .png or .pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    img = badge_image(attendee, code, event_name, event_name_zh, types)
    claim(out)  # a badge image is a valid badge: owner-only
    if suffix == ".pdf":
        img.save(out, "PDF", resolution=254.0)
    else:
        img.save(out, "PNG")
    return out
