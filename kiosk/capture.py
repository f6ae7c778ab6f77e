"""Camera capture on its own thread: frames for the preview, decoded scans, and the camera's state.

Qt-free so it can be tested and benchmarked without a screen; ui.camera wraps it in signals.
A camera index and a video or image file go through the same loop (a file just plays at its
own frame rate, and optionally loops, which is what the demo does).

Decoding is throttled so an idle kiosk leaves the CPU alone: a few decodes a second while the
scene is still, but at once when the scene changes (a badge coming into view changes it) and at
the camera's rate for a while after a change or a code. Each decode is one frame's bounded work
(`scanner.FrameDecoder`: zxing-cpp plus one step of a rescue rotation), so a badge the cheap path
cannot read is still read within a rotation, and no frame ever stalls the camera.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk import scanner
from kiosk.models import Scan

log = logging.getLogger(__name__)

STATES = ("starting", "running", "no_camera", "reconnecting", "stopped", "ended")

Opener = Callable[[int | str], Any]  # returns an object with the cv2.VideoCapture protocol


def parse_source(source: int | str) -> int | str:
    """A camera index (int, or a string of digits as in the config) or a file path."""
    if isinstance(source, int):
        return source
    text = str(source).strip()
    return int(text) if text.isdigit() else text


def open_capture(source: int | str, width: int = 0, height: int = 0) -> cv2.VideoCapture:
    """cv2.VideoCapture for a camera (asking for width x height) or a file."""
    if isinstance(source, int):
        cap = cv2.VideoCapture(source)
        if cap.isOpened():
            if width and height:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # fresh frames over queued ones: lower latency
        return cap
    return cv2.VideoCapture(str(source))


class _Debouncer:
    """A code counts once until it has been out of sight for `seconds`."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.last_seen: dict[str, float] = {}

    def fresh(self, code: str, now: float) -> bool:
        last = self.last_seen.get(code)
        self.last_seen[code] = now
        if len(self.last_seen) > 256:
            self.last_seen = {c: t for c, t in self.last_seen.items() if now - t < self.seconds}
        return last is None or now - last >= self.seconds


class CaptureWorker:
    """Reads frames on a daemon thread, decodes some, reports scans and state through callbacks.

    Callbacks run on the worker thread; they must be quick and must not keep a reference they
    then mutate (on_frame gets the array the capture produced, not a copy).
    """

    def __init__(
        self,
        source: int | str = 0,
        width: int = 1280,
        height: int = 720,
        *,
        on_frame: Callable[[np.ndarray], None] | None = None,
        on_scan: Callable[[Scan], None] | None = None,
        on_state: Callable[[str, str], None] | None = None,
        debounce_seconds: float = 3.0,
        loop: bool = False,
        opener: Opener | None = None,
        realtime: bool = True,
        idle_decodes_per_second: float = 4.0,
        active_decodes_per_second: float = 30.0,
        active_seconds: float = 2.0,
        change_threshold: float = 6.0,
        retry_seconds: float = 0.5,
        max_retry_seconds: float = 5.0,
        decode: Callable[[np.ndarray], list[str]] | None = None,
    ):
        self.source = parse_source(source)
        self.width, self.height = width, height
        self.on_frame, self.on_scan, self.on_state = on_frame, on_scan, on_state
        self.loop = loop
        self.realtime = realtime
        self._opener = opener or (lambda s: open_capture(s, self.width, self.height))
        self.idle_period = 1.0 / max(idle_decodes_per_second, 0.1)
        self.active_period = 1.0 / max(active_decodes_per_second, 0.1)
        self.active_seconds = active_seconds
        self.change_threshold = change_threshold
        self.retry_seconds, self.max_retry_seconds = retry_seconds, max_retry_seconds
        self._decode = decode or scanner.FrameDecoder()
        self._debounce = _Debouncer(debounce_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = "stopped"
        self.decodes = 0  # how many frames were decoded: the benchmark and tests read it
        self.frames = 0

    @property
    def is_camera(self) -> bool:
        return isinstance(self.source, int)

    # ---- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._set_state("starting", f"Opening {self._describe()}")
        self._thread = threading.Thread(target=self._run, name="capture", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to finish and wait for it (a camera read returns within a frame)."""
        self._stop.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)
        self._thread = None
        if self.state != "stopped":
            self._set_state("stopped", "Camera stopped")

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ---- the loop ---------------------------------------------------------------------------
    def _describe(self) -> str:
        return f"camera {self.source}" if self.is_camera else f"file {Path(str(self.source)).name}"

    def _set_state(self, state: str, message: str) -> None:
        if state == self.state and state not in ("reconnecting",):
            return
        self.state = state
        self._call(self.on_state, state, message)

    def _call(self, fn, *args) -> None:
        if fn is None:
            return
        try:
            fn(*args)
        except Exception:  # a broken listener must not kill the camera
            log.exception("capture callback failed")

    def _open(self):
        if not self.is_camera and not os.path.exists(str(self.source)):
            return None, f"Video file not found: {self.source}"
        try:
            cap = self._opener(self.source)
        except Exception as exc:
            return None, f"Cannot open {self._describe()}: {exc}"
        if cap is None or not cap.isOpened():
            if cap is not None:
                cap.release()
            if self.is_camera:
                return None, f"No camera found at index {self.source}"
            return None, f"Cannot read video file: {self.source}"
        return cap, ""

    def _run(self) -> None:
        delay = self.retry_seconds
        ever_ran = False
        try:
            while not self._stop.is_set():
                cap, problem = self._open()
                if cap is None:
                    self._set_state("reconnecting" if ever_ran else "no_camera", problem)
                    self._stop.wait(delay)
                    delay = min(delay * 2, self.max_retry_seconds)
                    continue
                try:
                    outcome = self._read_loop(cap)
                finally:
                    cap.release()
                if outcome == "frames":
                    ever_ran = True
                    delay = self.retry_seconds
                if self._stop.is_set():
                    break
                if outcome == "frames" and not self.is_camera:
                    if self.loop:
                        continue  # reopen: works for videos and still images alike
                    self._set_state("ended", f"End of {self._describe()}")
                    return
                # A camera that stopped delivering, or a file with no readable frame.
                msg = ("Camera disconnected, reconnecting" if self.is_camera
                       else f"Cannot read video file: {self.source}")
                self._set_state("reconnecting" if (ever_ran or self.is_camera) else "no_camera", msg)
                self._stop.wait(delay)
                delay = min(delay * 2, self.max_retry_seconds)
        except Exception as exc:  # never let the thread die silently
            log.exception("capture loop failed")
            self._set_state("no_camera", f"Camera error: {exc}")
        finally:
            if self._stop.is_set():
                self._set_state("stopped", "Camera stopped")

    def _read_loop(self, cap) -> str:
        """Read until the source fails or stop(); 'frames' when at least one frame came through."""
        fps = 0.0
        if not self.is_camera and self.realtime:
            try:
                fps = float(cap.get(cv2.CAP_PROP_FPS) or 0)
            except Exception:
                fps = 0.0
            if not (1.0 <= fps <= 240.0):
                fps = 15.0
        period = 1.0 / fps if fps else 0.0
        next_at = time.monotonic()
        got_any = False
        failures = 0
        while not self._stop.is_set():
            try:
                ok, frame = cap.read()
            except Exception:
                ok, frame = False, None
            if not ok or frame is None or getattr(frame, "size", 0) == 0:
                failures += 1
                # Cameras drop single frames now and then; a file's first failure is its end.
                if not self.is_camera or failures >= 15:
                    return "frames" if got_any else "none"
                self._stop.wait(0.02)
                continue
            failures = 0
            if not got_any:
                got_any = True
                self._set_state("running", f"Scanning with {self._describe()}")
            self._handle(frame)
            if period:
                next_at += period
                wait = next_at - time.monotonic()
                if wait > 0:
                    self._stop.wait(wait)
                else:
                    next_at = time.monotonic()
        return "frames" if got_any else "none"

    # ---- per frame ---------------------------------------------------------------------------
    _last_decode = -1e9
    _last_change = -1e9
    _last_hit = -1e9
    _last_thumb: np.ndarray | None = None

    def _thumb(self, frame: np.ndarray) -> np.ndarray | None:
        """A 64x36 thumbnail (~0.1 ms) to tell whether the scene changed since the last decode."""
        try:
            return cv2.resize(frame, (64, 36), interpolation=cv2.INTER_AREA).astype(np.int16)
        except (cv2.error, ValueError, TypeError):
            return None

    def _handle(self, frame: np.ndarray) -> None:
        self.frames += 1
        self._call(self.on_frame, frame)
        now = time.monotonic()
        since = now - self._last_decode
        if since < self.active_period:
            return  # the hard cap on decodes per second
        thumb = self._thumb(frame)
        last = self._last_thumb
        changed = (thumb is None or last is None or last.shape != thumb.shape
                   or float(np.mean(np.abs(thumb - last))) >= self.change_threshold)
        if changed:
            self._last_change = now
        # A badge coming into view (or just read) gets every frame for a while: the rescue rotation
        # then finishes within a second; a still, empty scene gets a few decodes a second.
        active = now - max(self._last_hit, self._last_change) < self.active_seconds
        if not active and since < self.idle_period:
            return
        self._last_thumb = thumb
        self._last_decode = now
        self.decodes += 1
        codes = self._decode(frame)
        if not codes:
            return
        seen = time.monotonic()
        self._last_hit = seen
        for code in codes:
            if self._debounce.fresh(code, seen):
                self._call(self.on_scan, Scan(code, "camera", seen))
