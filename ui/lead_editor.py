"""One lead, opened from the list: notes, a 5-star rating, tags, when and where it was scanned.

Rating and tags are saved the moment they are tapped (each is a small edit that merges with
other devices'); the note is this device's own and is saved with "Save note", when leaving,
or when the screen locks. Contact details show only when the lead row carries them, which
it does only for attendees who agreed to share them. Deleting asks first.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QPlainTextEdit, QPushButton, QScrollArea,
                               QScroller, QVBoxLayout, QWidget)

from kiosk import leads
from kiosk.models import Lead
from ui import theme
from ui.lead_texts import tag_text
from ui.names import both_names
from ui.services import Services
from ui.verdict import badge_type_name, local_time

STAR_SIZE = 76  # px: a thumb-sized target, well over the 48 px floor


class StarRating(QWidget):
    """Five big stars; tapping the current rating again clears it. Signals: rated(int)."""

    rated = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.value = 0
        self.stars: list[QPushButton] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for i in range(1, 6):
            b = QPushButton("☆")
            b.setObjectName(f"star-{i}")
            b.setFixedSize(STAR_SIZE, STAR_SIZE)
            b.setStyleSheet("QPushButton { font-size: 34pt; padding: 0; color: #c98a00; border-color: #c98a00; }")
            b.clicked.connect(lambda _=False, n=i: self._tap(n))
            self.stars.append(b)
            row.addWidget(b)
        row.addStretch(1)

    def _tap(self, n: int) -> None:
        self.set_value(0 if n == self.value else n)
        self.rated.emit(self.value)

    def set_value(self, value: int) -> None:
        self.value = max(0, min(5, int(value or 0)))
        for i, b in enumerate(self.stars, start=1):
            b.setText("★" if i <= self.value else "☆")


class TagToggles(QWidget):
    """The exhibitor's tags as chips to switch on and off. Signals: toggled(list[str] tags now on)."""

    toggled = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}

    def set_tags(self, choices: list[str], on: tuple[str, ...]) -> None:
        for b in self.buttons.values():
            b.deleteLater()
        self.buttons = {}
        names = list(dict.fromkeys([*choices, *on]))  # a tag since taken off the list still shows
        for i, tag in enumerate(names):
            b = QPushButton(tag_text(tag))
            b.setObjectName("leadTag")
            b.setCheckable(True)
            b.setChecked(tag in on)
            b.setStyleSheet("QPushButton { border-radius: 30px; font-size: 18pt; } "
                            "QPushButton:checked { background: #1e7b34; border-color: #1e7b34; color: #ffffff; }")
            b.clicked.connect(lambda _=False: self.toggled.emit(self.selected()))
            self.buttons[tag] = b
            self.grid.addWidget(b, i // 3, i % 3)

    def selected(self) -> list[str]:
        return [t for t, b in self.buttons.items() if b.isChecked()]

    def retranslate(self) -> None:
        for tag, b in self.buttons.items():
            b.setText(tag_text(tag))


class LeadEditor(QWidget):
    """Signals:
        closed(): back to the list.
        changed(object Lead): something was saved.
        deleted(str lead_id): the lead was deleted after confirmation.
    """

    closed = Signal()
    changed = Signal(object)
    deleted = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.lead: Lead | None = None
        self.saved_note = ""
        self.others: list[tuple[str, str]] = []
        self.device_id = services.context.device_id
        self.device_names: dict[str, str] = {}  # device id -> name, for the devices the open lead mentions

        self.back_button = QPushButton()
        self.back_button.setObjectName("editorBack")
        self.name = theme.role_label("title")
        self.name.setObjectName("editorName")
        self.organisation = theme.role_label()
        self.organisation.setStyleSheet("font-size: 22pt;")
        self.badge = theme.role_label("muted")
        self.scanned = theme.role_label("muted")
        self.scanned.setObjectName("editorScanned")
        self.contact_title = theme.role_label()
        self.contact_title.setStyleSheet("font-weight: bold;")
        self.contact = theme.role_label()
        self.contact.setObjectName("editorContact")
        self.contact.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rating_title = theme.role_label()
        self.rating_title.setStyleSheet("font-weight: bold;")
        self.rating = StarRating()
        self.tags_title = theme.role_label()
        self.tags_title.setStyleSheet("font-weight: bold;")
        self.tags = TagToggles()
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("editorDelete")
        self.delete_button.setProperty("danger", True)
        self.confirm_box = QFrame()
        self.confirm_box.setObjectName("deleteConfirm")
        self.confirm_box.setStyleSheet("#deleteConfirm { background: #fde2e1; border-radius: 10px; }")
        self.confirm_text = theme.role_label()
        self.confirm_yes = QPushButton()
        self.confirm_yes.setObjectName("deleteYes")
        self.confirm_yes.setProperty("danger", True)
        self.confirm_no = QPushButton()
        self.confirm_no.setObjectName("deleteNo")
        box = QVBoxLayout(self.confirm_box)
        box.addWidget(self.confirm_text)
        yes_no = QHBoxLayout()
        yes_no.addWidget(self.confirm_yes)
        yes_no.addWidget(self.confirm_no)
        yes_no.addStretch(1)
        box.addLayout(yes_no)

        self.note_title = theme.role_label()
        self.note_title.setStyleSheet("font-weight: bold;")
        self.note = QPlainTextEdit()
        self.note.setObjectName("leadNote")
        self.note.setStyleSheet("QPlainTextEdit { font-size: 20pt; background: #ffffff; border: 2px solid #9aa3ad; "
                                "border-radius: 8px; }")
        self.note.setMinimumHeight(160)
        self.save_note_button = QPushButton()
        self.save_note_button.setObjectName("saveNote")
        self.save_note_button.setProperty("primary", True)
        self.note_status = theme.role_label()  # "Note saved", so a tap on "Save note" is seen to have worked
        self.note_status.setObjectName("noteStatus")
        self.note_status.setStyleSheet("color: #1e7b34; font-weight: bold;")
        self.others_title = theme.role_label()
        self.others_title.setStyleSheet("font-weight: bold;")
        self.others_text = theme.role_label()
        self.others_text.setObjectName("otherNotes")

        left = QVBoxLayout()
        left.setSpacing(10)
        for w in (self.name, self.organisation, self.badge, self.scanned, self.contact_title, self.contact,
                  self.rating_title, self.rating, self.tags_title, self.tags):
            left.addWidget(w)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setLayout(left)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(left_box)
        scroll.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        QScroller.grabGesture(scroll.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        right = QVBoxLayout()
        right.addWidget(self.note_title)
        right.addWidget(self.note, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.note_status, 1)
        save_row.addWidget(self.save_note_button, 0)
        right.addLayout(save_row)
        right.addWidget(self.others_title)
        right.addWidget(self.others_text)
        right.addStretch(1)
        right.addWidget(self.confirm_box)
        right.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        body = QHBoxLayout()
        body.setSpacing(32)
        body.addWidget(scroll, 5)
        body.addLayout(right, 5)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 16, 24, 16)
        column.addLayout(top)
        column.addLayout(body, 1)

        self.back_button.clicked.connect(self._back)
        self.rating.rated.connect(self._rate)
        self.tags.toggled.connect(self._tag)
        self.save_note_button.clicked.connect(self._save_tapped)
        self.note.textChanged.connect(self._note_edited)
        self.delete_button.clicked.connect(self._ask_delete)
        self.confirm_no.clicked.connect(self.confirm_box.hide)
        self.confirm_yes.clicked.connect(self._delete)
        self.retranslate()
        self.clear()

    # -- loading ------------------------------------------------------------------------------------------
    def open_lead(self, lead_id: str) -> None:
        base = self.services.context
        self.services.tasks.run_db(lambda s: leads.lead_for_editing(s, base, lead_id), self._loaded)

    def _loaded(self, result) -> None:
        if result is None:
            self.closed.emit()
            return
        lead, own, others, choices, self.device_id, self.device_names = result
        self.lead, self.saved_note, self.others = lead, own, others
        self.note.setPlainText(own)
        self.note_status.clear()
        self.rating.set_value(lead.rating)
        self.tags.set_tags(choices, lead.tags)
        self.confirm_box.hide()
        self.retranslate()

    def clear(self) -> None:
        """Forget the lead entirely (lock, idle): no name or note stays in a widget."""
        self.lead, self.saved_note, self.others = None, "", []
        self.note.clear()
        self.note_status.clear()
        self.rating.set_value(0)
        self.tags.set_tags([], ())
        self.confirm_box.hide()
        for w in (self.name, self.organisation, self.badge, self.scanned, self.contact, self.others_text):
            w.clear()

    # -- edits ---------------------------------------------------------------------------------------------
    def _apply(self, fn, on_done=None) -> None:
        lead = self.lead
        if lead is None:
            return
        base = self.services.context

        def done(updated):
            if updated is not None and self.lead is not None and self.lead.id == updated.id:
                self.lead = updated
                self.retranslate()
            if updated is not None:
                self.changed.emit(updated)
            if on_done:
                on_done()

        self.services.tasks.run_db(lambda s: fn(s, leads.fresh_context(s, base), lead.id), done)

    def _rate(self, value: int) -> None:
        self._apply(lambda s, ctx, lead_id: leads.set_rating(s, ctx, lead_id, value))

    def _tag(self, tags: list[str]) -> None:
        self._apply(lambda s, ctx, lead_id: leads.set_tags(s, ctx, lead_id, tags))

    def note_dirty(self) -> bool:
        return self.lead is not None and self.note.toPlainText() != self.saved_note

    def save_note(self, on_done=None) -> None:
        if not self.note_dirty():
            if on_done:
                on_done()
            return
        text = self.note.toPlainText()
        self.saved_note = text
        self._apply(lambda s, ctx, lead_id: leads.set_note(s, ctx, lead_id, text), on_done)

    def _save_tapped(self) -> None:
        self.save_note(on_done=self._note_saved)

    def _note_saved(self) -> None:
        if not self.note_dirty():
            self.note_status.setText(self.tr("✓ Note saved"))

    def _note_edited(self) -> None:
        if self.note_dirty():
            self.note_status.clear()

    def save_pending(self) -> None:
        """Keep a half-written note when the screen locks or a scan arrives."""
        if self.note_dirty():
            self.save_note()

    def _back(self) -> None:
        self.save_note()
        self.closed.emit()

    def _ask_delete(self) -> None:
        self.confirm_box.show()
        self.retranslate()

    def _delete(self) -> None:
        lead = self.lead
        if lead is None:
            return
        base = self.services.context
        self.confirm_box.hide()

        def gone(_):
            self.clear()
            self.deleted.emit(lead.id)

        self.services.tasks.run_db(lambda s: leads.delete_lead(s, leads.fresh_context(s, base), lead.id), gone)

    # -- texts ----------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.back_button.setText(self.tr("‹ Leads"))
        self.rating_title.setText(self.tr("Rating"))
        self.tags_title.setText(self.tr("Tags"))
        self.tags.retranslate()
        self.note_title.setText(self.tr("Your note"))
        self.note.setPlaceholderText(self.tr("What did you talk about? What should happen next?"))
        self.save_note_button.setText(self.tr("Save note"))
        self.delete_button.setText(self.tr("Delete lead"))
        self.confirm_yes.setText(self.tr("Yes, delete"))
        self.confirm_no.setText(self.tr("Cancel"))
        self.contact_title.setText(self.tr("Contact details"))
        lead = self.lead
        if lead is None:
            return
        self.name.setText(both_names(lead.name, lead.name_zh))
        self.organisation.setText(lead.organisation)
        self.organisation.setVisible(bool(lead.organisation))
        self.badge.setText(badge_type_name(lead.badge_type))
        first = self.tr("First scanned %1 by %2").replace("%1", local_time(lead.created_at)) \
            .replace("%2", self._device(lead.device_id))
        if lead.scans > 1:
            first += "\n" + self.tr("Scanned %1 times; last change %2").replace("%1", str(lead.scans)) \
                .replace("%2", local_time(lead.updated_at))
        self.scanned.setText(first)
        lines = [x for x in (lead.title, lead.email, lead.phone) if x]
        self.contact.setText("\n".join(lines) if lines else
                             self.tr("Not shared: this attendee did not agree to share contact details."))
        self.contact.setProperty("role", "" if lines else "muted")
        self.contact.style().unpolish(self.contact)
        self.contact.style().polish(self.contact)
        self.others_title.setText(self.tr("Notes from your other devices"))
        self.others_title.setVisible(bool(self.others))
        self.others_text.setText("\n\n".join(f"{self._device(d)}: {t}" for d, t in self.others))
        self.others_text.setVisible(bool(self.others))
        self.confirm_text.setText(self.tr("Delete the lead for %1? Its notes, rating and tags go too.")
                                  .replace("%1", lead.name))

    def _device(self, device_id: str) -> str:
        """A device as people know it: "this device (Booth tablet)", another device's name; its id only
        where no name is known for another device."""
        name = self.device_names.get(device_id or "")
        if device_id and device_id == self.device_id:
            if not name:
                return QCoreApplication.translate("LeadEditor", "this device")
            return QCoreApplication.translate("LeadEditor", "this device (%1)").replace("%1", name)
        return name or device_id or "?"


