"""Shared fixtures. Qt runs offscreen so the suite needs no display."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "")  # tests type directly; the virtual keyboard is tested on its own

import pytest

from kiosk.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.db")
    yield s
    s.close()
