"""The desk's side panels: live counts, and the opened attendee with check-in by hand and print."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QListWidget, QPushButton, QScroller,
                               QVBoxLayout, QWidget)

from kiosk.models import Attendee, Counts
from ui import theme
from ui.deskside import ConfirmBox
from ui.i18n import locale
from ui.verdict import badge_type_name, local_time


def touch_list(widget: QListWidget) -> QListWidget:
    """Kinetic scrolling with a finger (or the mouse), pixel by pixel."""
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    QScroller.grabGesture(widget.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return widget


class CountsPanel(QFrame):
    """Checked in of expected, per badge type, and arrivals in the last 15 minutes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.counts: Counts | None = None
        self.total = theme.role_label("big")
        self.recent = theme.role_label()
        self.rows = QWidget()  # the per-type rows: the first thing a short screen gives up
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addWidget(self.total)
        column.addWidget(self.recent)
        column.addWidget(self.rows)
        column.addStretch(1)  # spare height goes below the rows, not between them
        self.setStyleSheet("CountsPanel { background: #ffffff; border-radius: 12px; }")

    def set_counts(self, counts: Counts) -> None:
        self.counts = counts
        self.retranslate()

    def retranslate(self) -> None:
        c = self.counts
        if c is None:
            return
        loc = locale()
        self.total.setText(self.tr("%1 of %2 checked in").replace("%1", loc.toString(c.checked_in))
                           .replace("%2", loc.toString(c.expected)))
        self.recent.setText(self.tr("Arrivals in the last 15 minutes: %1").replace("%1", loc.toString(c.last_15_min)))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for row, (badge_type, (arrived, expected)) in enumerate(sorted(c.by_type.items())):
            self.grid.addWidget(theme.role_label("", badge_type_name(badge_type)), row, 0)
            self.grid.addWidget(theme.role_label("", f"{loc.toString(arrived)} / {loc.toString(expected)}"), row, 1)


class AttendeePanel(QFrame):
    """The attendee staff opened from the search: details, print history, hand check-in."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.attendee: Attendee | None = None
        self.prints: list = []
        self.checked_in: str | None = None  # at an exit desk: when this person's exit was recorded here
        self.exit_point = False  # the desk records exits: the hand button records an exit
        self.setStyleSheet("AttendeePanel { background: #ffffff; border-radius: 12px; }")
        self.name = theme.role_label("title")
        self.name_zh = theme.role_label("title")
        self.organisation = theme.role_label()
        self.badge = theme.role_label()
        self.flag = theme.role_label()
        self.flag.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.state = theme.role_label()
        self.print_info = theme.role_label("muted")
        self.check_button = QPushButton()
        self.check_button.setProperty("primary", True)
        self.print_button = QPushButton()
        self.print_result = theme.role_label()  # what the last print did, in the panel (a toast hid the heading)
        self.print_result.setObjectName("printResult")
        self.print_result.hide()
        self.confirm_box = ConfirmBox()
        self.confirm_yes, self.confirm_no = self.confirm_box.yes, self.confirm_box.no
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 20)
        for w in (self.name, self.name_zh, self.organisation, self.badge, self.flag, self.state, self.print_info):
            column.addWidget(w)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.print_button)
        column.addLayout(buttons)
        column.addWidget(self.print_result)
        column.addWidget(self.confirm_box)
        column.addStretch(1)
        self.clear()

    def clear(self) -> None:
        self.attendee = None
        self.prints, self.checked_in = [], None
        self.show_print_result("", "")
        self.confirm_box.hide()
        self.setVisible(False)

    def show_attendee(self, attendee: Attendee, checked_in: str | None, prints: list, exit_point: bool = False) -> None:
        """checked_in: when this point last let the person in (at an exit desk: out); None enables the button."""
        if self.attendee is None or self.attendee.id != attendee.id:
            self.show_print_result("", "")  # another person: the last print's words were about someone else
        self.attendee, self.checked_in, self.prints, self.exit_point = attendee, checked_in, prints, exit_point
        self.confirm_box.hide()
        self.retranslate()
        self.setVisible(True)

    def show_print_result(self, level: str, text: str) -> None:
        """level "ok" (green) or "error" (red); an empty text hides it."""
        self.print_result.setText(text)
        self.print_result.setStyleSheet(f"color: {'#b3261e' if level == 'error' else '#1e7b34'}; font-weight: bold;")
        self.print_result.setVisible(bool(text))

    def _check_button_text(self) -> str:
        """Someone already checked in cannot be checked in again by a stray tap: the button says when."""
        if self.exit_point:
            if self.checked_in:
                return self.tr("Exit recorded at %1").replace("%1", local_time(self.checked_in))
            return self.tr("Record exit by hand")
        if self.checked_in:
            return self.tr("Checked in at %1").replace("%1", local_time(self.checked_in))
        return self.tr("Check in by hand")

    def ask_confirm(self) -> None:
        self.confirm_box.show()
        self.retranslate()

    def retranslate(self) -> None:
        self.check_button.setText(self._check_button_text())
        self.check_button.setEnabled(not self.checked_in)
        self.print_button.setText(self.tr("Print badge"))
        a = self.attendee
        if a is None:
            return
        self.name.setText(a.name)
        self.name_zh.setText(a.name_zh)
        self.name_zh.setVisible(bool(a.name_zh))
        self.organisation.setText(a.organisation)
        self.badge.setText(badge_type_name(a.badge_type) + (f"   ·   {a.code}" if a.code else ""))
        flags = []
        if a.badge_type == "vip":
            flags.append(QCoreApplication.translate("VerdictCard", "★ VIP guest"))
        if a.attention:
            flags.append(QCoreApplication.translate("VerdictCard", "Needs attention: %1").replace("%1", a.attention))
        self.flag.setText("   ".join(flags))
        self.flag.setVisible(bool(flags))
        if self.exit_point:
            self.state.setText(self.tr("Exit recorded at %1").replace("%1", local_time(self.checked_in))
                               if self.checked_in else self.tr("No exit recorded here yet"))
        else:
            self.state.setText(self.tr("Checked in at %1").replace("%1", local_time(self.checked_in))
                               if self.checked_in else self.tr("Not checked in yet"))
        if self.prints:
            last = self.prints[-1]
            if len(self.prints) == 1:
                text = self.tr("Badge printed once, at %1")
            else:
                text = self.tr("Badge printed %2 times, last at %1").replace("%2", str(len(self.prints)))
            self.print_info.setText(text.replace("%1", local_time(last.printed_at)))
        else:
            self.print_info.setText(self.tr("No badge printed at the desk yet"))
        self.confirm_box.set_texts(self.tr("Check in %1 by hand?").replace("%1", a.name), self.tr("Yes, check in"),
                                   self.tr("Cancel"))
