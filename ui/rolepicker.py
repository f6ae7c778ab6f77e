"""First start: what is this device? Three big buttons, one per role."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.screen import Screen


class RolePicker(Screen):
    """Signals:
        role_chosen(str): attendee | desk | exhibitor.
    """

    role_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # top to bottom on a portrait totem
        row.setSpacing(40)
        self.row = row
        for role in ("attendee", "desk", "exhibitor"):
            button = QPushButton()
            button.setObjectName(f"role-{role}")
            button.clicked.connect(lambda _=False, r=role: self.role_chosen.emit(r))
            self.buttons[role] = button
            row.addWidget(button)
        self._text_size = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(80, 60, 80, 60)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.subtitle)
        column.addSpacing(40)
        column.addLayout(row)
        column.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("What is this kiosk for?"))
        self.subtitle.setText(self.tr("Choose once; staff can change it later in the settings."))
        self.buttons["attendee"].setText(self.tr("Attendee kiosk\nmap, agenda, self check-in"))
        self.buttons["desk"].setText(self.tr("Check-in desk\nstaff scan and search"))
        self.buttons["exhibitor"].setText(self.tr("Exhibitor\nlead capture at a booth"))
        self._fit_text()

    def _fit_text(self) -> None:
        """The largest text size (28 pt down to 14) at which every line fits its button: side by side
        on a 1280 px screen the buttons are a third as wide as the lines at 28 pt."""
        across = self.row.direction() == QBoxLayout.Direction.LeftToRight
        count = len(self.buttons) if across else 1
        room = (self.width() - 160 - (self.row.spacing() * (count - 1))) // count - 56
        lines = [line for b in self.buttons.values() for line in b.text().split("\n")]
        size = 28
        while size > 14:
            font = QFont(self.font())
            font.setPointSize(size)
            if max(QFontMetrics(font).horizontalAdvance(line) for line in lines) <= room:
                break
            size -= 2
        if size != self._text_size:
            self._text_size = size
            for b in self.buttons.values():
                b.setStyleSheet(f"font-size: {size}pt; min-height: 240px; min-width: 260px;")

    def _follow_shape(self) -> None:
        """Stack the buttons on a portrait totem: judged by the screen as well as by this widget,
        because the side-by-side buttons would otherwise hold the window wider than the screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        portrait = self.height() > self.width() or (screen is not None and screen.height() > screen.width())
        self.row.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)

    def showEvent(self, event) -> None:
        self._follow_shape()
        super().showEvent(event)

    def resizeEvent(self, event) -> None:
        self._follow_shape()
        self._fit_text()
        super().resizeEvent(event)
