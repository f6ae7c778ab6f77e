"""Conflict list for staff: offline scans that, once uploaded, collided with another device's.

Each row says who, at which point, on which device and when, and what it collided with
(the other device and its time, or the badge's cancellation and why), so staff can decide
whether a badge was shared or a cancelled one was used. Marking
rows as seen only dims them; nothing is deleted (the records are the truth of the door).
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from ui import venuetime

ROW_HEIGHT = 96


def _time(iso_time: str) -> str:
    return venuetime.clock(iso_time, seconds=True)


class ConflictList(QWidget):
    """Signals:
        mark_seen(list): ids of conflicts staff acknowledged (SyncService.mark_seen).
        back(): leave the screen.
    """

    mark_seen = Signal(list)
    back = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictList")
        self.title = QLabel()
        self.title.setObjectName("screenTitle")
        f = QFont(self.title.font())
        f.setPointSize(max(f.pointSize(), 20))
        f.setBold(True)
        self.title.setFont(f)
        self.empty = QLabel()
        self.empty.setObjectName("conflictsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setWordWrap(True)
        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.seen_selected = QPushButton()
        self.seen_all = QPushButton()
        self.back_button = QPushButton()
        for b in (self.seen_selected, self.seen_all, self.back_button):
            b.setMinimumHeight(64)
            b.setMinimumWidth(160)
        self.seen_selected.clicked.connect(self._mark_selected)
        self.seen_all.clicked.connect(self._mark_all)
        self.back_button.clicked.connect(self.back)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.seen_selected)
        buttons.addWidget(self.seen_all)
        col = QVBoxLayout(self)
        col.setContentsMargins(32, 24, 32, 24)
        col.setSpacing(16)
        col.addWidget(self.title)
        col.addWidget(self.empty)
        col.addWidget(self.list, 1)
        col.addLayout(buttons)
        self._items: list = []
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Scan conflicts"))
        self.empty.setText(self.tr("No conflicts: every offline scan matched the other devices."))
        self.seen_selected.setText(self.tr("Mark selected as seen"))
        self.seen_all.setText(self.tr("Mark all as seen"))
        self.back_button.setText(self.tr("Back"))
        self.set_items(self._items)

    def set_items(self, items: list) -> None:
        """Show sync.client.ConflictItem rows; unseen first."""
        self._items = list(items)
        self.list.clear()
        for c in self._items:
            if c.reason == "revoked":
                text = self.tr("%1 — let in at %2 with a cancelled badge\n%3 at %4; the badge was cancelled "
                               "at %5 (%6)")
                values = (c.name or c.attendee_id, c.point, c.device, _time(c.at), _time(c.other_at),
                          self._revocation(c.revocation))
            else:
                text = self.tr("%1 — entered twice at %2\n%3 at %4, and %5 at %6 (%7)")
                values = (c.name or c.attendee_id, c.point, c.device, _time(c.at), c.other_device,
                          _time(c.other_at), self._reason(c.reason))
            for i, value in reversed(list(enumerate(values, start=1))):
                text = text.replace(f"%{i}", value)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setSizeHint(QSize(0, ROW_HEIGHT))
            if c.seen:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        self.empty.setVisible(not self._items)
        unseen = any(not c.seen for c in self._items)
        self.seen_all.setEnabled(unseen)
        self.seen_selected.setEnabled(unseen)

    def _reason(self, reason: str) -> str:
        return {"already_checked_in": self.tr("already checked in"),
                "revoked": self.tr("badge cancelled")}.get(reason, reason)

    def _revocation(self, why: str) -> str:
        """Why the badge had been cancelled, in words (the revocation's machine reason)."""
        return {"lost": self.tr("reported lost"),
                "reprinted": self.tr("an older badge: a new one was printed"),
                "cancelled": self.tr("registration cancelled")}.get(why, self.tr("revoked by the organisers"))

    def _mark_selected(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.list.selectedItems()]
        if ids:
            self.mark_seen.emit(ids)

    def _mark_all(self) -> None:
        ids = [c.id for c in self._items if not c.seen]
        if ids:
            self.mark_seen.emit(ids)
