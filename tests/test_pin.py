"""The staff PIN: hashed, with a growing lockout that survives a restart."""
from __future__ import annotations

from kiosk import pin
from kiosk.errors import BadInput
from kiosk.store import Store


def test_pin_is_stored_hashed_and_verifies(store):
    pin.set_pin(store, "482913")
    raw = store.get_meta("pin_hash")
    assert "482913" not in raw and "scrypt" in raw
    assert pin.verify(store, "482913", now=1000).ok
    assert not pin.verify(store, "482914", now=1000).ok


def test_two_kiosks_with_the_same_pin_store_different_hashes(tmp_path):
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    pin.set_pin(a, "1234")
    pin.set_pin(b, "1234")
    assert a.get_meta("pin_hash") != b.get_meta("pin_hash")  # salted
    a.close()
    b.close()


def test_lockout_grows_after_the_free_tries(store):
    pin.set_pin(store, "1234")
    now = 10_000.0
    waits = []
    for _ in range(6):
        result = pin.verify(store, "0000", now=now)
        waits.append(result.wait_seconds)
        now += result.wait_seconds + 0.1  # wait the lock out, then fail again
    assert waits == [0, 0, 0, 30, 60, 120]


def test_right_pin_is_refused_while_locked_and_accepted_after(store):
    pin.set_pin(store, "1234")
    for _ in range(4):
        pin.verify(store, "9999", now=100.0)
    locked = pin.verify(store, "1234", now=110.0)
    assert not locked.ok and locked.reason == "locked" and 0 < locked.wait_seconds <= 30
    assert pin.verify(store, "1234", now=131.0).ok
    assert pin.verify(store, "0000", now=132.0).wait_seconds == 0  # success reset the count


def test_lockout_survives_a_restart(tmp_path):
    path = tmp_path / "kiosk.db"
    s = Store(path)
    pin.set_pin(s, "1234")
    for _ in range(4):
        pin.verify(s, "1111", now=500.0)
    s.close()
    again = Store(path)
    result = pin.verify(again, "1234", now=510.0)
    assert not result.ok and result.reason == "locked"
    again.close()


def test_bad_pins_are_refused_with_a_reason(store):
    assert not pin.verify(store, "1234").ok and pin.verify(store, "1234").reason == "no_pin"
    for bad in ("12", "abcd", "1234567890123"):
        try:
            pin.set_pin(store, bad)
        except BadInput:
            continue
        raise AssertionError(f"{bad!r} was accepted as a PIN")
    store.set_meta("pin_hash", "{not json")
    assert pin.verify(store, "1234").reason == "malformed"


def test_demo_pin_is_set_once(store):
    pin.ensure_pin(store)
    assert pin.verify(store, pin.DEMO_PIN).ok
    pin.set_pin(store, "5555")
    pin.ensure_pin(store)
    assert pin.verify(store, "5555").ok


def test_change_pin_checks_the_new_one_twice_and_the_old_one(store):
    pin.set_pin(store, "1234")
    assert pin.change_pin(store, "1234", "12", "12").reason == "invalid"
    assert pin.change_pin(store, "1234", "5678", "5679").reason == "mismatch"
    assert pin.verify(store, "0000", now=1.0).failures == 1  # the two checks above cost no try
    assert pin.change_pin(store, "4321", "5678", "5678", now=2.0).reason == "wrong"
    assert pin.verify(store, "1234", now=3.0).ok  # unchanged after a wrong old PIN
    assert pin.change_pin(store, "1234", "5678", "5678", now=4.0).ok
    assert pin.verify(store, "5678", now=5.0).ok and not pin.verify(store, "1234", now=6.0).ok


def test_wrong_old_pins_lock_the_change_like_the_pad(store):
    pin.set_pin(store, "1234")
    results = [pin.change_pin(store, "9999", "5678", "5678", now=100.0) for _ in range(4)]
    assert results[-1].wait_seconds == 30
    assert pin.change_pin(store, "1234", "5678", "5678", now=101.0).reason == "locked"


def test_staff_set_the_exhibitor_pin_without_the_old_one(store):
    pin.set_pin(store, "1234")
    pin.set_pin(store, "1111", scope="exhibitor")
    assert pin.change_pin(store, None, "2222", "2222", scope="exhibitor").ok
    assert pin.verify(store, "2222", scope="exhibitor").ok and pin.verify(store, "1234").ok


def test_setting_the_clock_forward_does_not_end_a_lockout(store, monkeypatch):
    """The lockout counts on the monotonic clock: a wall clock moved two hours on changes nothing."""
    import time

    pin.set_pin(store, "1234")
    for _ in range(4):
        pin.verify(store, "1111")
    assert pin.remaining_lock(store) > 25
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 7200)
    assert pin.remaining_lock(store) > 25
    result = pin.verify(store, "1234")
    assert not result.ok and result.reason == "locked"


def test_after_a_reboot_the_lockout_resumes_with_what_was_left(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.db"
    s = Store(path)
    pin.set_pin(s, "1234")
    for _ in range(4):
        pin.verify(s, "1111", now=500.0)
    s.close()
    monkeypatch.setattr(pin, "_boot_id", lambda: "another-boot")  # a new monotonic clock, starting near 0
    again = Store(path)
    assert pin.remaining_lock(again, now=3.0) == 30.0
    assert pin.verify(again, "1234", now=3.0).reason == "locked"
    assert pin.verify(again, "1234", now=34.0).ok  # then it counts down on this boot's clock
    again.close()
