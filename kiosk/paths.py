"""Where assets live: installed, in a source checkout and inside the PyInstaller bundle.

The assets are package data of `kiosk`, found through `importlib.resources`: an installed wheel
holds them as `kiosk/assets/` (the build copies the top-level `assets/` folder there and compiles
the translations into it, see build_hooks.py). A source checkout (also an editable install) has
no `kiosk/assets/` and reads the top-level `assets/` itself; the PyInstaller bundle keeps them as
`assets/` beside its code (installer.spec). Every file under assets/ is found the same way in all three.
"""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def root() -> Path:
    """The source tree, or the PyInstaller bundle's folder (for an installed wheel: site-packages)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def _package_assets() -> Path | None:
    """kiosk/assets through importlib.resources, when this is an installed wheel (else None)."""
    packaged = resources.files(__package__ or "kiosk") / "assets"
    # a wheel unpacks onto the file system, so its Traversable is a real path (Qt and Pillow
    # need file names); a zipped install is not supported
    return Path(str(packaged)) if packaged.is_dir() else None


def installed() -> bool:
    """True for a pip-installed (non-editable) wheel: neither the PyInstaller bundle nor a source tree."""
    return getattr(sys, "_MEIPASS", None) is None and _package_assets() is not None


def assets() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "assets"
    return _package_assets() or root() / "assets"


def demo() -> Path:
    return assets() / "demo"
