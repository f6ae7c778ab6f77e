"""decode_frame and scan_files on realistic synthetic badges, and on bad input."""
from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from kiosk import scanner
from kiosk.badges import MAX_CODE_CHARS
from kiosk.scanner import decode_frame, scan_files
from tests.helpers_scan import background, badge_card, empty_frame, place, qr_frame, qr_image, sample_codes

CODES = sample_codes(n_badges=2, seed=5)
BADGE, BADGE2, PLAIN, CHINESE = CODES[0], CODES[1], CODES[2], CODES[3]


def test_sample_badges_are_realistic():
    assert BADGE.startswith("FK1:") and 150 <= len(BADGE) <= MAX_CODE_CHARS
    assert PLAIN.startswith("REG-")
    assert any(ord(c) > 0x4E00 for c in CHINESE)


@pytest.mark.parametrize("code", CODES)
def test_reads_each_kind_of_code_exactly(code):
    assert decode_frame(qr_frame(code)) == [code]


def test_chinese_text_comes_back_without_mojibake_where_pyzbar_guesses_shift_jis():
    text = "展商名录：生物医药"  # UTF-8 bytes zbar reads as Shift-JIS
    img = qr_image(text)
    raw = [s.data.decode("utf-8") for s in pyzbar.decode(img, symbols=[ZBarSymbol.QRCODE])]
    fixed = scanner._pyzbar(img)
    assert fixed == [text]
    assert raw != [text]  # zbar's own guess: Shift-JIS mojibake, the reason for the fix
    assert decode_frame(img) == [text]


def test_grayscale_bgra_and_single_channel_frames():
    frame = qr_frame(PLAIN, size=(640, 480), module_px=5)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    assert decode_frame(gray) == [PLAIN]
    assert decode_frame(gray[:, :, None]) == [PLAIN]
    assert decode_frame(cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)) == [PLAIN]
    assert decode_frame(gray.astype(np.float32) / 255.0) == [PLAIN]
    assert decode_frame(gray.astype(np.uint16) * 257) == [PLAIN]


def test_two_badges_in_one_frame():
    scene = background((1280, 720), seed=3)
    scene = place(scene, badge_card(BADGE, 4), (330, 360), 300, angle_deg=-8)
    scene = place(scene, badge_card(PLAIN, 5), (950, 360), 300, angle_deg=10)
    assert sorted(decode_frame(scene)) == sorted([BADGE, PLAIN])


def test_inverted_and_low_contrast_badges():
    scene = place(background((1280, 720), seed=4), badge_card(BADGE, 5, inverted=True), (640, 360), 330)
    assert decode_frame(scene) == [BADGE]
    faint = place(background((1280, 720), seed=5), badge_card(BADGE2, 5), (600, 380), 330, angle_deg=15)
    faint = (105 + faint.astype(np.float32) * 0.11).astype(np.uint8)  # ~28 grey levels of contrast
    assert decode_frame(faint) == [BADGE2]


def test_frames_without_a_code_give_nothing():
    assert decode_frame(empty_frame((1280, 720))) == []
    assert decode_frame(np.zeros((720, 1280, 3), np.uint8)) == []
    assert decode_frame(np.full((720, 1280), 255, np.uint8)) == []


@pytest.mark.parametrize("bad", [
    None, "frame", 42, np.array([]), np.zeros((0, 0, 3), np.uint8), np.zeros((1, 1, 3), np.uint8),
    np.zeros((10, 10), np.uint8), np.zeros((720, 1280, 2), np.uint8), np.zeros((4, 5, 6, 3), np.uint8),
    np.zeros((720, 1280, 3), np.complex64), np.full((100, 100), np.nan, np.float32),
    np.array([["a", "b"]], dtype=object),
])
def test_bad_input_returns_empty_list(bad):
    assert decode_frame(bad) == []


def test_8k_frame_is_downscaled_and_still_read():
    frame = np.full((4320, 7680, 3), 235, np.uint8)
    card = badge_card(PLAIN, module_px=24)
    y, x = 1500, 3000
    frame[y:y + card.shape[0], x:x + card.shape[1]] = card
    assert scanner.to_gray(frame).shape[1] <= scanner.MAX_SIDE
    assert decode_frame(frame) == [PLAIN]


def test_scan_files_reports_codes_and_errors(tmp_path):
    good = tmp_path / "badge.png"
    cv2.imwrite(str(good), qr_frame(BADGE))
    jpg = tmp_path / "中文.jpg"  # non-ASCII file names happen on staff laptops
    ok, buf = cv2.imencode(".jpg", qr_frame(CHINESE), [cv2.IMWRITE_JPEG_QUALITY, 60])
    jpg.write_bytes(buf.tobytes())
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), empty_frame((640, 480)))
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    missing = tmp_path / "missing.png"
    results = scan_files([str(good), str(jpg), str(blank), str(corrupt), str(missing), str(tmp_path)])
    assert [r["file"] for r in results] == [str(good), str(jpg), str(blank), str(corrupt), str(missing),
                                           str(tmp_path)]
    assert results[0]["codes"] == [BADGE] and "error" not in results[0]
    assert results[1]["codes"] == [CHINESE]
    assert results[2] == {"file": str(blank), "codes": []}
    for r in results[3:]:
        assert r["codes"] == [] and r["error"]
    json.dumps(results, ensure_ascii=False)  # the CLI prints each as one JSON line
