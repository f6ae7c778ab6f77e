"""The exhibitor's lead settings page: the tag list and whether staff badges become leads."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui import theme
from ui.desk_panels import touch_list
from ui.lead_texts import tag_text

TAG_MAX_CHARS = 40


def with_tag(tags: list[str], typed: str) -> list[str]:
    """The list with a typed tag added (trimmed, cut to TAG_MAX_CHARS); unchanged when blank or already there."""
    tag = typed.strip()[:TAG_MAX_CHARS]
    return [*tags, tag] if tag and tag not in tags else list(tags)


def without_row(tags: list[str], row: int) -> list[str]:
    """The list without the tag at row; unchanged when no row is chosen (-1) or it is out of range."""
    return tags[:row] + tags[row + 1:] if 0 <= row < len(tags) else list(tags)


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
            self.list.addItem(tag_text(tag))

    def _add(self) -> None:
        tags = with_tag(self.tags, self.new_tag.text())
        if tags != self.tags:
            self.tags = tags
            self._fill()
        self.new_tag.clear()

    def _remove(self) -> None:
        tags = without_row(self.tags, self.list.currentRow())
        if tags != self.tags:
            self.tags = tags
            self._fill()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Lead settings"))
        self.hint.setText(self.tr('The tags you can give a lead. Tap one and "Remove" to take it off the list.'))
        self.new_tag.setPlaceholderText(self.tr("New tag, e.g. wants demo"))
        self.add_button.setText(self.tr("Add"))
        self.remove_button.setText(self.tr("Remove"))
        self.from_staff.setText(self.tr("Also save event staff and exhibitor badges as leads"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._fill()
