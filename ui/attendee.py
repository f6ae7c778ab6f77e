"""The attendee self-service kiosk: attract → home → map / agenda / self check-in.

Nobody is there to help, so every page has one obvious way back ("Home"), big targets and
both languages. The screen holds no rules: map data, agenda and check-in come from
kiosk.selfservice on the database thread, search from kiosk.directory (in memory), routes
from kiosk.routing on the worker pool. A badge shown to the camera on any page opens the
self check-in result. Idle reset forgets the search, the booth, the route and the greeting.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.identify import DeviceContext, utcnow
from kiosk.models import Direction, Scan, Verdict
from kiosk.selfprint import can_self_print
from kiosk.selfservice import rooms_by_id, self_checkin, with_next_sessions
from kiosk.store import Store
from sync import onlinecheck
from ui.agenda import AgendaPage
from ui.attract import AttractScreen
from ui.checkinflow import Ask
from ui.home_page import HomePage
from ui.map_page import MapPage
from ui.screen import Screen
from ui.selfcheckin import SelfCheckinPage
from ui.selfprintpage import SelfPrintPage

log = logging.getLogger(__name__)


def attendee_scan(store: Store, scan: Scan, ctx: DeviceContext, now: datetime) -> Verdict | Ask:
    """A badge at the self-service kiosk, first step on the database thread: decided here, or
    asked of the server first (an `Ask`, as at the desk) when the kiosk is enrolled and online."""
    attempt = onlinecheck.prepare(store, scan.code, ctx, Direction.ENTRY, source=scan.source)
    if attempt is None:
        return self_checkin(store, scan.code, ctx, now, scan.source)
    return Ask(attempt, lambda s, answer: with_next_sessions(s, onlinecheck.finish(s, attempt, answer), attempt.now))


class AttendeeScreen(Screen):
    """The attendee role's screen. `clock` gives "now" (tests pin it to the event day)."""

    def __init__(self, services, clock: Callable[[], datetime] = utcnow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("screen-attendee")
        self.services = services
        self.clock = clock
        self._scan_seq = 0
        self.attract = AttractScreen()
        self.attract.started.connect(self.go_home)
        self.home = HomePage()
        self.home.chosen.connect(self.open_page)
        self.map_page = MapPage(services)
        self.agenda_page = AgendaPage(services, lambda: self.clock())
        self.checkin_page = SelfCheckinPage(services)
        self.checkin_page.done.connect(self.go_home)
        self.print_page = SelfPrintPage(services)
        self.print_page.done.connect(self.go_home)
        self.print_page.map_requested.connect(lambda: self.open_page("map"))
        self.print_page.unprintable.connect(self._show_verdict)

        self.header = QWidget()
        self.header.setObjectName("attendeeHeader")
        self.home_button = QPushButton()
        self.home_button.setObjectName("homeButton")
        self.home_button.setMinimumSize(200, 72)
        self.home_button.clicked.connect(self.go_home)
        self.page_title = QLabel()
        self.page_title.setProperty("role", "title")
        hr = QHBoxLayout(self.header)
        hr.setContentsMargins(16, 10, 16, 0)
        hr.setSpacing(24)
        hr.addWidget(self.home_button)
        hr.addWidget(self.page_title, 1)

        self.pages = QStackedWidget()
        for w in (self.attract, self.home, self.map_page, self.agenda_page, self.checkin_page, self.print_page):
            self.pages.addWidget(w)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.pages, 1)
        services.translations.language_changed.connect(lambda _lang: self.retranslate())
        services.settings_changed.connect(self.map_page.reload_position)
        if services.event is not None:
            e = services.event
            self.attract.set_event(e.name, e.name_zh, " · ".join(v for v in (e.venue_zh, e.venue) if v))
        self.map_page.load()
        services.tasks.run_db(rooms_by_id, self._rooms_loaded)
        self.show_page(self.attract)
        self.retranslate()

    def _rooms_loaded(self, rooms: dict) -> None:
        self.checkin_page.rooms = rooms
        self.print_page.rooms = rooms

    # -- navigation -------------------------------------------------------------------------
    def show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self.header.setVisible(page not in (self.attract, self.home))
        self._title()

    def current_page(self) -> str:
        page = self.pages.currentWidget()
        return {self.attract: "attract", self.home: "home", self.map_page: "map", self.agenda_page: "agenda",
                self.checkin_page: "checkin", self.print_page: "print"}.get(page, "")

    def go_home(self) -> None:
        self.checkin_page.timer.stop()
        self.print_page.clear()
        self.show_page(self.home)

    def open_page(self, key: str) -> None:
        if key == "map":
            self.show_page(self.map_page)
        elif key == "agenda":
            self.show_page(self.agenda_page)
        elif key == "checkin":
            self.checkin_page.show_prompt()
            self.show_page(self.checkin_page)

    # -- scans ------------------------------------------------------------------------------
    def handle_scan(self, scan: Scan) -> bool:
        """A badge on any page: check the person in and show the result."""
        self._scan_seq += 1
        seq, now, ctx = self._scan_seq, self.clock(), self.services.context
        self.checkin_page.show_working()
        self.show_page(self.checkin_page)
        self.services.checkins.submit(lambda s: attendee_scan(s, scan, ctx, now),
                                      lambda v: self._checked(seq, v, scan.code),
                                      lambda exc: self._check_failed(seq, exc))
        return True

    def _checked(self, seq: int, verdict: Verdict, code: str = "") -> None:
        if seq != self._scan_seq:
            return
        if self.services.config.self_print and can_self_print(verdict):
            self.print_page.start(verdict, code)  # "Is this you?", then the badge prints here
            self.show_page(self.print_page)
            return
        self._show_verdict(verdict)

    def _show_verdict(self, verdict: Verdict) -> None:
        self.checkin_page.show_verdict(verdict)
        self.show_page(self.checkin_page)

    def _check_failed(self, seq: int, exc: BaseException) -> None:
        log.error("self check-in failed: %s", exc)
        if seq == self._scan_seq:
            self.checkin_page.show_error(self.tr("Your badge could not be checked just now."))

    # -- Screen -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Idle: forget the search, the booth, the route and the greeting; back to the attract screen."""
        self._scan_seq += 1
        self.map_page.reset()
        self.agenda_page.reset()
        self.checkin_page.reset()
        self.print_page.reset()
        self.show_page(self.attract)

    def _title(self) -> None:
        page = self.pages.currentWidget()
        self.page_title.setText({
            self.map_page: self.tr("Find exhibitors"),
            self.agenda_page: self.tr("Agenda"),
            self.checkin_page: self.tr("Self check-in"),
            self.print_page: self.tr("Your badge"),
        }.get(page, ""))

    def retranslate(self) -> None:
        self.home_button.setText(self.tr("‹ Home"))
        self._title()
        self.home.retranslate()
        self.map_page.retranslate()
        self.agenda_page.retranslate()
        self.checkin_page.retranslate()
        self.print_page.retranslate()
