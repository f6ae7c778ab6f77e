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

from kiosk.models import Attendee
from kiosk.store import Store
from ui.tasks import TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintRecord:
    attendee_id: str
    printed_at: str
    target: str  # printer name, or the PDF file written
    issue: int


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
    store.db["print_log"].insert({
        "attendee_id": attendee.id, "device_id": device_id,
        "printed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "target": target, "issue": attendee.badge_issue})
    return len(print_history(store, attendee.id))


def print_history(store: Store, attendee_id: str) -> list[PrintRecord]:
    rows = store.db.execute(
        "SELECT attendee_id, printed_at, target, issue FROM print_log WHERE attendee_id = ? ORDER BY id",
        [attendee_id]).fetchall()
    return [PrintRecord(r[0], r[1] or "", r[2] or "", r[3] or 1) for r in rows]


def available_printers() -> list[str]:
    try:
        from PySide6.QtPrintSupport import QPrinterInfo
        return list(QPrinterInfo.availablePrinterNames())
    except Exception as exc:
        log.info("no print support: %s", exc)
        return []


class BadgePrinter(QObject):
    """Signals:
        printed(object PrintJob): the badge went to the printer or the PDF was written.
        failed(str): a message for the screen.
    """

    printed = Signal(object)
    failed = Signal(str)
    refused = Signal(str)  # nothing printed, on purpose: the message says why

    def __init__(self, tasks: TaskManager, folder: Path, device_id: str, printer: str = "",
                 event_name: str = "", event_name_zh: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self.tasks = tasks
        self.folder = Path(folder)
        self.device_id = device_id
        self.printer = printer
        self.event_name, self.event_name_zh = event_name, event_name_zh

    def print_badge(self, attendee: Attendee) -> None:
        """Server reachable: a newly issued signed badge; else the plain code; else refuse."""
        from sync.client import server_auth

        self.tasks.run_db(server_auth, lambda auth: self._ask_server(attendee, auth), self._fail)

    def _ask_server(self, attendee: Attendee, auth) -> None:
        from sync.client import request_reprint

        if auth is None:  # a stand-alone desk, never enrolled
            self._without_server(attendee, None)
            return
        self.tasks.run_net(lambda: request_reprint(auth, attendee.id),
                           lambda issued: self._reissued(attendee, issued),
                           lambda exc: self._without_server(attendee, exc))

    def _reissued(self, attendee: Attendee, issued) -> None:
        from sync.client import adopt_reissue

        attendee = replace(attendee, badge_issue=issued.issue)
        self.tasks.run_db(lambda s: adopt_reissue(s, issued), lambda _: self._render(attendee, issued.code, True),
                          self._fail)

    def _without_server(self, attendee: Attendee, exc: BaseException | None) -> None:
        from sync.client import Unreachable

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
            from kiosk.badgeprint import render_badge
            return render_badge(attendee, code, path, self.event_name, self.event_name_zh)

        self.tasks.run_net(render, lambda p: self._send(attendee, Path(p), code, signed), self._fail)

    def _send(self, attendee: Attendee, path: Path, code: str = "", signed: bool = False) -> None:
        target = str(path)
        if self.printer:
            try:
                self._to_printer(path)
                target = self.printer
            except Exception as exc:
                self._fail(exc)
                return
        self.tasks.run_db(lambda s: log_print(s, attendee, self.device_id, target),
                          lambda n: self.printed.emit(PrintJob(attendee, path, target, n, code, signed)), self._fail)

    def _to_printer(self, path: Path) -> None:
        from PySide6.QtPrintSupport import QPrinter
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
