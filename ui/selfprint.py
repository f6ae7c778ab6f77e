"""The attendee kiosk's own printer: one badge painted off the GUI thread, its queue watched.

The badge is painted on the network pool (ui.tasks): QPainter on a QPrinter is allowed off the
GUI thread, and the kiosk's screen keeps answering while CUPS takes the job (Qt's CUPS support
spools a PDF and hands it to the queue). Before painting, the queue's state is read (QPrinterInfo:
CUPS stops a queue whose printer is out of paper, jammed or offline, or staff stopped it with
cupsdisable); a queue that cannot print is said on the screen, the check-in stands, and the
state goes to the server with the next sync as the kiosk's health (sync.rounds). Without a
printer configured the badge is a PDF in the print folder, as at the desk.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk import badgetemplates
from kiosk.badgelayout import badge_text
from kiosk.errors import KioskError
from kiosk.models import Event
from kiosk.selfprint import PrintPlan, QueueState, record, set_health
from kiosk.store import Store
from ui.printing import print_badge_to, write_badge_pdf

log = logging.getLogger(__name__)

class CannotPrint(Exception):
    def __init__(self, state: QueueState, detail: str = ""):
        super().__init__(detail or state.value)
        self.state = state


@dataclass(frozen=True)
class Printed:
    target: str  # the queue, or the PDF written
    count: int  # this person's prints, this one included


def queue_state(printer_name: str) -> QueueState:
    """The configured queue as the OS print system reports it now."""
    if not printer_name:
        return QueueState.READY  # a PDF in the print folder
    try:
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo  # lazy: only kiosks that print load it
    except ImportError:
        return QueueState.MISSING
    if printer_name not in QPrinterInfo.availablePrinterNames():
        return QueueState.MISSING
    state = QPrinterInfo.printerInfo(printer_name).state()
    if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return QueueState.STOPPED
    return QueueState.READY


def paint_plan(plan: PrintPlan, printer_name: str, template_name: str, folder: Path, event: Event | None) -> str:
    """Paint one badge onto the queue (or a PDF); returns where it went. Raises CannotPrint."""
    state = queue_state(printer_name)
    if not state.can_print:
        raise CannotPrint(state)
    data = badge_text(plan.attendee, plan.code, event)
    try:
        template = badgetemplates.load(template_name)
        if not printer_name:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            return str(write_badge_pdf(template, data, folder / f"badge-{plan.attendee.id}-{stamp}.pdf"))
        print_badge_to(printer_name, template, data, f"badge-{plan.attendee.id}")
    except (RuntimeError, OSError, KioskError) as exc:
        raise CannotPrint(QueueState.FAILED, str(exc)) from exc
    return printer_name


class KioskPrinter(QObject):
    """Signals:
        printed(object Printed): the queue accepted the badge and the print is logged (and queued for sync).
        cannot_print(object QueueState): nothing printed; the kiosk says so and sends its health.
    """

    printed = Signal(object)
    cannot_print = Signal(object)

    def __init__(self, services, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.state = QueueState.OFF

    def _folder(self) -> Path:
        cfg = self.services.config
        return Path(cfg.print_folder) if cfg.print_folder else Path(self.services.data_dir) / "prints"

    def print_plan(self, plan: PrintPlan) -> None:
        cfg, event = self.services.config, self.services.event
        printer, template, folder = cfg.printer, cfg.badge_template, self._folder()
        self.services.tasks.run_net(lambda: paint_plan(plan, printer, template, folder, event),
                                    lambda target: self._accepted(plan, target), self._failed)

    def _accepted(self, plan: PrintPlan, target: str) -> None:
        device = self.services.context.device_id

        def log_it(store: Store) -> int:
            set_health(store, QueueState.READY)
            return record(store, plan, device, target, datetime.now(timezone.utc))

        self.state = QueueState.READY
        self.services.tasks.run_db(log_it, lambda n: self._logged(target, n), self._failed)

    def _logged(self, target: str, count: int) -> None:
        self.services.checkins.local_record()  # the sync service pushes the print now
        self.printed.emit(Printed(target, count))

    def _failed(self, exc: BaseException) -> None:
        state = exc.state if isinstance(exc, CannotPrint) else QueueState.FAILED
        log.warning("the kiosk could not print a badge: %s", exc)
        self.state = state
        self.services.tasks.run_db(lambda s: set_health(s, state))
        self.cannot_print.emit(state)
