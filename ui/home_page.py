"""The attendee kiosk's home page: three large choices (map, agenda, check-in)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.attendee_layout import is_landscape


class HomePage(QWidget):
    """Three large choices. Signals: chosen(str) with "map", "agenda" or "checkin"."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attendeeHome")
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.row.setSpacing(32)
        for key, colour in (("map", "#0b5cad"), ("agenda", "#6a3d9a"), ("checkin", "#1e7b34")):
            b = QPushButton()
            b.setObjectName(f"home-{key}")
            b.setMinimumSize(300, 220)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.setStyleSheet(f"QPushButton {{ background: {colour}; color: #ffffff; border: none; border-radius: 24px;"
                            f" font-size: 34pt; font-weight: bold; padding: 24px; }}"
                            f" QPushButton:pressed {{ background: #1b1f24; }}")
            b.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.buttons[key] = b
            self.row.addWidget(b)
        column = QVBoxLayout(self)
        column.setContentsMargins(48, 40, 48, 48)
        column.setSpacing(40)
        column.addWidget(self.title)
        column.addLayout(self.row, 1)
        self.retranslate()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.row.setDirection(QBoxLayout.Direction.LeftToRight if is_landscape(self.width(), self.height())
                              else QBoxLayout.Direction.TopToBottom)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome! What would you like to do?"))
        self.buttons["map"].setText(self.tr("Find exhibitors\nHall map"))
        self.buttons["agenda"].setText(self.tr("Agenda\nNow and next"))
        self.buttons["checkin"].setText(self.tr("Check in\nShow your badge"))
