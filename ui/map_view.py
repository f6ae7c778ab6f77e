"""The touch hall map: booths by category, facilities, "You are here", highlights and routes.

The view holds no rules. It is given a Hall (kiosk.hallmap), the exhibitor list and the
category colours, and reports taps; search (kiosk.directory) and routing (kiosk.routing)
happen outside and come back as highlight() and show_route() calls.

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

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPoint, QPointF, QRectF, Qt, QTimer,
                            Signal)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QGuiApplication, QPainterPath, QPen, QPolygonF, QTransform
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QGridLayout,
    QStyleOptionGraphicsItem,
    QPinchGesture,
    QPushButton,
    QWidget,
)

from kiosk.hallmap import Hall
from kiosk.models import Exhibitor
from kiosk.routing import Route

MAX_SCALE = 120.0  # pixels per metre at the closest zoom: a 3 m booth fills 360 px
FIT_MARGIN = 0.97  # the whole hall uses this share of the viewport when fitted
MIN_OF_FIT = 0.8  # one may zoom out a little past "fits", never further
TAP_SLOP_PX = 12  # a press that moves less than this is a tap, not a drag
DIMMED_OPACITY = 0.22
LABEL_DIMMED_OPACITY = 0.45  # dimmed booths recede, but their names stay readable
NUMBER_PX = 15  # booth number, bold: readable from a metre on a 1080p kiosk
NAME_PX = 12  # exhibitor name under it
NAME_MAX_LINES = 3
ROUTE_LEAD_M = 2.0  # how far along a route its leaving direction is read, for the caption to avoid it
NAME_MIN_WIDTH_PX = 34  # narrower than this, a booth shows its number only
NAME_COLOR = "#0E1A20"
CHIP_FONT_PX = 21  # category chips in the legend
UNASSIGNED = "#B0B7BF"

_ROLE_BOOTH = 0
_ROLE_FACILITY = 1

_FACILITY_MARK = {  # short marks that render in any font; the words are translated
    "toilet": QT_TRANSLATE_NOOP("HallMap", "WC"), "cafe": QT_TRANSLATE_NOOP("HallMap", "Café"),
    "stage": "★", "exit": QT_TRANSLATE_NOOP("HallMap", "EXIT"), "stairs": "⇅", "lift": "⇵",
    "info": "i", "first_aid": "+", "cloakroom": "C", "meeting": "M", "entrance": "⇩",
}

def _tr(text: str) -> str:
    return QCoreApplication.translate("HallMap", text)

# ---------------------------------------------------------------- zoom maths (pure, unit-tested)

def clamp_scale(scale: float, lo: float, hi: float) -> float:
    """Keep the zoom between the fitted hall (lo) and the closest zoom (hi)."""
    if hi < lo:
        hi = lo
    return max(lo, min(hi, scale))

def zoom_about(scale: float, factor: float, anchor_scene: tuple[float, float], anchor_view: tuple[float, float],
               viewport_center: tuple[float, float], lo: float, hi: float) -> tuple[float, tuple[float, float]]:
    """Zoom by factor keeping the scene point under anchor_view fixed on screen.

    Returns (new scale, scene point to centre the view on). With view = (scene - centre) *
    scale + viewport_center, solving for the centre that maps anchor_scene to anchor_view.
    """
    new = clamp_scale(scale * factor, lo, hi)
    cx = anchor_scene[0] - (anchor_view[0] - viewport_center[0]) / new
    cy = anchor_scene[1] - (anchor_view[1] - viewport_center[1]) / new
    return new, (cx, cy)

def fit_scale(hall_size: tuple[float, float], viewport_size: tuple[float, float], margin: float = FIT_MARGIN) -> float:
    """Pixels per metre at which the whole hall fits the viewport."""
    w, h = hall_size
    vw, vh = viewport_size
    if w <= 0 or h <= 0 or vw <= 0 or vh <= 0:
        return 1.0
    return min(vw / w, vh / h) * margin

def short_name(name: str, limit: int = 14) -> str:
    """A booth label that fits: the name cut at a word boundary with an ellipsis."""
    if len(name) <= limit:
        return name
    cut = name[:limit].rsplit(" ", 1)[0] if " " in name[:limit] else name[:limit - 1]
    return cut.rstrip(" &,-") + "…"

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _join(line: str, token: str) -> str:
    if not line:
        return token
    spaced = not (_CJK.match(line[-1]) or _CJK.match(token[0]))
    return line + (" " if spaced else "") + token


def _elide(text: str, width: float, measure: Callable[[str], float]) -> str:
    """text cut so that text + "…" fits width (at least one character is kept)."""
    text = text.rstrip()
    while len(text) > 1 and measure(text + "…") > width:
        text = text[:-1].rstrip()
    return text.rstrip(" &,-·/") + "…"


def wrap_label(text: str, width: float, max_lines: int, measure: Callable[[str], float]) -> list[str]:
    """A name wrapped into at most max_lines lines of width pixels; the last shown line ends
    in "…" when the name goes on. Latin names break between words (a word longer than a
    line is cut with "…"), Chinese between any two characters."""
    tokens = _TOKENS.findall(text)
    lines: list[str] = []
    line = ""
    i = 0
    while i < len(tokens) and len(lines) < max_lines:
        candidate = _join(line, tokens[i])
        if measure(candidate) <= width:
            line, i = candidate, i + 1
        elif line:
            lines.append(line)
            line = ""
        else:
            lines.append(_elide(tokens[i], width, measure))
            i += 1
    if line and len(lines) < max_lines:
        lines.append(line)
        line = ""
    if (i < len(tokens) or line) and lines and not lines[-1].endswith("…"):
        lines[-1] = _elide(lines[-1] + " " + tokens[min(i, len(tokens) - 1)], width, measure) \
            if measure(lines[-1] + "…") > width else lines[-1] + "…"
    return lines


def label_worth_showing(text: str, lines: list[str]) -> bool:
    """A wrapped name says something: a whole first word, or a few letters of it (two for Chinese)."""
    if not lines:
        return False
    if not lines[0].endswith("…"):
        return True
    shown = lines[0].rstrip("…")
    return len(shown) >= (2 if _CJK.match(text[:1] or " ") else 4)


def _along(points: Sequence[tuple[float, float]], metres: float) -> tuple[float, float]:
    """The point `metres` along a polyline from its start (its end when shorter)."""
    left = metres
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        d = math.hypot(x1 - x0, y1 - y0)
        if d >= left and d > 0:
            t = left / d
            return (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        left -= d
    return tuple(points[-1])


def label_side(origin: tuple[float, float], others: Iterable[tuple[float, float]], radius: float = 8.0) -> str:
    """Where to put a mark's caption ("below", "above", "right" or "left") so it points away
    from the nearby marks (entrances, facilities) it would otherwise cover."""
    sides = {"below": (0.0, 1.0), "above": (0.0, -1.0), "right": (1.0, 0.0), "left": (-1.0, 0.0)}
    cost = dict.fromkeys(sides, 0.0)
    ox, oy = origin
    for x, y in others:
        dx, dy = x - ox, y - oy
        d = math.hypot(dx, dy)
        if d > radius or d < 1e-9:
            continue
        for side, (sx, sy) in sides.items():
            cost[side] += max(0.0, (dx * sx + dy * sy) / d) / max(d, 0.5)
    return min(sides, key=lambda k: (cost[k], list(sides).index(k)))


# ---------------------------------------------------------------- items

class _Badge(QGraphicsEllipseItem):
    """A round mark with a short text that keeps its pixel size at every zoom."""

    def __init__(self, text: str, fill: str, diameter: float = 34.0, text_color: str = "#FFFFFF"):
        r = diameter / 2
        super().__init__(-r, -r, diameter, diameter)
        self._diameter = diameter
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setBrush(QColor(fill))
        self.setPen(QPen(QColor("#FFFFFF"), 2))
        self._label = QGraphicsSimpleTextItem(self)
        self._label.setBrush(QColor(text_color))
        self.set_text(text)

    def set_text(self, text: str) -> None:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(14 if len(text) <= 2 else 12)
        self._label.setFont(font)
        self._label.setText(text)
        br = self._label.boundingRect()
        self._label.setPos(-br.width() / 2, -br.height() / 2)
        d = self._diameter
        w = max(d, br.width() + 14)  # longer words ("EXIT", "卫生间") get an oval, not a squeeze
        self.setRect(-w / 2, -d / 2, w, d)

class _BoothName(QGraphicsItem):
    """A booth number or exhibitor name, wrapped to the booth's width on screen, in screen
    pixels at every zoom, centred on its position.

    The lines are worked out again only when the booth's on-screen box changes (a zoom
    step), never while panning; painting draws the cached lines.
    """

    def __init__(self, text: str, font: QFont, color: str):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._font = font
        self._metrics = QFontMetricsF(font)
        self._color = QColor(color)
        self._text = text
        self._lines: list[str] = []
        self._box: tuple[int, int] | None = None
        self._rect = QRectF()

    def text(self) -> str:
        return self._text

    def lines(self) -> list[str]:
        return list(self._lines)

    def line_height(self) -> float:
        """Tight lines (the CJK font's own leading is about 1.5 em): names wrap into small booths."""
        return round(self._font.pixelSize() * 1.2)

    def set_text(self, text: str) -> None:
        self._text = text
        self._box = None

    def fit(self, width_px: float, max_lines: int) -> bool:
        """Wrap into this box; True when what fits is worth showing."""
        box = (int(width_px) // 2 * 2, max_lines)
        if box != self._box:
            self._box = box
            self._lines = wrap_label(self._text, box[0], max_lines, self._metrics.horizontalAdvance) \
                if box[0] > 0 and max_lines > 0 else []
            w = max((self._metrics.horizontalAdvance(t) for t in self._lines), default=0.0)
            self.prepareGeometryChange()
            self._rect = QRectF(-w / 2 - 1, 0, w + 2, self.line_height() * len(self._lines))
        return label_worth_showing(self._text, self._lines)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(self, painter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setFont(self._font)
        painter.setPen(self._color)
        lh = self.line_height()
        ascent = lh - (lh - self._font.pixelSize()) / 2 - self._font.pixelSize() * 0.12
        for i, line in enumerate(self._lines):
            w = self._metrics.horizontalAdvance(line)
            painter.drawText(QPointF(-w / 2, i * lh + ascent), line)


class _Caption(QGraphicsItem):
    """A caption on a white rounded plate, so it reads over walls, routes and booth edges."""

    PAD_X, PAD_Y = 8.0, 3.0

    def __init__(self, text: str, font: QFont, color: str, parent: QGraphicsItem | None = None):
        super().__init__(parent)
        self._font, self._color = font, QColor(color)
        self._metrics = QFontMetricsF(font)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (as QGraphicsSimpleTextItem)
        self.prepareGeometryChange()
        self._text = text
        w = self._metrics.horizontalAdvance(text)
        self._rect = QRectF(0, 0, w + 2 * self.PAD_X, self._metrics.height() + 2 * self.PAD_Y)

    def text(self) -> str:
        return self._text

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(QPen(QColor("#1E88E5"), 1.5))
        painter.setBrush(QColor("#FFFFFF"))  # opaque: a route passing behind must not show through
        painter.drawRoundedRect(self._rect, 8, 8)
        painter.setFont(self._font)
        painter.setPen(self._color)
        painter.drawText(QPointF(self.PAD_X, self.PAD_Y + self._metrics.ascent()), self._text)


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
                 kiosk_id: str | None = None, language: str = "en", parent: QWidget | None = None):
        super().__init__(parent)
        self._hall = hall
        self._colors = dict(category_colors)
        self._language = language
        self._by_booth: dict[str, Exhibitor] = {b: e for e in exhibitors for b in e.booths}
        self._booth_items: dict[str, QGraphicsPolygonItem] = {}
        self._labels: dict[str, tuple[_BoothName, _BoothName]] = {}
        self._highlighted: set[str] = set()
        self._route_items: list[QGraphicsItem] = []
        self._route_lead: tuple[float, float] | None = None  # where a shown route heads from the marker
        self._scale = 1.0
        self._user_zoomed = False
        self._press: QPoint | None = None
        self._kiosk_id = kiosk_id
        self._marks: list[tuple[_Badge, str]] = []  # facility badges with their untranslated mark
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
        lo = self._fit() * MIN_OF_FIT
        return lo, max(lo, MAX_SCALE)

    def fit_all(self) -> None:
        """Show the whole hall; what the idle screen returns to."""
        x0, y0, x1, y1 = self._hall.bounds
        self._apply(self._fit(), ((x0 + x1) / 2, (y0 + y1) / 2))
        self._user_zoomed = False

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
        casing.setPen(self._route_pen("#FFFFFF", 12))
        line = QGraphicsPathItem(path)
        line.setPen(self._route_pen("#D81B60", 7))
        end = _Badge("●", "#D81B60", 26)
        end.setPos(QPointF(*route.points[-1]))
        for z, it in enumerate((casing, line, end)):
            it.setZValue(20 + z)  # under "You are here" (30): the route leaves from under the marker
            self.scene().addItem(it)
        self._route_items = [casing, line, end]
        self._route_lead = _along(route.points, ROUTE_LEAD_M)
        self._place_you_caption()
        self.frame_points(route.points)

    def frame_points(self, points, margin_m: float = 4.0, max_scale: float = 30.0) -> None:
        """Zoom and centre so every point (a whole route, "you are here" to the booth) is in view."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        width = max(xs) - min(xs) + 2 * margin_m
        height = max(ys) - min(ys) + 2 * margin_m
        vp = self.viewport().rect()
        lo, hi = self.zoom_limits()
        scale = clamp_scale(min(vp.width() / width, vp.height() / height, max_scale), lo, hi)
        self._apply(scale, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
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
        r = 15 + 6  # badge radius and a gap
        offset = {"below": QPointF(-br.width() / 2, r), "above": QPointF(-br.width() / 2, -r - br.height()),
                  "right": QPointF(r + 4, -br.height() / 2),
                  "left": QPointF(-r - 4 - br.width(), -br.height() / 2)}[self._you_side]
        self._you_tag.setPos(offset)

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
        floor.setPen(self._pen("#455A64", 4))
        floor.setZValue(-10)
        sc.addItem(floor)
        for a in h.steps:
            area = QGraphicsPolygonItem(QPolygonF([QPointF(*p) for p in a.polygon]))
            area.setBrush(QBrush(QColor("#90A4AE"), Qt.BrushStyle.BDiagPattern))
            area.setPen(self._pen("#78909C", 1, dashed=True))
            area.setZValue(-5)
            sc.addItem(area)
            tag = self._text(QCoreApplication.translate("HallMap", "Steps"), 12, "#455A64")
            tag.setPos(QPointF(*a.polygon[0]) + QPointF(0.2, 0.2))
            sc.addItem(tag)
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
                r.setPen(self._pen("#90A4AE", 1))
                r.setData(_ROLE_FACILITY, f.id)
                sc.addItem(r)
            mark = _FACILITY_MARK.get(f.type, "?")
            badge = _Badge(_tr(mark), "#37474F")
            self._marks.append((badge, mark))
            badge.setPos(QPointF(*f.pos))
            badge.setZValue(15)
            badge.setData(_ROLE_FACILITY, f.id)
            sc.addItem(badge)
        for e in h.entrances:
            badge = _Badge(_FACILITY_MARK["entrance"], "#2E7D32")
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
            num = _BoothName(b.label or b.id, number_font, "#0B1419")
            num.fit(1e6, 1)
            name = _BoothName(self._label_name(b.id), name_font, NAME_COLOR)
            cx, cy = b.center
            for lab in (num, name):
                lab.setPos(cx, cy)
                lab.setZValue(10)
                sc.addItem(lab)
            self._labels[b.id] = (num, name)
        self._you = _Badge("●", "#1E88E5", 30)
        self._you.setZValue(30)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(16)
        self._you_tag = _Caption(QCoreApplication.translate("HallMap", "You are here"), font, "#0D47A1", self._you)
        sc.addItem(self._you)
        self.set_kiosk(self._kiosk_id)

    def _label_name(self, booth_id: str) -> str:
        e = self._by_booth.get(booth_id)
        if e is None:
            return ""
        if self._language.startswith("zh") and e.name_zh:
            return e.name_zh
        return e.name

    @staticmethod
    def _text(text: str, px: int, color: str, bold: bool = False) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text)
        font = QFont()
        font.setPixelSize(px)
        font.setBold(bold)
        item.setFont(font)
        item.setBrush(QColor(color))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        return item

    @staticmethod
    def _centre_label(item: QGraphicsSimpleTextItem, below: bool) -> None:
        br = item.boundingRect()
        dy = 0.0 if below else -br.height()
        item.setTransform(QTransform.fromTranslate(-br.width() / 2, dy))

    def _booth_brush(self, booth_id: str) -> QBrush:
        e = self._by_booth.get(booth_id)
        base = QColor(self._colors.get(e.category, UNASSIGNED) if e else UNASSIGNED)
        # a light tint keeps dark label text readable on every category colour
        mixed = QColor.fromRgbF(base.redF() * 0.35 + 0.65, base.greenF() * 0.35 + 0.65, base.blueF() * 0.35 + 0.65)
        return QBrush(mixed)

    def _booth_pen(self, booth_id: str, strong: bool) -> QPen:
        if strong:
            return self._pen("#FFB300", 5)
        e = self._by_booth.get(booth_id)
        return self._pen(self._colors.get(e.category, UNASSIGNED) if e else UNASSIGNED, 2)

    _pens: dict[tuple[str, float, bool], QPen] = {}

    @classmethod
    def _pen(cls, color: str, width_px: float, dashed: bool = False) -> QPen:
        """Pens are made once and shared (PySide6 crashed building thousands of them per highlight)."""
        key = (color, width_px, dashed)
        pen = cls._pens.get(key)
        if pen is None:
            pen = QPen(QColor(color))
            pen.setWidthF(width_px)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            pen.setCosmetic(True)  # width in pixels at every zoom
            cls._pens[key] = pen
        return pen

    @staticmethod
    def _route_pen(color: str, width_px: float) -> QPen:
        pen = QPen(QColor(color), width_px)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    # ------------------------------------------------------------ zoom plumbing

    def _fit(self) -> float:
        x0, y0, x1, y1 = self._hall.bounds
        vp = self.viewport().size()
        return fit_scale((x1 - x0, y1 - y0), (vp.width(), vp.height()))

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
            w_px, h_px = (x1 - x0) * self._scale, (y1 - y0) * self._scale
            nb = num.boundingRect()
            show_num = w_px >= nb.width() + 4 and h_px >= nb.height() + 2
            lines = min(NAME_MAX_LINES, int((h_px - nb.height() - 5) // name.line_height()))
            show_name = (show_num and bool(name.text()) and w_px - 4 >= NAME_MIN_WIDTH_PX and lines >= 1
                         and name.fit(w_px - 4, lines))
            num.setVisible(show_num)
            name.setVisible(show_name)
            if show_num:
                block = nb.height() + (name.boundingRect().height() if show_name else 0)
                num.setTransform(QTransform.fromTranslate(0, -block / 2))
                if show_name:
                    name.setTransform(QTransform.fromTranslate(0, -block / 2 + nb.height()))

    # ------------------------------------------------------------ events

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if not self._user_zoomed:
            self.fit_all()
        else:
            lo, hi = self.zoom_limits()
            c = self.mapToScene(self.viewport().rect().center())
            self._apply(clamp_scale(self._scale, lo, hi), (c.x(), c.y()))

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._user_zoomed:
            self.fit_all()

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
        if self._scale >= hi * 0.999:
            self.fit_all()
        else:
            self.zoom_by(2.0, event.position())
        event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.25 ** steps, event.position())
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
