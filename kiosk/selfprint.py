"""Self-service badge printing at the attendee kiosk: what the screens ask of the core.

A visitor shows the QR from their confirmation e-mail; the check-in is decided as everywhere
(kiosk.selfservice.self_checkin), then the kiosk prints their badge itself. The badge carries
the code they showed (it has just been accepted, so it scans everywhere), rendered here with no
server round trip. A badge already printed (here, or known from the server's issue number)
prints again only after staff confirm with the PIN, or at the desk. "Not me" leaves a hand-off
code in the scan log, as refusals do, so the desk sees who the kiosk thought it was.
Qt-free: ui.selfprint drives the printer, these run on the database thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kiosk.checkin import handoff_code, log_scan
from kiosk.identify import DeviceContext, normalise, record_print
from kiosk.models import Attendee, Session, Status, Verdict
from kiosk.store import Store

HEALTH_KEY = "health_printer"  # meta: the print queue's last known state (sync.rounds sends it)
NOT_ME = "not_me"  # scan_log detail of a visitor who said the name shown was not theirs


class QueueState(str, Enum):
    """What the kiosk knows of its print queue, as sent to the server in its health."""

    READY = "ready"
    STOPPED = "stopped"  # CUPS stops a queue whose printer is out of paper, jammed or offline
    MISSING = "missing"  # the configured queue is not there (unplugged, renamed)
    FAILED = "failed"  # the queue refused the job
    OFF = "off"  # this kiosk does not print

    @property
    def can_print(self) -> bool:
        return self is QueueState.READY


@dataclass(frozen=True)
class PrintPlan:
    """One visitor's badge, ready to paint: who, the code for the QR, and what they had before."""

    attendee: Attendee
    code: str
    printed_before: int  # badges printed for this person already (0: the first)
    first_session: Session | None = None

    @property
    def needs_staff(self) -> bool:
        return self.printed_before > 0


def can_self_print(verdict: Verdict) -> bool:
    """A person the kiosk has just let in (or who was in already) may print their badge here."""
    return verdict.attendee is not None and verdict.status in (Status.OK, Status.ALREADY_CHECKED_IN)


def printed_before(store: Store, attendee: Attendee) -> int:
    """Badges this person has: printed on this kiosk, or reissued by a desk (a higher issue number)."""
    return max(len(store.prints.history(attendee.id)), attendee.badge_issue - 1)


def plan(store: Store, verdict: Verdict, code: str) -> PrintPlan | None:
    """The badge to print for an accepted verdict; None when the person is not in the attendee list."""
    if not can_self_print(verdict):
        return None
    attendee = store.attendee(verdict.attendee.id)
    if attendee is None:
        return None
    first = verdict.next_sessions[0] if verdict.next_sessions else None
    return PrintPlan(attendee, normalise(code), printed_before(store, attendee), first)


def record(store: Store, plan: PrintPlan, device_id: str, target: str, now: datetime) -> int:
    """A badge the queue accepted: into the print log and the outbox. Returns this person's prints."""
    return record_print(store, plan.attendee, device_id, target, now)


def not_me(store: Store, verdict: Verdict, ctx: DeviceContext, now: datetime) -> str:
    """The visitor says the name is wrong: a hand-off code for the desk, kept and synced as refusals are."""
    code = handoff_code()
    log_scan(store, Verdict(verdict.status, verdict.attendee, verdict.point_id or ctx.point_id, verdict.direction,
                            detail=NOT_ME, handoff=code), ctx, now)
    return code


def set_health(store: Store, state: QueueState) -> None:
    """Remember the queue's state; the next sync round sends it to the server (sync.rounds)."""
    store.set_meta(HEALTH_KEY, state.value)


def health(store: Store) -> dict[str, str]:
    """The kiosk's health as it goes to the server: small, only what staff act on."""
    printer = store.get_meta(HEALTH_KEY)
    return {"printer": printer} if printer else {}
