"""Where assets live, in a source checkout and inside the PyInstaller bundle alike."""
from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def assets() -> Path:
    return root() / "assets"


def demo() -> Path:
    return assets() / "demo"
