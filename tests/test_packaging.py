"""The wheel as pip installs it: built from a copy of the source tree, installed (not editable) into fresh
virtual environments, run from a folder with no source tree in reach.

Two installs, as an organiser makes them: the server alone (`forum-kiosk[server]`: no Qt, no OpenCV)
seeds the demo event and serves it; the kiosk app (`forum-kiosk[kiosk]`) passes its self-test, enrols
with that server and syncs a check-in to it. The wheels come from a wheelhouse kept between runs
(build/wheelhouse, or KIOSK_WHEELHOUSE): the first run downloads Qt and OpenCV into it, later ones
install offline from it. The two venvs' installs are most of the time (about 3 minutes on the shared
2-core machine; the first run 5-7).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers_net import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
# pip's own cache does not help here (this machine's index answers are not cacheable), so the wheels
# the installs need are downloaded once into a wheelhouse that later runs reuse (the venvs install offline)
WHEELHOUSE = Path(os.environ.get("KIOSK_WHEELHOUSE") or ROOT / "build" / "wheelhouse")
# what a clean checkout holds: local venvs, builds and compiled translations must not help the build
_NOT_SOURCE = shutil.ignore_patterns(".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                     "*.qm", "tests", ".pytest_cache", ".hypothesis", "*.db", "*.db-*")


def _env() -> dict:
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "QT_QPA_PLATFORM", "QT_IM_MODULE", "PYTHONSAFEPATH")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _run(args: list, cwd: Path, timeout: int = 600, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)
    if check:
        assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("packaging")


def _offline_first(command: list, needs: list, cwd: Path) -> None:
    """Run a pip command on the wheelhouse alone; if it lacks something, download `needs` into it and retry."""
    offline = [*command, "--no-index", "--find-links", WHEELHOUSE]
    if _run(offline, cwd=cwd, check=False).returncode != 0:
        _run([sys.executable, "-m", "pip", "download", "-q", "-d", WHEELHOUSE, *needs], cwd=cwd)
        _run(offline, cwd=cwd)


@pytest.fixture(scope="module")
def wheel(place) -> Path:
    """The wheel pip builds (isolated build environment, build_hooks.py) from a clean copy of the tree."""
    src = place / "src"
    shutil.copytree(ROOT, src, ignore=_NOT_SOURCE)
    assert not list(src.rglob("*.qm"))
    build_requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    _offline_first([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", place / "wheels", src],
                   build_requires, cwd=place)
    found = list((place / "wheels").glob("forum_kiosk-*.whl"))
    assert len(found) == 1, found
    return found[0]


def _venv(place: Path, name: str, wheel: Path, extra: str) -> Path:
    venv = place / name
    _run([sys.executable, "-m", "venv", venv], cwd=place)
    _offline_first([venv / "bin" / "python", "-m", "pip", "install", "-q", f"{wheel}[{extra}]"],
                   [f"{wheel}[{extra}]"], cwd=place)
    return venv / "bin"


@pytest.fixture(scope="module")
def server_bin(place, wheel) -> Path:
    return _venv(place, "server-venv", wheel, "server")


@pytest.fixture(scope="module")
def kiosk_bin(place, wheel) -> Path:
    return _venv(place, "kiosk-venv", wheel, "kiosk")


@pytest.fixture
def away(tmp_path) -> Path:
    """A working folder with no source tree in reach."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_wheel_carries_the_assets_and_the_translations_it_compiled(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"kiosk", "ui", "sync", "entrypoints"}  # no top-level assets/ in site-packages
    for area in ("shell", "attendee", "leads", "map", "sync", "wedge"):
        assert f"kiosk/assets/i18n/{area}_zh_CN.qm" in names, area
    assert not [n for n in names if n.endswith(".ts")]
    source = {p.relative_to(ROOT / "assets").as_posix() for p in (ROOT / "assets").rglob("*")
              if p.is_file() and p.suffix not in (".ts", ".qm", ".pyc") and "__pycache__" not in p.parts}
    assert source <= {n.removeprefix("kiosk/assets/") for n in names}  # every asset, whoever added it


def test_server_install_has_no_qt_no_opencv_and_serves_a_kiosk_install(server_bin, kiosk_bin, away):
    # the server's venv: neither the GUI nor the camera stack (numpy it has: the router needs it)
    probe = _run([server_bin / "python", "-c", "import importlib.util as u; "
                  "print([m for m in ('PySide6', 'cv2', 'zxingcpp') if u.find_spec(m)])"], cwd=away)
    assert probe.stdout.strip() == "[]"
    db = away / "server.db"
    seeded = json.loads(_run([server_bin / "kiosk-server", "seed-demo", "--db", db, "--attendees", "60"],
                             cwd=away).stdout)
    assert seeded["attendees"] == 60 and seeded["exhibitors"] > 50
    wrong = _run([server_bin / "kiosk", "demo", "--data-dir", away / "demo"], cwd=away, check=False)
    assert wrong.returncode == 1 and "pip install 'forum-kiosk[kiosk]'" in wrong.stderr
    assert "Traceback" not in wrong.stderr

    port = free_port()
    url = f"https://127.0.0.1:{port}"  # serve speaks HTTPS; the setup code pins its certificate
    serve = subprocess.Popen([str(server_bin / "kiosk-server"), "serve", "--db", str(db), "--port", str(port)],
                             cwd=away, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        setup = _run([server_bin / "kiosk-server", "enroll", "--db", db, "--role", "desk", "--name", "Desk 1",
                      "--url", url], cwd=away).stdout.strip()
        kiosk_db = away / "kiosk.db"
        enrolled = _enroll(kiosk_bin, setup, kiosk_db, away, serve)
        assert enrolled["role"] == "desk" and enrolled["sync"]["pulled"]["attendees"] == 60
        code = _run([server_bin / "kiosk-server", "badge", "A000007", "--db", db, "--out", away / "b.png"],
                    cwd=away).stdout.strip()
        verdict = json.loads(_run([kiosk_bin / "kiosk", "check", code, "--db", kiosk_db, "--offline"],
                                  cwd=away).stdout)
        assert verdict["status"] == "ok"
        pushed = json.loads(_run([kiosk_bin / "kiosk", "sync", "--db", kiosk_db], cwd=away).stdout)
        assert pushed["pushed"]["accepted"] == 1 and pushed["pending"] == 0
        stats = json.loads(_run([server_bin / "kiosk-server", "stats", "--db", db], cwd=away).stdout)
        assert stats["checked_in"] == 1
    finally:
        serve.terminate()
        out, _ = serve.communicate(timeout=30)
    assert "Traceback" not in out


def _enroll(kiosk_bin: Path, setup: str, kiosk_db: Path, cwd: Path, serve: subprocess.Popen) -> dict:
    """`kiosk enroll` once the freshly started server answers."""
    deadline = time.monotonic() + 60
    while True:
        done = _run([kiosk_bin / "kiosk", "enroll", setup, "--db", kiosk_db], cwd=cwd, check=False)
        if done.returncode == 0:
            return json.loads(done.stdout)
        assert serve.poll() is None, f"the server stopped: {serve.stdout.read()[-3000:]}"
        assert "not reachable" in done.stderr and time.monotonic() < deadline, done.stderr
        time.sleep(0.5)


def test_kiosk_install_passes_its_self_test_away_from_the_source_tree(kiosk_bin, away):
    done = _run([kiosk_bin / "kiosk", "--self-test"], cwd=away, timeout=300, check=False)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert ", 0 failed" in done.stdout and "installed app at" in done.stdout
    assert "签到成功" in done.stdout  # the Chinese catalogue the build compiled translated the verdict
    assert str(ROOT) not in done.stdout
    assets = _run([kiosk_bin / "python", "-c", "from kiosk import paths; print(paths.assets())"], cwd=away)
    assert Path(assets.stdout.strip()).is_relative_to(kiosk_bin.parent)
