"""The camera for the screens: CaptureWorker's callbacks turned into GUI-thread signals, and a preview.

The worker thread converts at most ~15 preview frames a second to QImage (the one copy a frame
gets) and never queues a new one before the GUI took the last, so a slow screen drops frames
instead of piling them up.
"""
from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.capture import CaptureWorker
from kiosk.models import Scan


def frame_to_qimage(frame: np.ndarray) -> QImage | None:
    """BGR or grayscale uint8 array -> an independent QImage (one copy, rows as numpy lays them out)."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim not in (2, 3) or frame.size == 0:
        return None
    if frame.ndim == 3 and frame.shape[2] == 3:
        fmt = QImage.Format.Format_BGR888
    elif frame.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    else:
        return None
    if frame.strides[-1] != (1 if frame.ndim == 2 else 3) or (frame.ndim == 3 and frame.strides[1] != 3):
        frame = np.ascontiguousarray(frame)
    h, w = frame.shape[:2]
    return QImage(frame.data, w, h, frame.strides[0], fmt).copy()


class CameraController(QObject):
    """Runs a CaptureWorker and re-emits what it reports on the GUI thread.

    Signals: frame(QImage) for the preview, scanned(Scan), state_changed(state, message).
    """

    frame = Signal(QImage)
    scanned = Signal(object)
    state_changed = Signal(str, str)

    # Emitted from the worker thread; queued to the slots below on the GUI thread.
    _frame_from_worker = Signal(QImage)
    _scan_from_worker = Signal(object)
    _state_from_worker = Signal(str, str)

    def __init__(self, debounce_seconds: float = 3.0, preview_fps: float = 15.0,
                 parent: QObject | None = None, **worker_options):
        super().__init__(parent)
        self.debounce_seconds = debounce_seconds
        self.preview_period = 1.0 / max(preview_fps, 1.0)
        self.worker_options = worker_options
        self.worker: CaptureWorker | None = None
        self.state = "stopped"
        self._last_preview = 0.0
        self._frame_pending = threading.Event()
        queued = Qt.ConnectionType.QueuedConnection
        self._frame_from_worker.connect(self._deliver_frame, queued)
        self._scan_from_worker.connect(self._deliver_scan, queued)
        self._state_from_worker.connect(self._deliver_state, queued)

    def start(self, source: int | str = 0, width: int = 1280, height: int = 720,
              loop: bool | None = None) -> None:
        """Open the source on the worker thread; files loop unless loop=False (the demo plays a clip)."""
        self.stop()
        parsed = source if isinstance(source, int) else str(source)
        is_file = not (isinstance(parsed, int) or parsed.strip().isdigit())
        self.worker = CaptureWorker(
            parsed, width, height,
            on_frame=self._on_worker_frame,
            on_scan=self._scan_from_worker.emit,
            on_state=self._state_from_worker.emit,
            debounce_seconds=self.debounce_seconds,
            loop=is_file if loop is None else loop,
            **self.worker_options,
        )
        self.worker.start()

    def stop(self) -> None:
        """Stop and join the worker; safe to call twice and from closeEvent."""
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()

    def is_running(self) -> bool:
        return self.worker is not None and self.worker.is_alive()

    # ---- worker thread ------------------------------------------------------------------------
    def _on_worker_frame(self, frame: np.ndarray) -> None:
        now = time.monotonic()
        if self._frame_pending.is_set() or now - self._last_preview < self.preview_period:
            return
        image = frame_to_qimage(frame)
        if image is None:
            return
        self._last_preview = now
        self._frame_pending.set()
        self._frame_from_worker.emit(image)

    # ---- GUI thread ---------------------------------------------------------------------------
    @Slot(QImage)
    def _deliver_frame(self, image: QImage) -> None:
        self._frame_pending.clear()
        self.frame.emit(image)

    @Slot(object)
    def _deliver_scan(self, scan: Scan) -> None:
        self.scanned.emit(scan)

    @Slot(str, str)
    def _deliver_state(self, state: str, message: str) -> None:
        self.state = state
        self.state_changed.emit(state, message)


class PreviewLabel(QLabel):
    """Shows the latest camera frame scaled to fit, or a plain sentence when there is no picture."""

    def __init__(self, parent: QWidget | None = None, can_type: bool = True):
        super().__init__(parent)
        self.can_type = can_type  # the screen has a field to type a code into (self check-in has none)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self.state = "starting"
        self.setText(self.state_text("starting"))

    def attach(self, controller: CameraController) -> None:
        controller.frame.connect(self.set_image)
        controller.state_changed.connect(self.set_state)

    def state_text(self, state: str) -> str:
        if self.can_type:
            no_camera = self.tr("No camera found — scan with the USB scanner or type the code")
            reconnecting = self.tr("Camera disconnected — reconnecting… You can scan with the USB scanner "
                                   "or type the code")
        else:
            no_camera = self.tr("No camera found — scan your badge with the scanner, or ask the staff")
            reconnecting = self.tr("Camera disconnected — reconnecting… You can scan your badge with the "
                                   "scanner, or ask the staff")
        texts = {
            "starting": self.tr("Starting the camera…"),
            "no_camera": no_camera,
            "reconnecting": reconnecting,
            "ended": self.tr("The video has ended"),
            "stopped": self.tr("Camera off"),
        }
        return texts.get(state, "")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and self.state != "running" and self.pixmap().isNull():
            self.setText(self.state_text(self.state) or self.text())  # the message follows a live language switch
        super().changeEvent(event)

    @Slot(QImage)
    def set_image(self, image: QImage) -> None:
        if self.state in ("no_camera", "reconnecting", "ended", "stopped"):
            return  # a late frame after the camera went away must not hide the message
        self._image = image
        self._show()

    @Slot(str, str)
    def set_state(self, state: str, message: str = "") -> None:
        self.state = state
        if state != "running":
            self._image = None
            self.setPixmap(QPixmap())
            self.setText(self.state_text(state) or message)

    def _show(self) -> None:
        if self._image is None or self._image.isNull():
            return
        size: QSize = self.contentsRect().size()
        pix = QPixmap.fromImage(self._image)
        if size.width() > 1 and size.height() > 1:
            pix = pix.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        self.setPixmap(pix)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._show()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - a pixmap must not grow the layout
        return QSize(320, 180)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 360)
