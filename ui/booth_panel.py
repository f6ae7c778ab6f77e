"""The booth details a visitor sees after tapping a booth or a search result.

Name in English and Chinese, the logo (ui.logos), category, booth number, description,
products, and the "Route here" action with its step-free option; once a route is known, its
distance and walking time (in words from ui.route_words) and a QR code that carries it to
the visitor's phone.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QScroller, QVBoxLayout, QWidget

from kiosk.eventdata import Category
from kiosk.models import Exhibitor
from kiosk.routing import Directions, Route
from kiosk.selfservice import PHONE_QR_ERROR
from ui import theme
from ui.fade_edge import FadeEdge
from ui.logos import LOGO_PX, logo_pixmap
from ui.phoneqr import PhoneQR
from ui.route_words import phrase_directions

PHONE_QR_PX = 300  # the route's QR: a version 6 code (49 modules with its margin) at 6 px a module


class BoothPanel(QFrame):
    """Details of one exhibitor at one booth.

    Signals:
        route_requested(str, bool): booth id, step-free wanted.
        closed(): the visitor tapped "Back".
    """

    route_requested = Signal(str, bool)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("boothPanel")
        self.setStyleSheet("#boothPanel { background: #ffffff; border-radius: 12px; }")
        self.exhibitor: Exhibitor | None = None
        self.booth_id = ""
        self.category: Category | None = None
        self.zh = False
        self.route: Route | None = None
        self.route_error = ""

        self.back = QPushButton()
        self.back.setObjectName("boothBack")
        self.back.setMinimumHeight(64)
        self.back.clicked.connect(self.closed)
        self.logo = QLabel()
        self.logo.setFixedSize(LOGO_PX, LOGO_PX)
        self.name = theme.label(34, bold=True)
        self.name.setObjectName("boothName")
        self.name_zh = theme.label(30, bold=True)
        self.name_zh.setObjectName("boothNameZh")
        self.booth = theme.label(26, bold=True, colour=theme.ACCENT)
        self.booth.setObjectName("boothNumber")
        self.category_label = theme.label(22, bold=True)
        self.description = theme.label(22)
        self.description.setObjectName("boothDescription")
        self.products_title = theme.label(22, bold=True)
        self.products = theme.label(22)
        self.products.setObjectName("boothProducts")
        self.website = theme.label(20, colour=theme.MUTED)

        self.route_button = QPushButton()
        self.route_button.setObjectName("routeHere")
        self.route_button.setProperty("primary", True)
        self.route_button.setMinimumHeight(80)
        self.route_button.clicked.connect(self._ask_route)
        self.step_free = QPushButton()
        self.step_free.setObjectName("stepFree")
        self.step_free.setCheckable(True)
        self.step_free.setMinimumHeight(80)
        self.step_free.setStyleSheet("QPushButton:checked { background: #1e7b34; color: #ffffff; border-color: #1e7b34; }")
        self.step_free.toggled.connect(self._step_free_toggled)
        self.route_info = theme.label(24, bold=True)
        self.route_info.setObjectName("routeInfo")
        self.route_steps = theme.label(22)
        self.route_steps.setObjectName("routeSteps")
        self.directions: Directions | None = None
        self.phone = PhoneQR(PHONE_QR_PX, error=PHONE_QR_ERROR)  # whole pixels a module (a small code: selfservice)
        self.phone.hide()

        head = QHBoxLayout()
        head.setSpacing(20)
        head.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(4)
        names.addWidget(self.name)
        names.addWidget(self.name_zh)
        names.addWidget(self.booth)
        head.addLayout(names, 1)

        body = QWidget()
        body.setObjectName("boothBody")
        body.setStyleSheet("#boothBody { background: #ffffff; }")
        column = QVBoxLayout(body)
        column.setContentsMargins(24, 16, 24, 16)
        column.setSpacing(12)
        column.addLayout(head)
        column.addWidget(self.category_label)
        column.addWidget(self.description)
        column.addWidget(self.products_title)
        column.addWidget(self.products)
        column.addWidget(self.website)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)

        self.more_below = FadeEdge(self.scroll)  # a line cut by the edge reads as "more below", not as a glitch

        # the route and its QR stay in view above the buttons: only the description scrolls. The QR sits
        # beside the words (not under them) so the details keep most of the column's height.
        self.route_box = QFrame()
        self.route_box.setObjectName("routeBox")
        self.route_box.setStyleSheet("#routeBox { background: #f3f7fc; border-radius: 10px; }")
        self.route_layout = QHBoxLayout(self.route_box)
        self.route_layout.setContentsMargins(12, 12, 16, 12)
        self.route_layout.setSpacing(16)
        self.phone.box.removeWidget(self.phone.caption)
        self.phone.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.phone.caption.setStyleSheet(f"font-size: 16pt; color: {theme.MUTED};")
        words = QVBoxLayout()
        words.setSpacing(8)
        words.addWidget(self.route_info)
        words.addWidget(self.route_steps)
        words.addStretch(1)
        words.addWidget(self.phone.caption)
        self.route_layout.addWidget(self.phone, 0, Qt.AlignmentFlag.AlignTop)
        self.route_layout.addLayout(words, 1)
        self.route_box.hide()

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.route_button, 3)
        buttons.addWidget(self.step_free, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.setSpacing(10)
        outer.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.route_box)
        outer.addLayout(buttons)
        self.retranslate()

    # -- state ------------------------------------------------------------------------------
    def show_booth(self, exhibitor: Exhibitor, booth_id: str, category: Category | None, zh: bool,
                   logo: bytes | None = None) -> None:
        self.exhibitor, self.booth_id, self.category, self.zh = exhibitor, booth_id, category, zh
        self.route, self.route_error, self.directions = None, "", None
        self.phone.set_payload("")
        colour = category.color if category else "#607D8B"
        self.logo.setPixmap(logo_pixmap(exhibitor, colour, logo=logo))
        self.scroll.verticalScrollBar().setValue(0)
        self.retranslate()

    def set_route(self, route: Route | None, phone_text: str = "", error: str = "",
                  directions: Directions | None = None) -> None:
        self.route, self.route_error = route, error
        self.directions = directions if route is not None else None
        self.phone.set_payload(phone_text if route is not None else "")
        self._route_text()

    def clear(self) -> None:
        self.exhibitor, self.booth_id, self.category, self.route, self.route_error = None, "", None, None, ""
        self.directions = None
        self.phone.set_payload("")
        self.route_box.hide()
        self.step_free.blockSignals(True)
        self.step_free.setChecked(False)
        self.step_free.blockSignals(False)

    def _ask_route(self) -> None:
        if self.booth_id:
            self.route_info.setText(self.tr("Finding the way…"))
            self.route_info.show()
            self.route_box.show()
            self.route_requested.emit(self.booth_id, self.step_free.isChecked())

    def _step_free_toggled(self, _on: bool) -> None:
        if self.route is not None or self.route_error:
            self._ask_route()  # the visitor already wanted a route: redraw it the other way

    # -- texts ------------------------------------------------------------------------------
    def set_language(self, zh: bool) -> None:
        self.zh = zh
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText(self.tr("‹ Back to the list"))
        self.route_button.setText(self.tr("Route here"))
        self.step_free.setText(self.tr("Step-free"))
        self.phone.retranslate()
        e = self.exhibitor
        if e is None:
            return
        first, second = (e.name_zh, e.name) if self.zh and e.name_zh else (e.name, e.name_zh)
        self.name.setText(first)  # the visitor's language first and largest, the other name under it
        self.name_zh.setText(second)
        self.name_zh.setVisible(bool(second))
        booths = ", ".join(e.booths) if len(e.booths) > 1 else self.booth_id
        self.booth.setText(self.tr("Booth %1").replace("%1", booths))
        cat = self.category
        if cat is not None:
            self.category_label.setText(f"● {cat.name_zh if self.zh and cat.name_zh else cat.name}")
            self.category_label.setStyleSheet(f"color: {cat.color};")
        else:
            self.category_label.setText("")
        text = (e.description_zh or e.description) if self.zh else (e.description or e.description_zh)
        self.description.setText(text)
        self.description.setVisible(bool(text))
        self.products_title.setText(self.tr("Products"))
        self.products.setText("  ·  ".join(e.products))
        self.products_title.setVisible(bool(e.products))
        self.products.setVisible(bool(e.products))
        self.website.setText(e.website)
        self.website.setVisible(bool(e.website))
        self._route_text()

    def _route_text(self) -> None:
        r = self.route
        if self.route_error:
            self.route_info.setText(self.route_error)
        elif r is None:
            self.route_info.setText("")
        else:
            metres = round(r.distance_m)
            text = self.tr("%1 m · about %2 min walk").replace("%1", str(metres)).replace("%2", str(r.walk_minutes))
            if self.step_free.isChecked():
                text += "\n" + self.tr("Step-free route")
            self.route_info.setText(text)
        self.route_info.setVisible(bool(self.route_info.text()))
        self.route_steps.setText(phrase_directions(self.directions) if r is not None and not self.route_error else "")
        self.route_steps.setVisible(bool(self.route_steps.text()))
        self.phone.caption.setVisible(bool(self.phone.payload()))
        self.route_box.setVisible(self.route_info.isVisibleTo(self) or bool(self.phone.payload()))

    def texts(self) -> str:
        """Everything the panel says now, for tests and screen readers."""
        labels = (self.name, self.name_zh, self.booth, self.category_label, self.description, self.products,
                  self.route_info, self.route_steps)
        return "\n".join(lab.text() for lab in labels if lab.text())

