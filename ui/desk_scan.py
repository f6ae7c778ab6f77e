"""A scan at the desk, its first step on the database thread: a hand-off look-up, a local verdict, or an Ask
of the server (ui/checkinflow.py); repeat entries named by the device that recorded them."""
from __future__ import annotations

from dataclasses import replace

from kiosk import checkin
from kiosk.handoff import handoff_in, lookup
from kiosk.identify import DeviceContext
from kiosk.models import Direction, Scan, Verdict
from kiosk.store import Store
from sync import onlinecheck
from sync.deskcalls import device_label
from sync.transport import ServerAddress
from ui.checkinflow import Ask


def named_previous(store: Store, verdict: Verdict, ctx: DeviceContext) -> Verdict:
    """A repeat entry says where it was first recorded by the device's name ("Desk 2"), not its id;
    this device stays its own id so the card can say "this desk"."""
    device = verdict.previous_device
    if not device or device == ctx.device_id:
        return verdict
    if device == store.get_meta("device_name"):  # the server answered with our own name
        return replace(verdict, previous_device=ctx.device_id)
    return replace(verdict, previous_device=device_label(store, device))


def desk_scan(store: Store, scan: Scan, ctx: DeviceContext, direction: Direction) -> tuple | Ask:
    """A scan at the desk, first step on the database thread: a hand-off code is looked up
    (nothing recorded); anything else is decided here, or asked of the server first (an `Ask`).

    Returns ("verdict", Verdict), ("handoff", code, HandoffCase | None, ServerAddress | None) or an Ask."""
    candidate = handoff_in(scan.code, typed=scan.source == "typed")
    if candidate is not None:
        code, explicit = candidate
        if explicit or store.attendee_by_code(scan.code.strip()) is None:
            case = lookup(store, code)
            return "handoff", code, case, None if case is not None else ServerAddress.of(store)
    attempt = onlinecheck.prepare(store, scan.code, ctx, direction, source=scan.source)
    if attempt is None:
        return "verdict", named_previous(store, checkin.check(store, scan.code, ctx, direction, source=scan.source), ctx)
    return Ask(attempt, lambda s, answer: ("verdict", named_previous(s, onlinecheck.finish(s, attempt, answer), ctx)))
