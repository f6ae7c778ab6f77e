"""QR decoding for camera frames and image files: one pipeline for the camera and `kiosk scan-image`.

zxing-cpp reads most codes in about a millisecond, so it runs first on every frame. What it
misses is handled by cheap, targeted fallbacks rather than by running everything everywhere:

* a low-contrast frame (dim hall, washed-out webcam) is contrast-stretched before zxing sees it;
* when zxing located a QR symbol but could not read it (it reports the failed symbol's position
  with ``return_errors``), the region around it is sharpened, upscaled, flattened against glare
  and handed to pyzbar as a second opinion -- on a crop, so it stays cheap;
* ``thorough=True`` (image files, and the capture worker now and then) also tries the whole
  frame with every preprocessing step and pyzbar, within a time budget.

A frame with no code therefore costs one zxing pass plus a few hundred microseconds.
Text comes back exactly as encoded: byte-mode content that is valid UTF-8 is read as UTF-8,
which undoes the Shift-JIS / Latin-1 guesses both decoders make for codes written without ECI.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

MAX_SIDE = 3840  # larger frames (8K stills) are downscaled: zxing's cost grows with the area
MIN_SIDE = 21  # the smallest QR symbol (version 1) is 21 modules wide
LOW_CONTRAST = 110  # 1st..99th percentile spread below this: stretch before decoding
MIN_SPREAD = 8  # below this the frame is flat (a wall, a lens cap): stretching would only amplify noise
THOROUGH_BUDGET_S = 0.25  # stop trying fallbacks on one frame after this long
RESCUE_BUDGET_S = 0.06

_QR = zxingcpp.BarcodeFormat.QRCode
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))

try:  # pyzbar needs libzbar; without it the kiosk still scans with zxing-cpp alone
    from pyzbar import pyzbar as _zbar
    from pyzbar.pyzbar import ZBarSymbol as _ZBarSymbol
except Exception:  # ImportError, or OSError when the shared library is missing
    _zbar = None
    _ZBarSymbol = None


# ---- input normalisation -------------------------------------------------------------------

def to_gray(frame) -> np.ndarray | None:
    """A contiguous uint8 grayscale view of any plausible image array, or None when there is none."""
    if not isinstance(frame, np.ndarray) or frame.size == 0:
        return None
    img = frame
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (3, 4)):
        return None
    if min(img.shape[:2]) < MIN_SIDE:
        return None
    if img.dtype != np.uint8:
        img = _to_uint8(img)
        if img is None:
            return None
    if img.ndim == 3:
        code = cv2.COLOR_BGR2GRAY if img.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        img = cv2.cvtColor(np.ascontiguousarray(img), code)
    img = np.ascontiguousarray(img)
    longest = max(img.shape[:2])
    if longest > MAX_SIDE:
        f = MAX_SIDE / longest
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return img


def _to_uint8(img: np.ndarray) -> np.ndarray | None:
    if img.dtype == bool:
        return img.astype(np.uint8) * 255
    if not (np.issubdtype(img.dtype, np.integer) or np.issubdtype(img.dtype, np.floating)):
        return None
    work = img.astype(np.float32)
    if not np.isfinite(work).all():
        work = np.nan_to_num(work, nan=0.0, posinf=0.0, neginf=0.0)
    if np.issubdtype(img.dtype, np.floating) and work.max(initial=0) <= 1.0:
        work = work * 255.0  # float images in 0..1, as scikit-image and Qt conversions give
    elif np.issubdtype(img.dtype, np.integer) and img.dtype.itemsize > 1:
        work = work / (np.iinfo(img.dtype).max / 255.0)  # 16-bit camera frames
    return np.clip(work, 0, 255).astype(np.uint8)


def _stretch(gray: np.ndarray, lo: float, hi: float) -> np.ndarray:
    scale = 255.0 / max(hi - lo, 1.0)
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * scale, 0, 255).astype(np.uint8)
    return cv2.LUT(gray, lut)


def _spread(gray: np.ndarray) -> tuple[float, float]:
    sample = gray[:: max(1, gray.shape[0] // 90), :: max(1, gray.shape[1] // 160)]
    lo, hi = np.percentile(sample, (1, 99))
    return float(lo), float(hi)


# ---- the two decoders ----------------------------------------------------------------------

def _zxing_text(result) -> str:
    """zxing's text, except that ECI-less byte content valid as UTF-8 is read as UTF-8."""
    if not result.symbology_identifier.endswith("2"):  # ]Q2 would mean an ECI names the charset
        try:
            raw = bytes(result.bytes)
            if raw:
                return raw.decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            pass
    return result.text


def _zxing(gray: np.ndarray, errors: bool = False, **kw) -> tuple[list[str], list]:
    """(decoded texts, results that are QR symbols zxing found but could not read)."""
    found, failed = [], []
    for r in zxingcpp.read_barcodes(gray, formats=_QR, return_errors=errors, **kw):
        if r.valid:
            found.append(_zxing_text(r))
        else:
            failed.append(r)
    return found, failed


def _unmojibake(text: str) -> str:
    """Undo zbar's charset guess: UTF-8 bytes it read as Shift-JIS or Latin-1."""
    for guess in ("shift_jis", "latin-1"):
        try:
            fixed = text.encode(guess).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text:
            return fixed
    return text


def _pyzbar(gray: np.ndarray) -> list[str]:
    if _zbar is None:
        return []
    out = []
    for sym in _zbar.decode(gray, symbols=[_ZBarSymbol.QRCODE]):
        try:
            text = sym.data.decode("utf-8")
        except UnicodeDecodeError:
            text = sym.data.decode("latin-1")
        out.append(_unmojibake(text))
    return out


# ---- preprocessing for what both decoders miss -----------------------------------------------

def _unsharp(g: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(g, 2.0, cv2.GaussianBlur(g, (0, 0), 2.0), -1.0, 0)


def _upscale(g: np.ndarray) -> np.ndarray:
    return cv2.resize(g, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _flatten(g: np.ndarray) -> np.ndarray:
    """Divide out slow illumination changes: a glare spot or a shadow across the badge."""
    k = max(15, (min(g.shape[:2]) // 12) | 1)
    return cv2.divide(g, cv2.blur(g, (k, k)), scale=160)


def _full_stretch(g: np.ndarray) -> np.ndarray:
    return _stretch(g, *_spread(g))


def _steps(gray: np.ndarray, small: bool) -> list:
    """(name, preprocess, decoder) in the order worth trying; upscaling only pays on small images."""
    steps = [
        ("unsharp", _unsharp, "zxing"),
        ("flatten", _flatten, "zxing"),
        ("gray", None, "pyzbar"),
        ("stretch", _full_stretch, "pyzbar"),
        ("clahe", _CLAHE.apply, "zxing"),
        ("flatten", _flatten, "pyzbar"),
        ("unsharp", _unsharp, "pyzbar"),
        ("histogram", None, "zxing-global"),
        ("inverted", lambda g: 255 - g, "pyzbar"),
    ]
    if small:
        steps[2:2] = [("upscale", _upscale, "zxing"), ("upscale", _upscale, "pyzbar")]
    return steps


def _run_step(gray: np.ndarray, prep, decoder: str) -> list[str]:
    img = gray if prep is None else prep(gray)
    if decoder == "pyzbar":
        return _pyzbar(img)
    if decoder == "zxing-global":
        return _zxing(img, binarizer=zxingcpp.Binarizer.GlobalHistogram)[0]
    return _zxing(img)[0]


def _cascade(gray: np.ndarray, budget_s: float, want_all: bool = False) -> list[str]:
    """Try the preprocessing steps until one decodes (or all did, with want_all), within budget_s."""
    deadline = time.perf_counter() + budget_s
    found: list[str] = []
    small = gray.shape[0] * gray.shape[1] <= 1280 * 720
    for _name, prep, decoder in _steps(gray, small):
        if time.perf_counter() > deadline:
            break
        try:
            _merge(found, _run_step(gray, prep, decoder))
        except Exception:  # one step failing must not cost the codes others found
            log.debug("scanner step %s/%s failed", _name, decoder, exc_info=True)
        if found and not want_all:
            break
    return found


def _crop_around(gray: np.ndarray, result, margin: float = 0.35) -> np.ndarray | None:
    p = result.position
    pts = np.array([[q.x, q.y] for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)], np.float32)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    pad = max(x1 - x0, y1 - y0) * margin + 8
    h, w = gray.shape[:2]
    x0, y0 = int(max(0, x0 - pad)), int(max(0, y0 - pad))
    x1, y1 = int(min(w, x1 + pad)), int(min(h, y1 + pad))
    if x1 - x0 < MIN_SIDE or y1 - y0 < MIN_SIDE:
        return None
    return np.ascontiguousarray(gray[y0:y1, x0:x1])


def _merge(into: list[str], more: list[str]) -> list[str]:
    for text in more:
        if text not in into:
            into.append(text)
    return into


# ---- public API ---------------------------------------------------------------------------

def decode_frame(frame: np.ndarray, thorough: bool = False) -> list[str]:
    """Every QR code in one BGR or grayscale frame, as encoded; [] for a frame with none or bad input.

    `thorough` spends up to a quarter of a second on a frame where the cheap path found nothing:
    right for a still image, too slow for every camera frame.
    """
    try:
        gray = to_gray(frame)
        if gray is None:
            return []
        lo, hi = _spread(gray)
        if MIN_SPREAD <= hi - lo < LOW_CONTRAST:
            gray = _stretch(gray, lo, hi)
        found, failed = _zxing(gray, errors=True)
        deadline = time.perf_counter() + RESCUE_BUDGET_S
        for bad in failed[:4]:  # zxing saw a symbol it could not read: work on that region only
            left = deadline - time.perf_counter()
            crop = _crop_around(gray, bad) if left > 0 else None
            if crop is not None:
                _merge(found, _cascade(crop, left))
        if thorough and not found:
            _merge(found, _cascade(gray, THOROUGH_BUDGET_S, want_all=False))
        return found
    except Exception:  # a kiosk keeps scanning whatever one frame did to a decoder
        log.debug("decode_frame failed on one frame", exc_info=True)
        return []


def read_image(path: str | Path) -> np.ndarray | None:
    """An image file as a BGR array (EXIF orientation applied), or None when it cannot be read."""
    try:
        data = np.fromfile(str(path), dtype=np.uint8)  # also works for non-ASCII paths on Windows
    except OSError:
        return None
    if data.size == 0:
        return None
    img = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return img


def scan_files(paths: list[str]) -> list[dict]:
    """One result per path: {"file", "codes"}, plus "error" when the file is missing or not an image."""
    out = []
    for path in paths:
        entry: dict = {"file": str(path), "codes": []}
        p = Path(path)
        if not p.exists():
            entry["error"] = "file not found"
        elif p.is_dir():
            entry["error"] = "is a directory"
        else:
            img = read_image(p)
            if img is None:
                entry["error"] = "not a readable image"
            else:
                entry["codes"] = decode_frame(img, thorough=True)
        out.append(entry)
    return out
