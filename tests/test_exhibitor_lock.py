"""The exhibitor PIN pad's steps as plain rules."""
from __future__ import annotations

from ui.exhibitor_lock import mode_for, verify_scope


def test_an_unbound_device_waits_and_a_bound_one_unlocks():
    assert mode_for("unlock", bound=False, has_pin=True) == "unbound"
    assert mode_for("unbound", bound=True, has_pin=True) == "unlock"
    assert mode_for("unlock", bound=True, has_pin=True) == "unlock"


def test_without_an_exhibitor_pin_staff_set_one_up_first():
    assert mode_for("unlock", bound=True, has_pin=False) == "staff"
    assert mode_for("unbound", bound=True, has_pin=False) == "staff"
    assert mode_for("new", bound=True, has_pin=False) == "new"  # a set-up under way is not interrupted
    assert mode_for("repeat", bound=True, has_pin=False) == "repeat"


def test_which_pin_is_checked():
    assert verify_scope("staff") == "staff"
    assert verify_scope("unlock") == "exhibitor"
