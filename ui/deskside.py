"""The desk's right-hand side when nobody is searched: recent scans, and a hand-off case.

Thin widgets: they show kiosk.recent.RecentScan rows and a kiosk.handoff.HandoffCase and
say what staff tapped; the desk screen fetches the data off the GUI thread.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QRegion
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QScroller, QVBoxLayout, QWidget)

from kiosk.handoff import HandoffCase
from kiosk.models import Direction, Status, Verdict
from kiosk.recent import RecentScan
from ui import theme, venuetime
from ui.i18n import locale
from ui.verdict import VerdictIcon, badge_type_name, headline, local_time, reason_text

ICON_SIZE = 40
_icons: dict[str, QIcon] = {}


def verdict_icon(status: str) -> QIcon:
    """The verdict's drawn symbol on its colour, small, for list rows (shape and colour both)."""
    if status not in _icons:
        style = theme.VERDICT_STYLES.get(status, theme.VERDICT_STYLES["unknown"])
        pixmap = QPixmap(ICON_SIZE * 2, ICON_SIZE * 2)  # drawn at 2x: sharp on high-dpi panels
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(style.background))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(0, 0, ICON_SIZE * 2, ICON_SIZE * 2, 16, 16)
        p.end()
        icon = VerdictIcon()
        icon.setFixedSize(ICON_SIZE * 2, ICON_SIZE * 2)
        icon.set_kind(style.icon, style.foreground)
        icon.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        icon.render(pixmap, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
        icon.deleteLater()
        pixmap.setDevicePixelRatio(2.0)
        _icons[status] = QIcon(pixmap)
    return _icons[status]


def _verdict_of(status: str, direction: str = "entry", detail: str = "", person=None) -> Verdict:
    try:
        st = Status(status)
    except ValueError:
        st = Status.UNKNOWN
    try:
        way = Direction(direction)
    except ValueError:
        way = Direction.ENTRY
    return Verdict(st, person, direction=way, detail=detail)


def short_code(code: str, limit: int = 15) -> str:
    """A scanned code short enough for a list row: its start and its end (a signed badge is long)."""
    code = code.strip()
    if len(code) <= limit:
        return code
    half = (limit - 1) // 2
    return f"{code[:half]}…{code[-half:]}"


def recent_who(row: RecentScan) -> str:
    """Who a recent row is about: the names; for a code that names nobody, the code itself, so staff can
    tell a mistyped code from a foreign badge."""
    if row.name or row.name_zh:
        return row.name + (f"  {row.name_zh}" if row.name_zh else "")
    if row.code:
        return QCoreApplication.translate("RecentScans", "code %1").replace("%1", short_code(row.code))
    return QCoreApplication.translate("RecentScans", "(no name)")


class ConfirmBox(QFrame):
    """A second step inside the screen before an action that is hard to take back: the question names
    who it is about, and both answers are touch-sized buttons. Cancel hides it; the owner connects `yes`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = theme.role_label()
        self.yes = QPushButton()
        self.yes.setProperty("primary", True)
        self.no = QPushButton()
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        row = QHBoxLayout()
        row.addWidget(self.yes)
        row.addWidget(self.no)
        box.addLayout(row)
        self.setStyleSheet("QFrame { background: #fff3cd; border-radius: 10px; }")
        self.no.clicked.connect(self.hide)
        self.hide()

    def set_texts(self, question: str, yes: str, no: str) -> None:
        self.text.setText(question)
        self.yes.setText(yes)
        self.no.setText(no)


class RecentScans(QWidget):
    """Signals:
        attendee_chosen(str): staff tapped a row that names an attendee.
    """

    attendee_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[RecentScan] = []
        self.title = theme.role_label("title")
        self.title.setObjectName("recentTitle")
        self.empty = theme.role_label("muted")
        self.list = QListWidget()
        self.list.setObjectName("recentScans")
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setWordWrap(True)  # a long name wraps rather than losing the verdict
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        QScroller.grabGesture(self.list.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.list.itemClicked.connect(self._clicked)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.empty)
        column.addWidget(self.list, 1)
        self.retranslate()

    def set_rows(self, rows: list[RecentScan]) -> None:
        self.rows = list(rows)
        self._fill()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Recent scans at this desk"))
        self.empty.setText(self.tr("No scans at this desk yet."))
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for r in self.rows:
            v = _verdict_of(r.status, r.direction)
            word = self.tr("Check-in undone") if r.undone else headline(v)
            who = recent_who(r)
            item = QListWidgetItem(verdict_icon("undone" if r.undone else r.status), f"{_clock(r.at)}   {word}  ·  {who}")
            item.setData(Qt.ItemDataRole.UserRole, r.attendee_id)
            item.setSizeHint(QSize(0, 64))
            if r.undone:
                item.setForeground(Qt.GlobalColor.gray)
            self.list.addItem(item)
        self.empty.setVisible(not self.rows)

    def _clicked(self, item: QListWidgetItem) -> None:
        attendee_id = item.data(Qt.ItemDataRole.UserRole)
        if attendee_id:
            self.attendee_chosen.emit(attendee_id)


def _clock(iso: str) -> str:
    """Time of day at the venue only (the desk's list is today's)."""
    return venuetime.clock(iso)


class HandoffPanel(QFrame):
    """What happened to the visitor who brought a hand-off code from a kiosk.

    Signals:
        open_attendee(str): staff want the attendee (to help: print, check in by hand).
        closed(): staff are done with the case.
    """

    open_attendee = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("handoffPanel")
        self.case: HandoffCase | None = None
        self.missing: str | None = None  # a code nobody recorded
        self.setStyleSheet("#handoffPanel { background: #ffffff; border-radius: 12px; }")
        self.title = theme.role_label("muted")
        self.title.setObjectName("handoffTitle")
        self.icon = VerdictIcon()
        self.icon.setFixedSize(72, 72)
        self.headline = theme.role_label("title")
        self.headline.setObjectName("handoffHeadline")
        self.name = theme.role_label("title")
        self.organisation = theme.role_label()
        self.badge = theme.role_label()
        self.flag = theme.role_label()
        self.flag.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.where = theme.role_label()
        self.when = theme.role_label()
        self.reason = theme.role_label()
        self.reason.setStyleSheet("font-weight: bold;")
        self.source = theme.role_label("muted")
        self.open_button = QPushButton()
        self.open_button.setObjectName("handoffOpen")
        self.open_button.setProperty("primary", True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("handoffClose")
        self.open_button.clicked.connect(self._open)
        self.close_button.clicked.connect(self.closed)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        heads = QVBoxLayout()
        heads.addWidget(self.title)
        heads.addWidget(self.headline)
        top.addLayout(heads, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 20)
        column.addLayout(top)
        for w in (self.name, self.organisation, self.badge, self.flag, self.where, self.when, self.reason,
                  self.source):
            column.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        column.addStretch(1)
        self.clear()

    def clear(self) -> None:
        self.case, self.missing = None, None
        self.setVisible(False)

    def show_case(self, case: HandoffCase) -> None:
        self.case, self.missing = case, None
        self.retranslate()
        self.setVisible(True)

    def show_missing(self, code: str, reason: str = "") -> None:
        """No kiosk recorded this code (or the server could not be asked: `reason` says so)."""
        self.case, self.missing, self._missing_reason = None, code, reason
        self.retranslate()
        self.setVisible(True)

    def texts(self) -> list[str]:
        """Every visible line, for tests."""
        return [w.text() for w in (self.title, self.headline, self.name, self.organisation, self.badge, self.flag,
                                   self.where, self.when, self.reason, self.source) if w.isVisibleTo(self) and w.text()]

    def retranslate(self) -> None:
        self.open_button.setText(self.tr("Open attendee"))
        self.close_button.setText(self.tr("Close"))
        c = self.case
        if c is None and self.missing is None:
            return
        code = c.code if c else self.missing
        self.title.setText(self.tr("Hand-off code %1").replace("%1", code))
        if c is None:
            self.icon.set_kind("question", "#4a4f57")
            self.headline.setText(self.tr("No scan with this code was found"))
            for w in (self.name, self.organisation, self.badge, self.flag, self.where, self.when, self.reason):
                self._set(w, "")
            self._set(self.source, getattr(self, "_missing_reason", "") or
                      self.tr("Check the characters with the visitor, or scan the code on the kiosk's screen."))
            self.open_button.setVisible(False)
            return
        v = _verdict_of(c.status, c.direction, c.detail, c.attendee)
        style = theme.VERDICT_STYLES.get(v.status.value, theme.VERDICT_STYLES["unknown"])
        self.icon.set_kind(style.icon, style.background if v.status is not Status.ALREADY_CHECKED_IN
                           else "#b07d00")
        self.headline.setText(headline(v))
        p = c.attendee
        self._set(self.name, ((p.name + (f"  {p.name_zh}" if p.name_zh else "")) if p and (p.name or p.name_zh)
                              else self.tr("Not a known attendee")))
        self._set(self.organisation, p.organisation if p else "")
        self._set(self.badge, badge_type_name(p.badge_type) if p and p.badge_type else "")
        flags = []
        if p and p.badge_type == "vip":
            flags.append(self.tr("★ VIP guest"))
        if p and p.attention:
            flags.append(self.tr("Needs attention: %1").replace("%1", p.attention))
        self._set(self.flag, "   ".join(flags))
        zh = locale().name().startswith("zh")
        point = (c.point_name_zh or c.point_name) if zh else c.point_name
        self._set(self.where, self.tr("Where: %1, %2").replace("%1", c.device_name or c.device_id or "?")
                  .replace("%2", point or c.point_id or "?"))
        self._set(self.when, self.tr("When: %1").replace("%1", local_time(c.at)) if c.at else "")
        self._set(self.reason, reason_text(v))
        self._set(self.source, self.tr("From the central server") if c.found_on == "server"
                  else self.tr("From this desk's records"))
        self.open_button.setVisible(bool(p and p.name))

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _open(self) -> None:
        if self.case is not None and self.case.attendee is not None:
            self.open_attendee.emit(self.case.attendee.id)
