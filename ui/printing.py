"""Badge printing at the desk: Qt print support, or a PDF in the print folder.

The badge is the template's layout (the device's `badge_template`, as the server's
`kiosk-server badges`), painted by `ui.badgepaint` straight onto the printer, sized to the
printer's page or label: a page of the badge's own size when the printer has one or takes
custom sizes, else the badge scaled to fit the printer's page. Without a printer the same
painting goes to a PDF (Qt's writer) in the print folder. QPrinter must be driven from the
GUI thread; one badge paints in milliseconds. Every print goes into the store's print_log
(and by sync to the server) so a second print shows up as a reprint.

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

from PySide6.QtCore import QMarginsF, QObject, QSizeF, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from kiosk import badgetemplates, eventdata
from kiosk.badgelayout import BadgeText, badge_text
from kiosk.badgetemplates import Template
from kiosk.errors import KioskError
from kiosk.identify import record_print
from kiosk.models import Attendee, Event
from kiosk.private import claim, private_dir
from kiosk.store import Store
from sync.deskcalls import DeskCalls, Reissued, adopt_reissue
from sync.transport import ServerAddress, Unreachable
from ui.badgepaint import badge_page, paint_badge, paint_rect
from ui.tasks import TaskManager

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintJob:
    attendee: Attendee
    path: Path | None  # the PDF written to the print folder; None when it went to a printer
    target: str
    count: int  # prints of this attendee so far, this one included
    code: str = ""  # what the QR holds
    signed: bool = False  # a badge the server signed (else the plain registration code)


def offline_code(attendee: Attendee) -> str | None:
    """What an offline desk may put into a QR: the registration code, or nothing (None)."""
    return attendee.code or None


def log_print(store: Store, attendee: Attendee, device_id: str, target: str) -> int:
    """Record one print, queued for the server with it; returns how many prints this attendee has now."""
    return record_print(store, attendee, device_id, target, datetime.now(timezone.utc))


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
                 event_name: str = "", event_name_zh: str = "", parent: QObject | None = None,
                 template: str = "a6"):
        super().__init__(parent)
        self.tasks = tasks
        self.desk_calls = desk_calls
        self.folder = Path(folder)
        self.device_id = device_id
        self.printer = printer
        self.template = template  # a template name or file (kiosk.badgetemplates)
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
        """The event's badge types are read at each print: an update-event reaches the desk by sync."""
        self.tasks.run_db(eventdata.badge_types_from_store, lambda types: self._paint(attendee, code, signed, types),
                          self._fail)

    def _paint(self, attendee: Attendee, code: str, signed: bool, types: tuple[eventdata.BadgeType, ...]) -> None:
        data = badge_text(attendee, code, Event("", self.event_name, self.event_name_zh), types)
        path = None
        try:
            template = badgetemplates.load(self.template)
            if self.printer:
                print_badge_to(self.printer, template, data, f"badge-{attendee.id}")
                target = self.printer
            else:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                private_dir(self.folder)  # badge files are valid badges: the folder is owner-only
                path = write_badge_pdf(template, data, self.folder / f"badge-{attendee.id}-{stamp}.pdf")
                target = str(path)
        except (RuntimeError, OSError, KioskError) as exc:
            self._fail(exc)
            return
        self.tasks.run_db(lambda s: log_print(s, attendee, self.device_id, target),
                          lambda n: self.printed.emit(PrintJob(attendee, path, target, n, code, signed)), self._fail)

    def _fail(self, exc: BaseException) -> None:
        log.warning("badge print failed: %s", exc)
        self.failed.emit(str(exc) or exc.__class__.__name__)


def write_badge_pdf(template: Template, data: BadgeText, path: Path) -> Path:
    """One badge as a PDF page of the badge's size, painted by Qt (the folder a desk prints to without a printer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    claim(path)  # a badge file is a valid badge: owner-only before Qt writes into it
    writer = QPdfWriter(str(path))
    writer.setResolution(600)
    writer.setPageLayout(badge_page(template))
    writer.setTitle(path.stem)
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError(f"{path}: cannot write the badge PDF")
    try:
        paint_badge(painter, template, data, paint_rect(writer, writer.resolution()))
    finally:
        painter.end()
    return path


def print_badge_to(printer_name: str, template: Template, data: BadgeText, job_name: str) -> None:
    """Paint one badge on a printer, on a page of the badge's size when the printer has or takes one."""
    from PySide6.QtPrintSupport import (  # lazy: the print module loads only when printing
        QPrinter,
        QPrinterInfo,
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    # an unknown name leaves Qt on the default printer: the badge would come out somewhere else
    if printer_name not in QPrinterInfo.availablePrinterNames() or not printer.isValid():
        raise RuntimeError(f"printer {printer_name!r} is not available")
    printer.setDocName(job_name)
    choose_page(printer, printer_name, template)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError(f"printer {printer_name!r} did not start the job")
    try:
        paint_badge(painter, template, data, paint_rect(printer, printer.resolution()))
    finally:
        painter.end()


def choose_page(printer, printer_name: str, template: Template) -> str:
    """The printer's page for this badge: a size it has within 1.5 mm of the badge (a label, A6, a CR80
    card), else a custom size if it takes one, else its own page (the badge is scaled to fit).
    Returns which: "label", "custom" or "fit"."""
    from PySide6.QtPrintSupport import QPrinterInfo

    info = QPrinterInfo.printerInfo(printer_name)
    want = sorted((template.width, template.height))
    landscape = template.width > template.height
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    for size in info.supportedPageSizes():
        have = size.size(QPageSize.Unit.Millimeter)
        if all(abs(a - b) <= 1.5 for a, b in zip(want, sorted((have.width(), have.height())))):
            _set_page(printer, size, orientation)
            return "label"
    if info.supportsCustomPageSizes():
        _set_page(printer, QPageSize(QSizeF(*want), QPageSize.Unit.Millimeter, template.id,
                                     QPageSize.SizeMatchPolicy.ExactMatch), orientation)
        return "custom"
    return "fit"


def _set_page(printer, size: QPageSize, orientation: QPageLayout.Orientation) -> None:
    printer.setPageSize(size)
    printer.setPageOrientation(orientation)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)  # kept if the printer needs margins
