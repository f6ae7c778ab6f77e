"""The touch hall map: booths by category, facilities, "You are here", highlights and routes.

The view holds no rules. It is given a Hall (kiosk.hallmap), the exhibitor list and the
category colours, and reports taps; search (kiosk.directory) and routing (kiosk.routing)
happen outside and come back as highlight() and show_route() calls. Its own arithmetic (zoom,
framing, level of detail, caption sides) is in ui.map_geometry, label wording in ui.map_text,
and the fixed-size marks and labels it draws in ui.map_items.

Usage (attendee screens)::

    view = HallMapView(hall, exhibitors, {"ai": "#1565C0", ...}, kiosk_id="kiosk-1")
    view.booth_tapped.connect(show_booth_details)      # str booth id
    view.facility_tapped.connect(show_facility)        # str facility id
    view.highlight(matching_booths(directory.search(q)))   # dims everything else; [] clears
    view.show_route(routing.route(hall, hall.kiosk_position("kiosk-1"), "A03"))
    view.focus_booth("A03")                            # zooms in and centres the booth
    legend = MapLegend([("ai", "AI & digital health", "#1565C0"), ...])

Gestures: drag pans; pinch, double-tap and the mouse wheel zoom about the point under the
fingers; the zoom stays between "whole hall fits" and MAX_SCALE pixels per metre. Labels
ignore the zoom transform (same pixel size at every zoom) and are shown only when the booth
is large enough on screen for them, so they never pile up when zoomed out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsPathItem, QGraphicsPolygonItem, QGraphicsRectItem,
                               QGraphicsScene, QGraphicsView, QGridLayout, QPinchGesture, QPushButton, QWidget)

from kiosk.hallmap import Hall
from kiosk.models import Exhibitor
from kiosk.routing import Route
from ui.map_background import plan_item
from ui.map_geometry import (at_closest_zoom, caption_offset, clamp_scale, frame, frame_in, home_bounds, label_offsets,
                             label_room, label_side, point_along, wheel_factor, zoom_about, zoom_limits)
from ui.map_items import Badge, BoothName, Caption, route_pen, screen_text, shared_pen
from ui.map_text import booth_name

TAP_SLOP_PX = 12  # a press that moves less than this is a tap, not a drag
DIMMED_OPACITY = 0.22
LABEL_DIMMED_OPACITY = 0.45  # dimmed booths recede, but their names stay readable
NUMBER_PX = 16  # booth number, bold: readable from a metre on a 1080p kiosk
NAME_PX = 18  # exhibitor name under it, as large: the default view frames the booths so that names fit
ROUTE_LEAD_M = 2.0  # how far along a route its leaving direction is read, for the caption to avoid it
NAME_COLOR = "#0E1A20"
STEPS_PX = 16  # the "Steps" word on a raised area
CHIP_FONT_PX = 21  # category chips in the legend
UNASSIGNED = "#B0B7BF"

_ROLE_BOOTH = 0
_ROLE_FACILITY = 1

_FACILITY_MARK = {  # short marks that render in any font; the words are translated
    "toilet": QT_TRANSLATE_NOOP("HallMap", "WC"), "cafe": QT_TRANSLATE_NOOP("HallMap", "Café"),
    "stage": "★", "exit": QT_TRANSLATE_NOOP("HallMap", "EXIT"), "stairs": "⇅", "lift": "⇵",
    "info": "i", "first_aid": "+", "cloakroom": "C", "meeting": "M", "entrance": "⇩",
}


FACILITY_MARKS = _FACILITY_MARK  # for the key to the marks (ui.map_symbols)
FACILITY_COLOR = "#37474F"
ENTRANCE_COLOR = "#2E7D32"


def _tr(text: str) -> str:
    return QCoreApplication.translate("HallMap", text)


class HallMapView(QGraphicsView):
    """Pannable, zoomable hall map for touch screens.

    Signals:
        booth_tapped(str): a booth was tapped (not dragged); its booth id.
        facility_tapped(str): a facility mark was tapped; its id from the hall plan.
        zoom_changed(float): the scale changed; pixels per metre.
    """

    booth_tapped = Signal(str)
    facility_tapped = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, hall: Hall, exhibitors: Sequence[Exhibitor], category_colors: Mapping[str, str],
                 kiosk_id: str | None = None, language: str = "en", parent: QWidget | None = None,
                 background: bytes | None = None):
        super().__init__(parent)
        self._hall = hall
        self._plan_png = background  # the venue's plan image (PNG) placed by hall.background
        self._colors = dict(category_colors)
        self._language = language
        self._by_booth: dict[str, Exhibitor] = {b: e for e in exhibitors for b in e.booths}
        self._booth_items: dict[str, QGraphicsPolygonItem] = {}
        self._labels: dict[str, tuple[BoothName, BoothName]] = {}
        self._highlighted: set[str] = set()
        self._route_items: list[QGraphicsItem] = []
        self._route_lead: tuple[float, float] | None = None  # where a shown route heads from the marker
        self._scale = 1.0
        self._user_zoomed = False
        self._auto_view = self.home  # what a resize re-frames while the visitor has not zoomed or panned
        self._press: QPoint | None = None
        self._kiosk_id = kiosk_id
        self._marks: list[tuple[Badge, str]] = []  # facility badges with their untranslated mark
        self._step_tags: list = []  # the "Steps" words on raised areas, retranslated with the rest
        self._pending_tap = QTimer(self)  # a tap waits out the double-tap interval before it counts
        self._pending_tap.setObjectName("map-tap-timer")
        self._pending_tap.setSingleShot(True)
        self._pending_tap.setInterval(QGuiApplication.styleHints().mouseDoubleClickInterval())
        self._pending_tap.timeout.connect(self._emit_tap)
        self._tap_target: tuple[str, str] | None = None  # ("booth" | "facility", id)

        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setRenderHints(self.renderHints())
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor("#ECEFF1"))
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self._build()

    # ------------------------------------------------------------ public API

    @property
    def hall(self) -> Hall:
        return self._hall

    def scale_px_per_m(self) -> float:
        return self._scale

    def zoom_limits(self) -> tuple[float, float]:
        """(lo, hi) pixels per metre for the current viewport size."""
        return zoom_limits(self._fit())

    def fit_all(self) -> None:
        """Show the whole hall (the "Whole hall" button; a double-tap at the closest zoom)."""
        self._apply(*frame_in(self._hall.bounds, self._viewport_size()))
        self._user_zoomed = False
        self._auto_view = self.fit_all  # a resize keeps showing the whole hall

    def home(self) -> None:
        """The default view, what the idle screen returns to: the booths and "You are here", framed
        large enough for names to be read from a metre."""
        you = self._hall.kiosk_position(self._kiosk_id)
        bounds = home_bounds((b.bbox for b in self._hall.booths), you, self._hall.bounds)
        scale, centre = frame_in(bounds, self._viewport_size())
        self._apply(clamp_scale(scale, *self.zoom_limits()), centre)
        self._user_zoomed = False
        self._auto_view = self.home

    def _viewport_size(self) -> tuple[float, float]:
        vp = self.viewport().size()
        return vp.width(), vp.height()

    def zoom_by(self, factor: float, anchor: QPoint | QPointF | None = None) -> None:
        """Zoom about a viewport point (default: the centre), keeping that point fixed."""
        vp = self.viewport().rect()
        centre = (vp.width() / 2, vp.height() / 2)
        av = (anchor.x(), anchor.y()) if anchor is not None else centre
        sp = self.mapToScene(QPoint(round(av[0]), round(av[1])))
        lo, hi = self.zoom_limits()
        new, c = zoom_about(self._scale, factor, (sp.x(), sp.y()), av, centre, lo, hi)
        self._apply(new, c)
        self._user_zoomed = True

    def focus_booth(self, booth_id: str, scale: float = 40.0) -> None:
        """Centre a booth and zoom in enough to read its label."""
        item = self._booth_items.get(booth_id)
        if item is None:
            return
        c = item.boundingRect().center()
        lo, hi = self.zoom_limits()
        self._apply(clamp_scale(max(scale, self._scale), lo, hi), (c.x(), c.y()))
        self._user_zoomed = True

    def highlight(self, booth_ids: Iterable[str] | None) -> None:
        """Emphasise these booths and dim the rest; an empty or None list clears."""
        ids = {b for b in (booth_ids or ()) if b in self._booth_items}
        self._highlighted = ids
        for bid, item in self._booth_items.items():
            on = not ids or bid in ids
            opacity = 1.0 if on else DIMMED_OPACITY
            if item.opacity() != opacity:
                item.setOpacity(opacity)
                for label in self._labels[bid]:
                    label.setOpacity(1.0 if on else LABEL_DIMMED_OPACITY)
            strong = bid in ids
            if (item.zValue() == 2) != strong:
                item.setZValue(2 if strong else 1)
                item.setPen(self._booth_pen(bid, strong))

    def highlighted(self) -> set[str]:
        return set(self._highlighted)

    def show_route(self, route: Route | None) -> None:
        """Draw a walking route (replacing any earlier one); None clears it."""
        self.clear_route()
        if route is None or len(route.points) < 2:
            return
        path = QPainterPath(QPointF(*route.points[0]))
        for p in route.points[1:]:
            path.lineTo(QPointF(*p))
        casing = QGraphicsPathItem(path)
        casing.setPen(route_pen("#FFFFFF", 12))
        line = QGraphicsPathItem(path)
        line.setPen(route_pen("#D81B60", 7))
        end = Badge("●", "#D81B60", 26)
        end.setPos(QPointF(*route.points[-1]))
        for z, it in enumerate((casing, line, end)):
            it.setZValue(20 + z)  # under "You are here" (30): the route leaves from under the marker
            self.scene().addItem(it)
        self._route_items = [casing, line, end]
        self._route_lead = point_along(route.points, ROUTE_LEAD_M)
        self._place_you_caption()
        self.frame_points(route.points)

    def frame_points(self, points, margin_m: float = 4.0, max_scale: float = 30.0) -> None:
        """Zoom and centre so every point (a whole route, "you are here" to the booth) is in view."""
        vp = self.viewport().rect()
        scale, centre = frame(points, (vp.width(), vp.height()), margin_m, max_scale)
        self._apply(clamp_scale(scale, *self.zoom_limits()), centre)
        self._user_zoomed = True

    def clear_route(self) -> None:
        for it in self._route_items:
            self.scene().removeItem(it)
        self._route_items = []
        if self._route_lead is not None:
            self._route_lead = None
            self._place_you_caption()

    def route_path(self) -> list[tuple[float, float]]:
        """The points of the route on screen now (scene metres); [] when none."""
        if not self._route_items:
            return []
        path = self._route_items[1].path()
        return [(path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount())]

    def set_kiosk(self, kiosk_id: str | None) -> None:
        """Move "You are here" to another kiosk position of the plan."""
        self._kiosk_id = kiosk_id
        x, y = self._hall.kiosk_position(kiosk_id)
        self._you.setPos(x, y)
        self._place_you_caption()

    def kiosk_id(self) -> str | None:
        return self._kiosk_id

    def _place_you_caption(self) -> None:
        """Put "You are here" on the side away from the entrance and facility marks near it, and from
        the way a route leaves the marker (the caption would hide the route's first metres)."""
        marks = [e.pos for e in self._hall.entrances] + [f.pos for f in self._hall.facilities]
        if self._route_lead is not None:
            marks += [self._route_lead] * 3  # weigh the route above any one mark
        pos = self._you.pos()
        self._you_side = label_side((pos.x(), pos.y()), marks)
        br = self._you_tag.boundingRect()
        self._you_tag.setPos(QPointF(*caption_offset(self._you_side, (br.width(), br.height()), 15 + 6)))  # radius, gap

    def you_caption_rect(self) -> QRectF:
        """Where "You are here" is written, in viewport pixels (for tests)."""
        return self._you_tag.deviceTransform(self.viewportTransform()).mapRect(self._you_tag.boundingRect())

    def set_language(self, language: str) -> None:
        """Relabel booths with English ("en") or Chinese ("zh") exhibitor names."""
        self._language = language
        for bid, (_num, name) in self._labels.items():
            name.set_text(self._label_name(bid))
        for badge, mark in self._marks:
            badge.set_text(_tr(mark))
        for tag in self._step_tags:
            tag.setText(QCoreApplication.translate("HallMap", "Steps"))
        self._you_tag.setText(_tr("You are here"))
        self._place_you_caption()
        self._update_lod()

    def booth_at(self, view_pos: QPoint) -> str | None:
        """The booth under a viewport point, if any."""
        for it in self.items(view_pos):
            if it.data(_ROLE_BOOTH):
                return str(it.data(_ROLE_BOOTH))
        return None

    def facility_at(self, view_pos: QPoint) -> str | None:
        for it in self.items(view_pos):
            node = it
            while node is not None:
                if node.data(_ROLE_FACILITY):
                    return str(node.data(_ROLE_FACILITY))
                node = node.parentItem()
        return None

    def booth_view_pos(self, booth_id: str) -> QPoint:
        """Where a booth's centre is in viewport pixels now (for tests and pop-over placement)."""
        return self.mapFromScene(self._booth_items[booth_id].boundingRect().center())

    def label_visible(self, booth_id: str) -> tuple[bool, bool]:
        """(number shown, name shown) at the current zoom."""
        num, name = self._labels[booth_id]
        return num.isVisible(), name.isVisible()

    def label_lines(self, booth_id: str) -> list[str]:
        """The name lines shown in a booth now ([] when the name is hidden)."""
        name = self._labels[booth_id][1]
        return name.lines() if name.isVisible() else []

    def label_rects(self, booth_id: str) -> list[QRectF]:
        """The viewport rectangles of the booth's visible labels (for overlap tests)."""
        vt = self.viewportTransform()
        return [it.deviceTransform(vt).mapRect(it.boundingRect()) for it in self._labels[booth_id] if it.isVisible()]

    # ------------------------------------------------------------ building the scene

    def _build(self) -> None:
        sc = self.scene()
        h = self._hall
        x0, y0, x1, y1 = h.bounds
        w, hh = x1 - x0, y1 - y0
        sc.setSceneRect(QRectF(x0 - w * 0.5, y0 - hh * 0.5, w * 2, hh * 2))
        floor = QGraphicsPolygonItem(QPolygonF([QPointF(*p) for p in h.outline]))
        floor.setBrush(QColor("#FFFFFF"))
        floor.setPen(shared_pen("#455A64", 4))
        floor.setZValue(-10)
        sc.addItem(floor)
        self._add_plan()
        for a in h.steps:
            area = QGraphicsPolygonItem(QPolygonF([QPointF(*p) for p in a.polygon]))
            area.setBrush(QBrush(QColor("#90A4AE"), Qt.BrushStyle.BDiagPattern))
            area.setPen(shared_pen("#78909C", 1, dashed=True))
            area.setZValue(-5)
            sc.addItem(area)
            tag = screen_text(QCoreApplication.translate("HallMap", "Steps"), STEPS_PX, "#455A64")
            tag.setPos(QPointF(*a.polygon[0]) + QPointF(0.2, 0.2))
            sc.addItem(tag)
            self._step_tags.append(tag)
        for wall in h.walls:
            path = QPainterPath(QPointF(*wall.points[0]))
            for p in wall.points[1:]:
                path.lineTo(QPointF(*p))
            item = QGraphicsPathItem(path)
            pen = QPen(QColor("#455A64"), wall.thickness)
            pen.setCapStyle(Qt.PenCapStyle.SquareCap)
            item.setPen(pen)
            sc.addItem(item)
        for f in h.facilities:
            if f.rect:
                r = QGraphicsRectItem(QRectF(*f.rect))
                r.setBrush(QColor("#CFD8DC"))
                r.setPen(shared_pen("#90A4AE", 1))
                r.setData(_ROLE_FACILITY, f.id)
                sc.addItem(r)
            mark = _FACILITY_MARK.get(f.type, "?")
            badge = Badge(_tr(mark), FACILITY_COLOR)
            self._marks.append((badge, mark))
            badge.setPos(QPointF(*f.pos))
            badge.setZValue(15)
            badge.setData(_ROLE_FACILITY, f.id)
            sc.addItem(badge)
        for e in h.entrances:
            badge = Badge(_FACILITY_MARK["entrance"], ENTRANCE_COLOR)
            badge.setPos(QPointF(*e.pos))
            badge.setZValue(15)
            badge.setData(_ROLE_FACILITY, e.id)
            sc.addItem(badge)
        name_font = QFont()
        name_font.setPixelSize(NAME_PX)
        name_font.setWeight(QFont.Weight.Medium)
        number_font = QFont()
        number_font.setPixelSize(NUMBER_PX)
        number_font.setBold(True)
        for b in h.booths:
            item = QGraphicsPolygonItem(QPolygonF([QPointF(*p) for p in b.polygon]))
            item.setBrush(self._booth_brush(b.id))
            item.setPen(self._booth_pen(b.id, False))
            item.setData(_ROLE_BOOTH, b.id)
            item.setZValue(1)
            sc.addItem(item)
            self._booth_items[b.id] = item
            num = BoothName(b.label or b.id, number_font, "#0B1419")
            num.fit(1e6, 1)
            name = BoothName(self._label_name(b.id), name_font, NAME_COLOR)
            cx, cy = b.center
            for lab in (num, name):
                lab.setPos(cx, cy)
                lab.setZValue(10)
                sc.addItem(lab)
            self._labels[b.id] = (num, name)
        self._you = Badge("●", "#1E88E5", 30)
        self._you.setZValue(30)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(16)
        self._you_tag = Caption(QCoreApplication.translate("HallMap", "You are here"), font, "#0D47A1", self._you)
        sc.addItem(self._you)
        self.set_kiosk(self._kiosk_id)

    def _add_plan(self) -> None:
        """The venue's own plan under the booths, when the hall names one and its image came."""
        self._plan = None
        if self._plan_png and self._hall.background is not None:
            self._plan = plan_item(self._plan_png, self._hall.background)
            if self._plan is not None:
                self.scene().addItem(self._plan)

    def plan_shown(self) -> bool:
        """The venue's plan is drawn under the booths."""
        return self._plan is not None and self._plan.isVisible()

    def _label_name(self, booth_id: str) -> str:
        return booth_name(self._by_booth.get(booth_id), self._language)

    def _booth_brush(self, booth_id: str) -> QBrush:
        e = self._by_booth.get(booth_id)
        base = QColor(self._colors.get(e.category, UNASSIGNED) if e else UNASSIGNED)
        # a light tint keeps dark label text readable on every category colour
        mixed = QColor.fromRgbF(base.redF() * 0.35 + 0.65, base.greenF() * 0.35 + 0.65, base.blueF() * 0.35 + 0.65)
        return QBrush(mixed)

    def _booth_pen(self, booth_id: str, strong: bool) -> QPen:
        if strong:
            return shared_pen("#FFB300", 5)
        e = self._by_booth.get(booth_id)
        return shared_pen(self._colors.get(e.category, UNASSIGNED) if e else UNASSIGNED, 2)

    # ------------------------------------------------------------ zoom plumbing

    def _fit(self) -> float:
        return frame_in(self._hall.bounds, self._viewport_size())[0]

    def _apply(self, scale: float, centre: tuple[float, float]) -> None:
        changed = abs(scale - self._scale) > 1e-9
        self._scale = scale
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(QPointF(*centre))
        self._update_lod()
        if changed:
            self.zoom_changed.emit(scale)

    def _update_lod(self) -> None:
        """Level of detail: a booth shows its number when that fits on screen, and as many lines
        of its name as its box holds; the number and name are centred together in the booth."""
        for bid, (num, name) in self._labels.items():
            x0, y0, x1, y1 = self._hall.booth(bid).bbox
            nb = num.boundingRect()
            room = label_room(((x1 - x0) * self._scale, (y1 - y0) * self._scale), (nb.width(), nb.height()),
                              name.line_height())
            show_name = room.name_lines >= 1 and bool(name.text()) and name.fit(room.name_width, room.name_lines)
            num.setVisible(room.number)
            name.setVisible(show_name)
            if room.number:
                num_dy, name_dy = label_offsets(nb.height(), name.boundingRect().height() if show_name else 0)
                num.setTransform(QTransform.fromTranslate(0, num_dy))
                if show_name:
                    name.setTransform(QTransform.fromTranslate(0, name_dy))

    # ------------------------------------------------------------ events

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if not self._user_zoomed:
            self._auto_view()
        else:
            lo, hi = self.zoom_limits()
            c = self.mapToScene(self.viewport().rect().center())
            self._apply(clamp_scale(self._scale, lo, hi), (c.x(), c.y()))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._user_zoomed:
            self._auto_view()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        event.accept()
        start, self._press = self._press, None
        if start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        if (pos - start).manhattanLength() > TAP_SLOP_PX:
            self._user_zoomed = True  # it was a pan
            return
        facility = self.facility_at(pos)
        booth = None if facility else self.booth_at(pos)
        if facility or booth:
            # wait: if a second tap follows, this was a double-tap (zoom), not a choice
            self._tap_target = ("facility", facility) if facility else ("booth", booth)
            self._pending_tap.start()

    def pending_tap(self) -> bool:
        """A tap is waiting out the double-tap interval."""
        return self._pending_tap.isActive()

    def _emit_tap(self) -> None:
        target, self._tap_target = self._tap_target, None
        if target is None:
            return
        kind, ident = target
        (self.facility_tapped if kind == "facility" else self.booth_tapped).emit(ident)

    def hideEvent(self, event) -> None:  # noqa: N802
        self._pending_tap.stop()  # a tap on a map that has gone away chooses nothing
        self._tap_target = None
        super().hideEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        """Double-tap: zoom in twice about the finger; at the closest zoom, back to the whole hall.
        The first tap of the pair does not open the booth."""
        self._pending_tap.stop()
        self._tap_target = None
        lo, hi = self.zoom_limits()
        if at_closest_zoom(self._scale, hi):
            self.fit_all()
        else:
            self.zoom_by(2.0, event.position())
        event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802
        if event.angleDelta().y():
            self.zoom_by(wheel_factor(event.angleDelta().y()), event.position())
        event.accept()

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Gesture:
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                if pinch.changeFlags() & QPinchGesture.ChangeFlag.ScaleFactorChanged:
                    anchor = self.viewport().mapFromGlobal(pinch.centerPoint().toPoint())
                    self.zoom_by(pinch.scaleFactor(), anchor)
                event.accept()
                return True
        return super().viewportEvent(event)

class MapLegend(QWidget):
    """Category colours as large tappable swatches; tapping one asks to filter by it.

    entries: (category id, display name, colour). Signals: category_tapped(str) with the id,
    or "" when the tapped category was already selected (i.e. clear the filter).
    """

    category_tapped = Signal(str)

    def __init__(self, entries: Sequence[tuple[str, str, str]], columns: int = 2, parent: QWidget | None = None):
        super().__init__(parent)
        self._buttons: dict[str, QPushButton] = {}
        self._selected = ""
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setSpacing(8)
        for i, (cid, label, color) in enumerate(entries):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setMinimumHeight(56)
            button.setStyleSheet(
                f"QPushButton {{ text-align: left; padding: 6px 12px 6px 12px; font-size: {CHIP_FONT_PX}px;"
                f" border: 2px solid {color}; border-left: 18px solid {color}; border-radius: 6px; background: #FFFFFF; }}"
                f" QPushButton:checked {{ background: {color}; color: #FFFFFF; }}")
            button.clicked.connect(lambda _=False, c=cid: self._tap(c))
            grid.addWidget(button, i // columns, i % columns)
            self._buttons[cid] = button

    def selected(self) -> str:
        return self._selected

    def button(self, category_id: str) -> QPushButton:
        return self._buttons[category_id]

    def _tap(self, cid: str) -> None:
        self._selected = "" if self._selected == cid else cid
        for k, b in self._buttons.items():
            b.setChecked(k == self._selected)
        self.category_tapped.emit(self._selected)
