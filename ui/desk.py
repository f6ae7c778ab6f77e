"""The staff check-in desk: camera and USB scanner at once, search, hand check-in, print, counts.

Every store call goes through the task manager; the screen only shows results and
forwards what staff tap. A scan's verdict covers the whole screen until the next scan,
a tap, or the verdict timeout.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from kiosk import checkin
from kiosk.handoff import HANDOFF_PREFIX, HandoffCase, clean
from kiosk.models import Attendee, Direction, PersonRef, Scan, Status, Verdict
from kiosk.recent import recent_scans
from kiosk.search import search_attendees
from ui import theme
from ui.camera import PreviewLabel
from ui.desk_panels import AttendeePanel, CountsPanel, touch_list
from ui.desk_scan import desk_scan, named_previous
from ui.deskside import ConfirmBox, HandoffPanel, RecentScans
from ui.names import both_names
from ui.screen import Screen
from ui.services import Services
from ui.verdict import VerdictCard

log = logging.getLogger(__name__)

# the camera preview's least size by arrangement (portrait?): beside the counts, a 1080 px wide screen must fit
PREVIEW_MIN = {False: (640, 360), True: (480, 270)}
# landscape heights below which the left column gives up parts (see DeskScreen._fit): a 1080 px screen has
# 996 for the desk; 1280x800 has 716; with the on-screen keyboard up the desk keeps about half the screen
FULL_HEIGHT, TYPING_HEIGHT = 900, 600


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
        point, way = self.services.context.point_id, self.services.direction
        self._open_seq += 1
        seq = self._open_seq

        def load(store):
            # the hand button is off when this point's last scan of the person already went this way:
            # an entry desk after an entry, an exit desk after an exit (someone inside can be let out)
            last = checkin.last_scan_at_point(store, attendee_id, point)
            when = last[1] if last and last[0] == way.value else None
            return store.attendee(attendee_id), when, store.prints.history(attendee_id)

        self.services.tasks.run_db(load, lambda r: self._opened(seq, *r))

    def _opened(self, seq: int, attendee: Attendee | None, checked_in: str | None, prints: list) -> None:
        if seq == self._open_seq and attendee is not None:
            self.attendee_panel.show_attendee(attendee, checked_in, prints,
                                              exit_point=self.services.direction is Direction.EXIT)

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
                                                       'Tap "Undo last check-in" again.'))
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
        text = text.replace("%1", str(job.count)).replace("%2", job.target)
        panel = self.attendee_panel
        if panel.isVisible() and panel.attendee is not None and panel.attendee.id == job.attendee.id:
            panel.show_print_result("ok", text)  # in the panel, under the button tapped: no toast over the heading
            self._open(job.attendee.id)
        else:
            self.window().show_message("info", text)

    def _print_problem(self, text: str) -> None:
        if self.attendee_panel.isVisible():
            self.attendee_panel.show_print_result("error", text)
        else:
            self.window().show_message("error", text)

    def _print_refused(self, message: str) -> None:
        self.attendee_panel.print_button.setEnabled(True)
        self._print_problem(message)

    def _print_failed(self, message: str) -> None:
        self.attendee_panel.print_button.setEnabled(True)
        self._print_problem(self.tr("The badge could not be printed: %1").replace("%1", message))

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

    def _fit(self) -> None:
        """A short landscape desk gives up the least needed parts first, so nothing is squeezed over
        another: the per-type rows and the preview's size (a 1280x800 screen), then camera and counts
        altogether while the on-screen keyboard is up (the field and its results matter then)."""
        if self.portrait:
            self.counts.rows.show()
            self.preview.show()
            self.counts.show()
            return
        height = self.height()
        self.counts.rows.setVisible(height >= FULL_HEIGHT)
        self.preview.setMinimumSize(*PREVIEW_MIN[height < FULL_HEIGHT])
        self.preview.setVisible(height >= TYPING_HEIGHT)
        self.counts.setVisible(height >= TYPING_HEIGHT)

    def resizeEvent(self, event) -> None:
        self._arrange(portrait=self.height() > self.width())
        self._fit()
        self.card.setGeometry(self.rect())
        super().resizeEvent(event)
