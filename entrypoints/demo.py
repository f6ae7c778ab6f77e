"""`kiosk demo`: the demo event with its embedded server, a ready kiosk, the demo PIN and badges.

The demo is the product on the demo event (assets/demo/), nothing more: the same kiosk as
`kiosk start`, enrolled with a real server that runs on 127.0.0.1 beside it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_dir

from kiosk import paths, pin
from kiosk.errors import KioskError
from kiosk.store import Store
from sync.demo import prepare_demo
from ui.app import main


def demo_video() -> str | None:
    for pattern in ("badges*.mp4", "badges*.avi", "*.mp4", "*.avi"):
        found = sorted(paths.demo().glob(pattern))
        if found:
            return str(found[0])
    return None


def run_demo(role: str | None = None, windowed: bool = False, camera: str | None = None,
             data_dir: str | Path | None = None) -> int:
    """`kiosk demo`: the demo event in a local data folder, the demo PIN, the demo badge video."""
    if data_dir is None:
        data_dir = Path(user_data_dir("forum-kiosk")) / "demo"
    data_dir = Path(data_dir)
    try:
        db_path = prepare_demo(data_dir)
        store = Store(db_path)
        try:
            pin.ensure_pin(store)
            pin.ensure_pin(store, scope="exhibitor")
        finally:
            store.close()
    except (KioskError, OSError) as exc:
        print(f"kiosk demo: cannot prepare the demo data in {data_dir}: {exc}", file=sys.stderr)
        return 1
    badges = data_dir / "badges"
    if camera == "demo":
        camera = str(badges / "badges.avi")
    elif camera is None:
        camera = demo_video() or "0"
    print(f"Forum Kiosk demo: staff and exhibitor PIN {pin.DEMO_PIN}; long-press the top-left corner for settings.\n"
          f"Demo badges to show the camera (or their codes to type): {badges}\n"
          f"--camera demo plays them through the camera pipeline.", flush=True)
    return main(db_path, role=role, windowed=windowed, camera=camera, demo=True)
