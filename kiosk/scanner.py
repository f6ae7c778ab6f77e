"""QR decoding for camera frames and image files: one pipeline for the camera and `kiosk scan-image`.

zxing-cpp reads most codes in about a millisecond, so it runs first on every frame. What it
misses is handled by cheap, targeted fallbacks rather than by running everything everywhere:

* a low-contrast frame (dim hall, washed-out webcam) is contrast-stretched before zxing sees it;
* when zxing located a QR symbol but could not read it (it reports the failed symbol's position
  with ``return_errors``), the region around it is sharpened, upscaled, flattened against glare
  and handed to pyzbar as a second opinion -- on a crop, so it stays cheap;
* on a camera stream (`FrameDecoder`) each frame zxing missed gets one step of a rescue rotation
  (pyzbar over the frame in bounded windows, other binarizers), so the expensive fallback is spread
  over consecutive frames at a fixed amount of work per frame, never starving the camera;
* a still image (`decode_still`, `kiosk scan-image`) gets zxing-cpp and pyzbar on the whole image,
  then every preprocessing step when neither read it: at least what either reads alone.

No result depends on the clock: a loaded machine reads exactly what an idle one reads.
Text comes back exactly as encoded: byte-mode content that is valid UTF-8 is read as UTF-8,
which undoes the Shift-JIS / Latin-1 guesses both decoders make for codes written without ECI.
"""
from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

log = logging.getLogger(__name__)

MAX_SIDE = 3840  # larger frames (8K stills) are downscaled: zxing's cost grows with the area
MIN_SIDE = 21  # the smallest QR symbol (version 1) is 21 modules wide
LOW_CONTRAST = 110  # 1st..99th percentile spread below this: stretch before decoding
MIN_SPREAD = 8  # below this the frame is flat (a wall, a lens cap): stretching would only amplify noise
MAX_FAILED_REGIONS = 4  # regions where zxing saw an unreadable symbol that get the cascade, per frame
CROP_STEPS = 4  # cascade steps per such region on a camera frame (a still image gets them all)
CROP_MAX_PX = 160_000  # such a region is downscaled to this before the cascade on a camera frame
RESCUE_WORK_PX = 100_000  # pixels one camera frame's rescue step may hand to pyzbar (~2-5 ms)
SETTLED_CHANGE = 6.0  # mean grey-level change of a 64x36 thumbnail below which the scene is "the same"

_QR = zxingcpp.BarcodeFormat.QRCode
_PLAIN = zxingcpp.TextMode.Plain  # control characters as they are, not as "<SOH>" (zxing's HRI default)
_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))

try:  # pyzbar needs libzbar; without it the kiosk still scans with zxing-cpp alone
    from pyzbar import pyzbar as _zbar
    from pyzbar.pyzbar import ZBarSymbol as _ZBarSymbol
except Exception:  # ImportError, or OSError when the shared library is missing
    _zbar = None
    _ZBarSymbol = None


# ---- input normalisation -------------------------------------------------------------------

def to_gray(frame, max_side: int | None = MAX_SIDE) -> np.ndarray | None:
    """A contiguous uint8 grayscale view of any plausible image array, or None when there is none.

    Frames longer than `max_side` are downscaled (None keeps a still image's full resolution).
    """
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
    if max_side and longest > max_side:
        f = max_side / longest
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
    for r in zxingcpp.read_barcodes(gray, formats=_QR, return_errors=errors, text_mode=_PLAIN, **kw):
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
    if decoder == "zxing-fixed":
        return _zxing(img, binarizer=zxingcpp.Binarizer.FixedThreshold)[0]
    return _zxing(img)[0]


def _cascade(gray: np.ndarray, max_steps: int | None = None, want_all: bool = False) -> list[str]:
    """Try the preprocessing steps in order until one decodes (or all ran, with want_all).

    `max_steps` bounds the work by a count of steps, never by the clock, so a loaded machine
    reads exactly what an idle one reads.
    """
    found: list[str] = []
    small = gray.shape[0] * gray.shape[1] <= 1280 * 720
    for name, prep, decoder in _steps(gray, small)[:max_steps]:
        try:
            _merge(found, _run_step(gray, prep, decoder))
        except Exception:  # one step failing must not cost the codes others found
            log.debug("scanner step %s/%s failed", name, decoder, exc_info=True)
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


def _corners(results: list) -> np.ndarray:
    return np.array([[q.x, q.y] for r in results for q in (r.position.top_left, r.position.top_right,
                                                        r.position.bottom_right, r.position.bottom_left)],
                    np.float32)


def _window(gray: np.ndarray, results: list, max_px: int, shrink: float = 1.0) -> np.ndarray:
    """A window of at most `max_px` pixels centred on what zxing saw of one symbol (often only its
    finder patterns), scaled down just enough to hold that whole area with a margin, times `shrink`."""
    pts = _corners(results)
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    side = int(max_px ** 0.5)
    scale = min(1.0, side / (max(x1 - x0, y1 - y0) * 1.4 + 16)) * shrink
    img = gray if scale >= 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    scale = min(scale, 1.0)
    h, w = img.shape[:2]
    tw, th = min(w, side), min(h, side)
    cx, cy = (x0 + x1) / 2 * scale, (y0 + y1) / 2 * scale
    left = int(min(max(0, cx - tw / 2), w - tw))
    top = int(min(max(0, cy - th / 2), h - th))
    return np.ascontiguousarray(img[top:top + th, left:left + tw])


def _fit(gray: np.ndarray, max_px: int) -> np.ndarray:
    """`gray` scaled down (never up) to at most `max_px` pixels."""
    area = gray.shape[0] * gray.shape[1]
    if area <= max_px:
        return gray
    f = (max_px / area) ** 0.5
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def _merge(into: list[str], more: list[str]) -> list[str]:
    for text in more:
        if text not in into:
            into.append(text)
    return into


def _prepared(gray: np.ndarray | None) -> np.ndarray | None:
    """The frame contrast-stretched when it is washed out: what the zxing pass sees."""
    if gray is None:
        return None
    lo, hi = _spread(gray)
    if MIN_SPREAD <= hi - lo < LOW_CONTRAST:
        gray = _stretch(gray, lo, hi)
    return gray


def _fast(gray: np.ndarray, crop_steps: int | None) -> list[str]:
    """zxing-cpp on the frame, then the cascade on the regions where it saw a symbol it could not read."""
    found, failed = _zxing(gray, errors=True)
    for bad in failed[:MAX_FAILED_REGIONS]:
        crop = _crop_around(gray, bad)
        if crop is not None:
            _merge(found, _cascade(_fit(crop, CROP_MAX_PX) if crop_steps else crop, crop_steps))
    return found


# ---- the rescue rotation for camera streams --------------------------------------------------

def _tiles(shape: tuple[int, int], max_px: int, step: float) -> list[tuple[int, int, int, int]]:
    """Overlapping windows of at most `max_px` pixels covering the frame, `step` of a window apart.

    Any code up to (1 - step) of a window wide lies whole inside one of them.
    """
    h, w = shape
    side = int(max_px ** 0.5)
    tw, th = min(w, side), min(h, side)

    def starts(total: int, size: int) -> list[int]:
        if size >= total:
            return [0]
        out = list(range(0, total - size, max(1, int(size * step))))
        return out + [total - size]
    return [(x, y, tw, th) for y in starts(h, th) for x in starts(w, tw)]


def _rescue_steps(shape: tuple[int, int], work_px: int) -> list:
    """The camera's rescue rotation for frames of `shape`: each step hands at most about `work_px`
    pixels to pyzbar, or runs one zxing-cpp pass with the global binarizer.

    This is pyzbar over the whole frame, cut into pieces: the whole frame scaled down (big codes),
    then windows at half and at full resolution (small codes), with the whole-frame steps
    recurring between the windows so a code they read is read within a few frames. Filters
    (sharpening, flattening glare) are for regions where zxing saw a symbol: `FrameDecoder`.
    """
    def pyzbar_whole(g):
        return _pyzbar(_fit(g, work_px))

    def zxing_global(g):
        return _zxing(g, binarizer=zxingcpp.Binarizer.GlobalHistogram)[0]

    def pyzbar_tile(x, y, tw, th):
        return lambda g: _pyzbar(np.ascontiguousarray(g[y:y + th, x:x + tw]))

    def pyzbar_half_tile(x, y, tw, th):  # half resolution: codes too big for a full-resolution tile
        return lambda g: _pyzbar(np.ascontiguousarray(_fit(g, shape[0] * shape[1] // 4)[y:y + th, x:x + tw]))

    cheap = [pyzbar_whole, zxing_global]
    half = (shape[0] // 2, shape[1] // 2)
    # Badge-sized codes (4-6 px modules at 720p) are half a window or less at half resolution;
    # the full-resolution windows are for small codes, a third of a window or less.
    tiles = [pyzbar_half_tile(*t) for t in _tiles(half, work_px, 1 / 2)] if half[0] * half[1] > work_px else []
    tiles += [pyzbar_tile(*t) for t in _tiles(shape, work_px, 2 / 3)]
    steps = list(cheap)
    for i, tile in enumerate(tiles):
        steps.append(tile)
        if i % 4 == 3:
            steps.append(cheap[(i // 4) % len(cheap)])
    return steps


class FrameDecoder:
    """Decodes a camera stream: zxing-cpp on every frame, and one rescue step per frame in rotation.

    A badge the cheap path cannot read is normally held in view for a while, so the expensive
    fallbacks (the cascade on a region where zxing saw a symbol it could not read, pyzbar over
    the whole frame in bounded windows, other binarizers) are spread over consecutive frames
    instead of being run on each: every frame costs one zxing pass plus one step handling at most
    about `work_px` pixels, whatever the machine's load, and results never depend on timing.
    Once a whole rotation has run over a scene that did not change, the rescue rests until the
    scene changes: an empty hall then costs what zxing-cpp alone costs.
    """

    def __init__(self, work_px: int = RESCUE_WORK_PX):
        self.work_px = work_px
        self._turn = 0  # position in the whole-frame rotation
        self._crop_turn = 0  # position in the cascade on regions zxing could not read
        self._quiet = 0  # rescue steps run since the scene last changed
        self._thumb: np.ndarray | None = None
        self._plans: dict[tuple[int, int], list] = {}
        self.rescues = 0  # rescue steps run: tests and the benchmark read it

    def __call__(self, frame, thorough: bool = False) -> list[str]:
        if thorough:
            return decode_still(frame)
        try:
            gray = _prepared(to_gray(frame))
            if gray is None:
                return []
            found, failed = _zxing(gray, errors=True)
            if found:
                return found
            plan = self._plans.get(gray.shape)
            if plan is None:
                plan = self._plans.setdefault(gray.shape, _rescue_steps(gray.shape, self.work_px))
            if self._settled(gray, len(plan)):
                return []
            self._quiet += 1
            self.rescues += 1
            if failed and self._quiet % 2:  # a symbol zxing saw: every other frame works on it
                return self._crop_step(gray, failed[:MAX_FAILED_REGIONS])
            step = plan[self._turn % len(plan)]
            self._turn += 1
            return step(gray)
        except Exception:  # a kiosk keeps scanning whatever one frame did to a decoder
            log.debug("FrameDecoder failed on one frame", exc_info=True)
            return []

    def _crop_step(self, gray: np.ndarray, failed: list) -> list[str]:
        """One step on what zxing saw but could not read, at most the work cap: pyzbar on a window
        around everything it saw (often the finder patterns of one code), then around each part,
        then the preprocessing cascade on each part."""
        turn = self._crop_turn
        self._crop_turn += 1
        whole = [("window", failed, 1.0), ("window", failed, 0.6)]
        parts = [("window", [r], 1.0) for r in failed] + [(k, r, 0) for k in range(len(_steps(gray, True)))
                                                           for r in failed]
        kind, region, shrink = (whole + parts)[turn % (len(whole) + len(parts))]
        if kind == "window":
            return _pyzbar(_window(gray, region, self.work_px, shrink))
        crop = _crop_around(gray, region)
        if crop is None:
            return []
        name, prep, decoder = _steps(crop, small=True)[kind]
        cap = self.work_px // 4 if prep is _upscale else self.work_px
        return _run_step(_fit(crop, cap), prep, decoder)

    def _settled(self, gray: np.ndarray, rotation: int) -> bool:
        """True when a whole rotation already ran over this same scene."""
        thumb = cv2.resize(gray, (64, 36), interpolation=cv2.INTER_AREA).astype(np.int16)
        last = self._thumb
        if last is None or last.shape != thumb.shape or float(np.mean(np.abs(thumb - last))) >= SETTLED_CHANGE:
            self._thumb = thumb
            self._quiet = 0
        return self._quiet >= 2 * rotation

    def rotation_length(self, shape: tuple[int, int]) -> int:
        """Frames one full whole-frame rescue rotation takes for frames of (height, width)."""
        return len(_rescue_steps(shape, self.work_px))


# ---- public API ---------------------------------------------------------------------------

def decode_frame(frame: np.ndarray, thorough: bool = False) -> list[str]:
    """Every QR code in one BGR or grayscale frame, as encoded; [] for a frame with none or bad input.

    The default is one camera frame's worth of work: zxing-cpp, plus a bounded cascade on regions
    where it saw a symbol it could not read. `thorough` is `decode_still`.
    """
    if thorough:
        return decode_still(frame)
    try:
        gray = _prepared(to_gray(frame))
        return [] if gray is None else _fast(gray, CROP_STEPS)
    except Exception:  # a kiosk keeps scanning whatever one frame did to a decoder
        log.debug("decode_frame failed on one frame", exc_info=True)
        return []


def _thorough_steps(gray: np.ndarray) -> list:
    """What a still image gets when neither decoder read it as it is: every filter, both decoders."""
    big = gray.shape[0] * gray.shape[1] > 1280 * 720
    steps = _steps(gray, small=not big)
    steps += [
        ("otsu", lambda g: cv2.threshold(g, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1], "pyzbar"),
        ("adaptive", lambda g: cv2.adaptiveThreshold(g, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                                     max(15, (min(g.shape) // 20) | 1), 5), "pyzbar"),
        ("half", lambda g: cv2.resize(g, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), "pyzbar"),
        ("half", lambda g: cv2.resize(g, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), "zxing"),
        ("fixed", None, "zxing-fixed"),
        ("mirrored", lambda g: cv2.flip(g, 1), "zxing"),
        ("mirrored", lambda g: cv2.flip(g, 1), "pyzbar"),
        ("blur", lambda g: cv2.GaussianBlur(g, (0, 0), 1.2), "zxing"),
        ("blur", lambda g: cv2.GaussianBlur(g, (0, 0), 1.2), "pyzbar"),
    ]
    if not big:
        steps.append(("upscale", _upscale, "zxing-global"))
    return steps


def decode_still(frame) -> list[str]:
    """Every code in a still image, trying everything both decoders can do, with no time budget.

    zxing-cpp and pyzbar both read the image as it is (so the result is at least what either
    reads alone), and only when neither found anything does every preprocessing step run.
    The same image gives the same answer on an idle and on a loaded machine.
    """
    try:
        full = to_gray(frame, max_side=None)
        if full is None:
            return []
        gray = _prepared(full)
        found = _fast(gray, None)
        if gray is not full:  # the stretched frame helps a washed-out photo; the plain one is what zxing alone sees
            _merge(found, _zxing(full)[0])
        _merge(found, _pyzbar(full))
        if found:
            return found
        for name, prep, decoder in _thorough_steps(gray):
            try:
                _merge(found, _run_step(gray, prep, decoder))
            except Exception:  # one step failing must not cost the codes others found
                log.debug("scanner step %s/%s failed", name, decoder, exc_info=True)
            if found:
                break
        return found
    except Exception:  # a bad file must not take `scan-image` down with it
        log.debug("decode_still failed", exc_info=True)
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
                entry["codes"] = decode_still(img)
        out.append(entry)
    return out
