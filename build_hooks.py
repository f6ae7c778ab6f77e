"""The build step that makes the wheel carry the assets (pyproject.toml: [tool.setuptools.cmdclass]).

`build_py` copies every file under the top-level `assets/` folder into the wheel as package data
of `kiosk` (`kiosk/assets/...`, read through importlib.resources by kiosk/paths.py) and compiles
each translation source `assets/i18n/*.ts` into its `.qm` there with Qt's lrelease (from
PySide6-Essentials, a build requirement). The sources (.ts) stay out of the wheel; the .qm files
are never committed. For an editable install the .qm files are compiled in place in assets/i18n.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools.command.build_py import build_py as _build_py

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "assets"
SKIP_SUFFIXES = {".ts", ".pyc", ".qm"}  # .qm: compiled fresh below, never a stale local one


def lrelease() -> str:
    """Qt's lrelease as shipped inside the PySide6 package (no import: Qt's libraries may not load here)."""
    spec = importlib.util.find_spec("PySide6")
    names = ("lrelease.exe", "lrelease") if sys.platform == "win32" else ("lrelease",)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in names:
            if (Path(folder) / name).exists():
                return str(Path(folder) / name)
    found = shutil.which("pyside6-lrelease")
    if found:
        return found
    raise RuntimeError("building the translations needs PySide6-Essentials (lrelease); it is a build requirement")


def compile_translations(out_dir: Path) -> list[Path]:
    """Every assets/i18n/*.ts -> out_dir/*.qm; an error in a catalogue fails the build."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted((ASSETS / "i18n").glob("*.ts")):
        qm = out_dir / ts.with_suffix(".qm").name
        done = subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if done.returncode != 0 or not qm.exists():
            raise RuntimeError(f"lrelease {ts.name}: {done.stderr.strip() or done.stdout.strip()}")
        written.append(qm)
    return written


def asset_files() -> list[Path]:
    return [p for p in sorted(ASSETS.rglob("*"))
            if p.is_file() and p.suffix not in SKIP_SUFFIXES and "__pycache__" not in p.parts]


class build_py(_build_py):
    """setuptools' build_py, then the assets and the compiled translations as kiosk/assets/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            compile_translations(ASSETS / "i18n")  # the source tree's assets/ is what an editable install reads
            return
        target = Path(self.build_lib) / "kiosk" / "assets"
        if target.exists():
            shutil.rmtree(target)  # a file removed from assets/ must not linger from an earlier build
        for src in asset_files():
            dest = target / src.relative_to(ASSETS)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
        compile_translations(target / "i18n")

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        target = Path(self.build_lib) / "kiosk" / "assets"
        extra = [str(target / p.relative_to(ASSETS)) for p in asset_files()]
        extra += [str(target / "i18n" / ts.with_suffix(".qm").name) for ts in sorted((ASSETS / "i18n").glob("*.ts"))]
        return super().get_outputs(include_bytecode) + extra
