"""The steps of the exhibitor PIN pad, as plain rules: unlock, or (no PIN yet) staff PIN, then choose and repeat.

Modes: "unlock" (exhibitor PIN), "staff" (staff PIN before setting one up), "new" and "repeat"
(choosing the exhibitor PIN), "unbound" (no exhibitor to unlock for).
"""
from __future__ import annotations

SETUP_MODES = ("new", "repeat")


def mode_for(current: str, bound: bool, has_pin: bool) -> str:
    """The step once the device's binding and PIN are known: an unbound device waits; a bound one without an
    exhibitor PIN asks for the staff PIN first; a set-up under way goes on."""
    if not bound:
        return "unbound"
    mode = "unlock" if current == "unbound" else current
    return "staff" if not has_pin and mode == "unlock" else mode


def verify_scope(mode: str) -> str:
    """Which PIN a typed PIN is checked against in this step."""
    return "staff" if mode == "staff" else "exhibitor"
