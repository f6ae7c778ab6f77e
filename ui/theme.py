"""Fonts, colours and the big-type stylesheet of the kiosk.

A bare Linux machine (and the packaged app) must render Simplified Chinese with a proper SC
font, so the app registers Noto Sans CJK SC itself and sets an explicit family order; a
Japanese face picked by fallback would draw some Han characters in the wrong form.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QScroller, QScrollerProperties, QSizePolicy

from kiosk import paths

log = logging.getLogger(__name__)

FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "sans-serif"]
SYSTEM_FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
                    Path("/usr/share/fonts/google-noto-cjk")]
BASE_POINT_SIZE = 20  # readable from a metre away
MIN_TOUCH = 64  # px; the brief's floor is 48
SCROLLBAR_PX = 24  # touch lists scroll by dragging the content (QScroller); the bar is a wide, calm indicator
COMBO_ARROW_PX = 28

INK = "#1b1f24"
PAPER = "#f5f6f8"
ACCENT = "#0b5cad"
MUTED = "#5b6570"


@dataclass(frozen=True)
class VerdictStyle:
    background: str
    foreground: str
    icon: str  # tick | cross | warn | question | repeat | undo


VERDICT_STYLES: dict[str, VerdictStyle] = {
    "ok": VerdictStyle("#1e7b34", "#ffffff", "tick"),
    "lead_saved": VerdictStyle("#1e7b34", "#ffffff", "tick"),
    "lead_updated": VerdictStyle("#1f6f8b", "#ffffff", "repeat"),
    "already_checked_in": VerdictStyle("#f2b705", "#1b1f24", "repeat"),
    "not_allowed": VerdictStyle("#d35400", "#ffffff", "warn"),
    "unknown": VerdictStyle("#4a4f57", "#ffffff", "question"),
    "undone": VerdictStyle("#3d5a80", "#ffffff", "undo"),  # neutral: neither a check-in nor a refusal
    "wrong_event": VerdictStyle("#8e44ad", "#ffffff", "warn"),
    "revoked": VerdictStyle("#b3261e", "#ffffff", "cross"),
    "forged": VerdictStyle("#b3261e", "#ffffff", "cross"),
}


def font_files() -> list[Path]:
    """Bundled fonts first (the packaged app), then the distribution's Noto CJK."""
    found = sorted((paths.assets() / "fonts").glob("*.[ot]t[fc]"))
    for folder in SYSTEM_FONT_DIRS:
        found += sorted(folder.glob("NotoSansCJK-*.ttc")) + sorted(folder.glob("NotoSansSC-*.[ot]tf"))
    return found


def register_fonts() -> list[str]:
    """Load the CJK faces into Qt's font database; returns the families now available."""
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path)
            continue
        families += QFontDatabase.applicationFontFamilies(font_id)
    if not any(f.startswith(("Noto Sans CJK SC", "Noto Sans SC")) for f in families):
        log.warning("no Simplified Chinese font found; Chinese may render with a fallback face")
    return families


def app_font(point_size: int = BASE_POINT_SIZE) -> QFont:
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setPointSize(point_size)
    return font


def _asset_url(relative: str) -> str:
    """An asset's path as a style sheet url() takes it (forward slashes on every system)."""
    return (paths.assets() / relative).as_posix()


def kinetic(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """A finger drags the content (with momentum); a tap without a drag still taps at once."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(props)
    return area


def stylesheet() -> str:
    return f"""
    QWidget {{ color: {INK}; }}
    #KioskWindow, #screenStack > QWidget {{ background: {PAPER}; }}
    #topBar {{ background: {INK}; }}
    #topBar QLabel {{ color: #ffffff; font-size: 18pt; }}
    #topBar #pointLabel {{ color: #ffd166; font-weight: bold; }}
    QPushButton {{ min-height: {MIN_TOUCH}px; min-width: {MIN_TOUCH}px; padding: 6px 20px;
        font-size: 20pt; border-radius: 10px; border: 2px solid {ACCENT};
        background: #ffffff; color: {ACCENT}; }}
    QPushButton:pressed {{ background: #dbe8f6; }}
    QPushButton:disabled {{ color: #9aa3ad; border-color: #c3c9d0; }}
    QPushButton[primary="true"] {{ background: {ACCENT}; color: #ffffff; }}
    QPushButton[danger="true"] {{ background: #b3261e; border-color: #b3261e; color: #ffffff; }}
    QPushButton#languageButton {{ background: transparent; color: #ffffff; border-color: #ffffff;
        font-size: 18pt; min-width: 140px; }}
    QLineEdit, QSpinBox, QComboBox {{ min-height: {MIN_TOUCH}px; font-size: 22pt; padding: 4px 12px;
        border: 2px solid #9aa3ad; border-radius: 8px; background: #ffffff; }}
    QLineEdit:focus {{ border-color: {ACCENT}; }}
    QComboBox::drop-down {{ width: {MIN_TOUCH}px; border: none; }}
    QComboBox::down-arrow {{ image: url("{_asset_url("style/combo-arrow.svg")}"); width: {COMBO_ARROW_PX}px;
        height: {COMBO_ARROW_PX * 18 // 28}px; }}
    QComboBox QAbstractItemView {{ font-size: 20pt; }}
    QScrollBar:vertical {{ width: {SCROLLBAR_PX}px; background: transparent; margin: 4px 0 4px 0; }}
    QScrollBar:horizontal {{ height: {SCROLLBAR_PX}px; background: transparent; margin: 0 4px 0 4px; }}
    QScrollBar::handle:vertical {{ background: #b7bec6; border-radius: 6px; min-height: {MIN_TOUCH}px;
        margin: 0 6px 0 6px; }}
    QScrollBar::handle:horizontal {{ background: #b7bec6; border-radius: 6px; min-width: {MIN_TOUCH}px;
        margin: 6px 0 6px 0; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; background: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
    QComboBox QAbstractItemView::item {{ min-height: {MIN_TOUCH}px; }}
    QListWidget {{ font-size: 20pt; background: #ffffff; border: 2px solid #c3c9d0; border-radius: 8px; }}
    QListWidget::item {{ min-height: {MIN_TOUCH}px; padding: 6px 10px; border-bottom: 1px solid #e3e6ea; }}
    QListWidget::item:selected {{ background: #dbe8f6; color: {INK}; }}
    QLabel[role="title"] {{ font-size: 30pt; font-weight: bold; }}
    QLabel[role="muted"] {{ color: {MUTED}; font-size: 16pt; }}
    QLabel[role="big"] {{ font-size: 40pt; font-weight: bold; }}
    #toast {{ background: #fff3cd; color: {INK}; font-size: 18pt; padding: 10px 20px;
        border: 2px solid #f2b705; border-radius: 10px; }}
    #toast[level="error"] {{ background: #fde2e1; border-color: #b3261e; }}
    """


def apply(app: QApplication) -> None:
    """Fonts and stylesheet for the whole application."""
    register_fonts()
    app.setFont(app_font())
    app.setStyleSheet(stylesheet())


def colour(status: str) -> QColor:
    return QColor(VERDICT_STYLES.get(status, VERDICT_STYLES["unknown"]).background)


def label(px: int, bold: bool = False, colour: str = "") -> QLabel:
    """A wrapping, non-selectable label in the app font at a pixel size (readable from a metre
    starts around 20 px)."""
    widget = QLabel()
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    font = app_font()
    font.setPixelSize(px)
    font.setBold(bold)
    widget.setFont(font)
    if colour:
        widget.setStyleSheet(f"color: {colour};")
    return widget


def role_label(role: str = "", text: str = "") -> QLabel:
    """A wrapping label styled by the stylesheet's role (title, muted, big, …)."""
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if role:
        widget.setProperty("role", role)
    return widget
