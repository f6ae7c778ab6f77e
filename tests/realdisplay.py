"""The real-display tier: the real app on Xvfb with no window manager, driven by real X input.

Offscreen Qt hides what a kiosk shows (window geometry, the input method, key timing). Here the
kiosk runs as it does at a venue: its own process, fullscreen on an X server with no window
manager, input arriving as X events through XTest (`xdotool`). Tests read the results where a
person would notice them: the database and the window on screen; screenshots are kept in
`tests/output/realdisplay/` for a person to look at.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shell_fixtures import make_db

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "output" / "realdisplay"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
DOCS_ENV = "KIOSK_DOCS_SCREENSHOTS"  # =1: tests/test_real_display_docs.py also writes docs/screenshots/
SCRIPTS = Path(sys.executable).parent


def missing_tools() -> list[str]:
    return [t for t in ("Xvfb", "xdotool") if shutil.which(t) is None]


class Display:
    """One Xvfb server, no window manager."""

    def __init__(self, width: int = 1920, height: int = 1080):
        self.number = _free_display()
        self.name = f":{self.number}"
        self.size = (width, height)
        self._proc = subprocess.Popen(["Xvfb", self.name, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: Path(f"/tmp/.X11-unix/X{self.number}").exists(), 10, "Xvfb did not start")

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "QT_IM_MODULE", "WAYLAND_DISPLAY")}
        env["DISPLAY"] = self.name
        return env

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(["xdotool", *args], env=self.env(), capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout.strip()

    def screenshot(self, name: str) -> Path:
        """The whole screen as a PNG, taken by a separate Qt process (as a camera would see the kiosk)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        out = SHOTS / f"{name}.png"
        code = ("import sys; from PySide6.QtGui import QGuiApplication; a = QGuiApplication(sys.argv[:1]); "
                f"a.primaryScreen().grabWindow(0).save({str(out)!r})")
        subprocess.run([sys.executable, "-c", code], env={**self.env(), "QT_QPA_PLATFORM": "xcb"}, check=True,
                       timeout=60, capture_output=True)
        return out

    def docs_shot(self, name: str) -> Path:
        """A screenshot for docs/screenshots/NAME.png (with DOCS_ENV=1; else only tests/output)."""
        out = self.screenshot(name)
        if os.environ.get(DOCS_ENV) == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(out, DOCS_SHOTS / out.name)
        return out

    def close(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()


class Kiosk:
    """`kiosk start --db DB` on the display, as the boot service starts it."""

    def __init__(self, display: Display, db: Path, role: str | None = "desk", **settings: str):
        """settings: KIOSK_* overrides, e.g. language="zh_CN", idle_seconds="5"."""
        self.display = display
        self.db = db
        self.key = None  # the badge signing key, when the test made the database (the start fixture)
        self.log = open(db.with_suffix(".log"), "w")  # noqa: SIM115 - closed in stop()
        probe = db.with_suffix(".first-frame")
        self._state = db.with_suffix(".state")
        env = {**display.env(), "KIOSK_CAMERA": "none", "KIOSK_SYNC_INTERVAL_SECONDS": "3600",
               "KIOSK_STARTUP_PROBE": str(probe), "KIOSK_STATE_PROBE": str(self._state),
               **{f"KIOSK_{k.upper()}": str(v) for k, v in settings.items()}}
        self._proc = subprocess.Popen([str(SCRIPTS / "kiosk"), "start", "--db", str(db),
                                       *(["--role", role] if role else [])],
                                      env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_until(probe.exists, 30, "the kiosk never painted its first frame")
            self.window = wait_until(self._find_window, 30, "the kiosk window did not appear")
            # no window manager gives focus: set it as a kiosk session's start script would, once the
            # window has settled (after the first frame the on-screen keyboard joins the window)
            wait_until(self._settled, 20, "the kiosk window could not be focused")
        except BaseException:
            self.stop()  # a kiosk left running would answer the next test's probes
            raise

    def _find_window(self) -> str | None:
        if self._proc.poll() is not None:
            raise RuntimeError(f"the kiosk exited with {self._proc.returncode}: {Path(self.log.name).read_text()}")
        try:
            ids = self.display.xdotool("search", "--onlyvisible", "--pid", str(self._proc.pid)).split()
            sizes = {i: self._geometry(i) for i in ids}
        except RuntimeError:  # none yet, or one went away while we looked
            return None
        big = [i for i, g in sizes.items() if g[2] >= 800 and g[3] >= 600]
        return max(big, key=lambda i: sizes[i][2] * sizes[i][3]) if big else None

    def _focus(self) -> bool:
        """The pointer over the window (an X server without a window manager sends keys to the window
        under the pointer), and the input focus set on it, as a kiosk session's start script does.
        Qt may replace its native window while it starts, so the window is looked up again."""
        self.window = self._find_window() or self.window
        w, h = self.display.size
        self.display.xdotool("mousemove", "--sync", str(w // 2), str(h - 10))
        try:
            self.display.xdotool("windowfocus", "--sync", self.window)
        except RuntimeError:
            return False
        return True

    def _settled(self) -> bool:
        """Focused, and still the focused window a moment later."""
        if not self._focus():
            return False
        time.sleep(0.5)
        return self.display.xdotool("getwindowfocus") == self.window

    def geometry(self) -> tuple[int, int, int, int]:
        """(x, y, width, height) of the kiosk window as the X server has it."""
        return self._geometry(self.window)

    def _geometry(self, window: str) -> tuple[int, int, int, int]:
        out = self.display.xdotool("getwindowgeometry", "--shell", window)
        values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def state(self) -> dict:
        """What the kiosk shows now (ui/probe.py): screen, focused field and text, keyboard, visible texts."""
        self._state.unlink(missing_ok=True)
        self._state.with_name(self._state.name + ".ask").touch()
        wait_until(self._state.exists, 10, "the kiosk did not answer the state probe")
        return json.loads(self._state.read_text(encoding="utf-8"))

    def wait_for(self, test: Callable[[dict], object], seconds: float, message: str) -> dict:
        """The state once test(state) holds; the last state goes into the failure message."""
        last: dict = {}

        def probe():
            last.update(self.state())
            return test(last)
        try:
            wait_until(probe, seconds, message)
        except AssertionError:
            raise AssertionError(f"{message}; the kiosk showed {last}") from None
        return last

    def badge(self, person) -> str:
        """The badge code of one of the database's people, as a scanner reads it."""
        from tests.factories import badge_for
        return badge_for(person, self.key)

    def tap_widget(self, name: str, seconds: float = 10) -> None:
        """Tap the middle of the widget with that object name, once it is on screen."""
        x, y, w, h = self.wait_for(lambda s: name in s["places"], seconds, f"no {name} on screen")["places"][name]
        self.tap(x + w // 2, y + h // 2)

    def type(self, text: str, delay_ms: int) -> None:
        """Keys as a USB scanner (a few ms apart) or a person (100 ms and more) sends them, through
        XTest to the focused window, as a keyboard's keys arrive."""
        self.display.xdotool("type", "--delay", str(delay_ms), text)

    def key(self, name: str) -> None:
        self.display.xdotool("key", name)

    def tap(self, x: int, y: int) -> None:
        self.display.xdotool("mousemove", "--sync", str(x), str(y), "click", "1")

    def stop(self) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self.log.close()


class OnScreenKeyboard:
    """Taps on Qt Virtual Keyboard's keys where its default style draws them: four rows of keys whose
    height follows the panel's width, ten key widths across, pinyin's candidate bar above them when it
    shows (the kiosk reports the panel's rectangle)."""

    ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    ROW_OFFSET = (0.5, 1.0, 2.0)  # the first key's centre, in key widths from the panel's left edge
    SPECIAL = {"backspace": (2, 0.923), "enter": (3, 0.923), "language": (3, 0.2), "space": (3, 0.5),
               "symbols": (3, 0.076), "shift": (2, 0.076)}

    def __init__(self, kiosk: Kiosk):
        self.kiosk = kiosk

    def rect(self) -> list[int]:
        state = self.kiosk.wait_for(lambda s: s["keyboard"], 10, "the on-screen keyboard is not up")
        return state["keyboard"]

    KEYS_HEIGHT = 0.3126  # of the panel's width

    def point(self, key: str) -> tuple[int, int]:
        x, y, w, h = self.rect()
        keys_top = y + h - w * self.KEYS_HEIGHT
        if key == "candidate":  # the first in the bar: its text starts a little right of the edge
            return x + 40, int((y + keys_top) / 2)
        if key in self.SPECIAL:
            row, across = self.SPECIAL[key]
        else:
            row = next(i for i, keys in enumerate(self.ROWS) if key.lower() in keys)
            across = (self.ROW_OFFSET[row] + self.ROWS[row].index(key.lower())) / 10
        return int(x + w * across), int(keys_top + w * self.KEYS_HEIGHT * (0.143 + 0.2455 * row))

    def tap(self, *keys: str, pause: float = 0.15) -> None:
        """Each key a tap, as a finger presses it (a key of one letter, or a SPECIAL name)."""
        for key in keys:
            self.kiosk.tap(*self.point(key))
            time.sleep(pause)

    def type(self, text: str) -> None:
        self.tap(*[("space" if c == " " else c) for c in text])


# -- fixtures (a test module imports them) ----------------------------------------------------------
@pytest.fixture(scope="module")
def displays():
    assert not missing_tools(), f"./run installs {', '.join(missing_tools())}; the real-display tier needs them"
    opened: dict[tuple[int, int], Display] = {}

    def get(width: int, height: int) -> Display:
        if (width, height) not in opened:
            opened[(width, height)] = Display(width, height)
        return opened[(width, height)]
    yield get
    for d in opened.values():
        d.close()


@pytest.fixture
def start(tmp_path, displays):
    started: list[Kiosk] = []

    def run(size=(1920, 1080), role: str | None = "desk", make=None, **settings) -> Kiosk:
        """The kiosk on a display of that size; role None: a first start (the role picker);
        make(tmp_path) -> (db, key) prepares another database."""
        db, key = (make or (lambda p: make_db(p, role=role)))(tmp_path)
        kiosk = Kiosk(displays(*size), db, role=role, **settings)
        kiosk.key = key
        started.append(kiosk)
        return kiosk
    yield run
    for k in started:
        k.stop()


def wait_until(probe: Callable[[], object], seconds: float, message: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(message)


def _free_display() -> int:
    for n in range(70, 300):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")
