"""`kiosk --self-test`, the Qt-free half: proves a build (or a checkout) has what a kiosk needs.

Organisers install the packaged app on machines without Python, where a missing library or
asset shows up only at the venue. The self-test walks the paths that break when packaging
goes wrong: assets and translations on disk, the database in a temporary folder, the bundled
badge image through both decoders and the check-in rules, a video file through OpenCV's
capture, the bundled Chinese font, and every module of the kiosk and sync packages (some are
loaded by name at run time, so a freezer can miss them). The GUI half is selftest_gui.py.
Imports of the parts under test are made inside the checks on purpose: a part that is missing
or broken in a build is then one failed check, not a self-test that cannot start.

Each check is one `Check`; `report()` prints them and the closing count.
"""
from __future__ import annotations

import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from entrypoints.selftest_checks import Checks, expected, import_all, prepare_database
from kiosk import paths


def check_runtime() -> str:
    frozen = "packaged" if getattr(sys, "frozen", False) else ("installed" if paths.installed() else "source")
    return (f"{frozen} app at {paths.root()}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


REQUIRED_ASSETS = ["demo/event.json", "demo/hall.json", "qml/inputpanel.qml", "selftest/badge.png",
                   "selftest/expected.txt", "fonts/NotoSansSC-Subset.otf"]


def check_assets() -> str:
    root = paths.assets()
    missing = [a for a in REQUIRED_ASSETS if not (root / a).is_file()]
    catalogues = sorted(p.name for p in (root / "i18n").glob("*_zh_CN.qm"))
    assert not missing, f"missing in {root}: {', '.join(missing)}"
    assert catalogues, f"no compiled Chinese catalogue (*_zh_CN.qm) in {root / 'i18n'}"
    return f"{root}: {len(REQUIRED_ASSETS)} required files, catalogues {', '.join(catalogues)}"


def check_database(folder: Path) -> str:
    from kiosk.store import Store

    path = prepare_database(folder)
    store = Store(path)  # reopen: the data must have reached the file
    try:
        event = store.event()
        assert event is not None, "the event did not reach the database"
        points, exhibitors = store.points(), store.exhibitors()
        assert points, "no check-in points"
        return (f"{path} (SQLite {sqlite3.sqlite_version}): event {event.id}, {len(points)} points, "
                f"{len(exhibitors)} exhibitors")
    finally:
        store.close()


def _badge_gray():
    import cv2

    from kiosk.scanner import read_image

    img = read_image(paths.assets() / "selftest" / "badge.png")
    assert img is not None, "the bundled badge image cannot be read"
    return img, cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def check_decode_zxing() -> str:
    import zxingcpp

    code, _ = expected()
    img, gray = _badge_gray()
    found = [r.text for r in zxingcpp.read_barcodes(gray)]
    assert code in found, f"zxing-cpp read {found!r}, not the expected code"
    from kiosk.scanner import decode_frame

    assert code in decode_frame(img), "decode_frame (the camera's pipeline) missed the badge"
    return f"zxing-cpp and decode_frame read the badge ({len(code)} chars)"


def check_decode_zbar() -> str:
    from pyzbar import pyzbar

    code, _ = expected()
    _, gray = _badge_gray()
    found = [s.data.decode("utf-8") for s in pyzbar.decode(gray)]
    assert code in found, f"pyzbar read {found!r}, not the expected code"
    where = ""
    try:
        from pyzbar import zbar_library
        where = f" ({zbar_library.load()[0]._name})"
    except Exception:  # only the location is missing from the report
        pass
    return f"pyzbar with libzbar{where} read the badge"


def check_checkin(folder: Path) -> str:
    from kiosk.checkin import DeviceContext, check
    from kiosk.models import Status
    from kiosk.store import Store

    code, facts = expected()
    path = Path(folder) / "kiosk.db"
    store = Store(path)
    try:
        ctx = DeviceContext.from_store(store)
        first = check(store, code, ctx, source="camera")
        assert first.status is Status.OK, f"first scan: {first.status.value} ({first.detail})"
        assert first.attendee and first.attendee.name == facts["attendee"]["name"], "wrong person greeted"
        again = check(store, code, ctx, source="camera")
        assert again.status is Status.ALREADY_CHECKED_IN, f"second scan: {again.status.value}"
    finally:
        store.close()
    return f"signed badge verified offline: {first.status.value}, then {again.status.value}"


def check_video(folder: Path) -> str:
    """Write the badge into a short video and read it back the way the camera worker does."""
    import cv2

    from kiosk.scanner import decode_frame

    code, _ = expected()
    img, _ = _badge_gray()
    frame = cv2.resize(img, (640, 896))
    video = Path(folder) / "badge.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10, (frame.shape[1], frame.shape[0]))
    assert writer.isOpened(), "OpenCV cannot write an MJPG video"
    for _ in range(5):
        writer.write(frame)
    writer.release()
    cap = cv2.VideoCapture(str(video))
    try:
        assert cap.isOpened(), f"OpenCV cannot open {video.name}"
        ok, got = cap.read()
        assert ok and got is not None, "no frame read from the video"
        backend = cap.getBackendName()
    finally:
        cap.release()
    assert code in decode_frame(got), "the badge in the video frame was not decoded"
    return f"OpenCV {cv2.__version__} read a video file ({backend}) and the frame decoded"


def check_badge_font() -> str:
    from PIL import ImageFont

    from kiosk import badgeprint

    subset = paths.assets() / "fonts" / "NotoSansSC-Subset.otf"
    face = ImageFont.truetype(str(subset), 48)
    missing = face.getmask("\ue000").getbbox()  # a private-use point: the .notdef box
    for ch in "签到论坛张伟":
        assert face.getmask(ch).getbbox() != missing, f"bundled font has no glyph for {ch}"
    used = getattr(badgeprint.font(48), "path", "Pillow default")
    return f"bundled Noto Sans SC subset has the glyphs; badges print with {used}"


def _packages() -> list[str]:
    return ["kiosk", "sync"]


def check_server_stack() -> str:
    """The demo embeds the central server: fastapi and uvicorn load parts by name."""
    import fastapi
    import uvicorn
    from uvicorn.config import Config

    config = Config(app=fastapi.FastAPI(), host="127.0.0.1", port=0, log_config=None, loop="asyncio",
                    http="h11", lifespan="on")
    config.load()  # resolves the loop, protocol and lifespan classes by name
    return f"fastapi {fastapi.__version__}, uvicorn {uvicorn.__version__} (h11, asyncio)"


def run_core(folder: Path, checks: Checks | None = None) -> Checks:
    checks = checks or Checks()
    checks.run("runtime", check_runtime)
    checks.run("assets", check_assets)
    if checks.run("database", lambda: check_database(folder)):
        checks.run("check-in", lambda: check_checkin(folder))
    checks.run("decode zxing-cpp", check_decode_zxing)
    checks.run("decode zbar", check_decode_zbar)
    checks.run("video file", lambda: check_video(folder))
    checks.run("badge font", check_badge_font)
    checks.run("modules", lambda: import_all(_packages(), skip=("entrypoints.selftest", "entrypoints.selftest_gui")))
    checks.run("server stack", check_server_stack)
    return checks


def report(checks: Checks, out=None) -> int:
    """Print one line per check and the closing count; the exit code is 1 if any required one failed."""
    out = out or sys.stdout
    width = max((len(c.name) for c in checks.results), default=10)
    for c in checks.results:
        mark = "PASS" if c.ok else ("WARN" if c.optional else "FAIL")
        print(f"{mark}  {c.name:<{width}}  {c.detail}", file=out)
    passed = sum(1 for c in checks.results if c.ok)
    print(f"self-test: {passed} passed, {len(checks.results) - passed} failed", file=out)
    out.flush()
    return 1 if checks.failed else 0


def run(with_gui: bool = True, keep: bool = False) -> int:
    """The whole self-test in a temporary folder; `with_gui` adds the Qt checks (selftest_gui.py)."""
    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="kiosk-selftest-")
    folder = Path(tmp)
    checks = Checks()
    try:
        core = folder / "core"
        core.mkdir()
        run_core(core, checks)
        if with_gui:
            (folder / "gui").mkdir()
            checks.run("gui", lambda: _run_gui(folder / "gui", checks))
    finally:
        if keep:
            print(f"self-test files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    code = report(checks)
    print(f"self-test took {time.monotonic() - started:.1f} s")
    return code


def _run_gui(folder: Path, checks: Checks) -> str:
    """The GUI half adds its own checks; this one fails only if it could not run at all (Qt missing or broken)."""
    from entrypoints.selftest_gui import (
        run_gui,  # lazy on purpose: see the module's docstring
    )

    run_gui(folder, checks)
    return "the Qt checks ran to the end"
