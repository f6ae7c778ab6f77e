"""The exhibitor's lead capture screen: locked behind the exhibitor PIN, then scan, list, edit, export.

Locked, it shows the PIN pad and nothing about any lead (the list widget is emptied, not
just covered). Unlocked, every scan goes through kiosk.checkin.check on the database
thread and the result panel says lead_saved / lead_updated with the name and organisation
the signed badge carries, so capture works offline with no attendee list on the device.
The list searches, sorts by time or rating and filters by a tag chip; a tap opens the
editor. Idle (Screen.reset) or the Lock button locks it again.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import checkin, leads, notify, pin
from kiosk.models import Lead, Scan, Verdict
from ui import theme
from ui.admin import PinPad
from ui.camera import PreviewLabel
from ui.capture_panel import CapturePanel
from ui.desk_panels import touch_list
from ui.exhibitor_lock import SETUP_MODES, mode_for, verify_scope
from ui.lead_editor import LeadEditor
from ui.lead_export import LeadExportPage
from ui.lead_texts import count_text, empty_text, lead_item_text, lock_hint, lock_title, pin_refused_text, wait_text
from ui.names import local_name
from ui.screen import Screen
from ui.services import Services
from ui.tag_chips import TagChips
from ui.tag_settings import TagSettingsPage
from ui.verdict import local_time

PAGE_LOCKED, PAGE_MAIN, PAGE_EDITOR, PAGE_EXPORT, PAGE_SETTINGS = range(5)


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
        preview = PreviewLabel()
        if self.services.camera is not None:
            preview.attach(self.services.camera)
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
        self._pin_mode = mode_for(self._pin_mode, self.exhibitor is not None, self.has_exhibitor_pin)
        if self.exhibitor is None:
            self.bind_timer.start()
        else:
            self.bind_timer.stop()
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
        scope = verify_scope(mode)
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
        self._pin_text = pin_refused_text(result.reason)
        self._show_lock_texts()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self.lock_timer.stop()
            self.pad.set_locked(self.exhibitor is None)
            self._pin_text = ""
        self._show_lock_texts()

    def _cancel_setup(self) -> None:
        if self._pin_mode in SETUP_MODES:
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

    def _exhibitor_name(self) -> str:
        ex = self.exhibitor
        return local_name(ex[1], ex[2], self.services.zh) if ex is not None else ""

    def _show_lock_texts(self) -> None:
        name = self._exhibitor_name()
        self.pad.title.setText(lock_title(self._pin_mode))
        self.lock_title.setText(name or lock_title("unbound"))
        self.lock_hint.setText(lock_hint(self._pin_mode, name))
        self.pad.cancel.setText(self.tr("Back"))
        self.pad.cancel.setVisible(self._pin_mode in SETUP_MODES)
        self.pad.display.setVisible(self._pin_mode != "unbound")
        if self._wait > 0:
            self.pad.message.setText(wait_text(self._wait))
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

        self.services.tasks.run_db(lambda s: checkin.lead_scan(s, scan.code, base, scan.source), self._captured)
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
            return leads.list_leads(store, exhibitor_id, query, tag, sort), leads.count_leads(store, exhibitor_id)

        self.services.tasks.run_db(load, lambda r: self._show_leads(seq, *r))

    def _show_leads(self, seq: int, found: list[Lead], total: int) -> None:
        if seq != self._seq or not self.unlocked:
            return
        self.leads = found
        self.total = total
        self.list.clear()
        for lead in found:
            item = QListWidgetItem(lead_item_text(lead, local_time(lead.updated_at)))
            item.setData(Qt.ItemDataRole.UserRole, lead.id)
            self.list.addItem(item)
        self._show_counts()

    def _show_counts(self) -> None:
        shown = len(self.leads)
        self.empty.setText(empty_text(self.total))
        self.empty.setVisible(shown == 0)
        self.list.setVisible(shown > 0)
        self.count_label.setText(count_text(shown, self.total))

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
        self.services.tasks.run_db(leads.lead_settings, lambda r: self.settings_page.load(*r))
        self.pages.setCurrentIndex(PAGE_SETTINGS)

    def _save_settings(self, tags: list[str], from_staff: bool) -> None:
        self.services.tasks.run_db(lambda s: leads.save_lead_settings(s, tags, from_staff),
                                   lambda _: self._back_to_main())

    # -- Screen -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Idle: lock, so the next person at the booth sees no leads."""
        self.editor.save_pending()
        self.lock()

    def _show_main_texts(self) -> None:
        if self.exhibitor is not None:
            self.exhibitor_title.setText(self.tr("Leads · %1").replace("%1", self._exhibitor_name()))
        if self.services.camera is None:
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
        for page in (self.editor, self.export_page, self.settings_page):  # plain widgets: no LanguageChange hook
            page.retranslate()
        self._show_lock_texts()
        self._show_main_texts()
        if self.unlocked:
            self._show_counts()
            self._show_leads(self._seq, self.leads, self.total)
