"""Export the exhibitor's leads to CSV (UTF-8 with BOM) and XLSX, into a folder chosen by touch.

QFileDialog is small and fiddly in a fullscreen kiosk, so this page lists where a file can
go in big rows: USB sticks mounted under /media and /run/media, and the home folder. A tap
opens a folder, "Up" goes back, "Export here" writes the files. The rows come from the
database thread (kiosk.leads.lead_rows_for_export: this exhibitor's only); the files are
written by kiosk.leadfile on the background pool, atomically, so a stick pulled out half-way
leaves no half file under the real name.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from kiosk import leads
from kiosk.leadfile import export_leads
from ui.desk_panels import touch_list
from ui.services import Services

MEDIA_ROOTS = (Path("/media"), Path("/run/media"))


def _dirs(folder: Path) -> list[Path]:
    try:
        return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                      key=lambda p: p.name.lower())
    except OSError:
        return []


def removable_volumes(media_roots: tuple[Path, ...] = MEDIA_ROOTS) -> list[Path]:
    """Mounted sticks: /media/LABEL when it is a mount point, else /media/USER/LABEL (and /run/media/USER/LABEL)."""
    found: list[Path] = []
    for root in media_roots:
        for child in _dirs(root):
            if os.path.ismount(child):
                found.append(child)
            else:
                found += _dirs(child)
    return found


def export_names(exhibitor_id: str, exhibitor_name: str, when: datetime | None = None) -> str:
    """A file stem a sales team recognises and any file system accepts: leads-EX01-BeiGene-20231118-1030."""
    when = when or datetime.now()
    safe = re.sub(r"[^A-Za-z0-9]+", "-", exhibitor_name).strip("-")[:40]
    parts = ["leads", re.sub(r"[^A-Za-z0-9]+", "-", exhibitor_id).strip("-") or "exhibitor"]
    if safe:
        parts.append(safe)
    parts.append(when.strftime("%Y%m%d-%H%M"))
    return "-".join(parts)


def write_exports(rows: list[dict], folder: Path, stem: str, formats: tuple[str, ...]) -> list[tuple[Path, int]]:
    """Write one file per format (".csv", ".xlsx"); returns (path, rows written) for each."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OSError(f"{folder} is not there any more")
    return [(folder / f"{stem}{fmt}", export_leads(rows, folder / f"{stem}{fmt}")) for fmt in formats]


class LeadExportPage(QWidget):
    """Signals:
        closed(): back to the leads.
        exported(list of (Path, int)): files written.
        failed(str): why nothing (or not everything) was written.
    """

    closed = Signal()
    exported = Signal(list)
    failed = Signal(str)

    def __init__(self, services: Services, media_roots: tuple[Path, ...] = MEDIA_ROOTS,
                 home: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.media_roots = tuple(media_roots)
        self.home = Path(home) if home is not None else Path.home()
        self.exhibitor: tuple[str, str, str] | None = None
        self.folder: Path | None = None  # None: the list of places
        self.busy = False
        self._result: tuple[str, str] = ("", "")  # (kind, detail) of the last export

        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.where = QLabel()
        self.where.setObjectName("exportWhere")
        self.where.setWordWrap(True)
        self.where.setStyleSheet("font-size: 20pt;")
        self.places = touch_list(QListWidget())
        self.places.setObjectName("exportFolders")
        self.places.setIconSize(QSize(40, 40))
        self.up_button = QPushButton()
        self.up_button.setObjectName("exportUp")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("exportRefresh")
        self.csv_box = QCheckBox("CSV")
        self.xlsx_box = QCheckBox("Excel (XLSX)")
        for box in (self.csv_box, self.xlsx_box):
            box.setChecked(True)
            box.setStyleSheet("QCheckBox { font-size: 20pt; } QCheckBox::indicator { width: 48px; height: 48px; }")
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportHere")
        self.export_button.setProperty("primary", True)
        self.export_button.setStyleSheet("QPushButton:disabled { background: #c3c9d0; border-color: #c3c9d0; "
                                         "color: #ffffff; }")
        self.back_button = QPushButton()
        self.back_button.setObjectName("exportBack")
        self.message = QLabel()
        self.message.setObjectName("exportMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 20pt;")

        nav = QHBoxLayout()
        nav.addWidget(self.up_button)
        nav.addWidget(self.refresh_button)
        nav.addStretch(1)
        formats = QHBoxLayout()
        formats.addWidget(self.csv_box)
        formats.addSpacing(30)
        formats.addWidget(self.xlsx_box)
        formats.addStretch(1)
        formats.addWidget(self.export_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(60, 24, 60, 24)
        column.addWidget(self.title)
        column.addWidget(self.where)
        column.addLayout(nav)
        column.addWidget(self.places, 1)
        column.addLayout(formats)
        column.addWidget(self.message)
        column.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.places.itemClicked.connect(lambda item: self.enter(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.up_button.clicked.connect(self.up)
        self.refresh_button.clicked.connect(self.show_places)
        self.export_button.clicked.connect(self.export_here)
        self.back_button.clicked.connect(self.closed)
        self.csv_box.toggled.connect(lambda _: self._update_buttons())
        self.xlsx_box.toggled.connect(lambda _: self._update_buttons())
        self.retranslate()

    # -- navigation -----------------------------------------------------------------------------------
    def open(self, exhibitor: tuple[str, str, str]) -> None:
        self.exhibitor = exhibitor
        self._result = ("", "")
        self.show_places()

    def clear(self) -> None:
        self.exhibitor = None
        self.folder = None
        self._result = ("", "")
        self.places.clear()
        self.message.clear()

    def places_list(self) -> list[tuple[str, Path]]:
        """("usb" | "home", path) of every place offered at the top level."""
        out = [("usb", p) for p in removable_volumes(self.media_roots)]
        out.append(("home", self.home))
        return out

    def show_places(self) -> None:
        self.folder = None
        self.places.clear()
        for kind, path in self.places_list():
            text = (self.tr("USB stick: %1") if kind == "usb" else self.tr("Home folder: %1")).replace("%1", path.name
                                                                                                    or str(path))
            self._add_item(text, path, QStyle.StandardPixmap.SP_DriveFDIcon if kind == "usb"
                           else QStyle.StandardPixmap.SP_DirHomeIcon)
        self.retranslate()

    def enter(self, folder: Path) -> None:
        self.folder = folder
        self.places.clear()
        for sub in _dirs(folder):
            self._add_item(sub.name, sub, QStyle.StandardPixmap.SP_DirIcon)
        self.retranslate()

    def up(self) -> None:
        if self.folder is None:
            return
        tops = {p for _, p in self.places_list()}
        if self.folder in tops or self.folder.parent == self.folder:
            self.show_places()
        else:
            self.enter(self.folder.parent)

    def _add_item(self, text: str, path: Path, icon: QStyle.StandardPixmap) -> None:
        item = QListWidgetItem(self.style().standardIcon(icon), text)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        self.places.addItem(item)

    # -- export -----------------------------------------------------------------------------------------
    def formats(self) -> tuple[str, ...]:
        return tuple(f for f, box in ((".csv", self.csv_box), (".xlsx", self.xlsx_box)) if box.isChecked())

    def export_here(self) -> None:
        if self.folder is None or self.exhibitor is None or self.busy or not self.formats():
            return
        folder, formats = self.folder, self.formats()
        exhibitor_id, name = self.exhibitor[0], self.exhibitor[1]
        stem = export_names(exhibitor_id, name)
        self.busy = True
        self._result = ("busy", "")
        self.retranslate()

        def write(rows: list[dict]) -> None:
            self.services.tasks.run_net(lambda: write_exports(rows, folder, stem, formats), self._done, self._failed)

        self.services.tasks.run_db(lambda s: leads.lead_rows_for_export(s, exhibitor_id), write, self._failed)

    def _done(self, written: list[tuple[Path, int]]) -> None:
        self.busy = False
        count = written[0][1] if written else 0
        self._result = ("done", "\n".join(str(p) for p, _ in written), count)
        self.retranslate()
        self.exported.emit(written)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self._result = ("failed", str(exc) or exc.__class__.__name__)
        self.retranslate()
        self.failed.emit(self._result[1])

    # -- texts ----------------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.folder is not None and bool(self.formats()) and not self.busy)
        self.up_button.setEnabled(self.folder is not None)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Export leads"))
        self.up_button.setText(self.tr("‹ Up"))
        self.refresh_button.setText(self.tr("Look for USB sticks again"))
        self.export_button.setText(self.tr("Export here"))
        self.back_button.setText(self.tr("Back to leads"))
        if self.folder is None:
            self.where.setText(self.tr("Choose where to save: plug in a USB stick, then tap it."))
        else:
            self.where.setText(self.tr("Save in: %1").replace("%1", str(self.folder)))
        kind = self._result[0]
        if kind == "busy":
            self.message.setStyleSheet("font-size: 20pt; color: #1b1f24;")
            self.message.setText(self.tr("Writing the files…"))
        elif kind == "done":
            self.message.setStyleSheet("font-size: 20pt; color: #1e7b34;")
            saved = self.tr("1 lead saved to:\n%2") if self._result[2] == 1 else self.tr("%1 leads saved to:\n%2")
            self.message.setText(saved.replace("%1", str(self._result[2])).replace("%2", self._result[1]))
        elif kind == "failed":
            self.message.setStyleSheet("font-size: 20pt; color: #b3261e;")
            self.message.setText(self.tr("Could not save the leads here: %1").replace("%1", self._result[1]))
        else:
            self.message.setText("")
        self._update_buttons()
