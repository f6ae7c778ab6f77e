"""The "still there?" card shown over the screen a few seconds before an idle reset.

It counts down the seconds left; any touch (the idle watcher sees it) takes it away and keeps
the screen as it was.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui import theme


CARD_WIDTH, CARD_MARGIN = 760, 48


class IdleWarning(QWidget):
    """A dimmed layer over the whole window with a card in the middle."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("idleWarning")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#idleWarning { background: rgba(0, 0, 0, 110); }"
                           "QFrame#idleCard { background: #ffffff; border-radius: 16px; }")
        card = QFrame(self)
        card.setObjectName("idleCard")
        self.title = theme.role_label("big")
        self.title.setObjectName("idleTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = theme.role_label()
        self.body.setObjectName("idleBody")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(CARD_MARGIN, 40, CARD_MARGIN, 40)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        card.setFixedWidth(CARD_WIDTH)
        self.left = 0
        self.tick = QTimer(self)
        self.tick.setObjectName("idle-warning-countdown")
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._count)
        self.hide()

    def warn(self, seconds: int) -> None:
        """Show the card, counting down from seconds."""
        self.left = int(seconds)
        self.retranslate()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.tick.start()

    def dismiss(self) -> None:
        self.tick.stop()
        self.hide()

    def _count(self) -> None:
        self.left = max(0, self.left - 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Still there?"))
        self.body.setText(self.tr("This screen starts over in %1 s. Touch the screen to carry on.")
                          .replace("%1", str(self.left)))
        # a wrapped label in a fixed-width card: its height for that width, or the last line is cut
        self.body.setMinimumHeight(self.body.heightForWidth(CARD_WIDTH - 2 * CARD_MARGIN))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
