"""The real OpenCV capture path reading video files written here, plus the Qt wrapper and preview."""
from __future__ import annotations

import threading
import time

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QImage

from kiosk.capture import CaptureWorker
from kiosk.models import Scan
from tests.helpers_scan import qr_frame, sample_codes, write_badge_video

SIZE = (640, 360)
CODES = sample_codes(n_badges=2, seed=9)


class Recorder:
    def __init__(self):
        self.scans: list[Scan] = []
        self.states: list[tuple[str, str]] = []
        self.frames = 0
        self.lock = threading.Lock()

    def on_scan(self, scan):
        with self.lock:
            self.scans.append(scan)

    def on_state(self, state, message):
        with self.lock:
            self.states.append((state, message))

    def on_frame(self, frame):
        self.frames += 1

    def state_names(self):
        with self.lock:
            return [s for s, _ in self.states]


def wait_for(cond, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def run_worker():
    workers = []

    def make(source, **kw):
        rec = Recorder()
        w = CaptureWorker(source, *SIZE, on_scan=rec.on_scan, on_state=rec.on_state, on_frame=rec.on_frame,
                          **{"retry_seconds": 0.1, "max_retry_seconds": 0.2, **kw})
        workers.append(w)
        w.start()
        return w, rec

    yield make
    for w in workers:
        w.stop()
        assert not w.is_alive()


def test_video_file_scans_every_badge_once_and_ends(tmp_path, run_worker):
    video = write_badge_video(tmp_path / "badges.avi", CODES, seconds_per_code=0.6, fps=15, size=SIZE)
    w, rec = run_worker(str(video))  # real time, as a camera delivers
    assert wait_for(lambda: "ended" in rec.state_names())
    assert [s.code for s in rec.scans] == CODES  # in order, each once, Chinese text intact
    assert all(s.source == "camera" for s in rec.scans)
    assert rec.state_names()[:2] == ["starting", "running"]
    assert rec.frames == pytest.approx(15 * 0.6 * len(CODES), abs=2)


def test_same_badge_again_after_the_debounce_is_a_new_scan(tmp_path, run_worker):
    video = write_badge_video(tmp_path / "twice.avi", [CODES[2], CODES[2]], seconds_per_code=0.5, fps=20,
                              size=SIZE, gap_seconds=1.0)
    w, rec = run_worker(str(video), debounce_seconds=0.6)  # real time: the gap is 1 s
    assert wait_for(lambda: "ended" in rec.state_names())
    assert [s.code for s in rec.scans] == [CODES[2], CODES[2]]

    w2, rec2 = run_worker(str(video), debounce_seconds=5.0)
    assert wait_for(lambda: "ended" in rec2.state_names())
    assert [s.code for s in rec2.scans] == [CODES[2]]


def test_looping_file_keeps_running_and_debounces(tmp_path, run_worker):
    video = write_badge_video(tmp_path / "loop.avi", [CODES[0]], seconds_per_code=0.3, fps=15, size=SIZE)
    w, rec = run_worker(str(video), loop=True, realtime=False, debounce_seconds=60)
    assert wait_for(lambda: rec.frames > 30)
    assert "ended" not in rec.state_names()
    assert [s.code for s in rec.scans] == [CODES[0]]


def test_missing_source_reports_no_camera_then_recovers_when_it_appears(tmp_path, run_worker):
    path = tmp_path / "later.avi"
    w, rec = run_worker(str(path))
    assert wait_for(lambda: "no_camera" in rec.state_names())
    assert "not found" in rec.states[-1][1]
    write_badge_video(tmp_path / "staging.avi", [CODES[1]], seconds_per_code=0.5, fps=15, size=SIZE).rename(path)
    assert wait_for(lambda: rec.scans)
    assert rec.scans[0].code == CODES[1]
    assert "running" in rec.state_names()


def test_corrupt_video_is_a_state_not_a_crash(tmp_path, run_worker):
    bad = tmp_path / "corrupt.avi"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00AVI garbage" * 50)
    w, rec = run_worker(str(bad), retry_seconds=60, max_retry_seconds=60)
    assert wait_for(lambda: "no_camera" in rec.state_names())
    assert "Cannot read" in rec.states[-1][1]
    assert w.is_alive()  # keeps retrying, in case the file is replaced
    thread = w._thread
    w.stop(timeout=5)  # its 60 s wait before the next try is cut short, not waited out
    assert not thread.is_alive()
    assert rec.state_names()[-1] == "stopped"


def test_truncated_video_reads_what_it_can_then_ends(tmp_path, run_worker):
    video = write_badge_video(tmp_path / "full.avi", [CODES[0], CODES[2]], seconds_per_code=0.5, fps=15,
                              size=SIZE)
    data = video.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[: int(len(data) * 0.4)])
    w, rec = run_worker(str(cut), realtime=False)
    assert wait_for(lambda: rec.state_names()[-1] in ("ended", "no_camera", "reconnecting"))
    assert w.is_alive() or rec.state_names()[-1] == "ended"


def test_camera_that_cannot_be_opened_reports_no_camera(run_worker):
    w, rec = run_worker(97)
    assert wait_for(lambda: "no_camera" in rec.state_names())
    assert "97" in rec.states[-1][1]


def test_camera_unplugged_and_plugged_back_reconnects(tmp_path, run_worker):
    """A fake camera device (the cv2.VideoCapture protocol) that stops delivering, then returns."""
    frame = qr_frame(CODES[0], SIZE)
    plugged = threading.Event()
    plugged.set()

    class FakeCam:
        def isOpened(self):  # noqa: N802
            return plugged.is_set()

        def read(self):
            time.sleep(0.01)
            return (True, frame) if plugged.is_set() else (False, None)

        def get(self, _prop):
            return 0.0

        def set(self, *_):
            return True

        def release(self):
            pass

    opened = []
    w, rec = run_worker(0, opener=lambda _src: opened.append(1) or FakeCam(), debounce_seconds=0.1)
    assert wait_for(lambda: rec.scans)
    plugged.clear()
    assert wait_for(lambda: "reconnecting" in rec.state_names())
    n, tries = len(rec.scans), len(opened)
    assert wait_for(lambda: len(opened) >= tries + 2)  # it tried again, twice, while unplugged
    plugged.set()
    assert wait_for(lambda: rec.state_names().count("running") >= 2)
    assert wait_for(lambda: len(rec.scans) > n)


def test_idle_scene_is_decoded_only_a_few_times_a_second(tmp_path, run_worker):
    video = write_badge_video(tmp_path / "empty.avi", [], seconds_per_code=4.0, fps=30, size=SIZE)
    w, rec = run_worker(str(video), realtime=False)
    assert wait_for(lambda: "ended" in rec.state_names())
    assert w.frames >= 100
    assert w.decodes <= w.frames / 4
    assert rec.scans == []


def test_bad_frames_from_a_source_do_not_stop_the_worker(run_worker):
    frames = [np.zeros((0, 0, 3), np.uint8), np.zeros((1, 1, 3), np.uint8),
              np.zeros((10, 10, 3), np.float64), qr_frame(CODES[2], SIZE)]

    class Odd:
        i = 0

        def isOpened(self):  # noqa: N802
            return True

        def read(self):
            time.sleep(0.01)
            f = frames[min(self.i, len(frames) - 1)]
            self.i += 1
            return True, f

        def get(self, _p):
            return 0.0

        def set(self, *_):
            return True

        def release(self):
            pass

    w, rec = run_worker(0, opener=lambda _s: Odd())
    assert wait_for(lambda: rec.scans)
    assert rec.scans[0].code == CODES[2]


# ---- the Qt side ------------------------------------------------------------------------------

def test_camera_controller_delivers_frames_scans_and_states_on_the_gui_thread(qtbot, tmp_path):
    from PySide6.QtCore import QThread

    from ui.camera import CameraController, PreviewLabel

    video = write_badge_video(tmp_path / "gui.avi", [CODES[0]], seconds_per_code=1.0, fps=15, size=SIZE)
    cam = CameraController(debounce_seconds=30)
    preview = PreviewLabel()
    qtbot.addWidget(preview)
    preview.attach(cam)
    threads = []
    cam.scanned.connect(lambda s: threads.append(QThread.currentThread()))
    try:
        with qtbot.waitSignal(cam.scanned, timeout=10000) as sig:
            cam.start(str(video), *SIZE)
        assert sig.args[0].code == CODES[0]
        assert threads == [QThread.currentThread()]
        with qtbot.waitSignal(cam.frame, timeout=5000) as fsig:
            pass
        image: QImage = fsig.args[0]
        assert (image.width(), image.height()) == SIZE
        assert image.pixelColor(5, 5).isValid()
        qtbot.waitUntil(lambda: preview.pixmap() is not None and not preview.pixmap().isNull())
        assert cam.state == "running"
    finally:
        cam.stop()
    assert not cam.is_running()


def test_preview_shows_a_readable_message_without_a_camera(qtbot, tmp_path):
    from ui.camera import CameraController, PreviewLabel

    cam = CameraController()
    preview = PreviewLabel()
    qtbot.addWidget(preview)
    preview.attach(cam)
    try:
        with qtbot.waitSignal(cam.state_changed, timeout=5000,
                              check_params_cb=lambda s, m: s == "no_camera"):
            cam.start(str(tmp_path / "nope.avi"))
        assert "No camera found" in preview.text()
        assert "USB scanner" in preview.text()
    finally:
        cam.stop()


def test_frame_to_qimage_owns_its_pixels():
    from ui.camera import frame_to_qimage

    frame = np.zeros((20, 30, 3), np.uint8)
    frame[:, :, 2] = 200  # red in BGR
    image = frame_to_qimage(frame[:, :])
    del frame
    assert image.pixelColor(3, 3).red() == 200
    view = np.zeros((40, 60, 3), np.uint8)[::2, ::2]  # strided, not contiguous
    assert frame_to_qimage(view).size().width() == 30
    assert frame_to_qimage(np.zeros((4, 4), np.float32)) is None
    gray = cv2.cvtColor(qr_frame("REG-1", (320, 240), 3), cv2.COLOR_BGR2GRAY)
    assert frame_to_qimage(gray).format() == QImage.Format.Format_Grayscale8


def test_a_badge_only_pyzbar_reads_is_reported_within_a_second_of_camera_frames():
    """Glare on a glossy badge: zxing-cpp cannot read it, so the rescue rotation does, a step a frame."""
    from tests.test_scanner import HARD, _raw_union

    frame, code = HARD[0].values
    assert code in _raw_union(frame)
    frames = [frame] * 40

    class Cam:
        i = 0

        def isOpened(self):  # noqa: N802
            return True

        def read(self):
            if self.i >= len(frames):
                time.sleep(0.01)
                return False, None
            self.i += 1
            return True, frames[self.i - 1]

        def set(self, *_):
            return True

        def release(self):
            pass

    at_scan: list[tuple[str, int]] = []
    # Every frame decoded (no wall-clock throttle), so the count of frames is what is tested.
    w = CaptureWorker(0, opener=lambda _s: Cam(), active_decodes_per_second=1e6, idle_decodes_per_second=1e6,
                      on_scan=lambda scan: at_scan.append((scan.code, w.frames)))
    w.start()
    try:
        assert wait_for(lambda: at_scan)
    finally:
        w.stop()
    assert at_scan[0][0] == code
    assert at_scan[0][1] <= 30  # one second of a 30 fps camera
