"""Render assets/selftest/badge.png, the badge the packaged app decodes in its self-test.

A throwaway key signs it; only the public half is kept (assets/selftest/expected.json), so
the self-test can check the whole path: image -> decoder -> signature -> check-in verdict.
The code itself goes to assets/selftest/expected.txt.

    python .ci/make_selftest_badge.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.badgeprint import render_badge  # noqa: E402
from kiosk.badges import SigningKey, encode  # noqa: E402
from kiosk.models import Attendee, BadgeClaims  # noqa: E402

EVENT_ID = "LSF2023"  # the demo event (assets/demo/event.json)
PERSON = Attendee("SELFTEST-1", "Self Test", "自检", "Forum Kiosk 论坛签到", badge_type="attendee")


def main() -> int:
    out = ROOT / "assets" / "selftest"
    out.mkdir(parents=True, exist_ok=True)
    key = SigningKey.generate(91)
    claims = BadgeClaims(EVENT_ID, PERSON.id, PERSON.badge_type, key.key_id, PERSON.name, PERSON.name_zh,
                         PERSON.organisation, PERSON.badge_issue)
    code = encode(claims, key)
    render_badge(PERSON, code, out / "badge.png", "2023 International Forum on Life Science", "2023国际生命科学论坛")
    (out / "expected.txt").write_text(code + "\n", encoding="utf-8")
    public = key.public()
    (out / "expected.json").write_text(json.dumps({
        "event_id": EVENT_ID, "attendee": {"id": PERSON.id, "name": PERSON.name, "name_zh": PERSON.name_zh,
                                           "organisation": PERSON.organisation, "badge_type": PERSON.badge_type},
        "public_key": {"key_id": public.key_id, "public_key": public.public_key}}, ensure_ascii=False, indent=1)
        + "\n", encoding="utf-8")
    print(f"{out / 'badge.png'}: {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
