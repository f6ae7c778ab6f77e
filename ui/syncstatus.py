"""The top bar's sync corner: online or offline, records waiting, last sync, first-pull progress.

Thin: it shows the SyncStatus and progress that ui.syncservice.SyncService emits, and
offers the conflict list when offline scans collided (a touch target, not a hover hint).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui import venuetime

PROGRESS_MIN_RECORDS = 2000  # a pull smaller than this is over before a bar would help


def _clock(iso_time: str | None) -> str:
    if not iso_time:
        return ""
    return venuetime.clock(iso_time) if venuetime.at_venue(iso_time) is not None else ""


class SyncStatusWidget(QWidget):
    """Signals:
        conflicts_clicked(): staff asked to see the conflict list.
    """

    conflicts_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.waiting = QLabel()
        self.waiting.setObjectName("syncWaiting")
        self.last = QLabel()
        self.last.setObjectName("syncLast")
        self.clock = QLabel()
        self.clock.setObjectName("syncClock")
        self.clock.setStyleSheet("color: #E65100; font-weight: bold;")
        self.clock.hide()
        self.bar = QProgressBar()
        self.bar.setObjectName("syncProgress")
        self.bar.setFixedWidth(180)
        self.bar.setMinimumHeight(24)
        self.bar.hide()
        self.conflicts = QPushButton()
        self.conflicts.setObjectName("syncConflicts")
        self.conflicts.setMinimumSize(48, 48)
        self.conflicts.clicked.connect(self.conflicts_clicked)
        self.conflicts.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        for w in (self.dot, self.state, self.waiting, self.last, self.clock, self.bar, self.conflicts):
            row.addWidget(w, 0, Qt.AlignmentFlag.AlignVCenter)
        self._status = None
        self._pulling = False
        self.retranslate()

    def retranslate(self) -> None:
        self.bar.setAccessibleName(self.tr("Downloading event data"))
        if self._status is not None:
            self.set_status(self._status)
        else:
            self.state.setText(self.tr("Not connected"))

    def set_status(self, status) -> None:
        """Show a sync.client.SyncStatus."""
        self._status = status
        if not status.enrolled:
            text, colour = self.tr("Stand-alone"), "#757575"
        elif status.online:
            text, colour = self.tr("Online"), "#2E7D32"
        elif status.online is None:
            text, colour = self.tr("Connecting…"), "#F9A825"
        else:
            text, colour = self.tr("Offline"), "#C62828"
        self.state.setText(text)
        self.dot.setStyleSheet(f"color: {colour}; font-size: 22px;")
        self.waiting.setText(self.tr("%n waiting", "", status.pending) if status.pending else "")
        self.waiting.setVisible(bool(status.pending))
        clock = _clock(status.last_sync)
        self.last.setText(self.tr("Synced %1").replace("%1", clock) if clock else "")
        self.last.setVisible(bool(clock))
        skew = getattr(status, "clock_skew", None)
        minutes = round(abs(skew) / 60) if skew else 0
        self.clock.setText(self.tr("Clock %n min off: set the time", "", minutes) if skew else "")
        self.clock.setVisible(bool(skew))
        n = status.conflicts_unseen  # English has no plural catalogue: "%n conflicts" would say "1 conflicts"
        self.conflicts.setText(self.tr("1 conflict") if n == 1 else self.tr("%n conflicts", "", n))
        self.conflicts.setVisible(status.conflicts_unseen > 0)
        if self._pulling and status.online is not None:
            self._pulling = False
            self.bar.hide()
        self.setToolTip(status.last_error or "")

    def set_progress(self, done: int, total: int) -> None:
        """A long first pull shows a bar; short incremental pulls do not flash one."""
        if total < PROGRESS_MIN_RECORDS or done >= total:
            self.bar.hide()
            self._pulling = False
            return
        self._pulling = True
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.bar.setFormat(self.tr("Downloading %p%"))
        self.bar.show()
