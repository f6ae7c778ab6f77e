"""What each device role may hold about attendees (docs/security.md, "Each role gets only what it needs").

One table, used by the server's pull feed, by `export-bundle --role`, and by a device that purges
what its role should not hold (after a sync or a bundle load):
- desk: the whole attendee record (staff check people in, look them up, reprint badges, and read
  the "needs attention" note);
- attendee (a public self-service kiosk): who someone is and how their badge reads, never their
  title, e-mail, phone, consent or the staff note;
- exhibitor: no attendee list at all; its own leads only, with contact details where the visitor
  consented (the server fills those in).
"""
from __future__ import annotations

from collections.abc import Sequence

ROLES = ("desk", "attendee", "exhibitor")

# attendee columns a role must not hold (cleared on the device, never sent to it)
WITHHELD = {
    "desk": (),
    "attendee": ("title", "email", "phone", "consent", "attention"),
    "exhibitor": None,  # no attendee rows at all
}


def holds_attendees(role: str | None) -> bool:
    """Whether a device of this role keeps the attendee list (unknown roles are treated as the narrowest)."""
    return WITHHELD.get(role or "", None) is not None


def attendee_fields(role: str | None, fields: Sequence[str]) -> tuple[str, ...]:
    """The columns of `fields` a device of this role may receive; empty when it gets no attendee list."""
    withheld = WITHHELD.get(role or "", None)
    if withheld is None:
        return ()
    return tuple(f for f in fields if f not in withheld)


def withheld_fields(role: str | None) -> tuple[str, ...]:
    """The attendee columns a device of this role must not hold (all of them for an exhibitor)."""
    return WITHHELD.get(role or "", None) or ()
