"""Today's agenda for visitors: what runs now and what starts next, where, and how full it is.

Each session shows its time in the current language's short time form (in the venue's own
time, the offset stored with the session), its title in both languages, the room, the
speakers, and, when this kiosk has door scans for the room, "inside 180 of 200". The data
comes from kiosk.selfservice.agenda_at on the database thread, refreshed every minute while
the page is on screen.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer
from PySide6.QtWidgets import (QBoxLayout, QFrame, QHBoxLayout, QLabel, QProgressBar, QScrollArea, QScroller,
                               QVBoxLayout, QWidget)

from kiosk.identify import utcnow
from kiosk.selfservice import Agenda, AgendaItem, agenda_at
from ui import theme

REFRESH_MS = 60_000


def clock_text(iso: str) -> str:
    """"09:30" (or the locale's form) of an ISO time, in the offset it was stored with (venue time)."""
    dt = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not dt.isValid():
        return iso
    return QLocale().toString(dt.time(), QLocale.FormatType.ShortFormat)




class SessionCard(QFrame):
    """One session: time, titles, room with occupancy, speakers."""

    def __init__(self, item: AgendaItem, zh: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName("sessionCard")
        self.setStyleSheet("#sessionCard { background: #ffffff; border-radius: 12px; border: 2px solid #dfe3e8; }")
        s, room = item.session, item.room
        self.time = theme.label(28, bold=True, colour=theme.ACCENT)
        self.time.setText(f"{clock_text(s.starts_at)} – {clock_text(s.ends_at)}")
        self.time.setMinimumWidth(230)
        self.time.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        first, second = (s.title_zh or s.title, s.title) if zh else (s.title, s.title_zh)
        self.title = theme.label(28, bold=True)
        self.title.setText(first)
        self.title_other = theme.label(22, colour=theme.MUTED)
        self.title_other.setText(second if second != first else "")
        self.title_other.setVisible(bool(self.title_other.text()))
        self.room = theme.label(22, bold=True)
        room_name = "" if room is None else ((room.name_zh or room.name) if zh else room.name)
        self.room.setText(room_name)
        self.speakers = theme.label(20)
        self.speakers.setText("  ·  ".join(s.speakers))
        self.speakers.setVisible(bool(s.speakers))
        self.occupancy = theme.label(22, bold=True)
        self.occupancy.setObjectName("occupancy")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(14)
        self._occupancy()

        text = QVBoxLayout()
        text.setSpacing(6)
        for w in (self.title, self.title_other, self.room, self.occupancy, self.bar, self.speakers):
            text.addWidget(w)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 16, 20, 16)
        row.setSpacing(20)
        row.addWidget(self.time, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)

    def _occupancy(self) -> None:
        item = self.item
        capacity = item.room.capacity if item.room else 0
        if item.inside is None:
            self.occupancy.hide()
            self.bar.hide()
            return
        if capacity:
            text = self.tr("Inside %1 of %2").replace("%1", QLocale().toString(item.inside)) \
                .replace("%2", QLocale().toString(capacity))
        else:
            text = self.tr("Inside %1").replace("%1", QLocale().toString(item.inside))
        full = capacity and item.inside >= capacity
        if full:
            text += "  —  " + self.tr("Full")
        self.occupancy.setText(text)
        self.occupancy.setStyleSheet(f"color: {'#b3261e' if full else '#1e7b34'};")
        if capacity:
            self.bar.setRange(0, capacity)
            self.bar.setValue(min(item.inside, capacity))
            colour = "#b3261e" if full else ("#d35400" if item.inside >= 0.85 * capacity else "#1e7b34")
            self.bar.setStyleSheet(f"QProgressBar {{ border: none; background: #e3e6ea; border-radius: 7px; }}"
                                   f" QProgressBar::chunk {{ background: {colour}; border-radius: 7px; }}")
        self.bar.setVisible(bool(capacity))


class AgendaPage(QWidget):
    """Sessions now and next, refreshed while visible."""

    def __init__(self, services, clock: Callable[[], datetime] = utcnow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agendaPage")
        self.services = services
        self.clock = clock
        self.agenda: Agenda | None = None
        self._seq = 0
        self.timer = QTimer(self)
        self.timer.setObjectName("agenda-refresh")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.heading = theme.label(36, bold=True)
        self.body = QWidget()
        self.body.setObjectName("agendaBody")
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.body)
        self.columns.setContentsMargins(0, 0, 0, 0)
        self.columns.setSpacing(24)
        self.now_box = QVBoxLayout()
        self.next_box = QVBoxLayout()
        for box in (self.now_box, self.next_box):
            box.setSpacing(12)
            self.columns.addLayout(box, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.body)
        QScroller.grabGesture(self.scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 16, 32, 16)
        column.setSpacing(16)
        column.addWidget(self.heading)
        column.addWidget(self.scroll, 1)
        self.cards: list[SessionCard] = []
        self._wide = True
        self.retranslate()

    # -- data -------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._seq += 1
        seq, now = self._seq, self.clock()
        self.services.tasks.run_db(lambda s: agenda_at(s, now), lambda a: self._loaded(seq, a))

    def _loaded(self, seq: int, agenda: Agenda) -> None:
        if seq == self._seq:
            self.agenda = agenda
            self._build()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        wide = self.width() > self.height() * 1.1
        if wide != self._wide:
            self._wide = wide
            self._build()

    # -- drawing ----------------------------------------------------------------------------
    def _section(self, text: str) -> QLabel:
        label = theme.label(30, bold=True)
        label.setText(text)
        label.setContentsMargins(0, 12, 0, 8)
        return label

    def _build(self) -> None:
        for box in (self.now_box, self.next_box):
            while box.count():
                item = box.takeAt(0)
                if item.widget() is not None:
                    item.widget().deleteLater()
        self.cards = []
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if self._wide
                                  else QBoxLayout.Direction.TopToBottom)
        self.columns.setStretch(0, 1 if self._wide else 0)  # stacked: "Now" keeps its height, the rest below
        self.columns.setStretch(1, 1)
        a = self.agenda
        if a is None:
            return
        zh = self.services.zh
        sections = [(self.now_box, self.tr("Now"), a.now, self.tr("Nothing is running right now.")),
                    (self.next_box, self.tr("Next"), a.next, self.tr("No more sessions today."))]
        for box, title, items, empty in sections:
            box.addWidget(self._section(title))
            if not items:
                note = theme.label(22, colour=theme.MUTED)
                note.setText(empty)
                box.addWidget(note)
            for item in items:
                card = SessionCard(item, zh)
                self.cards.append(card)
                box.addWidget(card)
            if self._wide or box is self.next_box:
                box.addStretch(1)

    def reset(self) -> None:
        self.scroll.verticalScrollBar().setValue(0)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Today's agenda"))
        self._build()

    def texts(self) -> str:
        """The visible words of every card, for tests."""
        out = []
        for c in self.cards:
            out += [c.time.text(), c.title.text(), c.title_other.text(), c.room.text(), c.occupancy.text(),
                    c.speakers.text()]
        return "\n".join(t for t in out if t)
