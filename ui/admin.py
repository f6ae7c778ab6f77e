"""Staff settings behind the PIN: role, where the kiosk stands on the hall plan, check-in point and
direction, camera, language, idle time, printer, changing the staff and exhibitor PINs, and
leaving the kiosk. Reached by holding the top-left corner, never by a button.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFormLayout, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget)

from kiosk import pin, selfservice
from kiosk.config import Config
from kiosk.models import Direction
from ui import theme
from ui.printing import available_printers
from ui.screen import Screen
from ui.services import Services


@dataclass(frozen=True)
class AdminChoices:
    """What staff chose on the settings page."""

    role: str
    point_id: str
    direction: Direction
    config: Config


class PinPad(QWidget):
    """Big digits, masked entry, a message line. Signals: entered(str)."""

    entered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display = QLineEdit()
        self.display.setObjectName("pinDisplay")
        self.display.setEchoMode(QLineEdit.EchoMode.Password)
        self.display.setReadOnly(True)  # digits come from the pad, not from the on-screen keyboard
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setFixedWidth(420)
        self.message = QLabel()
        self.message.setObjectName("pinMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e; font-size: 20pt;")
        # room for two lines kept even when empty: "Wrong PIN." appearing must not push the keys away
        self.message.setMinimumHeight(2 * QFontMetrics(theme.app_font(20)).lineSpacing())
        grid = QGridLayout()
        grid.setSpacing(16)
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, key in enumerate(labels):
            button = QPushButton(key)
            button.setObjectName(f"pinKey-{key}")
            button.setFixedSize(130, 100)
            button.setStyleSheet("font-size: 30pt;")
            button.clicked.connect(lambda _=False, k=key: self._press(k))
            self.keys[key] = button
            grid.addWidget(button, i // 3, i % 3)
        self.keys["OK"].setProperty("primary", True)
        self.cancel = QPushButton()
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.display, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.message)
        column.addLayout(grid)
        grid.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)

    def _press(self, key: str) -> None:
        if key == "⌫":
            self.display.backspace()
        elif key == "OK":
            text = self.display.text()
            self.display.clear()
            if text:
                self.entered.emit(text)
        elif len(self.display.text()) < 12:
            self.display.setText(self.display.text() + key)

    def set_locked(self, locked: bool) -> None:
        for button in self.keys.values():
            button.setEnabled(not locked)


class AdminScreen(Screen):
    """Signals:
        saved(object AdminChoices), closed(), exit_requested().
    """

    saved = Signal(object)
    closed = Signal()
    exit_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.unlocked = False
        self._wait = 0.0
        self._last_result: pin.PinResult | None = None
        self.pages = QStackedWidget()
        self.pad = PinPad()
        self.pad.entered.connect(self._check_pin)
        self.pad.cancel.clicked.connect(self.closed)
        self.pages.addWidget(self.pad)
        self.pages.addWidget(self._build_settings())
        self.change_pad = PinPad()  # changing a PIN: the same big pad, one step at a time
        self.change_pad.setObjectName("pinChangePad")
        self.change_pad.entered.connect(self._change_entered)
        self.change_pad.cancel.clicked.connect(self._change_cancelled)
        self.pages.addWidget(self.change_pad)
        self._change: dict = {}
        self._places: list[selfservice.KioskPlace] = []
        QVBoxLayout(self).addWidget(self.pages)
        self.lock_timer = QTimer(self)
        self.lock_timer.setObjectName("pin-lock-timer")
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self._tick)
        self.retranslate()

    # -- settings page ----------------------------------------------------------------------------
    def _toggle_row(self, keys: list[str], name: str) -> tuple[QButtonGroup, dict[str, QPushButton], QHBoxLayout]:
        group = QButtonGroup(self)
        group.setExclusive(True)
        buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key in keys:
            b = QPushButton()
            b.setObjectName(f"{name}-{key}")
            b.setCheckable(True)
            b.setStyleSheet("QPushButton:checked { background: #0b5cad; color: #ffffff; }")
            group.addButton(b)
            buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        return group, buttons, row

    def _build_settings(self) -> QWidget:
        page = QWidget()
        self.settings_title = QLabel()
        self.settings_title.setProperty("role", "title")
        _, self.role_buttons, role_row = self._toggle_row(["attendee", "desk", "exhibitor"], "role")
        for b in self.role_buttons.values():
            b.toggled.connect(self._role_toggled)
        self.place_group = QButtonGroup(self)
        self.place_group.setExclusive(True)
        self.place_buttons: dict[str, QPushButton] = {}
        self.place_row = QHBoxLayout()
        self.place_row.addStretch(1)
        self.place_none = QLabel()
        self.place_none.setProperty("role", "muted")
        self.place_row.insertWidget(0, self.place_none)
        self.change_staff_pin = QPushButton()
        self.change_staff_pin.setObjectName("changeStaffPin")
        self.change_staff_pin.clicked.connect(lambda: self.start_pin_change("staff"))
        self.change_exhibitor_pin = QPushButton()
        self.change_exhibitor_pin.setObjectName("changeExhibitorPin")
        self.change_exhibitor_pin.clicked.connect(lambda: self.start_pin_change("exhibitor"))
        self.settings_message = QLabel()
        self.settings_message.setObjectName("settingsMessage")
        self.settings_message.setStyleSheet("color: #1e7b34; font-weight: bold;")
        self.point_combo = QComboBox()
        self.point_combo.setObjectName("pointCombo")
        _, self.direction_buttons, dir_row = self._toggle_row(["entry", "exit"], "direction")
        self.camera_edit = QLineEdit()
        self.camera_edit.setObjectName("cameraEdit")
        _, self.language_buttons, lang_row = self._toggle_row(["en", "zh_CN"], "language")
        self.language_buttons["en"].setText("English")
        self.language_buttons["zh_CN"].setText("中文")
        self.idle_label = QLabel()
        self.idle_label.setObjectName("idleValue")
        self.idle_minus, self.idle_plus = QPushButton("−"), QPushButton("+")
        self.idle_minus.clicked.connect(lambda: self._step_idle(-15))
        self.idle_plus.clicked.connect(lambda: self._step_idle(15))
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_minus)
        idle_row.addWidget(self.idle_label)
        idle_row.addWidget(self.idle_plus)
        idle_row.addStretch(1)
        self.printer_combo = QComboBox()
        self.printer_combo.setObjectName("printerCombo")
        self.self_print = QPushButton()  # an attendee kiosk prints the badge of whoever checks in (ui.selfprintpage)
        self.self_print.setObjectName("selfPrintToggle")
        self.self_print.setCheckable(True)
        self.self_print.setMinimumHeight(theme.MIN_TOUCH)
        self.self_print.toggled.connect(self._self_print_text)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(14)
        self.form.setHorizontalSpacing(30)
        self.row_labels = [QLabel() for _ in range(9)]
        for label, field in zip(self.row_labels, [role_row, self.place_row, self.point_combo, dir_row, self.camera_edit,
                                                  lang_row, idle_row, self.printer_combo, self.self_print]):
            # a label as tall as a touch row, its words centred on the field beside it (not at its top)
            label.setMinimumHeight(theme.MIN_TOUCH + 8)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self.form.addRow(label, field)
        self.save_button = QPushButton()
        self.save_button.setObjectName("adminSave")
        self.save_button.setProperty("primary", True)
        self.back_button = QPushButton()
        self.back_button.setObjectName("adminBack")
        self.exit_button = QPushButton()
        self.exit_button.setObjectName("adminExit")
        self.exit_button.setProperty("danger", True)
        self.save_button.clicked.connect(self._save)
        self.back_button.clicked.connect(self.closed)
        self.exit_button.clicked.connect(self.exit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.back_button)
        buttons.addSpacing(40)
        buttons.addWidget(self.change_staff_pin)
        buttons.addWidget(self.change_exhibitor_pin)
        buttons.addStretch(1)
        buttons.addWidget(self.exit_button)
        form_page = QWidget()
        form_column = QVBoxLayout(form_page)
        form_column.setContentsMargins(0, 0, 0, 0)
        form_column.addLayout(self.form)
        form_column.addStretch(1)
        scroll = QScrollArea()  # a small or portrait screen scrolls the form; the buttons stay put
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_page)
        theme.kinetic(scroll)
        column = QVBoxLayout(page)
        column.setContentsMargins(60, 24, 60, 24)
        column.addWidget(self.settings_title)
        column.addWidget(scroll, 1)
        column.addWidget(self.settings_message)
        column.addLayout(buttons)
        return page

    def load_settings(self) -> None:
        """Fill the form from the services' current state."""
        svc = self.services
        cfg = svc.config
        self.role_buttons.get(svc.context.role, self.role_buttons["desk"]).setChecked(True)
        self.settings_message.clear()
        self._role_toggled()
        svc.tasks.run_db(selfservice.kiosk_places, self._places_loaded)
        self.point_combo.clear()
        for p in svc.points:
            self.point_combo.addItem(svc.point_name(p), p.id)
        index = self.point_combo.findData(svc.context.point_id)
        self.point_combo.setCurrentIndex(max(0, index))
        self.direction_buttons[svc.direction.value].setChecked(True)
        self.camera_edit.setText(cfg.camera)
        self.language_buttons.get(cfg.language, self.language_buttons["en"]).setChecked(True)
        self._idle = cfg.idle_seconds
        self._show_idle()
        self.printer_combo.clear()
        self.printer_combo.addItem(self.tr("No printer: save a PDF in the print folder"), "")
        for name in available_printers():
            self.printer_combo.addItem(name, name)
        self.printer_combo.setCurrentIndex(max(0, self.printer_combo.findData(cfg.printer)))
        self.self_print.setChecked(cfg.self_print)
        self._self_print_text()

    def _places_loaded(self, places: list) -> None:
        """One big button per kiosk position of the plan, named with the landmark it is near."""
        self._places = list(places)
        for b in self.place_buttons.values():
            self.place_group.removeButton(b)
            self.place_row.removeWidget(b)
            b.deleteLater()
        self.place_buttons = {}
        for i, place in enumerate(self._places):
            b = QPushButton()
            b.setObjectName(f"place-{place.id}")
            b.setCheckable(True)
            b.setMinimumHeight(64)
            b.setStyleSheet("QPushButton:checked { background: #0b5cad; color: #ffffff; }")
            b.setChecked(place.chosen)
            self.place_group.addButton(b)
            self.place_buttons[place.id] = b
            self.place_row.insertWidget(i, b)
        self.place_none.setVisible(not self._places)
        self._place_texts()

    def _place_texts(self) -> None:
        zh = self.services.zh
        for place in self._places:
            near = (place.near_zh or place.near) if zh else place.near
            text = place.id if not near else self.tr("%1 (near %2)").replace("%1", place.id).replace("%2", near)
            self.place_buttons[place.id].setText(text)
        self.place_none.setText(self.tr("The hall plan names no kiosk positions."))

    def chosen_place(self) -> str:
        return next((k for k, b in self.place_buttons.items() if b.isChecked()), "")

    def _role_toggled(self, *_):
        self.change_exhibitor_pin.setVisible(self.role_buttons["exhibitor"].isChecked()
                                             or self.services.context.role == "exhibitor")

    def _self_print_text(self, *_) -> None:
        self.self_print.setText(self.tr("On: attendees print their own badge here") if self.self_print.isChecked()
                                else self.tr("Off: this kiosk prints no badges"))

    def _step_idle(self, delta: int) -> None:
        self._idle = max(15, min(3600, self._idle + delta))
        self._show_idle()

    def _show_idle(self) -> None:
        self.idle_label.setText(self.tr("%1 seconds").replace("%1", str(getattr(self, "_idle", 90))))

    def choices(self) -> AdminChoices:
        role = next((k for k, b in self.role_buttons.items() if b.isChecked()), "desk")
        direction = Direction.EXIT if self.direction_buttons["exit"].isChecked() else Direction.ENTRY
        language = "zh_CN" if self.language_buttons["zh_CN"].isChecked() else "en"
        camera = self.camera_edit.text().strip() or "none"
        cfg = replace(self.services.config, camera=camera, language=language, idle_seconds=self._idle,
                      printer=self.printer_combo.currentData() or "", self_print=self.self_print.isChecked())
        return AdminChoices(role, self.point_combo.currentData() or self.services.context.point_id, direction, cfg)

    def _save(self) -> None:
        """The kiosk position is written first (on the database thread, in order), so the
        screens that follow `settings_changed` read the new one."""
        choices, place = self.choices(), self.chosen_place()
        if place:
            self.services.tasks.run_db(lambda s: selfservice.set_kiosk_position(s, place),
                                       lambda _=None: self.saved.emit(choices))
        else:
            self.saved.emit(choices)

    # -- changing a PIN ----------------------------------------------------------------------------
    def start_pin_change(self, scope: str) -> None:
        """Staff PIN: current, new, new again. Exhibitor PIN: new twice (staff are already in)."""
        self._change = {"scope": scope, "step": "old" if scope == "staff" else "new", "old": None, "new": ""}
        self.change_pad.display.clear()
        self.change_pad.message.clear()
        self.change_pad.set_locked(False)
        self.pages.setCurrentIndex(2)
        self._change_title()

    def _change_title(self) -> None:
        c = self._change
        if not c:
            return
        staff = c["scope"] == "staff"
        titles = {"old": self.tr("Current staff PIN"),
                  "new": self.tr("New staff PIN (4 to 12 digits)") if staff
                  else self.tr("New exhibitor PIN (4 to 12 digits)"),
                  "repeat": self.tr("New staff PIN again") if staff else self.tr("New exhibitor PIN again")}
        self.change_pad.title.setText(titles[c["step"]])

    def _change_entered(self, text: str) -> None:
        c = self._change
        if c["step"] == "old":
            c["old"], c["step"] = text, "new"
            self.change_pad.message.clear()
        elif c["step"] == "new":
            if not pin.valid_pin(text):
                self.change_pad.message.setText(self.tr("A PIN is 4 to 12 digits."))
                return
            c["new"], c["step"] = text, "repeat"
            self.change_pad.message.clear()
        else:
            self.change_pad.set_locked(True)
            scope, old, new = c["scope"], c["old"], c["new"]
            self.services.tasks.run_db(lambda s: pin.change_pin(s, old, new, text, scope), self._change_done)
            return
        self._change_title()

    def _change_done(self, result: pin.PinResult) -> None:
        c = self._change
        self.change_pad.set_locked(False)
        if result.ok:
            self.settings_message.setText(self.tr("Staff PIN changed.") if c["scope"] == "staff"
                                          else self.tr("Exhibitor PIN changed."))
            self._change = {}
            self.pages.setCurrentIndex(1)
            return
        if result.wait_seconds > 0:  # too many wrong current PINs: locked out of the settings as well
            self._change = {}
            self.lock()
            self._pin_result(result)
            return
        if result.reason == "mismatch":
            c["step"] = "new"
            self.change_pad.message.setText(self.tr("The two new PINs differ. Enter the new PIN again."))
        elif result.reason == "invalid":
            c["step"] = "new"
            self.change_pad.message.setText(self.tr("A PIN is 4 to 12 digits."))
        else:
            c["step"], c["old"] = "old", None
            self.change_pad.message.setText(self.tr("The current PIN is wrong."))
        self._change_title()

    def _change_cancelled(self) -> None:
        self._change = {}
        self.pages.setCurrentIndex(1)

    # -- PIN ------------------------------------------------------------------------------------------
    def _check_pin(self, text: str) -> None:
        self.pad.set_locked(True)
        self.services.tasks.run_db(lambda s: pin.verify(s, text), self._pin_result)

    def _pin_result(self, result: pin.PinResult) -> None:
        self._last_result = result
        if result.ok:
            self.unlocked = True
            self.pad.message.clear()
            self.load_settings()
            self.pages.setCurrentIndex(1)
            self.pad.set_locked(False)
            return
        self._wait = result.wait_seconds
        if self._wait > 0:
            self.lock_timer.start()
        else:
            self.pad.set_locked(False)
        self._show_pin_message()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self.lock_timer.stop()
            self.pad.set_locked(False)
            self._last_result = None
        self._show_pin_message()

    def _show_pin_message(self) -> None:
        r = self._last_result
        if r is None:
            self.pad.message.clear()
        elif self._wait > 0:
            self.pad.message.setText(self.tr("Too many wrong PINs. Try again in %1 s.")
                                     .replace("%1", str(int(self._wait + 0.999))))
        elif r.reason == "no_pin":
            self.pad.message.setText(self.tr("No staff PIN is set on this kiosk."))
        elif r.reason == "malformed":
            self.pad.message.setText(self.tr("The stored PIN is damaged; set it again from the command line."))
        else:
            self.pad.message.setText(self.tr("Wrong PIN."))

    def lock(self) -> None:
        """Back to the PIN pad; the settings need the PIN again."""
        self.unlocked = False
        self._change = {}
        self.change_pad.display.clear()
        self.pad.display.clear()
        self.pages.setCurrentIndex(0)

    def open(self) -> None:
        """Called when staff reach the screen: show the pad, and any lockout still running."""
        self.lock()
        self.services.tasks.run_db(lambda s: pin.remaining_lock(s), self._initial_lock)

    def _initial_lock(self, wait: float) -> None:
        if wait > 0:
            self._wait = wait
            self._last_result = pin.PinResult(False, wait, reason="locked")
            self.pad.set_locked(True)
            self.lock_timer.start()
        self._show_pin_message()

    # -- Screen -----------------------------------------------------------------------------------------
    def reset(self) -> None:
        self.lock()

    def retranslate(self) -> None:
        self.pad.title.setText(self.tr("Staff PIN"))
        self.pad.cancel.setText(self.tr("Cancel"))
        self._show_pin_message()
        self.settings_title.setText(self.tr("Kiosk settings"))
        for label, text in zip(self.row_labels, [self.tr("Role"), self.tr("\"You are here\" on the hall plan"),
                                                 self.tr("Check-in point"), self.tr("Direction"),
                                                 self.tr("Camera (index or video file)"),
                                                 self.tr("Default language"), self.tr("Idle reset after"),
                                                 self.tr("Printer"), self.tr("Self-service badges")]):
            label.setText(text)
        self.change_staff_pin.setText(self.tr("Change staff PIN"))
        self.change_exhibitor_pin.setText(self.tr("Change exhibitor PIN"))
        self.change_pad.cancel.setText(self.tr("Cancel"))
        self._change_title()
        self._place_texts()
        self.role_buttons["attendee"].setText(self.tr("Attendee kiosk"))
        self.role_buttons["desk"].setText(self.tr("Check-in desk"))
        self.role_buttons["exhibitor"].setText(self.tr("Exhibitor"))
        self.direction_buttons["entry"].setText(self.tr("Entry"))
        self.direction_buttons["exit"].setText(self.tr("Exit"))
        self.save_button.setText(self.tr("Save"))
        self.back_button.setText(self.tr("Back"))
        self.exit_button.setText(self.tr("Leave kiosk mode"))
        self._show_idle()
        self._self_print_text()
        if self.unlocked:
            self.printer_combo.setItemText(0, self.tr("No printer: save a PDF in the print folder"))
            for i in range(self.point_combo.count()):
                p = next((p for p in self.services.points if p.id == self.point_combo.itemData(i)), None)
                if p:
                    self.point_combo.setItemText(i, self.services.point_name(p))
