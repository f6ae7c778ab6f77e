"""Files holding personal data or valid badge codes are readable by their owner only (issue 14)."""
from __future__ import annotations

import os
import stat

import pytest

from kiosk.badgeprint import render_badge
from kiosk.leadfile import export_leads
from kiosk.models import Attendee
from kiosk.store import Store
from sync import devices


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def _open_umask():
    """A machine whose default makes files world-readable (0644), as most do."""
    old = os.umask(0o022)
    yield
    os.umask(old)


LEAD = {"name": "Ann Lee", "name_zh": "", "organisation": "Acme", "title": "CTO", "email": "ann@acme.test",
        "phone": "+86 1", "badge_type": "attendee", "rating": 3, "tags": [], "notes": "", "created_at": "",
        "updated_at": "", "scans": 1, "device_id": "d1", "attendee_id": "A1"}


@pytest.mark.parametrize("ending", [".csv", ".xlsx"])
def test_lead_exports_are_owner_only(tmp_path, ending):
    out = tmp_path / f"leads{ending}"
    assert export_leads([LEAD], out) == 1
    assert _mode(out) == 0o600


@pytest.mark.parametrize("ending", [".png", ".pdf"])
def test_badge_images_are_owner_only(tmp_path, ending):
    out = render_badge(Attendee("A1", "Ann Lee"), "FK1:TEST", tmp_path / f"b{ending}")
    assert _mode(out) == 0o600 and out.stat().st_size > 1000


def test_a_setup_code_qr_image_is_owner_only(tmp_path):
    out = devices.setup_qr("fk1.eyJ2IjoxfQ", tmp_path / "setup.png")
    assert _mode(out) == 0o600 and out.read_bytes()[:4] == b"\x89PNG"


def test_databases_are_owner_only(tmp_path):
    s = Store(tmp_path / "kiosk.db")
    s.set_meta("x", "1")
    for p in tmp_path.glob("kiosk.db*"):
        assert _mode(p) == 0o600, p
    s.close()
