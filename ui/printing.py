"""Badge printing at the desk: Qt print support, or a PDF in the print folder.

The badge itself is drawn by the Qt-free `kiosk.badgeprint` (off the GUI thread); this
module sends it to a printer (QPrinter must be driven from the GUI thread) and writes every
print into the store's print_log so a second print shows up as a reprint.

Devices hold no signing key, so the QR of a printed badge comes from the server: it issues
a new signed badge and revokes the old issue (other devices learn it on their next pull).
Without the server the desk prints the attendee's plain registration code, or refuses:
a QR that would scan as "unknown" is worse than no badge.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter

from kiosk.badgeprint import render_badge
from kiosk.models import Attendee
from kiosk.private import private_dir
from kiosk.store import Store
from sync.deskcalls import DeskCalls, Reissued, adopt_reissue
from sync.transport import ServerAddress, Unreachable
from ui.tasks import TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintJob:
    attendee: Attendee
    path: Path
    target: str
    count: int  # prints of this attendee so far, this one included
    code: str = ""  # what the QR holds
    signed: bool = False  # a badge the server signed (else the plain registration code)


def offline_code(attendee: Attendee) -> str | None:
    """What an offline desk may put into a QR: the registration code, or nothing (None)."""
    return attendee.code or None


def log_print(store: Store, attendee: Attendee, device_id: str, target: str) -> int:
    """Record one print; returns how many prints this attendee has now."""
    return store.prints.add(attendee.id, device_id, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            target, attendee.badge_issue)


def available_printers() -> list[str]:
    try:
        from PySide6.QtPrintSupport import (
            QPrinterInfo,  # lazy: the print module loads only when printing
        )
    except ImportError as exc:
        log.info("no print support: %s", exc)
        return []
    return list(QPrinterInfo.availablePrinterNames())


class BadgePrinter(QObject):
    """Signals:
        printed(object PrintJob): the badge went to the printer or the PDF was written.
        failed(str): a message for the screen.
    """

    printed = Signal(object)
    failed = Signal(str)
    refused = Signal(str)  # nothing printed, on purpose: the message says why

    def __init__(self, tasks: TaskManager, desk_calls: DeskCalls, folder: Path, device_id: str, printer: str = "",
                 event_name: str = "", event_name_zh: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.desk_calls = desk_calls
        self.folder = Path(folder)
        self.device_id = device_id
        self.printer = printer
        self.event_name, self.event_name_zh = event_name, event_name_zh

    def print_badge(self, attendee: Attendee) -> None:
        """Server reachable: a newly issued signed badge; else the plain code; else refuse."""
        self.tasks.run_db(ServerAddress.of, lambda address: self._ask_server(attendee, address), self._fail)

    def _ask_server(self, attendee: Attendee, address: ServerAddress | None) -> None:
        if address is None:  # a stand-alone desk, never enrolled
            self._without_server(attendee, None)
            return
        self.tasks.run_net(lambda: self.desk_calls.request_reprint(address, attendee.id),
                           lambda issued: self._reissued(attendee, issued),
                           lambda exc: self._without_server(attendee, exc))

    def _reissued(self, attendee: Attendee, issued: Reissued) -> None:
        attendee = replace(attendee, badge_issue=issued.issue)
        self.tasks.run_db(lambda s: adopt_reissue(s, issued), lambda _: self._render(attendee, issued.code, True),
                          self._fail)

    def _without_server(self, attendee: Attendee, exc: BaseException | None) -> None:
        code = offline_code(attendee)
        if code is not None:
            if exc is not None:
                log.info("printing %s's registration code: %s", attendee.id, exc)
            self._render(attendee, code, False)
            return
        if exc is None or isinstance(exc, Unreachable):
            self.refused.emit(self.tr("Printing a new badge needs the server; it is not reachable."))
        else:
            self.refused.emit(self.tr("The server did not issue a new badge: %1").replace("%1", str(exc)))

    def _render(self, attendee: Attendee, code: str, signed: bool) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        ending = ".png" if self.printer else ".pdf"
        path = self.folder / f"badge-{attendee.id}-{stamp}{ending}"

        def render() -> Path:
            private_dir(self.folder)  # badge files are valid badges: the folder is owner-only
            return render_badge(attendee, code, path, self.event_name, self.event_name_zh)

        self.tasks.run_net(render, lambda p: self._send(attendee, Path(p), code, signed), self._fail)

    def _send(self, attendee: Attendee, path: Path, code: str = "", signed: bool = False) -> None:
        target = str(path)
        if self.printer:
            try:
                self._to_printer(path)
                target = self.printer
            except RuntimeError as exc:
                self._fail(exc)
                return
        self.tasks.run_db(lambda s: log_print(s, attendee, self.device_id, target),
                          lambda n: self.printed.emit(PrintJob(attendee, path, target, n, code, signed)), self._fail)

    def _to_printer(self, path: Path) -> None:
        from PySide6.QtPrintSupport import (
            QPrinter,  # lazy: the print module loads only when printing
        )
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(self.printer)
        if not printer.isValid():
            raise RuntimeError(f"printer {self.printer!r} is not available")
        image = QImage(str(path))
        painter = QPainter()
        if not painter.begin(printer):
            raise RuntimeError(f"printer {self.printer!r} did not start the job")
        try:
            page = printer.pageLayout().paintRectPixels(printer.resolution())
            target = image.size().scaled(page.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(page.topLeft(), target), image)
        finally:
            painter.end()

    def _fail(self, exc: BaseException) -> None:
        log.warning("badge print failed: %s", exc)
        self.failed.emit(str(exc) or exc.__class__.__name__)
