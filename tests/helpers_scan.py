"""Synthetic camera material for scanner tests and benchmarks: QR frames, badge scenes, videos.

Everything is deterministic (seeded) so a failing test or a benchmark figure can be reproduced.
Other helpers' UI tests reuse `qr_frame` and `write_badge_video` to feed the real capture path.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import segno


def qr_modules(code: str, border: int = 4) -> np.ndarray:
    """The QR symbol as a 0/1 array (1 = dark module), with a quiet zone of `border` modules.

    Text outside Latin-1 is written as UTF-8 bytes (byte mode, no ECI), as badge printers do;
    ASCII badge codes use whatever mode segno picks (alphanumeric for ``FK1:`` + Base45).
    """
    qr = segno.make_qr(code, error="m", encoding="utf-8")
    return np.array(list(qr.matrix_iter(scale=1, border=border)), dtype=np.uint8)


def qr_image(code: str, module_px: int = 6, border: int = 4) -> np.ndarray:
    """A clean grayscale QR image, black on white, `module_px` pixels per module."""
    mods = qr_modules(code, border)
    img = np.where(mods == 1, 0, 255).astype(np.uint8)
    return cv2.resize(img, None, fx=module_px, fy=module_px, interpolation=cv2.INTER_NEAREST)


def background(size: tuple[int, int] = (1280, 720), seed: int = 0) -> np.ndarray:
    """A busy BGR 'hall' scene: smooth gradients, boxes, lines and text, so decoders do real work."""
    w, h = size
    rng = np.random.default_rng(seed)
    small = rng.integers(40, 200, (max(2, h // 80), max(2, w // 80), 3), dtype=np.uint8)
    img = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(14):
        x0, y0 = int(rng.integers(0, w)), int(rng.integers(0, h))
        x1, y1 = x0 + int(rng.integers(20, w // 3)), y0 + int(rng.integers(20, h // 3))
        color = tuple(int(c) for c in rng.integers(0, 255, 3))
        cv2.rectangle(img, (x0, y0), (x1, y1), color, -1 if rng.random() < 0.6 else 3)
    for _ in range(10):
        p0 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.line(img, p0, p1, tuple(int(c) for c in rng.integers(0, 255, 3)), int(rng.integers(1, 6)))
    for i in range(6):
        org = (int(rng.integers(0, w - 200)), int(rng.integers(30, h)))
        cv2.putText(img, f"Booth B{i}{seed % 10} Life Science", org, cv2.FONT_HERSHEY_SIMPLEX,
                    float(rng.uniform(0.6, 1.6)), tuple(int(c) for c in rng.integers(0, 255, 3)), 2)
    return img


def badge_card(code: str, module_px: int = 6, inverted: bool = False) -> np.ndarray:
    """A white badge card (BGR) with a name band and the QR code, like a printed lanyard badge."""
    qr = qr_image(code, module_px)
    if inverted:
        qr = 255 - qr
    q = qr.shape[0]
    card_w = int(q * 1.25)
    card_h = int(q * 1.7)
    card = np.full((card_h, card_w, 3), 250, np.uint8)
    cv2.rectangle(card, (0, 0), (card_w, int(q * 0.22)), (150, 90, 20), -1)
    cv2.putText(card, "FORUM 2026", (int(q * 0.06), int(q * 0.15)), cv2.FONT_HERSHEY_SIMPLEX,
                q / 300, (255, 255, 255), max(1, q // 150))
    cv2.putText(card, "Dr. Mei Chen", (int(q * 0.06), int(q * 0.38)), cv2.FONT_HERSHEY_SIMPLEX,
                q / 350, (30, 30, 30), max(1, q // 150))
    x0 = (card_w - q) // 2
    y0 = card_h - q - int(q * 0.1)
    card[y0:y0 + q, x0:x0 + q] = qr[:, :, None]
    return card


def place(scene: np.ndarray, card: np.ndarray, center: tuple[float, float], width: float,
          angle_deg: float = 0.0, tilt: float = 0.0) -> np.ndarray:
    """Warp `card` onto `scene` at `center`, `width` px wide, rotated and with a perspective tilt (0..0.5)."""
    h, w = card.shape[:2]
    scale = width / w
    cx, cy = center
    hw, hh = w * scale / 2, h * scale / 2
    # A perspective tilt shortens one vertical edge, as a badge held at an angle does.
    corners = np.array([[-hw * (1 - tilt), -hh], [hw * (1 + tilt * 0.3), -hh * (1 - tilt)],
                        [hw * (1 + tilt * 0.3), hh * (1 - tilt)], [-hw * (1 - tilt), hh]], np.float32)
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    dst = corners @ rot.T + np.array([cx, cy], np.float32)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    sh, sw = scene.shape[:2]
    warped = cv2.warpPerspective(card, m, (sw, sh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (sw, sh), flags=cv2.INTER_LINEAR)
    out = scene.copy()
    sel = mask > 127
    out[sel] = warped[sel]
    return out


def qr_frame(code: str, size: tuple[int, int] = (1280, 720), module_px: int = 6) -> np.ndarray:
    """A BGR camera-sized frame with one upright badge carrying `code`, centred on a busy scene."""
    scene = background(size, seed=len(code))
    card = badge_card(code, module_px)
    width = min(card.shape[1], int(size[0] * 0.9), int(size[1] * 0.9 * card.shape[1] / card.shape[0]))
    return place(scene, card, (size[0] / 2, size[1] / 2), width)


def empty_frame(size: tuple[int, int] = (1280, 720), seed: int = 1) -> np.ndarray:
    """A BGR frame of the scene with no code in it."""
    return background(size, seed=seed)


def write_badge_video(path, codes: list[str], seconds_per_code: float = 1.0, fps: int = 15,
                      size: tuple[int, int] = (1280, 720), gap_seconds: float = 0.0) -> Path:
    """Write an MJPG .avi where each code is held in view for `seconds_per_code`.

    `gap_seconds` of empty scene follow each code, so a test can show one badge twice.
    MJPG in AVI is what the opencv-python-headless wheel writes and reads everywhere.
    """
    path = Path(path)
    if path.suffix.lower() != ".avi":
        path = path.with_suffix(".avi")
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), float(fps), size)
    if not writer.isOpened():
        raise RuntimeError(f"cannot write video {path}")
    try:
        empty = empty_frame(size)
        for code in codes:
            frame = qr_frame(code, size)
            for _ in range(max(1, round(seconds_per_code * fps))):
                writer.write(frame)
            for _ in range(round(gap_seconds * fps)):
                writer.write(empty)
        if not codes:
            for _ in range(max(1, round(seconds_per_code * fps))):
                writer.write(empty)
    finally:
        writer.release()
    return path


def sample_codes(n_badges: int = 3, seed: int = 7) -> list[str]:
    """Realistic codes: signed badges (``FK1:`` + Base45, QR version <= 7), plain codes, a Chinese text."""
    from kiosk.badges import SigningKey, encode
    from kiosk.models import BadgeClaims

    key = SigningKey.generate(1)
    names = [("Dr. Mei Chen", "陈梅", "Shanghai Institute of Biochemistry"),
             ("Jonathan Alexander Whitfield", "", "Karolinska Institutet Department of Oncology"),
             ("Li Wei", "李伟", "BeiGene Clinical Research Centre"),
             ("Ana Sofia Pereira", "", "EMBL Heidelberg"),
             ("Zhang Xiaoming", "张晓明", "Fudan University Zhongshan Hospital")]
    types = ["attendee", "vip", "speaker", "press", "exhibitor", "staff"]
    codes = []
    for i in range(n_badges):
        name, zh, org = names[(i + seed) % len(names)]
        claims = BadgeClaims(event_id="forum-2026", attendee_id=f"A{seed:02d}{i:05d}",
                             badge_type=types[i % len(types)], key_id=1, name=name, name_zh=zh,
                             organisation=org)
        codes.append(encode(claims, key))
    codes += [f"REG-{seed * 1000 + 123:06d}", "欢迎参加生命科学论坛 REG-中文-0042"]
    return codes


# ---- a QR shown on a phone screen (the confirmation e-mail held up to the kiosk) ---------------

PHONE_KINDS = ("glare", "moire", "small", "dark")


def phone_card(code: str, module_px: int = 6, dark: bool = False) -> np.ndarray:
    """A phone (BGR) showing the e-mail's QR: a black body and bezel, a lit screen with a few text
    lines above and below the code. `dark`: the mail app's dark mode, which inverts the code."""
    qr = qr_image(code, module_px, border=2)  # mail apps crop the quiet zone close
    q = qr.shape[0]
    screen_w, screen_h = int(q * 1.3), int(q * 2.2)
    paper, ink = (30, 30, 30) if dark else (250, 250, 250), (215, 215, 215) if dark else (60, 60, 60)
    screen = np.full((screen_h, screen_w, 3), paper, np.uint8)
    for i, words in enumerate(("Your registration", "Forum 2026 · 18 Nov", "Show this code at the kiosk")):
        cv2.putText(screen, words, (int(q * 0.08), int(q * (0.18 + 0.14 * i))), cv2.FONT_HERSHEY_SIMPLEX,
                    q / 520, ink, max(1, q // 260))
    y0, x0 = int(q * 0.62), (screen_w - q) // 2
    screen[y0:y0 + q, x0:x0 + q] = (255 - qr if dark else qr)[:, :, None]
    bezel = max(6, q // 18)
    body = np.full((screen_h + 4 * bezel, screen_w + 2 * bezel, 3), 12, np.uint8)
    body[2 * bezel:2 * bezel + screen_h, bezel:bezel + screen_w] = screen
    return body


def moire(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The beat between the screen's pixel grid and the camera's: slanted bands of brightness and
    a fine grid, then the camera's softness."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = float(rng.uniform(0.2, 1.2))
    period = float(rng.uniform(9, 16))
    bands = 0.5 + 0.5 * np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
    grid = 0.5 + 0.5 * np.sin(xx * 2 * np.pi / 2.6) * np.sin(yy * 2 * np.pi / 2.6)
    gain = 0.55 + 0.35 * bands + 0.10 * grid
    out = img.astype(np.float32) * gain[:, :, None]
    return cv2.GaussianBlur(np.clip(out, 0, 255).astype(np.uint8), (0, 0), 0.8)


def screen_glare(img: np.ndarray, rng: np.random.Generator, center: tuple[float, float], width: float) -> np.ndarray:
    """A ceiling light reflected in the glass: a bright slanted band across the phone, washing out
    part of the code (the glass reflects much more than a matt badge does)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = center
    slope = float(rng.uniform(-0.8, 0.8))
    offset = float(rng.uniform(-0.15, 0.15)) * width
    dist = np.abs((yy - cy) - slope * (xx - cx) - offset) / np.sqrt(1 + slope * slope)
    band = np.exp(-(dist ** 2) / (2 * (width * float(rng.uniform(0.07, 0.13))) ** 2))
    out = img.astype(np.float32) + (band * float(rng.uniform(190, 250)))[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8)


def phone_frame(code: str, rng: np.random.Generator, kind: str, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    """A camera frame (BGR) of a phone held up showing `code`: kind is one of PHONE_KINDS."""
    scene = background(size, seed=int(rng.integers(0, 10_000)))
    card = phone_card(code, dark=kind == "dark")
    qr_share = 1 / 1.3 - 0.06  # the code's share of the phone's width (bezel included)
    qr_px = float(rng.uniform(80, 105)) if kind == "small" else float(rng.uniform(190, 300))
    width = qr_px / qr_share
    w, h = size
    # the code sits near the phone's middle, so a phone held close may overflow the frame and the code stays in view
    center = (float(rng.uniform(w * 0.4, w * 0.6)), float(rng.uniform(h * 0.45, h * 0.55)))
    frame = place(scene, card, center, width, float(rng.uniform(-10, 10)), float(rng.uniform(0.0, 0.12)))
    if kind == "glare":  # the light's reflection crosses the code
        frame = screen_glare(frame, rng, (center[0], center[1] + width * 0.08), width)
    elif kind == "moire":
        frame = moire(frame, rng)
    return frame
