"""The on-screen keyboard: Qt Virtual Keyboard's InputPanel embedded in the kiosk window.

A separate keyboard window fights a fullscreen kiosk, so the panel lives in a QQuickWidget
at the bottom of the main window and shows whenever a text field has focus. It needs
QT_IM_MODULE=qtvirtualkeyboard before the QApplication exists (ui.app sets it). If the
module cannot load (missing libraries, or another input method), the kiosk runs without it.
"""
from __future__ import annotations

import logging
import os

from PySide6.QtCore import SIGNAL, QObject, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk import paths

log = logging.getLogger(__name__)

# the keyboard's share of the window's height at most: the screen above keeps the rest (landscape;
# a portrait screen's full-width keyboard is lower than this anyway)
HEIGHT_SHARE = 0.42
# the kiosk's language -> the keyboard's (zh_CN types pinyin and offers Chinese candidates)
LOCALES = {"en": "en_US", "zh_CN": "zh_CN"}


def wanted() -> bool:
    return os.environ.get("QT_IM_MODULE", "") == "qtvirtualkeyboard"


class KeyboardPanel(QWidget):
    """A placeholder that becomes the keyboard once `load()` succeeds; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.available = False
        self.error = ""
        self.view = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._locale = LOCALES["en"]
        self._sizing = False
        self.hide()

    def load(self) -> bool:
        """Build the QML panel (slow: call it after the first frame is on screen)."""
        if not wanted():
            self.error = "QT_IM_MODULE is not qtvirtualkeyboard"
            log.info("on-screen keyboard off: %s", self.error)
            return False
        try:
            from PySide6.QtQuickWidgets import QQuickWidget
            from PySide6.QtWidgets import QVBoxLayout
            view = QQuickWidget(self)
            # a key tapped must not take the focus from the field it types into (the input method
            # follows the focus: losing it would close the keyboard and type nothing)
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            view.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
            view.setClearColor(self.palette().window().color())
            view.setSource(QUrl.fromLocalFile(str(paths.assets() / "qml" / "inputpanel.qml")))
            if view.status() != QQuickWidget.Status.Ready or view.rootObject() is None:
                self.error = "; ".join(e.toString() for e in view.errors()) or "the keyboard did not load"
                view.deleteLater()
                log.warning("on-screen keyboard unavailable: %s", self.error)
                return False
        except Exception as exc:
            self.error = str(exc)
            log.warning("on-screen keyboard unavailable: %s", exc)
            return False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        self.view = view
        self.available = True
        view.rootObject().setProperty("wantedLocale", self._locale)
        # pinyin's candidate bar makes the panel taller while it shows: the widget follows
        QObject.connect(view.rootObject(), SIGNAL("panelHeightChanged()"), self._grown)
        im = QGuiApplication.inputMethod()
        im.visibleChanged.connect(self._follow)
        self._follow()
        return True

    def _follow(self) -> None:
        visible = self.available and QGuiApplication.inputMethod().isVisible()
        if visible:
            self._sizing = True
            try:
                self._size()
            finally:
                self._sizing = False
        self.setVisible(visible)

    def _size(self) -> None:
        """The panel's height follows its width; size the QML root to the window first."""
        root = self.view.rootObject()
        width, cap = float(self.window().width()), int(self.window().height() * HEIGHT_SHARE)
        root.setProperty("width", width)
        root.setProperty("panelWidth", width)
        height = float(root.property("panelHeight") or 0) or cap
        if height > cap:  # narrower keeps the keys' shape and leaves the field in view
            root.setProperty("panelWidth", width * cap / height)
            height = float(root.property("panelHeight") or cap)
        self.setFixedHeight(int(min(height, cap)))

    def _grown(self) -> None:
        """The candidate bar came or went: the same keys where they were, the widget as tall as the panel
        (the screens above give up the bar's height)."""
        if self._sizing or not self.isVisible():
            return
        self.setFixedHeight(int(float(self.view.rootObject().property("panelHeight") or self.height())))

    def set_language(self, language: str) -> None:
        """The kiosk's language: the keyboard opens in it next time (pinyin for Chinese)."""
        self._locale = LOCALES.get(language, LOCALES["en"])
        if self.view is not None:
            self.view.rootObject().setProperty("wantedLocale", self._locale)

    def locale(self) -> str:
        """The keyboard's active locale (the globe key may have changed it)."""
        if self.view is None:
            return ""
        return str(self.view.rootObject().property("currentLocale") or "")

    def panel_rect(self) -> QRect:
        """Where the keys are, in screen coordinates (the panel is centred and may be narrower than the window)."""
        if self.view is None:
            return QRect()
        root = self.view.rootObject()
        width = int(float(root.property("panelWidth") or self.view.width()))
        height = int(float(root.property("panelHeight") or self.view.height()))
        top_left = self.view.mapToGlobal(QPoint((self.view.width() - width) // 2, self.view.height() - height))
        return QRect(top_left.x(), top_left.y(), width, height)
