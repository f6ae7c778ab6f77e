"""Self-service badge printing: "Is this you?" → the badge prints → "Take your badge".

Shown after a scan the kiosk accepted when it prints badges (Config.self_print). The confirm
step shows only the name (both languages) and the organisation: no e-mail, no phone, since the
next person in the queue reads the screen too. Everything about the person is wiped when the
badge is out, on "Done", and on idle (reset). "Not me / fix my name" gives a hand-off code for
the desk, as refusals do. A person who already has a badge gets another only after staff type
the PIN here (or at the desk). A queue that cannot print says so plainly; the check-in stands.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk import pin
from kiosk.handoff import HANDOFF_PREFIX
from kiosk.identify import utcnow
from kiosk.models import Verdict
from kiosk.selfprint import PrintPlan, QueueState, not_me, plan
from ui.admin import PinPad
from ui.agenda import clock_text
from ui.phoneqr import QrLabel
from ui.selfcheckin import _label
from ui.selfprint import KioskPrinter, Printed

RESULT_SECONDS = 20  # "Take your badge" and the other endings go back to the start by themselves


def _button(name: str, primary: bool = False) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setProperty("primary", primary)
    button.setMinimumSize(360, 96)
    button.setStyleSheet("font-size: 26pt; padding: 8px 28px;")
    return button


class SelfPrintPage(QWidget):
    """Signals:
        done(): back to the start (the visitor finished, or the page timed out).
        map_requested(): the visitor wants the hall map.
        unprintable(object Verdict): the person cannot print here (not in the list): show the plain result.
    """

    done = Signal()
    map_requested = Signal()
    unprintable = Signal(object)

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("selfPrintPage")
        self.services = services
        self.rooms: dict = {}
        self.verdict: Verdict | None = None
        self.plan: PrintPlan | None = None
        self.state = "idle"  # idle | loading | confirm | printing | taken | cannot | staff | notme
        self.printer = KioskPrinter(services, self)
        self.printer.printed.connect(self._printed)
        self.printer.cannot_print.connect(self._cannot_print)
        self._seq = 0
        self._first = None  # the first session, kept for "Take your badge" once the plan is wiped
        self.timer = QTimer(self)
        self.timer.setObjectName("selfprint-timeout")
        self.timer.setSingleShot(True)
        self.timer.setInterval(RESULT_SECONDS * 1000)
        self.timer.timeout.connect(self.finish)
        self.pages = QStackedWidget()

        # one message page serves "printing…", "take your badge", "cannot print", "not me"
        self.title = _label(48, bold=True)
        self.title.setObjectName("selfPrintTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = _label(56, bold=True)
        self.name.setObjectName("selfPrintName")
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name_second = _label(40)
        self.name_second.setObjectName("selfPrintNameSecond")
        self.name_second.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.organisation = _label(32)
        self.organisation.setObjectName("selfPrintOrganisation")
        self.organisation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = _label(30)
        self.message.setObjectName("selfPrintMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_step = _label(30)
        self.next_step.setObjectName("selfPrintNext")
        self.next_step.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.handoff = _label(96, bold=True)
        self.handoff.setObjectName("selfPrintHandoff")
        self.handoff.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.handoff.setStyleSheet("letter-spacing: 12px; background: #ffffff; border: 4px solid #1b1f24;"
                                   " border-radius: 16px; padding: 8px 24px;")
        self.handoff_qr = QrLabel(240)
        self.handoff_qr.setObjectName("selfPrintHandoffQr")
        self.yes = _button("thisIsMe", primary=True)
        self.yes.clicked.connect(self.confirm)
        self.no = _button("notMe")
        self.no.clicked.connect(self.reject)
        self.staff = _button("staffReprint")
        self.staff.clicked.connect(self._ask_pin)
        self.map_button = _button("selfPrintMap")
        self.map_button.clicked.connect(self._open_map)
        self.done_button = _button("selfPrintDone", primary=True)
        self.done_button.clicked.connect(self.finish)
        self.message_page = QWidget()
        col = QVBoxLayout(self.message_page)
        col.setContentsMargins(40, 30, 40, 30)
        col.setSpacing(22)
        col.addStretch(1)
        for w in (self.title, self.name, self.name_second, self.organisation, self.message, self.next_step):
            col.addWidget(w)
        code_row = QHBoxLayout()
        code_row.addStretch(1)
        code_row.addWidget(self.handoff)
        code_row.addSpacing(40)
        code_row.addWidget(self.handoff_qr)
        code_row.addStretch(1)
        col.addLayout(code_row)
        col.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setSpacing(30)
        buttons.addStretch(1)
        for b in (self.no, self.staff, self.map_button, self.yes, self.done_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        col.addLayout(buttons)

        # staff PIN for a second badge
        self.pad = PinPad()
        self.pad.setObjectName("selfPrintPin")
        self.pad.entered.connect(self._check_pin)
        self.pad.cancel.clicked.connect(self._pin_cancelled)
        for w in (self.message_page, self.pad):
            self.pages.addWidget(w)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.pages)
        self.clear()

    # -- the flow ---------------------------------------------------------------------------
    def start(self, verdict: Verdict, code: str) -> None:
        """An accepted scan: find the person's badge, then ask "Is this you?"."""
        self.clear()
        self._seq += 1
        seq = self._seq
        self.verdict, self.state = verdict, "loading"
        self._show(title=self.tr("One moment…"))
        self.services.tasks.run_db(lambda s: plan(s, verdict, code), lambda p: self._planned(seq, verdict, p),
                                   lambda exc: self._planned(seq, verdict, None))

    def _planned(self, seq: int, verdict: Verdict, found: PrintPlan | None) -> None:
        if seq != self._seq:
            return  # the visitor left (idle) or scanned again meanwhile
        if found is None:
            self.clear()
            self.unprintable.emit(verdict)
            return
        self.plan, self.state = found, "confirm"
        self._render()

    def confirm(self) -> None:
        """ "This is me": print, unless they have a badge already (then staff decide)."""
        if self.plan is None or self.state != "confirm":
            return
        if self.plan.needs_staff:
            self.state = "staff"
            self._render()
            return
        self._print()

    def reject(self) -> None:
        """ "Not me / fix my name": a hand-off code for the desk; nothing prints."""
        if self.verdict is None or self.state != "confirm":
            return
        verdict, ctx, now, seq = self.verdict, self.services.context, utcnow(), self._seq
        self._forget_person()
        self.state = "notme"
        self._render()
        self.services.tasks.run_db(lambda s: not_me(s, verdict, ctx, now), lambda code: self._handoff(seq, code))

    def _handoff(self, seq: int, code: str) -> None:
        if seq == self._seq and self.state == "notme":
            self.services.checkins.local_record()
            self.handoff.setText(code)
            self.handoff.show()
            self.handoff_qr.set_payload(HANDOFF_PREFIX + code)
            self.handoff_qr.show()

    def _print(self) -> None:
        self.state = "printing"
        self._render()
        self.printer.print_plan(self.plan)

    def _printed(self, job: Printed) -> None:
        if self.state != "printing":
            return
        self._first = self.plan.first_session if self.plan else None
        self._forget_person()  # the badge is out: nothing about the person stays on screen
        self.state = "taken"
        self._render()
        self.services.sounds.play("ok")

    def _cannot_print(self, state: QueueState) -> None:
        if self.state != "printing":
            return
        self._forget_person()
        self.state = "cannot"
        self._render()
        self.services.sounds.play("refuse")

    # -- staff PIN --------------------------------------------------------------------------
    def _ask_pin(self) -> None:
        self.pad.display.clear()
        self.pad.message.clear()
        self.pad.title.setText(self.tr("Staff: PIN to print another badge"))
        self.pages.setCurrentWidget(self.pad)
        self.timer.start()

    def _check_pin(self, text: str) -> None:
        self.pad.set_locked(True)
        seq = self._seq
        self.services.tasks.run_db(lambda s: pin.verify(s, text), lambda r: self._pin_result(seq, r))

    def _pin_result(self, seq: int, result: pin.PinResult) -> None:
        self.pad.set_locked(False)
        if seq != self._seq or self.plan is None:
            return
        if result.ok:
            self._print()
            return
        self.pad.message.setText(self.tr("Wrong PIN.") if result.wait_seconds <= 0 else
                                 self.tr("Too many tries. Wait %1 seconds.").replace("%1",
                                                                                     str(round(result.wait_seconds))))

    def _pin_cancelled(self) -> None:
        self._render()

    # -- endings ----------------------------------------------------------------------------
    def _open_map(self) -> None:
        self.clear()
        self.map_requested.emit()

    def finish(self) -> None:
        self.clear()
        self.done.emit()

    def clear(self) -> None:
        """Forget the person: after the badge is out, on "Done", and on idle."""
        self._seq += 1
        self.timer.stop()
        self.plan, self.verdict, self.state, self._first = None, None, "idle", None
        for lab in (self.title, self.name, self.name_second, self.organisation, self.message, self.next_step,
                    self.handoff):
            lab.clear()
        self.handoff_qr.set_payload("")
        self.pad.display.clear()
        self.pad.message.clear()
        self._render()

    def reset(self) -> None:
        self.clear()

    def _forget_person(self) -> None:
        self.plan, self.verdict = None, None
        for lab in (self.name, self.name_second, self.organisation):
            lab.clear()

    # -- drawing ----------------------------------------------------------------------------
    def _show(self, title: str = "", message: str = "", next_step: str = "", buttons: tuple = ()) -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.next_step.setText(next_step)
        for lab in (self.title, self.message, self.next_step):
            lab.setVisible(bool(lab.text()))
        for b in (self.yes, self.no, self.staff, self.map_button, self.done_button):
            b.setVisible(b in buttons)
        showing_person = self.state in ("confirm", "staff")
        for lab in (self.name, self.name_second, self.organisation):
            lab.setVisible(showing_person and bool(lab.text()))
        self.handoff.setVisible(self.state == "notme" and bool(self.handoff.text()))
        self.handoff_qr.setVisible(self.handoff.isVisible())
        self.pages.setCurrentWidget(self.message_page)
        if self.state in ("taken", "cannot", "notme", "staff", "confirm"):
            self.timer.start()

    def _person(self) -> None:
        a = self.plan.attendee if self.plan else None
        if a is None:
            return
        first, second = (a.name_zh, a.name) if self.services.zh and a.name_zh else (a.name, a.name_zh)
        self.name.setText(first)
        self.name_second.setText(second if second != first else "")
        self.organisation.setText(a.organisation)

    def _render(self) -> None:
        s = self.state
        if s in ("confirm", "staff"):
            self._person()
        if s == "confirm":
            self._show(self.tr("Is this you?"), self.tr("Your badge prints when you tap \"This is me\"."),
                       buttons=(self.no, self.yes))
        elif s == "staff":
            self._show(self.tr("Your badge was printed already"),
                       self.tr("A member of staff can print another one here, or please go to the registration "
                               "desk."), buttons=(self.staff, self.done_button))
        elif s == "printing":
            self._show(self.tr("Printing your badge…"))
        elif s == "taken":
            self._show(self.tr("Take your badge"), self.tr("You are checked in. Enjoy the forum."),
                       self._where_next(self._first), buttons=(self.map_button, self.done_button))
        elif s == "cannot":
            self._show(self.tr("This kiosk cannot print just now"),
                       self.tr("You are checked in. Please use the next kiosk or the registration desk for your "
                               "badge."), buttons=(self.done_button,))
        elif s == "notme":
            self._show(self.tr("Please go to the registration desk"),
                       self.tr("Show them the code below; they will fix your name and print your badge."),
                       buttons=(self.done_button,))
        elif s == "loading":
            self._show(self.tr("One moment…"))
        else:
            self._show()

    def _where_next(self, session) -> str:
        if session is None:
            return self.tr("The hall map shows where everything is.")
        zh = self.services.zh
        title = (session.title_zh or session.title) if zh else session.title
        room = self.rooms.get(session.room_id)
        where = ((room.name_zh or room.name) if zh else room.name) if room else ""
        text = self.tr("Your first session: %1 at %2").replace("%1", title).replace("%2",
                                                                                     clock_text(session.starts_at))
        return text + (" · " + where if where else "")

    def retranslate(self) -> None:
        self.yes.setText(self.tr("This is me"))
        self.no.setText(self.tr("Not me / fix my name"))
        self.staff.setText(self.tr("Staff: print again"))
        self.map_button.setText(self.tr("Hall map"))
        self.done_button.setText(self.tr("Done"))
        self.pad.cancel.setText(self.tr("Cancel"))
        self._render()

    def texts(self) -> str:
        """Everything the page shows now, for tests (and the privacy check)."""
        labels = (self.title, self.name, self.name_second, self.organisation, self.message, self.next_step,
                  self.handoff)
        return "\n".join(lab.text() for lab in labels if lab.isVisibleTo(self) and lab.text())
