"""Codes shown on a phone screen (the confirmation e-mail at a self-service kiosk) read through the kiosk's decoder.

The frames are generated (tests/helpers_scan.phone_frame): glare across the glass, moiré between the
screen's pixels and the camera's, a phone held far away, and a mail app's dark mode that inverts the
code. `./run bench scanner` counts them per decoder; this keeps the easy ones from regressing.
"""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.scanner import decode_frame
from tests.helpers_scan import PHONE_KINDS, phone_frame, sample_codes


@pytest.mark.parametrize("kind", ["small", "dark"])
def test_a_phone_held_far_or_in_dark_mode_reads(kind):
    codes = sample_codes(n_badges=3, seed=3)
    rng = np.random.default_rng(5)
    for code in codes:
        assert code in decode_frame(phone_frame(code, rng, kind))


def test_phone_frames_show_a_lit_screen_with_the_code_where_asked():
    rng = np.random.default_rng(1)
    code = sample_codes(n_badges=1, seed=3)[0]
    frames = {k: phone_frame(code, rng, k) for k in PHONE_KINDS}
    assert all(f.shape == (720, 1280, 3) for f in frames.values())
    centre = frames["dark"][300:420, 560:720]
    assert (centre > 200).mean() > 0.2  # dark mode: light modules on a dark screen
