"""Tell a USB keyboard-wedge scanner's burst from a person typing, on the keys' own timestamps.

Qt-free: `ui/wedge.py` (`WedgeFilter`) feeds it each key with the time the window system says
it was pressed (`QKeyEvent.timestamp()`, ms), not the time the GUI thread got round to it, so a
busy GUI thread that delivers twenty queued keys at once changes nothing.

The rules:

- A **burst** is a run of printable keys each at most `max_gap_ms` after the one before. A
  scanner types 2-30 ms a key; a person 60 ms or more (a fast typist's rolled-over pair can be
  closer, but not `min_length` keys in a row).
- A burst of at least `min_length` keys is a **scan**. It ends with a terminator (Enter or Tab,
  swallowed: it must not press a button or move focus), with a key after a longer gap, with a
  non-printable key, or when no key came for a while (`WedgeFilter`'s timer, for scanners set up
  without a suffix).
- A shorter burst is a person (or a key repeat): its keys are handed back, in order, to be
  replayed as typing.
- The code is normalised: Caps Lock undone (a scanner types capitals with Shift, so a letter
  that comes out lower-case with Shift held means Caps Lock was on: every letter of the burst is
  inverted), signed badges and hand-off codes (upper-case Base45) upper-cased, an AIM symbology
  identifier (`]Q1`, a scanner's optional prefix) removed, and so is the prefix the venue set its
  scanners up to send (`wedge_prefix`, e.g. `#`), when the code starts with it.
- A code that starts like one of ours (`FK`) but not with `FK1:` or `FKH:` is reported with
  `layout_suspect`: the scanner's keyboard layout very likely differs from the computer's (the
  `:` of the prefix is a shifted key, and the layouts disagree on it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_OUR_PREFIXES = ("FK1:", "FKH:")
_AIM_ID = re.compile(r"^\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True)
class Found:
    """The held keys were a scan: emit `code`; the keys themselves are dropped."""

    code: str
    at_ms: float  # when its last key was pressed
    layout_suspect: bool = False


@dataclass(frozen=True)
class Replay:
    """The held keys were typing: deliver these items (whatever the caller held), in order."""

    items: tuple[Any, ...]


Decision = Found | Replay


@dataclass
class _Held:
    item: Any
    text: str
    shift: bool
    at_ms: float


def normalise(texts: list[str], shifts: list[bool], prefix: str = "") -> str:
    """The code the scanner meant, from the texts its keys produced and whether Shift was held."""
    caps_lock = any(s and t.isalpha() and t.islower() for t, s in zip(texts, shifts, strict=True))
    code = "".join(t.swapcase() if caps_lock and t.isascii() and t.isalpha() else t for t in texts)
    if prefix and code.startswith(prefix):
        code = code[len(prefix):]
    code = _AIM_ID.sub("", code, count=1)
    if code.upper().startswith(_OUR_PREFIXES):
        code = code.upper()  # Base45 has no lower-case letters; a compensating scanner under Caps Lock
    return code


def layout_suspect(code: str) -> bool:
    """Starts like a signed badge or hand-off code, but its ':' came out as something else."""
    return len(code) >= 8 and code[:2].upper() == "FK" and not code.upper().startswith(_OUR_PREFIXES)


class WedgeDetector:
    """Feed keys in the order they arrive; act on the decisions each call returns."""

    def __init__(self, max_gap_ms: float = 45, min_length: int = 4, pause_ms: float = 100, prefix: str = ""):
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.pause_ms = pause_ms
        self.prefix = prefix
        self._held: list[_Held] = []

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def wait_ms(self) -> float:
        """How long (wall clock) to wait for another key before `timeout()`; 0 when nothing is held."""
        if not self._held:
            return 0
        if len(self._held) < self.min_length:
            return 2 * self.max_gap_ms  # a person's key waits this long at most before it is typed
        return max(self.pause_ms, 2 * self.max_gap_ms)

    def key(self, text: str, at_ms: float, shift: bool = False, item: Any = None) -> list[Decision]:
        """A printable key, pressed at at_ms; the caller holds it back (item comes back in a Replay)."""
        out = self._break_if_gap(at_ms, self.max_gap_ms)
        self._held.append(_Held(item, text, shift, at_ms))
        return out

    def terminator(self, at_ms: float) -> tuple[list[Decision], bool]:
        """Enter or Tab. Returns the decisions and whether to swallow the key."""
        if len(self._held) >= self.min_length and 0 <= at_ms - self._held[-1].at_ms <= self.wait_ms():
            return [self._scan()], True
        return self.other(at_ms), False

    def other(self, at_ms: float) -> list[Decision]:
        """Any other key (arrows, Backspace, a shortcut, a key repeat): the burst, if any, is over."""
        return self._conclude()

    def timeout(self) -> list[Decision]:
        """No key came within wait_ms() (and the queue was looked at once more): the burst is over."""
        return self._conclude()

    # ---- inside ---------------------------------------------------------------------------------
    def _break_if_gap(self, at_ms: float, gap_ms: float) -> list[Decision]:
        if not self._held:
            return []
        gap = at_ms - self._held[-1].at_ms
        if 0 <= gap <= gap_ms:
            return []
        return self._conclude()  # longer, or negative (clock wrapped, or two sources): a new burst

    def _conclude(self) -> list[Decision]:
        if not self._held:
            return []
        if len(self._held) >= self.min_length:
            return [self._scan()]
        held, self._held = self._held, []
        return [Replay(tuple(h.item for h in held))]

    def _scan(self) -> Found:
        held, self._held = self._held, []
        code = normalise([h.text for h in held], [h.shift for h in held], self.prefix)
        return Found(code, held[-1].at_ms, layout_suspect(code))
