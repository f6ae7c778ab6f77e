"""The kiosk window: fullscreen and frameless, no way out without the staff PIN.

A top bar on every screen (a hidden long-press corner for staff, the event, the check-in
point, a status area for sync, the language button), a stack of screens, a toast line for
messages from the core, and the embedded on-screen keyboard at the bottom.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout,
                               QWidget)

from kiosk.models import Scan
from ui.i18n import Translations
from ui.idle_warning import IdleWarning
from ui.keyboard import KeyboardPanel
from ui.screen import Screen

log = logging.getLogger(__name__)

# role -> the screen a device of that role starts on (and returns to when idle)
ROLE_START: dict[str, str] = {"desk": "desk", "attendee": "attendee", "exhibitor": "exhibitor"}
LONG_PRESS_MS = 3000


class CornerHotspot(QWidget):
    """An invisible square in the top-left corner: hold it for three seconds to reach staff settings.

    Signals:
        long_pressed(): held for LONG_PRESS_MS without letting go.
    """

    long_pressed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminCorner")
        self.setFixedSize(96, 72)
        self.timer = QTimer(self)
        self.timer.setObjectName("admin-press-timer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(LONG_PRESS_MS)
        self.timer.timeout.connect(self.long_pressed)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self.timer.stop()
        event.accept()


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" instead of being cut mid-letter when space runs out."""

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), text)


class TopBar(QWidget):
    """Signals:
        language_clicked(): the language button was tapped.
    """

    language_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("topBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.corner = CornerHotspot(self)
        self.title = ElidedLabel()
        self.title.setObjectName("eventTitle")
        # the event name gives way first on a narrow (portrait) screen
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(120)
        self.point = ElidedLabel()
        self.point.setObjectName("pointLabel")
        self.point.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.point.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.point.setMinimumWidth(100)
        self.status_area = QHBoxLayout()  # the sync helper adds its widget here (add_status_widget)
        self.status_area.setSpacing(16)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_area.addWidget(self.status_label)
        self.language = QPushButton()
        self.language.setObjectName("languageButton")
        self.language.clicked.connect(self.language_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 16, 0)
        row.setSpacing(24)
        row.addWidget(self.corner)
        row.addWidget(self.title, 1)
        row.addWidget(self.point, 1)
        row.addLayout(self.status_area)
        row.addWidget(self.language)
        self.setFixedHeight(84)
        self._status: dict[str, Any] = {}
        self.public = False
        self.retranslate()

    # below this width the check-in point gives way to the event's name (the desk repeats the point)
    NARROW = 1400

    def set_public(self, public: bool) -> None:
        """A public screen (the attendee kiosk) shows no staff information: no sync state, no check-in point."""
        self.public = public
        self.fit()

    def fit(self) -> None:
        self.point.setVisible(not self.public and self.width() >= self.NARROW and bool(self.point.text()))
        for i in range(self.status_area.count()):
            widget = self.status_area.itemAt(i).widget()
            if widget is not None and widget is not self.status_label:
                widget.setVisible(not self.public)
        self.status_label.setVisible(not self.public and self.status_label.property("shown") is not False)

    def resizeEvent(self, event) -> None:
        self.fit()
        super().resizeEvent(event)

    def retranslate(self) -> None:
        self.language.setAccessibleName(self.tr("Switch language"))
        self._show_status()

    def set_status(self, fields: dict[str, Any]) -> None:
        """Default status text from kiosk.notify.status(online=..., waiting=..., last_sync=...)."""
        self._status.update(fields)
        self._show_status()

    def _show_status(self) -> None:
        s = self._status
        if not s:
            self.status_label.clear()
            return
        parts = [self.tr("Online") if s.get("online") else self.tr("Offline")]
        if s.get("waiting"):
            n = int(s["waiting"])
            parts.append(self.tr("1 record waiting") if n == 1
                         else self.tr("%1 records waiting").replace("%1", str(n)))
        self.status_label.setText("  ·  ".join(parts))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class ScreenStack(QStackedWidget):
    """The screens' stack. It never asks for a height for its width: a window column with such an
    item takes that height as the stack's minimum (Qt's height-for-width pass ignores the Ignored
    size policy), and the on-screen keyboard below it was pushed ~40 px off the bottom of the screen."""

    def hasHeightForWidth(self) -> bool:
        return False


class KioskWindow(QWidget):
    """Signals:
        admin_requested(): the staff corner was held; the app shows the PIN pad.
        idle_reset(): the window forgot the person (after idle); for services to follow.
    """

    admin_requested = Signal()
    idle_reset = Signal()

    def __init__(self, translations: Translations, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.translations = translations
        self.default_language = "en"
        self.role = "desk"
        self.allow_close = False
        self._screens: dict[str, QWidget] = {}
        # builds a screen the first time it is asked for (name -> widget or None): a desk never
        # pays for the attendee map's routing graph, nor an attendee kiosk for the lead screens
        self.screen_factory: Callable[[str], QWidget | None] | None = None
        self.top_bar = TopBar(self)
        self.top_bar.language_clicked.connect(translations.toggle)
        translations.language_changed.connect(self._language_text)
        self._language_text(translations.language)
        self.top_bar.corner.long_pressed.connect(self.admin_requested)
        self.stack = ScreenStack()
        self.stack.setObjectName("screenStack")
        # the keyboard takes its height from the screens, never from the screen: without a window
        # manager a window whose minimum height grows past the display simply grows off it
        self.stack.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.toast = QLabel(self)
        self.toast.setObjectName("toast")
        self.toast.setWordWrap(True)
        self.toast.hide()
        self.toast_timer = QTimer(self)
        self.toast_timer.setObjectName("toast-timer")
        self.toast_timer.setSingleShot(True)
        self.toast_timer.timeout.connect(self.toast.hide)
        self.keyboard = KeyboardPanel(self)
        self.idle_warning = IdleWarning(self)
        translations.language_changed.connect(self.keyboard.set_language)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.top_bar)
        column.addWidget(self.stack, 1)
        column.addWidget(self.keyboard)
        self.retranslate()

    def _language_text(self, language: str) -> None:
        # the button names the *other* language, in that language, so anyone can find theirs
        self.top_bar.language.setText("English" if language == "zh_CN" else "中文")

    # -- screens ------------------------------------------------------------------------------
    def add_screen(self, name: str, widget: QWidget) -> None:
        if name in self._screens:
            self.stack.removeWidget(self._screens[name])
        self._screens[name] = widget
        widget.setObjectName(widget.objectName() or f"screen-{name}")
        self.stack.addWidget(widget)

    def screen(self, name: str) -> QWidget | None:
        widget = self._screens.get(name)
        if widget is None and self.screen_factory is not None:
            widget = self.screen_factory(name)
            if widget is not None:
                self.add_screen(name, widget)
        return widget

    def screen_names(self) -> list[str]:
        return list(self._screens)

    def show_screen(self, name: str) -> None:
        widget = self.screen(name)
        if widget is None:
            log.warning("no screen named %r", name)
            return
        for other in self._screens.values():
            # Only the shown screen counts for the window's minimum size, so a wide desk layout
            # never forces a portrait totem's window past the screen's edge.
            policy = QSizePolicy.Policy.Preferred if other is widget else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.stack.setCurrentWidget(widget)
        self.stack.updateGeometry()
        self.top_bar.set_public(name == "attendee")

    def current_name(self) -> str:
        current = self.stack.currentWidget()
        return next((n for n, w in self._screens.items() if w is current), "")

    def start_screen(self) -> str:
        return ROLE_START.get(self.role, "desk")

    def set_role(self, role: str) -> None:
        self.role = role
        self.show_screen(self.start_screen())

    def route_scan(self, scan: Scan) -> bool:
        """Hand a scan to the current screen; the start screen takes it if the current one does not."""
        current = self.stack.currentWidget()
        if isinstance(current, Screen) and current.handle_scan(scan):
            return True
        return False

    # -- idle -----------------------------------------------------------------------------------
    def reset_all(self) -> None:
        """Forget the person: every screen resets, start screen, default language, no keyboard."""
        for widget in self._screens.values():
            if isinstance(widget, Screen):
                widget.reset()
        focus = QApplication.focusWidget()
        if focus is not None:
            focus.clearFocus()
        QGuiApplication.inputMethod().hide()
        self.toast.hide()
        self.idle_warning.dismiss()
        self.show_screen(self.start_screen())
        self.translations.set_language(self.default_language)
        self.idle_reset.emit()

    def warn_idle(self, seconds: int) -> None:
        """A few seconds before the reset: "still there?" over the screen (not on the role picker)."""
        if self.current_name() != "roles":
            self.idle_warning.warn(seconds)

    # -- messages -------------------------------------------------------------------------------
    def show_message(self, level: str, text: str, seconds: int = 6) -> None:
        self.toast.setProperty("level", level)
        self.toast.style().unpolish(self.toast)
        self.toast.style().polish(self.toast)
        self.toast.setText(text)
        width = min(1000, self.width() - 80)
        self.toast.setFixedWidth(max(200, width))
        self.toast.adjustSize()
        self.toast.move((self.width() - self.toast.width()) // 2, self.top_bar.height() + 16)
        self.toast.show()
        self.toast.raise_()
        self.toast_timer.start(seconds * 1000)

    def add_status_widget(self, widget: QWidget) -> None:
        """The sync helper's online/offline widget goes here, replacing the default label."""
        self.top_bar.status_label.setProperty("shown", False)
        self.top_bar.status_area.insertWidget(0, widget)
        self.top_bar.fit()

    def set_point_text(self, text: str) -> None:
        self.top_bar.point.setText(text)
        self.top_bar.fit()

    def set_title(self, text: str) -> None:
        self.top_bar.title.setText(text)

    # -- kiosk mode -----------------------------------------------------------------------------
    def enter_kiosk_mode(self, fullscreen: bool, hide_pointer: bool) -> None:
        if fullscreen:
            self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
            screen = QGuiApplication.primaryScreen()
            if screen is not None:  # with no window manager showFullScreen alone may not fill it
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.resize(1280, 800)
            self.show()
        if hide_pointer:
            QApplication.setOverrideCursor(Qt.CursorShape.BlankCursor)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Forum Kiosk"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Alt+F4 and the window's close button end up here: ignored unless staff chose to leave."""
        if self.allow_close:
            event.accept()
        else:
            event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape or (event.key() == Qt.Key.Key_F4
                                               and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            event.accept()
            return
        super().keyPressEvent(event)
