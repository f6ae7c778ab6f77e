"""The venue's own plan (PNG, JPEG or PDF) as a background under the booths, calibrated to metres.

The file is checked by its content, not its name, decoded with limits (file size, pixel
count: a decompression bomb is refused before it is decoded), a PDF's first page rendered
with PDFium (pypdfium2), and the result stored as one PNG of at most MAX_SIDE pixels a side
so every kiosk gets the same small image. Calibration maps plan coordinates (image pixels,
or PDF points from the page's top-left corner) to hall metres: two reference points, or a
scale and where the hall's (0, 0) lies on the plan. The plan may not be rotated or mirrored
against the hall's axes.
"""
from __future__ import annotations

import base64
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk.hallmap import Background, HallError

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_SOURCE_PIXELS = 60_000_000  # about 7,700 x 7,700: more is refused before decoding
MAX_SIDE = 3072  # the stored image: a 60 m hall at 50 px/m; on a kiosk it costs 4 bytes a pixel (36 MB)
MAX_STORED_BYTES = 6 * 1024 * 1024
MAX_ROTATION_DEG = 1.0


class PlanError(HallError):
    """A background plan that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Calibration:
    """Plan units to metres: metre = origin + unit * m_per_unit (the same scale across and down)."""

    m_per_unit: float
    origin: tuple[float, float]  # the hall point (metres) at the plan's top-left corner


@dataclass(frozen=True)
class PreparedPlan:
    png: bytes
    background: Background

    def encoded(self) -> str:
        """The image as stored and sent (meta `hall_background`): base64 text."""
        return base64.b64encode(self.png).decode("ascii")


# ---------------------------------------------------------------- calibration


def _pair(text: str, what: str) -> tuple[float, float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        x, y = (float(p) for p in parts)
    except ValueError:
        raise PlanError(f"{what}: expected two numbers 'x,y', got {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise PlanError(f"{what}: expected finite numbers, got {text!r}")
    return x, y


def calibration_from_points(text: str) -> Calibration:
    """`'x1,y1=X1,Y1;x2,y2=X2,Y2'`: two plan points and the hall metres they stand for."""
    pairs = [p for p in text.split(";") if p.strip()]
    if len(pairs) != 2 or any(p.count("=") != 1 for p in pairs):
        raise PlanError(f"--calibrate {text!r}: expected 'x1,y1=X1,Y1;x2,y2=X2,Y2' (plan point = hall metres)")
    (p1, m1), (p2, m2) = ((_pair(a, "--calibrate"), _pair(b, "--calibrate")) for a, b in (p.split("=") for p in pairs))
    d_plan, d_m = math.dist(p1, p2), math.dist(m1, m2)
    if d_plan < 1e-9 or d_m < 1e-9:
        raise PlanError(f"--calibrate {text!r}: the two reference points must be apart, on the plan and in metres")
    turn = math.degrees(math.atan2(m2[1] - m1[1], m2[0] - m1[0]) - math.atan2(p2[1] - p1[1], p2[0] - p1[0]))
    turn = (turn + 180) % 360 - 180
    if abs(turn) > MAX_ROTATION_DEG:
        raise PlanError(f"--calibrate {text!r}: the points turn the plan by {turn:.1f} degrees; the plan must be "
                        "upright (x to the right, y down, as the hall) — check the points or rotate the plan")
    s = d_m / d_plan
    return Calibration(s, (m1[0] - p1[0] * s, m1[1] - p1[1] * s))


def calibration_from_scale(scale: str, origin: str | None) -> Calibration:
    """`--scale UNITS_PER_M` (plan pixels or points per metre) and `--origin X,Y`, the plan point
    where the hall's (0, 0) is (default: the plan's top-left corner)."""
    try:
        per_m = float(scale)
    except ValueError:
        raise PlanError(f"--scale {scale!r}: expected plan pixels (or PDF points) per metre") from None
    if not math.isfinite(per_m) or per_m <= 0:
        raise PlanError(f"--scale {scale!r}: must be a positive number of pixels per metre")
    ox, oy = _pair(origin, "--origin") if origin else (0.0, 0.0)
    return Calibration(1 / per_m, (-ox / per_m, -oy / per_m))


# ---------------------------------------------------------------- reading the plan


def _kind(head: bytes) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"%PDF-"):
        return "pdf"
    return ""


def prepare_plan(path: str | Path, calibration: Calibration, page: int = 1) -> PreparedPlan:
    """Check, decode (render a PDF page), shrink and encode the plan; PlanError on anything wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError(f"{path}: no such file") from None
    if size > MAX_FILE_BYTES:
        raise PlanError(f"{path}: {size / 1024 / 1024:.0f} MB is too large for a plan (at most "
                        f"{MAX_FILE_BYTES // 1024 // 1024} MB)")
    data = path.read_bytes()
    kind = _kind(data[:1024])
    if not kind:
        raise PlanError(f"{path}: not a PNG, JPEG or PDF file (by its content)")
    if kind == "pdf":
        image, units_per_px = _render_pdf(data, path, page)
    else:
        image, units_per_px = _decode_image(data, path, kind), 1.0
    return _finish(image, units_per_px, calibration, path)


def _decode_image(data: bytes, path: Path, kind: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind.upper()])
            w, h = image.size
            if w * h > MAX_SOURCE_PIXELS:
                raise PlanError(f"{path}: {w} x {h} pixels is too large a plan (at most "
                                f"{MAX_SOURCE_PIXELS // 1_000_000} million pixels)")
            image.load()
    except PlanError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PlanError(f"{path}: too large a plan (at most {MAX_SOURCE_PIXELS // 1_000_000} million pixels)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PlanError(f"{path}: damaged or unreadable {kind.upper()} ({exc})") from None
    return image


def _render_pdf(data: bytes, path: Path, page_no: int) -> tuple[Image.Image, float]:
    """Page page_no rendered so its longer side is MAX_SIDE pixels; PDF points per pixel."""
    try:
        import pypdfium2 as pdfium  # lazy: PDFium loads only when a PDF plan is imported
    except ImportError:
        raise PlanError(f"{path}: PDF plans need pypdfium2, which this installation lacks; "
                        "export the plan as PNG instead") from None

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PlanError(f"{path}: damaged or unreadable PDF ({exc})") from None
    try:
        if not 1 <= page_no <= len(doc):
            raise PlanError(f"{path}: has {len(doc)} page(s), no page {page_no}")
        page = doc[page_no - 1]
        w_pt, h_pt = page.get_size()
        if not (w_pt > 0 and h_pt > 0):
            raise PlanError(f"{path}: page {page_no} has no size")
        px_per_pt = MAX_SIDE / max(w_pt, h_pt)
        try:
            image = page.render(scale=px_per_pt, rotation=0).to_pil()
        except pdfium.PdfiumError as exc:
            raise PlanError(f"{path}: page {page_no} cannot be rendered ({exc})") from None
    finally:
        doc.close()
    return image.convert("RGB"), 1 / px_per_pt


def _finish(image: Image.Image, units_per_px: float, cal: Calibration, path: Path) -> PreparedPlan:
    if "A" in image.getbands() or "transparency" in image.info:
        # a plan exported with a transparent background: on white paper, not on black
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        image = paper.convert("RGB")
    elif image.mode not in ("RGB", "L", "P"):
        image = image.convert("RGB")
    w, h = image.size
    shrink = max(1.0, max(w, h) / MAX_SIDE)
    if shrink > 1:
        image = image.resize((max(1, round(w / shrink)), max(1, round(h / shrink))), Image.Resampling.LANCZOS)
        units_per_px *= w / image.size[0]
    png = _encode(image)
    if len(png) > MAX_STORED_BYTES:
        png = _encode(image.convert("RGB").quantize(256))  # plans are line drawings: a palette is plenty
    if len(png) > MAX_STORED_BYTES:
        raise PlanError(f"{path}: the plan stays {len(png) / 1024 / 1024:.1f} MB after shrinking; "
                        "export it with fewer colours or less detail")
    m_per_px = cal.m_per_unit * units_per_px
    bg = Background(sha256=hashlib.sha256(png).hexdigest(), width=image.size[0], height=image.size[1],
                    origin=(round(cal.origin[0], 4), round(cal.origin[1], 4)), m_per_px=m_per_px)
    return PreparedPlan(png, bg)


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_overlap(bg: Background, bounds: tuple[float, float, float, float], path: str | Path) -> None:
    """A calibration that puts the plan beside the hall is a mistake worth stopping for."""
    x0, y0, x1, y1 = bg.extent
    hx0, hy0, hx1, hy1 = bounds
    ix, iy = min(x1, hx1) - max(x0, hx0), min(y1, hy1) - max(y0, hy0)
    if ix <= 0 or iy <= 0 or ix * iy < 0.25 * (hx1 - hx0) * (hy1 - hy0):
        raise PlanError(f"{path}: calibrated, the plan covers x {x0:.1f}..{x1:.1f} m, y {y0:.1f}..{y1:.1f} m, "
                        f"which misses most of the hall outline (x {hx0:g}..{hx1:g} m, y {hy0:g}..{hy1:g} m): "
                        "check --calibrate or --scale/--origin")
