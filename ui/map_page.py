"""The attendee kiosk's map page: search, category chips, the hall map and a booth's details."""
from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QBoxLayout, QGridLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QScroller, QStackedWidget, QVBoxLayout, QWidget)

from kiosk import routing
from kiosk.directory import Directory, matching_booths
from kiosk.eventdata import Category
from kiosk.models import Exhibitor
from kiosk.selfservice import MapData, kiosk_position, load_map_data, phone_link, phone_summary
from ui.attendee_layout import is_landscape, side_height, side_width
from ui.booth_panel import BoothPanel
from ui.map_background import decode_plan
from ui.map_page_texts import count_text, is_filtering, legend_entries, no_route_text, result_text
from ui.map_symbols import MapSymbols, symbol_kinds
from ui.map_view import HallMapView, MapLegend
from ui.route_words import chinese_words, phrase_directions

log = logging.getLogger(__name__)


def _load_map_data(store) -> MapData:
    """On the database thread: the map data, and the venue plan decoded there rather than while drawing."""
    data = load_map_data(store)
    decode_plan(data.background)
    return data


def _touch_list(widget: QListWidget) -> QListWidget:
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setWordWrap(True)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setTextElideMode(Qt.TextElideMode.ElideRight)
    QScroller.grabGesture(widget.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return widget


class MapPage(QWidget):
    """Search, category chips, the hall map and the booth details, side by side or stacked."""

    def __init__(self, services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mapPage")
        self.services = services
        self.data: MapData | None = None
        self.directory: Directory | None = None
        self.categories: dict[str, Category] = {}
        self.view: HallMapView | None = None  # once the data has come
        self.legend: MapLegend | None = None
        self.symbols: MapSymbols | None = None
        self.category = ""
        self.results: list[Exhibitor] = []
        self._route_seq = 0
        self._shown_route: tuple | None = None  # (booth id, step-free, route, directions) while one is shown

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
        self.zoom_all.setFixedSize(72, 72)
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
        # beside the map, not over it: floating buttons covered the marks in the corner (portrait totem)
        self.map_box.addWidget(self.zoom_controls, 0, 1, Qt.AlignmentFlag.AlignTop)
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
        self.symbols_box = QVBoxLayout()  # the key to the map's marks, once the plan is known
        self.symbols_box.setContentsMargins(0, 0, 0, 0)
        lp.addLayout(self.symbols_box)
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
        self.services.tasks.run_db(_load_map_data, self.set_data, self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        log.error("map data unavailable: %s", exc)
        self.map_message.setText(self.tr("The hall map is not available on this kiosk."))

    def set_data(self, data: MapData) -> None:
        self.data = data
        self.categories = {c.id: c for c in data.categories}
        self.directory = Directory(data.exhibitors, {c.id: (c.name, c.name_zh) for c in data.categories})
        if data.hall is None:
            log.error("no hall plan: %s", data.error)
            self.map_message.setText(self.tr("The hall map is not available on this kiosk."))
        else:
            self.map_message.hide()
            self.view = HallMapView(data.hall, data.exhibitors, {c.id: c.color for c in data.categories},
                                    kiosk_id=data.kiosk_id or None, language="zh" if self.services.zh else "en",
                                    background=data.background)
            self.view.setObjectName("hallMap")
            self.view.booth_tapped.connect(self.open_booth)
            self.map_box.addWidget(self.view, 0, 0)
            hall = data.hall
            self.symbols = MapSymbols(symbol_kinds((f.type for f in hall.facilities), bool(hall.entrances)))
            self.symbols_box.addWidget(self.symbols)
            self._layout_for_shape()
        self._build_legend()
        self.run_search()

    def reload_position(self) -> None:
        """Staff may have moved this kiosk on the plan (admin screen): "You are here" follows."""
        self.services.tasks.run_db(kiosk_position, self._position_loaded)

    def _position_loaded(self, kiosk_id: str) -> None:
        if self.data is None or kiosk_id == self.data.kiosk_id:
            return
        self.data = replace(self.data, kiosk_id=kiosk_id)
        if self.view is not None:
            self.view.set_kiosk(kiosk_id or None)
            self.view.clear_route()

    def _build_legend(self) -> None:
        if self.legend is not None:
            self.legend_box.removeWidget(self.legend)
            self.legend.deleteLater()
        entries = legend_entries(self.categories.values(), self.services.zh)
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
        for e in self.results:
            item = QListWidgetItem(result_text(e, self.services.zh))
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            cat = self.categories.get(e.category)
            if cat is not None:
                item.setIcon(_dot(cat.color))
            self.list.addItem(item)
        filtering = is_filtering(query, self.category)
        if self.view is not None:
            self.view.highlight(matching_booths(self.results) if filtering else None)
        self.count.setText(count_text(len(self.results), filtering))

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
        self._shown_route = None
        if self.view is not None:
            self.view.clear_route()
            self.view.highlight(e.booths)
            self.view.focus_booth(booth_id, scale=max(self.view.scale_px_per_m(), 18.0))
        self.panel.show_booth(e, booth_id, self.categories.get(e.category), self.services.zh,
                              self.data.logos.get(e.id) if self.data is not None else None)
        self.side.setCurrentWidget(self.panel)

    def close_booth(self) -> None:
        self._route_seq += 1
        self._shown_route = None
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
        steps = routing.directions(route, self.data.hall if self.data else None)
        self._shown_route = (booth_id, step_free, route, steps)
        self.panel.set_route(route, self._phone_text(), directions=steps)

    def _phone_text(self) -> str:
        """The route QR's text in the visitor's language (worded again when the language changes)."""
        if self._shown_route is None:
            return ""
        booth_id, step_free, route, steps = self._shown_route
        e = self.exhibitor_at(booth_id)
        if e is None:
            return ""
        zh, event = self.services.zh, self.services.event
        words = phrase_directions(steps, chinese_words if zh else lambda t: t)
        link = phone_link(event.public_url if event else "", booth_id)
        return phone_summary(e, booth_id, route, zh, step_free, words, link).text

    def _route_failed(self, seq: int, step_free: bool, exc: BaseException) -> None:
        if seq != self._route_seq:
            return
        log.warning("no route: %s", exc)
        self._shown_route = None
        text = no_route_text(step_free)
        if self.view is not None:
            self.view.clear_route()
        self.panel.set_route(None, error=text)

    # -- shape, language, reset -------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._layout_for_shape()

    def _layout_for_shape(self) -> None:
        landscape = is_landscape(self.width(), self.height())
        if self.symbols is not None:
            self.symbols.set_columns(4 if landscape else 6)
        if landscape:
            self.box.setDirection(QBoxLayout.Direction.LeftToRight)
            self.side.setFixedWidth(side_width(self.width()))
            self.side.setMinimumHeight(0)
            self.side.setMaximumHeight(16777215)
            self.box.setStretch(0, 1)
            self.box.setStretch(1, 0)
        else:
            self.box.setDirection(QBoxLayout.Direction.TopToBottom)
            self.side.setMinimumWidth(0)
            self.side.setMaximumWidth(16777215)
            self.side.setFixedHeight(side_height(self.height()))
            self.box.setStretch(0, 1)
            self.box.setStretch(1, 0)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search: name, booth, product, pinyin"))
        self.zoom_all.setText(self.tr("Whole hall").replace(" ", "\n", 1))  # two short lines on a square key
        self.hint.setText(self.tr("Drag to move, pinch or double-tap to zoom, tap a booth for details."))
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        self.panel.set_language(self.services.zh)
        if self._shown_route is not None:
            self.panel.phone.set_payload(self._phone_text())
        if self.directory is not None:
            self._build_legend()
            self.run_search()
        if self.view is not None:
            self.view.set_language("zh" if self.services.zh else "en")
        if self.symbols is not None:
            self.symbols.retranslate()

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
            self.view.home()
        self.list.scrollToTop()


def _dot(colour: str) -> QIcon:
    pix = QPixmap(28, 28)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(2, 2, 24, 24)
    p.end()
    return QIcon(pix)
