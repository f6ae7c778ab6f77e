"""The last scan's result on the lead capture screen: big, coloured, with a way to the new lead."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.models import Lead, Verdict
from ui import theme
from ui.lead_texts import capture_texts
from ui.names import both_names
from ui.verdict import VerdictIcon


class CapturePanel(QFrame):
    """The last scan's result, big and coloured, with a shortcut to the new lead's editor.

    Signals: open_lead(str lead_id).
    """

    open_lead = Signal(str)

    def __init__(self, seconds: int = 8, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("capturePanel")
        self.verdict: Verdict | None = None
        self.lead: Lead | None = None
        self.icon = VerdictIcon()
        self.icon.setFixedSize(120, 120)
        self.headline = self._text(36, True)
        self.step = self._text(18)
        self.name = self._text(30, True)
        self.organisation = self._text(22)
        self.notes_button = QPushButton()
        self.notes_button.setObjectName("captureNotes")
        self.notes_button.clicked.connect(lambda: self.lead and self.open_lead.emit(self.lead.id))
        text = QVBoxLayout()
        for w in (self.headline, self.name, self.organisation, self.step):
            text.addWidget(w)
        text.addWidget(self.notes_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 18, 24, 18)
        row.setSpacing(24)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.timer = QTimer(self)
        self.timer.setObjectName("capture-timer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, seconds) * 1000 * 2)  # longer than a desk card: staff read then tap
        self.timer.timeout.connect(self.clear)
        self.hide()

    @staticmethod
    def _text(points: int, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        font = theme.app_font(points)
        font.setBold(bold)
        label.setFont(font)
        return label

    def show_capture(self, verdict: Verdict, lead: Lead | None) -> None:
        self.verdict, self.lead = verdict, lead
        self.retranslate()
        self.show()
        self.timer.start()

    def clear(self) -> None:
        self.timer.stop()
        self.verdict = self.lead = None
        for w in (self.headline, self.step, self.name, self.organisation):
            w.clear()
        self.hide()

    def texts(self) -> list[str]:
        return [w.text() for w in (self.headline, self.name, self.organisation, self.step)
                if w.text() and not w.isHidden()]

    def retranslate(self) -> None:
        self.notes_button.setText(self.tr("Add notes"))
        v = self.verdict
        if v is None:
            return
        style = theme.VERDICT_STYLES.get(v.status.value, theme.VERDICT_STYLES["unknown"])
        self.setStyleSheet(f"#capturePanel {{ background: {style.background}; border-radius: 14px; }} "
                           f"#capturePanel QLabel {{ color: {style.foreground}; }}")
        self.icon.set_kind(style.icon, style.foreground)
        title, step = capture_texts(v, self.lead)
        self.headline.setText(title)
        self.step.setText(step)
        person = v.attendee
        name = both_names(person.name, person.name_zh) if person is not None else ""
        self.name.setText(name)
        self.name.setVisible(bool(name))
        self.organisation.setText(person.organisation if person else "")
        self.organisation.setVisible(bool(person and person.organisation))
        self.notes_button.setVisible(self.lead is not None)
