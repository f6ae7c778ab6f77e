"""The staff check-in desk: camera and USB scanner at once, search, hand check-in, print, counts.

Every store call goes through the task manager; the screen only shows results and
forwards what staff tap. A scan's verdict covers the whole screen until the next scan,
a tap, or the verdict timeout.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QScroller, QVBoxLayout, QWidget)

from kiosk import checkin
from kiosk.handoff import HANDOFF_PREFIX, HandoffCase, clean, handoff_in, lookup
from kiosk.identify import DeviceContext
from kiosk.models import Attendee, Counts, Direction, PersonRef, Scan, Status, Verdict
from kiosk.recent import recent_scans
from kiosk.search import search_attendees
from kiosk.store import Store
from sync import onlinecheck
from sync.deskcalls import device_label
from sync.transport import ServerAddress
from ui import theme
from ui.camera import PreviewLabel
from ui.checkinflow import Ask
from ui.deskside import ConfirmBox, HandoffPanel, RecentScans
from ui.i18n import locale
from ui.names import both_names
from ui.screen import Screen
from ui.services import Services
from ui.verdict import VerdictCard, badge_type_name, local_time

log = logging.getLogger(__name__)

# the camera preview's least size by arrangement (portrait?): beside the counts, a 1080 px wide screen must fit
PREVIEW_MIN = {False: (640, 360), True: (480, 270)}


def touch_list(widget: QListWidget) -> QListWidget:
    """Kinetic scrolling with a finger (or the mouse), pixel by pixel."""
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    QScroller.grabGesture(widget.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return widget


class CountsPanel(QFrame):
    """Checked in of expected, per badge type, and arrivals in the last 15 minutes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.counts: Counts | None = None
        self.total = theme.role_label("big")
        self.recent = theme.role_label()
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(self.total)
        column.addWidget(self.recent)
        column.addLayout(self.grid)
        column.addStretch(1)  # spare height goes below the rows, not between them
        self.setStyleSheet("CountsPanel { background: #ffffff; border-radius: 12px; }")

    def set_counts(self, counts: Counts) -> None:
        self.counts = counts
        self.retranslate()

    def retranslate(self) -> None:
        c = self.counts
        if c is None:
            return
        loc = locale()
        self.total.setText(self.tr("%1 of %2 checked in").replace("%1", loc.toString(c.checked_in))
                           .replace("%2", loc.toString(c.expected)))
        self.recent.setText(self.tr("Arrivals in the last 15 minutes: %1").replace("%1", loc.toString(c.last_15_min)))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for row, (badge_type, (arrived, expected)) in enumerate(sorted(c.by_type.items())):
            self.grid.addWidget(theme.role_label("", badge_type_name(badge_type)), row, 0)
            self.grid.addWidget(theme.role_label("", f"{loc.toString(arrived)} / {loc.toString(expected)}"), row, 1)


class AttendeePanel(QFrame):
    """The attendee staff opened from the search: details, print history, hand check-in."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.attendee: Attendee | None = None
        self.prints: list = []
        self.checked_in: str | None = None
        self.setStyleSheet("AttendeePanel { background: #ffffff; border-radius: 12px; }")
        self.name = theme.role_label("title")
        self.name_zh = theme.role_label("title")
        self.organisation = theme.role_label()
        self.badge = theme.role_label()
        self.flag = theme.role_label()
        self.flag.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.state = theme.role_label()
        self.print_info = theme.role_label("muted")
        self.check_button = QPushButton()
        self.check_button.setProperty("primary", True)
        self.print_button = QPushButton()
        self.confirm_box = ConfirmBox()
        self.confirm_yes, self.confirm_no = self.confirm_box.yes, self.confirm_box.no
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 20)
        for w in (self.name, self.name_zh, self.organisation, self.badge, self.flag, self.state, self.print_info):
            column.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.print_button)
        column.addLayout(buttons)
        column.addWidget(self.confirm_box)
        column.addStretch(1)
        self.clear()

    def clear(self) -> None:
        self.attendee = None
        self.prints, self.checked_in = [], None
        self.confirm_box.hide()
        self.setVisible(False)

    def show_attendee(self, attendee: Attendee, checked_in: str | None, prints: list) -> None:
        self.attendee, self.checked_in, self.prints = attendee, checked_in, prints
        self.confirm_box.hide()
        self.retranslate()
        self.setVisible(True)

    def _check_button_text(self) -> str:
        """Someone already checked in cannot be checked in again by a stray tap: the button says when."""
        if self.checked_in:
            return self.tr("Checked in at %1").replace("%1", local_time(self.checked_in))
        return self.tr("Check in by hand")

    def ask_confirm(self) -> None:
        self.confirm_box.show()
        self.retranslate()

    def retranslate(self) -> None:
        self.check_button.setText(self._check_button_text())
        self.check_button.setEnabled(not self.checked_in)
        self.print_button.setText(self.tr("Print badge"))
        a = self.attendee
        if a is None:
            return
        self.name.setText(a.name)
        self.name_zh.setText(a.name_zh)
        self.name_zh.setVisible(bool(a.name_zh))
        self.organisation.setText(a.organisation)
        self.badge.setText(badge_type_name(a.badge_type) + (f"   ·   {a.code}" if a.code else ""))
        flags = []
        if a.badge_type == "vip":
            flags.append(QCoreApplication.translate("VerdictCard", "★ VIP guest"))
        if a.attention:
            flags.append(QCoreApplication.translate("VerdictCard", "Needs attention: %1").replace("%1", a.attention))
        self.flag.setText("   ".join(flags))
        self.flag.setVisible(bool(flags))
        self.state.setText(self.tr("Checked in at %1").replace("%1", local_time(self.checked_in))
                           if self.checked_in else self.tr("Not checked in yet"))
        if self.prints:
            last = self.prints[-1]
            if len(self.prints) == 1:
                text = self.tr("Badge printed once, at %1")
            else:
                text = self.tr("Badge printed %2 times, last at %1").replace("%2", str(len(self.prints)))
            self.print_info.setText(text.replace("%1", local_time(last.printed_at)))
        else:
            self.print_info.setText(self.tr("No badge printed at the desk yet"))
        self.confirm_box.set_texts(self.tr("Check in %1 by hand?").replace("%1", a.name), self.tr("Yes, check in"),
                                   self.tr("Cancel"))


def named_previous(store: Store, verdict: Verdict, ctx: DeviceContext) -> Verdict:
    """A repeat entry says where it was first recorded by the device's name ("Desk 2"), not its id;
    this device stays its own id so the card can say "this desk"."""
    device = verdict.previous_device
    if not device or device == ctx.device_id:
        return verdict
    if device == store.get_meta("device_name"):  # the server answered with our own name
        return replace(verdict, previous_device=ctx.device_id)
    return replace(verdict, previous_device=device_label(store, device))


def desk_scan(store: Store, scan: Scan, ctx: DeviceContext, direction: Direction) -> tuple | Ask:
    """A scan at the desk, first step on the database thread: a hand-off code is looked up
    (nothing recorded); anything else is decided here, or asked of the server first (an `Ask`).

    Returns ("verdict", Verdict), ("handoff", code, HandoffCase | None, ServerAddress | None) or an Ask."""
    candidate = handoff_in(scan.code, typed=scan.source == "typed")
    if candidate is not None:
        code, explicit = candidate
        if explicit or store.attendee_by_code(scan.code.strip()) is None:
            case = lookup(store, code)
            return "handoff", code, case, None if case is not None else ServerAddress.of(store)
    attempt = onlinecheck.prepare(store, scan.code, ctx, direction, source=scan.source)
    if attempt is None:
        return "verdict", named_previous(store, checkin.check(store, scan.code, ctx, direction, source=scan.source), ctx)
    return Ask(attempt, lambda s, answer: ("verdict", named_previous(s, onlinecheck.finish(s, attempt, answer), ctx)))


class DeskScreen(Screen):
    """The desk role's start screen.

    Signals:
        conflicts_requested(): staff tapped the duplicates button (the shell shows the list).
    """

    conflicts_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.last_verdict: Verdict | None = None
        self._search_seq = 0
        self._open_seq = 0  # a person opened before the search changed must not appear after it

        # camera, where we scan, counts: a column on the left (landscape) or a band on top (portrait)
        self.preview = self._make_preview()
        self.point_label = theme.role_label("title")
        self.counts = CountsPanel()

        # search, results, the opened attendee, undo: the right column, or full width below
        self.search = QLineEdit()
        self.search.setObjectName("deskSearch")
        self.search.setClearButtonEnabled(True)
        self.code_button = QPushButton()
        self.code_button.setObjectName("checkCodeButton")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.code_button)
        self.results = touch_list(QListWidget())
        self.results.setObjectName("deskResults")
        self.no_results = theme.role_label("muted")
        self.recent = RecentScans()
        self.handoff_panel = HandoffPanel()
        self.attendee_panel = AttendeePanel()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setProperty("danger", True)
        self.undo_box = ConfirmBox()
        self.undo_box.setObjectName("undoConfirm")
        self.undo_target: tuple[str, PersonRef] | None = None  # (check-in id, person) the box names
        self.conflicts_button = QPushButton()
        self.conflicts_button.setObjectName("deskConflicts")
        self.conflicts_button.setStyleSheet("QPushButton#deskConflicts { background: #fff3cd; color: #7a4b00; "
                                            "border: 2px solid #f2b705; }")
        self.conflicts_button.hide()
        self.conflicts_unseen = 0
        bottom = QHBoxLayout()
        bottom.addWidget(self.conflicts_button)
        bottom.addStretch(1)
        bottom.addWidget(self.undo_button)
        self.side = QWidget()
        self.side.setObjectName("deskSide")
        right = QVBoxLayout(self.side)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(16)
        right.addLayout(search_row)
        right.addWidget(self.no_results)
        right.addWidget(self.results, 1)
        right.addWidget(self.recent, 1)
        right.addWidget(self.handoff_panel, 1)
        right.addWidget(self.attendee_panel, 1)
        right.addWidget(self.undo_box)
        right.addLayout(bottom)

        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(24, 20, 24, 20)
        self.grid.setHorizontalSpacing(32)
        self.grid.setVerticalSpacing(24)
        self.portrait: bool | None = None
        self._arrange(portrait=False)

        self.card = VerdictCard(services.sounds, services.context.device_id, services.config.verdict_seconds, self)

        self.search_timer = QTimer(self)  # results as you type, without a query per keystroke
        self.search_timer.setObjectName("search-timer")
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(150)
        self.search_timer.timeout.connect(self._run_search)
        self.counts_timer = QTimer(self)  # "last 15 minutes" moves even when nobody scans
        self.counts_timer.setObjectName("counts-timer")
        self.counts_timer.setInterval(30_000)
        self.counts_timer.timeout.connect(self.refresh_counts)
        self.counts_timer.start()

        self.search.textChanged.connect(self._search_changed)
        self.search.returnPressed.connect(self._submit_code)
        self.code_button.clicked.connect(self._submit_code)
        self.results.itemClicked.connect(self._open_item)
        self.recent.attendee_chosen.connect(self._open)
        self.handoff_panel.open_attendee.connect(self._open)
        self.handoff_panel.closed.connect(self._close_handoff)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.attendee_panel.check_button.clicked.connect(self.attendee_panel.ask_confirm)
        self.attendee_panel.confirm_yes.clicked.connect(self._check_in_by_hand)
        self.attendee_panel.print_button.clicked.connect(self._print)
        self.undo_button.clicked.connect(self._ask_undo)
        self.undo_box.yes.clicked.connect(self._undo)
        services.settings_changed.connect(self._settings_changed)
        services.printer.printed.connect(self._printed)
        services.printer.failed.connect(self._print_failed)
        services.printer.refused.connect(self._print_refused)
        self.retranslate()
        self.refresh_counts()
        self.refresh_recent()
        self._update_side()
        services.tasks.run_db(lambda s: len(s.sync.conflicts(include_seen=False)), self.set_conflicts)

    # -- camera ---------------------------------------------------------------------------------
    def _make_preview(self) -> QWidget:
        preview = PreviewLabel()
        preview.setObjectName("cameraPreview")
        preview.setMaximumHeight(480)
        preview.setStyleSheet("background: #1b1f24; color: #ffffff; border-radius: 12px; font-size: 20pt;")
        if self.services.camera is not None:
            preview.attach(self.services.camera)
        return preview

    def _no_camera_text(self) -> str:
        return self.tr("No camera: scan with the USB scanner or type the code.")

    # -- scans ------------------------------------------------------------------------------------
    def handle_scan(self, scan: Scan) -> bool:
        svc = self.services
        ctx, direction = svc.context, svc.direction
        svc.checkins.submit(lambda s: desk_scan(s, scan, ctx, direction), self._scanned)
        return True

    def _scanned(self, result: tuple) -> None:
        if result[0] == "verdict":
            self.show_verdict(result[1])
            return
        _, code, case, address = result
        if case is not None:
            self.show_handoff(case)
        elif address is None:
            self.handoff_panel.show_missing(code)
            self._update_side()
        else:  # not seen here: the kiosk that refused pushed it to the server
            self.handoff_panel.show_missing(code, self.tr("Asking the central server…"))
            self._update_side()
            self.services.tasks.run_net(
                lambda: self.services.desk_calls.fetch_handoff(address, code),
                lambda found: self.show_handoff(found) if found is not None else self._handoff_missing(code),
                lambda exc: self._handoff_missing(code, self.tr(
                    "The central server is not reachable, and this desk has no record of the code.")))

    def _handoff_missing(self, code: str, reason: str = "") -> None:
        if self.handoff_panel.missing != code:
            return  # staff moved on meanwhile
        self.handoff_panel.show_missing(code, reason)
        self._update_side()

    def show_handoff(self, case: HandoffCase) -> None:
        """A visitor's hand-off code: what the kiosk decided, shown beside the search (not a scan)."""
        self.card.clear()
        if clean(self.search.text()).removeprefix(clean(HANDOFF_PREFIX)) == case.code:
            self.search.clear()  # the code typed there was no search
        self.handoff_panel.show_case(case)
        self._update_side()

    def _close_handoff(self) -> None:
        self.handoff_panel.clear()
        self._update_side()

    def _update_side(self) -> None:
        """Search results while searching; else this desk's recent scans, unless a hand-off case shows."""
        searching = bool(self.search.text().strip())
        self.recent.setVisible(not searching and not self.handoff_panel.isVisibleTo(self))
        if not searching:
            self.results.setVisible(False)
            self.no_results.setVisible(False)

    def refresh_recent(self) -> None:
        device = self.services.context.device_id
        self.services.tasks.run_db(lambda s: recent_scans(s, device, 15), self.recent.set_rows)

    def set_conflict_items(self, items: list) -> None:
        """kiosk.models.ConflictItem rows after a sync round (ui.syncservice)."""
        self.set_conflicts(sum(1 for c in items if not c.seen))

    def set_conflicts(self, unseen: int) -> None:
        """Unseen duplicate entries after sync; the button shows only when there are some."""
        self.conflicts_unseen = int(unseen or 0)
        self.conflicts_button.setText(self.tr("Duplicates after sync: %1").replace("%1", str(self.conflicts_unseen)))
        self.conflicts_button.setVisible(self.conflicts_unseen > 0)

    def show_verdict(self, verdict: Verdict) -> None:
        self.last_verdict = verdict
        self._hide_undo()  # the box named the last check-in before this scan
        self.card.setGeometry(self.rect())
        self.card.show_verdict(verdict)
        self.refresh_recent()
        if verdict.status in (Status.OK, Status.ALREADY_CHECKED_IN):
            self.refresh_counts()
            if self.attendee_panel.attendee is not None and verdict.attendee is not None \
                    and verdict.attendee.id == self.attendee_panel.attendee.id:
                self._open(self.attendee_panel.attendee.id)

    def _submit_code(self) -> None:
        """A code typed (or pasted) into the search field is scanned as a typed code."""
        code = self.search.text().strip()
        if not code:
            return
        self.services.scans.submit_typed(code)

    # -- search -------------------------------------------------------------------------------------
    def _search_changed(self, _text: str) -> None:
        """A new search closes the opened person: their buttons must not stay beside other results."""
        self._close_attendee()
        self.search_timer.start()

    def _close_attendee(self) -> None:
        self._open_seq += 1
        self.attendee_panel.clear()

    def _run_search(self) -> None:
        query = self.search.text()
        self._search_seq += 1
        seq = self._search_seq
        self.services.tasks.run_db(lambda s: search_attendees(s, query, 30),
                                   lambda found: self._show_results(seq, query, found))

    def _show_results(self, seq: int, query: str, found: list[Attendee]) -> None:
        if seq != self._search_seq:
            return  # a newer query is on its way
        self.results.clear()
        for a in found:
            text = a.name + (f"  {a.name_zh}" if a.name_zh else "") + (f"  ·  {a.organisation}" if a.organisation else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.results.addItem(item)
        self.no_results.setVisible(bool(query.strip()) and not found)
        self.results.setVisible(bool(query.strip()) and (bool(found) or not self.attendee_panel.isVisible()))
        self._update_side()

    def _open_item(self, item: QListWidgetItem) -> None:
        self._open(item.data(Qt.ItemDataRole.UserRole))

    def _open(self, attendee_id: str) -> None:
        point = self.services.context.point_id
        self._open_seq += 1
        seq = self._open_seq

        def load(store):
            last = checkin.last_scan_at_point(store, attendee_id, point)
            when = last[1] if last and last[0] == "entry" else None
            return store.attendee(attendee_id), when, store.prints.history(attendee_id)

        self.services.tasks.run_db(load, lambda r: self._opened(seq, *r))

    def _opened(self, seq: int, attendee: Attendee | None, checked_in: str | None, prints: list) -> None:
        if seq == self._open_seq and attendee is not None:
            self.attendee_panel.show_attendee(attendee, checked_in, prints)

    def _check_in_by_hand(self) -> None:
        a = self.attendee_panel.attendee
        if a is None:
            return
        self.attendee_panel.confirm_box.hide()
        svc = self.services
        ctx, direction = svc.context, svc.direction
        svc.checkins.submit(lambda s: named_previous(s, checkin.check_attendee(s, a.id, ctx, direction), ctx),
                            self.show_verdict)

    def _ask_undo(self) -> None:
        """Undo takes two taps: first the desk names whose check-in it would annul."""
        device = self.services.context.device_id
        self.services.tasks.run_db(lambda s: s.checkins.latest_of_device(device), self._undo_asked)

    def _undo_asked(self, latest: tuple[str, PersonRef, str] | None) -> None:
        if latest is None:
            self.undo_target = None
            self.undo_box.hide()
            self.window().show_message("info", self.tr("Nothing to undo: this desk has no check-in yet."))
            return
        self.undo_target = latest[0], latest[1]
        self._undo_texts()
        self.undo_box.show()

    def _undo_texts(self) -> None:
        if self.undo_target is not None:
            person = self.undo_target[1]
            self.undo_box.set_texts(self.tr("Undo the check-in of %1?").replace("%1", both_names(person.name,
                                                                                               person.name_zh)),
                                    self.tr("Yes, undo"), self.tr("Cancel"))

    def _hide_undo(self) -> None:
        self.undo_target = None
        self.undo_box.hide()

    def _undo(self) -> None:
        if self.undo_target is None:
            return
        ctx, expected = self.services.context, self.undo_target[0]
        self._hide_undo()
        self.services.checkins.submit(lambda s: checkin.undo_last(s, ctx, expected=expected), self._undone)

    def _undone(self, verdict: Verdict | None) -> None:
        if verdict is None:  # another check-in came first: never annul someone the clerk was not shown
            self.window().show_message("info", self.tr("Nothing was undone: this desk's last check-in has changed. "
                                                       "Tap “Undo last check-in” again."))
            return
        self.show_verdict(verdict)

    # -- printing -----------------------------------------------------------------------------------
    def _print(self) -> None:
        a = self.attendee_panel.attendee
        if a is None:
            return
        self.attendee_panel.print_button.setEnabled(False)
        self.services.printer.print_badge(a)

    def _printed(self, job) -> None:
        self.attendee_panel.print_button.setEnabled(True)
        if job.count > 1:
            text = self.tr("Badge reprinted (print %1) to %2")
        else:
            text = self.tr("Badge printed to %2")
        self.window().show_message("info", text.replace("%1", str(job.count)).replace("%2", job.target))
        if self.attendee_panel.attendee is not None and self.attendee_panel.attendee.id == job.attendee.id:
            self._open(job.attendee.id)

    def _print_refused(self, message: str) -> None:
        self.attendee_panel.print_button.setEnabled(True)
        self.window().show_message("error", message)

    def _print_failed(self, message: str) -> None:
        self.attendee_panel.print_button.setEnabled(True)
        self.window().show_message("error", self.tr("The badge could not be printed: %1").replace("%1", message))

    # -- counts and settings --------------------------------------------------------------------------
    def refresh_counts(self) -> None:
        self.services.tasks.run_db(lambda s: checkin.counts(s), self.counts.set_counts)

    def _settings_changed(self) -> None:
        self.card.device_id = self.services.context.device_id
        self.card.set_timeout(self.services.config.verdict_seconds)
        self.retranslate()
        self.refresh_counts()
        self.refresh_recent()

    # -- Screen -------------------------------------------------------------------------------------
    def reset(self) -> None:
        self.search_timer.stop()
        self._search_seq += 1
        self.search.clear()
        self.results.clear()
        self.no_results.hide()
        self._close_attendee()
        self.handoff_panel.clear()
        self._hide_undo()
        self.card.clear()
        self.last_verdict = None
        self._update_side()
        self.refresh_recent()

    def retranslate(self) -> None:
        self.point_label.setText(self.tr("Scanning for: %1").replace("%1", self.services.point_text()))
        self.search.setPlaceholderText(self.tr("Search name, organisation, pinyin or code"))
        self.code_button.setText(self.tr("Check code"))
        self.undo_button.setText(self.tr("Undo last check-in"))
        self.no_results.setText(self.tr("No attendee found. Check the spelling or try the code."))
        self.set_conflicts(self.conflicts_unseen)
        if self.services.camera is None:
            self.preview.setText(self._no_camera_text())
        self.counts.retranslate()
        self.attendee_panel.retranslate()
        self._undo_texts()
        self.recent.retranslate()
        self.handoff_panel.retranslate()
        self.card.retranslate()

    # -- layout -------------------------------------------------------------------------------------
    def _arrange(self, portrait: bool) -> None:
        """Landscape: camera and counts in a column beside the search. Portrait (a totem): camera and
        counts side by side on top, the search full width below, so the field keeps its width."""
        if portrait == self.portrait:
            return
        self.portrait = portrait
        grid = self.grid
        for w in (self.point_label, self.preview, self.counts, self.side):
            grid.removeWidget(w)
        for i in range(3):
            grid.setRowStretch(i, 0)
            grid.setColumnStretch(i, 0)
        if portrait:
            grid.addWidget(self.point_label, 0, 0, 1, 2)
            grid.addWidget(self.preview, 1, 0)
            grid.addWidget(self.counts, 1, 1)
            grid.addWidget(self.side, 2, 0, 1, 2)
            grid.setRowStretch(2, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
            self.counts.total.setStyleSheet("font-size: 32pt;")  # "1,234 of 2,000 checked in" on one line
            self.preview.setMinimumSize(*PREVIEW_MIN[True])
        else:
            grid.addWidget(self.point_label, 0, 0)
            grid.addWidget(self.preview, 1, 0)
            grid.addWidget(self.counts, 2, 0)
            grid.addWidget(self.side, 0, 1, 3, 1)
            grid.setRowStretch(2, 1)
            grid.setColumnStretch(0, 5)
            grid.setColumnStretch(1, 6)
            self.counts.total.setStyleSheet("")
            self.preview.setMinimumSize(*PREVIEW_MIN[False])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Never more height than the landscape arrangement needs: the portrait stack (with an attendee
        open) is taller than a landscape screen, and must not keep the window from turning back."""
        hint = super().minimumSizeHint()
        if self.portrait:
            def need(w: QWidget) -> int:
                return max(w.minimumSize().height(), w.minimumSizeHint().height())
            spacing = self.grid.verticalSpacing()
            margins = self.grid.contentsMargins()
            preview = PREVIEW_MIN[False][1]
            left = need(self.point_label) + preview + need(self.counts) + 2 * spacing
            hint.setHeight(min(hint.height(), max(left, need(self.side)) + margins.top() + margins.bottom()))
        return hint

    def resizeEvent(self, event) -> None:
        self._arrange(portrait=self.height() > self.width())
        self.card.setGeometry(self.rect())
        super().resizeEvent(event)
