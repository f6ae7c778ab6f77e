"""Self check-in: the visitor holds their badge to the camera; no staff nearby.

States: the prompt (with the camera's picture when there is one), "checking…", and the
result. `ok` greets the person by name with their next sessions; a repeat entry greets
them too and says when they first came in; every refusal says in plain words what to do
("Please go to the registration desk") and shows the verdict's short hand-off code large
and as a QR code the desk can scan (kiosk.handoff.HANDOFF_PREFIX + code) or type.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout,
                               QWidget)

from kiosk.handoff import HANDOFF_PREFIX
from kiosk.models import Status, Verdict
from ui import theme
from ui.agenda import clock_text
from ui.camera import PreviewLabel
from ui.phoneqr import QrLabel
from ui.verdict import VerdictIcon, headline, local_time

RESULT_SECONDS = 30


def _label(px: int, bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    font = theme.app_font()
    font.setPixelSize(px)
    font.setBold(bold)
    label.setFont(font)
    return label


def what_to_do(status: Status) -> str:
    """Plain words for a visitor alone at a kiosk: where to go next."""
    if status is Status.UNKNOWN:
        return QCoreApplication.translate("SelfCheckin", "We could not read this as one of our badges. Please go "
                                          "to the registration desk and show them the code below.")
    if status is Status.FORGED:
        return QCoreApplication.translate("SelfCheckin", "This badge could not be verified. Please go to the "
                                          "registration desk and show them the code below.")
    if status is Status.REVOKED:
        return QCoreApplication.translate("SelfCheckin", "This badge is no longer valid, perhaps because a new "
                                          "one was printed. Please go to the registration desk and show them "
                                          "the code below.")
    if status is Status.WRONG_EVENT:
        return QCoreApplication.translate("SelfCheckin", "This badge is for a different event. Please go to the "
                                          "registration desk and show them the code below.")
    if status is Status.NOT_ALLOWED:
        return QCoreApplication.translate("SelfCheckin", "Your badge does not admit you here. Please go to the "
                                          "registration desk and show them the code below.")
    return QCoreApplication.translate("SelfCheckin", "Please go to the registration desk and show them the code "
                                      "below.")


class SelfCheckinPage(QWidget):
    """Signals:
        done(): the visitor tapped "Done" (or the result timed out): back to the start.
    """

    done = Signal()

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("selfCheckinPage")
        self.services = services
        self.verdict: Verdict | None = None
        self.rooms: dict = {}  # room id -> Room, to say where the next sessions are
        self.state = "prompt"  # prompt | working | result
        self.timer = QTimer(self)
        self.timer.setObjectName("selfcheckin-timeout")
        self.timer.setSingleShot(True)
        self.timer.setInterval(RESULT_SECONDS * 1000)
        self.timer.timeout.connect(self.done)
        self.pages = QStackedWidget()

        # prompt
        self.prompt = QWidget()
        self.prompt_title = _label(40, bold=True)
        self.prompt_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt_text = _label(28)
        self.prompt_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview = None
        camera = getattr(services, "camera", None)
        p_col = QVBoxLayout(self.prompt)
        p_col.setContentsMargins(40, 30, 40, 30)
        p_col.setSpacing(24)
        p_col.addWidget(self.prompt_title)
        p_col.addWidget(self.prompt_text)
        if camera is not None:
            self.preview = PreviewLabel(can_type=False)
            self.preview.setObjectName("selfCheckinPreview")
            self.preview.attach(camera)
            p_col.addWidget(self.preview, 1)
        else:
            p_col.addStretch(1)

        # working
        self.working = _label(36, bold=True)
        self.working.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # result
        self.result = QFrame()
        self.result.setObjectName("checkinResult")
        self.band = QFrame()
        self.band.setObjectName("resultBand")
        self.icon = VerdictIcon()
        self.icon.setFixedSize(150, 150)
        self.headline = _label(48, bold=True)
        self.headline.setObjectName("resultHeadline")
        self.name = _label(40, bold=True)
        self.name.setObjectName("resultName")
        band_text = QVBoxLayout()
        band_text.addWidget(self.headline)
        band_text.addWidget(self.name)
        band_row = QHBoxLayout(self.band)
        band_row.setContentsMargins(40, 24, 40, 24)
        band_row.setSpacing(30)
        band_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        band_row.addLayout(band_text, 1)
        self.message = _label(28)
        self.message.setObjectName("resultMessage")
        self.sessions_title = _label(30, bold=True)
        self.sessions = _label(26)
        self.sessions.setObjectName("resultSessions")
        self.sessions.setTextFormat(Qt.TextFormat.RichText)
        self.handoff_title = _label(26)
        self.handoff = _label(96, bold=True)
        self.handoff.setObjectName("handoffCode")
        self.handoff.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.handoff.setStyleSheet("letter-spacing: 12px; background: #ffffff; border: 4px solid #1b1f24;"
                                   " border-radius: 16px; padding: 8px 24px;")
        self.handoff_qr = QrLabel(240)
        self.handoff_qr.setObjectName("handoffQr")
        handoff_row = QHBoxLayout()
        handoff_row.setSpacing(40)
        handoff_row.addStretch(1)
        handoff_row.addWidget(self.handoff, 0, Qt.AlignmentFlag.AlignVCenter)
        handoff_row.addWidget(self.handoff_qr, 0, Qt.AlignmentFlag.AlignVCenter)
        handoff_row.addStretch(1)
        self.handoff_box = QWidget()
        hb = QVBoxLayout(self.handoff_box)
        hb.setContentsMargins(0, 0, 0, 0)
        hb.addWidget(self.handoff_title)
        hb.addLayout(handoff_row)
        self.done_button = QPushButton()
        self.done_button.setObjectName("checkinDone")
        self.done_button.setProperty("primary", True)
        self.done_button.setStyleSheet("min-width: 360px; min-height: 88px; font-size: 28pt;")
        self.done_button.clicked.connect(self.done)
        body = QVBoxLayout()
        body.setContentsMargins(40, 24, 40, 24)
        body.setSpacing(18)
        for w in (self.message, self.sessions_title, self.sessions, self.handoff_box):
            body.addWidget(w)
        body.addStretch(1)
        body.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignHCenter)
        r_col = QVBoxLayout(self.result)
        r_col.setContentsMargins(0, 0, 0, 0)
        r_col.setSpacing(0)
        r_col.addWidget(self.band)
        r_col.addLayout(body, 1)

        for w in (self.prompt, self.working, self.result):
            self.pages.addWidget(w)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pages)
        self.retranslate()

    # -- states -----------------------------------------------------------------------------
    def show_prompt(self) -> None:
        self.state, self.verdict = "prompt", None
        self.timer.stop()
        self.pages.setCurrentWidget(self.prompt)

    def show_working(self) -> None:
        self.state = "working"
        self.pages.setCurrentWidget(self.working)

    def show_verdict(self, verdict: Verdict) -> None:
        self.state, self.verdict = "result", verdict
        self._render()
        self.pages.setCurrentWidget(self.result)
        self.timer.start()
        self.services.sounds.play("ok" if verdict.status.accepted else "refuse")

    def show_error(self, text: str) -> None:
        self.state = "result"
        self.verdict = None
        self.band.setStyleSheet("#resultBand { background: #4a4f57; }")
        self.icon.set_kind("question", "#ffffff")
        self.headline.setStyleSheet("color: #ffffff;")
        self.headline.setText(self.tr("Something went wrong"))
        self.name.setText("")
        self.message.setText(text + "\n" + self.tr("Please go to the registration desk."))
        for w in (self.sessions_title, self.sessions, self.handoff_box):
            w.hide()
        self.pages.setCurrentWidget(self.result)
        self.timer.start()

    def reset(self) -> None:
        self.show_prompt()

    # -- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.prompt_title.setText(self.tr("Check in with your badge"))
        self.prompt_text.setText(self.tr("Hold the QR code on your badge up to the camera.") if self.preview is not None
                                 else self.tr("Hold the QR code on your badge under the scanner."))  # no camera here
        self.working.setText(self.tr("Checking your badge…"))
        self.done_button.setText(self.tr("Done"))
        if self.state == "result" and self.verdict is not None:
            self._render()

    def _person_name(self) -> str:
        who = self.verdict.attendee if self.verdict else None
        if who is None:
            return ""
        if who.name_zh and who.name_zh != who.name:
            return f"{who.name_zh}  {who.name}" if self.services.zh else f"{who.name}  {who.name_zh}"
        return who.name

    def _render(self) -> None:
        v = self.verdict
        style = theme.VERDICT_STYLES.get(v.status.value, theme.VERDICT_STYLES["unknown"])
        self.band.setStyleSheet(f"#resultBand {{ background: {style.background}; }}")
        self.icon.set_kind(style.icon, style.foreground)
        for lab in (self.headline, self.name):
            lab.setStyleSheet(f"color: {style.foreground};")
        name = self._person_name()
        self.name.setText(name)
        self.name.setVisible(bool(name))
        welcome = v.status in (Status.OK, Status.ALREADY_CHECKED_IN)
        if v.status is Status.OK:
            self.headline.setText(self.tr("Welcome!") if name else headline(v))
            self.message.setText(self.tr("You are checked in. Enjoy the forum."))
        elif v.status is Status.ALREADY_CHECKED_IN:
            self.headline.setText(self.tr("Welcome back!"))
            when = local_time(v.previous_time) if v.previous_time else ""
            text = self.tr("You are already checked in (since %1).").replace("%1", when) if when \
                else self.tr("You are already checked in.")
            self.message.setText(text + "\n" + self.tr("If that was not you, please go to the registration desk."))
        else:
            self.headline.setText(headline(v))
            self.message.setText(what_to_do(v.status))
        self._sessions(welcome)
        show_code = not welcome and bool(v.handoff)
        self.handoff_box.setVisible(show_code)
        if show_code:
            self.handoff_title.setText(self.tr("Your hand-off code for the desk:"))
            self.handoff.setText(v.handoff)
            self.handoff_qr.set_payload(HANDOFF_PREFIX + v.handoff)

    def _sessions(self, welcome: bool) -> None:
        v = self.verdict
        items = v.next_sessions if welcome else ()
        self.sessions_title.setVisible(bool(items))
        self.sessions.setVisible(bool(items))
        if not items:
            return
        self.sessions_title.setText(self.tr("Your next sessions"))
        rooms = self.rooms
        zh = self.services.zh
        rows = []
        for s in items:
            title = (s.title_zh or s.title) if zh else s.title
            room = rooms.get(s.room_id)
            where = ((room.name_zh or room.name) if zh else room.name) if room else ""
            rows.append(f"<tr><td style='padding-right:24px'><b>{clock_text(s.starts_at)}</b></td>"
                        f"<td><b>{_esc(title)}</b>" + (f"<br><span style='color:{theme.MUTED}'>{_esc(where)}"
                                                       f"</span>" if where else "") + "</td></tr>")
        self.sessions.setText("<table cellspacing='6'>" + "".join(rows) + "</table>")

    def texts(self) -> str:
        """What the result says now, for tests."""
        labels = (self.headline, self.name, self.message, self.sessions_title, self.sessions, self.handoff)
        return "\n".join(lab.text() for lab in labels if lab.isVisibleTo(self) and lab.text())


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
