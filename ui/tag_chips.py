"""The row of tag chips that filters the lead list ("All" and the exhibitor's tags)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QPushButton, QScrollArea, QScroller,
                               QScrollerProperties, QSizePolicy, QWidget)

from ui import theme
from ui.lead_texts import tag_text


class TagChips(QScrollArea):
    """A row of exclusive, finger-sized chips: "All" and the exhibitor's tags. Signals: chosen(str|None)."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("tagChips")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(theme.MIN_TOUCH + 26)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        props = scroller.scrollerProperties()
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)  # a tap is a tap at once
        scroller.setScrollerProperties(props)
        self.inner = QWidget()
        self.row = QHBoxLayout(self.inner)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.inner)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str | None, QPushButton] = {}
        self.current: str | None = None
        self.set_tags([])

    def set_tags(self, tags: list[str]) -> None:
        self.tags = list(tags)
        for b in self.buttons.values():
            self.group.removeButton(b)
            b.deleteLater()
        self.buttons = {}
        while self.row.count():
            self.row.takeAt(0)
        if self.current is not None and self.current not in tags:
            self.current = None
        for tag in [None, *tags]:
            b = QPushButton(tag_text(tag) if tag is not None else self.tr("All"))
            b.setObjectName("tagChip")
            b.setCheckable(True)
            # QSS min-width wins over setMinimumWidth, so the chip's width from its text goes in the sheet
            text_px = QFontMetrics(theme.app_font(18)).horizontalAdvance(b.text()) + 8
            b.setStyleSheet(f"QPushButton {{ border-radius: 30px; font-size: 18pt; padding: 4px 22px; "
                            f"min-width: {max(text_px, 48)}px; }} "
                            "QPushButton:checked { background: #0b5cad; color: #ffffff; }")
            b.setChecked(tag == self.current)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # scroll, never squeeze the words
            b.clicked.connect(lambda _=False, t=tag: self._choose(t))
            self.group.addButton(b)
            self.buttons[tag] = b
            self.row.addWidget(b)
        self.row.addStretch(1)

    def _choose(self, tag: str | None) -> None:
        self.current = tag
        self.chosen.emit(tag)

    def retranslate(self) -> None:
        self.set_tags(self.tags)  # "All" changes width with the language
