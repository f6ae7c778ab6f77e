"""The exhibitor's lead capture screen: locked behind the exhibitor PIN, then scan, list, edit, export.

Locked, it shows the PIN pad and nothing about any lead (the list widget is emptied, not
just covered). Unlocked, every scan goes through kiosk.checkin.check on the database
thread and the result panel says lead_saved / lead_updated with the name and organisation
the signed badge carries, so capture works offline with no attendee list on the device.
The list searches, sorts by time or rating and filters by a tag chip; a tap opens the
editor. Idle (Screen.reset) or the Lock button locks it again.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import checkin, leads, notify, pin
from kiosk.errors import Refused
from kiosk.models import Lead, Scan, Status, Verdict
from ui import theme
from ui.admin import PinPad
from ui.desk import touch_list
from ui.lead_editor import LeadEditor, stars_text
from ui.lead_export import LeadExportPage
from ui.screen import Screen
from ui.services import Services
from ui.verdict import VerdictIcon, headline, local_time

PAGE_LOCKED, PAGE_MAIN, PAGE_EDITOR, PAGE_EXPORT, PAGE_SETTINGS = range(5)


def capture_texts(verdict: Verdict, lead: Lead | None) -> tuple[str, str]:
    """(headline, what happened) for a scan on an exhibitor device, in the current language."""
    if verdict.status is Status.LEAD_SAVED:
        return (QCoreApplication.translate("LeadsScreen", "Lead saved"),
                QCoreApplication.translate("LeadsScreen", "Added to your leads. Tap “Add notes” to rate and tag it."))
    if verdict.status is Status.LEAD_UPDATED:
        scans = lead.scans if lead else 2
        return (QCoreApplication.translate("LeadsScreen", "Lead updated"),
                QCoreApplication.translate("LeadsScreen", "You already had this lead; scanned %1 times now.")
                .replace("%1", str(scans)))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "type:staff":
        return (QCoreApplication.translate("LeadsScreen", "Event staff badge"),
                QCoreApplication.translate("LeadsScreen", "This is a member of the event staff, not a visitor: "
                                                          "no lead saved."))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "type:exhibitor":
        return (QCoreApplication.translate("LeadsScreen", "Exhibitor badge"),
                QCoreApplication.translate("LeadsScreen", "This is an exhibitor's badge, not a visitor: no lead "
                                                          "saved. You can change this in the lead settings."))
    if verdict.status is Status.NOT_ALLOWED and verdict.detail == "no_exhibitor":
        return (QCoreApplication.translate("LeadsScreen", "Not linked to an exhibitor"),
                QCoreApplication.translate("LeadsScreen", "No lead saved: ask the event staff to enrol this device "
                                                          "for your company."))
    return headline(verdict), QCoreApplication.translate(
        "LeadsScreen", "No lead saved. The visitor can have the badge checked at the registration desk.")


class CapturePanel(QFrame):
    """The last scan's result, big and coloured, with a shortcut to the new lead's editor.

    Signals: open_lead(str lead_id).
    """

    open_lead = Signal(str)

    def __init__(self, seconds: int = 8, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("capturePanel")
        self.verdict: Verdict | None = None
        self.lead: Lead | None = None
        self.icon = VerdictIcon()
        self.icon.setFixedSize(120, 120)
        self.headline = self._text(36, True)
        self.step = self._text(18)
        self.name = self._text(30, True)
        self.organisation = self._text(22)
        self.notes_button = QPushButton()
        self.notes_button.setObjectName("captureNotes")
        self.notes_button.clicked.connect(lambda: self.lead and self.open_lead.emit(self.lead.id))
        text = QVBoxLayout()
        for w in (self.headline, self.name, self.organisation, self.step):
            text.addWidget(w)
        text.addWidget(self.notes_button, 0, Qt.AlignmentFlag.AlignLeft)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 18, 24, 18)
        row.setSpacing(24)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.timer = QTimer(self)
        self.timer.setObjectName("capture-timer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, seconds) * 1000 * 2)  # longer than a desk card: staff read then tap
        self.timer.timeout.connect(self.clear)
        self.hide()

    @staticmethod
    def _text(points: int, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        font = theme.app_font(points)
        font.setBold(bold)
        label.setFont(font)
        return label

    def show_capture(self, verdict: Verdict, lead: Lead | None) -> None:
        self.verdict, self.lead = verdict, lead
        self.retranslate()
        self.show()
        self.timer.start()

    def clear(self) -> None:
        self.timer.stop()
        self.verdict = self.lead = None
        for w in (self.headline, self.step, self.name, self.organisation):
            w.clear()
        self.hide()

    def texts(self) -> list[str]:
        return [w.text() for w in (self.headline, self.name, self.organisation, self.step)
                if w.text() and not w.isHidden()]

    def retranslate(self) -> None:
        self.notes_button.setText(self.tr("Add notes"))
        v = self.verdict
        if v is None:
            return
        style = theme.VERDICT_STYLES.get(v.status.value, theme.VERDICT_STYLES["unknown"])
        self.setStyleSheet(f"#capturePanel {{ background: {style.background}; border-radius: 14px; }} "
                           f"#capturePanel QLabel {{ color: {style.foreground}; }}")
        self.icon.set_kind(style.icon, style.foreground)
        title, step = capture_texts(v, self.lead)
        self.headline.setText(title)
        self.step.setText(step)
        person = v.attendee
        name = ""
        if person is not None:
            name = person.name + (f"  {person.name_zh}" if person.name_zh and person.name_zh != person.name else "")
        self.name.setText(name)
        self.name.setVisible(bool(name))
        self.organisation.setText(person.organisation if person else "")
        self.organisation.setVisible(bool(person and person.organisation))
        self.notes_button.setVisible(self.lead is not None)


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
            b = QPushButton(tag if tag is not None else self.tr("All"))
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


class TagSettingsPage(QWidget):
    """The exhibitor's own tag list and whether staff badges become leads; only reached unlocked.

    Signals: saved(list[str] tags, bool from_staff), cancelled().
    """

    saved = Signal(list, bool)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tags: list[str] = []
        self.title = theme.role_label("title")
        self.hint = theme.role_label("muted")
        self.list = touch_list(QListWidget())
        self.list.setObjectName("tagSettingsList")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName("tagRemove")
        self.remove_button.setProperty("danger", True)
        self.new_tag = QLineEdit()
        self.new_tag.setObjectName("newTag")
        self.add_button = QPushButton()
        self.add_button.setObjectName("tagAdd")
        self.from_staff = QCheckBox()
        self.from_staff.setObjectName("leadsFromStaff")
        self.from_staff.setStyleSheet("QCheckBox { font-size: 20pt; } QCheckBox::indicator { width: 48px; "
                                      "height: 48px; }")
        self.save_button = QPushButton()
        self.save_button.setObjectName("tagSave")
        self.save_button.setProperty("primary", True)
        self.cancel_button = QPushButton()
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_tag, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(60, 30, 60, 30)
        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addWidget(self.list, 1)
        column.addLayout(add_row)
        column.addWidget(self.from_staff)
        column.addLayout(buttons)
        self.add_button.clicked.connect(self._add)
        self.new_tag.returnPressed.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.save_button.clicked.connect(lambda: self.saved.emit(list(self.tags), self.from_staff.isChecked()))
        self.cancel_button.clicked.connect(self.cancelled)
        self.retranslate()

    def load(self, tags: list[str], from_staff: bool) -> None:
        self.tags = list(tags)
        self.from_staff.setChecked(from_staff)
        self.new_tag.clear()
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for tag in self.tags:
            self.list.addItem(tag)

    def _add(self) -> None:
        tag = self.new_tag.text().strip()[:40]
        if tag and tag not in self.tags:
            self.tags.append(tag)
            self._fill()
        self.new_tag.clear()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.tags):
            del self.tags[row]
            self._fill()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Lead settings"))
        self.hint.setText(self.tr("The tags you can give a lead. Tap one and “Remove” to take it off the list."))
        self.new_tag.setPlaceholderText(self.tr("New tag, e.g. wants demo"))
        self.add_button.setText(self.tr("Add"))
        self.remove_button.setText(self.tr("Remove"))
        self.from_staff.setText(self.tr("Also save event staff and exhibitor badges as leads"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))


class LeadsScreen(Screen):
    """The exhibitor role's start screen (loaded by ui.app from SCREEN_FACTORIES)."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.unlocked = False
        self.exhibitor: tuple[str, str, str] | None = None
        self.has_exhibitor_pin = True
        self.leads: list[Lead] = []
        self.total = 0  # leads of this exhibitor, before search and tag
        self.sort = "time"
        self._seq = 0
        self._pin_mode = "unlock"  # unlock | staff | new | repeat (setting the exhibitor PIN up)
        self._new_pin = ""
        self._wait = 0.0
        self._pin_text = ""

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_locked())
        self.pages.addWidget(self._build_main())
        self.editor = LeadEditor(services)
        self.pages.addWidget(self.editor)
        self.export_page = LeadExportPage(services)
        self.pages.addWidget(self.export_page)
        self.settings_page = TagSettingsPage()
        self.pages.addWidget(self.settings_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

        self.search_timer = QTimer(self)
        self.search_timer.setObjectName("lead-search-timer")
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(150)
        self.search_timer.timeout.connect(self.refresh)
        self.lock_timer = QTimer(self)
        self.lock_timer.setObjectName("exhibitor-pin-lock-timer")
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self._tick)
        self.bind_timer = QTimer(self)  # enrolment may bind the device while the pad shows
        self.bind_timer.setObjectName("exhibitor-bind-timer")
        self.bind_timer.setInterval(3000)
        self.bind_timer.timeout.connect(lambda: self.services.tasks.run_db(self._read_lock_state, self._lock_state))

        self.editor.closed.connect(self._back_to_main)
        self.editor.changed.connect(lambda _: self.refresh())
        self.editor.deleted.connect(self._deleted)
        self.export_page.closed.connect(self._back_to_main)
        self.settings_page.saved.connect(self._save_settings)
        self.settings_page.cancelled.connect(self._back_to_main)
        self.retranslate()
        self.lock()

    # -- building -----------------------------------------------------------------------------------
    def _build_locked(self) -> QWidget:
        page = QWidget()
        self.lock_title = theme.role_label("title")
        self.lock_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_hint = theme.role_label("muted")
        self.lock_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad()
        self.pad.setObjectName("exhibitorPinPad")
        self.pad.entered.connect(self._pin_entered)
        self.pad.cancel.clicked.connect(self._cancel_setup)
        column = QVBoxLayout(page)
        column.setContentsMargins(40, 30, 40, 30)
        column.addWidget(self.lock_title)
        column.addWidget(self.lock_hint)
        column.addWidget(self.pad, 1)
        return page

    def _build_main(self) -> QWidget:
        page = QWidget()
        self.exhibitor_title = theme.role_label("title")
        self.preview = self._make_preview()
        self.capture = CapturePanel(self.services.config.verdict_seconds)
        self.capture.open_lead.connect(self.open_lead)
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("leadsLock")
        self.export_button = QPushButton()
        self.export_button.setObjectName("leadsExport")
        self.settings_button = QPushButton()
        self.settings_button.setObjectName("leadsSettings")
        tools = QHBoxLayout()
        tools.addWidget(self.export_button)
        tools.addWidget(self.settings_button)
        tools.addStretch(1)
        tools.addWidget(self.lock_button)
        left = QVBoxLayout()
        left.addWidget(self.exhibitor_title)
        left.addWidget(self.preview, 1)
        left.addWidget(self.capture)
        left.addLayout(tools)

        self.search = QLineEdit()
        self.search.setObjectName("leadSearch")
        self.search.setClearButtonEnabled(True)
        self.sort_time = QPushButton()
        self.sort_time.setObjectName("sortTime")
        self.sort_rating = QPushButton()
        self.sort_rating.setObjectName("sortRating")
        self.sort_group = QButtonGroup(self)
        for b in (self.sort_time, self.sort_rating):
            b.setCheckable(True)
            b.setStyleSheet("QPushButton:checked { background: #0b5cad; color: #ffffff; }")
            self.sort_group.addButton(b)
        self.sort_time.setChecked(True)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.sort_time)
        search_row.addWidget(self.sort_rating)
        self.chips = TagChips()
        self.count_label = theme.role_label("muted")
        self.count_label.setObjectName("leadCount")
        self.list = touch_list(QListWidget())
        self.list.setObjectName("leadList")
        self.list.setWordWrap(True)
        self.empty = theme.role_label("muted")
        self.empty.setObjectName("leadEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QVBoxLayout()
        right.addLayout(search_row)
        right.addWidget(self.chips)
        right.addWidget(self.count_label)
        right.addWidget(self.list, 1)
        right.addWidget(self.empty)

        row = QHBoxLayout(page)
        row.setContentsMargins(24, 16, 24, 16)
        row.setSpacing(28)
        row.addLayout(left, 5)
        row.addLayout(right, 6)

        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.sort_time.clicked.connect(lambda: self._set_sort("time"))
        self.sort_rating.clicked.connect(lambda: self._set_sort("rating"))
        self.chips.chosen.connect(lambda _: self.refresh())
        self.list.itemClicked.connect(lambda item: self.open_lead(item.data(Qt.ItemDataRole.UserRole)))
        self.lock_button.clicked.connect(self.lock)
        self.export_button.clicked.connect(self._open_export)
        self.settings_button.clicked.connect(self._open_settings)
        return page

    def _make_preview(self) -> QWidget:
        camera = self.services.camera
        if camera is not None:
            try:
                from ui.camera import PreviewLabel
                preview = PreviewLabel()
                preview.attach(camera)
            except Exception:
                preview = None
        else:
            preview = None
        if preview is None:
            preview = QLabel()
            preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
            preview.setWordWrap(True)
            preview.setMinimumSize(320, 180)
        preview.setObjectName("leadPreview")
        preview.setStyleSheet("background: #1b1f24; color: #ffffff; border-radius: 12px; font-size: 20pt;")
        return preview

    # -- locking --------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Back to the PIN pad; everything about leads leaves the widgets, not only the view."""
        self.unlocked = False
        self.leads = []
        self.list.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.capture.clear()
        self.editor.clear()
        self.export_page.clear()
        self.pad.display.clear()
        self._pin_mode, self._new_pin = "unlock", ""
        self.pages.setCurrentIndex(PAGE_LOCKED)
        self.services.tasks.run_db(self._read_lock_state, self._lock_state)

    @staticmethod
    def _read_lock_state(store) -> dict:
        return {"exhibitor": leads.bound_exhibitor(store), "has_pin": pin.has_pin(store, "exhibitor"),
                "wait": pin.remaining_lock(store, scope="exhibitor")}

    def _lock_state(self, state: dict) -> None:
        self.exhibitor = state["exhibitor"]
        self.has_exhibitor_pin = state["has_pin"]
        if self.unlocked:
            return
        if self.exhibitor is None:
            self._pin_mode = "unbound"
            self.bind_timer.start()
        else:
            self.bind_timer.stop()
            if self._pin_mode == "unbound":
                self._pin_mode = "unlock"
            if not self.has_exhibitor_pin and self._pin_mode == "unlock":
                self._pin_mode = "staff"
        self._wait = state["wait"]
        self.pad.set_locked(self._wait > 0 or self.exhibitor is None)
        if self._wait > 0:
            self.lock_timer.start()
        self._pin_text = ""
        self._show_lock_texts()

    def _pin_entered(self, text: str) -> None:
        mode = self._pin_mode
        if mode == "new":
            if not pin.valid_pin(text):
                self._pin_text = self.tr("A PIN is 4 to 12 digits.")
            else:
                self._new_pin, self._pin_mode, self._pin_text = text, "repeat", ""
            self._show_lock_texts()
            return
        if mode == "repeat":
            if text != self._new_pin:
                self._pin_mode, self._new_pin = "new", ""
                self._pin_text = self.tr("The two PINs differ. Choose the PIN again.")
                self._show_lock_texts()
                return
            chosen = self._new_pin
            self.services.tasks.run_db(lambda s: pin.set_pin(s, chosen, scope="exhibitor"),
                                       lambda _: self._unlocked())
            return
        scope = "staff" if mode == "staff" else "exhibitor"
        self.pad.set_locked(True)
        self.services.tasks.run_db(lambda s: pin.verify(s, text, scope=scope), self._pin_result)

    def _pin_result(self, result: pin.PinResult) -> None:
        if result.ok:
            self.pad.set_locked(False)
            if self._pin_mode == "staff":
                self._pin_mode, self._pin_text = "new", ""
                self._show_lock_texts()
            else:
                self._unlocked()
            return
        self._wait = result.wait_seconds
        if self._wait > 0:
            self.lock_timer.start()
        else:
            self.pad.set_locked(False)
        self._pin_text = {"no_pin": self.tr("No exhibitor PIN is set on this device."),
                          "malformed": self.tr("The stored PIN is damaged; ask the event staff.")}.get(
            result.reason, self.tr("Wrong PIN."))
        self._show_lock_texts()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self.lock_timer.stop()
            self.pad.set_locked(self.exhibitor is None)
            self._pin_text = ""
        self._show_lock_texts()

    def _cancel_setup(self) -> None:
        if self._pin_mode in ("new", "repeat"):
            self._pin_mode, self._new_pin, self._pin_text = "staff", "", ""
        self.pad.display.clear()
        self._show_lock_texts()

    def _unlocked(self) -> None:
        self.unlocked = True
        self._pin_mode, self._new_pin, self._pin_text = "unlock", "", ""
        self.has_exhibitor_pin = True
        self.pad.message.clear()
        self.pages.setCurrentIndex(PAGE_MAIN)
        self._show_main_texts()
        self.refresh_tags()
        self.refresh()

    def _show_lock_texts(self) -> None:
        ex = self.exhibitor
        name = ""
        if ex is not None:
            name = (ex[2] or ex[1]) if self.services.zh else ex[1]
        titles = {
            "unlock": self.tr("Exhibitor PIN"),
            "staff": self.tr("Staff PIN"),
            "new": self.tr("Choose the exhibitor PIN"),
            "repeat": self.tr("Enter the new PIN again"),
            "unbound": self.tr("Lead capture"),
        }
        self.pad.title.setText(titles.get(self._pin_mode, ""))
        hints = {
            "unlock": self.tr("Leads of %1. Enter your exhibitor PIN to scan and see leads.").replace("%1", name),
            "staff": self.tr("No exhibitor PIN is set yet. Event staff: enter the staff PIN to set one up."),
            "new": self.tr("4 to 12 digits. Your booth staff will unlock this device with it."),
            "repeat": self.tr("To make sure it was typed right."),
            "unbound": self.tr("This device is not bound to an exhibitor. Enrol it for an exhibitor first."),
        }
        self.lock_title.setText(name or self.tr("Lead capture"))
        self.lock_hint.setText(hints.get(self._pin_mode, ""))
        self.pad.cancel.setText(self.tr("Back"))
        self.pad.cancel.setVisible(self._pin_mode in ("new", "repeat"))
        self.pad.display.setVisible(self._pin_mode != "unbound")
        if self._wait > 0:
            self.pad.message.setText(self.tr("Too many wrong PINs. Try again in %1 s.")
                                     .replace("%1", str(int(self._wait + 0.999))))
        else:
            self.pad.message.setText(self._pin_text)

    # -- scans ------------------------------------------------------------------------------------------
    def handle_scan(self, scan: Scan) -> bool:
        if not self.unlocked:
            self._pin_text = self.tr("Locked: enter the exhibitor PIN to capture leads.")
            self._show_lock_texts()
            return True  # taken, and deliberately not recorded
        base = self.services.context
        if self.pages.currentIndex() != PAGE_MAIN:
            self.editor.save_pending()
            self.pages.setCurrentIndex(PAGE_MAIN)

        def capture(store):
            ctx = leads.fresh_context(store, base)
            if not ctx.exhibitor_id:
                raise Refused("this device is not bound to an exhibitor")
            verdict = checkin.check(store, scan.code, ctx, source=scan.source)
            lead = leads.get_lead(store, verdict.record_id) if verdict.status.accepted and verdict.record_id \
                else None
            return verdict, lead

        self.services.tasks.run_db(capture, self._captured)
        return True

    def _captured(self, result: tuple[Verdict, Lead | None]) -> None:
        verdict, lead = result
        if not self.unlocked:
            return  # locked while the scan was on its way: it is saved, but not shown
        self.capture.show_capture(verdict, lead)
        self.services.sounds.play("ok" if verdict.status.accepted else "refuse")
        if lead is not None:
            self.refresh()

    # -- list -------------------------------------------------------------------------------------------
    def _set_sort(self, sort: str) -> None:
        self.sort = sort
        self.refresh()

    def refresh(self) -> None:
        if not self.unlocked or self.exhibitor is None:
            return
        self._seq += 1
        seq, exhibitor_id = self._seq, self.exhibitor[0]
        query, tag, sort = self.search.text(), self.chips.current, self.sort

        def load(store):
            return leads.list_leads(store, exhibitor_id, query, tag, sort), \
                store.db.execute("SELECT COUNT(*) FROM leads WHERE exhibitor_id = ? AND deleted = 0",
                                 [exhibitor_id]).fetchone()[0]

        self.services.tasks.run_db(load, lambda r: self._show_leads(seq, *r))

    def _show_leads(self, seq: int, found: list[Lead], total: int) -> None:
        if seq != self._seq or not self.unlocked:
            return
        self.leads = found
        self.total = total
        self.list.clear()
        for lead in found:
            item = QListWidgetItem(self._item_text(lead))
            item.setData(Qt.ItemDataRole.UserRole, lead.id)
            self.list.addItem(item)
        self._show_counts()

    def _item_text(self, lead: Lead) -> str:
        name = lead.name + (f"  {lead.name_zh}" if lead.name_zh and lead.name_zh != lead.name else "")
        first = f"{name}    {stars_text(lead.rating)}" if lead.rating else name
        second = "  ·  ".join(x for x in (lead.organisation, local_time(lead.updated_at), ", ".join(lead.tags)) if x)
        return f"{first}\n{second}"

    def _show_counts(self) -> None:
        total = self.total
        shown = len(self.leads)
        if total == 0:
            self.empty.setText(self.tr("No leads yet. Scan a visitor's badge to save the first one."))
        else:
            self.empty.setText(self.tr("No lead matches the search or the tag."))
        self.empty.setVisible(shown == 0)
        self.list.setVisible(shown > 0)
        self.count_label.setText(self.tr("%1 of %2 leads").replace("%1", str(shown)).replace("%2", str(total))
                                 if shown != total else self.tr("%1 leads").replace("%1", str(total)))

    def refresh_tags(self) -> None:
        self.services.tasks.run_db(leads.tag_choices, self.chips.set_tags)

    # -- pages ------------------------------------------------------------------------------------------
    def open_lead(self, lead_id: str) -> None:
        if not self.unlocked or not lead_id:
            return
        self.capture.clear()
        self.editor.open_lead(lead_id)
        self.pages.setCurrentIndex(PAGE_EDITOR)

    def _back_to_main(self) -> None:
        if self.unlocked:
            self.pages.setCurrentIndex(PAGE_MAIN)
            self.refresh_tags()
            self.refresh()

    def _deleted(self, _lead_id: str) -> None:
        notify.info(self.tr("Lead deleted."))
        self._back_to_main()

    def _open_export(self) -> None:
        if self.unlocked and self.exhibitor is not None:
            self.export_page.open(self.exhibitor)
            self.pages.setCurrentIndex(PAGE_EXPORT)

    def _open_settings(self) -> None:
        def load(store):
            return leads.tag_choices(store), leads.leads_from_staff(store)

        self.services.tasks.run_db(load, lambda r: self.settings_page.load(*r))
        self.pages.setCurrentIndex(PAGE_SETTINGS)

    def _save_settings(self, tags: list[str], from_staff: bool) -> None:
        def save(store):
            with store.transaction():
                leads.set_tag_choices(store, tags)
                leads.set_leads_from_staff(store, from_staff)

        self.services.tasks.run_db(save, lambda _: self._back_to_main())

    # -- Screen -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Idle: lock, so the next person at the booth sees no leads."""
        self.editor.save_pending()
        self.lock()

    def _show_main_texts(self) -> None:
        ex = self.exhibitor
        if ex is not None:
            self.exhibitor_title.setText(self.tr("Leads · %1").replace("%1", (ex[2] or ex[1]) if self.services.zh
                                                                         else ex[1]))
        if not hasattr(self.preview, "attach"):
            self.preview.setText(self.tr("No camera: scan with the USB scanner."))

    def retranslate(self) -> None:
        self.lock_button.setText(self.tr("Lock"))
        self.export_button.setText(self.tr("Export"))
        self.settings_button.setText(self.tr("Tags…"))
        self.search.setPlaceholderText(self.tr("Search name, organisation, notes"))
        self.sort_time.setText(self.tr("Newest"))
        self.sort_rating.setText(self.tr("Best rated"))
        self.chips.retranslate()
        self.capture.retranslate()
        self._show_lock_texts()
        self._show_main_texts()
        if self.unlocked:
            self._show_counts()
            self._show_leads(self._seq, self.leads, self.total)
