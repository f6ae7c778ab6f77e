"""The on-screen keyboard: Qt Virtual Keyboard's InputPanel embedded in the kiosk window.

A separate keyboard window fights a fullscreen kiosk, so the panel lives in a QQuickWidget
at the bottom of the main window and shows whenever a text field has focus. It needs
QT_IM_MODULE=qtvirtualkeyboard before the QApplication exists (ui.app sets it). If the
module cannot load (missing libraries, or another input method), the kiosk runs without it.
"""
from __future__ import annotations

import logging
import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk import paths

log = logging.getLogger(__name__)


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
        im = QGuiApplication.inputMethod()
        im.visibleChanged.connect(self._follow)
        self._follow()
        return True

    def _follow(self) -> None:
        visible = self.available and QGuiApplication.inputMethod().isVisible()
        if visible:
            # the panel's height follows its width; size the QML root to the window first
            root = self.view.rootObject()
            width, cap = float(self.window().width()), self.window().height() // 2
            root.setProperty("width", width)
            root.setProperty("panelWidth", width)
            height = float(root.property("panelHeight") or 0) or cap
            if height > cap:  # narrower keeps the keys' shape and leaves the field in view
                root.setProperty("panelWidth", width * cap / height)
                height = float(root.property("panelHeight") or cap)
            self.setFixedHeight(int(min(height, cap)))
        self.setVisible(visible)
