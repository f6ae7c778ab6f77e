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

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from kiosk import routing
from kiosk.identify import utcnow
from kiosk.directory import Directory, matching_booths
from kiosk.eventdata import Category
from kiosk.models import Exhibitor, Scan, Verdict
from kiosk.selfservice import MapData, kiosk_position, load_map_data, phone_summary, rooms_by_id, self_checkin
from ui.agenda import AgendaPage
from ui.attract import AttractScreen
from ui.booth_panel import BoothPanel, chinese_words, phrase_directions
from ui.screen import Screen
from ui.selfcheckin import SelfCheckinPage

log = logging.getLogger(__name__)

SIDE_PANEL_PX = 620  # landscape: the list / details column beside the map


def _touch_list(widget: QListWidget) -> QListWidget:
    from PySide6.QtWidgets import QAbstractItemView, QScroller
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setWordWrap(True)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    QScroller.grabGesture(widget.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return widget


def is_wide(widget: QWidget) -> bool:
    """Landscape kiosk (side by side) or portrait totem (stacked)."""
    return widget.width() >= widget.height()


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
        self.row.setDirection(QBoxLayout.Direction.LeftToRight if is_wide(self)
                              else QBoxLayout.Direction.TopToBottom)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome! What would you like to do?"))
        self.buttons["map"].setText(self.tr("Find exhibitors\nHall map"))
        self.buttons["agenda"].setText(self.tr("Agenda\nNow and next"))
        self.buttons["checkin"].setText(self.tr("Check in\nShow your badge"))


class MapPage(QWidget):
    """Search, category chips, the hall map and the booth details, side by side or stacked."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mapPage")
        self.services = services
        self.data: MapData | None = None
        self.directory: Directory | None = None
        self.categories: dict[str, Category] = {}
        self.view = None  # ui.map_view.HallMapView once the data has come
        self.legend = None
        self.category = ""
        self.results: list[Exhibitor] = []
        self._route_seq = 0

        self.map_holder = QWidget()
        self.map_holder.setObjectName("mapHolder")
        self.map_box = QGridLayout(self.map_holder)  # the map, with its zoom buttons floating over it
        self.map_box.setContentsMargins(0, 0, 0, 0)
        self.map_message = QLabel()
        self.map_message.setWordWrap(True)
        self.map_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_message.setProperty("role", "title")
        self.map_box.addWidget(self.map_message, 0, 0)
        self.zoom_in = QPushButton("+")
        self.zoom_out = QPushButton("−")
        self.zoom_all = QPushButton()
        for b in (self.zoom_in, self.zoom_out):
            b.setFixedSize(72, 72)
            b.setStyleSheet("font-size: 30pt; font-weight: bold; padding: 0;")
        self.zoom_all.setFixedSize(72, 72)  # the column floats in the margin beside the fitted hall
        self.zoom_all.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 0;")
        self.zoom_in.clicked.connect(lambda: self.view and self.view.zoom_by(1.5))
        self.zoom_out.clicked.connect(lambda: self.view and self.view.zoom_by(1 / 1.5))
        self.zoom_all.clicked.connect(lambda: self.view and self.view.fit_all())
        self.zoom_controls = QWidget()
        self.zoom_controls.setObjectName("zoomControls")
        zc = QVBoxLayout(self.zoom_controls)
        zc.setContentsMargins(8, 8, 8, 8)
        zc.setSpacing(8)
        zc.addWidget(self.zoom_all)
        zc.addWidget(self.zoom_in)
        zc.addWidget(self.zoom_out)
        self.map_box.addWidget(self.zoom_controls, 0, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.hint = QLabel()
        self.hint.setObjectName("mapHint")
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)

        # the side column: search + chips + results, or a booth's details
        self.search = QLineEdit()
        self.search.setObjectName("exhibitorSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.run_search)
        self.legend_box = QVBoxLayout()
        self.legend_box.setContentsMargins(0, 0, 0, 0)
        self.count = QLabel()
        self.count.setProperty("role", "muted")
        self.count.setWordWrap(True)
        self.list = _touch_list(QListWidget())
        self.list.setObjectName("exhibitorResults")
        self.list.itemClicked.connect(self._result_tapped)
        self.list_page = QWidget()
        lp = QVBoxLayout(self.list_page)
        lp.setContentsMargins(12, 12, 12, 12)
        lp.setSpacing(10)
        lp.addWidget(self.search)
        lp.addLayout(self.legend_box)
        lp.addWidget(self.count)
        lp.addWidget(self.list, 1)
        lp.addWidget(self.hint)
        self.panel = BoothPanel()
        self.panel.route_requested.connect(self.request_route)
        self.panel.closed.connect(self.close_booth)
        self.side = QStackedWidget()
        self.side.setObjectName("mapSide")
        self.side.addWidget(self.list_page)
        self.side.addWidget(self.panel)

        map_column = QVBoxLayout()
        map_column.setContentsMargins(0, 0, 0, 0)
        map_column.setSpacing(6)
        map_column.addWidget(self.map_holder, 1)
        self.map_side = QWidget()
        self.map_side.setLayout(map_column)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(12, 8, 12, 12)
        self.box.setSpacing(12)
        self.box.addWidget(self.map_side, 1)
        self.box.addWidget(self.side)
        self._layout_for_shape()
        self.retranslate()

    # -- data -------------------------------------------------------------------------------
    def load(self) -> None:
        self.services.tasks.run_db(load_map_data, self.set_data, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        log.error("map data unavailable: %s", exc)
        self.map_message.setText(self.tr("The hall map is not available on this kiosk."))

    def set_data(self, data: MapData) -> None:
        from ui.map_view import HallMapView
        self.data = data
        self.categories = {c.id: c for c in data.categories}
        self.directory = Directory(data.exhibitors, {c.id: (c.name, c.name_zh) for c in data.categories})
        if data.hall is None:
            log.error("no hall plan: %s", data.error)
            self.map_message.setText(self.tr("The hall map is not available on this kiosk."))
        else:
            self.map_message.hide()
            self.view = HallMapView(data.hall, data.exhibitors, {c.id: c.color for c in data.categories},
                                    kiosk_id=data.kiosk_id or None, language="zh" if self.services.zh else "en")
            self.view.setObjectName("hallMap")
            self.view.booth_tapped.connect(self.open_booth)
            self.map_box.addWidget(self.view, 0, 0)
            self.zoom_controls.raise_()
        self._build_legend()
        self.run_search()

    def reload_position(self) -> None:
        """Staff may have moved this kiosk on the plan (admin screen): "You are here" follows."""
        self.services.tasks.run_db(kiosk_position, self._position_loaded)

    def _position_loaded(self, kiosk_id: str) -> None:
        if self.data is None or kiosk_id == self.data.kiosk_id:
            return
        from dataclasses import replace
        self.data = replace(self.data, kiosk_id=kiosk_id)
        if self.view is not None:
            self.view.set_kiosk(kiosk_id or None)
            self.view.clear_route()

    def _build_legend(self) -> None:
        from ui.map_view import MapLegend
        if self.legend is not None:
            self.legend_box.removeWidget(self.legend)
            self.legend.deleteLater()
        zh = self.services.zh
        # "&" would be taken as a keyboard mnemonic on a button label
        entries = [(c.id, ((c.name_zh or c.name) if zh else c.name).replace("&", "&&"), c.color)
                   for c in self.categories.values()]
        self.legend = MapLegend(entries, columns=2)
        self.legend.setObjectName("categoryChips")
        for cid, _, _ in entries:
            if cid == self.category:
                self.legend.button(cid).setChecked(True)
        if self.category:
            self.legend._selected = self.category  # keep the chosen chip across a language switch
        self.legend.category_tapped.connect(self.set_category)
        self.legend_box.addWidget(self.legend)

    # -- search -----------------------------------------------------------------------------
    def set_category(self, category: str) -> None:
        self.category = category
        self.run_search()

    def run_search(self, *_):
        if self.directory is None:
            return
        query = self.search.text()
        self.results = self.directory.search(query, self.category or None)
        self.list.clear()
        zh = self.services.zh
        for e in self.results:
            first, second = ((e.name_zh or e.name), e.name) if zh else (e.name, e.name_zh)
            booth = self.tr("Booth %1").replace("%1", ", ".join(e.booths))
            text = f"{first}\n{booth}" + (f"   ·   {second}" if second and second != first else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            cat = self.categories.get(e.category)
            if cat is not None:
                item.setIcon(_dot(cat.color))
            self.list.addItem(item)
        filtering = bool(query.strip() or self.category)
        if self.view is not None:
            self.view.highlight(matching_booths(self.results) if filtering else None)
        n = len(self.results)
        if not filtering:
            self.count.setText(self.tr("All exhibitors: %1. Type a name, booth number, product or pinyin.")
                               .replace("%1", str(n)))
        elif n:
            self.count.setText(self.tr("%1 found, highlighted on the map").replace("%1", str(n)))
        else:
            self.count.setText(self.tr("Nothing found. Try fewer letters, or a booth number like A12."))

    def _result_tapped(self, item: QListWidgetItem) -> None:
        eid = item.data(Qt.ItemDataRole.UserRole)
        e = next((x for x in self.results if x.id == eid), None)
        if e is not None and e.booths:
            self.open_booth(e.booths[0])

    # -- booth and route --------------------------------------------------------------------
    def exhibitor_at(self, booth_id: str) -> Exhibitor | None:
        return self.directory.by_booth(booth_id) if self.directory else None

    def open_booth(self, booth_id: str) -> None:
        e = self.exhibitor_at(booth_id)
        if e is None:
            return  # an empty booth: nothing to tell
        self._route_seq += 1
        if self.view is not None:
            self.view.clear_route()
            self.view.highlight(e.booths)
            self.view.focus_booth(booth_id, scale=max(self.view.scale_px_per_m(), 18.0))
        self.panel.show_booth(e, booth_id, self.categories.get(e.category), self.services.zh)
        self.side.setCurrentWidget(self.panel)

    def close_booth(self) -> None:
        self._route_seq += 1
        self.panel.clear()
        if self.view is not None:
            self.view.clear_route()
        self.side.setCurrentWidget(self.list_page)
        self.run_search()

    def request_route(self, booth_id: str, step_free: bool) -> None:
        """Routing is CPU work (a graph built once per hall): on the worker pool, result by callback."""
        if self.data is None or self.data.hall is None:
            self.panel.set_route(None, error=self.tr("The hall map is not available on this kiosk."))
            return
        self._route_seq += 1
        seq, hall = self._route_seq, self.data.hall
        start = hall.kiosk_position(self.data.kiosk_id or None)
        self.services.tasks.run_net(lambda: routing.route(hall, start, booth_id, step_free),
                                    lambda r: self._route_ready(seq, booth_id, step_free, r),
                                    lambda exc: self._route_failed(seq, step_free, exc))

    def _route_ready(self, seq: int, booth_id: str, step_free: bool, route: routing.Route) -> None:
        if seq != self._route_seq:
            return
        if self.view is not None:
            self.view.show_route(route)
        e = self.exhibitor_at(booth_id)
        event = self.services.event
        steps = routing.directions(route, self.data.hall if self.data else None)
        words = (phrase_directions(steps, lambda t: t), phrase_directions(steps, chinese_words))
        summary = phone_summary(e, booth_id, route, event.name if event else "", step_free, words) if e else None
        self.panel.set_route(route, summary.text if summary else "", directions=steps)

    def _route_failed(self, seq: int, step_free: bool, exc: BaseException) -> None:
        if seq != self._route_seq:
            return
        log.warning("no route: %s", exc)
        text = self.tr("There is no step-free way to this booth. Please ask the staff for help.") if step_free \
            else self.tr("No route could be found to this booth. Please ask the staff for help.")
        if self.view is not None:
            self.view.clear_route()
        self.panel.set_route(None, error=text)

    # -- shape, language, reset -------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._layout_for_shape()

    def _layout_for_shape(self) -> None:
        if is_wide(self):
            self.box.setDirection(QBoxLayout.Direction.LeftToRight)
            self.side.setFixedWidth(min(SIDE_PANEL_PX, max(420, self.width() // 3)))
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(16777215)
            self.box.setStretch(0, 1)
            self.box.setStretch(1, 0)
        else:
            self.box.setDirection(QBoxLayout.Direction.TopToBottom)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16777215)
            self.side.setFixedHeight(max(420, int(self.height() * 0.48)))
            self.box.setStretch(0, 1)
            self.box.setStretch(1, 0)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search: name, booth, product, pinyin"))
        self.zoom_all.setText(self.tr("Whole hall").replace(" ", "\n", 1))  # two short lines on a square key
        self.hint.setText(self.tr("Drag to move, pinch or double-tap to zoom, tap a booth for details."))
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        self.panel.set_language(self.services.zh)
        if self.directory is not None:
            self._build_legend()
            self.run_search()
        if self.view is not None:
            self.view.set_language("zh" if self.services.zh else "en")

    def reset(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.category = ""
        if self.legend is not None:
            for cid in self.categories:
                self.legend.button(cid).setChecked(False)
            self.legend._selected = ""
        self.close_booth()
        if self.view is not None:
            self.view.highlight(None)
            self.view.fit_all()
        self.list.scrollToTop()


def _dot(colour: str):
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
    pix = QPixmap(28, 28)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(2, 2, 24, 24)
    p.end()
    return QIcon(pix)


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
        for w in (self.attract, self.home, self.map_page, self.agenda_page, self.checkin_page):
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

    # -- navigation -------------------------------------------------------------------------
    def show_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self.header.setVisible(page not in (self.attract, self.home))
        self._title()

    def current_page(self) -> str:
        page = self.pages.currentWidget()
        return {self.attract: "attract", self.home: "home", self.map_page: "map", self.agenda_page: "agenda",
                self.checkin_page: "checkin"}.get(page, "")

    def go_home(self) -> None:
        self.checkin_page.timer.stop()
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
        self.services.tasks.run_db(lambda s: self_checkin(s, scan.code, ctx, now, scan.source),
                                   lambda v: self._checked(seq, v), lambda exc: self._check_failed(seq, exc))
        return True

    def _checked(self, seq: int, verdict: Verdict) -> None:
        if seq == self._scan_seq:
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
        self.show_page(self.attract)

    def _title(self) -> None:
        page = self.pages.currentWidget()
        self.page_title.setText({
            self.map_page: self.tr("Find exhibitors"),
            self.agenda_page: self.tr("Agenda"),
            self.checkin_page: self.tr("Self check-in"),
        }.get(page, ""))

    def retranslate(self) -> None:
        self.home_button.setText(self.tr("‹ Home"))
        self._title()
        self.home.retranslate()
        self.map_page.retranslate()
        self.agenda_page.retranslate()
        self.checkin_page.retranslate()

