"""The key to the hall map's marks (M, ★, +, i, arrows…): each mark the plan uses, drawn as on
the map, with what it means in the visitor's language."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from ui import theme
from ui.map_view import ENTRANCE_COLOR, FACILITY_COLOR, FACILITY_MARKS

MARK_PX = 34  # as on the map (ui.map_items.Badge)
WORDS_PX = 18

# the order of the key, and what each mark means
MEANINGS = {
    "entrance": QT_TRANSLATE_NOOP("MapSymbols", "Entrance"), "exit": QT_TRANSLATE_NOOP("MapSymbols", "Exit"),
    "info": QT_TRANSLATE_NOOP("MapSymbols", "Information"), "toilet": QT_TRANSLATE_NOOP("MapSymbols", "Toilets"),
    "first_aid": QT_TRANSLATE_NOOP("MapSymbols", "First aid"), "cafe": QT_TRANSLATE_NOOP("MapSymbols", "Café"),
    "stage": QT_TRANSLATE_NOOP("MapSymbols", "Stage"), "meeting": QT_TRANSLATE_NOOP("MapSymbols", "Meeting room"),
    "cloakroom": QT_TRANSLATE_NOOP("MapSymbols", "Cloakroom"), "stairs": QT_TRANSLATE_NOOP("MapSymbols", "Stairs"),
    "lift": QT_TRANSLATE_NOOP("MapSymbols", "Lift"),
}


def symbol_kinds(facility_types: Iterable[str], has_entrances: bool) -> list[str]:
    """The kinds of mark a plan shows, in the key's order (only those it uses)."""
    present = set(facility_types) | ({"entrance"} if has_entrances else set())
    return [k for k in MEANINGS if k in present]


def mark_pixmap(text: str, fill: str, diameter: int = MARK_PX) -> QPixmap:
    """A mark as the map draws it: white bold text on a dark disc (an oval for longer words)."""
    font = QFont(theme.app_font())
    font.setBold(True)
    font.setPixelSize(14 if len(text) <= 2 else 12)
    width = max(diameter, int(QFontMetricsF(font).horizontalAdvance(text)) + 14)
    pix = QPixmap(width + 4, diameter + 4)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#FFFFFF"), 2))
    p.setBrush(QColor(fill))
    p.drawEllipse(2, 2, width, diameter)
    p.setFont(font)
    p.setPen(QColor("#FFFFFF"))
    p.drawText(pix.rect(), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pix


class MapSymbols(QWidget):
    """The key under the search results: a mark and its meaning for every kind of mark on the plan."""

    def __init__(self, kinds: list[str], columns: int = 3, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mapSymbols")
        self.kinds = list(kinds)
        self.marks: dict[str, QLabel] = {}
        self.words: dict[str, QLabel] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(4, 0, 4, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self.cells: list[QWidget] = []
        for kind in self.kinds:
            cell = QWidget()
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(8)
            mark, words = QLabel(), theme.label(WORDS_PX)
            words.setWordWrap(False)
            row.addWidget(mark)
            row.addWidget(words, 1)
            self.marks[kind], self.words[kind] = mark, words
            self.cells.append(cell)
        self.columns = columns
        self.retranslate()

    def set_columns(self, columns: int) -> None:
        """Lay the shown cells out in rows of columns (the hidden ones leave no gap)."""
        self.columns = columns
        for cell in self.cells:
            self.grid.removeWidget(cell)
        for i, cell in enumerate(c for c in self.cells if not c.isHidden()):
            self.grid.addWidget(cell, i // columns, i % columns)

    def retranslate(self) -> None:
        for kind in self.kinds:
            mark = FACILITY_MARKS.get(kind, "?")
            fill = ENTRANCE_COLOR if kind == "entrance" else FACILITY_COLOR
            shown = QCoreApplication.translate("HallMap", mark)
            words = QCoreApplication.translate("MapSymbols", MEANINGS[kind])
            self.marks[kind].setPixmap(mark_pixmap(shown, fill))
            self.words[kind].setText(words)
            self.cells[self.kinds.index(kind)].setHidden(shown == words)  # a mark that is its own word (出口)
        self.set_columns(self.columns)

    def texts(self) -> list[str]:
        return [self.words[k].text() for k, cell in zip(self.kinds, self.cells) if not cell.isHidden()]
